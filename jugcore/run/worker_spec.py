"""What `jug execute -j N` tells each worker it starts: one JSON document.

A worker is started as ``jug execute --local-worker=SPEC ARGS...``, where ARGS
are the parent's own `jug execute` arguments (the same jugfile, jugdir and
options; the worker ignores ``-j``) and SPEC is::

    {"index": 0, "count": 4, "run_started": 1714000000.25,
     "report": "/tmp/jug-workers-x1y2/0.json", "progress_fd": 5}

``index``: this worker's number, 0 .. count-1 (siblings start at different
points of the ready list); ``run_started``: epoch seconds when the parent
started (failures recorded since are siblings', not retried); ``report``: the
file the worker writes its RunSummary to (``RunSummary.to_json``);
``progress_fd``: the pipe to send progress lines to, or null for none.  A
worker does not check the configuration again: the parent did, and said its
warnings once.

Loaded by every `jug` start (to recognise a worker): json is imported on use.
"""
from typing import NamedTuple, Optional

__all__ = ["WorkerSpec", "OPTION", "is_worker_command", "split_worker_spec"]

OPTION = "--local-worker"


class WorkerSpec(NamedTuple):
    index: int
    count: int
    run_started: float
    report: str
    progress_fd: Optional[int] = None

    def to_json(self):
        import json

        return json.dumps(self._asdict())

    @classmethod
    def from_json(cls, text):
        import json

        fields = json.loads(text)
        return cls(int(fields["index"]), int(fields["count"]), float(fields["run_started"]),
                   str(fields["report"]), fields.get("progress_fd"))

    def command(self, args):
        """The `jug` arguments that start this worker on the parent's ``args``."""
        return ["execute", f"{OPTION}={self.to_json()}", *args]


def is_worker_command(argv):
    """True for the `jug` arguments of a worker that `jug execute -j N` started."""
    return len(argv) >= 2 and argv[0] == "execute" and argv[1].startswith(OPTION + "=")


def split_worker_spec(args):
    """`jug execute`'s arguments: (WorkerSpec or None, the rest)."""
    if args and args[0].startswith(OPTION + "="):
        return WorkerSpec.from_json(args[0][len(OPTION) + 1:]), args[1:]
    return None, args
