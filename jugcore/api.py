"""The one namespace for plugin authors: everything a store or command plugin
needs, under names that keep their meaning across releases.

Import from here (``from jugcore.api import Store, StoreBackend, hookimpl``);
every other ``jugcore`` module is private and may move (as ``pytest`` is
public over ``_pytest``).  Names load on first use, so a plugin's hook module
importing this costs a `jug` command's start nothing.

Stores: :class:`Store`, :class:`Lock`, :class:`LockInfo`, :class:`StoreBackend`
(declared by ``jug_store_backends``), :class:`JugdirURL`, the lock states
``LOCKED`` / ``FAILED`` / ``DEAD``, :func:`open_store`; :class:`SelfCheckJugdir`
(declared by ``jug_self_check_jugdirs``, for `jug test-jug`).
Results: :func:`encode` / :func:`decode` (Jug 2.7's zlib stream or raw
``.npy``; :func:`decode_pieces` for a stream in pieces, inflated as read),
:func:`encode_native` / :func:`decode_native` (the same as bytes of a file),
:func:`native_parts` / :func:`load_native` (the same, written from and read
into a big array's own memory), :func:`encode_raw` / :func:`decode_raw`,
:class:`CorruptResult`.
Run records: :class:`RunRecord` (how a result was made, kept by ``Store.dump_recorded``),
:func:`read_run_records` (what readers call; see docs/plugins/run-records.md).
Failures and owners: :class:`FailureRecord`, :func:`may_retry`, ``HOSTNAME``,
:func:`lease_clock`; :class:`Owner`, :func:`this_owner` and :func:`owner_alive`
(whether a lock's holder still runs, on any OS).
Files: :func:`replacing` (create next to user data safely), :func:`remove_dead_temps`.
Errors and output: :class:`JugError`, :class:`LeaseLost`, :class:`StoreWriteError`,
:func:`warn`, :func:`redact` (mask passwords), :func:`password_in`.
Settings and hooks: :data:`hookimpl`, :func:`get_setting`, :class:`ConfigSource`,
:class:`ConfigEntry`, :class:`FileOrigin`, :class:`EnvOrigin`, :class:`SettingsRegistry`;
what observer hooks receive: :class:`RunSummary`, :class:`WorkerState`.
Where tasks stand: :func:`count_states` (a :class:`StatusCounts`, as `jug status` counts).
Packaging: :func:`lazy_names` (a package whose names load on first use).
Apps (plugins + configuration, as `jug` builds them; for tests and tools):
:func:`make_app`, :class:`App` (``app.open_store(jugdir)``, ``app.backend_of(jugdir)``).
Commands: :func:`jugfile_command`, :class:`JugfileContext`, ``BARRIER_NOTE``,
:class:`Task`, :class:`Tasklet`, :func:`value`, :func:`downstream`,
:func:`remove_results`.
"""
from jugcore.lazy import lazy_names

_HOMES = {  # module -> the public names it serves
    "jugcore.stores.contract": ("Store", "Lock", "LockInfo", "StoreBackend", "JugdirURL", "LOCKED", "FAILED",
                                "DEAD", "open_store", "parse_jugdir"),
    "jugcore.formats.encoding": ("encode", "decode", "decode_pieces", "encode_native", "decode_native",
                                 "native_parts", "load_native", "encode_raw", "decode_raw", "CorruptResult"),
    "jugcore.stores.failure_record": ("FailureRecord", "may_retry"),
    "jugcore.stores.run_record": ("RunRecord", "read_run_records"),
    "jugcore.stores.record_queue": ("RecordQueue",),
    "jugcore.stores.self_check": ("SelfCheckJugdir", "fresh_jugdir", "remove_leftovers"),
    "jugcore.host": ("HOSTNAME",),
    "jugcore.owners": ("Owner", "this_owner", "owner_alive"),
    "jugcore.leaseclock": ("lease_clock",),
    "jugcore.temp_files": ("replacing", "write_replacing", "remove_dead_temps"),
    "jugcore.errors": ("JugError", "LeaseLost", "StoreWriteError", "warn"),
    "jugcore.redact": ("redact", "password_in"),
    "jugcore.plugins": ("hookimpl",),
    "jugcore.config": ("ConfigSource", "ConfigEntry", "FileOrigin", "EnvOrigin", "SettingsRegistry"),
    "jugcore.app": ("get_setting", "Settings", "App", "make_app"),
    "jugcore.run.summary": ("RunSummary",),
    "jugcore.run.states": ("count_states", "StatusCounts"),
    "jugcore.run.options": ("WorkerState",),
    "jugcore.cli.jugfile_command": ("jugfile_command", "JugfileContext", "BARRIER_NOTE"),
    "jugcore.model.task": ("Task", "Tasklet", "value"),
    "jugcore.run.invalidation": ("downstream", "remove_results"),
    "jugcore.lazy": ("lazy_names",),
}

__all__, __getattr__, __dir__ = lazy_names(globals(), _HOMES)
