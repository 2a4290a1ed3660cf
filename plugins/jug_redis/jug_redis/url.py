"""Redis jugdir URLs: what they may say, and one clear line when they are wrong.

    redis://[[user]:password@]host[:port][/db][?option=value&...]
    rediss://...                    (TLS; ssl_cert_reqs=, ssl_ca_certs=)
    unix://[[user]:password@]/path/redis.sock[?db=N&...]

Options: ``prefix`` (namespace this project's keys, e.g. ``prefix=myproject:``),
``lease`` (seconds a worker's lock lives without a heartbeat), ``timeout``
(seconds without a reply before a command counts as lost) and ``retry``
(seconds to keep reconnecting after the server went away).  Passwords never
appear in what we print: :attr:`RedisURL.display` shows them as ``***``.
"""
import re
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from jugcore.api import JugError, password_in, redact

__all__ = ["RedisURL", "parse_redis_url", "ACCEPTED_FORMS"]

ACCEPTED_FORMS = (
    "redis://[[user]:password@]host[:port][/db], rediss://... (TLS), unix:///path/redis.sock[?db=N], "
    "each optionally followed by ?prefix=NAME: (and lease=, timeout=, retry= in seconds)"
)
_HOST = re.compile(r"^[A-Za-z0-9._-]+$|^\[[0-9A-Fa-f:.]+\]$")
_CERT_REQS = ("required", "optional", "none")
_COMMON_OPTIONS = ("prefix", "lease", "timeout", "retry", "db")
_TLS_OPTIONS = ("ssl_cert_reqs", "ssl_ca_certs")
_LONGEST_CONNECT = 10.0


class RedisURL(NamedTuple):
    """A parsed Redis jugdir: how to connect, and how this project uses the database."""

    display: str  # the URL with the password masked, for every message
    connection: dict  # where and how to connect: keyword arguments for redis.Redis (never shown)
    prefix: bytes = b""
    lease: float = 60.0
    timeout: float = 30.0
    retry: float = 60.0

    def __repr__(self):  # the connection holds the password
        return f"RedisURL({self.display!r}, prefix={self.prefix!r})"

    @property
    def connect_timeout(self):
        """Seconds to wait for a connection: a host that is not there is known sooner
        than a busy server's late reply."""
        return min(self.timeout, _LONGEST_CONNECT)


def parse_redis_url(text: str) -> RedisURL:
    """Parse ``text``; a JugError names the wrong part and the accepted forms."""
    display = redact(text)
    try:
        _check_password(password_in(text))
        return _parse(text, display)
    except _Bad as e:
        raise JugError(f"bad Redis URL '{display}': {e}. Accepted forms: {ACCEPTED_FORMS}") from None


def _check_password(password):
    """A raw '/', '?' or '#' ends a password early for every URL parser: say so
    rather than report the rest of it as a bad host or port (which would show it)."""
    raw = sorted({c for c in "/?#" if c in (password or "")})
    if raw:
        encoded = ", ".join(f"{c} as %{ord(c):02X}" for c in raw)
        raise _Bad(f"the password holds a raw {' and '.join(repr(c) for c in raw)}, which ends it early; "
                   f"percent-encode it ({encoded})")


class _Bad(ValueError):
    pass


def _parse(text, display):
    scheme, _, rest = text.partition(":")
    scheme = scheme.lower()
    if scheme not in ("redis", "rediss", "unix"):
        raise _Bad(f"the scheme '{scheme}:' is not one of redis:, rediss:, unix:")
    if rest in ("", "//"):  # Jug 2.7 reads a bare "redis:" as the local default server
        rest = "//"
    if not rest.startswith("//"):
        raise _Bad(f"'{scheme}:' must be followed by '//'")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as e:
        raise _Bad(_port_problem(text) or str(e)) from None
    if parts.fragment:
        raise _Bad(f"unexpected '#{parts.fragment}'")
    options = _options(parts.query, scheme)
    connection = _credentials(parts)
    if scheme == "unix":
        connection.update(_unix_location(parts, port))
    else:
        connection.update(_tcp_location(parts, port, options))
    if "db" in options:
        db = _number(options.pop("db"), "the database number (db)", integer=True)
        if connection.get("db", db) != db:
            raise _Bad(f"the database is given twice, as /{connection['db']} and as ?db={db}")
        connection["db"] = db
    prefix = options.pop("prefix", "")
    if "prefix" in parts.query and not prefix:
        raise _Bad("the prefix is empty (write ?prefix=NAME:)")
    if any(c.isspace() for c in prefix):
        raise _Bad(f"the prefix '{prefix}' contains white space")
    settings = {name: _number(options.pop(name), f"the {name} (seconds)") for name in ("lease", "timeout", "retry")
                if name in options}
    connection.update(_tls(options) if scheme == "rediss" else {})
    return RedisURL(display, connection, prefix.encode(), **settings)


def _port_problem(text):
    match = re.match(r"^[a-z]+://(?:[^@/]*@)?[^/:?]*:([^/?]*)", text, re.I)
    if match:
        return f"the port '{match.group(1)}' is not a number from 1 to 65535"
    return None


def _options(query, scheme):
    allowed = _COMMON_OPTIONS + (_TLS_OPTIONS if scheme == "rediss" else ())
    options = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in allowed:
            known = ", ".join(allowed)
            raise _Bad(f"unknown option '{name}' (known for {scheme}: {known})")
        if name in options:
            raise _Bad(f"the option '{name}' is given twice")
        options[name] = value
    return options


def _credentials(parts):
    credentials = {}
    if parts.username:
        credentials["username"] = unquote(parts.username)
    if parts.password is not None:
        credentials["password"] = unquote(parts.password)
    return credentials


def _unix_location(parts, port):
    if parts.hostname or port is not None:
        raise _Bad(f"a unix socket URL has no host ('{parts.hostname or ''}'); write unix:///path/redis.sock")
    if not parts.path or parts.path == "/":
        raise _Bad("the socket path is missing (unix:///path/redis.sock)")
    return {"unix_socket_path": unquote(parts.path)}


def _tcp_location(parts, port, options):
    host = parts.hostname or "127.0.0.1"
    netloc_host = parts.netloc.rpartition("@")[2].rsplit(":", 1)[0] if port is not None else \
        parts.netloc.rpartition("@")[2]
    if netloc_host and not _HOST.match(netloc_host):
        raise _Bad(f"the host '{netloc_host}' is not a host name or address")
    location = {"host": host, "port": 6379 if port is None else port}
    if port == 0:
        raise _Bad("the port '0' is not a number from 1 to 65535")
    path = parts.path.strip("/")
    if path:
        if "/" in path:
            raise _Bad(f"the path '/{path}' is not a database number (/0, /1, ...)")
        location["db"] = _number(path, "the database number", integer=True)
    return location


def _number(text, what, integer=False):
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise _Bad(f"{what} '{text}' is not a {'whole ' if integer else ''}number") from None
    if value < 0 or (not integer and value <= 0):
        raise _Bad(f"{what} '{text}' must be {'0 or more' if integer else 'more than 0'}")
    return value


def _tls(options):
    tls = {"ssl": True}
    reqs = options.pop("ssl_cert_reqs", None)
    if reqs is not None:
        if reqs not in _CERT_REQS:
            raise _Bad(f"ssl_cert_reqs '{reqs}' is not one of {', '.join(_CERT_REQS)}")
        tls["ssl_cert_reqs"] = reqs
    if "ssl_ca_certs" in options:
        tls["ssl_ca_certs"] = options.pop("ssl_ca_certs")
    return tls
