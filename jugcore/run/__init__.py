"""Running a jugfile: importing it in passes, scheduling its tasks, asking where they stand."""
