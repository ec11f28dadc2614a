"""Writing a file so that a crash or a full disk never leaves it half-written.

The bytes go to a temporary file in the same folder (so the final ``os.replace`` is a rename on
one file system, which is atomic), flushed and fsynced with their final permissions; only then
does the caller put it in place. Used for the profile (store) and for ``--output`` files.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def stage(path: Path, payload: bytes, mode: int, *, name: str | None = None) -> str:
    """Write ``payload`` to a new temporary file beside ``path``; return its name.

    ``name`` is the file the temporary one will become (default ``path``'s own name). On any
    failure the temporary file is removed and the OSError propagates.
    """
    import tempfile  # here: only a write needs it, and most runs write nothing

    prefix = f".{name or path.name}."
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(tmp_name)
        raise
    return tmp_name


def discard(*names: str | None) -> None:
    """Remove staged temporary files, quietly: they are only leftovers of a failed write."""
    for name in names:
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(name)


def fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk; not every system allows it.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
