"""Writing a task's result (and how it was computed) to a file of your choosing.

The writing is itself a task, ``jug.io._do_write_task_out`` (Jug 2.7's name,
part of its key), so it happens under ``jug execute`` like any other.
"""
import json
import pickle

from jugcore.model.describe import describe
from jugcore.errors import JugError
from jugcore.model.jug_names import present_as
from jugcore.model.task import TaskGenerator
from jugcore.temp_files import replacing
from jugcore.model.wrappers import NoLoad

__all__ = ["write_task_out", "write_metadata"]


def _write_metadata(task, fname, metadata_format):
    fmt = metadata_format.lower()
    if fmt not in ("yaml", "json"):
        raise JugError(f"jug.io.write_task_out: unknown metadata format {metadata_format!r}; "
                       "use 'yaml' (needs PyYAML) or 'json'")
    description = describe(task)
    with replacing(fname, "w") as output:
        if fmt == "json":
            json.dump(description, output)
        else:
            _yaml().dump(description, output)


def _yaml():
    try:
        import yaml  # optional: only write_task_out(..., "x.yaml") needs it
    except ImportError:
        raise JugError("jug.io: metadata_format='yaml' needs PyYAML (pip install pyyaml); "
                       "or pass metadata_format='json'") from None
    return yaml


def _write_value(result, fname):
    try:
        import numpy as np  # 90 ms, and optional: only arrays need it
    except ImportError:
        np = None
    with replacing(fname, "wb") as output:
        if np is not None and isinstance(result, np.ndarray):
            np.save(output, result)  # a file object: numpy adds no '.npy' to the name
        else:
            pickle.dump(result, output)


@TaskGenerator
def _do_write_task_out(result_value, result, oname, metadata_fname=None, metadata_format="yaml"):
    if metadata_fname is not None:
        _write_metadata(result.base, metadata_fname, metadata_format)
    if oname is not None:
        _write_value(result_value, oname)


def write_task_out(result, oname, metadata_fname=None, metadata_format="yaml"):
    """A task that writes ``result``'s value to ``oname`` (``.npy`` for a numpy array,
    a pickle otherwise) and, given ``metadata_fname``, ``describe(result)`` there
    ('yaml' or 'json')."""
    return _do_write_task_out(result, NoLoad(result), oname, metadata_fname, metadata_format)


def write_metadata(result, metadata_fname, metadata_format="yaml"):
    """A task that writes only ``describe(result)`` to ``metadata_fname``."""
    return _do_write_task_out(result, NoLoad(result), None, metadata_fname, metadata_format)


present_as("jug.io", _do_write_task_out.f, write_task_out, write_metadata)
