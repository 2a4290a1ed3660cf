"""RecordQueue (jugcore.api): rows written by a thread, at flush, at close and
at the interpreter's exit; a forked child queues and writes its own."""
import os
import subprocess
import sys
import textwrap

from jugcore.api import RecordQueue
from pytest_jug import must


def appender(path):
    def write(rows):
        with open(path, "a") as f:
            f.writelines(f"{os.getpid()} {row}\n" for row in rows)
    return write


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def test_the_thread_writes_what_is_queued_and_close_writes_the_rest(tmp_path):
    out = tmp_path / "rows"
    queue = RecordQueue(appender(out))
    queue.put("a")
    must(lambda: lines(out), 10, "the thread to write the first row")
    queue.put("b")
    queue.close()
    assert lines(out) == [f"{os.getpid()} a", f"{os.getpid()} b"]


def test_rows_of_a_store_never_closed_are_written_at_exit(tmp_path):
    out = tmp_path / "rows"
    script = textwrap.dedent(f"""
        import os
        from jugcore.api import RecordQueue
        from tests.test_record_queue import appender
        queue = RecordQueue(appender({str(out)!r}))
        queue.put("left for exit")
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=os.path.dirname(os.path.dirname(__file__)),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert [line.split(" ", 1)[1] for line in lines(out)] == ["left for exit"]


def test_a_forked_child_writes_its_own_rows_not_its_parents(tmp_path):
    out = tmp_path / "rows"
    queue = RecordQueue(appender(out))
    queue.put("parent's")
    pid = os.fork()
    if pid == 0:  # the child: its copy of the parent's row is not its to write
        try:
            queue.put("child's")
            queue.close()
        finally:
            os._exit(0)
    assert os.waitpid(pid, 0)[1] == 0
    queue.close()
    assert sorted(lines(out)) == sorted([f"{pid} child's", f"{os.getpid()} parent's"])
