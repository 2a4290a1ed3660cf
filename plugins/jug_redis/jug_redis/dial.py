"""Opening a socket to the Redis server the URL names: TCP, unix socket or TLS.

TLS means what redis-py 8.1 makes of the same URL options, so that either
client accepts the same servers: the system's certificate authorities plus
``ssl_ca_certs``; ``ssl_cert_reqs`` required unless the URL says optional or
none; the host name checked unless none.  Failures are ConnectionLost (or
NoReply), worded as redis-py words them: the first contact's error shows it.
"""
import socket

from jug_redis.errors import ConnectionLost, NoReply

__all__ = ["dial", "address_of"]


def dial(url):
    """A connected socket, replies waited for ``url.timeout`` seconds; connecting
    (and the TLS handshake) for ``url.connect_timeout`` at most."""
    settings = url.connection
    try:
        if "unix_socket_path" in settings:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(url.connect_timeout)
                sock.connect(settings["unix_socket_path"])
            except BaseException:
                sock.close()
                raise
        else:
            host = settings["host"]
            # An ASCII name as bytes: as a str, socket would import the idna codec (milliseconds) to encode it.
            host = host.encode() if host.isascii() else host
            sock = socket.create_connection((host, settings["port"]), timeout=url.connect_timeout)
            # Requests are single small writes waiting for their reply: Nagle would only delay them
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if settings.get("ssl"):
                sock = _wrap_tls(sock, settings)
    except socket.timeout:
        raise NoReply("Timeout connecting to server") from None
    except OSError as e:
        raise ConnectionLost(_connect_failure(url, e)) from None
    sock.settimeout(url.timeout)
    return sock


def address_of(url):
    """host:port, or the socket's path: where errors say we were talking to."""
    settings = url.connection
    return settings.get("unix_socket_path") or f"{settings['host']}:{settings['port']}"


def _wrap_tls(sock, settings):
    import ssl  # milliseconds to import, and only rediss:// needs it

    verify = {"required": ssl.CERT_REQUIRED, "optional": ssl.CERT_OPTIONAL,
              "none": ssl.CERT_NONE}[settings.get("ssl_cert_reqs", "required")]
    context = ssl.create_default_context()
    context.check_hostname = verify != ssl.CERT_NONE  # before verify_mode: CERT_NONE refuses a hostname check
    context.verify_mode = verify
    if "ssl_ca_certs" in settings:
        context.load_verify_locations(cafile=settings["ssl_ca_certs"])
    try:
        return context.wrap_socket(sock, server_hostname=settings["host"])
    except BaseException:
        sock.close()
        raise


def _connect_failure(url, error):
    where = address_of(url)
    if error.errno is None:
        return f"Error connecting to {where}. {error}."
    return f"Error {error.errno} connecting to {where}. {error.strerror or error}."
