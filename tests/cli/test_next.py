"""``imgplan next`` (issue 15, part 2): what to do now, overdue first, with the command that
records each; quiet when nothing is due."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Run = Callable[..., Any]


def shown(cli: Run, *args: str) -> dict[str, Any]:
    result = cli("next", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_an_exam_booked_tomorrow_comes_first_with_the_command_to_record_it(
        cli: Run, profile_path: Path) -> None:
    day = ("--today", "2027-01-14")
    for args in (["init", "--no-input", "--match", "2028", "--specialty", "IM", "--visa", "j1",
                  "--graduation", "2022-06-30"],
                 ["mark", "step1", "passed", "--date", "2026-07-01"],
                 ["mark", "Step 2 CK", "booked", "--date", "2027-01-15"]):
        assert cli(*args, *day).exit_code == 0, args
    found = shown(cli, *day)
    first = found["actions"][0]
    assert (first["stage"], first["kind"], first["start"]) == ("step2ck", "now", "2027-01-15")
    assert first["command"] == "imgplan mark step2ck passed --date 2027-01-15 --score N"
    table = cli("next", *day).stdout
    lines = table.splitlines()
    at = next(i for i, line in enumerate(lines) if "Step 2 CK: booked for 15 Jan 2027" in line)
    # the command on a line of its own, whole, after the item's wrapped lines
    assert any(line.strip() == first["command"] for line in lines[at:at + 4])
    kinds = [a["kind"] for a in found["actions"]]
    assert kinds == sorted(kinds, key=["overdue", "now", "coming"].index)


def test_overdue_comes_first(cli: Run) -> None:
    # from scratch, Match 2027 on 2026-06-01: Step 1 can no longer be passed in time
    found = shown(cli, "--match", "2027", "--today", "2026-06-01")
    assert found["actions"][0]["kind"] == "overdue"
    assert found["actions"][0]["slack_days"] < 0
    assert "days late" in found["actions"][0]["why"]


def test_nothing_due_says_when_the_next_thing_is(cli: Run, profile_path: Path) -> None:
    day = ("--today", "2026-06-01")
    for args in (["init", "--no-input", "--match", "2027", "--specialty", "internal-medicine",
                  "--visa", "j1", "--graduation", "2022-06-30"],
                 ["mark", "credentials", "done", "--date", "2025-01-10"],
                 ["mark", "step1", "passed", "--date", "2025-05-10"],
                 ["mark", "step2ck", "passed", "--date", "2025-10-01", "--score", "245"],
                 ["mark", "oet", "passed", "--date", "2025-11-15", "--scores",
                  "360,350,320,370"],
                 ["add", "usce", "--kind", "externship", "--start", "2025-12-01", "--end",
                  "2026-02-28"],
                 ["mark", "application_documents", "done", "--date", "2026-05-01"],
                 *(["add", "lor", "--writer", f"Dr {w}", "--us", "--date", "2026-05-01"]
                   for w in "ABC")):
        assert cli(*args, *day).exit_code == 0, args
    found = shown(cli, "--days", "1", *day)
    assert not [a for a in found["actions"] if a["kind"] in ("overdue", "now")]
    # ERAS waits for MyERAS's window (2026-06-24 for this plan): the next thing
    assert found["quiet"] == ("Nothing due before 2026-06-02; next: ERAS, when it can start, "
                              "on 24 Jun 2026.")
    assert found["quiet"] in " ".join(cli("next", "--days", "1", *day).stdout.split())
    # what waits on the calendar is listed apart, with what it waits for
    assert all(b["waits_for"] for b in found["blocked"])


def test_every_action_is_a_stage_still_open_of_the_plan(cli: Run) -> None:
    found = shown(cli, "--match", "2029", "--today", "2026-12-02")
    plan = {s["id"]: s for s in json.loads(cli("timeline", "--match", "2029", "-f", "json",
                                               "--today", "2026-12-02").stdout)["stages"]}
    for action in found["actions"] + found["blocked"]:
        stage = plan[action["stage"]]
        assert stage["status"] not in ("done", "closed")
        assert action["start_by"] == stage["latest_start"]
        assert action["slack_days"] == stage["slack_days"]
