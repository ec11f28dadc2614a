"""Saving the profile can fail or be cut short at any moment, and the person loses nothing.

A save writes the new version to a temporary file, stages a copy of the current one for the
``.bak``, replaces the profile with ``os.replace`` and only then puts the ``.bak`` in place.
Here the final rename fails (in-process), and then a real imgplan process is killed at each
step of the save (``os._exit``, as a power cut or ``kill -9`` would): each time the profile is
whole, loads, and is either the old version or the new one, and the ``.bak`` is there.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
TODAY = "2026-11-22"
INIT = ("init", "--no-input", "--match", "2028", "--specialty", "internal-medicine",
        "--visa", "j1", "--graduation", "2024-06-30", "--today", TODAY)
FIRST = ("mark", "step1", "passed", "--date", "2026-06-10", "--today", TODAY)
CHANGE = ("mark", "step2ck", "passed", "--date", "2026-09-20", "--score", "250",
          "--today", TODAY)


@pytest.fixture
def saved_twice(cli: Run, profile_path: Path) -> tuple[bytes, bytes]:
    """A profile saved twice: (the profile, its .bak), both real versions."""
    assert cli(*INIT).exit_code == 0
    assert cli(*FIRST).exit_code == 0
    backup = profile_path.with_name("profile.yaml.bak")
    assert backup.read_bytes() != profile_path.read_bytes()
    return profile_path.read_bytes(), backup.read_bytes()


def names(folder: Path) -> list[str]:
    """The files in ``folder``, but the profile's lock file (imgplan.files.locking), which
    a change leaves in place for the next."""
    return sorted(path.name for path in folder.iterdir() if path.name != "profile.yaml.lock")


def shows(cli: Run, path: Path) -> str:
    """``imgplan profile show`` of ``path``, which must load."""
    result = cli("profile", "show", "--today", TODAY, "--profile", str(path))
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_a_failed_final_rename_leaves_the_profile_and_its_backup(
        cli: Run, profile_path: Path, saved_twice: tuple[bytes, bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    before, backup = saved_twice
    real = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(dst) == profile_path:
            raise PermissionError(errno.EACCES, "Permission denied")
        real(src, dst, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        result = cli(*CHANGE)

    assert result.exit_code == 2
    assert result.stderr == (f"imgplan: error: {profile_path}: not saved (Permission denied); "
                             "the profile is unchanged\n")
    assert profile_path.read_bytes() == before
    assert profile_path.with_name("profile.yaml.bak").read_bytes() == backup
    assert names(profile_path.parent) == ["profile.yaml", "profile.yaml.bak"]  # no temp files
    shown = shows(cli, profile_path)
    assert "USMLE Step 1" in shown and "USMLE Step 2 CK" not in shown
    # and the next save works as usual
    assert cli(*CHANGE).exit_code == 0
    assert profile_path.with_name("profile.yaml.bak").read_bytes() == before


def test_a_failed_backup_rename_after_the_save_says_it_was_saved(
        cli: Run, profile_path: Path, saved_twice: tuple[bytes, bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, backup = saved_twice
    real = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(dst).name == "profile.yaml.bak":
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        result = cli(*CHANGE)

    assert result.exit_code == 2
    assert result.stderr == (f"imgplan: error: {profile_path}: saved, but the previous version "
                             "could not be kept as profile.yaml.bak (Input/output error)\n")
    assert "USMLE Step 2 CK" in shows(cli, profile_path)  # the change is in
    assert profile_path.with_name("profile.yaml.bak").read_bytes() == backup  # an older one
    assert names(profile_path.parent) == ["profile.yaml", "profile.yaml.bak"]


# The wrapper runs ``python -m imgplan ARGS`` with one function replaced: at the chosen moment
# of the save it ends the process on the spot, as a power cut or ``kill -9`` would (no cleanup,
# no finally blocks, no flushing of Python's buffers).
WRAPPER = textwrap.dedent("""\
    import os, runpy, sys
    moment, profile, *args = sys.argv[1:]
    bak = profile + ".bak"

    def die():
        os._exit(137)

    real_replace, real_fsync = os.replace, os.fsync

    def replace(src, dst, *a, **k):
        if (moment, os.fspath(dst)) in (("profile-rename", profile), ("backup-rename", bak)):
            die()
        return real_replace(src, dst, *a, **k)

    def fsync(fd):
        if moment == "first-fsync":
            die()
        return real_fsync(fd)

    os.replace, os.fsync = replace, fsync
    sys.argv = ["imgplan", *args]
    runpy.run_module("imgplan", run_name="__main__", alter_sys=True)
""")


@pytest.mark.parametrize(("moment", "outcome"), [
    ("first-fsync", "old"),      # the new version is half on disk, in a temporary file
    ("profile-rename", "old"),   # everything staged, the profile not yet replaced
    ("backup-rename", "new"),    # the profile replaced, the .bak not yet
])
def test_a_process_killed_while_saving_loses_nothing(
        cli: Run, profile_path: Path, saved_twice: tuple[bytes, bytes], moment: str,
        outcome: str) -> None:
    before, backup = saved_twice
    killed = subprocess.run(
        [sys.executable, "-c", WRAPPER, moment, str(profile_path), *CHANGE],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert killed.returncode == 137, killed.stderr
    assert "Traceback" not in killed.stderr

    shown = shows(cli, profile_path)
    bak = profile_path.with_name("profile.yaml.bak")
    assert bak.is_file()
    if outcome == "old":
        assert profile_path.read_bytes() == before
        assert "USMLE Step 2 CK" not in shown
        assert bak.read_bytes() == backup
    else:
        assert "USMLE Step 2 CK" in shown
        assert bak.read_bytes() == backup  # one version behind: the next save catches up
    # The leftovers are hidden temporary files, never a half profile; the next save works.
    leftovers = [name for name in names(profile_path.parent)
                 if name not in ("profile.yaml", "profile.yaml.bak")]
    assert all(name.startswith(".profile.yaml.") and name.endswith(".tmp")
               for name in leftovers), leftovers
    again = cli(*CHANGE)
    assert again.exit_code == 0, again.output
    assert "USMLE Step 2 CK" in shows(cli, profile_path)
