"""`python -m sandbox check` and `python -m sandbox shell`."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from sandbox.__main__ import main
from sandbox.backends import local as local_backend


def test_check_reports_table_and_passes(capsys):
    rc = main(["check", "--backend", "local", "--attack", "api_key_env", "--attack", "network"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "network" in out and "NOT CONTAINED (by design)" in out and "api_key_env" in out


def test_check_fails_when_a_claimed_isolation_is_broken(capsys, monkeypatch):
    # Make local falsely claim network isolation: the network attack then succeeds -> exit 1.
    real = local_backend.Capabilities
    monkeypatch.setattr(local_backend, "Capabilities",
                        lambda **kw: dataclasses.replace(real(**kw), network_isolated=True))
    rc = main(["check", "--backend", "local", "--attack", "network"])
    out = capsys.readouterr().out
    assert rc == 1 and "NOT CONTAINED" in out and "(by design)" not in out.split("network", 1)[1].split("\n")[0]


def test_shell_cli_runs_commands(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.csv").write_text("a,b\n")
    r = subprocess.run([sys.executable, "-m", "sandbox", "shell", "--backend", "local", "--data", str(data),
                        "--workspace", str(tmp_path / "ws")],
                       input=f"cat {data}/train.csv\nfalse\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "a,b" in r.stdout and "[exit 1]" in r.stdout


def test_shell_cli_unknown_backend_is_clear(tmp_path):
    r = subprocess.run([sys.executable, "-m", "sandbox", "shell", "--backend", "nope"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "invalid choice" in r.stderr
