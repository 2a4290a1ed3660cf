"""Times and durations as the commands print them."""
import time

__all__ = ["when", "seconds"]


def when(epoch) -> str:
    """Local time, to the second: ``2026-12-06 20:29:45``."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def seconds(s) -> str:
    """A duration with the unit that reads well: ``850 us``, ``12.3 ms``, ``4.20 s``, ``3.5 min``, ``2.10 h``."""
    if s < 0.001:
        return f"{s * 1e6:.0f} us"
    if s < 1:
        return f"{s * 1000:.1f} ms"
    if s < 120:
        return f"{s:.2f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.2f} h"
