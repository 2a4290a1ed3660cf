"""`jug webstatus`: the status of a run as a web page that refreshes itself.

One process serves one jugfile.  The jugfile is imported once (again when it
changes on disk or stopped at a barrier); each request asks the store where
the tasks stand, so the page is as fresh as `jug status`.  Requests are
served one at a time: stores are not shared between threads.
"""
import os
import sys
import time

import click

from jugcore.cli.commands import status_details
from jugcore.cli.jugfile_command import jugfile_command
from jugcore.errors import JugError
from jugcore.plugins import hookimpl
from jugcore.run.states import count_states
from jugcore.stores.run_record import read_run_records


@jugfile_command("webstatus")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--ip", default="localhost", show_default=True,
              help="Address to listen on; the default lets only this machine see the page.")
def webstatus(ctx, port, ip):
    """Serve a web page with the status of JUGFILE: counts, progress, failures, timings, a timeline."""
    from http.server import HTTPServer  # with html and json: loaded when a page is served, not by `jug --help`

    watcher = JugfileWatcher(ctx)
    watcher.refresh()  # a broken jugfile is reported now, not at the first request
    try:
        server = HTTPServer((ip, port), _handler_for(watcher))
    except OSError as e:
        raise JugError(f"cannot listen on {ip}:{port}: {e.strerror or e}; choose another with --port "
                       "(or --port 0 for any free one)") from None
    host, bound = server.server_address[:2]
    click.echo(f"Status of {ctx.jugfile} at http://{_url_host(host)}:{bound}/ (JSON at /status.json; "
               "Ctrl-C stops)", err=True)
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class JugfileWatcher:
    """The jugfile's tasks, re-imported when the file changed or stopped at a
    barrier, and a status snapshot on demand."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.at_barrier = False
        self._mtime = None
        self._history = []  # (time, complete count) per snapshot: the rate when no run records say it

    def refresh(self):
        mtime = os.stat(self.ctx.jugfile).st_mtime_ns
        if mtime != self._mtime or self.at_barrier:
            self.at_barrier = self.ctx.import_jugfile().at_barrier
            self._mtime = mtime

    def snapshot(self):
        """What the page and /status.json show: `jug status --json`'s data plus
        the progress rate and the run records."""
        self.refresh()
        store = self.ctx.store
        counts = count_states(self.ctx.tasks, store)
        data = status_details.as_json(counts, status_details.failure_rows(counts, store), self.at_barrier)
        now = time.time()
        data["jugfile"] = self.ctx.jugfile
        data["time"] = now
        data["runs"] = _run_records(counts, store)
        done = data["totals"]["Complete"]
        self._history = [(t, n) for t, n in self._history if now - t < 600 and n <= done] + [(now, done)]
        data["rate"] = _rate(data["runs"], self._history, now)
        return data


def _run_records(counts, store):
    """The run record of every task that has one (stores that keep none, and
    results Jug 2.7 made, have none), oldest first."""
    records = read_run_records(store, list(counts.tasks))
    runs = [{**record.as_dict(), "name": counts.tasks[key].name, "key": key.decode()}
            for key, record in records.items()]
    return sorted(runs, key=lambda r: r["started"])


def _rate(runs, history, now):
    """Tasks finished per second lately: from the run records' finish times
    over the last ten minutes, else from how the complete count grew while
    this page was watched."""
    recent = [r["finished"] for r in runs if now - r["finished"] < 600]
    if len(recent) >= 2:
        span = now - min(recent)
        return len(recent) / span if span > 0 else None
    (t0, n0), (t1, n1) = history[0], history[-1]
    return (n1 - n0) / (t1 - t0) if t1 > t0 and n1 > n0 else None


def _handler_for(watcher):
    import json
    from http.server import BaseHTTPRequestHandler
    from urllib.parse import parse_qs, urlsplit

    from jugcore.cli.webstatus_page import render_page

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            if url.path not in ("/", "/index.html", "/status.json"):
                self._send(404, "text/plain", b"not found\n")
                return
            try:
                data = watcher.snapshot()
            except Exception as e:  # the page says what went wrong; the server keeps serving
                self._send(500, "text/plain; charset=utf-8", f"cannot read the status: {e}\n".encode())
                return
            if url.path == "/status.json":
                self._send(200, "application/json", json.dumps(data, indent=2).encode())
            else:
                refresh = parse_qs(url.query).get("refresh", [""])[0]
                self._send(200, "text/html; charset=utf-8", render_page(data, refresh).encode())

        def _send(self, code, content_type, body):
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # a request log would bury the start line in a batch log
            pass

    return Handler


def _url_host(host):
    return f"[{host}]" if ":" in host else host


@hookimpl
def jug_register_commands(cli):
    cli.add_command(webstatus)
