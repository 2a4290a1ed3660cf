"""A real headless Chromium for tests of web pages we serve: the DOM as the
browser built it, and a screenshot whose pixels a test can count.

Debian's ``chromium`` package; the test command installs it when run as root.
Tests using :func:`chromium` skip where it is missing, and fail under CI.
"""
import shutil
import struct
import subprocess
import tempfile
import zlib

import pytest

from pytest_jug import IN_CI

__all__ = ["chromium", "dump_dom", "screenshot", "png_pixels"]

# Without the networking flags Chromium dials Google's hosts at start, which a
# closed network refuses; as root it needs --no-sandbox.
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--hide-scrollbars"]


@pytest.fixture(scope="session")
def chromium():
    """The path of a headless-capable Chromium."""
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if path is None:
        message = "no chromium on PATH (Debian/Ubuntu: apt-get install chromium; scripts/test.sh does as root)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(browser, *args, timeout=90):
    with tempfile.TemporaryDirectory(prefix="jug-chromium-") as profile:
        return subprocess.run([browser, *_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout, check=True)


def dump_dom(browser, url):
    """The page's DOM, serialized after Chromium loaded and laid it out."""
    return _run(browser, "--dump-dom", url).stdout


def screenshot(browser, url, path, size=(1200, 1000)):
    _run(browser, f"--screenshot={path}", f"--window-size={size[0]},{size[1]}", url)
    return path


def png_pixels(path):
    """Counts of each (r, g, b) in an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += length + 12
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and not interlace, f"unsupported PNG layout {header}"
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    counts = {}
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        for i in range(0, stride, channels):
            pixel = bytes(line[i:i + 3])
            counts[pixel] = counts.get(pixel, 0) + 1
        previous = line
    return counts
