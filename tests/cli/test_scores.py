"""Plausible scores: a Step 1 score only for sittings before pass/fail, a pass at or above the
passing standard in force on its day (issue 10, part 3). Refused with one line, file unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from refusals import refused

TODAY = ("--today", "2026-12-01")
Run = Callable[..., Any]


@pytest.fixture
def person(cli: Run, profile_path: Path) -> Path:
    made = cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", *TODAY)
    assert made.exit_code == 0, made.stderr
    return profile_path


@pytest.mark.parametrize(("args", "words"), [
    (("step1", "passed", "--date", "2026-03-10", "--score", "230"),
     ["--score", "pass/fail", "2026-03-10"]),
    (("step1", "passed", "--date", "2022-01-26", "--score", "230"),
     ["--score", "pass/fail"]),  # the first pass/fail day
    (("step2ck", "passed", "--date", "2025-10-20", "--score", "45"),
     ["--score", "below 218"]),
    (("step2ck", "passed", "--date", "2025-07-01", "--score", "217"),
     ["below 218"]),  # the day 218 starts
    (("step2ck", "passed", "--date", "2023-03-01", "--score", "213"),
     ["below 214"]),
    (("step3", "passed", "--date", "2024-02-01", "--score", "199"),
     ["--score", "below 200"]),
])
def test_an_implausible_score_is_refused(cli: Run, person: Path, args: tuple[str, ...],
                                         words: list[str]) -> None:
    before = person.read_bytes()
    refused(cli("mark", *args, *TODAY), *words)
    assert person.read_bytes() == before


@pytest.mark.parametrize("args", [
    ("step1", "passed", "--date", "2022-01-25", "--score", "230"),  # the last scored day
    ("step2ck", "passed", "--date", "2025-06-30", "--score", "214"),  # 214 still in force
    ("step2ck", "passed", "--date", "2022-03-01", "--score", "210"),  # before the rules know
    ("step2ck", "failed", "--date", "2025-10-20", "--score", "205"),  # a fail may score low
    ("step1", "passed", "--date", "2026-03-10"),  # pass/fail: no score
])
def test_a_plausible_score_is_recorded(cli: Run, person: Path, args: tuple[str, ...]) -> None:
    done = cli("mark", *args, *TODAY)
    assert done.exit_code == 0, done.stderr


def test_a_hand_edited_pass_below_the_standard_is_named_with_its_line(
        cli: Run, person: Path) -> None:
    text = person.read_text(encoding="utf-8")
    person.write_text(text + "stages:\n  step2ck:\n    status: passed\n    date: 2025-10-20\n"
                      "    score: 200\n", encoding="utf-8")
    line = refused(cli("timeline", *TODAY), "stages.step2ck.score", "below 218")
    assert f"{person}:" in line
