"""What one check of `jug test-jug` found, as the line it prints."""
from typing import NamedTuple

PASS, FAIL, SKIP = "pass", "FAIL", "skip"


class Outcome(NamedTuple):
    status: str  # PASS, FAIL or SKIP
    detail: str
    report: str = ""  # the long story (pytest's output), shown with --verbose

    def line(self, label):
        detail = f"skipped: {self.detail}" if self.status == SKIP else self.detail
        return f"{self.status:<5} {label}: {detail}"
