"""Who holds a lock, and whether that process still exists.

A lock records host, pid, the machine's boot id and the process's start time,
on a line Jug 2.7 ignores.  A lock written on this host during this boot by
a process that no longer exists (or whose pid now belongs to a younger
process) is stale.  Anything else is presumed alive: another host's lock is
not ours to judge.
"""
import os
import time
from datetime import datetime

from jugcore.api import HOSTNAME as _HOST

__all__ = ["lock_text", "is_stale"]

_MARK = "jugcore-owner"


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


_BOOT_ID = _read("/proc/sys/kernel/random/boot_id")


def _pid_namespace():
    # Containers share the host's boot id (and, with host networking, its
    # name) but not its pids: a pid means something only in its namespace.
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return None


_PID_NAMESPACE = _pid_namespace()


def _start_time(pid):
    """The process's start time in clock ticks since boot, or None if it does not exist."""
    stat = _read(f"/proc/{pid}/stat")
    if stat is None:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


_cached = (None, b"")  # (second, text): the text changes once a second


def _forget_cached_text():
    global _cached
    _cached = (None, b"")


if hasattr(os, "register_at_fork"):  # a forked child has another pid: rebuild the text
    os.register_at_fork(after_in_child=_forget_cached_text)


def lock_text():
    """The lock file's content for this process."""
    global _cached
    second = int(time.time())
    if _cached[0] != second:
        pid = os.getpid()
        created = datetime.fromtimestamp(second).strftime("Lock created on %Y-%m-%d (%Hh%M.%S)")
        text = (
            f"PID {pid} on HOSTNAME {_HOST}\n{created}\n"
            f"{_MARK} host={_HOST} pid={pid} boot={_BOOT_ID} start={_start_time(pid)} "
            f"pidns={_PID_NAMESPACE}\n"
        )
        _cached = (second, text.encode())
    return _cached[1]


def _owner_fields(text):
    for line in text.splitlines():
        if line.startswith(_MARK):
            return dict(item.split("=", 1) for item in line.split()[1:] if "=" in item)
    return None


def is_stale(text):
    """True if the lock ``text`` was written by a dead process of this host and boot."""
    fields = _owner_fields(text)
    if not fields or _BOOT_ID is None:
        return False
    if fields.get("host") != _HOST or fields.get("boot") != _BOOT_ID:
        return False
    if fields.get("pidns") != str(_PID_NAMESPACE):
        return False
    try:
        pid = int(fields.get("pid", ""))
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    started = _start_time(pid)
    return started is None or started != fields.get("start")


def host_and_pid(text):
    """'HOST:PID' of the lock ``text``'s writer, for messages; "" if it does not say."""
    fields = _owner_fields(text or "") or {}
    return f"{fields['host']}:{fields['pid']}" if "host" in fields and "pid" in fields else ""


def describe(text):
    """'host pid N' for status displays."""
    fields = _owner_fields(text or "") or {}
    if fields:
        return f"{fields.get('host')} pid {fields.get('pid')}"
    first = (text or "").splitlines()[:1]
    return first[0] if first else "unknown owner"
