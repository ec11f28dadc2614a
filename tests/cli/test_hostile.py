"""The hostile-input corpus (tests/hostile/): every bad file, flag or failing disk gets one line.

tests/hostile/cases.yaml lists the cases and says what each must answer; the data files beside
it are the hostile inputs. Each case runs one command line and must end with exit 2, exactly
one line on stderr naming the problem and where it is, nothing on stdout, no traceback, and
every file as it was: the profile, its .bak, the rules file, and no temporary file or marker
left behind.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.testing
import yaml
from typer.main import get_command
from typer.testing import CliRunner

from imgplan.cli import app
from imgplan.files.rules_file import data_path
from refusals import refused

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
MANIFEST = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
PACKAGED_RULES = data_path("rules.yaml").read_text(encoding="utf-8")
FAMILIES = ("rules", "profile", "arguments", "file-system")
# Typer builds the command from the app on every CliRunner.invoke, most of a case's time here.
COMMAND = get_command(app)


def invoke(argv: list[str]) -> Any:
    """``CliRunner().invoke(app, argv)``, with the command built once for the whole corpus."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.testing, "_get_command", lambda _app: COMMAND, raising=False)
        return CliRunner().invoke(app, argv)


@dataclass(frozen=True)
class Paths:
    tmp: Path
    profile: Path
    rules: Path


# -- the file system failing ---------------------------------------------------------------------
# Tests run as root, who may write a read-only folder and read a mode-000 file, so each failure
# is made by replacing the function that would meet it, for the one path concerned.


def _error(code: int) -> OSError:
    return OSError(code, os.strerror(code)) if code != errno.EACCES \
        else PermissionError(code, os.strerror(code))


def _refuse_opening(mp: pytest.MonkeyPatch, target: Path, code: int) -> None:
    real_open, real_read = Path.open, Path.read_bytes

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == target:
            raise _error(code)
        return real_open(self, *args, **kwargs)

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise _error(code)
        return real_read(self)

    mp.setattr(Path, "open", open_)
    mp.setattr(Path, "read_bytes", read_bytes)


class _FullDisk(io.FileIO):
    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _folder_not_writable(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or ".") == paths.profile.parent:
            raise _error(errno.EACCES)
        return real(*args, **kwargs)

    mp.setattr(tempfile, "mkstemp", mkstemp)


def _profile_read_only(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    # a real chmod: imgplan refuses by the mode bits, which hold even for root
    mode = paths.profile.stat().st_mode
    paths.profile.chmod(0o400)
    _RESTORE.append(lambda: paths.profile.chmod(mode))


def _folder_cannot_be_searched(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    # a folder on the way without search permission (x): anything under it cannot be stat'ed
    folder = paths.profile.parent
    for name in ("stat", "lstat"):
        real = getattr(os, name)

        def refuse(target: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            if isinstance(target, (str, os.PathLike)) and Path(target).parent == folder:
                raise _error(errno.EACCES)
            return _real(target, *args, **kwargs)

        mp.setattr(os, name, refuse)


def _profile_locked(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    # another imgplan in the middle of a change: this process holds the lock, on its own
    # file descriptor, with its pid written as imgplan writes it
    from filelock import FileLock

    from imgplan.files.locking import lock_path

    path = lock_path(paths.profile)
    other = FileLock(str(path))
    other.acquire()
    path.write_text(f"{os.getpid()}\n")
    _RESTORE.append(lambda: other.release(force=True))


_RESTORE: list[Callable[[], Any]] = []


def _rename_refused(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    real = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(dst) == paths.profile:
            raise _error(errno.EACCES)
        real(src, dst, **kwargs)

    mp.setattr(os, "replace", replace)


def _disk_full(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    real = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        return _FullDisk(fd, "w") if "w" in mode else real(fd, mode, *args, **kwargs)

    mp.setattr(os, "fdopen", fdopen)


def _disk_full_at_fsync(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    def fsync(fd: int) -> None:
        raise _error(errno.ENOSPC)

    mp.setattr(os, "fsync", fsync)


def _folder_cannot_be_made(mp: pytest.MonkeyPatch, paths: Paths) -> None:
    real = Path.mkdir

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == paths.tmp / "new":
            raise _error(errno.EACCES)
        real(self, *args, **kwargs)

    mp.setattr(Path, "mkdir", mkdir)


FAULTS: dict[str, Callable[[pytest.MonkeyPatch, Paths], None]] = {
    # mkstemp in the profile's folder is refused, as in a folder without write permission
    "folder-not-writable": _folder_not_writable,
    # the final rename onto the profile is refused (the folder became read-only meanwhile)
    "rename-refused": _rename_refused,
    # writing the new version fails: no space left
    "disk-full": _disk_full,
    # the data is accepted, then fsync reports that it cannot be stored
    "disk-full-at-fsync": _disk_full_at_fsync,
    # the profile cannot be read (its mode, or a file system mounted without access)
    "profile-not-readable": lambda mp, p: _refuse_opening(mp, p.profile, errno.EACCES),
    "profile-read-error": lambda mp, p: _refuse_opening(mp, p.profile, errno.EIO),
    "rules-not-readable": lambda mp, p: _refuse_opening(mp, p.rules, errno.EACCES),
    "folder-cannot-be-made": _folder_cannot_be_made,
    # set up in ``prepare``: nothing fails, the .bak is a folder
    "backup-is-a-folder": lambda mp, p: None,
    "profile-read-only": _profile_read_only,
    "folder-cannot-be-searched": _folder_cannot_be_searched,
    "profile-locked": _profile_locked,
}


# -- the cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    spec: dict[str, Any]
    argv: list[str]


def _cases() -> list[Case]:
    found: list[Case] = []
    for spec in MANIFEST["cases"]:
        family = spec["family"]
        assert family in FAMILIES, spec["id"]
        if "argv" in spec:
            found.append(Case(spec["id"], family, spec, [str(a) for a in spec["argv"]]))
            continue
        has_rules = "rules" in spec or "edit" in spec
        for name in spec.get("run", MANIFEST["defaults"][family]):
            argv = [str(a) for a in MANIFEST["commands"][name]]
            if has_rules:
                argv += ["--rules", "{rules}"]
            found.append(Case(f"{spec['id']}/{name}", family, spec, argv))
    return found


CASES = _cases()


def _rules_text(spec: dict[str, Any]) -> tuple[str | bytes, int | None]:
    """The rules file of a case, and the line ``{line}`` stands for."""
    if "edit" in spec:
        old, new = spec["edit"]
        assert PACKAGED_RULES.count(old) >= 1, f"data/rules.yaml no longer contains {old!r}"
        text = PACKAGED_RULES.replace(old, new, 1)
        # the edit's own line, unless the case names the line the problem is placed on
        start = text.index(spec["line_of"]) if "line_of" in spec else PACKAGED_RULES.index(old)
        return text, text.count("\n", 0, start) + 1
    if spec["rules"] == "packaged":
        return PACKAGED_RULES, None
    return (HOSTILE / "rules" / spec["rules"]).read_bytes(), None


def _fill(text: str, paths: Paths, line: int | None) -> str:
    filled = text.replace("{profile}", str(paths.profile)).replace("{rules}", str(paths.rules))
    filled = filled.replace("{tmp}", str(paths.tmp)).replace("{pid}", str(os.getpid()))
    # {huge}: a number Python will not read without being told to; {long}: a name longer than
    # a file system allows; {packaged}: the rules inside the installed package
    filled = filled.replace("{huge}", "9" * 5000).replace("{long}", "x" * 400)
    filled = filled.replace("{packaged}", str(data_path("rules.yaml")))
    if "{line}" in filled:
        assert line is not None
        filled = filled.replace("{line}", str(line))
    return filled


def read_raw(path: Path) -> bytes:
    with open(path, "rb") as stream:  # builtins.open: never one of the patched functions
        return stream.read()


def _data(name: str, paths: Paths) -> bytes:
    """A data file of the corpus, its marker pointing into this test's folder."""
    return read_raw(HOSTILE / name).replace(b"@MARKER@", str(paths.tmp / "marker").encode())


def prepare(case: Case, paths: Paths) -> int | None:
    """Lay out the files of ``case``; returns the line ``{line}`` stands for."""
    spec = case.spec
    paths.profile.parent.mkdir(parents=True, exist_ok=True)
    profile = f"profiles/{spec['profile']}" if "profile" in spec else "good/profile.yaml"
    paths.profile.write_bytes(_data(profile, paths))
    if spec.get("fault") == "backup-is-a-folder":
        paths.profile.with_name("profile.yaml.bak").mkdir()
    else:
        paths.profile.with_name("profile.yaml.bak").write_bytes(
            _data("good/profile.yaml.bak", paths))
    line = None
    if "rules" in spec or "edit" in spec:
        text, line = _rules_text(spec)
        raw = text.encode("utf-8") if isinstance(text, str) else text
        paths.rules.write_bytes(raw.replace(b"@MARKER@", str(paths.tmp / "marker").encode()))
    return line


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root``: a file by its SHA-256, a folder as such.

    The profile's lock file (``profile.yaml.lock``, made by the first command that would
    change the profile, and left in place for the next: imgplan.files.locking) is not
    counted: it holds nothing of the person's.
    """
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = "folder"
        for name in files:
            if name.endswith(".yaml.lock"):
                continue
            path = Path(folder, name)
            found[os.path.relpath(path, root)] = hashlib.sha256(read_raw(path)).hexdigest()
    return found


@contextmanager
def faulty(case: Case, paths: Paths) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        if "env" in case.spec:
            for key, value in case.spec["env"].items():
                mp.setenv(key, _fill(str(value), paths, None))
        if "fault" in case.spec:
            FAULTS[case.spec["fault"]](mp, paths)
        try:
            yield
        finally:
            while _RESTORE:
                _RESTORE.pop()()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_gets_one_line_and_changes_nothing(case: Case, isolated: Path,
                                                        tmp_path: Path) -> None:
    paths = Paths(tmp=tmp_path, profile=isolated, rules=tmp_path / "rules.yaml")
    line = prepare(case, paths)
    argv = [_fill(arg, paths, line) for arg in case.argv]
    before = snapshot(tmp_path)

    with faulty(case, paths):
        result = invoke(argv)

    shown = f"imgplan {' '.join(argv)}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}"
    refused(result, *(_fill(expected, paths, line) for expected in case.spec["expect"]))
    assert snapshot(tmp_path) == before, shown
    assert not (tmp_path / "marker").exists(), "a YAML tag ran code"


# -- the corpus itself -------------------------------------------------------------------------


def test_the_corpus_covers_every_family_with_enough_cases() -> None:
    per_family = {family: sum(case.family == family for case in CASES) for family in FAMILIES}
    assert all(count >= 5 for count in per_family.values()), per_family
    assert len(MANIFEST["cases"]) >= 120  # issue 12: the corpus counts at least 120 cases
    assert len({case.id for case in CASES}) == len(CASES)


def test_every_data_file_is_used() -> None:
    used = {f"profiles/{spec['profile']}" for spec in MANIFEST["cases"] if "profile" in spec}
    used |= {f"rules/{spec['rules']}" for spec in MANIFEST["cases"]
             if spec.get("rules", "packaged") != "packaged"}
    files = {f"{path.parent.name}/{path.name}" for kind in ("profiles", "rules")
             for path in (HOSTILE / kind).iterdir()}
    assert files == used


@pytest.mark.parametrize("name", sorted(MANIFEST["commands"]))
def test_every_command_line_works_on_the_good_profile(name: str, isolated: Path,
                                                      tmp_path: Path) -> None:
    """The corpus's refusals come from its hostile inputs, not from a broken command line."""
    paths = Paths(tmp=tmp_path, profile=isolated, rules=tmp_path / "rules.yaml")
    argv = [str(a) for a in MANIFEST["commands"][name]]
    for extra in ([], ["--rules", str(data_path("rules.yaml"))]):
        # the good profile afresh each time: the same letter added twice is a duplicate
        prepare(Case(name, "profile", {}, []), paths)
        result = invoke(argv + extra)
        assert result.exit_code in (0, 1) if name == "check" else result.exit_code == 0, \
            result.output


@pytest.mark.parametrize("name", ["python-object-apply.yaml", "python-tag-in-a-key.yaml"])
def test_the_python_tags_are_live_under_an_unsafe_loader(name: str, tmp_path: Path) -> None:
    """The marker check above proves something: an unsafe loader would run these files."""
    paths = Paths(tmp=tmp_path, profile=tmp_path / "p.yaml", rules=tmp_path / "r.yaml")
    yaml.unsafe_load(_data(f"profiles/{name}", paths))
    assert (tmp_path / "marker").is_dir()
