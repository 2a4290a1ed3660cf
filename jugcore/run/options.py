"""What a `jug execute` worker is told (ExecuteOptions), and what stop policies
see of it (WorkerState)."""
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

__all__ = ["ExecuteOptions", "WorkerState"]


@dataclass
class ExecuteOptions:
    keep_going: bool = False
    keep_failed: bool = False
    wait_cycle_time: float = 12.0
    nr_wait_cycles: int = 150
    aggressive_unload: bool = False
    debug: bool = False
    pdb: bool = False
    select: Optional[Callable[[str], bool]] = None
    selection: str = ""  # the --name/--pattern the user typed, for messages
    worker_index: int = 0  # with -j N: this worker's number, 0 .. N-1
    worker_count: int = 1
    check_environment: bool = True  # honour the stop file and JUG_MAX_* limits
    run_records: bool = True  # results stored with Store.dump_recorded (else dump)
    # Epoch seconds this run began (with -j N, when the parent started): failures
    # recorded before it are retried (unless kept by --keep-failed), later ones are not.
    run_started: float = field(default_factory=time.time)

    @property
    def wait_budget(self):
        """Seconds to wait for other workers without any progress before giving up."""
        return self.wait_cycle_time * self.nr_wait_cycles


@dataclass
class WorkerState:
    """What stop policies see (``jug_should_stop``)."""

    executed: int
    started: float  # time.monotonic() when the worker started
    jugfile_dir: str
    store: object
    check_environment: bool = True  # False under --no-check-environment
