"""What a jugfile builds: tasks, tasklets, barriers, compound tasks, mapreduce and the helpers jugfiles call."""
