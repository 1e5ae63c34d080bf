"""The seccomp filter of the bwrap backend (passed as `bwrap --seccomp FD`).

Allow by default, deny what agent code never needs and what widens the kernel's attack surface:
new user namespaces (clone/unshare with CLONE_NEWUSER; clone3 answers ENOSYS so libc falls back to
clone, whose flags can be inspected), setns, every mount syscall, keyrings, bpf, perf events,
userfaultfd, kernel modules and kexec, file handles (open_by_handle_at), TIOCSTI terminal injection,
and a few administrative calls. Docker applies its own default profile, which covers the same ground.

Built with libseccomp (through the `pyseccomp` ctypes binding), so syscall numbers and the
architecture check are right on every architecture libseccomp knows."""

from __future__ import annotations

import errno
import logging
import os

import pyseccomp as sc

log = logging.getLogger(__name__)

CLONE_NEWUSER = 0x10000000
TIOCSTI = 0x5412
DENIED = (
    "setns", "mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
    "fspick", "mount_setattr", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
    "swapoff", "acct", "syslog", "quotactl", "quotactl_fd", "iopl", "ioperm", "lookup_dcookie",
    "open_by_handle_at", "name_to_handle_at", "vhangup", "settimeofday", "clock_settime", "clock_adjtime",
    "adjtimex", "chroot",
)


def _rule(f: sc.SyscallFilter, action: int, name: str, *args: sc.Arg) -> None:
    try:
        f.add_rule(action, name, *args)
    except (RuntimeError, ValueError, OSError) as exc:  # a syscall this architecture lacks
        log.debug("seccomp: no rule for %s: %s", name, exc)


def filter_program() -> bytes:
    """The compiled BPF program (what `bwrap --seccomp` reads)."""
    f = sc.SyscallFilter(defaction=sc.ALLOW)
    deny = sc.ERRNO(errno.EPERM)
    for name in DENIED:
        _rule(f, deny, name)
    _rule(f, sc.ERRNO(errno.ENOSYS), "clone3")
    _rule(f, deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
    _rule(f, deny, "unshare", sc.Arg(0, sc.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
    _rule(f, deny, "ioctl", sc.Arg(1, sc.MASKED_EQ, 0xFFFFFFFF, TIOCSTI))
    with os.fdopen(os.memfd_create("mle-seccomp-build", 0), "w+b") as out:
        f.export_bpf(out)
        out.seek(0)
        return out.read()


def program_fd(program: bytes) -> int:
    """A fresh fd holding the program from its start (bwrap reads it to the end, so one per spawn)."""
    fd = os.memfd_create("mle-seccomp", 0)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
