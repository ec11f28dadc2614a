"""Where ``--output`` may write, and writing there so that nothing is lost (the terminal is
``imgplan.cli.output``'s; ``-o -`` is the terminal too, see ``imgplan.cli.options``).

What the target is decides how it is written:

- a regular file (or a symbolic link to one) is replaced atomically: a temporary file in the
  same folder as the file itself (for a link, the file it points to: the link is kept), flushed
  and fsynced with the old file's permissions, then ``os.replace``; a reader never sees half a
  calendar and a failed write leaves the old file as it was. A name that does not exist yet
  becomes such a file.
- a device, a named pipe (FIFO), or a link to one of them is written *into*, never replaced:
  ``-o /dev/null`` stays the device. A pipe no program is reading is refused at once rather
  than waited on.
- one of this program's own open files (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``,
  or a link to one) is written into where it stands, whatever it is: ``-o /dev/stdout >> log``
  adds to the log, the link stays a link.
- a folder and a socket are refused.

It never writes over what imgplan reads: the person's profile (and its ``.bak``), the rules
files (the packaged ones and ``--rules``), any other file that holds imgplan rules or an imgplan
profile (told by its first bytes and its top-level keys), and anything inside the installed
package or its data folder; a symbolic or a hard link to one of them is refused too. An export
written over one of those would lose years of records.

Every check is made by ``check_target`` before the command does any work, and each refusal is
one ``UsageError`` line naming the file and ``--output``. A device or a pipe is opened by that
check and kept open for the write (``release_all`` closes what a failed command left open):
opening a pipe and closing it again would tell its reader that the output had ended.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from imgplan import MAX_FILE_BYTES
from imgplan.core.datatype import datatype
from imgplan.core.errors import ImgplanError, UsageError
from imgplan.files import atomic
from imgplan.files.identify import PROFILE_HEADER, kind_of, own_folders

# A file an export must never replace, and what to call it in the refusal.
Protected = tuple[Path, str]

FIELD = "--output"
# What an imgplan file found at the target is called in the refusal (imgplan.files.identify).
_KIND_NAMES = {"profile": "an imgplan profile", "rules": "a rules file",
               "specialties": "an imgplan specialties file"}


def protected_files(*, profile: Path | None = None, rules: Path | None = None
                    ) -> list[Protected]:
    """The files an export must never replace: profiles, their backups, program lists and
    rules files.

    The default profile is kept even when ``--profile`` names another one: it is still the
    person's.
    """
    from imgplan.files.locking import lock_path
    from imgplan.files.profile_store import backup_path, profile_path
    from imgplan.files.program_store import programs_path
    from imgplan.files.rules_file import data_path

    found: list[Protected] = []
    for person in dict.fromkeys((profile_path(None), profile_path(profile))):
        found += [(person, "your profile"), (backup_path(person), "your profile's backup"),
                  (lock_path(person), "your profile's lock file")]
        programs = programs_path(person)
        found += [(programs, "your program list"),
                  (backup_path(programs), "your program list's backup")]
    found += [(data_path("rules.yaml"), "the packaged rules file"),
              (data_path("specialties.yaml"), "a packaged data file")]
    if rules is not None:
        found.append((rules, "the rules file"))
    return found


@datatype(frozen=True)
class _Target:
    """Where the bytes go: ``path`` replaced atomically, or written into the open ``fd``
    (``shared``: a copy of one of this program's own descriptors, such as its stdout)."""

    path: Path
    fd: int | None = None
    shared: bool = False


# The devices, pipes and descriptors check_target opened, kept for write_file, by path.
_held: dict[str, _Target] = {}


def check_target(path: Path, protected: Iterable[Protected]) -> None:
    """Refuse (exit 2, one line) a target that cannot be written or must not be.

    A device or a pipe is opened here and kept for ``write_file`` (closed by ``release_all``
    if the write never comes).
    """
    _inspect(path, list(protected))


def write_file(path: Path, content: str | bytes, protected: Iterable[Protected]) -> None:
    """Write ``content`` to ``path`` (after ``check_target``'s checks, made again)."""
    target = _inspect(path, list(protected))
    payload = content.encode("utf-8") if isinstance(content, str) else content
    if target.fd is not None:
        _held.pop(_key(path), None)
        if target.shared:  # what this program printed there already comes first
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
        try:
            _write_into(target.fd, payload, path)
        finally:
            os.close(target.fd)
        return
    _replace(target.path, payload, shown=path)


def release_all() -> None:
    """Close the devices and pipes ``check_target`` opened for a write that never came."""
    while _held:
        _, target = _held.popitem()
        if target.fd is not None:
            with contextlib.suppress(OSError):
                os.close(target.fd)


# -- the checks -------------------------------------------------------------------------------


def _refuse(path: Path, message: str, hint: str | None = None) -> UsageError:
    return UsageError(message, file=path, field=FIELD, hint=hint)


def _key(path: Path) -> str:
    return os.path.abspath(path)


def _inspect(path: Path, protected: list[Protected]) -> _Target:
    key = _key(path)
    if key in _held:
        return _held[key]
    number = _descriptor_named(path)
    if number is not None:
        return _descriptor(path, number, protected)
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _new_file(path, path, protected)
    except OSError as exc:
        raise _refuse(path, f"cannot be checked: {_reason(exc)}") from None
    try:
        info = os.stat(path)  # what a symbolic link points to
    except FileNotFoundError:  # a link to nothing yet: the file it names is made
        return _new_file(path, Path(os.path.realpath(path)), protected)
    except OSError as exc:  # a loop of links, a folder that cannot be searched
        raise _refuse(path, f"cannot be checked: {_reason(exc)}") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise _refuse(path, "is a folder: give a file name, e.g. plan.ics")
    if stat.S_ISREG(mode):
        final = Path(os.path.realpath(path))
        _refuse_protected(path, final, protected, info)
        _refuse_imgplan_file(path, final)
        _refuse_unwritable_folder(path, final.parent)
        return _Target(final)
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        target = _Target(path, _open_stream(path, mode))
        _held[_key(path)] = target
        return target
    if stat.S_ISSOCK(mode):
        raise _refuse(path, "is a socket, which imgplan cannot write to",
                      hint="give a file name, e.g. plan.ics")
    raise _refuse(path, "is not a file, a device or a pipe imgplan can write to",
                  hint="give a file name, e.g. plan.ics")


def _descriptor_named(path: Path) -> int | None:
    """The descriptor ``path`` names, if it is or links to one of this program's own open
    files: ``/dev/stdout``, ``/dev/fd/1``, ``/proc/self/fd/1``."""
    pattern = re.compile(rf"/(?:dev/fd|proc/(?:self|{os.getpid()})/fd)/([0-9]+)")
    current = os.path.abspath(path)
    for _ in range(40):  # as many links as the system follows
        found = pattern.fullmatch(current)
        if found is not None:
            return int(found.group(1))
        try:
            link = os.readlink(current)
        except OSError:  # not a link (or not there): no descriptor
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


def _descriptor(path: Path, number: int, protected: list[Protected]) -> _Target:
    """Write into an already open file, as a program's own output is written: ``-o
    /dev/stdout >> log.txt`` adds to the log at its end, where replacing the file the link
    names would lose the log. What is open is checked as a name given directly would be."""
    try:
        info = os.fstat(number)
    except OSError:
        raise _refuse(path, f"names descriptor {number}, which is not open") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(path, "is a folder: give a file name, e.g. plan.ics")
    if stat.S_ISREG(info.st_mode):
        final = Path(os.path.realpath(path))
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(final), info):
                _refuse_protected(path, final, protected, info)
                _refuse_imgplan_file(path, final)
    target = _Target(path, os.dup(number), shared=True)
    _held[_key(path)] = target
    return target


def _new_file(path: Path, final: Path, protected: list[Protected]) -> _Target:
    """A name that does not exist yet (``final``: where a link to nothing points)."""
    if not final.parent.is_dir():
        raise _refuse(path, "its folder does not exist", hint="create the folder first")
    _refuse_protected(path, final, protected, None)
    _refuse_unwritable_folder(path, final.parent)
    return _Target(final)


def _refuse_protected(path: Path, final: Path, protected: list[Protected],
                      info: os.stat_result | None) -> None:
    for kept, what in protected:
        if _same_file(final, kept):
            raise _refuse(path, f"will not overwrite {what}", hint="choose another file")
    real = Path(os.path.realpath(final))
    for folder, what in own_folders():
        if real == folder or folder in real.parents:
            raise _refuse(path, f"will not write inside {what}", hint="choose another file")
    if info is not None and info.st_nlink > 1 and _linked_into_imgplan(info):
        raise _refuse(path, "will not overwrite a hard link to one of imgplan's own files",
                      hint="choose another file")


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # either one does not exist (or cannot be reached)
        return False


def _linked_into_imgplan(info: os.stat_result) -> bool:
    """Whether a file with more than one name is one of the package's or the data's files."""
    for folder, _ in own_folders():
        for root, _dirs, names in os.walk(folder):
            for name in names:
                with contextlib.suppress(OSError):
                    other = os.lstat(os.path.join(root, name))
                    if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                        return True
    return False


def _refuse_imgplan_file(path: Path, final: Path) -> None:
    """Refuse a file whose contents are imgplan rules or an imgplan profile.

    Told cheaply: at most 1 MiB is read (imgplan reads no larger file), and only a file that
    starts with the profile's header or mentions ``schema_version`` is parsed, with the bounded
    safe loader; its top-level keys decide.
    """
    try:
        # without blocking: should the file have become a pipe since, nothing waits on it
        fd = os.open(final, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return  # unreadable: not a file imgplan could read either; the write will say more
    try:
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return
            head = stream.read(MAX_FILE_BYTES)
    except OSError:
        return
    if head.removeprefix(b"\xef\xbb\xbf").startswith(PROFILE_HEADER):
        raise _refuse(path, "will not overwrite an imgplan profile", hint="choose another file")
    if b"schema_version" not in head:
        return
    from imgplan.files.yamlio import load_yaml

    try:
        data = load_yaml(final, error=ImgplanError, what="file").data
    except (ImgplanError, ValueError, RecursionError):
        return  # not YAML imgplan can read, so not its rules or a profile
    if not isinstance(data, dict) or "schema_version" not in data:
        return
    kind = kind_of(data)
    if kind in _KIND_NAMES:
        raise _refuse(path, f"will not overwrite {_KIND_NAMES[kind]}", hint="choose another file")


def _refuse_unwritable_folder(path: Path, folder: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(path, "cannot be written: its folder is not writable",
                      hint="choose another folder")


def _open_stream(path: Path, mode: int) -> int:
    """Open a device or a pipe for writing into it: no O_CREAT, no O_TRUNC, nothing replaced.

    A pipe is opened without blocking first, so that one no program reads is refused at once
    instead of waited on; then it blocks again, as a write to a pipe should.
    """
    fifo = stat.S_ISFIFO(mode)
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise _refuse(path, "no program is reading this pipe",
                          hint="start the reader first") from None
        raise _refuse(path, f"cannot be opened: {_reason(exc)}") from None
    try:
        opened = os.fstat(fd).st_mode
        if stat.S_IFMT(opened) != stat.S_IFMT(mode):
            raise _refuse(path, "changed while imgplan was checking it", hint="try again")
        if fifo:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


# -- writing ----------------------------------------------------------------------------------


def _write_into(fd: int, payload: bytes, path: Path) -> None:
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(fd, view):]
    except BrokenPipeError:
        raise ImgplanError("not written in full: the program reading the pipe stopped",
                           file=path, field=FIELD) from None
    except OSError as exc:
        raise ImgplanError(f"not written ({_reason(exc)})", file=path, field=FIELD) from None


def _replace(final: Path, payload: bytes, *, shown: Path) -> None:
    try:
        old: os.stat_result | None = os.stat(final)
    except OSError:
        old = None
    mode = old.st_mode & 0o777 if old is not None else _new_mode()
    tmp_name: str | None = None
    try:
        tmp_name = atomic.stage(final, payload, mode)
        if old is not None:
            _keep_owner(tmp_name, old)
        os.replace(tmp_name, final)
        tmp_name = None
    except OSError as exc:
        raise ImgplanError(f"not written ({_reason(exc)})", file=shown) from None
    finally:
        atomic.discard(tmp_name)
    atomic.fsync_folder(final.parent)


def _keep_owner(tmp_name: str, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group where allowed (root replacing a file
    of someone else's); elsewhere the new file is the writer's, as any replaced file is."""
    if not hasattr(os, "chown"):
        return
    with contextlib.suppress(OSError):
        made = os.stat(tmp_name)
        if (made.st_uid, made.st_gid) != (old.st_uid, old.st_gid):
            os.chown(tmp_name, old.st_uid, old.st_gid)


def _new_mode() -> int:
    """A new file gets the usual permissions (0666 - umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(exc: OSError) -> str:
    """The system's reason, as the rest of imgplan words it: "permission denied"."""
    return exc.strerror.lower() if exc.strerror else str(exc)

