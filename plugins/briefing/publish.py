"""Atomic publishing: a build writes a new folder, which replaces the site only once complete.

A failed or killed build leaves the previous site in place, whole. Pelican writes into its
output folder as it goes, so the build is pointed at a fresh sibling folder instead.
"""

import ctypes
import ctypes.util
import glob
import os
import shutil

_PARTIAL = ".{name}.partial-{pid}"
_PREVIOUS = ".{name}.previous"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def build_atomically(output, build, retain=()):
    """Call build(folder) on a new folder beside `output`, then swap it into place.

    `retain` names entries of the old site carried into the new (Pelican's OUTPUT_RETENTION,
    e.g. a .git folder). Whatever `build` raises is raised again, the old site untouched.
    """
    output = os.path.abspath(output)
    parent, name = os.path.split(output)
    os.makedirs(parent, exist_ok=True)
    _recover(parent, name)
    partial = os.path.join(parent, _PARTIAL.format(name=name, pid=os.getpid()))
    shutil.rmtree(partial, ignore_errors=True)
    os.mkdir(partial)
    try:
        build(partial)
        for entry in retain:
            if os.path.lexists(os.path.join(output, entry)):
                shutil.move(os.path.join(output, entry), os.path.join(partial, entry))
        _swap(partial, output, os.path.join(parent, _PREVIOUS.format(name=name)))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _recover(parent, name):
    """Undo what a killed build left: its partial folders, and a swap cut in half."""
    for partial in glob.glob(os.path.join(parent, glob.escape(_PARTIAL.format(name=name, pid="")) + "*")):
        pid = partial.rsplit("-", 1)[1]
        if not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(partial, ignore_errors=True)
    previous = os.path.join(parent, _PREVIOUS.format(name=name))
    if os.path.isdir(previous) and not os.path.exists(os.path.join(parent, name)):
        os.rename(previous, os.path.join(parent, name))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def _swap(new, output, previous):
    """Put `new` at `output` in one step where the system can (Linux), else in two quick ones."""
    if not os.path.exists(output):
        os.rename(new, output)
        return
    if _exchange(new, output):
        shutil.rmtree(new)  # now the old site
        return
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(output, previous)
    os.rename(new, output)  # killed between the two renames, the next build restores `previous`
    shutil.rmtree(previous)


def _exchange(a, b):
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
