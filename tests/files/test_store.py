"""The profile store: where it is, atomic private writes, and a damaged file never overwritten."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imgplan.core.errors import ProfileError
from imgplan.core.profile import Profile
from imgplan.files.checking import profile_from as validate_profile
from imgplan.files.profile_store import load_profile, profile_path, save_profile
from imgplan.files.rules_file import load_rules

Run = Callable[..., Any]
TODAY = "2026-11-22"
GOOD = """\
schema_version: 1
graduation: 2024-06-30
specialty: internal-medicine
match_year: 2027
visa: j1
stages:
  step1:
    status: passed
    date: 2025-05-10
"""


def test_the_path_comes_from_the_flag_then_the_environment(tmp_path: Path,
                                                           isolated: Path) -> None:
    assert profile_path(None) == isolated  # $IMGPLAN_PROFILE, set by the autouse fixture
    assert profile_path(tmp_path / "x.yaml") == tmp_path / "x.yaml"


def test_the_default_path_is_in_the_user_config_folder(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.delenv("IMGPLAN_PROFILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    found = profile_path()
    assert found.name == "profile.yaml" and found.parent.name == "imgplan"


def test_save_is_private_keeps_a_backup_and_loads_again(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "profile.yaml"
    rules = load_rules()
    first = Profile(match_year=2027, visa="j1")
    save_profile(path, first, rules)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.with_name("profile.yaml.bak").exists()
    old = path.read_bytes()
    second = dataclasses.replace(first, match_year=2028)
    save_profile(path, second, rules)
    backup = path.with_name("profile.yaml.bak")
    assert backup.read_bytes() == old and stat.S_IMODE(backup.stat().st_mode) == 0o600
    loaded = load_profile(path, rules)
    assert loaded is not None and loaded.match_year == 2028
    assert sorted(p.name for p in path.parent.iterdir()) == ["profile.yaml", "profile.yaml.bak",
                                                             "profile.yaml.lock"]
    assert path.read_text(encoding="utf-8").startswith("# imgplan profile")


def test_an_invalid_profile_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(GOOD, encoding="utf-8")
    before = path.read_bytes()
    bad = validate_profile({"stages": {"step1": {"status": "passed",
                                                       "date": "2027-01-01"}}})
    with pytest.raises(ProfileError, match="after today"):
        save_profile(path, bad, load_rules(), dt.date(2026, 11, 22))
    assert path.read_bytes() == before and not path.with_name("profile.yaml.bak").exists()


def test_a_missing_profile_is_none(tmp_path: Path) -> None:
    assert load_profile(tmp_path / "nothing.yaml") is None


DAMAGED = [
    ("broken YAML", "schema_version: 1\nstages:\n  step1: {status: passed\n",
     "YAML syntax error"),
    ("unknown field", GOOD + "colour: blue\n", ":10: colour: unknown field"),
    ("wrong type", GOOD.replace("match_year: 2027", "match_year: soon"),
     ":4: match_year: "),
    ("unknown stage", GOOD + "  step4:\n    status: done\n    date: 2025-01-01\n",
     "stages.step4: unknown stage 'step4'"),
    ("not a mapping", "- a\n- b\n", "is not a profile"),
    ("empty", "", "is empty"),
    ("status without a date", GOOD.replace("    date: 2025-05-10\n", ""),
     "stages.step1.date: missing (required)"),
    ("unknown specialty", GOOD.replace("internal-medicine", "cardiology"),
     "specialty: unknown specialty 'cardiology'"),
]


@pytest.mark.parametrize(("content", "message"), [(c, m) for _, c, m in DAMAGED],
                         ids=[name for name, _, _ in DAMAGED])
@pytest.mark.parametrize("command", [
    ("mark", "step2ck", "passed", "--date", "2025-09-20", "--score", "250"),
    ("add", "lor", "--writer", "Dr A"),
    ("confirm", "rank_strategy"),
    ("check",),
    ("timeline",),
])
def test_a_damaged_profile_is_reported_and_never_written(cli: Run, profile_path: Path,
                                                        content: str, message: str,
                                                        command: tuple[str, ...]) -> None:
    if command[0] == "timeline" and "specialty" in message:
        pytest.skip("the timeline does not use the specialty")
    profile_path.parent.mkdir(parents=True, exist_ok=True)
    profile_path.write_text(content, encoding="utf-8")
    before = profile_path.read_bytes()
    result = cli(*command, "--today", TODAY)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"imgplan: error: {profile_path}")
    assert message in lines[0]
    assert profile_path.read_bytes() == before
    assert sorted(p.name for p in profile_path.parent.iterdir()
                  if p.name != "profile.yaml.lock") == ["profile.yaml"]


def test_init_force_replaces_a_damaged_profile_and_keeps_it(cli: Run,
                                                            profile_path: Path) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("schema_version: 1\ncolour: blue\n", encoding="utf-8")
    result = cli("init", "--no-input", "--match", "2027", "--specialty", "pediatrics",
                 "--visa", "j1", "--graduation", "2024-06-30", "--today", TODAY)
    assert result.exit_code == 2 and "--force" in result.stderr
    result = cli("init", "--no-input", "--match", "2027", "--specialty", "pediatrics",
                 "--visa", "j1", "--graduation", "2024-06-30", "--force", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "colour" in profile_path.with_name("profile.yaml.bak").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [("timeline",), ("check",),
                                     ("init", "--no-input", "--force", "--match", "2028",
                                      "--specialty", "internal-medicine", "--visa", "j1",
                                      "--graduation", "2024-06-30")])
def test_a_profile_that_is_a_named_pipe_is_refused_not_waited_on(
    profile_path: Path, command: tuple[str, ...]
) -> None:
    # Found while reviewing the hostile-input corpus: opening a FIFO blocks until something
    # writes to it, so imgplan would hang. A subprocess, so that a hang fails the test.
    profile_path.parent.mkdir(parents=True)
    os.mkfifo(profile_path)
    done = subprocess.run([sys.executable, "-m", "imgplan", *command, "--today", TODAY],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"imgplan: error: {profile_path}")
    assert "not a regular file" in line
    assert stat.S_ISFIFO(profile_path.lstat().st_mode)  # left as it was


def test_a_save_removes_what_a_killed_save_left_behind(tmp_path: Path) -> None:
    # A process killed mid-save leaves its temporary copy (tests/test_crash_safety.py): the next
    # save removes it once it is old enough not to belong to a save still under way.
    path = tmp_path / "profile.yaml"
    save_profile(path, Profile(match_year=2027, visa="j1"), load_rules())
    old = tmp_path / ".profile.yaml.k1ll3d.tmp"
    old_backup = tmp_path / ".profile.yaml.bak.k1ll3d.tmp"
    recent = tmp_path / ".profile.yaml.s4v1ng.tmp"
    other = tmp_path / ".notes.txt.old.tmp"
    for leftover in (old, old_backup, recent, other):
        leftover.write_text("match_year: 2027\n")
    two_hours_ago = time.time() - 7200
    for stale in (old, old_backup, other):
        os.utime(stale, (two_hours_ago, two_hours_ago))
    save_profile(path, Profile(match_year=2028, visa="j1"), load_rules())
    assert not old.exists() and not old_backup.exists()
    assert recent.exists() and other.exists()  # a save under way; not imgplan's


def test_a_date_used_twice_is_written_twice_not_as_an_alias(tmp_path: Path) -> None:
    # Found by a new user's walkthrough: "started: &id001 2026-12-01 ... received: *id001";
    # editing one date by hand changed the other.
    from imgplan.files.yamlio import dump_yaml

    day = dt.date(2026, 12, 1)
    text = dump_yaml({"usce": [{"start": day}], "letters": [{"received": day}]})
    assert "&" not in text and "*" not in text
    assert text.count("2026-12-01") == 2


def test_the_first_line_says_comments_are_not_kept(tmp_path: Path) -> None:
    # PyYAML keeps no comments: a note a person adds by hand goes on the next save, so the
    # file says so where they will read it first (issue 13, part 10).
    path = tmp_path / "profile.yaml"
    save_profile(path, Profile(match_year=2028, visa="j1"), load_rules())
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# imgplan profile")
    assert "comments are not kept" in first
