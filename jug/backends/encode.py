"""``jug.backends.encode``: result bytes as Jug 2.7 writes them (re-exported from jugcore.formats.encoding)."""
from jugcore.formats.encoding import decode, decode_from, encode, encode_to  # noqa: F401
