"""The pack seen through FileStore, on real directories: what is packed, and that
packed results count as present everywhere and can be removed."""
import hashlib
import os
import pickle
import subprocess
import sys
import zlib

import numpy as np
import pytest

from jug_file.lock import FileLock
from jug_file.store import FileStore
from jugcore.formats.encoding import encode_native
from jugcore.errors import JugError
from pytest_jug import wait_until


def key(i):
    return hashlib.sha1(f"key-{i}".encode()).hexdigest().encode("ascii")


SMALL = {key(0): 1, key(1): None, key(2): [1, 2, 3], key(3): {"a": (1, 2)}, key(4): "text"}
LARGE = {key(9): list(range(0, 10 ** 6, 997))}  # far more than 512 bytes compressed


@pytest.fixture
def jugdir(tmp_path):
    return str(tmp_path / "jugdata")


def packed_store(jugdir, values=None):
    store = FileStore(jugdir)
    for k, v in {**SMALL, **LARGE, **(values or {})}.items():
        store.dump(k, v)
    return store


def pack_path(jugdir):
    return os.path.join(jugdir, "packs", "jugpack")


def result_files(store):
    return store.list_files()


def test_pack_moves_small_results_only_and_every_question_sees_them(jugdir):
    store = packed_store(jugdir, {key(5): np.arange(3)})
    assert store.pack_small_results() == len(SMALL) + 1
    assert result_files(store) == set(LARGE)
    raw = zlib.decompress(open(pack_path(jugdir), "rb").read())
    assert raw[:1] == b"P" and set(pickle.loads(raw[1:])) == set(SMALL) | {key(5)}  # Jug 2.7's format
    fresh = FileStore(jugdir)  # another process, opening the jugdir afterwards
    for s in (store, fresh):
        everything = set(SMALL) | set(LARGE) | {key(5)}
        assert set(s.list()) == everything
        assert all(s.can_load(k) for k in everything)
        assert s.can_load_many(list(everything) + [key(77)]) == everything
        many = [key(i) for i in range(100, 200)] + list(everything)  # the one-listing path
        assert s.can_load_many(many) == everything
        for k, v in {**SMALL, **LARGE}.items():
            assert s.load(k) == v
        assert s.load(key(5)).tolist() == [0, 1, 2]
        with pytest.raises(KeyError):
            s.load(key(77))
    assert store.pack_small_results() == 0  # nothing left to pack


def test_a_store_opened_before_the_pack_still_finds_the_results(jugdir):
    store = packed_store(jugdir)
    early = FileStore(jugdir)
    assert early.can_load(key(0)) and early.load(key(2)) == [1, 2, 3]  # read as files
    assert FileStore(jugdir).pack_small_results() == len(SMALL)
    assert early.can_load(key(0)) and early.load(key(2)) == [1, 2, 3]  # now from the pack
    assert early.can_load_many(list(SMALL)) == set(SMALL)
    assert store.list() == early.list()


def test_removing_packed_results(jugdir):
    store = packed_store(jugdir)
    store.pack_small_results()
    other = FileStore(jugdir)
    assert other.can_load(key(0))  # has read the pack
    assert store.remove(key(0))
    assert not store.remove(key(0))
    assert store.remove_many([key(1), key(2), key(9), key(77)]) == 3  # two packed, one file
    for s in (store, other, FileStore(jugdir)):
        assert set(s.list()) == {key(3), key(4)}
        assert not s.can_load(key(0)) and not s.can_load(key(9))
        assert s.can_load_many([key(i) for i in range(10)]) == {key(3), key(4)}
    assert store.cleanup([key(4)]) == 1  # cleanup reaches into the pack too
    assert set(FileStore(jugdir).list()) == {key(4)}
    assert not FileLock(os.path.join(jugdir, "locks"), b"pack-save").is_locked()


def test_removing_without_a_pack_does_not_create_one(jugdir):
    store = packed_store(jugdir)
    assert store.remove(key(0))
    assert not os.path.exists(os.path.dirname(pack_path(jugdir)))


def test_storing_a_packed_key_again_takes_it_out_of_the_pack(jugdir):
    store = packed_store(jugdir)
    store.pack_small_results()
    stale = FileStore(jugdir)
    assert stale.load(key(0)) == 1
    stale.dump(key(0), "new")
    assert key(0) not in FileStore(jugdir)._pack.current()
    assert store.load(key(0)) == "new" and FileStore(jugdir).load(key(0)) == "new"


def test_a_newer_file_wins_over_the_packed_value_and_is_packed_next(jugdir):
    store = packed_store(jugdir)
    store.pack_small_results()
    # A writer that has not seen the pack yet writes a file next to the packed value.
    store.write_file(store.result_path(key(0)), encode_native("NEW"))
    assert FileStore(jugdir).load(key(0)) == "NEW"
    assert FileStore(jugdir).pack_small_results() == 1
    assert FileStore(jugdir).load(key(0)) == "NEW"
    assert key(0) not in result_files(store)


def test_a_corrupt_pack_is_one_clear_error(jugdir):
    store = packed_store(jugdir)
    store.pack_small_results()
    with open(pack_path(jugdir), "wb") as f:
        f.write(b"not a pack")
    with pytest.raises(JugError, match="jugpack cannot be read.*delete it"):
        FileStore(jugdir).can_load(key(0))
    assert FileStore(jugdir).can_load(key(9))  # files are found without reading the pack


PACK_SCRIPT = """\
import sys
from jug_file.store import FileStore
print(FileStore(sys.argv[1]).pack_small_results())
"""


def test_a_file_removed_while_pack_waits_for_its_lock_is_not_packed(jugdir, tmp_path):
    store = packed_store(jugdir)
    lock = FileLock(os.path.join(jugdir, "locks"), b"pack-save")
    assert lock.get()  # we are "another writer of the pack"
    packer = subprocess.Popen([sys.executable, "-c", PACK_SCRIPT, jugdir], stdout=subprocess.PIPE, text=True)
    try:
        # It reads the files first, then waits for the lock; nothing is packed or deleted meanwhile.
        assert not wait_until(lambda: packer.poll() is not None, 1.0)
        assert result_files(store) == set(SMALL) | set(LARGE)
        os.unlink(store.result_path(key(0)))  # an invalidate in another process, between read and pack
        lock.release()
        out, _ = packer.communicate(timeout=60)
    finally:
        if packer.poll() is None:
            packer.kill()
    assert packer.returncode == 0 and out.strip() == str(len(SMALL) - 1)
    fresh = FileStore(jugdir)
    assert not fresh.can_load(key(0))
    assert set(fresh.list()) == (set(SMALL) | set(LARGE)) - {key(0)}


WRITER_SCRIPT = """\
import os, sys, time
from jug_file.lock import FileLock
from jug_file.store import FileStore
from jugcore.formats.encoding import encode
jugdir, key, flags = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
store = FileStore(jugdir)
lock = FileLock(os.path.join(jugdir, "locks"), b"pack-save")
assert lock.get()
open(os.path.join(flags, "held"), "w").close()
while not os.path.exists(os.path.join(flags, "go")):
    time.sleep(0.005)
os.makedirs(os.path.join(jugdir, "packs"), exist_ok=True)
store.write_file(os.path.join(jugdir, "packs", "jugpack"), encode({key: "packed meanwhile"}))
lock.release()
"""


def test_a_remove_while_a_pack_is_being_written_takes_the_key_out_of_it(jugdir, tmp_path):
    import threading

    store = packed_store(jugdir)
    writer = subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, jugdir, key(0).decode(), str(tmp_path)])
    try:
        assert wait_until(lambda: (tmp_path / "held").exists(), 60)
        # The writer has read key(0)'s file and is about to put it in the pack.
        remover = threading.Thread(target=store.remove_many, args=([key(0)],))
        remover.start()
        assert not wait_until(lambda: not remover.is_alive(), 0.5)  # waits for the pack lock
        (tmp_path / "go").touch()
        remover.join(60)
        assert writer.wait(60) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    assert not remover.is_alive()
    assert not FileStore(jugdir).can_load(key(0))
    assert not os.path.exists(store.result_path(key(0)))


def test_a_corrupt_small_result_is_left_as_a_file(jugdir):
    store = packed_store(jugdir)
    with open(store.result_path(key(0)), "wb") as f:
        f.write(b"garbage")
    assert store.pack_small_results() == len(SMALL) - 1
    assert result_files(store) == {key(0)} | set(LARGE)
