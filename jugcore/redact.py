"""Passwords out of everything we print: the one place URLs are masked.

A URL's password sits between ``user:`` and the ``@`` that ends the user
information.  Regular expressions that stop at the first ``@``, ``/``, ``?``
or ``#`` leak passwords that contain those characters unencoded
(``redis://:xy@Secret99@host`` printed as ``redis://:***@Secret99@host``), so
the end is found as a URL parser finds it, and more generously where a parser
would be confused:

- the user information ends at the *last* ``@`` of the authority (urllib's
  reading: ``:xy@Secret99@host`` has the password ``xy@Secret99``);
- a ``/``, ``?`` or ``#`` typed raw inside the password would end the
  authority for a parser, so an ``@`` after one still counts, up to the first
  ``?`` or ``#`` that comes after the first ``@`` (where a query such as
  ``?ssl_ca_certs=/a@b.pem`` may hold an ``@`` of its own).

What remains unmasked is only a password holding an ``@`` followed later by a
raw ``?`` or ``#``, which no parser reads as one password either: percent-
encode such a password (``%40``, ``%3F``, ``%23``).
"""
import re

__all__ = ["redact", "password_in", "MASK"]

MASK = "***"
# A URL runs from its scheme to white space or a quote (URLs inside messages
# are quoted or end at a space).
_URL = re.compile(r"""[A-Za-z][A-Za-z0-9+.-]*://[^\s'"<>]*""")
_PORT_THEN_PATH = re.compile(r"\d{1,5}(?:[/?#]|$)")


def redact(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    if "://" not in text:
        return text
    return _URL.sub(_mask_one, text)


def password_in(url: str):
    """The password of ``url`` as it is written (percent-encoding and all), or None."""
    split = _split(url)
    return split[2] if split else None


def _mask_one(match):
    url = match.group(0)
    split = _split(url)
    if split is None:
        return url
    head, user, _, tail = split
    return f"{head}{user}:{MASK}{tail}"


def _split(url):
    """(``scheme://``, user, password, ``@`` and what follows) or None."""
    head, _, rest = url.partition("://")
    first_at = rest.find("@")
    if first_at < 0:
        return None
    query = _first_of(rest, "?#", first_at)
    end = rest.rfind("@", 0, query)
    user, colon, password = rest[:end].partition(":")
    if not colon or "[" in user or (user and _PORT_THEN_PATH.match(password)):
        # A user name alone is no secret; `host:6379/0?...=a@b` has none; and
        # `[user]` is a usage text, not a URL ('[' is not allowed in user names).
        return None
    return f"{head}://", user, password, rest[end:]


def _first_of(text, characters, start):
    """Index of the first of ``characters`` in ``text`` after ``start``, or len(text)."""
    found = [i for i in (text.find(c, start) for c in characters) if i >= 0]
    return min(found) if found else len(text)
