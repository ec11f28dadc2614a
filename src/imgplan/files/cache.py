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
  nothing but the classes its ``Kind`` lists, from dicts of their fields. Each entry also
  holds the SHA-256 of the bytes it was made from, and is used only for a file with those
  bytes: an entry renamed to another file's name (another profile's) is not that file's.
  Anything that does not decode into the whole of its ``Kind`` (damage, a foreign or forged
  entry, an unknown class, a field missing or unknown) is ignored and the file is checked again.
- Entries are trusted only as far as the folder is: the folder must belong to this user and
  be writable by no one else (checked once a process), and so must each entry, a regular file
  (a link or a named pipe in an entry's place is not followed), no larger than
  ``ENTRY_BOUND``. The entries' names can be worked out by anyone (the packaged rules and
  imgplan's code are public), so in a folder others can write to (``IMGPLAN_CACHE_DIR=/tmp``)
  someone could leave an entry with other dates in it: such a folder is not used at all.
- The folder is ``$IMGPLAN_CACHE_DIR``, else the user's cache folder (``~/.cache/imgplan`` on
  Linux), made (with any missing parents) readable by its owner only. The cache is an
  optimisation only: a folder that cannot be read or written, or that fails the checks
  above, leaves imgplan as correct and a little slower, and is never an error or a message;
  deleting it loses nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import stat
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from imgplan import MAX_FILE_BYTES, __version__
from imgplan.core.datatype import datatype
from imgplan.files import atomic

ENV_CACHE = "IMGPLAN_CACHE_DIR"
FORMAT = 2  # bump when the encoding below changes (2: the file's digest in every entry)
# The largest entry read. Measured on 2026-12-02: the packaged rules' entry is 59,600 bytes (from
# a 63,767-byte file), the specialties' 17,517, a profile's a few KB. An entry is about the size
# of its file, and no file larger than MAX_FILE_BYTES (1 MiB) is read at all; 16 times that
# (16 MiB, ~280 times the rules' entry) leaves room for a file whose entry spells out every
# default field, while an entry planted or grown to gigabytes costs at most 16 MiB to refuse.
# What would be larger is not kept (it could never be read).
ENTRY_BOUND = 16 * MAX_FILE_BYTES
_DATE, _TUPLE = "date", "tuple"  # no class kept here is called either
# What decides whether a file passes, and what it becomes: the shapes and the checks.
_CHECKING_CODE = tuple(Path(__file__).resolve().parents[1] / name for name in ("core", "files"))
T = TypeVar("T")


@datatype(frozen=True)
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
    """What a file with these bytes was checked into, if a usable entry is kept; else None."""
    name = key(kind, raw)
    if name is None:
        return None
    where = folder()
    if not _usable(where):
        return None
    data = _read_entry(where / name)
    if data is None:
        return None
    return _rebuild(kind, data, hashlib.sha256(raw).digest())


_OPEN_ENTRY = (os.O_RDONLY | getattr(os, "O_BINARY", 0)
               # a link in the entry's place is not followed (the open fails)
               | getattr(os, "O_NOFOLLOW", 0)
               # a named pipe left in the entry's place must not make imgplan wait
               | getattr(os, "O_NONBLOCK", 0))


def _read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path``: a private regular file no larger than the bound."""
    try:
        fd = os.open(path, _OPEN_ENTRY)
        with os.fdopen(fd, "rb") as stream:
            status = os.fstat(fd)
            if not (stat.S_ISREG(status.st_mode) and _private(status)):
                return None
            if status.st_size > ENTRY_BOUND:
                return None  # refused unread
            data = stream.read(ENTRY_BOUND + 1)  # bounded too, should it grow meanwhile
    except OSError:
        return None
    return data if len(data) <= ENTRY_BOUND else None


def _rebuild(kind: Kind, data: bytes, digest: bytes) -> Any | None:
    """The whole of ``kind`` that ``data`` holds for a file with this digest; else None."""
    classes = {cls.__name__: cls for cls in kind.classes}
    try:
        payload = marshal.loads(data)
        if type(payload) is not tuple or len(payload) != 3:
            return None
        version, made_from, body = payload
        if version != FORMAT or made_from != digest:
            return None  # another encoding, or made from other bytes (an entry renamed)
        found = _decode(body, classes)
    except Exception:  # any damage at all (marshal's errors, wrong shapes, unknown classes,
        return None  # wrong fields, a check of a class failing) means the entry is not usable
    return found if type(found) is kind.root else None


def _private(status: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (see the module's docstring)."""
    getuid = getattr(os, "getuid", None)  # not on Windows, whose folders are per user
    if getuid is not None and status.st_uid != getuid():
        return False
    return not status.st_mode & 0o022


# Whether each cache folder passed (see _usable), once a process: one stat per run.
_verdicts: dict[str, bool] = {}


def _usable(where: Path, *, make: bool = False) -> bool:
    """Whether entries may be read from (and written to) ``where``: a folder of this user's
    that no one else can write to. A missing folder is made when ``make`` (for a put), with its
    missing parents, readable by its owner only, and then checked like any other."""
    known = _verdicts.get(str(where))
    if known is not None:
        return known
    try:
        status = os.stat(where)
    except FileNotFoundError:
        if not make:
            return False  # nothing to read yet; not remembered, since a put will make it
        try:
            _make_folder(where)
            status = os.stat(where)
        except OSError:
            return False
    except (OSError, ValueError):  # ValueError: a NUL in $IMGPLAN_CACHE_DIR
        _verdicts[str(where)] = False
        return False
    verdict = stat.S_ISDIR(status.st_mode) and _private(status)
    _verdicts[str(where)] = verdict
    return verdict


def _make_folder(where: Path) -> None:
    """``where`` and its missing parents, each made readable by its owner only."""
    try:
        os.mkdir(where, 0o700)
    except FileExistsError:
        return  # made meanwhile (or a file: then _usable's check refuses it)
    except FileNotFoundError:
        if where.parent == where:
            raise
        _make_folder(where.parent)
        os.mkdir(where, 0o700)


def put(kind: Kind, raw: bytes, checked: Any) -> None:
    """Keep ``checked`` (what a file with these bytes was checked into) for the next run."""
    name = key(kind, raw)
    if name is None:
        return
    classes = {cls.__name__: cls for cls in kind.classes}
    # TypeError: a value the encoding does not know (a new field type), which the tests of
    # each kind catch; for a person it only means no entry. ValueError: too deep for marshal.
    try:
        data = marshal.dumps((FORMAT, hashlib.sha256(raw).digest(), _encode(checked, classes)))
    except (ValueError, TypeError):
        return
    if len(data) > ENTRY_BOUND:
        return  # it could never be read
    where = folder()
    with contextlib.suppress(OSError, ValueError):
        if not _usable(where, make=True):
            return
        tmp = atomic.stage(where / name, data, 0o600)  # a new file (mkstemp): follows nothing
        try:
            # a rename: whatever is at the entry's name (a link too) is replaced, not followed
            os.replace(tmp, where / name)
        except OSError:
            atomic.discard(tmp)
            raise
        _prune(where, kind, name)


def _prune(where: Path, kind: Kind, newest: str) -> None:
    """Remove all but the newest ``kind.keep`` entries of ``kind`` in ``where``; never raises.

    Only the folder's own names are removed, a link as a link (never what it points to); an
    entry that vanishes meanwhile, or cannot be removed, is left to the next prune.
    """
    prefix, suffix = f"{kind.name}-", ".marshal"
    entries: list[tuple[int, str]] = []
    try:
        with os.scandir(where) as listing:
            for item in listing:
                if (item.name == newest or not item.name.startswith(prefix)
                        or not item.name.endswith(suffix)):
                    continue
                try:
                    status = item.stat(follow_symlinks=False)
                except OSError:
                    continue  # gone meanwhile
                if not stat.S_ISDIR(status.st_mode):
                    entries.append((status.st_mtime_ns, item.name))
    except OSError:
        return
    entries.sort()
    for _, old in entries[:max(len(entries) - (kind.keep - 1), 0)]:
        with contextlib.suppress(OSError):
            os.unlink(where / old)  # the name itself: a link is removed, not followed


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


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _decode(value: Any, classes: dict[str, type]) -> Any:
    """What ``_encode`` made ``value`` from; raises on anything it could not have made."""
    made = type(value)  # marshal makes exactly these types, never a subclass
    if made in _SCALARS:
        return value
    if made is tuple:
        name, body = value
        if name == _DATE:
            if type(body) is not int:
                raise TypeError("a date is its ordinal")
            return date.fromordinal(body)
        if name == _TUPLE:
            if type(body) is not list:
                raise TypeError("a tuple is a list of its items")
            return tuple(_decode(item, classes) for item in body)
        if type(name) is not str or type(body) is not dict:
            raise TypeError("a class is its name and a dict of its fields")
        return classes[name](**{k: _decode(v, classes) for k, v in body.items()})
    if made is list:
        return [_decode(item, classes) for item in value]
    if made is dict:
        return {_decode(k, classes): _decode(v, classes) for k, v in value.items()}
    raise TypeError(f"no entry holds a {made.__name__}")  # bytes, a set, code: not from _encode
