"""The jugdir as the compute nodes must see it: a relative path made
absolute, and stores that cannot be shared by the workers of a job array
refused."""
import os

from jugcore.api import JugError, parse_jugdir

__all__ = ["jugdir_for_workers"]


def jugdir_for_workers(app, jugdir, workers):
    """``jugdir`` with its path made absolute (the workers may start in another
    folder); a JugError when ``workers`` workers on other nodes could not use it."""
    url = parse_jugdir(jugdir)
    backend = app.backend_of(jugdir)  # an unknown scheme is an error here, listing the known ones
    if not backend.shared_between_processes:
        if not url.location:
            raise JugError(f"--jugdir {jugdir} keeps results in the memory of one worker: they would be lost "
                           "when its job ends. Name a folder the compute nodes can see "
                           "(--jugdir /shared/project.jugdata)")
        if workers > 1:
            raise JugError(f"--jugdir {jugdir} is one process's store and cannot be shared by {workers} "
                           "workers: use --workers 1, or a store workers share (a folder the compute nodes "
                           "see, or redis://...)")
    return _absolute(jugdir, url)


def _absolute(jugdir, url):
    if url.scheme == "file" and not jugdir.startswith("file:"):
        return os.path.abspath(os.path.expanduser(jugdir))
    prefix = jugdir[:len(url.scheme) + 1]
    rest = jugdir[len(prefix):]
    if not rest or rest.startswith("/"):  # in-memory, absolute, or //host: a URL
        return jugdir
    return prefix + os.path.abspath(os.path.expanduser(rest))
