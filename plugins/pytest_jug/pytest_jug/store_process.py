"""A store opened in another process, driven line by line: the store contract's
cross-process half.

``python -m pytest_jug.store_process JUGDIR`` opens JUGDIR the way `jug`
does (the installed plugins, :func:`jugcore.api.open_store`), prints one
line ``{"ready": pid}``, then reads one JSON command a line from stdin and
answers each with one JSON line on stdout.  End of stdin closes the store and
exits, leaving alone whatever locks it holds.  Keys travel as text.

:class:`StoreProcess` is the parent's side.  Nothing here needs pytest.
"""
import json
import os
import select
import subprocess
import sys

__all__ = ["StoreProcess", "payload_of"]


def payload_of(writer, size):
    """The value writer number ``writer`` stores in the concurrent-writers test:
    easy to check for being whole and from a single writer."""
    return {"writer": writer, "payload": bytes([writer % 256]) * size}


def _get(store, keys):
    return {"taken": [k for k in keys if store.getlock(k.encode()).get()]}


def _release(store, keys):
    for k in keys:
        store.getlock(k.encode()).release()
    return {}


def _fail(store, key, message):
    from jugcore.api import FailureRecord

    lock = store.getlock(key.encode())
    return {"failed": lock.fail(FailureRecord.from_exception(RuntimeError(message))), "pid": os.getpid()}


def _take_failed(store, key, recorded_before):
    return {"taken": store.getlock(key.encode()).take_failed(recorded_before)}


def _dump_repeatedly(store, key, writer, size, times):
    value = payload_of(writer, size)
    for _ in range(times):
        store.dump(key.encode(), value)
    return {}


def _load(store, key):
    try:
        return {"value": repr(store.load(key.encode()))}
    except KeyError:
        return {"missing": True}


_COMMANDS = {"get": _get, "release": _release, "fail": _fail, "take_failed": _take_failed,
             "dump_repeatedly": _dump_repeatedly, "load": _load}


def serve(jugdir, stdin=sys.stdin, stdout=sys.stdout):
    from jugcore.api import make_app

    store = make_app().open_store(jugdir)
    print(json.dumps({"ready": os.getpid()}), file=stdout, flush=True)
    try:
        for line in stdin:
            command = json.loads(line)
            answer = _COMMANDS[command.pop("op")](store, **command)
            print(json.dumps(answer), file=stdout, flush=True)
    finally:
        store.close()


class StoreProcess:
    """The jugdir opened in a child process.  ``call(op, **arguments)`` runs one
    command and returns its answer; ``send`` and ``receive`` split it, so that
    several children start a command at nearly the same moment."""

    def __init__(self, jugdir, cwd=None, timeout=60):
        self.timeout = timeout
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pytest_jug.store_process", jugdir], cwd=cwd,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.pid = self.receive()["ready"]

    def send(self, op, **arguments):
        self.proc.stdin.write(json.dumps(dict(arguments, op=op)) + "\n")
        self.proc.stdin.flush()

    def receive(self):
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(self.timeout)
            raise RuntimeError(f"the store process exited ({self.proc.returncode}):\n{self.proc.stderr.read()}")
        return json.loads(line)

    def has_answer(self):
        """True if an answer is waiting to be received."""
        return bool(select.select([self.proc.stdout], [], [], 0)[0])

    def call(self, op, **arguments):
        self.send(op, **arguments)
        return self.receive()

    def exit(self):
        """Close its store and wait for it to end (its locks stay as they are)."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(self.timeout)
            except subprocess.TimeoutExpired:
                pass  # killed below
        self.kill()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if not stream.closed:
                stream.close()


if __name__ == "__main__":
    serve(sys.argv[1])
