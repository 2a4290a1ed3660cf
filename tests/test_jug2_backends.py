"""``jug.backends`` as Jug 2 code uses it: the names resolve to the store
plugins' objects through what they declare (no store named by the core),
``select`` opens any jugdir, ``memoize_store`` asks each question once, and
``encode``/``decode`` bytes are Jug 2.7's both ways."""
import subprocess
import sys

import pytest
from pytest_jug.processes import jug_environ

from jugcore.app import make_app, use_app
from jugcore.stores.contract import jug2_object


def test_each_store_module_names_its_plugins_objects():
    from jug.backends.dict_store import dict_lock, dict_store
    from jug.backends.file_store import file_based_lock, file_keepalive_store, file_store
    from jug.backends.redis_store import redis_lock, redis_store
    from jugcore.api import Lock, Store

    for store in (dict_store, file_store, file_keepalive_store, redis_store):
        assert issubclass(store, Store), store
    for lock in (dict_lock, file_based_lock, redis_lock):
        assert issubclass(lock, Lock), lock
    assert redis_store.__module__ == "jug_redis.store" and file_store.__module__ == "jug_file.store"


def test_a_name_no_enabled_plugin_declares_says_why():
    script = ("import jug.backends.redis_store as m\n"
              "try:\n    m.redis_store\nexcept AttributeError as e:\n    print(e)\n"
              "print(hasattr(m, 'nothing'))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=jug_environ({"JUG_DISABLE_PLUGINS": "redis"}))
    assert run.stdout.splitlines() == [
        "jug.backends.redis_store.redis_store is an object of the store plugin for 'redis:' jugdirs, which is not "
        "enabled here. The 'redis:' store is disabled: it comes from the plugin 'redis' of jug-redis, which "
        "JUG_DISABLE_PLUGINS names; take 'redis' out of that variable to enable it.", "False"], run.stderr


def test_the_core_finds_them_through_the_plugins_declarations():
    pm = make_app().pm
    assert jug2_object(pm, "jug.backends.dict_store.dict_store").__name__ == "DictStore"
    assert jug2_object(pm, "jug.backends.file_store.MAX_FILESIZE_IN_PACK") == 512  # Jug 2.7's
    assert jug2_object(pm, "jug.backends.nothing.here") is None


def test_select_opens_a_jugdir_and_passes_a_store_through(tmp_path):
    from jug.backends import select

    store = select(str(tmp_path / "results"))
    try:
        assert type(store).__name__ == "FileStore"
        assert select(store) is store
    finally:
        store.close()
    assert type(select("dict_store")).__name__ == "DictStore"


def test_memoize_store_asks_each_question_once():
    from jug.backends import memoize_store
    from jug.backends.dict_store import dict_store

    class Counting(dict_store):
        asked = 0

        def can_load(self, key):
            Counting.asked += 1
            return super().can_load(key)

    base = Counting()
    base.dump(b"k", 1)
    memo = memoize_store(base)
    assert memo.can_load(b"k") and memo.can_load(b"k") and not memo.can_load(b"other")
    assert Counting.asked == 2
    base.getlock(b"held").get()
    listed = memoize_store(base, list_base=True)
    assert listed.can_load(b"k") and listed.getlock(b"held").is_locked() and not listed.getlock(b"k").is_locked()
    with pytest.raises(NotImplementedError):
        memo.dump(b"k", 2)


_JUG27_ROUND_TRIP = """
import sys
from jug.backends.encode import decode, encode
if sys.argv[1] == "write":
    sys.stdout.buffer.write(encode({"a": [1, 2.5, "x"], "b": None}))
else:
    print(decode(sys.stdin.buffer.read()))
"""


def test_encoded_bytes_are_jug27s_both_ways(jug27_python, tmp_path):
    from jug.backends.encode import decode, encode

    # In tmp_path: `python -c` puts the current folder first, and ours holds a jug/.
    theirs = subprocess.run([str(jug27_python), "-c", _JUG27_ROUND_TRIP, "write"], capture_output=True, check=True,
                            cwd=tmp_path)
    assert decode(theirs.stdout) == {"a": [1, 2.5, "x"], "b": None}
    read = subprocess.run([str(jug27_python), "-c", _JUG27_ROUND_TRIP, "read"], input=encode([3, "y"]),
                          capture_output=True, check=True, cwd=tmp_path)
    assert read.stdout.decode().strip() == "[3, 'y']"
