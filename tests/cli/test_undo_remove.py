"""Nothing typed twice stays twice, one entry can be taken out, and the last change undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from refusals import refused

TODAY = ("--today", "2026-12-01")
Run = Callable[..., Any]


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


@pytest.fixture
def person(cli: Run, profile_path: Path) -> Path:
    ok(cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2024-06-30", *TODAY))
    for writer, us, day in (("Dr A", True, "2026-11-01"), ("Dr B", False, "2026-11-02"),
                            ("Dr C", True, "2026-11-03")):
        ok(cli("add", "lor", "--writer", writer, *(["--us"] if us else []), "--date", day,
               *TODAY))
    return profile_path


def stored(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def writers(path: Path) -> list[str]:
    return [letter["writer"] for letter in stored(path).get("letters", [])]


def test_the_same_letter_twice_is_refused_and_changes_nothing(cli: Run, person: Path) -> None:
    before = person.read_bytes()
    refused(cli("add", "lor", "--writer", "Dr A", "--us", "--date", "2026-11-01", *TODAY),
            "already recorded, as letter 1")
    assert person.read_bytes() == before


def test_the_same_period_twice_is_refused(cli: Run, person: Path) -> None:
    period = ("add", "usce", "--kind", "externship", "--start", "2027-02-01", "--end",
              "2027-03-31", *TODAY)
    ok(cli(*period))
    before = person.read_bytes()
    refused(cli(*period), "already recorded, as period 1")
    assert person.read_bytes() == before


def test_remove_lor_2_removes_the_second_letter_and_the_stage_follows(
        cli: Run, person: Path) -> None:
    assert stored(person)["stages"]["lors"]["status"] == "done"  # three letters, two from US
    out = ok(cli("remove", "lor", "2", *TODAY))
    assert "Dr B" in out
    assert writers(person) == ["Dr A", "Dr C"]
    # two letters are not three: the stage the letters amounted to is in progress again
    assert stored(person)["stages"]["lors"]["status"] == "in_progress"


@pytest.mark.parametrize(("number", "named"), [("0", "N: "), ("4", "N: "), ("x", "N: "),
                                               ("-1", "-1")])  # click reads -1 as an option
def test_a_number_not_listed_is_refused(cli: Run, person: Path, number: str,
                                        named: str) -> None:
    before = person.read_bytes()
    refused(cli("remove", "lor", number, *TODAY), named)
    assert person.read_bytes() == before


def test_profile_show_numbers_the_entries_as_remove_takes_them(cli: Run, person: Path) -> None:
    shown = ok(cli("profile", "show", *TODAY))
    rows = [line for line in shown.splitlines() if "Dr " in line]
    assert [row.split()[1] for row in rows] == ["1", "2", "3"]


def test_undo_puts_back_the_previous_profile_and_says_what_changes(
        cli: Run, person: Path) -> None:
    three = person.read_bytes()
    ok(cli("remove", "lor", "2", *TODAY))
    out = ok(cli("undo", *TODAY))
    assert "letters: 2 -> 3 recorded" in out
    assert person.read_bytes() == three
    ok(cli("undo", *TODAY))  # again: redo
    assert writers(person) == ["Dr A", "Dr C"]


def test_undo_of_a_setting(cli: Run, person: Path) -> None:
    ok(cli("profile", "set", "visa", "h1b", *TODAY))
    assert "visa route: h1b -> j1" in ok(cli("undo", *TODAY))
    assert stored(person)["visa"] == "j1"


def test_nothing_to_undo_is_refused(cli: Run, profile_path: Path) -> None:
    refused(cli("undo", *TODAY), "nothing to undo")
    ok(cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2024-06-30", *TODAY))
    before = profile_path.read_bytes()
    refused(cli("undo", *TODAY), "nothing to undo")  # the first save has no earlier version
    assert profile_path.read_bytes() == before


def test_a_damaged_backup_is_not_restored(cli: Run, person: Path) -> None:
    backup = person.with_name("profile.yaml.bak")
    backup.write_text("schema_version: 1\nvisa: k1\n", encoding="utf-8")
    before = person.read_bytes()
    refused(cli("undo", *TODAY), "profile.yaml.bak", "visa")
    assert person.read_bytes() == before


def test_undo_recovers_a_damaged_profile_and_keeps_it(cli: Run, person: Path) -> None:
    good_backup = person.with_name("profile.yaml.bak").read_bytes()
    person.write_text("stages: [\n", encoding="utf-8")
    ok(cli("undo", *TODAY))
    assert person.read_bytes() == good_backup
    assert person.with_name("profile.yaml.bak").read_text(encoding="utf-8") == "stages: [\n"
