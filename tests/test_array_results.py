"""numpy array results on the file store: what is loaded is what was stored
(dtype, shape, memory order and strides, 0-d, empty, structured, object),
the files are Jug 2.7's (raw ``.npy``, byte for byte), either program reads
the other's, a cut-short ``.npy`` is one clear error naming the task, and
big arrays go between the file and the array's memory in pieces.

Every jug run and every reader is a real process; the in-process tests at the
end exercise the pieces a small array never reaches (chunked writes of a
non-contiguous array, the collector's pause while unpickling)."""
import gc
import io
import os
import pickle
import subprocess
import sys
import textwrap
import zlib

import numpy as np
import pytest
from pytest_jug import traced_peak

from jugcore.formats import npy
from jugcore.formats.encoding import CorruptResult, decode, encode

OUR_PYTHON = sys.executable

# Shared by the jugfile (inside tasks) and this module (expected values).
ARRAYS = '''
import numpy as np

def make_array(kind):
    if kind == "c2d":
        return np.arange(35, dtype=np.float64).reshape(5, 7) / 3.0
    if kind == "fortran":
        return np.asfortranarray(np.arange(12, dtype=np.int16).reshape(3, 4))
    if kind == "fortran3d_bigendian":
        return np.asfortranarray(np.arange(24, dtype=">f4").reshape(2, 3, 4))
    if kind == "sliced":
        return np.arange(600, dtype=np.int64).reshape(20, 30)[::3, 1::4]
    if kind == "zero_d":
        return np.array(2.5)
    if kind == "empty":
        return np.zeros((0, 3))
    if kind == "empty_fortran":
        return np.zeros((4, 0, 2), order="F")
    if kind == "structured":
        return np.array([(1, 2.5, b"abc"), (-7, 1e300, b"")], dtype=[("id", "<i4"), ("score", ">f8"), ("tag", "S3")])
    if kind == "datetime":
        return np.arange(6).astype("datetime64[s]").reshape(2, 3)
    if kind == "unicode":
        return np.array(["alpha", "\\u03b2\\u00eata"])
    if kind == "big":
        return np.random.default_rng(1).random((1000, 700))
    if kind == "object":
        value = np.empty(4, dtype=object)
        value[:] = [1, "two", None, [3, 4]]
        return value
    raise ValueError(kind)

KINDS = ["c2d", "fortran", "fortran3d_bigendian", "sliced", "zero_d", "empty", "empty_fortran", "structured",
         "datetime", "unicode", "big", "object"]
NPY_KINDS = [k for k in KINDS if k != "object"]


def canon(v):
    """What must survive a store and a load: type, dtype, shape, memory order, the
    strides of that order, writability, and the elements."""
    if v.dtype.hasobject:
        return ("object", v.shape, v.tolist())
    order = "F" if v.flags.f_contiguous and not v.flags.c_contiguous else "C"
    strides = np.empty(v.shape, v.dtype, order=order).strides
    return (type(v).__name__, v.dtype.descr, v.shape, order, strides, v.tobytes(order="C"))


def loaded_canon(v):
    return canon(v) + (v.strides if v.size else "no elements", v.flags.writeable)
'''

JUGFILE = ARRAYS + '''
from jug import TaskGenerator

@TaskGenerator
def make(kind):
    return make_array(kind)

results = {kind: make(kind) for kind in KINDS}
'''

# argv: jugfile, jugdir, output pickle: {kind: loaded_canon(value)} as this implementation loads them
READER = ARRAYS + '''
import pickle, sys
import jug

jugfile, jugdir, out = sys.argv[1:4]
store, space = jug.init(jugfile, jugdir)
loaded = {kind: loaded_canon(jug.value(task)) for kind, task in space["results"].items()}
keys = {kind: task.hash().decode() if isinstance(task.hash(), bytes) else task.hash()
        for kind, task in space["results"].items()}
with open(out, "wb") as f:
    pickle.dump((loaded, keys), f, protocol=4)
'''

_namespace = {}
exec(ARRAYS, _namespace)
make_array, KINDS, NPY_KINDS, canon = (_namespace[n] for n in ("make_array", "KINDS", "NPY_KINDS", "canon"))


def expected(kind):
    """loaded_canon of a correctly loaded ``kind``: its canon, the strides of its order, writable."""
    value = make_array(kind)
    order = "F" if value.flags.f_contiguous and not value.flags.c_contiguous else "C"
    strides = np.empty(value.shape, value.dtype, order=order).strides if value.size else "no elements"
    return canon(value) + (strides, True)


class Project:
    def __init__(self, folder, jug, jug27, jug27_python):
        self.folder = folder
        self.run_jug = jug
        self.programs = {"ours": (None, OUR_PYTHON, []), "jug27": (jug27, jug27_python, ["--will-cite"])}
        (folder / "jugfile.py").write_text(JUGFILE)
        (folder / "reader.py").write_text(READER)

    def jugdir(self, writer):
        return self.folder / f"{writer}.jugdata"

    def execute(self, writer, *args, jugdir=None):
        exe, _, extra = self.programs[writer]
        run = self.run_jug("execute", "jugfile.py", "--jugdir", jugdir or self.jugdir(writer), *extra, *args,
                           cwd=self.folder, jug=exe)
        assert run.returncode == 0, run
        return run

    def read(self, reader, jugdir):
        """({kind: loaded_canon}, {kind: key}) as ``reader`` loads them from ``jugdir``."""
        _, python, _ = self.programs[reader]
        out = self.folder / f"read-by-{reader}.pickle"
        done = subprocess.run([str(python), "reader.py", "jugfile.py", str(jugdir), str(out)], cwd=self.folder,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        with open(out, "rb") as f:
            return pickle.load(f)

    def result_file(self, jugdir, key):
        return jugdir / key[:2] / key[2:]


@pytest.fixture
def project(tmp_path, jug, jug27, jug27_python):
    return Project(tmp_path, jug, jug27, jug27_python)


def assert_all_loaded_right(loaded):
    for kind in KINDS:
        assert loaded[kind] == expected(kind), kind


@pytest.mark.parametrize("writer", ["ours", "jug27"])
@pytest.mark.parametrize("reader", ["ours", "jug27"])
def test_arrays_load_back_as_stored_whichever_program_wrote_or_reads_them(project, writer, reader):
    project.execute(writer)
    loaded, _ = project.read(reader, project.jugdir(writer))
    assert_all_loaded_right(loaded)


def test_our_array_result_files_are_jug27s_byte_for_byte_and_object_arrays_are_pickled(project):
    project.execute("ours")
    project.execute("jug27")
    _, keys = project.read("ours", project.jugdir("ours"))
    for kind in NPY_KINDS:
        ours = project.result_file(project.jugdir("ours"), keys[kind]).read_bytes()
        assert ours == project.result_file(project.jugdir("jug27"), keys[kind]).read_bytes(), kind
        saved = io.BytesIO()
        np.save(saved, make_array(kind))
        assert ours == saved.getvalue(), kind
    stored_object = project.result_file(project.jugdir("ours"), keys["object"]).read_bytes()
    assert not stored_object.startswith(npy.NPY_MAGIC)
    assert decode(stored_object).tolist() == make_array("object").tolist()  # the zlib stream of a pickle


def test_packed_arrays_load_back_as_stored_in_ours_and_jug27(project):
    project.execute("ours")
    packed = project.run_jug("pack", "jugfile.py", "--jugdir", project.jugdir("ours"), cwd=project.folder)
    assert packed.returncode == 0, packed
    _, keys = project.read("ours", project.jugdir("ours"))
    small = [k for k in NPY_KINDS if not project.result_file(project.jugdir("ours"), keys[k]).exists()]
    assert {"fortran", "zero_d", "empty", "structured"} <= set(small)  # they went into the pack
    for reader in ("ours", "jug27"):
        loaded, _ = project.read(reader, project.jugdir("ours"))
        assert_all_loaded_right(loaded)


def test_arrays_load_back_as_stored_on_a_keepalive_jugdir(project):
    jugdir = f"file_keepalive:{project.folder / 'keepalive'}"
    project.execute("ours", jugdir=jugdir)
    loaded, _ = project.read("ours", jugdir)
    assert_all_loaded_right(loaded)


@pytest.mark.parametrize("cut", ["data", "header"])
def test_a_cut_short_npy_result_is_one_clear_error_naming_the_task_and_its_file(project, cut):
    project.execute("ours")
    _, keys = project.read("ours", project.jugdir("ours"))
    path = project.result_file(project.jugdir("ours"), keys["big"])
    data = path.read_bytes()
    path.write_bytes(data[:-1000] if cut == "data" else data[:40])
    (project.folder / "use.py").write_text(textwrap.dedent('''\
        from jugfile import *

        @TaskGenerator
        def total(a):
            return float(a.sum())

        t = total(results["big"])
    '''))
    run = project.run_jug("execute", "use.py", "--jugdir", project.jugdir("ours"), cwd=project.folder)
    assert run.returncode != 0, run
    assert "Traceback" not in run.output, run
    lines = [line for line in run.stderr.splitlines() if "cannot be read" in line]
    assert len(lines) == 1, run
    why = "is cut short: 5599000 of its 5600000 data bytes are there" if cut == "data" else "header cannot be read"
    for part in ("task jugfile.make", keys["big"], why, f"file {path}"):
        assert part in lines[0], run


# --- in-process: the pieces -------------------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    from jug_file import FileStore

    return FileStore(str(tmp_path / "jugdata"))


def test_a_non_contiguous_array_bigger_than_a_chunk_is_written_chunk_by_chunk_in_c_order(store, monkeypatch):
    monkeypatch.setattr(npy, "_CHUNK_BYTES", 4096)
    value = np.arange(40000, dtype=np.float64).reshape(200, 200)[::2, ::-3].T  # 67 x 100, no contiguity at all
    parts = list(npy.npy_parts(value))
    assert len(parts) > 3  # the header, then several chunks
    store.dump(b"a" * 40, value)
    saved = io.BytesIO()
    np.save(saved, value)
    with open(store.result_path(b"a" * 40), "rb") as f:
        assert f.read() == saved.getvalue()
    assert canon(store.load(b"a" * 40)) == canon(np.ascontiguousarray(value))


def test_a_read_only_array_is_stored_from_its_memory_and_loads_writable(store):
    value = np.arange(1000.0)
    value.flags.writeable = False
    store.dump(b"b" * 40, value)
    loaded = store.load(b"b" * 40)
    assert np.array_equal(loaded, value) and loaded.flags.writeable and not np.shares_memory(loaded, value)


def test_a_big_pickle_loads_with_the_collector_paused_and_running_again_after(monkeypatch):
    value = {f"k{i}": [i, (i, str(i))] for i in range(100_000)}  # well over the 1 MiB from which it pauses
    states = []
    real_loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data: (states.append(gc.isenabled()), real_loads(data))[1])
    assert decode(encode(value)) == value
    assert states == [False] and gc.isenabled()
    states.clear()
    cut_short = zlib.compress(b"P" + pickle.dumps(value)[:-1000])
    with pytest.raises(CorruptResult, match="pickled result cannot be read"):
        decode(cut_short)
    assert states == [False] and gc.isenabled()


def test_a_big_pickle_is_a_zlib_stream_at_level_1_and_a_small_one_at_level_6():
    big = pickle.dumps(list(range(100_000)), protocol=pickle.HIGHEST_PROTOCOL)
    small = {"a": list(range(50))}
    assert zlib.decompress(encode(list(range(100_000)))) == b"P" + big
    assert encode(list(range(100_000)))[1] == 0x01  # FLEVEL 0: the fastest compressor (level 1)
    assert encode(small)[1] & 0xC0 == 0x80  # FLEVEL 2: the default compressor (level 6)


def test_pieces_are_never_joined_in_memory_for_a_contiguous_array():
    value = np.asfortranarray(np.ones((300, 400)))
    header, data = list(npy.npy_parts(value))
    assert np.shares_memory(data, value) and data.nbytes == value.nbytes
    assert header.startswith(npy.NPY_MAGIC) and b"'fortran_order': True" in header


def test_loading_a_big_array_from_a_file_needs_no_memory_beyond_the_array(store):
    value = np.random.default_rng(0).random(32 * (1 << 20) // 8)
    store.dump(b"d" * 40, value)
    loaded, peak = traced_peak(lambda: store.load(b"d" * 40))
    assert np.array_equal(loaded, value)
    assert peak <= value.nbytes + (1 << 20), peak / value.nbytes  # no bytes of the file, no second copy


def test_a_big_pickle_is_compressed_beside_the_pickler_into_the_stream_jug_reads(monkeypatch):
    import threading

    from jugcore.formats import pickled

    value = {"numbers": list(range(1_000_000)), "blob": bytearray(os.urandom(1 << 20)), "array": np.arange(5.0)}
    threads = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda self: (threads.append(self.name), real_start(self))[1])
    stream = encode(value)
    assert threads == ["jug-compress"]
    assert zlib.decompress(stream)[:1] == b"P"
    loaded = decode(stream)
    assert loaded["numbers"] == value["numbers"] and loaded["blob"] == value["blob"]
    assert np.array_equal(loaded["array"], value["array"])
    assert len(pickle.dumps(value, protocol=5)) >= pickled.THREAD_FROM  # (else this tested nothing)


def test_a_value_that_fails_to_pickle_half_way_through_a_big_pickle_raises_and_leaves_no_thread():
    import threading

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("not this one")

    with pytest.raises(RuntimeError, match="not this one"):
        encode([list(range(2_000_000)), Unpicklable()])
    assert [t.name for t in threading.enumerate() if t.name == "jug-compress"] == []


def test_jug27_reads_a_big_pickled_result_compressed_beside_the_pickler(project):
    from jugcore.formats import pickled

    (project.folder / "bigpickle.py").write_text(textwrap.dedent('''\
        from jug import TaskGenerator

        @TaskGenerator
        def numbers(n):
            return {"n": n, "values": [i * 3 for i in range(n)]}

        result = numbers(1_000_000)
    '''))
    run = project.run_jug("execute", "bigpickle.py", cwd=project.folder)
    assert run.returncode == 0, run
    (project.folder / "read_big.py").write_text(textwrap.dedent('''\
        import sys
        import jug

        store, space = jug.init("bigpickle.py", "bigpickle.jugdata")
        value = jug.value(space["result"])
        print(value["n"], value["values"] == [i * 3 for i in range(value["n"])])
    '''))
    done = subprocess.run([str(project.programs["jug27"][1]), "read_big.py"], cwd=project.folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["1000000", "True"], done.stderr
    assert len(pickle.dumps({"n": 1, "values": [i * 3 for i in range(1_000_000)]})) >= pickled.THREAD_FROM
