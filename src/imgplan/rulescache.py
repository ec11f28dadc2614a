"""A cache of checked rules files, so that a plan is made without Pydantic.

Checking a rules file needs Pydantic, and importing it costs more than all the rest of
``imgplan timeline`` (docs/performance.md). So a file that passed every check is kept here as
plain data, and the next run rebuilds the rules from that instead of checking the file again.

- The entry's name is the SHA-256 of the file's bytes, of the code that checks it
  (``CHECKING_CODE``) and of imgplan's version: an edited rules file, or a new
  check, finds no entry and is checked afresh. Nothing is trusted by date or path.
- The data is ``marshal``'s format of builtins only (no pickle): reading an entry can build
  nothing but the classes listed in ``rules.CLASSES``, from dicts of their fields. A damaged
  or foreign entry is ignored and the file is checked again.
- The folder is ``$IMGPLAN_CACHE_DIR``, else the user's cache folder (``~/.cache/imgplan`` on
  Linux). The cache is an optimisation only: a folder that cannot be read or written leaves
  imgplan as correct and a little slower, and is never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
from datetime import date
from pathlib import Path
from typing import Any

from imgplan import __version__, atomic
from imgplan.rules import CLASSES, Rules

ENV_CACHE = "IMGPLAN_CACHE_DIR"
FORMAT = 1  # bump when the encoding below changes
KEEP = 8  # entries kept: the packaged rules and a few --rules files
_DATE = "date"  # no class of the rules is called this
# What decides whether a rules file passes, and what it becomes: a change to any of these
# (a developer's, or a new release) makes every entry stale.
CHECKING_CODE = ("rules.py", "duration.py", "yamlio.py", "rulesfile.py")
_PACKAGE = Path(__file__).resolve().parent


def folder() -> Path:
    from_env = os.environ.get(ENV_CACHE)
    if from_env:
        return Path(from_env)
    import platformdirs

    return platformdirs.user_cache_path("imgplan")


def key(raw: bytes) -> str | None:
    """The entry's name for a file with these bytes; None if the checking code is unreadable."""
    digest = hashlib.sha256(f"{FORMAT} {__version__}\n".encode())
    try:
        for name in CHECKING_CODE:
            digest.update((_PACKAGE / name).read_bytes())
    except OSError:  # no source beside the bytecode: nothing to key on
        return None
    digest.update(raw)
    return f"rules-{digest.hexdigest()[:32]}.marshal"


def get(raw: bytes) -> Rules | None:
    """The checked rules for a file with these bytes, if an entry is kept; else None."""
    name = key(raw)
    if name is None:
        return None
    try:
        data = (folder() / name).read_bytes()
        found = _decode(marshal.loads(data))
    except Exception:  # any damage at all means the entry is not usable
        return None
    return found if isinstance(found, Rules) else None


def put(raw: bytes, checked: Rules) -> None:
    """Keep ``checked`` (the rules a file with these bytes gave) for the next run; quietly."""
    name = key(raw)
    if name is None:
        return
    where = folder()
    with contextlib.suppress(OSError, ValueError):
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = atomic.stage(where / name, marshal.dumps(_encode(checked)), 0o600)
        try:
            os.replace(tmp, where / name)
        except OSError:
            atomic.discard(tmp)
            raise
        _prune(where)


def _prune(where: Path) -> None:
    entries = sorted(where.glob("rules-*.marshal"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-KEEP]:
        old.unlink()


def _encode(value: Any) -> Any:
    """``value`` as marshal's builtins: a class instance becomes (class name, its fields)."""
    if isinstance(value, date):
        return (_DATE, value.toordinal())
    if CLASSES.get(type(value).__name__) is type(value) and dataclasses.is_dataclass(value):
        names = [item.name for item in dataclasses.fields(value)]
        return (type(value).__name__, {name: _encode(getattr(value, name)) for name in names})
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the rules cache")


def _decode(value: Any) -> Any:
    if isinstance(value, tuple):
        name, body = value
        if name == _DATE:
            return date.fromordinal(body)
        return CLASSES[name](**{k: _decode(v) for k, v in body.items()})
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value
