"""Reads the results of primes.py from its jugdir, as a script or notebook would."""
import jug

jug.init("primes.py", "primes.jugdata")
import primes  # the module jug.init registered

print(f"{jug.value(primes.total)} primes below 5000; the last five: {jug.value(primes.primes)[-5:]}")
