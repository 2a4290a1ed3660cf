"""Which result files a jugdir holds, remembered between commands.

Listing the 256 folders of a big jugdir is most of what `jug status` or a
no-op `jug execute` spend on the store (and far more on NFS, a round trip a
folder).  A folder's modification time changes whenever a file is created,
renamed into, or removed from it, so a listing saved with the folder's time
is still right while that time has not moved: only the folders that changed
are listed again.  The saved listings live in ``tempfiles/jugcore-listing``
(Jug 2.7 only ever writes temporary files there, and its `cleanup` deleting
it costs one full listing).

A saved file another user owns, or could write, is ignored (listed again).

A change made in the same clock tick as the listing could leave the folder's
time unchanged.  So a folder's listing is saved only if the folder was last
changed well before the listing began (``_SETTLED_NS``), measured on the
filesystem's own clock (the time of a file we create there, which is right
on NFS too).  ``[file] listing-cache = false`` turns this off for
filesystems that do not keep folder times (some FUSE mounts).

Once every task of a finished project was found, that answer is kept too
(``tempfiles/jugcore-all-present``: which keys, and every folder's time): while
no folder has changed, the same question is answered without reading any
listing.
"""
import hashlib
import os

from jugcore.api import replacing

__all__ = ["ResultListing", "CACHE_NAME", "ANSWER_NAME"]

CACHE_NAME = "jugcore-listing"
ANSWER_NAME = "jugcore-all-present"
_HEADER = b"jugcore-listing 1\n"
_ANSWER_HEADER = b"jugcore-all-present 1\n"
# Far more than any filesystem's time granularity (FAT's is 2 s), yet a
# folder changed this long before a listing is trusted by the next command.
_SETTLED_NS = 2_000_000_000


class ResultListing:
    """The result files of one jugdir (``base``, bytes); the saved listings go in
    ``temp_dir`` (bytes) unless ``use_cache`` is false."""

    def __init__(self, base, temp_dir, use_cache=True):
        self.base = base
        self.temp_dir = temp_dir
        self.use_cache = use_cache
        self._cache_path = os.path.join(temp_dir, CACHE_NAME.encode())
        self._answer_path = os.path.join(temp_dir, ANSWER_NAME.encode())

    def names(self):
        """The set of ``folder + name`` of every file in the two-character folders."""
        if not self.use_cache:
            found = set()
            for folder in self._folders():
                found.update(self._list_folder(folder))
            return found
        return self._names(self._folder_times())[0]

    def present(self, keys):
        """Those of ``keys`` (a list of bytes) that have a result file.  The
        answer is kept for the list as given: callers asking again for the same
        tasks should list them in the same order (the jugfile's)."""
        if not self.use_cache:
            return self.names().intersection(keys)
        times = self._folder_times()
        kept = _read(self._answer_path)
        if kept and kept == _answer(keys, times):
            return set(keys)
        found, all_saved = self._names(times)
        present = found.intersection(keys)
        if all_saved and len(present) == len(set(keys)):
            self._write(self._answer_path, _answer(keys, times))
        return present

    def _folders(self):
        try:
            return [f for f in os.listdir(self.base) if len(f) == 2]
        except FileNotFoundError:
            return []

    def _folder_times(self):
        """{folder: modification time}, read before any folder is listed."""
        times = {}
        for folder in self._folders():
            try:
                times[folder] = os.stat(os.path.join(self.base, folder)).st_mtime_ns
            except (FileNotFoundError, NotADirectoryError):
                pass
        return times

    def _list_folder(self, folder):
        try:
            return map(folder.__add__, os.listdir(os.path.join(self.base, folder)))
        except (NotADirectoryError, FileNotFoundError):
            return ()

    def _names(self, times):
        """(every name, whether every folder's listing is saved and so trusted)."""
        saved = _saved_lines(_read(self._cache_path))
        found = set()
        keep = []  # saved lines still right, written again as they were
        changed = []  # (folder, its time before listing)
        for folder, mtime in times.items():
            line = saved.get(folder)
            if line is not None and _saved_time(line) == mtime:
                found.update(line.split()[2:])
                keep.append(line)
            else:
                changed.append((folder, mtime))
        if not changed:
            return found, True
        return found, self._list_and_save(changed, keep, found)

    def _list_and_save(self, changed, keep, found):
        """List the ``changed`` folders into ``found``, and save every listing
        that the next command may trust; whether all of them were."""
        settled = None
        try:
            with replacing(self._cache_path, folder=self.temp_dir, make_folder=True) as f:
                _only_we_write(f)
                # The filesystem's clock now, before any of the folders is listed.
                settled = self._list(changed, found, os.fstat(f.fileno()).st_mtime_ns)
                if not settled:
                    raise _NothingToSave
                f.write(_HEADER + b"\n".join(keep + settled) + b"\n")
        except _NothingToSave:
            return False
        except OSError:  # a read-only jugdir, a full disk: the next command lists again
            if settled is None:
                self._list(changed, found, None)
            return False
        return len(settled) == len(changed)

    def _list(self, changed, found, began):
        """List the ``changed`` folders into ``found``; the lines worth saving
        (folders last changed well before ``began``, if known)."""
        settled = []
        for folder, mtime in changed:
            keys = list(self._list_folder(folder))
            found.update(keys)
            if began is not None and mtime < began - _SETTLED_NS:
                line = b" ".join([folder, b"%d" % mtime, *keys])
                if len(line.split()) == len(keys) + 2:  # no stray name with white space in it
                    settled.append(line)
        return settled

    def _write(self, path, data):
        try:
            with replacing(path, folder=self.temp_dir, make_folder=True) as f:
                _only_we_write(f)
                f.write(data)
        except OSError:
            pass  # a read-only jugdir, a full disk: the next command answers from the listings


class _NothingToSave(Exception):
    pass


def _answer(keys, times):
    """What ``tempfiles/jugcore-all-present`` holds when all ``keys`` had results
    and the folders had these ``times``."""
    digest = hashlib.sha1(b"\n".join(keys)).hexdigest().encode()
    folders = b" ".join(b"%s:%d" % (folder, mtime) for folder, mtime in sorted(times.items()))
    return b"%s%s\n%s\n" % (_ANSWER_HEADER, digest, folders)


def _only_we_write(f):
    """Whatever the umask (002 on shared machines), a saved listing is
    writable by us alone, or _read would not trust it."""
    os.fchmod(f.fileno(), 0o644)


def _read(path):
    """The saved file's bytes; nothing when another user could have written it
    (not ours, or writable by others): its word decides what `jug status` says."""
    try:
        with open(path, "rb") as f:
            info = os.fstat(f.fileno())
            if info.st_uid != os.geteuid() or info.st_mode & 0o022:
                return b""
            return f.read()
    except OSError:
        return b""


def _saved_lines(data):
    """{folder: its saved line}; nothing when the file is not ours."""
    if not data.startswith(_HEADER):
        return {}
    return {line[:2]: line for line in data[len(_HEADER):].split(b"\n") if line}


def _saved_time(line):
    end = line.find(b" ", 3)  # after "<folder> <time>": the keys, if any
    try:
        return int(line[3:] if end < 0 else line[3:end])
    except ValueError:
        return None
