"""`jug webstatus`: a real server on a real jugdir, read over HTTP and in a real
headless Chromium (the screenshot is kept in JUG_TEST_ARTIFACTS, or the test's
folder)."""
import json
import os
import re
import shutil
import socket
import urllib.request
from pathlib import Path

import pytest

from pytest_jug import gated_jugfile, must
from tests.support.browser import chromium, dump_dom, png_pixels, screenshot  # noqa: F401 (fixture)

JUGFILE = """
import time
from jug import TaskGenerator

@TaskGenerator
def work(x):
    time.sleep(0.02)  # long enough to draw as a bar, not a line
    return x * 2

@TaskGenerator
def fragile(x):
    raise ValueError("<b>broken</b> & bad " + str(x))

@TaskGenerator
def after(y):
    return y

works = [work(i) for i in range(12)]
f = fragile(7)
a = after(f)
"""


def _start(background, *args):
    server = background("webstatus", "webstatus", *args, "--port", "0")
    must(lambda: "http://" in server.stderr or not server.alive(), 60, "webstatus to print its address")
    assert server.alive(), server
    url = re.search(r"(http://\S+/)", server.stderr).group(1)
    return server, url


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


@pytest.fixture
def ran(jugfile, jug):
    path = jugfile(JUGFILE)
    run = jug("execute", path, "-j", "2")
    assert run.returncode == 1, run  # fragile failed
    return path


def test_json_and_page_show_counts_failures_and_escape_every_message(ran, background):
    server, url = _start(background, ran)
    status, kind, body = _get(url + "status.json")
    data = json.loads(body)
    assert status == 200 and kind == "application/json"
    assert data["totals"] == {"Failed": 1, "Waiting": 1, "Ready": 0, "Complete": 12, "Active": 0, "Total": 14}
    assert data["tasks"]["jugfile.work"]["Complete"] == 12
    assert data["failed"][0]["error"] == "ValueError: <b>broken</b> & bad 7"

    status, kind, page = _get(url)
    assert status == 200 and kind.startswith("text/html")
    assert '<td class="name">jugfile.work</td><td>0</td><td>0</td><td>0</td><td>12</td><td>0</td>' in page
    assert "ValueError: &lt;b&gt;broken&lt;/b&gt; &amp; bad 7" in page
    assert re.search(r'<td class="name">jugfile\.fragile\(x=7\) \[[0-9a-f]{12}\]</td>', page), "named by its arguments"
    assert "<b>broken</b>" not in page
    assert "12 of 14 complete (85.7%), 1 failed; nothing left to run: 1 waiting on failed tasks." in page


def test_the_page_refreshes_itself_as_asked(ran, background):
    _, url = _start(background, ran)
    assert '<meta http-equiv="refresh" content="5">' in _get(url)[2]
    assert '<meta http-equiv="refresh" content="2">' in _get(url + "?refresh=2")[2]
    assert 'http-equiv="refresh"' not in _get(url + "?refresh=0")[2]
    assert '<meta http-equiv="refresh" content="5">' in _get(url + "?refresh=soon")[2]
    with pytest.raises(urllib.error.HTTPError) as e:
        _get(url + "nothing-here")
    assert e.value.code == 404


def test_the_status_is_never_stale(ran, background, jug, jugfile):
    _, url = _start(background, ran)
    assert json.loads(_get(url + "status.json")[2])["totals"]["Complete"] == 12
    assert jug("invalidate", ran, "--name", "jugfile.work").returncode == 0
    totals = json.loads(_get(url + "status.json")[2])["totals"]
    assert totals["Complete"] == 0 and totals["Ready"] == 12
    # A changed jugfile is imported again: a new task shows up.
    ran.write_text(ran.read_text() + "extra = work(100)\n")
    os.utime(ran, ns=(0, os.stat(ran).st_mtime_ns + 10**9))
    assert json.loads(_get(url + "status.json")[2])["totals"]["Total"] == 15


def test_it_listens_on_localhost_only_by_default(ran, background):
    server, url = _start(background, ran)
    assert url.startswith("http://127.0.0.1:"), server.stderr


def test_a_port_in_use_is_one_clear_line(ran, jug):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = jug("webstatus", ran, "--ip", "127.0.0.1", "--port", str(port))
    assert run.returncode == 1, run
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr and "--port 0" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_broken_jugfile_is_reported_before_serving(jugfile, jug):
    path = jugfile("def broken(:\n")
    run = jug("webstatus", path, "--port", "0", timeout=60)
    assert run.returncode != 0 and "syntax error in jugfile" in run.stderr


def test_in_a_real_browser_the_page_shows_the_table_and_the_timeline(ran, background, chromium, tmp_path):
    _, url = _start(background, ran)
    dom = dump_dom(chromium, url + "?refresh=0")
    assert re.search(r'<table id="counts">.*jugfile\.work.*</table>', dom, re.S)
    assert dom.count('class="run"') == 12, "one bar per task run in the timeline"
    folder = Path(os.environ.get("JUG_TEST_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    picture = screenshot(chromium, url + "?refresh=0", folder / "webstatus.png", size=(1100, 900))
    pixels = png_pixels(picture)
    # the first name to run has the first colour (#4e79a7), used nowhere but the timeline's bars and
    # the legend's square; the progress bar's green shows
    assert pixels.get(bytes.fromhex("4e79a7"), 0) > 1000, sorted(pixels.items(), key=lambda p: -p[1])[:8]
    assert pixels.get(bytes.fromhex("59a14f"), 0) > 200


def test_a_running_task_shows_its_worker_and_age_and_the_eta_follows_the_rate(jugfile, jug, background):
    path = jugfile(gated_jugfile("firsts = [after(i) for i in range(6)]\na = after(slow())\n"))
    worker = background("worker", "execute", path)
    must(lambda: (path.parent / "started").exists() or not worker.alive(), 60, "slow() to start")
    _, url = _start(background, path)
    # a worker writes its run records within half a second (jug_file/records.py)
    must(lambda: json.loads(_get(url + "status.json")[2])["rate"], 10, "the six run records to give a rate")
    data = json.loads(_get(url + "status.json")[2])
    assert data["totals"]["Active"] == 1 and data["totals"]["Complete"] == 6 and data["rate"] > 0
    page = _get(url)[2]
    running = re.search(r'<table id="active">(.*?)</table>', page, re.S).group(1)
    assert "jugfile.slow()" in running and str(worker.proc.pid) in running
    assert re.search(r"6 of 8 complete \(75\.0%\), 0 failed; [\d.]+ (tasks/s|\w+ per task); about .* left\.", page)
    (path.parent / "go").touch()
    assert worker.wait(60) == 0
    data = json.loads(_get(url + "status.json")[2])
    assert data["complete"] and not data["active"]
    assert "all tasks complete" in _get(url)[2]
