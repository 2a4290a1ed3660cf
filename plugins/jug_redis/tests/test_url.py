"""Redis jugdir URLs: every accepted form, and one line naming what is wrong otherwise."""
import pytest

from jug_redis.url import parse_redis_url
from jugcore.errors import JugError


@pytest.mark.parametrize("text, connection, prefix", [
    ("redis://example.org", {"host": "example.org", "port": 6379}, b""),
    ("redis://example.org:7000/", {"host": "example.org", "port": 7000}, b""),
    ("redis://10.0.0.1:7000/3", {"host": "10.0.0.1", "port": 7000, "db": 3}, b""),
    ("redis://:pw@h/1", {"host": "h", "port": 6379, "db": 1, "password": "pw"}, b""),
    ("redis://alice:p%40ss@h:1/2?prefix=proj:", {"host": "h", "port": 1, "db": 2, "username": "alice",
                                                 "password": "p@ss"}, b"proj:"),
    ("redis:", {"host": "127.0.0.1", "port": 6379}, b""),  # Jug 2.7's local default
    ("redis://[::1]:6380/0", {"host": "::1", "port": 6380, "db": 0}, b""),
    ("unix:///run/redis.sock?db=4&prefix=a:b:", {"unix_socket_path": "/run/redis.sock", "db": 4}, b"a:b:"),
    ("rediss://h:6380/0?ssl_cert_reqs=none", {"host": "h", "port": 6380, "db": 0, "ssl": True,
                                              "ssl_cert_reqs": "none"}, b""),
    ("rediss://h/0?ssl_ca_certs=/etc/ca.pem", {"host": "h", "port": 6379, "db": 0, "ssl": True,
                                               "ssl_ca_certs": "/etc/ca.pem"}, b""),
])
def test_accepted_forms(text, connection, prefix):
    url = parse_redis_url(text)
    assert url.connection == connection
    assert url.prefix == prefix


def test_lease_timeout_and_retry_options():
    url = parse_redis_url("redis://h/0?lease=5&timeout=1.5&retry=2")
    assert (url.lease, url.timeout, url.retry) == (5.0, 1.5, 2.0)


@pytest.mark.parametrize("text, complaint", [
    ("redis://h:port/0", "the port 'port' is not a number"),
    ("redis://h:70000/0", "the port '70000' is not a number from 1 to 65535"),
    ("redis://h/zero", "the database number 'zero' is not a whole number"),
    ("redis://h/0/extra", "the path '/0/extra' is not a database number"),
    ("redis://h/0?db=1", "the database is given twice"),
    ("redis://h/0?colour=red", "unknown option 'colour'"),
    ("redis://h/0?ssl_cert_reqs=none", "unknown option 'ssl_cert_reqs'"),  # TLS options need rediss://
    ("rediss://h/0?ssl_cert_reqs=maybe", "ssl_cert_reqs 'maybe' is not one of"),
    ("redis://h/0?prefix=", "the prefix is empty"),
    ("redis://h/0?lease=soon", "the lease (seconds) 'soon' is not a number"),
    ("redis://h/0?lease=0", "the lease (seconds) '0' must be more than 0"),
    ("redis://h_o$t/0", "the host 'h_o$t' is not a host name"),
    ("unix://", "the socket path is missing"),
    ("unix://host/path.sock", "a unix socket URL has no host"),
    ("redis:h", "'redis:' must be followed by '//'"),
])
def test_malformed_url_is_one_line_naming_the_part(text, complaint):
    with pytest.raises(JugError) as caught:
        parse_redis_url(text)
    message = caught.value.format_message()
    assert complaint in message
    assert "Accepted forms: redis://[[user]:password@]host[:port][/db]" in message
    assert "\n" not in message


@pytest.mark.parametrize("text", [
    "redis://:hunter2@h:port/0",
    "redis://bob:hunter2@h/0?colour=red",
    "rediss://bob:hunter2@h/0?ssl_cert_reqs=maybe",
    "unix://bob:hunter2@host/x.sock",
])
def test_password_never_in_errors(text):
    with pytest.raises(JugError) as caught:
        parse_redis_url(text)
    message = caught.value.format_message()
    assert "hunter2" not in message
    assert ":***@" in message


def test_display_masks_the_password():
    url = parse_redis_url("redis://bob:hunter2@h:1/0?prefix=p:")
    assert url.display == "redis://bob:***@h:1/0?prefix=p:"
    assert "hunter2" not in repr(url)
