"""Jug 2's ``jug.hooks.execution``: time every task a worker runs and print the
mean per task name after `jug execute`'s table (``register_time_tasks()`` in a
jugfile)."""
import time
from collections import defaultdict

from jugcore.builtin.jug2_hooks import register_hook_once

__all__ = ["TimeTasks", "register_time_tasks"]


class TimeTasks:
    """Seconds each task took, by task name: ``start(task)`` before it runs,
    ``stop(task)`` after, ``print_summary()`` at the end."""

    def __init__(self):
        self.times = defaultdict(list)
        self.start_time = None

    def start(self, task):
        self.start_time = time.perf_counter()

    def stop(self, task):
        self.times[task.name].append(time.perf_counter() - self.start_time)

    def print_summary(self):
        print("TIMES")
        print("-----\n")
        for name, seconds in self.times.items():
            print(f"{name:20} {sum(seconds) / len(seconds):.2f}s ({len(seconds)} tasks)")


def register_time_tasks():
    """Time each task of this `jug execute` and print the means after its table
    (registered once, however often the jugfile is imported)."""
    timer = TimeTasks()
    register_hook_once("execute.task-pre-execute", "register_time_tasks", timer.start)
    register_hook_once("execute.task-executed1", "register_time_tasks", timer.stop)
    register_hook_once("execute.finished_post_status", "register_time_tasks", timer.print_summary)
