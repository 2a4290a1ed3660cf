"""The HTML of `jug webstatus`: built from the snapshot /status.json serves.

Every text that comes from the jugfile, the store or a task (names, errors,
hosts) is escaped: a task's error message is not markup.  No scripts: the
page refreshes itself with a meta tag, so it also works where scripts are off.
"""
from html import escape

from jugcore.cli.times import seconds as _duration, when as _clock

__all__ = ["render_page", "DEFAULT_REFRESH"]

DEFAULT_REFRESH = 5  # seconds; ?refresh=N changes it, ?refresh=0 stops it
STATES = ("Failed", "Waiting", "Ready", "Complete", "Active")
# One colour per task name, in the order names first ran; readable on white, and
# none of them the progress bar's green or red.
PALETTE = ("#4e79a7", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
           "#8cd17d", "#499894")
TIMELINE_WIDTH = 900
LANE_HEIGHT = 18

_STYLE = """
body { max-width: 1000px; margin: 1.5em auto; font-family: sans-serif; color: #222; }
h1 { font-size: 1.4em; } h1 .jugfile { color: #6d2243; }
h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; } th, td { padding: 0.2em 0.8em; text-align: right; }
th.name, td.name, td.text { text-align: left; } tr.total { font-weight: bold; border-top: 1px solid #999; }
.bar { width: 100%; height: 1.4em; background: #eee; border-radius: 3px; overflow: hidden; }
.bar .done { height: 100%; background: #59a14f; } .bar .failed { height: 100%; background: #e15759; }
.progress { display: flex; } .note { color: #666; } .error { color: #b00; }
"""


def render_page(data, refresh=""):
    try:
        refresh = max(0, int(refresh))
    except (TypeError, ValueError):
        refresh = DEFAULT_REFRESH
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    jugfile = escape(data["jugfile"])
    colours = _colours(data)
    return "".join([
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">{meta}<title>jug status: {jugfile}</title>',
        f"<style>{_STYLE}</style></head><body>",
        f'<h1>Status of <span class="jugfile">{jugfile}</span></h1>',
        f'<p class="note">As of {escape(_clock(data["time"]))}'
        f'{f", refreshed every {refresh} s" if refresh else ""}.</p>',
        _progress(data),
        _counts_table(data),
        _failures(data),
        _active(data),
        _timings(data),
        _timeline(data, colours),
        "</body></html>\n",
    ])


def _progress(data):
    totals = data["totals"]
    total, done, failed = totals["Total"], totals["Complete"], totals["Failed"]
    share = done / total if total else 1.0
    failed_share = failed / total if total else 0.0
    rate = data.get("rate")
    left = total - done - failed - data["blocked"]
    if data["complete"]:
        eta = "all tasks complete"
    elif not left:
        eta = f"nothing left to run: {data['blocked']} waiting on failed tasks"
    elif data["stopped_at_barrier"]:
        eta = "stopped at a barrier: more tasks follow once these are done"
    elif rate:
        eta = f"{_rate_text(rate)}; about {_duration(left / rate)} left"
    else:
        eta = "no task finished lately: no estimate"
    return (f'<h2>Progress</h2><div class="bar progress" role="progressbar" aria-valuenow="{done}" '
            f'aria-valuemax="{total}"><div class="done" style="width:{share:.2%}"></div>'
            f'<div class="failed" style="width:{failed_share:.2%}"></div></div>'
            f'<p id="progress">{done} of {total} complete ({share:.1%}), {failed} failed; {escape(eta)}.</p>')


def _counts_table(data):
    rows = ["<h2>Tasks</h2><table id=\"counts\"><tr><th class=\"name\">Task name</th>",
            *(f"<th>{s}</th>" for s in STATES), "</tr>"]
    for name, by_state in data["tasks"].items():
        rows.append(f'<tr><td class="name">{escape(name)}</td>'
                    + "".join(f"<td>{by_state[s]}</td>" for s in STATES) + "</tr>")
    rows.append('<tr class="total"><td class="name">Total</td>'
                + "".join(f"<td>{data['totals'][s]}</td>" for s in STATES) + "</tr></table>")
    return "".join(rows)


def _failures(data):
    if not data["failed"]:
        return ""
    rows = ['<h2>Failed tasks</h2><table id="failed"><tr><th class="name">Task</th><th class="name">Error</th>'
            '<th class="name">Where</th><th>Blocks</th></tr>']
    for f in data["failed"]:
        where = f"{f['host']} pid {f['pid']}, {_clock(f['time'])}" if f["host"] else "not recorded"
        rows.append(f'<tr><td class="name">{escape(f["label"])} [{escape(f["key"][:12])}]</td>'
                    f'<td class="text error">{escape(f["error"] or "no reason recorded")}</td>'
                    f'<td class="text">{escape(where)}</td><td>{f["blocks"]}</td></tr>')
    return "".join(rows) + "</table>"


def _active(data):
    if not data["active"]:
        return ""
    rows = ['<h2>Running</h2><table id="active"><tr><th class="name">Task</th><th class="name">Worker</th>'
            "<th>For</th></tr>"]
    for a in data["active"]:
        age = _duration(data["time"] - a["since"]) if a["since"] else "?"
        owner = (a["owner"] or "unknown") + (" (gone: the next worker takes it over)" if a["dead"] else "")
        rows.append(f'<tr><td class="name">{escape(a["label"])} [{escape(a["key"][:12])}]</td>'
                    f'<td class="text">{escape(owner)}</td><td>{age}</td></tr>')
    return "".join(rows) + "</table>"


def _timings(data):
    by_name = {}
    for run in data["runs"]:
        by_name.setdefault(run["name"], []).append(run["duration"])
    if not by_name:
        return ""
    rows = ['<h2>Timings</h2><table id="timings"><tr><th class="name">Task name</th><th>Count</th>'
            "<th>Total</th><th>Mean</th><th>Max</th></tr>"]
    for name, durations in sorted(by_name.items()):
        total = sum(durations)
        rows.append(f'<tr><td class="name">{escape(name)}</td><td>{len(durations)}</td>'
                    f"<td>{_duration(total)}</td><td>{_duration(total / len(durations))}</td>"
                    f"<td>{_duration(max(durations))}</td></tr>")
    return "".join(rows) + "</table>"


def _timeline(data, colours):
    """An SVG with one lane per worker (host and pid) and one bar per task run."""
    runs = data["runs"]
    if not runs:
        return ('<h2>Timeline</h2><p class="note">No run records yet: the timeline shows tasks this '
                "jugcore version ran and stored.</p>")
    lanes = sorted({_lane(r) for r in runs})
    start = min(r["started"] for r in runs)
    end = max(r["finished"] for r in runs)
    scale = TIMELINE_WIDTH / max(end - start, 1e-3)
    label_width = 160
    height = LANE_HEIGHT * len(lanes) + 24
    parts = [f'<h2>Timeline</h2><svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="100%" '
             f'viewBox="0 0 {label_width + TIMELINE_WIDTH + 10} {height}" role="img" '
             f'aria-label="one lane per worker, one bar per task">']
    for i, lane in enumerate(lanes):
        parts.append(f'<text x="0" y="{i * LANE_HEIGHT + 13}" font-size="11">{escape(lane)}</text>')
    row_of = {lane: i for i, lane in enumerate(lanes)}
    for r in runs:
        x = label_width + (r["started"] - start) * scale
        width = max(r["duration"] * scale, 2.0)  # a task quicker than a pixel still shows
        tip = f"{r['name']} [{r['key'][:12]}]: {_duration(r['duration'])} on {_lane(r)}"
        parts.append(f'<rect class="run" x="{x:.1f}" y="{row_of[_lane(r)] * LANE_HEIGHT + 2}" '
                     f'width="{width:.1f}" height="{LANE_HEIGHT - 4}" fill="{colours[r["name"]]}">'
                     f"<title>{escape(tip)}</title></rect>")
    parts.append(f'<text x="{label_width}" y="{height - 6}" font-size="11">{escape(_clock(start))}</text>'
                 f'<text x="{label_width + TIMELINE_WIDTH}" y="{height - 6}" font-size="11" '
                 f'text-anchor="end">{escape(_clock(end))} ({_duration(end - start)})</text></svg>')
    parts.append('<p class="legend">' + " ".join(
        f'<span style="color:{colour}">&#9632;</span>&nbsp;{escape(name)}' for name, colour in colours.items())
        + "</p>")
    return "".join(parts)


def _lane(run):
    return f"{run.get('host') or '?'} pid {run.get('pid') or '?'}"


def _colours(data):
    names = [r["name"] for r in data["runs"]] + list(data["tasks"])
    colours = {}
    for name in names:
        colours.setdefault(name, PALETTE[len(colours) % len(PALETTE)])
    return colours


def _rate_text(rate):
    return f"{rate:.1f} tasks/s" if rate >= 1 else f"{_duration(1 / rate)} per task"
