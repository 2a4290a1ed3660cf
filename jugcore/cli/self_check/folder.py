"""Working in a check's own folder, where its relative jugdirs land."""
import contextlib
import os


@contextlib.contextmanager
def inside(folder):
    """``folder`` as the current one for the block (contextlib.chdir is 3.11+)."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)
