"""Which jugdirs `jug test-jug` checks: those the store plugins name
(``jug_self_check_jugdirs``), for every installed scheme."""
from typing import NamedTuple

from jugcore.plugins import call_each
from jugcore.stores.contract import StoreBackend, collect_backends, parse_jugdir
from jugcore.stores.self_check import SelfCheckJugdir

__all__ = ["Target", "targets"]


class Target(NamedTuple):
    scheme: str
    backend: StoreBackend
    check: SelfCheckJugdir


def targets(app):
    """One Target per jugdir to check, in scheme order; a scheme no plugin names
    a jugdir for has one whose ``skipped`` says so."""
    backends = collect_backends(app.pm)
    named = {}
    for _, declared in call_each(app.pm, "jug_self_check_jugdirs", settings=app.settings):
        for check in declared or ():
            named.setdefault(parse_jugdir(check.jugdir).scheme, []).append(check)
    found = []
    for scheme, (backend, plugin) in sorted(backends.items()):
        checks = named.get(scheme) or [SelfCheckJugdir(
            f"{scheme}:", skipped=f"{app.pm.describe_plugin(plugin)} names no jugdir to check it on "
                                  "(hook jug_self_check_jugdirs)")]
        found.extend(Target(scheme, backend, check) for check in checks)
    return found
