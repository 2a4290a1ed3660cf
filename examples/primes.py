"""Which numbers below 5,000 are prime, and how many are there?

    jug execute primes.py -j 2      # two workers share the work
    jug status primes.py
"""
from jug import TaskGenerator


@TaskGenerator
def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))


@TaskGenerator
def count_true(flags):
    return sum(flags)


@TaskGenerator
def primes_in(numbers, flags):
    return [n for n, flag in zip(numbers, flags) if flag]


numbers = list(range(5000))
flags = [is_prime(n) for n in numbers]
total = count_true(flags)
primes = primes_in(numbers, flags)
