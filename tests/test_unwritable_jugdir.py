"""A jugdir that cannot be written (a full disk, a read-only filesystem): one clear
line naming the task, the jugdir and the fix, a non-zero exit, and nothing left
behind that would block the next run.  On real small tmpfs mounts."""
import os
import subprocess

import pytest

from pytest_jug import IN_CI

BIG_RESULT = 200_000  # incompressible bytes: far more than the room left

JUGFILE = f"""
import os
from jug import TaskGenerator

@TaskGenerator
def big(i):
    return os.urandom({BIG_RESULT})

results = [big(i) for i in range(2)]
"""
# The same, as arrays: written from the array's own memory, after the .npy header.
ARRAY_JUGFILE = f"""
import numpy as np
from jug import TaskGenerator

@TaskGenerator
def big(i):
    return np.random.default_rng(i).random({BIG_RESULT // 8})

results = [big(i) for i in range(2)]
"""


@pytest.fixture
def tmpfs(tmp_path):
    """mount(size, name='mnt') -> the folder of a new tmpfs of ``size`` bytes; unmounted at teardown."""
    mounted = []

    def mount(size, name="mnt"):
        folder = tmp_path / name
        folder.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            message = f"cannot mount a tmpfs ({done.stderr.strip()})"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        mounted.append(folder)
        return folder

    if os.geteuid() != 0 and not IN_CI:
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_leaving(folder, room):
    """Fill the filesystem of ``folder`` up, then free ``room`` bytes; the filler's path."""
    filler = folder / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, os.path.getsize(filler) - room))
    return filler


def files_under(folder):
    return sorted(os.path.relpath(os.path.join(d, n), folder) for d, _, names in os.walk(folder) for n in names)


def assert_one_clear_error(run, *parts):
    assert run.returncode != 0, run
    assert "Traceback" not in run.output, run
    lines = [line for line in run.stderr.splitlines() if line.startswith("jug: error:")]
    assert len(lines) == 1, run
    for part in parts:
        assert part in lines[0], run
    return lines[0]


def test_a_full_disk_while_taking_a_lock_is_one_clear_error_and_leaves_no_empty_lock(tmpfs, jug, jugfile, tmp_path):
    mnt = tmpfs(1 << 20)
    jugfile(JUGFILE)
    jugdir = mnt / "jugdata"
    filler = fill_leaving(mnt, 0)
    run = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert_one_clear_error(run, "no space left on device while taking the lock of jugfile.big", str(jugdir),
                           "Free some space")
    assert files_under(jugdir) == [], run  # no empty lock to block the task for a minute
    filler.unlink()
    again = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert again.returncode == 0, again


@pytest.mark.parametrize("text", [JUGFILE, ARRAY_JUGFILE], ids=["bytes", "array"])
def test_a_full_disk_while_storing_a_result_is_reported_as_a_full_disk(tmpfs, jug, jugfile, tmp_path, text):
    mnt = tmpfs(1 << 20)
    jugfile(text)
    jugdir = mnt / "jugdata"
    filler = fill_leaving(mnt, 8192)  # room for a lock, not for a result
    run = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert_one_clear_error(run, "no space left on device while storing the result of jugfile.big", str(jugdir))
    assert "plain data" not in run.output, run  # not blamed on the value
    assert files_under(jugdir) == [], run  # no lock, no failed mark, no partial file
    filler.unlink()
    again = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert again.returncode == 0, again  # nothing marked failed: the tasks just run


def test_a_read_only_jugdir_with_work_to_do_is_one_clear_error_and_status_and_check_still_work(
        tmpfs, jug, jugfile, tmp_path):
    mnt = tmpfs(4 << 20)
    jugfile(JUGFILE)
    jugdir = mnt / "jugdata"
    half = jug("execute", "jugfile.py", "--jugdir", jugdir, "--name", "jugfile.big", cwd=tmp_path)
    assert half.returncode == 0, half
    first = files_under(jugdir)
    (tmp_path / "jugfile.py").write_text(JUGFILE + "more = big(2)\n")  # work left to do
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    run = jug("execute", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert_one_clear_error(run, "read-only file system while taking the lock of jugfile.big", str(jugdir),
                           "jug status and jug check work")
    status = jug("status", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert "Traceback" not in status.output and "error" not in status.stderr, status
    assert status.stdout.split("\n")[-3].split()[:5] == ["0", "0", "1", "2", "0"], status  # Total: 1 ready, 2 complete
    check = jug("check", "jugfile.py", "--jugdir", jugdir, cwd=tmp_path)
    assert check.returncode == 1 and check.output == "", check  # "not all done", and nothing else
    assert files_under(jugdir) == first
    removing = jug("invalidate", "jugfile.py", "--name", "jugfile.big", "--jugdir", jugdir, cwd=tmp_path)
    assert_one_clear_error(removing, "read-only file system while writing", str(jugdir))
    assert files_under(jugdir) == first
