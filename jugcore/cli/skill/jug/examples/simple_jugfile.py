"""A first jugfile: word counts of some text files, and their total.

    jug execute simple_jugfile.py -j 2
    jug status simple_jugfile.py
"""
from jug import TaskGenerator


@TaskGenerator
def count_words(path):
    with open(path) as f:
        return sum(len(line.split()) for line in f)


@TaskGenerator
def add_up(counts):
    return sum(counts)


paths = ["chapter1.txt", "chapter2.txt", "chapter3.txt"]
counts = [count_words(p) for p in paths]  # three independent tasks, run in parallel
total = add_up(counts)  # waits for all three
