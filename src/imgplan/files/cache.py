"""A cache of checked files (the rules, the profile), so that a plan is made without Pydantic.

Checking a file needs Pydantic, and importing it costs more than all the rest of ``imgplan
timeline`` (docs/performance.md). So a file that passed every check of its shape is kept here
as plain data, and the next run rebuilds its classes from that instead of checking it again.

- The entry's name is the SHA-256 of the file's bytes, of the code that decides what passes
  and what it becomes (every module of ``imgplan/core`` and ``imgplan/files``: no list to keep
  up to date) and of imgplan's version: an edited file, or a new check, finds no
  entry and is checked afresh. Nothing is trusted by date or path. Pydantic's own version is
  not in the key: reading it imports pydantic-core, which is what the cache avoids; a file
  that passed is still what its classes say, whichever Pydantic checked it.
- The data is ``marshal``'s format of builtins only (no pickle): reading an entry can build
  nothing but the classes its ``Kind`` lists, from dicts of their fields. A damaged or
  foreign entry, or one that another user owns or could have written, is ignored and the
  file is checked again.
- The folder is ``$IMGPLAN_CACHE_DIR``, else the user's cache folder (``~/.cache/imgplan`` on
  Linux), made readable by its owner only. The cache is an optimisation only: a folder that
  cannot be read or written leaves imgplan as correct and a little slower, and is never an
  error; deleting it loses nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from imgplan import MAX_FILE_BYTES, __version__
from imgplan.files import atomic

ENV_CACHE = "IMGPLAN_CACHE_DIR"
FORMAT = 1  # bump when the encoding below changes
_DATE, _TUPLE = "date", "tuple"  # no class kept here is called either
# What decides whether a file passes, and what it becomes: the shapes and the checks.
_CHECKING_CODE = tuple(Path(__file__).resolve().parents[1] / name for name in ("core", "files"))
T = TypeVar("T")


@dataclass(frozen=True)
class Kind:
    """What is kept for one kind of file."""

    name: str  # the entries' prefix
    root: type  # what a whole entry is
    classes: tuple[type, ...]  # every class an entry may build (the root's parts)
    keep: int  # entries kept; older ones are removed
    # Read and never changed by any caller, so one copy may serve every load in a process.
    # (The shapes are not frozen dataclasses: a frozen class costs about twice as much to
    # define, and defining the rules' classes is most of a plan's own start-up time.)
    shared: bool = False


def folder() -> Path:
    from_env = os.environ.get(ENV_CACHE)
    if from_env:
        return Path(from_env)
    import platformdirs

    return platformdirs.user_cache_path("imgplan")


def key(kind: Kind, raw: bytes) -> str | None:
    """The entry's name for a file with these bytes; None if the checking code is unreadable."""
    code = _code_digest()
    if code is None:
        return None
    digest = hashlib.sha256(f"{FORMAT} {__version__} {kind.name} {code}\n".encode())
    digest.update(raw)
    return f"{kind.name}-{digest.hexdigest()[:32]}.marshal"


@cache
def _code_digest() -> str | None:
    """The SHA-256 of every module that checks files; None if any is unreadable."""
    digest = hashlib.sha256()
    try:
        for folder in _CHECKING_CODE:
            modules = sorted(folder.glob("*.py"))
            if not modules:  # no source beside the bytecode: nothing to key on
                return None
            for module in modules:
                digest.update(f"{folder.name}/{module.name}\n".encode())
                digest.update(module.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def load(kind: Kind, path: Path, check: Callable[[Path], T]) -> T:
    """What ``check(path)`` makes of the file, from the cache when it was checked before.

    ``check`` is the careful way (the YAML reader that keeps lines, Pydantic), which also says
    what is wrong with a file that cannot be read. What it gives is kept, unless the file
    changed while it was being checked. Shared results (the rules, the specialties: read, never
    changed) are also kept in this process, so the tests that load them hundreds of times
    decode them once.
    """
    raw = read_bounded(path)
    if raw is not None:
        found = _memo.get((kind.name, raw)) or get(kind, raw)
        if found is not None:
            _remember(kind, raw, found)
            return cast(T, found)
    checked = check(path)
    if raw is not None and read_bounded(path) == raw:
        _remember(kind, raw, checked)
        put(kind, raw, checked)
    return checked


_memo: dict[tuple[str, bytes], Any] = {}


def _remember(kind: Kind, raw: bytes, value: Any) -> None:
    if not kind.shared:
        return  # a caller changes it (the profile, before a save): each load gets its own
    if len(_memo) > 16:
        _memo.clear()
    _memo[(kind.name, raw)] = value


def read_bounded(path: Path) -> bytes | None:
    """A rules file's or profile's bytes, to look up; None when the careful way must say what
    is wrong with it (no such file, a folder, a device, too large, unreadable)."""
    try:
        if not path.is_file():  # a folder, a device, a missing file
            return None
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= MAX_FILE_BYTES else None


def get(kind: Kind, raw: bytes) -> Any | None:
    """What a file with these bytes was checked into, if an entry is kept; else None."""
    name = key(kind, raw)
    if name is None:
        return None
    classes = {cls.__name__: cls for cls in kind.classes}
    try:
        # O_NONBLOCK: a named pipe left in the entry's place must not make imgplan wait
        fd = os.open(folder() / name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            if not _private(os.fstat(stream.fileno())):
                return None
            data = stream.read()
        found = _decode(marshal.loads(data), classes)
    except Exception:  # any damage at all means the entry is not usable
        return None
    return found if type(found) is kind.root else None


def _private(status: os.stat_result) -> bool:
    """A regular file, written by this user and writable by no one else.

    The entries' names can be worked out by anyone (the packaged rules and imgplan's code are
    public), so in a cache folder others can write to (``IMGPLAN_CACHE_DIR=/tmp/x``) someone
    could leave an entry with other dates in it; such an entry is not used.
    """
    if not stat.S_ISREG(status.st_mode):
        return False
    getuid = getattr(os, "getuid", None)  # not on Windows, whose folders are per user
    if getuid is not None and status.st_uid != getuid():
        return False
    return not status.st_mode & 0o022


def put(kind: Kind, raw: bytes, checked: Any) -> None:
    """Keep ``checked`` (what a file with these bytes was checked into) for the next run."""
    name = key(kind, raw)
    if name is None:
        return
    classes = {cls.__name__: cls for cls in kind.classes}
    where = folder()
    # TypeError: a value the encoding does not know (a new field type), which the tests of
    # each kind catch; for a person it only means no entry.
    with contextlib.suppress(OSError, ValueError, TypeError):
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = atomic.stage(where / name, marshal.dumps(_encode(checked, classes)), 0o600)
        try:
            os.replace(tmp, where / name)
        except OSError:
            atomic.discard(tmp)
            raise
        _prune(where, kind, name)


def _prune(where: Path, kind: Kind, newest: str) -> None:
    entries = [p for p in where.glob(f"{kind.name}-*.marshal") if p.name != newest]
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:max(len(entries) - (kind.keep - 1), 0)]:
        old.unlink()


def _encode(value: Any, classes: dict[str, type]) -> Any:
    """``value`` as marshal's builtins: a class instance becomes (class name, its fields)."""
    if isinstance(value, date):
        return (_DATE, value.toordinal())
    if classes.get(type(value).__name__) is type(value) and dataclasses.is_dataclass(value):
        names = [item.name for item in dataclasses.fields(value)]
        return (type(value).__name__,
                {name: _encode(getattr(value, name), classes) for name in names})
    if isinstance(value, list):
        return [_encode(item, classes) for item in value]
    if isinstance(value, tuple):
        return (_TUPLE, [_encode(item, classes) for item in value])
    if isinstance(value, dict):
        return {_encode(k, classes): _encode(v, classes) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the cache")


def _decode(value: Any, classes: dict[str, type]) -> Any:
    if isinstance(value, tuple):
        name, body = value
        if name == _DATE:
            return date.fromordinal(body)
        if name == _TUPLE:
            return tuple(_decode(item, classes) for item in body)
        return classes[name](**{k: _decode(v, classes) for k, v in body.items()})
    if isinstance(value, list):
        return [_decode(item, classes) for item in value]
    if isinstance(value, dict):
        return {_decode(k, classes): _decode(v, classes) for k, v in value.items()}
    return value
