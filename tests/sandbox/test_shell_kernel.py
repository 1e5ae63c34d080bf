"""Shell, kernel, scripts and validation on every available backend, against real processes."""

from __future__ import annotations

import json
import os
import stat
import time
import urllib.request
from pathlib import Path

import pytest

from sandbox import WallTimeExceeded

from .conftest import SMALL_LIMITS


def test_shell_state_persists(sb):
    assert sb.shell.run("cd /tmp && export FOO=bar && x=1").exit_code == 0
    r = sb.shell.run('echo "$FOO $x"; pwd')
    assert r.output.split() == ["bar", "1", "/tmp"]
    assert sb.shell.cwd == "/tmp"


def test_shell_exit_code_and_stderr(sb):
    r = sb.shell.run("echo out; echo err >&2; exit_with() { return 7; }; exit_with")
    assert r.exit_code == 7 and "out" in r.output and "err" in r.output and not r.timed_out


def test_shell_timeout_interrupts_and_keeps_session(sb):
    sb.shell.run("export KEEP=yes")
    t0 = time.monotonic()
    r = sb.shell.run("sleep 30; echo not-reached", timeout=1)
    assert r.timed_out and r.killed_reason == "timeout" and "not-reached" not in r.output
    assert time.monotonic() - t0 < 10
    assert sb.shell.run("echo $KEEP").output.strip() == "yes"  # interrupted, not restarted


def test_shell_restarts_when_interrupt_ignored(sb):
    sb.shell.run("cd /tmp")
    r = sb.shell.run("trap '' INT; sleep 30", timeout=1)
    assert r.timed_out and "restarted" in r.output
    r2 = sb.shell.run("pwd")
    assert r2.exit_code == 0 and r2.output.strip() == "/tmp"  # same directory after the restart


def test_shell_survives_exit(sb):
    r = sb.shell.run("exit 3")
    assert "new shell" in r.output
    assert sb.shell.run("echo back").output.strip() == "back"


def test_output_is_middle_truncated(open_sb):
    sb = open_sb(output_limit_chars=1000)
    r = sb.shell.run("echo START; seq 1 200000; echo END")
    assert len(r.output) <= 1000 and r.output.startswith("START") and r.output.rstrip().endswith("END")
    assert "characters truncated" in r.output


def test_kernel_output_is_middle_truncated(open_sb):
    sb = open_sb(output_limit_chars=1000)
    r = sb.kernel.execute("print('START')\nfor i in range(100000): print(i)\nprint('END')")
    assert len(r.stdout) <= 1000 and r.stdout.startswith("START") and r.stdout.rstrip().endswith("END")


def test_background_job(sb):
    job = sb.shell.start_background("echo begin; sleep 1; echo done; exit 4")
    first = sb.shell.poll(job)
    assert first.exit_code is None
    deadline = time.monotonic() + 30
    while sb.shell.poll(job).exit_code is None and time.monotonic() < deadline:
        time.sleep(0.1)
    final = sb.shell.poll(job)
    assert final.exit_code == 4 and "begin" in final.output and "done" in final.output
    with pytest.raises(KeyError):
        sb.shell.poll("job-999")


def test_kernel_rich_output(sb):
    r = sb.kernel.execute("import sys\nprint('hello')\nprint('warn', file=sys.stderr)\nx = 40\nx + 2")
    assert r.stdout == "hello\n" and "warn" in r.stderr and r.results == ["42"] and r.error is None
    assert sb.kernel.execute("x").results == ["40"]  # state kept between cells


def test_kernel_image_saved(sb):
    r = sb.kernel.execute("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")
    assert r.error is None, r.error
    assert len(r.images) == 1
    img = Path(r.images[0])
    assert img.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Path(sb.host_paths.logs) in img.parents


def test_kernel_error_traceback(sb):
    r = sb.kernel.execute("def f():\n    raise ValueError('boom')\nf()")
    assert r.error is not None and r.error.ename == "ValueError" and r.error.evalue == "boom"
    assert any("f()" in line for line in r.error.traceback)


def test_kernel_timeout_interrupt_keeps_state(sb):
    sb.kernel.execute("y = 5")
    r = sb.kernel.execute("import time\nwhile True: time.sleep(0.01)", timeout=1)
    assert r.timed_out and not r.kernel_restarted and r.error.ename == "KeyboardInterrupt"
    assert sb.kernel.execute("y").results == ["5"]


def test_kernel_ignoring_interrupt_is_restarted(sb):
    sb.kernel.execute("z = 1")
    r = sb.kernel.execute("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)",
                          timeout=1)
    assert r.timed_out and r.kernel_restarted
    after = sb.kernel.execute("z")
    assert after.error is not None and after.error.ename == "NameError"


def test_kernel_restart_after_death(sb):
    sb.kernel.execute("w = 1")
    r = sb.kernel.execute("import os\nos._exit(1)")
    assert r.kernel_restarted and r.error is not None
    assert sb.kernel.execute("print(2)").stdout == "2\n"


def test_kernel_shell_escape_runs_inside(sb):
    r = sb.kernel.execute("!pwd")
    assert r.stdout.strip() == sb.paths.working


def test_script_runs_with_args(sb):
    sb.write_file("code/s.py", "import sys, os\nprint(sys.argv[1:], os.getcwd())\n")
    r = sb.run_script("code/s.py", args=["a", "b"])
    assert r.exit_code == 0 and "['a', 'b']" in r.output and sb.paths.working in r.output


def test_agent_code_can_share_memory_between_processes(sb, backend):
    """joblib (n_jobs>1) and torch's DataLoader need semaphores and shared memory in /dev/shm; without a
    /dev/shm the agent's uid can write, joblib silently ran one process at a time under bwrap."""
    sb.write_file("code/shm.py", (
        "import multiprocessing as mp, os, shutil\n"
        "lock = mp.Semaphore()\n"
        "with mp.Pool(2) as pool:\n"
        "    print('squares', pool.map(abs, [-1, -2, -3]))\n"
        "print('shm MiB', shutil.disk_usage('/dev/shm').total // 2**20)\n"))
    r = sb.run_script("code/shm.py")
    assert r.exit_code == 0, r.output
    assert "squares [1, 2, 3]" in r.output
    if backend != "local":  # an isolated backend's own /dev/shm: half the memory limit, not the host's
        assert f"shm MiB {SMALL_LIMITS.shm_mb}" in r.output


def test_script_timeout_kills_grandchildren(sb):
    tag = "grandchild-" + str(time.time_ns())
    sb.write_file("code/spawner.py", (
        "import subprocess, os, time\n"
        f"subprocess.Popen(['bash', '-c', 'exec -a {tag}-detached sleep 300'], start_new_session=True)\n"
        f"subprocess.Popen(['bash', '-c', 'exec -a {tag} sleep 300'])\n"
        "print('spawned', flush=True)\ntime.sleep(300)\n"))
    t0 = time.monotonic()
    r = sb.run_script("code/spawner.py", timeout=2)
    assert r.timed_out and r.killed_reason == "timeout" and "spawned" in r.output
    assert time.monotonic() - t0 < 15
    import psutil

    time.sleep(0.3)
    left = [p for p in psutil.process_iter(["cmdline"]) if tag in " ".join(p.info["cmdline"] or [])]
    assert not left, f"processes left behind: {left}"


def test_validation_from_inside_with_curl_and_python(open_sb):
    from sandbox import ValidationResult

    def validator(path: Path) -> ValidationResult:
        ok = path.read_text().startswith("id,target")
        return ValidationResult(ok, "valid submission" if ok else "missing header id,target")

    sb = open_sb(validator=validator)
    sb.write_file("submission/submission.csv", "id,target\n3,1\n")
    r = sb.shell.run("bash /home/validate_submission.sh" if sb.backend != "local"
                     else f"bash {sb.host_paths.home}/validate_submission.sh")
    assert json.loads(r.output.strip().splitlines()[0])["result"] == "valid submission"
    sb.write_file("working/bad.csv", "nope\n")
    r = sb.shell.run(f"curl -s -F file=@{sb.paths.working}/bad.csv {sb.validation_url}")
    assert json.loads(r.output) == {"result": "missing header id,target", "valid": False}
    code = ("import json, urllib.request\n"
            f"print(json.load(urllib.request.urlopen('{sb.validation_url.replace('/validate', '/health')}')))")
    assert "running" in sb.kernel.execute(code).stdout
    assert sb.validate("submission/submission.csv").valid
    assert not sb.validate("working/bad.csv").valid
    if sb.backend == "local":  # the host can reach it too (python HTTP client on the host)
        with urllib.request.urlopen(sb.validation_url.replace("/validate", "/health")) as resp:
            assert json.load(resp)["status"] == "running"


def test_wall_time_limit(open_sb):
    from sandbox import Limits

    sb = open_sb(limits=Limits(action_timeout_s=30, wall_time_s=2, memory_mb=512, max_pids=128))
    r = sb.shell.run("sleep 10")
    assert r.timed_out and r.killed_reason == "wall_time"
    with pytest.raises(WallTimeExceeded):
        sb.shell.run("echo too late")


def test_env_is_allow_listed(open_sb, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    monkeypatch.setenv("SOME_HOST_VAR", "host-only")
    sb = open_sb(env={"MY_SETTING": "1"})
    out = sb.shell.run("env").output
    assert "sk-should-not-leak" not in out and "SOME_HOST_VAR" not in out and "MY_SETTING=1" in out
    assert "CUDA_VISIBLE_DEVICES=\n" in out  # no GPU unless asked for


def test_gpus_limit_sets_visible_devices(open_sb, backend):
    from sandbox import Limits, SandboxUnavailable

    try:
        sb = open_sb(limits=Limits(memory_mb=512, max_pids=128, gpus="0,1"))
    except SandboxUnavailable as exc:  # docker refuses GPUs it cannot pass through, with a clear message
        assert backend == "docker" and "GPU" in str(exc)
        return
    assert sb.shell.run("echo $CUDA_VISIBLE_DEVICES").output.strip() == "0,1"


def test_every_entry_point_raises_sandbox_closed_after_close(sb, tmp_path):
    from sandbox import KernelAPI, SandboxAPI, SandboxClosed, ShellAPI

    assert isinstance(sb, SandboxAPI) and isinstance(sb.shell, ShellAPI) and isinstance(sb.kernel, KernelAPI)
    sb.write_file("code/s.py", "print(1)")
    sb.close()
    calls = [lambda: sb.shell.run("echo x"), lambda: sb.shell.start_background("sleep 1"),
             lambda: sb.shell.poll("job-1"), lambda: sb.kernel.execute("1"), lambda: sb.kernel.restart(),
             lambda: sb.run_script("code/s.py"), lambda: sb.read_file("code/s.py"),
             lambda: sb.write_file("code/t.py", "x"), lambda: sb.list_files("code"),
             lambda: sb.copy_out("code/s.py", tmp_path / "c.py"), lambda: sb.copy_in(tmp_path, "code/u.py"),
             lambda: sb.clear("submission"), lambda: sb.exists("code/s.py"), lambda: sb.validate(),
             lambda: sb.isolation]
    for call in calls:
        with pytest.raises(SandboxClosed):
            call()


def test_validate_reports_instead_of_raising(sb):
    assert "outside the sandbox" in sb.validate("/etc/passwd").message
    assert "not found" in sb.validate("submission/none.csv").message or "no such" in sb.validate(
        "submission/none.csv").message
    sb.shell.run(f"ln -s /etc/passwd {sb.paths.submission}/submission.csv")
    result = sb.validate()
    assert not result.valid and "symbolic link" in result.message


def test_read_file_is_capped(sb):
    from sandbox import FileTooLarge

    sb.shell.run(f"head -c 3000 /dev/zero > {sb.paths.working}/big.bin")
    assert len(sb.read_file("working/big.bin", max_bytes=3000)) == 3000
    with pytest.raises(FileTooLarge):
        sb.read_file("working/big.bin", max_bytes=2999)


def test_kernel_dir_stays_readable_while_handed_to_root(sb, backend, monkeypatch):
    """ipykernel reads its connection file again after binding its sockets; the host hands the dir to root
    at about that time, and a root-owned 0700 moment made the kernel exit with EACCES (a CI failure)."""
    dir_states: list[tuple[int, int]] = []  # (owner, mode) of a directory after each chown or chmod

    def record(call):
        def wrapped(fd, *args):
            call(fd, *args)
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                dir_states.append((st.st_uid, stat.S_IMODE(st.st_mode)))
        return wrapped

    monkeypatch.setattr(os, "fchown", record(os.fchown))
    monkeypatch.setattr(os, "fchmod", record(os.fchmod))
    assert sb.kernel.execute("print(1)").stdout == "1\n"
    if backend == "local":  # the kernel runs as the host's user: nothing is handed over
        assert dir_states == []
        return
    for uid, mode in dir_states:
        assert uid != 0 or mode & 0o005 == 0o005, f"the dir was root-owned with mode {mode:o}: the kernel cannot read"
    assert dir_states[-1] == (0, 0o755)
