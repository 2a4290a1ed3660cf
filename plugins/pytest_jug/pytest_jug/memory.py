"""How much memory a call needs at its peak: for a store's tests that a big
result is loaded without copies (the peak is the array, not twice it)."""
import tracemalloc

__all__ = ["traced_peak"]


def traced_peak(call):
    """``(call(), peak)``: peak is the most memory Python and numpy held at once
    during the call, in bytes, beyond what they held before it (tracemalloc)."""
    tracemalloc.start()
    try:
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak
