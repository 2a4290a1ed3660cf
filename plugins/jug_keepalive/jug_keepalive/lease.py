"""How long a lock lives without a heartbeat, and where that is said.

The lease of this worker's locks comes from the jugdir (``?lease=SECONDS``),
else from the setting ``[keepalive] lease`` (``JUG_KEEPALIVE_LEASE`` in the
environment, or a jugrc), whose default is :data:`DEFAULT_LEASE`.  Each lock
records the lease its holder promised to renew, and the others judge it by
that, so workers started with different leases still agree.
"""
from jugcore.api import JugError

DEFAULT_LEASE = 300.0  # seconds; a heartbeat every 100 s
JUG27_LEASE = 1800.0  # Jug 2.7 calls a keepalive lock untouched for 30 minutes failed
LEASE_SETTING = "keepalive.lease"
BEATS_PER_LEASE = 3  # a lock is refreshed this many times per lease


def parse_location(raw, location, configured_lease=DEFAULT_LEASE):
    """(directory, lease in seconds) from ``location``, the part of the jugdir ``raw``
    after ``file_keepalive:``; ``configured_lease`` applies unless it says ``?lease=``."""
    path, _, query = location.partition("?")
    if not path:
        raise JugError(f"'{raw}' names no directory: write file_keepalive:PATH (e.g. file_keepalive:run.jugdata)")
    lease = None
    for item in filter(None, query.split("&")):
        name, _, value = item.partition("=")
        if name != "lease":
            raise JugError(f"unknown option '{item}' in jugdir '{raw}': file_keepalive takes only ?lease=SECONDS")
        lease = _seconds(value, f"?lease= in jugdir '{raw}'")
    if lease is None:
        lease = _seconds(configured_lease, f"the setting {LEASE_SETTING} (JUG_KEEPALIVE_LEASE, or [keepalive] "
                                           "lease in a jugrc)")
    return path, lease


def _seconds(text, where):
    try:
        seconds = float(text)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise JugError(f"{where} must be a positive number of seconds, not '{text}' (default {DEFAULT_LEASE:g})")
    return seconds
