"""The saved listing of a file jugdir (listing.py): right after every kind of change,
never trusted for a folder changed around the time it was listed."""
import hashlib
import os
import time

import pytest

from jug_file.listing import ANSWER_NAME, CACHE_NAME
from jug_file.store import FileStore

HOUR_NS = 3600 * 10**9


def key(i):
    return hashlib.sha1(f"key-{i}".encode()).hexdigest().encode("ascii")


@pytest.fixture
def store(tmp_path):
    return FileStore(str(tmp_path / "jugdata"), fsync=False)


def real_listing(store):
    found = set()
    for folder in os.listdir(store.path):
        if len(folder) == 2:
            found.update((folder + name).encode() for name in os.listdir(os.path.join(store.path, folder)))
    return found


def cache_path(store):
    return os.path.join(store.path, "tempfiles", CACHE_NAME)


def saved_folders(store):
    if not os.path.exists(cache_path(store)):  # nothing worth saving yet
        return set()
    with open(cache_path(store), "rb") as f:
        lines = f.read().split(b"\n")[1:]
    return {line[:2].decode() for line in lines if line}


def age_folders(store, by_ns=HOUR_NS):
    """Make every result folder look last changed ``by_ns`` ago."""
    for folder in os.listdir(store.path):
        if len(folder) == 2:
            path = os.path.join(store.path, folder)
            mtime = os.stat(path).st_mtime_ns - by_ns
            os.utime(path, ns=(mtime, mtime))


def test_a_folder_changed_just_before_the_listing_is_listed_again_next_time(store):
    store.dump(key(0), 0)
    age_folders(store, by_ns=HOUR_NS // 7200)  # changed half a second before the listing
    assert store.list_files() == {key(0)}
    folder = key(0)[:2].decode()
    assert folder not in saved_folders(store)  # changed within the settling time: not saved
    # A second file appears in the same clock tick: the folder's time does not move.
    path = os.path.join(store.path, folder)
    before = os.stat(path).st_mtime_ns
    twin = key(0)[:2] + b"f" * 38
    open(os.path.join(path, twin[2:].decode()), "wb").close()
    os.utime(path, ns=(before, before))
    assert store.list_files() == {key(0), twin}


def test_settled_folders_are_saved_and_changes_to_them_are_seen(store):
    keys = [key(i) for i in range(600)]
    for k in keys:
        store.dump(k, 1)
    age_folders(store)
    assert store.list_files() == set(keys)
    folders = {k[:2].decode() for k in keys}
    assert saved_folders(store) == folders
    # Every kind of change moves the folder's time: a new result, a removal,
    # a result renamed over an old one, a stray file.
    store.dump(key(1000), 2)
    store.remove(keys[0])
    store.dump(keys[1], 3)
    stray = os.path.join(store.path, keys[2][:2].decode(), "stray")
    open(stray, "w").close()
    assert store.list_files() == real_listing(store) - {keys[2][:2] + b"stray"}
    assert store._all_keys() == real_listing(store)
    assert store.can_load_many(keys + [key(1000)]) == (set(keys) - {keys[0]}) | {key(1000)}


def test_saved_listings_are_reused_without_listing_the_folder(store, monkeypatch):
    for i in range(300):
        store.dump(key(i), i)
    age_folders(store)
    store.list_files()
    listed = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: listed.append(path) or real_listdir(path))
    assert store.list_files() == {key(i) for i in range(300)}
    assert listed == [os.fsencode(store.path)]  # the top folder only


def test_folders_that_appear_or_vanish(store):
    store.dump(key(0), 0)
    age_folders(store)
    store.list_files()
    store.dump(key(1), 1)  # most likely a new folder
    assert store.list_files() == {key(0), key(1)}
    folder = os.path.join(store.path, key(0)[:2].decode())
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))
    os.rmdir(folder)
    assert store.list_files() == {key(1)}


def test_a_damaged_saved_listing_is_ignored_and_replaced(store):
    for i in range(50):
        store.dump(key(i), i)
    age_folders(store)
    store.list_files()
    for garbage in (b"", b"not ours\n", b"jugcore-listing 1\nzz notanumber a b\n\n", os.urandom(500)):
        with open(cache_path(store), "wb") as f:
            f.write(garbage)
        assert store.list_files() == {key(i) for i in range(50)}
    assert len(saved_folders(store)) > 0


def test_a_read_only_jugdir_is_listed_without_saving(store):
    store.dump(key(0), 0)
    age_folders(store)
    os.rmdir(os.path.join(store.path, "tempfiles"))
    open(os.path.join(store.path, "tempfiles"), "w").close()  # nothing can be created under it (even as root)
    assert store.list_files() == {key(0)}
    assert store.list_files() == {key(0)}
    assert os.path.isfile(os.path.join(store.path, "tempfiles"))


def test_the_cache_can_be_turned_off(tmp_path):
    store = FileStore(str(tmp_path / "jugdata"), fsync=False, listing_cache=False)
    store.dump(key(0), 0)
    age_folders(store)
    assert store.list_files() == {key(0)}
    assert not os.path.exists(cache_path(store))


JUGFILE = """\
from jug import TaskGenerator

@TaskGenerator
def f(i):
    return i

results = [f(i) for i in range(400)]
"""


def test_jug_status_sees_a_result_deleted_behind_its_back(tmp_path, jug):
    (tmp_path / "jugfile.py").write_text(JUGFILE)
    assert jug("execute", "jugfile.py", cwd=tmp_path).returncode == 0
    store = FileStore(str(tmp_path / "jugfile.jugdata"))
    age_folders(store)
    assert jug("status", "jugfile.py", cwd=tmp_path).returncode == 0
    assert len(saved_folders(store)) > 200
    victim = sorted(store.list_files())[7].decode()
    os.unlink(os.path.join(store.path, victim[:2], victim[2:]))
    status = jug("status", "--short", "jugfile.py", cwd=tmp_path)
    assert status.returncode == 1
    assert "1 tasks waiting to be run" in status.stdout
    os.unlink(cache_path(store))
    off = jug("status", "--short", "jugfile.py", cwd=tmp_path, env={"JUG_FILE_LISTING_CACHE": "0"})
    assert off.stdout == status.stdout
    assert not os.path.exists(cache_path(store))


# --- the kept answer: "all of these keys have results" ---------------------------
def answer_path(store):
    return os.path.join(store.path, "tempfiles", ANSWER_NAME)


def finished_store(store, n=500):
    keys = [key(i) for i in range(n)]
    for k in keys:
        store.dump(k, 0)
    age_folders(store)
    return keys


def test_all_present_is_answered_again_without_listing_a_folder(store, monkeypatch):
    keys = finished_store(store)
    assert store.can_load_many(keys) == set(keys)
    assert os.path.exists(answer_path(store))
    listed = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: listed.append(path) or real_listdir(path))
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k))
    assert store.can_load_many(keys) == set(keys)
    assert listed == [os.fsencode(store.path)]
    assert os.fsencode(cache_path(store)) not in opened  # not even the saved listings were read


def test_the_kept_answer_is_for_those_keys_only(store):
    keys = finished_store(store)
    store.can_load_many(keys)
    assert store.can_load_many(keys + [key(10**6)]) == set(keys)
    assert store.can_load_many(keys[1:]) == set(keys[1:])
    assert store.can_load_many(keys) == set(keys)


def test_a_removed_result_voids_the_kept_answer(store):
    keys = finished_store(store)
    store.can_load_many(keys)
    store.remove(keys[3])
    assert store.can_load_many(keys) == set(keys) - {keys[3]}
    os.unlink(os.path.join(store.path, keys[4][:2].decode(), keys[4][2:].decode()))  # behind the store's back
    assert store.can_load_many(keys) == set(keys) - {keys[3], keys[4]}


def test_no_answer_is_kept_while_a_folder_is_unsettled(store):
    keys = finished_store(store)
    store.dump(key(10**6), 1)  # its folder changed just now
    assert store.can_load_many(keys + [key(10**6)]) == set(keys) | {key(10**6)}
    assert not os.path.exists(answer_path(store))
    # Removed within the same clock tick: the folder's time does not move.
    path = os.path.join(store.path, key(10**6)[:2].decode())
    before = os.stat(path).st_mtime_ns
    os.unlink(os.path.join(path, key(10**6)[2:].decode()))
    os.utime(path, ns=(before, before))
    assert store.can_load_many(keys + [key(10**6)]) == set(keys)


def test_status_check_and_a_no_op_execute_share_one_kept_answer(tmp_path, jug):
    (tmp_path / "jugfile.py").write_text(JUGFILE + "again = [f(i) for i in range(10)]\n")  # some tasks twice
    assert jug("execute", "jugfile.py", cwd=tmp_path).returncode == 0
    store = FileStore(str(tmp_path / "jugfile.jugdata"))
    age_folders(store)
    assert jug("check", "jugfile.py", cwd=tmp_path).returncode == 0
    with open(answer_path(store), "rb") as f:
        kept = f.read()
    for command in ("status", "execute", "check"):
        assert jug(command, "jugfile.py", cwd=tmp_path).returncode == 0
        with open(answer_path(store), "rb") as f:
            assert f.read() == kept, command  # asked for the same keys, in the same order


@pytest.mark.parametrize("name", [CACHE_NAME, ANSWER_NAME])
def test_a_saved_file_others_could_write_is_not_trusted(store, name):
    keys = [key(i) for i in range(100)]
    for k in keys:
        store.dump(k, 0)
    age_folders(store)
    assert store.can_load_many(keys) == set(keys)  # saves both files
    saved = os.path.join(store.path, "tempfiles", name)
    assert os.stat(saved).st_mode & 0o777 == 0o644  # whatever the umask
    # A result goes, and the folder's time is put back: only the saved files now
    # say it is there, and a file others could write may say anything.
    folder = os.path.join(store.path, keys[0][:2].decode())
    before = os.stat(folder).st_mtime_ns
    os.unlink(os.path.join(folder, keys[0][2:].decode()))
    os.utime(folder, ns=(before, before))
    other = ANSWER_NAME if name == CACHE_NAME else CACHE_NAME
    os.unlink(os.path.join(store.path, "tempfiles", other))
    os.chmod(saved, 0o666)
    assert store.can_load_many(keys) == set(keys[1:])
