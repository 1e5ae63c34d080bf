"""DockerIsolation against the real daemon: container settings, containment, killing, OOM, cleanup.

Skipped when no daemon answers, unless MLE_SUITE_REQUIRE_DOCKER=1 (CI sets it), which turns the skip
into a failure so a broken daemon setup cannot pass silently."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from sandbox.backends.base import INSIDE_VENV, IsolationSpec, SandboxPaths, agent_owner
from sandbox.config import Limits
from sandbox.errors import SandboxUnavailable

docker_sdk = pytest.importorskip("docker")
from sandbox.backends import docker as dk  # noqa: E402

pytestmark = pytest.mark.docker


def _require_docker() -> None:
    ok, why = dk.DockerIsolation.available()
    if not ok:
        if os.environ.get("MLE_SUITE_REQUIRE_DOCKER") == "1":
            pytest.fail(f"docker required (MLE_SUITE_REQUIRE_DOCKER=1) but unavailable: {why}")
        pytest.skip(f"docker unavailable: {why}")


@pytest.fixture(scope="module")
def client():
    _require_docker()
    c = docker_sdk.from_env()
    yield c
    c.close()


@pytest.fixture
def make_iso(tmp_path, client):
    """Factory: a started DockerIsolation on fresh host dirs; all are closed at teardown."""
    made = []

    def make(**limits) -> dk.DockerIsolation:
        n = len(made)
        ws, data, rt = tmp_path / f"ws{n}", tmp_path / f"data{n}", tmp_path / f"rt{n}"
        for d in (ws / "working", data, rt / "tmp", rt / "kernels"):
            d.mkdir(parents=True)
        (data / "train.csv").write_text("id,y\n1,2\n")
        _give_to_agent(ws, ws / "working", rt / "tmp")
        lim = Limits(**{"memory_mb": 256, "max_pids": 64, **limits})
        spec = IsolationSpec(SandboxPaths.under(ws, data, rt), lim, f"t{uuid.uuid4().hex[:10]}")
        iso = dk.DockerIsolation(spec)
        made.append(iso)
        iso.start()
        return iso

    yield make
    for iso in made:
        iso.close()


def _give_to_agent(*dirs: Path) -> None:
    """As the sandbox does: agent code runs as AGENT_UID (when we are root) and owns its dirs."""
    owner = agent_owner()
    for d in dirs:
        if owner:
            os.chown(d, *owner)


def run(iso, cmd: str, timeout: float = 60) -> tuple[int, str]:
    env = {"PATH": iso.search_path, "HOME": iso.paths.home}
    proc = iso.spawn(["sh", "-c", cmd], env=env, cwd=iso.paths.home)
    out, _ = proc.communicate(timeout=timeout)
    iso.kill_tree(proc)
    return proc.returncode, out.decode(errors="replace")


def inside_commands(client, iso) -> list[str]:
    """The daemon's own view (docker top) of what runs in the container."""
    return [p[-1] for p in client.api.top(iso.container_id)["Processes"]]


def test_container_settings(make_iso, client):
    iso = make_iso(memory_mb=300, max_pids=50, cpus=0.5)
    attrs = client.api.inspect_container(iso.container_id)
    hc = attrs["HostConfig"]
    assert hc["NetworkMode"] == "none"
    assert hc["Memory"] == 300 * 2**20 and hc["MemorySwap"] == 300 * 2**20
    assert hc["PidsLimit"] == 50 and hc["NanoCpus"] == 500_000_000
    assert hc["CapDrop"] == ["ALL"] and "no-new-privileges" in hc["SecurityOpt"]
    assert hc["ReadonlyRootfs"] and hc["AutoRemove"] and hc["Init"]
    labels = attrs["Config"]["Labels"]
    assert labels[dk.LABEL_SANDBOX] == iso.spec.sandbox_id and labels[dk.LABEL_OWNER_PID] == str(os.getpid())
    mounts = {m["Destination"]: m for m in attrs["Mounts"]}
    assert mounts["/home/data"]["RW"] is False and mounts["/home"]["RW"] is True


def test_no_network_readonly_data_no_caps(make_iso):
    iso = make_iso()
    code, out = run(iso, "ls /sys/class/net; echo routes=$(tail -n +2 /proc/net/route | wc -l); "
                         "grep CapEff /proc/self/status; echo x > /home/data/train.csv; echo data_rc=$?; "
                         "echo y > /usr/.mle_suite_probe; echo usr_rc=$?; echo z > /home/working/ok && echo ws_ok")
    if os.path.exists("/usr/.mle_suite_probe"):  # the host's /usr was writable: undo, then fail below
        os.remove("/usr/.mle_suite_probe")
    assert out.split()[0] == "lo" and "routes=0" in out, out  # only loopback, no route anywhere
    assert "CapEff:\t0000000000000000" in out
    assert "data_rc=0" not in out and "usr_rc=0" not in out
    assert "cannot create /home/data/train.csv: Read-only file system" in out
    assert "ws_ok" in out and (Path(iso.spec.host.home) / "working" / "ok").read_text() == "z\n"
    assert (Path(iso.spec.host.data) / "train.csv").read_text() == "id,y\n1,2\n"


def test_limits_apply_inside(make_iso):
    iso = make_iso(memory_mb=200, file_size_mb=1)
    code, out = run(iso, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || "
                         "cat /sys/fs/cgroup/memory.max; head -c 3000000 /dev/zero > /tmp/big; echo rc=$?")
    assert str(200 * 2**20) in out
    assert "rc=153" in out or "File size limit" in out  # SIGXFSZ at the 1 MiB RLIMIT_FSIZE
    assert (Path(iso.spec.host.runtime) / "tmp" / "big").stat().st_size == 2**20


@pytest.mark.parametrize("discovery", ["cgroup", "pid_namespace"])
def test_kill_tree_kills_inside_descendants(make_iso, client, monkeypatch, discovery):
    iso = make_iso()
    if discovery == "pid_namespace":  # as on hosts where the container's cgroup is not visible
        monkeypatch.setattr(dk.isolation.ContainerProcs, "snapshot", _snapshot_by_namespace)
    env = {"PATH": iso.search_path}
    proc = iso.spawn(["sh", "-c", "(sleep 1001 &); setsid sleep 1002 & sleep 1003"], env=env, cwd="/home")
    other = iso.spawn(["sleep", "1004"], env=env, cwd="/home")  # a different tree: must survive
    deadline = time.monotonic() + 10
    while not {"sleep 1001", "sleep 1002", "sleep 1003"} <= set(inside_commands(client, iso)):
        assert time.monotonic() < deadline, inside_commands(client, iso)
        time.sleep(0.05)
    iso.kill_tree(proc)
    left = inside_commands(client, iso)
    assert not any(c.startswith("sleep 100") and c != "sleep 1004" for c in left), left
    assert "sleep 1004" in left and proc.poll() is not None
    iso.kill_tree(other)
    assert "sleep 1004" not in inside_commands(client, iso)


def _snapshot_by_namespace(self):
    from sandbox.backends.docker.procs import pid_namespace, stat_of

    return {p: s for p in self._pids_by_namespace() if pid_namespace(p) == self._ns and (s := stat_of(p))}


def test_kill_right_after_spawn_catches_the_late_starting_process(make_iso, client):
    """The process inside starts ~0.1 s after spawn returns; a kill in between must still get it."""
    iso = make_iso()
    proc = iso.spawn(["sleep", "1005"], env={"PATH": iso.search_path}, cwd="/home")
    t0 = time.monotonic()
    iso.kill_tree(proc)
    assert time.monotonic() - t0 < 5 and proc.poll() is not None
    time.sleep(0.5)
    assert "sleep 1005" not in inside_commands(client, iso)


def test_kill_tree_fallback_through_exec(make_iso, client, monkeypatch):
    """When the host cannot see the container's processes (remote/rootless daemon) killing goes
    through `docker exec` by the tree's marker."""
    iso = make_iso()
    monkeypatch.setattr(iso._procs_view, "visible", False)
    proc = iso.spawn(["sh", "-c", "setsid sleep 1011 & sleep 1012"], env={"PATH": iso.search_path}, cwd="/home")
    deadline = time.monotonic() + 10
    while "sleep 1011" not in inside_commands(client, iso):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    iso.kill_tree(proc)
    assert not any(c.startswith("sleep 101") for c in inside_commands(client, iso))


def test_interrupt_reaches_inside_foreground(make_iso):
    iso = make_iso()
    proc = iso.spawn(["sh", "-c", "trap 'echo got-int; exit 7' INT; while :; do sleep 0.05; done"],
                     env={"PATH": iso.search_path}, cwd="/home")
    time.sleep(0.5)
    iso.interrupt(proc)
    out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 7 and b"got-int" in out
    iso.kill_tree(proc)


def test_oom_is_reported(make_iso):
    iso = make_iso(memory_mb=128)
    before = iso.oom_count(None)
    code, out = run(iso, f"{iso.python} -c 'b = bytearray(400 * 2**20); print(len(b))'")
    assert code == 137, out
    assert iso.oom_count(None) > before
    assert run(iso, "echo alive")[1].strip() == "alive"  # the container survived


def test_fork_bomb_contained_and_killed(make_iso, client):
    iso = make_iso(max_pids=40)
    proc = iso.spawn(["sh", "-c", "f() { f | f & }; f; sleep 100"], env={"PATH": iso.search_path}, cwd="/home")
    time.sleep(2)
    assert iso.pids_limit_hits() > 0
    iso.kill_tree(proc)
    assert len(inside_commands(client, iso)) <= 3  # init, cat, forwarder
    assert run(iso, "echo alive")[1].strip() == "alive"


def test_close_removes_container_and_is_idempotent(make_iso, client):
    iso = make_iso()
    proc = iso.spawn(["sleep", "1000"], env={"PATH": iso.search_path}, cwd="/home")
    cid = iso.container_id
    iso.close()
    iso.close()
    with pytest.raises(docker_sdk.errors.NotFound):
        client.api.inspect_container(cid)
    assert proc.poll() is not None  # the docker exec client ended with its container


HARNESS = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sandbox.backends.base import IsolationSpec, SandboxPaths
    from sandbox.backends.docker import DockerIsolation
    from sandbox.config import Limits
    root = Path(sys.argv[1])
    spec = IsolationSpec(SandboxPaths.under(root / "ws", root / "data", root / "rt"), Limits(), sys.argv[2])
    iso = DockerIsolation(spec)
    iso.start()
    iso.spawn(["sleep", "1000"], env={"PATH": iso.search_path}, cwd="/home")
    print(iso.container_id, flush=True)
    time.sleep(1000)
""")


def test_harness_killed_with_sigkill_leaves_no_container(tmp_path, client):
    for d in ("ws", "data", "rt/tmp", "rt/kernels"):
        (tmp_path / d).mkdir(parents=True)
    harness = subprocess.Popen([sys.executable, "-c", HARNESS, str(tmp_path), f"k{uuid.uuid4().hex[:8]}"],
                               stdout=subprocess.PIPE, text=True)
    cid = harness.stdout.readline().strip()
    assert cid, "harness did not start a container"
    client.api.inspect_container(cid)
    harness.send_signal(signal.SIGKILL)
    harness.wait()
    deadline = time.monotonic() + 15
    while cid in dk.sandbox_containers(client):
        assert time.monotonic() < deadline, "container outlived its SIGKILLed harness"
        time.sleep(0.1)


def test_reaper_removes_orphans_of_dead_owners_only(make_iso, client):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_start = dk.process_start(dead.pid)
    dead.wait()
    labels = {dk.LABEL_SANDBOX: "orphan", dk.LABEL_OWNER_PID: str(dead.pid),
              dk.LABEL_OWNER_START: f"{dead_start:.2f}", dk.LABEL_OWNER_HOST: __import__("socket").gethostname()}
    image = dk.choose_image(client, None).name
    hc = client.api.create_host_config(network_mode="none")
    # A container that would outlive its owner: no stdin link, not auto-removed (like a daemon restart).
    orphan = client.api.create_container(image, ["sleep", "1000"], labels=labels, host_config=hc)["Id"]
    alive = dict(labels, **{dk.LABEL_SANDBOX: "alive", dk.LABEL_OWNER_PID: str(os.getpid()),
                            dk.LABEL_OWNER_START: f"{dk.process_start(os.getpid()):.2f}"})
    kept = client.api.create_container(image, ["sleep", "1000"], labels=alive, host_config=hc)["Id"]
    try:
        make_iso()  # every start reaps
        assert orphan not in dk.sandbox_containers(client)
        assert kept in dk.sandbox_containers(client)
    finally:
        for cid in (orphan, kept):
            try:
                client.api.remove_container(cid, force=True)
            except docker_sdk.errors.NotFound:
                pass


def test_twenty_open_close_cycles_leave_nothing(make_iso, client):
    ids = []
    for _ in range(20):
        iso = make_iso()
        ids.append(iso.spec.sandbox_id)
        assert run(iso, "echo ok")[1].strip() == "ok"
        iso.close()
    # Other test sessions may use the daemon at the same time: look only at our sandboxes' labels.
    left = client.api.containers(all=True, filters={"label": dk.LABEL_SANDBOX})
    assert [c["Id"] for c in left if c["Labels"][dk.LABEL_SANDBOX] in ids] == []


def test_unavailable_daemon_explains_how_to_fix(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    ok, why = dk.DockerIsolation.available()
    assert not ok and "setup_system.sh" in why and "bwrap" in why


def test_missing_image_explains_how_to_build(client, tmp_path):
    spec = IsolationSpec(SandboxPaths.under(tmp_path, tmp_path, tmp_path), Limits(), "noimage",
                         image="mle-suite/does-not-exist:1")
    iso = dk.DockerIsolation(spec)
    with pytest.raises(SandboxUnavailable, match="build_local_image"):
        iso.start()
    iso.close()


def test_gpu_request(make_iso):
    """With a GPU and the NVIDIA toolkit the GPU is visible inside; without, a clear error."""
    if not Path("/dev/nvidia0").exists():
        with pytest.raises(SandboxUnavailable, match="nvidia-container-toolkit"):
            make_iso(gpus="0")
        return
    iso = make_iso(gpus="0")
    code, out = run(iso, "ls /dev/nvidia0 && nvidia-smi -L")
    assert code == 0 and "GPU 0" in out, out


def test_agent_cannot_stop_its_own_container(make_iso, client):
    iso = make_iso()
    code, out = run(iso, "kill -9 1; kill -9 $(pgrep -x cat) 2>&1; kill -TERM 1 2>&1; echo done")
    assert "done" in out
    time.sleep(0.5)
    assert client.api.inspect_container(iso.container_id)["State"]["Running"]
    assert run(iso, "echo alive")[1].strip() == "alive"


def test_setuid_bits_set_inside_are_cleared_at_close(make_iso):
    iso = make_iso()
    code, out = run(iso, "cp /bin/true /home/working/su && chmod 6755 /home/working/su && "
                         "stat -c %a /home/working/su")
    assert out.strip() == "6755"  # the owner may set them without capabilities...
    iso.close()
    mode = (Path(iso.spec.host.home) / "working" / "su").stat().st_mode
    assert mode & 0o6000 == 0  # ...so close() takes them away


def test_stderr_merged_in_order(make_iso):
    """stderr=STDOUT must keep the order of writes, like a host pipe (docker exec alone does not)."""
    iso = make_iso()
    code, out = run(iso, "for i in $(seq 30); do echo out$i; echo err$i >&2; done")
    expected = "".join(f"out{i}\nerr{i}\n" for i in range(1, 31))
    assert out == expected


def test_host_bind_maps_the_venv_and_refuses_a_python_under_sandbox_paths(client, monkeypatch):
    """A venv anywhere (even under /tmp or /home, which sandbox mounts hide) is bound at a fixed inside
    path; a Python installation under a sandbox path cannot be, so it is refused with a way out."""
    if not dk.choose_image(client, None).host_bind:
        pytest.skip("the default image here is not host-bind")
    monkeypatch.setattr(os.path, "realpath", lambda p: p)
    monkeypatch.setattr(sys, "prefix", "/tmp/checkout/.venv")
    monkeypatch.setattr(sys, "executable", "/tmp/checkout/.venv/bin/python")
    assert dk.host_bind_mounts()["/tmp/checkout/.venv"] == {"bind": INSIDE_VENV, "mode": "ro"}
    monkeypatch.setattr(sys, "base_prefix", "/home/someone/python")
    monkeypatch.setattr(sys, "executable", "/home/someone/python/bin/python3")
    ok, why = dk.DockerIsolation.available()
    assert not ok and "/home" in why and "docker build" in why
