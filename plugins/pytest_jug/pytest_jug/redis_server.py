"""Real `redis-server` processes for tests of Redis-backed stores (jug-redis, and yours).

:class:`RedisServer` starts one on a free port of 127.0.0.1 with its data
in a folder of its own, waits until it answers PING, and can stop, kill,
restart (same port, same data), pause (SIGSTOP) and resume it.  It speaks
to the server through a plain socket, so it needs no Redis client library.

:func:`redis_server_or_skip` is what fixtures call: where no server can be
started it skips the test with a one-line reason, except under CI
(``CI=true``), where that is a failure.
"""
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

__all__ = ["RedisServer", "RedisUnavailable", "find_redis_server", "redis_server_or_skip"]

_START_TIMEOUT = 20.0


class RedisUnavailable(RuntimeError):
    """No redis-server binary, or one that would not start."""


def find_redis_server():
    """Path of the redis-server binary, or None."""
    for candidate in (shutil.which("redis-server"), "/usr/bin/redis-server", "/usr/sbin/redis-server"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of our own.  ``persistent=True`` turns on the append-only
    file (fsync every write), so a restart loses nothing; ``unix_socket=True``
    also listens on ``folder/redis.sock``; ``password`` requires AUTH;
    ``tls=True`` speaks only TLS, with a self-signed certificate for 127.0.0.1
    in :attr:`certificate` (openssl makes it)."""

    def __init__(self, folder, persistent=False, unix_socket=False, password=None, tls=False, extra=()):
        self.binary = find_redis_server()
        if self.binary is None:
            raise RedisUnavailable("redis-server is not installed (Debian: apt-get install redis-server)")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.persistent = persistent
        self.socket_path = str(self.folder / "redis.sock") if unix_socket else None
        self.password = password
        self.certificate = _self_signed_certificate(self.folder) if tls else None
        self.extra = list(extra)
        self.port = None
        self.proc = None
        self._log = None

    # --- where it is --------------------------------------------------------------------
    def url(self, db=0, query=""):
        auth = f":{self.password}@" if self.password else ""
        scheme = "rediss" if self.certificate else "redis"
        return f"{scheme}://{auth}127.0.0.1:{self.port}/{db}" + (f"?{query}" if query else "")

    @property
    def log_path(self):
        return self.folder / "redis.log"

    # --- life cycle -----------------------------------------------------------------------
    def start(self):
        """Start (or start again, on the same port and data); returns self once it answers PING."""
        restarting = self.port is not None  # a restart keeps its port
        for _ in range(5):  # another process may take the free port before the server binds it
            self.port = self.port or _free_port()
            self._spawn()
            if self._wait_until_answering():
                return self
            self._reap()
            if restarting or "Address already in use" not in self._log_tail():
                break
            self.port = None
        raise RedisUnavailable(f"redis-server would not start on port {self.port}: {self._log_tail()}")

    def _spawn(self):
        args = [self.binary, "--bind", "127.0.0.1", "--dir", str(self.folder),
                "--save", "", "--daemonize", "no", "--logfile", str(self.log_path)]
        if self.certificate:
            key = str(self.folder / "key.pem")
            args += ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", self.certificate,
                     "--tls-key-file", key, "--tls-ca-cert-file", self.certificate, "--tls-auth-clients", "no"]
        else:
            args += ["--port", str(self.port)]
        if self.persistent:
            args += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            args += ["--appendonly", "no"]
        if self.socket_path:
            args += ["--unixsocket", self.socket_path, "--unixsocketperm", "700"]
        if self.password:
            args += ["--requirepass", self.password]
        self.proc = subprocess.Popen(args + self.extra, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, cwd=self.folder)

    def _wait_until_answering(self):
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if self.answers():
                return True
            time.sleep(0.01)
        return False

    def answers(self, timeout=1.0):
        """True if the server answers PING now (a loading server does not count)."""
        try:
            with self._connect(timeout) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def command(self, *args):
        """Send one command (for tests: FLUSHALL, SET ...); the raw reply."""
        parts = [f"${len(str(a).encode())}\r\n{a}\r\n" for a in args]
        with self._connect(10) as s:
            s.sendall(f"*{len(args)}\r\n{''.join(parts)}".encode())
            return s.recv(65536)

    def _connect(self, timeout):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        if self.certificate:
            import ssl

            context = ssl.create_default_context(cafile=self.certificate)
            s = context.wrap_socket(s, server_hostname="127.0.0.1")
        if self.password:
            s.sendall(f"AUTH {self.password}\r\n".encode())
            if not s.recv(64).startswith(b"+OK"):
                s.close()
                raise OSError("AUTH refused")
        return s

    def stop(self):
        """Shut down cleanly (SIGTERM: the append-only file is flushed)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
        self._reap()

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self._reap()

    def restart(self):
        self.stop()
        return self.start()

    def pause(self):
        """SIGSTOP: connections stay open, nothing is answered."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def _reap(self):
        if self.proc is not None:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def _log_tail(self):
        try:
            return " | ".join(self.log_path.read_text().strip().splitlines()[-3:])
        except OSError:
            return "no log"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()


def _self_signed_certificate(folder):
    """cert.pem (and key.pem) for 127.0.0.1 in ``folder``: its own CA."""
    if shutil.which("openssl") is None:
        raise RedisUnavailable("openssl is needed to make a certificate for a TLS redis-server")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return str(cert)


def redis_server_or_skip(folder, **options):
    """A started :class:`RedisServer`; skips the calling test if there can be none
    (fails under CI, where redis-server must be installed)."""
    from pytest_jug.processes import started_or_skip

    return started_or_skip(lambda: RedisServer(folder, **options).start(), RedisUnavailable, "redis-server")
