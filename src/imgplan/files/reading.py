"""A file a person names, read as imgplan reads every file it is given: a regular file only (a
named pipe would block the read until something writes to it; a device is no file), never
more than a bound, and anything else refused with one line naming the file. Shared by the
YAML files (``yamlio``) and the spreadsheets' CSV (``csv_table``), which each say in their
own words what the bytes must be.
"""

from __future__ import annotations

from pathlib import Path

from imgplan.core.errors import ImgplanError


def one_line(text: str) -> str:
    return " ".join(text.split())


def read_bounded(path: Path, *, error: type[ImgplanError], max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes of the regular file at ``path`` (one more than the
    bound: the caller refuses a file that reaches it)."""
    if path.is_dir():
        raise error("is a folder, not a file", file=path)
    if path.exists() and not path.is_file():
        raise error("is not a regular file (a pipe or a device)", file=path)
    try:
        with path.open("rb") as stream:
            return stream.read(max_bytes + 1)  # never more, whatever the file (or device) holds
    except FileNotFoundError:
        raise error("no such file", file=path) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", file=path) from None
    except PermissionError:
        raise error("cannot be read: permission denied", file=path) from None
    except OSError as exc:
        raise error(f"cannot be read: {one_line(exc.strerror or str(exc))}", file=path) from None
