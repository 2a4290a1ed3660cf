"""Which result files a jugdir holds, remembered between commands.

Listing the 256 folders of a big jugdir is most of what `jug status` or a
no-op `jug execute` spend on the store (and far more on NFS, a round trip a
folder).  A folder's modification time changes whenever a file is created,
renamed into, or removed from it, so a listing saved with the folder's time
is still right while that time has not moved: only the folders that changed
are listed again.  The saved listings live in ``tempfiles/jugcore-listing``
(Jug 2.7 only ever writes temporary files there, and its `cleanup` deleting
it costs one full listing).

A change made in the same clock tick as the listing could leave the folder's
time unchanged.  So a folder's listing is saved only if the folder was last
changed well before the listing began (``_SETTLED_NS``), measured on the
filesystem's own clock (the time of a file we create there, which is right
on NFS too).  ``[file] listing-cache = false`` turns this off for
filesystems that do not keep folder times (some FUSE mounts).
"""
import os

__all__ = ["list_result_names", "CACHE_NAME"]

CACHE_NAME = "jugcore-listing"
_HEADER = b"jugcore-listing 1\n"
# Far more than any filesystem's time granularity (FAT's is 2 s), yet a
# folder changed this long before a listing is trusted by the next command.
_SETTLED_NS = 2_000_000_000
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL


def list_result_names(base, temp_dir, use_cache=True):
    """The set of ``folder + name`` (bytes) of every file in the two-character
    folders of ``base`` (bytes).  ``temp_dir`` (bytes) holds the saved listings."""
    try:
        folders = [f for f in os.listdir(base) if len(f) == 2]
    except FileNotFoundError:
        return set()
    if not use_cache:
        found = set()
        for folder in folders:
            found.update(_list_folder(base, folder))
        return found
    saved = _read_saved(os.path.join(temp_dir, CACHE_NAME.encode()))
    found = set()
    keep = []  # saved lines still right, written again as they were
    changed = []  # (folder, its time before listing)
    for folder in folders:
        try:
            mtime = os.stat(os.path.join(base, folder)).st_mtime_ns
        except (FileNotFoundError, NotADirectoryError):
            continue
        line = saved.get(folder)
        if line is not None and _saved_time(line) == mtime:
            found.update(line.split()[2:])
            keep.append(line)
        else:
            changed.append((folder, mtime))
    if changed:
        _list_and_save(base, temp_dir, changed, keep, found)
    return found


def _list_folder(base, folder):
    try:
        return map(folder.__add__, os.listdir(os.path.join(base, folder)))
    except (NotADirectoryError, FileNotFoundError):
        return ()


def _read_saved(path):
    """{folder: its saved line}; nothing when there is no usable file."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return {}
    if not data.startswith(_HEADER):
        return {}
    return {line[:2]: line for line in data[len(_HEADER):].split(b"\n") if line}


def _saved_time(line):
    end = line.find(b" ", 3)  # after "<folder> <time>": the keys, if any
    try:
        return int(line[3:] if end < 0 else line[3:end])
    except ValueError:
        return None


def _list_and_save(base, temp_dir, changed, keep, found):
    """List the ``changed`` folders into ``found``, and save every listing
    that the next command may trust (when the jugdir is writable)."""
    temp = os.path.join(temp_dir, b"%s.%d-%s" % (CACHE_NAME.encode(), os.getpid(), os.urandom(4).hex().encode()))
    fd = _create(temp, temp_dir)
    # The filesystem's clock now, before any of the folders is listed.
    began = os.fstat(fd).st_mtime_ns if fd is not None else None
    settled = []
    try:
        for folder, mtime in changed:
            keys = list(_list_folder(base, folder))
            found.update(keys)
            if began is not None and mtime < began - _SETTLED_NS:
                line = b" ".join([folder, b"%d" % mtime, *keys])
                if len(line.split()) == len(keys) + 2:  # no stray name with white space in it
                    settled.append(line)
    except BaseException:
        settled = []
        raise
    finally:
        if fd is not None and not settled:  # nothing new worth saving
            os.close(fd)
            _remove(temp)
    if settled:
        _save(fd, temp, os.path.join(temp_dir, CACHE_NAME.encode()), keep + settled)


def _save(fd, temp, final, lines):
    try:
        with open(fd, "wb") as f:
            f.write(_HEADER + b"\n".join(lines) + b"\n")
        os.replace(temp, final)
    except OSError:
        _remove(temp)  # a full disk costs the next command a listing, nothing else


def _create(temp, temp_dir):
    for _ in range(2):
        try:
            return os.open(temp, _CREATE, 0o644)
        except FileNotFoundError:
            try:
                os.makedirs(temp_dir, exist_ok=True)
            except OSError:
                return None
        except OSError:  # read-only jugdir: list without saving
            return None
    return None


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass
