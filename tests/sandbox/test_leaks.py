"""Opening and closing many sandboxes leaves no processes, temp dirs or cgroups behind.

Checked per sandbox (its own runtime dir and cgroups), because other sandboxes may be open on the
machine at the same time."""

from __future__ import annotations

from pathlib import Path

import psutil

from sandbox import cgroups

CYCLES = 15


def test_open_close_cycles_leak_nothing(open_sb):
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    opened = []
    for i in range(CYCLES):
        sb = open_sb()
        opened.append((sb.sandbox_id, Path(sb.host_paths.runtime)))
        assert sb.shell.run(f"echo {i} && (sleep 100 &) && sleep 0.01").exit_code == 0
        if i % 5 == 0:  # a kernel, a script and a background job too, now and then
            assert sb.kernel.execute("1 + 1").results == ["2"]
            sb.write_file("code/bg.py", "import subprocess; subprocess.Popen(['sleep', '100'])")
            assert sb.run_script("code/bg.py").exit_code == 0
            sb.shell.start_background("sleep 100")
        sb.close()
        sb.close()  # idempotent
    left = {p.pid for p in me.children(recursive=True)} - before
    assert not left, f"processes left: {[psutil.Process(p).cmdline() for p in left if psutil.pid_exists(p)]}"
    assert not [rt for _, rt in opened if rt.exists()], "runtime temp dirs left behind"
    groups = {g.name for g in cgroups.leftover_groups()}
    assert not [sid for sid, _ in opened if cgroups.PREFIX + sid in groups], "cgroups left behind"


def test_leftovers_of_a_killed_harness_are_reaped(backend, data_dir, tmp_path):
    """A harness killed with SIGKILL cannot clean up; the next sandbox opened removes what it left."""
    import signal
    import subprocess
    import sys

    code = (
        "import sys, time\nfrom pathlib import Path\nfrom sandbox import SandboxConfig, open_sandbox\n"
        f"sb = open_sandbox(SandboxConfig(data_dir=Path({str(data_dir)!r}), workspace=Path({str(tmp_path / 'w1')!r}),"
        f" backend={backend!r}))\n"
        "sb.shell.run('sleep 300 &')\n"
        "sb.write_file('working/kept.txt', 'agent work')\n"
        "print(sb.sandbox_id, sb.host_paths.runtime, flush=True)\ntime.sleep(300)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    sandbox_id, runtime = proc.stdout.readline().split()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert Path(runtime).exists()
    from sandbox import SandboxConfig, open_sandbox

    open_sandbox(SandboxConfig(data_dir=data_dir, workspace=tmp_path / "w2", backend=backend)).close()
    assert not Path(runtime).exists()
    # The dead harness's workspace (on a quota volume when root) was recovered, not lost.
    assert (tmp_path / "w1" / "working" / "kept.txt").read_text() == "agent work"
    if cgroups.usable() and backend != "docker":
        assert cgroups.PREFIX + sandbox_id not in {g.name for g in cgroups.leftover_groups()}
