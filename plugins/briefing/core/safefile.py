"""Open what the site reads only if it is an ordinary file inside the site's folder, and not too large.

A link to /dev/zero would be read until memory runs out, a named pipe would block for ever, a
link out of the folder would publish a file nobody reviewed: each is a problem, never a read.
"""

import contextlib
import functools
import os
import stat

from .problems import ContentError, Problem
from .yamlfile import MAX_BYTES as TEXT_MAX_BYTES

# Files `invoke fetch` writes (a month of the archive, the fetch state): far above a busy month.
DATA_MAX_BYTES = 1_000_000_000
LINK_FIX = "replace the link with the file itself"
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _inside(path, folder):
    return os.path.commonpath([path, folder]) == folder


def _too_large(max_bytes):
    return f"the file is larger than {max_bytes} bytes", "split it into smaller files"


def _refuse(rel, message, fix):
    raise ContentError([Problem(rel, None, message, fix)])


@functools.cache
def real_folder(folder):
    """The real path of a folder, each worked out once a run on top of its parent's: a build opens
    and writes thousands of files in thousands of folders (one lstat each, not one per part)."""
    parent, name = os.path.split(folder)
    if not name or name in (os.curdir, os.pardir) or os.path.islink(folder):
        return os.path.realpath(folder)
    return os.path.join(real_folder(parent), name)


def new_run():
    """Forget the folders' real paths: a link may have changed since this process last built."""
    real_folder.cache_clear()
    _real_folder_inside.cache_clear()


# O_NONBLOCK: opening a named pipe returns at once instead of waiting for a writer.
_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def _descriptor(path, root):
    """A descriptor of the file path names, every link followed, or ContentError when that is
    outside root or cannot be opened."""
    real_root = real_folder(root)
    folder, name = os.path.split(os.path.abspath(path))
    resolved = real_folder(folder)
    if _inside(resolved, real_root):
        with contextlib.suppress(OSError):  # the usual case: not a link, so already its real path
            return os.open(os.path.join(resolved, name), _FLAGS)
    real = os.path.realpath(path)  # a link, or no file: resolved in full, to say which
    if not _inside(real, real_root):
        _refuse(os.path.relpath(path, root), f"this links to {real}, outside the site's folder", LINK_FIX)
    try:
        return os.open(real, _FLAGS)
    except OSError as e:
        _refuse(
            os.path.relpath(path, root),
            f"the file cannot be read ({e.strerror})",
            "check that it exists and may be read",
        )


def signature(path, root):
    """(size, mtime, ctime, inode) of the file path names when _descriptor would open it as it is (an
    ordinary file, not a link, in a folder inside root), else None: what tells a file unchanged
    without reading it (cache.Seen)."""
    folder, name = os.path.split(path if os.path.isabs(path) else os.path.abspath(path))
    resolved = _real_folder_inside(folder, root)
    if resolved is None:
        return None
    try:
        info = os.lstat(os.path.join(resolved, name))
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


@functools.lru_cache(maxsize=1024)
def _real_folder_inside(folder, root):
    """The real path of a folder when it is inside root's, else None."""
    resolved = real_folder(folder)
    return resolved if _inside(resolved, real_folder(root)) else None


def open_file(path, root, max_bytes):
    """A binary file object of path, or ContentError when it is not an ordinary file inside root
    of at most max_bytes. Messages name the file relative to root."""
    fd = _descriptor(path, root)
    info, refused = os.fstat(fd), None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not an ordinary file")
        fix = LINK_FIX if os.path.islink(path) else "replace it with an ordinary file, or remove it"
        refused = (f"this is {kind}, not a file the site can read", fix)
    elif info.st_size > max_bytes:
        refused = _too_large(max_bytes)
    if refused:
        os.close(fd)
        _refuse(os.path.relpath(path, root), *refused)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def open_or_report(path, root, max_bytes, problems):
    """open_file, or None with the problem appended."""
    try:
        return open_file(path, root, max_bytes)
    except ContentError as e:
        problems.extend(e.problems)
        return None


def read_text(path, root, max_bytes=TEXT_MAX_BYTES):
    """An editor's UTF-8 text file (a BOM, added by Windows tools, dropped), or ContentError."""
    with open_file(path, root, max_bytes) as f:
        data = f.read(max_bytes + 1)  # the file may have grown since it was measured
    if len(data) > max_bytes:
        _refuse(os.path.relpath(path, root), *_too_large(max_bytes))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(os.path.relpath(path, root), "the file is not UTF-8 text", "save it as UTF-8")


def walk(folder, root, problems, skip=()):
    """Every file under folder, sorted, hidden ones and the folders in skip left out; a linked folder
    is a problem, as its files would otherwise be skipped without a word (or read from outside)."""
    found, skip = [], {os.path.normpath(s) for s in skip}
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(parent, d)) not in skip]
        for name in sorted(dirs):
            path = os.path.join(parent, name)
            if os.path.islink(path) and not name.startswith("."):
                problems.append(
                    Problem(
                        os.path.relpath(path, root),
                        None,
                        "this folder is a link, and the site does not follow links",
                        "replace the link with the folder itself",
                    )
                )
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(parent, f) for f in sorted(files) if not f.startswith("."))
    return found
