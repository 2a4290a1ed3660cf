"""How a jugdir string chooses its store: ``scheme:location`` with no ``//`` in
the location, anything else a folder (a bare word too), except Jug 2.7's
``dict_store``."""
import pytest

from jugcore.api import JugdirURL, parse_jugdir
from pytest_jug import sample_jugfile

CASES = [
    ("redis://host/0", "redis", "host/0"),
    ("redis://:pw@host:6379/0", "redis", ":pw@host:6379/0"),
    ("unix:///run/redis.sock", "unix", "/run/redis.sock"),
    ("sqlite:runs/a.db", "sqlite", "runs/a.db"),
    ("sqlite:///tmp/a.db", "sqlite", "/tmp/a.db"),
    ("file_keepalive:run.jugdata?lease=60", "file_keepalive", "run.jugdata?lease=60"),
    ("dict_store", "dict_store", ""),  # Jug 2.7's spelling
    ("dict_store:run.pkl", "dict_store", "run.pkl"),
    ("mystore:", "mystore", ""),
    ("lmdb", "file", "lmdb"),  # a bare word is a folder, whatever is installed
    ("redis", "file", "redis"),
    ("primes.jugdata", "file", "primes.jugdata"),
    ("./a:b", "file", "./a:b"),
    ("/abs/path", "file", "/abs/path"),
    ("~/run", "file", "~/run"),
    ("C:\\runs\\x", "file", "C:\\runs\\x"),
]


@pytest.mark.parametrize("text, scheme, location", CASES, ids=[c[0] for c in CASES])
def test_parse_jugdir(text, scheme, location):
    assert parse_jugdir(text) == JugdirURL(text, scheme, location)
    assert parse_jugdir(text, known_schemes=["lmdb", "redis", "mystore"]) == JugdirURL(text, scheme, location)


def test_a_bare_word_is_a_folder_and_dict_store_is_in_memory(jug, jugfile):
    folder = jugfile(sample_jugfile(n=2)).parent
    run = jug("execute", "jugfile.py", "--jugdir", "lmdb", cwd=folder)
    assert run.returncode == 0, run
    assert [p.name for p in (folder / "lmdb").iterdir() if len(p.name) == 2]  # result folders, Jug 2.7's layout
    memory = jug("execute", "jugfile.py", "--jugdir", "dict_store", cwd=folder)
    assert memory.returncode == 0, memory
    assert sorted(p.name for p in folder.iterdir()) == ["jugfile.py", "lmdb"]  # nothing written for it


def test_a_file_url_names_the_folder_after_the_slashes(jug, jugfile):
    folder = jugfile(sample_jugfile(n=2)).parent
    run = jug("execute", "jugfile.py", "--jugdir", f"file://{folder}/run.jugdata", cwd=folder)
    assert run.returncode == 0, run
    assert (folder / "run.jugdata").is_dir()
