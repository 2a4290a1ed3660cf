"""Where `jug execute`'s scheduler lived; its names, kept for code that imports
them from here (``jugcore.api`` and the old ``jugcore.execution`` among them).

Now: jugcore.run.worker (Worker: the passes), .task_runner (one task: lock ->
run -> store), .graph (DependencyGraph), .options (ExecuteOptions, WorkerState),
.summary (RunSummary), .failures (TaskFailure, LostLease).
"""
from jugcore.run.failures import LostLease, TaskFailure
from jugcore.run.options import ExecuteOptions, WorkerState
from jugcore.run.summary import RunSummary
from jugcore.run.worker import Worker

__all__ = ["ExecuteOptions", "RunSummary", "WorkerState", "Worker", "TaskFailure", "LostLease"]
