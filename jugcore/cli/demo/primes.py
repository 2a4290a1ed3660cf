"""The jugfile `jug demo` writes: which numbers up to 200 are prime?

Each number is a task of its own; the short sleep stands in for real work, so
that starting a second `jug execute` visibly halves the time.
"""
import time

from jug import TaskGenerator


@TaskGenerator
def is_prime(n):
    time.sleep(0.1)
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))


@TaskGenerator
def write_report(numbers, flags):
    primes = [n for n, flag in zip(numbers, flags) if flag]
    with open("output.txt", "w") as out:
        out.write(f"{len(primes)} primes up to {numbers[-1]}: {primes}\n")
    return len(primes)


numbers = list(range(1, 201))
flags = [is_prime(n) for n in numbers]
report = write_report(numbers, flags)
