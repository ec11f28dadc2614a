"""Where the profile lives, reading it, and writing it so that nothing is ever lost.

The profile holds years of records, scores and visa status. So a write is validated whole
first, goes to a temporary file in the same folder (flushed and fsynced), and replaces the
profile with ``os.replace``, which is atomic on one file system; the previous version is kept
as ``profile.yaml.bak``; the file is readable by its owner only. A profile that cannot be
read or is invalid is reported and never overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from imgplan import MAX_FILE_BYTES
from imgplan.core.errors import ProfileError, StoreError, UsageError
from imgplan.files import atomic
from imgplan.files.identify import PROFILE_HEADER, inside_own_folders, kind_of

if TYPE_CHECKING:
    from imgplan.core.profile import Profile
    from imgplan.core.rules import Rules
    from imgplan.files.cache import Kind
    from imgplan.files.yamlio import YamlDocument

ENV_PROFILE = "IMGPLAN_PROFILE"
FILE_MODE = 0o600


def profile_path(explicit: Path | None = None) -> Path:
    """``--profile``, else ``$IMGPLAN_PROFILE``, else the user's config folder; a path that
    can never be a profile's file is refused, naming where it came from."""
    if explicit is not None:
        return _usable(explicit, "--profile")
    from_env = os.environ.get(ENV_PROFILE)
    if from_env:
        return _usable(Path(from_env), f"${ENV_PROFILE}")
    import platformdirs

    return platformdirs.user_config_path("imgplan") / "profile.yaml"


# The longest name of one file or folder most file systems allow (ext4, APFS, NTFS: 255).
NAME_MAX_BYTES = 255


def _usable(path: Path, source: str) -> Path:
    """Found by the fault review: ``--profile ''``, ``.`` and ``/`` (a folder, or no name at
    all) and a name over 255 bytes ended in tracebacks from deep in a save or a lock."""
    if path.name in ("", ".", ".."):
        raise UsageError("is a folder, not a file: give the profile's file name, e.g. "
                         "profile.yaml", file=path, field=source)
    for part in path.parts:
        if len(os.fsencode(part)) > NAME_MAX_BYTES:
            raise UsageError(f"a name in this path is longer than {NAME_MAX_BYTES} bytes, more "
                             "than a file system allows", file=_short(path), field=source)
    return path


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 80 else f"{text[:60]}…{text[-16:]}"


def present(path: Path) -> bool:
    """Whether there is something at ``path`` (a broken symlink counts); a folder that cannot
    be searched is said plainly, not raised from deep inside a command."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file where a folder should be: no
        return False                                # profile (its folder is refused later)
    except PermissionError:
        raise ProfileError("cannot be reached: a folder on the way may not be opened "
                           "(permission denied)", file=path) from None
    except OSError as exc:
        raise ProfileError(f"cannot be reached ({exc.strerror or exc})", file=path) from None
    return True


def load_profile(path: Path, rules: Rules | None = None, today: date | None = None
                 ) -> Profile | None:
    """The profile at ``path``, or None when there is none yet; a bad one raises."""
    if not present(path):
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise ProfileError("the folder for the profile is a file", file=parent)
        return None
    from imgplan.core.profile import profile_problems
    from imgplan.files import cache as kept

    profile = kept.load(_cached(), path, _read)
    if rules is not None:
        found = profile_problems(profile, rules, today)
        if found:
            loc, message = found[0]
            # read again for the line: only when there is a problem to place
            document = _document(path)
            if not document.has(loc[:3]):  # a record in the old shape: its old keys
                from imgplan.core.profile import v1_place

                loc = v1_place(loc)
            raise ProfileError(message, file=path, field=".".join(map(str, loc)),
                               line=document.line_of(loc))
    return profile


def backup_path(path: Path) -> Path:
    """The previous version of the profile at ``path``: beside the file itself, so beside a
    symlinked profile's target (where the save writes)."""
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + ".bak")


def destination(path: Path, *, fresh: bool = False, what: str = "profile") -> Path:
    """Where a save of the profile at ``path`` writes: the file, or a symlink's target (the
    link is kept, so a profile linked into a synced folder stays the one that is synced).

    Refused, before anything is written: one of imgplan's own files, a folder, a pipe or a
    device, a read-only file; and for a ``fresh`` profile (``init --force``), a file there that
    is not a profile (a changed profile was read as one already).
    """
    target = Path(os.path.realpath(path))
    if inside_own_folders(target):
        raise StoreError(f"is one of imgplan's own files, not a {what}: nothing saved",
                         file=path, hint="give --profile a file of your own")
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise StoreError(f"cannot be read ({exc.strerror or exc}): nothing saved",
                         file=path) from None
    if stat.S_ISDIR(status.st_mode):
        raise StoreError("is a folder, not a file: nothing saved", file=path)
    if not stat.S_ISREG(status.st_mode):
        raise StoreError("is not a regular file (a pipe or a device): nothing saved",
                         file=path)
    # The mode bits as well as access(): root may write any file, but a profile its owner
    # made read-only (chmod 400) is one they asked not to have changed.
    if not status.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise StoreError("is read-only: nothing saved", file=path,
                         hint=f"make it writable (chmod u+w {path}) to let imgplan change it")
    found = _not_a_profile(target) if fresh else None
    if found is not None:
        what = found if found.startswith("not") else f"{found}, not a profile"
        raise StoreError(f"is {what}: nothing saved, nothing replaced", file=path,
                         hint="give --profile your profile's file, or a new one")
    return target


def _not_a_profile(target: Path) -> str | None:
    """What the existing file at ``target`` is, when it is not a profile imgplan may replace;
    None for a profile, even a damaged one (``init --force`` is how a person starts again), or
    an empty file.

    Found by the fault review: ``init --force`` with ``IMGPLAN_PROFILE`` set by mistake to
    another file (a rules file, a script, ``/etc/shadow`` as root) replaced it, kept only as
    the ``.bak`` until the next change.
    """
    try:
        with target.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None  # unreadable: the save itself will say why
    if not raw.strip() or raw.startswith(PROFILE_HEADER):
        return None
    if len(raw) > MAX_FILE_BYTES:
        return "a file larger than a profile can be"
    from imgplan.files.yamlio import load_yaml

    try:
        kind = kind_of(load_yaml(target, error=ProfileError, what="profile").data,
                       versioned_is_profile=True)
    except ProfileError:  # damaged: a profile still, if a profile's key starts a line
        lines = raw.decode("utf-8", "replace").splitlines()
        kind = kind_of(dict.fromkeys(line.partition(":")[0] for line in lines),
                       versioned_is_profile=True)
    return {"profile": None, "rules": "an imgplan rules file"}.get(kind, "not an imgplan profile")


def undo_profile(path: Path, rules: Rules, today: date) -> tuple[Profile | None, Profile]:
    """Put the previous version (the ``.bak``) back as the profile, atomically; the version
    it replaces becomes the ``.bak``, so a second undo puts it back. Returns (the version
    replaced, or None when it could not be read; the version restored). Refuses, changing
    nothing, when there is no previous version or it is not a valid profile."""
    backup = backup_path(path)
    if not present(path):
        raise ProfileError("nothing to undo: there is no profile here yet", file=path,
                           hint="'imgplan init' makes one")
    if not present(backup):
        raise ProfileError(f"nothing to undo: there is no earlier version ({backup.name})",
                           file=path)
    restored = load_profile(backup, rules, today)
    assert restored is not None  # it exists: load_profile returns a profile or raises
    try:
        replaced = load_profile(path, rules, today)
    except ProfileError:
        replaced = None  # a damaged profile is what undo is for; it is kept as the .bak
    write_atomically(destination(path), backup.read_bytes())
    return replaced, restored


def _document(path: Path) -> YamlDocument:
    from imgplan.files.yamlio import load_yaml

    return load_yaml(path, error=ProfileError, what="profile")


def _read(path: Path) -> Profile:
    """The profile read and checked the careful way; a bad one raises, located."""
    from imgplan.core.profile import Profile, migrated, v1_place
    from imgplan.files.checking import check

    document = _document(path)
    if document.data is None:
        raise ProfileError("is empty: run 'imgplan init --force' to start again, or restore "
                           f"{path.name}.bak", file=path)
    if not isinstance(document.data, dict):
        raise ProfileError("is not a profile (a mapping of fields is expected)", file=path,
                           line=1)
    kind = kind_of(document.data, versioned_is_profile=True)
    if kind == "rules":
        raise ProfileError("is an imgplan rules file, not a profile", file=path,
                           hint="give --profile your profile's file, and --rules this one")
    if kind != "profile":
        # Some other file (IMGPLAN_PROFILE=/etc/shadow): its keys are not shown, since what a
        # file that is not a profile holds may be private.
        raise ProfileError("is not an imgplan profile: none of its keys is a profile's",
                           file=path, hint="give --profile your profile's file")
    # An older profile is read in the current schema; the next save writes that, and keeps
    # the older file as the .bak.
    def place(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
        # a record written in the old shape is placed where its old keys are
        return loc if document.has(loc[:3]) else v1_place(loc)

    return check(Profile, document, error=ProfileError, data=migrated(document.data),
                 place=place)


@cache
def _cached() -> Kind:
    from imgplan.core.profile import PARTS, Profile
    from imgplan.files.cache import Kind

    # The cache holds a checked copy of the profile (readable by its owner only, like the
    # profile): only the newest is kept, so an old one is not left behind.
    return Kind("profile", Profile, PARTS, keep=1)


def save_profile(path: Path, profile: Profile, rules: Rules | None = None,
                 today: date | None = None, *, fresh: bool = False,
                 replace: bool = True) -> bool:
    """Validate ``profile`` and write it atomically, keeping the previous version as .bak.

    ``fresh``: a new profile (``init``), which replaces nothing but a profile, and a profile
    only when ``replace`` (asked again under the lock: another imgplan may have made one while
    the person answered the questions). Returns whether a profile was replaced.
    """
    from imgplan.core.profile import profile_problems
    from imgplan.files.checking import dump
    from imgplan.files.locking import hold
    from imgplan.files.yamlio import dump_yaml

    data = dump(profile, exclude_defaults=True)
    data = {"schema_version": profile.schema_version, **data}
    if rules is not None:
        found = profile_problems(profile, rules, today)
        if found:
            loc, message = found[0]
            raise ProfileError(f"not saved: {message}", file=path,
                               field=".".join(map(str, loc)))
    text = _HEADER + dump_yaml(data)
    payload = text.encode("utf-8")
    _check_readable(path, text, payload)  # what is written must load again
    # refused before the lock is taken, so that no lock file is made beside imgplan's own
    # files; held already by a command that read the profile first
    target = destination(path, fresh=fresh)
    hold(path)
    replacing = present(path)
    if fresh and replacing and not replace:
        raise ProfileError("a profile was made by another imgplan meanwhile: nothing saved; "
                           "use --force to replace it", file=path)
    write_atomically(target, payload)
    global saved
    saved = path
    return replacing


# The profile this process saved, if any: a report that cannot be shown afterwards (standard
# output full or closed, Ctrl-C) says the change is in, so that it is not recorded twice.
saved: Path | None = None


def _check_readable(path: Path, text: str, payload: bytes) -> None:
    """Refuse to write what imgplan could not read back: a file over the read limit (a name
    pasted a thousand times), or text its own reader refuses."""
    from imgplan.files.checking import profile_from
    from imgplan.files.yamlio import parse_yaml

    if len(payload) > MAX_FILE_BYTES:
        raise ProfileError("not saved: the profile would be larger than 1 MiB, more than "
                           "imgplan reads back (is a name or a note very long?)", file=path)
    try:
        profile_from(parse_yaml(text, path=path, error=ProfileError).data)
    except (ProfileError, UsageError) as exc:  # pragma: no cover - the dumper's own round trip
        raise ProfileError(f"not saved: it would not read back ({exc.message})",
                           file=path) from None


# PyYAML keeps no comments, so the first line says so (a person's note would vanish on the
# next 'imgplan mark' without a word otherwise): issue 13, part 10.
_HEADER = (
    "# imgplan profile: edit by hand if you like (comments are not kept: imgplan rewrites it).\n"
    "# 'imgplan check' validates it. Holds scores and visa status: keep it private (imgplan\n"
    "# writes it readable by you only).\n"
)


def write_atomically(path: Path, payload: bytes, what: str = "profile") -> None:
    """Write ``payload`` at ``path`` (a ``destination``), keeping a ``.bak``: the profile's,
    or the program list's (``what``), which is kept the same way."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the {what}'s folder: {exc.strerror}",
                         file=folder) from None
    _remove_leftovers(path)
    tmp_name: str | None = None
    backup_tmp: str | None = None
    try:
        tmp_name = atomic.stage(path, payload, FILE_MODE)
        if path.exists():
            backup_tmp = _stage_backup(path)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise StoreError(f"not saved ({exc.strerror or exc}); the {what} is unchanged",
                         file=path) from None
    finally:
        if tmp_name is not None:  # not saved: remove what was staged
            atomic.discard(tmp_name, backup_tmp)
    # Found by the hostile-input tests: the .bak used to be replaced before the profile, so a
    # failed final rename lost the older backup although "the profile is unchanged". The copy
    # is staged first and put in place only once the profile is: a failed save changes nothing.
    if backup_tmp is not None:
        _install_backup(backup_tmp, path)
    atomic.fsync_folder(folder)


# A save still under way in another imgplan is seconds old; a temporary file this old was left
# by one that was killed (power cut, kill -9) before it could remove it.
LEFTOVER_AGE_SECONDS = 3600


def _remove_leftovers(path: Path) -> None:
    """Remove the temporary files of saves that never finished (``.profile.yaml.*.tmp``).

    They hold a copy of the profile, so they are not left lying about; the profile itself was
    never at risk (see tests/files/test_crash_safety.py).
    """
    now = time.time()
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime > LEFTOVER_AGE_SECONDS:
                leftover.unlink()


def _stage_backup(path: Path) -> str:
    """Copy the current profile to a temporary file beside it, so the backup is never half."""
    backup = backup_path(path)
    if backup.is_dir():  # refused now, before the profile is replaced (see _install_backup)
        raise IsADirectoryError(errno.EISDIR, f"{backup.name} is a folder")
    if not path.is_file():  # a named pipe would block the copy
        raise OSError(errno.EINVAL, f"{path.name} is not a regular file")
    return atomic.stage(path, path.read_bytes(), FILE_MODE, name=backup.name)


def _install_backup(staged: str, path: Path) -> None:
    """Put the staged copy of the previous profile in place as ``.bak``."""
    backup = backup_path(path)
    try:
        os.replace(staged, backup)
    except OSError as exc:
        atomic.discard(staged)
        raise StoreError(f"saved, but the previous version could not be kept as {backup.name} "
                         f"({exc.strerror or exc})", file=path) from None
