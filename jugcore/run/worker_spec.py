"""How a worker of `jug execute -j N` is recognised on its command line.

A worker is started as ``jug execute --local-worker=SPEC ARGS...``: SPEC is one
JSON document (jugcore.run.local_workers.WorkerSpec says what is in it), ARGS
are the parent's own `jug execute` arguments.  Loaded by every `jug` start (a
worker skips the configuration check, which its parent made): nothing heavy here.
"""
__all__ = ["OPTION", "is_worker_command", "split_worker_spec"]

OPTION = "--local-worker"


def is_worker_command(argv):
    """True for the `jug` arguments of a worker that `jug execute -j N` started."""
    return len(argv) >= 2 and argv[0] == "execute" and argv[1].startswith(OPTION + "=")


def split_worker_spec(args):
    """`jug execute`'s arguments: (the worker spec's JSON text, or None; the rest)."""
    if args and args[0].startswith(OPTION + "="):
        return args[0][len(OPTION) + 1:], args[1:]
    return None, args
