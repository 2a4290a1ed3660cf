"""The floor for `jug execute` on trivial tasks: the same file operations per
task, in a plain Python loop, with no task framework around them.

Per task: create ``locks/<h>.lock`` with O_CREAT|O_EXCL and write one line,
pickle + zlib the result, write it to a temp file, fdatasync it, rename it to
``<dir>/<h[:2]>/<h[2:]>``, unlink the lock.

Usage: python plain_loop.py JUGDIR N    (prints the loop's own seconds)
"""
import hashlib
import os
import pickle
import sys
import time
import zlib

EXCL = os.O_WRONLY | os.O_CREAT | os.O_EXCL


def main():
    jugdir, n = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    locks = os.path.join(jugdir, "locks")
    temps = os.path.join(jugdir, "tempfiles")
    os.makedirs(locks, exist_ok=True)
    os.makedirs(temps, exist_ok=True)
    made = set()
    line = f"PID {os.getpid()} on HOSTNAME plain-loop\n".encode()
    for i in range(n):
        h = hashlib.sha1(b"benchjug.f" + str(i).encode()).hexdigest()
        lock = os.path.join(locks, h + ".lock")
        fd = os.open(lock, EXCL, 0o644)
        os.write(fd, line)
        os.close(fd)
        data = zlib.compress(b"P" + pickle.dumps(i, protocol=pickle.HIGHEST_PROTOCOL))
        temp = os.path.join(temps, f"{os.getpid()}-{i}")
        fd = os.open(temp, EXCL, 0o644)
        os.write(fd, data)
        os.fdatasync(fd)
        os.close(fd)
        folder = os.path.join(jugdir, h[:2])
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.rename(temp, os.path.join(folder, h[2:]))
        os.unlink(lock)
    print(f"{time.perf_counter() - t0:.6f}")


if __name__ == "__main__":
    main()
