"""The clock that lease ages are measured with.

A lease lapses on the server's clock (or another host's), which keeps going
while this machine is suspended; so must ours, or a worker waking from sleep
would believe leases it lost are still fresh.  Linux's CLOCK_BOOTTIME and
macOS's CLOCK_MONOTONIC count through suspend; elsewhere we fall back on
``time.monotonic`` (which on Linux and macOS does not).
"""
import functools
import sys
import time

__all__ = ["lease_clock"]


def _through_suspend():
    name = "CLOCK_BOOTTIME" if sys.platform.startswith("linux") else (
        "CLOCK_MONOTONIC" if sys.platform == "darwin" else None)
    clock_id = getattr(time, name, None) if name else None
    if clock_id is None:
        return time.monotonic
    try:
        time.clock_gettime(clock_id)
    except OSError:  # a kernel without it
        return time.monotonic
    return functools.partial(time.clock_gettime, clock_id)


#: Seconds, from an arbitrary start, counting while the machine sleeps where the platform can.
lease_clock = _through_suspend()
