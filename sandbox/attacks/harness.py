"""Attacks on the harness itself: agent code that plants links, setuid files, floods and sparse files
so that host-side code (copying, validating, clearing, writing helper files, receiving uploads and
kernel messages) reads the answers, writes or wipes host files, or runs out of memory or disk."""

from __future__ import annotations

import os
import shlex
import stat
import threading
import time
from pathlib import Path

import psutil

from sandbox.attacks.base import AttackContext, Outcome, py, still_works
from sandbox.config import SandboxConfig
from sandbox.core import Sandbox, open_sandbox
from sandbox.errors import SandboxPathError

HARNESS_MEMORY_BOUND_MB = 160  # growth of the harness's RSS allowed while an attack floods it


def _victim_untouched(ctx: AttackContext) -> bool:
    return sorted(p.name for p in ctx.victim.iterdir()) == ["keep.txt"] and \
        (ctx.victim / "keep.txt").read_text() == "keep"


def answers_link(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """submission.csv linked to the answers' host path, with a decoy where a path-mapping harness
    would look (the link target read as an inside path)."""
    sub = f"{sb.paths.submission}/submission.csv"
    sb.shell.run(f"ln -sfn {shlex.quote(str(ctx.answers))} {sub}; mkdir -p {ctx.private_dir} 2>/dev/null; "
                 f"printf 'id,y\\n1,0\\n' > {ctx.answers} 2>/dev/null; true")
    check = sb.validate()
    leaked = ctx.secret in check.message
    try:
        copy = sb.copy_out("submission/submission.csv", ctx.root / "copied.csv")
        leaked |= ctx.secret in copy.read_text()
    except SandboxPathError:
        pass
    try:
        leaked |= ctx.secret in sb.read_file("submission/submission.csv")
    except SandboxPathError:
        pass
    return Outcome(not leaked and not check.valid, f"validate: {check.message[:120]}")


def submission_dir_link(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """/home/submission replaced by a link to a host dir, then the harness clears and writes it."""
    sb.shell.run(f"rm -rf {sb.paths.submission} && ln -s {shlex.quote(str(ctx.victim))} {sb.paths.submission}")
    sb.clear("submission")
    src = ctx.root / "best.csv"
    src.write_text("id,y\n1,0\n")
    sb.copy_in(src, "submission/submission.csv")
    sb.write_file("submission/note.txt", "x")
    real_dir = Path(sb.host_paths.submission)
    return Outcome(_victim_untouched(ctx) and real_dir.is_dir() and not real_dir.is_symlink(),
                   f"victim dir: {sorted(p.name for p in ctx.victim.iterdir())}")


def runtime_links(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """Links at the runtime dir, logs/images and validate_submission.sh, then the harness runs
    commands, saves a kernel image and a new sandbox rewrites the helper script."""
    v = shlex.quote(str(ctx.victim))
    rt = sb.paths.runtime
    out = sb.shell.run(
        f"for d in shell grader kernels; do ln -sfn {v} {rt}/$d/x 2>&1; ln -sfn {v} {rt}/$d 2>&1; done; "
        f"ln -sfn {v} {rt}/shell 2>&1; rm -rf {sb.paths.logs}/images; ln -sfn {v} {sb.paths.logs}/images; "
        f"ln -sfn {v}/cron.sh {sb.paths.home}/validate_submission.sh; echo planted").output
    sb.shell.run("echo 'payload' > /dev/null")
    sb.kernel.execute("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")
    with open_sandbox(SandboxConfig(data_dir=ctx.data_dir, workspace=Path(sb.host_paths.home), backend=sb.backend,
                                    limits=ctx.limits)) as again:
        script = Path(again.host_paths.home) / "validate_submission.sh"
        rewritten = script.is_file() and not script.is_symlink()
    return Outcome(_victim_untouched(ctx) and rewritten, out.strip()[-200:])


def setuid_copy(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """`cp bash rootsh; chmod 4755 rootsh` in the workspace and /tmp: no setuid program for the host."""
    out = sb.shell.run(f"cp \"$(command -v bash)\" {sb.paths.working}/rootsh && chmod 6755 {sb.paths.working}/rootsh; "
                       f"stat -c %a {sb.paths.working}/rootsh").output
    host = Path(sb.host_paths.working) / "rootsh"
    st = host.lstat()
    nosuid = bool(os.statvfs(host.parent).f_flag & os.ST_NOSUID)
    live = bool(st.st_mode & (stat.S_ISUID | stat.S_ISGID)) and not nosuid
    root_owned = live and st.st_uid == 0
    sb.close()  # at close every setid bit must be gone from the workspace copy
    left = bool(host.lstat().st_mode & (stat.S_ISUID | stat.S_ISGID))
    return Outcome(not root_owned and not live and not left,
                   f"inside mode {out.strip()[-4:]}; host: nosuid mount={nosuid}, setid usable={live}, after close={left}")


def root_only_files(sb: Sandbox, ctx: AttackContext) -> Outcome:
    out = sb.shell.run(f"cat {sb.paths.data}/root_only.txt; cat /etc/docker/key.json /etc/shadow 2>&1 | head -c 300",
                       timeout=20).output
    key = Path("/etc/docker/key.json")
    leaked = ctx.secret in out or (key.exists() and os.access(key, os.R_OK) and key.read_text()[:40] in out)
    return Outcome(not leaked, out.strip()[-200:])


def nested_userns(sb: Sandbox, ctx: AttackContext) -> Outcome:
    out = py(sb, "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                 "print('UNSHARED' if libc.unshare(0x10000000) == 0 else 'refused ' + os.strerror(ctypes.get_errno()))")
    out += sb.shell.run("unshare -U -r id 2>&1 && echo UNSHARED-CLI").output
    return Outcome("UNSHARED" not in out, out.strip()[-200:])


def disk_quota(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """Fill the workspace past the quota with many 8 MiB files, then /tmp with many small files."""
    limit_mb = ctx.limits.disk_mb or 0
    r = sb.shell.run(f"for i in $(seq {limit_mb // 8 + 8}); do head -c 8M /dev/zero > {sb.paths.working}/f$i || break; done",
                     timeout=60)
    used = sum(p.stat().st_size for p in Path(sb.host_paths.working).glob("f*"))
    sb.shell.run(f"rm -f {sb.paths.working}/f*", timeout=60)
    r2 = sb.shell.run("python3 -c 'import os\nt = os.environ[\"TMPDIR\"]\n"
                      f"for i in range({ctx.limits.max_files * 2}): open(f\"{{t}}/n{{i}}\", \"w\")'", timeout=60)
    ok, _ = still_works(sb)
    said = "disk quota exceeded" in r.output and "disk quota exceeded" in r2.output
    sb.shell.run('rm -f "$TMPDIR"/n*', timeout=60)
    return Outcome(bool(limit_mb) and used <= limit_mb * 2**20 and said and ok,
                   f"wrote {used / 2**20:.0f} MiB (quota {limit_mb}); told the agent: {said}; usable after: {ok}")


class _PeakRSS:
    """Samples the harness's RSS in a thread: growth over the baseline, in MiB."""

    def __enter__(self) -> _PeakRSS:
        self._proc = psutil.Process()
        self.base = self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / 2**20


UPLOADER = """
import http.client, json, os, socket, sys, time
size = int(sys.argv[1])
def post(body_iter, length, ctype):
    c = http.client.HTTPConnection('localhost', 5000, timeout=120)
    c.putrequest('POST', '/validate'); c.putheader('Content-Type', ctype); c.putheader('Content-Length', str(length))
    c.endheaders()
    try:
        for chunk in body_iter: c.send(chunk)
    except OSError: pass
    r = c.getresponse(); return r.status
def big():
    yield b'--B\\r\\nContent-Disposition: form-data; name="file"; filename="s.csv"\\r\\n\\r\\nid,y\\n'
    for _ in range(size // 2**20): yield b'1,0\\n' * (2**20 // 4)
    yield b'\\r\\n--B--\\r\\n'
head = b'--B\\r\\nContent-Disposition: form-data; name="file"; filename="s.csv"\\r\\n\\r\\nid,y\\n'
length = len(head) + (size // 2**20) * 2**20 + len(b'\\r\\n--B--\\r\\n')
t = time.time(); s1 = post(big(), length, 'multipart/form-data; boundary=B'); t1 = time.time() - t
parts = b''.join(b'--B\\r\\nContent-Disposition: form-data; name="f"\\r\\n\\r\\n1\\r\\n' for _ in range(200000)) + b'--B--\\r\\n'
t = time.time(); s2 = post([parts], len(parts), 'multipart/form-data; boundary=B'); t2 = time.time() - t
print('STATUS', s1, s2, round(t1, 1), round(t2, 2))
"""


def upload_flood(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """A large streamed upload, then 200k multipart parts, to the validation server."""
    url_note = "" if sb.backend != "local" else " (local: TCP)"
    sb.write_file("working/up.py", UPLOADER.replace("'localhost', 5000", _host_port(sb)))
    with _PeakRSS() as rss:
        r = sb.shell.run(f"python3 {sb.paths.working}/up.py {256 * 2**20}", timeout=120)
    fields = r.output.split("STATUS", 1)[-1].split()
    ok = len(fields) == 4 and fields[0] == "200" and fields[1] == "400" and float(fields[3]) < 10
    return Outcome(ok and rss.growth_mb < HARNESS_MEMORY_BOUND_MB,
                   f"statuses/times {fields}{url_note}; harness RSS +{rss.growth_mb:.0f} MiB")


def _host_port(sb: Sandbox) -> str:
    hostport = sb.validation_url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = hostport.partition(":")
    return f"{host!r}, {port}"


FORGER = """
from ipykernel.kernelbase import Kernel
k = Kernel.instance() if Kernel.initialized() else get_ipython().kernel
parent = k.get_parent("shell")
blob = "x" * 200_000
for i in range(2000):
    k.session.send(k.iopub_socket, "execute_result", {"data": {"text/plain": blob}, "metadata": {},
                   "execution_count": i}, parent=parent)
for bad in ("not a dict", {"name": 3, "text": ["list"]}, {"data": "str"}, {"traceback": 5, "ename": None}):
    for kind in ("stream", "execute_result", "display_data", "error"):
        k.session.send(k.iopub_socket, kind, bad, parent=parent)
print("forged")
"""


def kernel_flood(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """A cell forges 2000 execute_result messages of 200 kB (400 MB) and malformed ones."""
    with _PeakRSS() as rss:
        r = sb.kernel.execute(FORGER, timeout=120)
    after = sb.kernel.execute("print(6 * 7)", timeout=60)
    # Under a flood the bounded queues may drop messages (the forged ones, maybe "forged" itself):
    # what matters is that the harness stays small, returns, and the kernel is usable after.
    ok = len(r.results) <= 50 and after.stdout.strip() == "42"
    return Outcome(ok and rss.growth_mb < HARNESS_MEMORY_BOUND_MB,
                   f"results kept {len(r.results)}; error {r.error and r.error.ename}; "
                   f"harness RSS +{rss.growth_mb:.0f} MiB; kernel usable after: {after.stdout.strip() == '42'}")


def sparse_submission(sb: Sandbox, ctx: AttackContext) -> Outcome:
    """A sparse submission (header, then a hole up to the file-size limit) checked and copied each step."""
    size_mb = max((ctx.limits.file_size_mb or 64) - 1, 1)
    sb.shell.run(f"printf 'id,y\\n' > {sb.paths.submission}/submission.csv && "
                 f"truncate -s {size_mb}M {sb.paths.submission}/submission.csv")
    t0 = time.monotonic()
    check = sb.validate()
    copy = sb.copy_out("submission/submission.csv", ctx.root / "sparse-copy.csv")
    seconds = time.monotonic() - t0
    allocated = copy.stat().st_blocks * 512
    return Outcome(allocated < 2**20 and seconds < 10,
                   f"{size_mb} MiB sparse: copy allocates {allocated} bytes, {seconds:.2f} s; {check.message[:80]}")
