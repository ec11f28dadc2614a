"""Where ``--output`` may write, and writing there so that nothing is lost (the terminal is
``imgplan.cli.output``'s).

``--output FILE`` writes atomically (a temporary file in the same folder, flushed and fsynced,
then ``os.replace``), so a reader never sees half a calendar and a failed write leaves the old
file as it was. It refuses a folder, a folder that does not exist, and the files imgplan reads:
the person's profile (and its ``.bak``) and the rules files (the packaged ones and ``--rules``).
An export written over one of those would lose years of records.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from imgplan.core.errors import ImgplanError, UsageError
from imgplan.files import atomic

# A file an export must never replace, and what to call it in the refusal.
Protected = tuple[Path, str]


def protected_files(*, profile: Path | None = None, rules: Path | None = None
                    ) -> list[Protected]:
    """The files an export must never replace: profiles, their backups and rules files.

    The default profile is kept even when ``--profile`` names another one: it is still the
    person's.
    """
    from imgplan.files.profile_store import profile_path
    from imgplan.files.rules_file import data_path

    found: list[Protected] = []
    for person in dict.fromkeys((profile_path(None), profile_path(profile))):
        found += [(person, "your profile"),
                  (person.with_name(person.name + ".bak"), "your profile's backup")]
    found += [(data_path("rules.yaml"), "the packaged rules file"),
              (data_path("specialties.yaml"), "a packaged data file")]
    if rules is not None:
        found.append((rules, "the rules file"))
    return found


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(path: Path, protected: Iterable[Protected]) -> None:
    """Refuse (exit 2, one line) a target that is a folder or a file imgplan reads."""
    if path.is_dir():
        raise UsageError("is a folder: give a file name, e.g. plan.ics", file=path,
                         field="--output")
    for kept, what in protected:
        if _same_file(path, kept):
            raise UsageError(f"will not overwrite {what}", file=path, field="--output",
                             hint="choose another file")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError("its folder does not exist", file=path, field="--output",
                         hint="create the folder first")


def write_file(path: Path, content: str | bytes, protected: Iterable[Protected]) -> None:
    """Write ``content`` to ``path`` atomically, after ``check_target``."""
    check_target(path, protected)
    payload = content.encode("utf-8") if isinstance(content, str) else content
    mode = _mode_for(path)
    tmp_name: str | None = None
    try:
        tmp_name = atomic.stage(path, payload, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ImgplanError(f"not written ({exc.strerror or exc})", file=path) from None
    finally:
        atomic.discard(tmp_name)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 - umask)."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
