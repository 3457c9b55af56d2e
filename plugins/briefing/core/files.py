"""Writing a file in one step, and clearing what a killed writer left."""

import os
import tempfile

TEMPORARY = ".tmp-"  # the name write_atomic's files start with, so that strays can be found


def remove_temporary(folder):
    """Remove the temporary files a process killed between write and rename left in a folder.

    Only for a folder no other process is writing to (the fetch holds its lock)."""
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.startswith(TEMPORARY) and os.path.isfile(path) and not os.path.islink(path):
            os.unlink(path)


def write_atomic(path, data, durable=True):
    """Replace a file in one step: readers see the old bytes or the new, never a torn write.

    `durable` also waits for the disk, so that not even a power cut loses the write; a killed
    process cannot lose it either way.
    """
    folder = os.path.dirname(path)
    # mkstemp makes the file private (0600); the archive is ordinary, shared text.
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
    fd, tmp = tempfile.mkstemp(prefix=TEMPORARY, dir=folder)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    if not durable:
        return
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
