"""A pipeline whose shape depends on a result: split a data file into as many
chunks as it needs, process the chunks in parallel, then combine them.

    jug execute pipeline_jugfile.py -j 8
"""
import os

from jug import TaskGenerator, bvalue
from jug import mapreduce
from jug.utils import timed_path

CHUNK = 10_000


@TaskGenerator
def count_lines(path):
    with open(path) as f:
        return sum(1 for _ in f)


@TaskGenerator
def summarise(path, start, stop):
    values = []
    with open(path) as f:
        for i, line in enumerate(f):
            if start <= i < stop:
                values.append(float(line))
    return {"n": len(values), "sum": sum(values), "max": max(values, default=float("-inf"))}


def merge(a, b):  # mapreduce's reducer: a plain function, associative
    return {"n": a["n"] + b["n"], "sum": a["sum"] + b["sum"], "max": max(a["max"], b["max"])}


@TaskGenerator
def report(summary, out_path):
    tmp = out_path + ".tmp"
    with open(tmp, "w") as out:
        out.write(f"{summary['n']} values, mean {summary['sum'] / max(summary['n'], 1)}, max {summary['max']}\n")
    os.replace(tmp, out_path)  # a killed worker leaves no half-written report
    return out_path


data = timed_path("measurements.txt")  # a new modification time means new results
n_lines = bvalue(count_lines(data))  # the import waits here until the count exists
parts = [summarise(data, start, start + CHUNK) for start in range(0, n_lines, CHUNK)]
summary = mapreduce.reduce(merge, parts)  # a tree of tasks, each merging a few parts
report(summary, "report.txt")
