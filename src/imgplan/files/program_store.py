"""Where the program list lives, reading it, and writing it as safely as the profile.

The list sits beside the profile (``programs.yaml`` beside ``profile.yaml``; ``X.programs.yaml``
beside a profile named ``X.yaml``), and is kept the same way: checked whole before it is
written, replaced atomically with the previous version as ``.bak``, readable by its owner
only, under the profile's lock, and never overwritten when it cannot be read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from imgplan import MAX_FILE_BYTES
from imgplan.core.errors import ProfileError, UsageError
from imgplan.core.programs import COLUMNS, Program, as_record, program_from

HEADER = b"# imgplan program list"
SCHEMA_VERSION = 1
_HEADER = (
    "# imgplan program list: 'imgplan programs import FILE.csv' fills it, 'imgplan programs'\n"
    "# checks each program against your profile. Edit by hand if you like (comments are not\n"
    "# kept). Readable by you only.\n"
)


def programs_path(profile: Path) -> Path:
    name = "programs.yaml" if profile.name == "profile.yaml" else f"{profile.stem}.programs.yaml"
    return profile.with_name(name)


def load_programs(path: Path) -> list[Program]:
    """The list at ``path`` ([] when there is none yet); a damaged one raises, located."""
    if not path.exists():  # the common case, and a plan's start-up: no YAML reader loaded
        return []
    from imgplan.files.yamlio import load_yaml

    document = load_yaml(path, error=ProfileError, what="program list")
    data = document.data
    if data is None:
        return []
    if not isinstance(data, dict) or "programs" not in data:
        raise ProfileError("is not an imgplan program list (a 'programs:' list is expected)",
                           file=path, line=1)
    if data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise ProfileError(f"schema_version {data.get('schema_version')!r} is not one this "
                           f"imgplan reads ({SCHEMA_VERSION})", file=path,
                           line=document.line_of(("schema_version",)))
    extra = sorted(set(data) - {"schema_version", "programs"})
    if extra:
        raise ProfileError(f"unknown key '{extra[0]}'", file=path,
                           line=document.line_of((extra[0],)))
    entries = data["programs"] or []
    if not isinstance(entries, list):
        raise ProfileError("programs: a list of programs is expected", file=path,
                           line=document.line_of(("programs",)))
    programs = []
    for index, entry in enumerate(entries):
        where = ("programs", index)
        if not isinstance(entry, dict):
            raise ProfileError(f"programs.{index}: a program's fields are expected", file=path,
                               line=document.line_of(where))
        unknown = sorted(str(k) for k in entry if k not in COLUMNS)
        if unknown:
            raise ProfileError(f"programs.{index}: unknown field '{unknown[0]}'", file=path,
                               line=document.line_of((*where, unknown[0])))
        try:
            programs.append(program_from({k: _text(v) for k, v in entry.items()},
                                         where=f"programs.{index}"))
        except UsageError as exc:
            column = exc.field or ""
            raise ProfileError(exc.message, file=path, field=None,
                               line=document.line_of((*where, column)) if column in entry
                               else document.line_of(where)) from None
    return programs


def save_programs(path: Path, programs: list[Program], *, profile: Path) -> None:
    """Write the list atomically beside ``profile``, under its lock, keeping a ``.bak``."""
    from imgplan.files.locking import hold
    from imgplan.files.profile_store import destination, write_atomically
    from imgplan.files.yamlio import dump_yaml

    # what the person gave: an unknown, empty or default value is left out
    entries = [{k: v for k, v in as_record(p).items() if v not in (None, [], "unknown")
                and not (k == "status" and v == "saved")} for p in programs]
    text = _HEADER + dump_yaml({"schema_version": SCHEMA_VERSION, "programs": entries})
    payload = text.encode("utf-8")
    if len(payload) > MAX_FILE_BYTES:
        raise ProfileError("not saved: the program list would be larger than 1 MiB, more "
                           "than imgplan reads back", file=path)
    target = destination(path, what="program list")
    hold(profile)
    write_atomically(target, payload, what="program list")


def _text(value: Any) -> str | None:
    """A value the YAML reader typed, as the text a CSV cell would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, int, float, str)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    raise UsageError(f"'{value}' is not a value a program's field holds")
