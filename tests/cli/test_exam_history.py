"""Every sitting of an exam kept, the USMLE retake rules in the plan, and older profiles read.

Tried as a person would: ``imgplan mark`` through the command line, the profile on disk, the
timeline and the check in JSON (their field names are the contract; the wording is not).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from imgplan.files.rules_file import load_rules
from refusals import refused

TODAY = ("--today", "2026-12-01")
Run = Callable[..., Any]


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def stored(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def timeline(cli: Run, *args: str) -> dict[str, Any]:
    result = cli("timeline", "--format", "json", *TODAY, *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def stages(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {stage["id"]: stage for stage in plan["stages"]}


@pytest.fixture
def person(cli: Run, profile_path: Path) -> Path:
    ok(cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2024-06-30", *TODAY))
    ok(cli("mark", "step1", "passed", "--date", "2025-03-10", *TODAY))
    return profile_path


def test_the_same_sitting_twice_is_one_attempt(cli: Run, person: Path) -> None:
    ok(cli("mark", "step2ck", "failed", "--date", "2025-10-20", "--score", "205", *TODAY))
    before = person.read_bytes()
    again = ok(cli("mark", "step2ck", "failed", "--date", "2025-10-20", "--score", "205",
                   *TODAY))
    assert "already recorded" in again
    assert person.read_bytes() == before
    assert len(stored(person)["stages"]["step2ck"]["sittings"]) == 1
    # the same day with another result is a contradiction, not a second sitting
    refused(cli("mark", "step2ck", "passed", "--date", "2025-10-20", "--score", "240", *TODAY),
            "--date", "already recorded")
    assert person.read_bytes() == before


def test_a_booking_keeps_the_history_and_a_later_pass_ends_it(cli: Run, person: Path) -> None:
    ok(cli("mark", "step2ck", "failed", "--date", "2025-10-20", "--score", "205", *TODAY))
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-01-15", *TODAY))
    record = stored(person)["stages"]["step2ck"]
    assert record["sittings"] == [{"date": dt.date(2025, 10, 20), "result": "failed",
                                   "score": 205}]
    assert record["booked"] == dt.date(2027, 1, 15)
    planned = stages(timeline(cli))["step2ck"]
    assert planned["status"] == "scheduled" and planned["finish"] == "2027-01-15"
    ok(cli("mark", "step2ck", "passed", "--date", "2027-01-15", "--score", "241",
           "--today", "2027-02-20"))
    record = stored(person)["stages"]["step2ck"]
    assert [s["result"] for s in record["sittings"]] == ["failed", "passed"]
    assert "booked" not in record
    # a passed Step is not sat again
    refused(cli("mark", "step2ck", "scheduled", "--date", "2027-06-01", "--today",
                "2027-02-20"), "STATUS", "not sat again")


def test_three_failures_in_a_year_hold_the_retake_back(cli: Run, person: Path) -> None:
    for day in ("2026-09-01", "2026-10-01", "2026-11-01"):
        said = ok(cli("mark", "step2ck", "failed", "--date", day, *TODAY))
    # the 4th sitting: not within 12 months of the first, and 6 months after the last
    assert "allowed from 2027-09-01" in said
    planned = stages(timeline(cli))["step2ck"]
    assert planned["status"] in ("upcoming", "late", "overdue")
    assert planned["finish"] >= "2027-09-01"
    # a booking before then is flagged, with the day it may be
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-03-01", *TODAY))
    found = {f["id"]: f for f in timeline(cli)["findings"]}
    assert found["retake_too_soon"]["stage"] == "step2ck"
    assert found["retake_too_soon"]["date"] == "2027-03-01"


def test_a_fourth_failure_closes_the_road(cli: Run, person: Path) -> None:
    for day in ("2025-01-10", "2025-04-10", "2025-07-10", "2026-01-10"):
        said = ok(cli("mark", "step2ck", "failed", "--date", day, *TODAY))
    assert "4 of 4" in said and "closed" in said
    plan = timeline(cli)
    assert plan["feasible"] is False and plan["eligible"] is False
    assert plan["earliest_feasible_match"] is None
    assert plan["closed_by"]["id"] == "attempt_limit_reached"
    assert plan["closed_by"]["stage"] == "step2ck"
    for stage in plan["stages"]:
        assert stage["status"] in ("done", "closed"), stage
        if stage["status"] == "closed":
            assert stage["start"] is None and stage["finish"] is None
    text = cli("timeline", *TODAY)
    assert "the pathway is closed" in text.stdout
    check = cli("check", "--format", "json", *TODAY)
    assert check.exit_code == 1
    report = json.loads(check.stdout)
    attempts = next(item for item in report["items"] if item["id"] == "usmle_attempts")
    assert attempts["status"] == "fail" and "ineligible" in attempts["detail"]
    assert report["closed_by"]["id"] == "attempt_limit_reached"
    assert "Ineligible" in cli("check", *TODAY).stdout
    refused(cli("mark", "step2ck", "failed", "--date", "2026-11-01", *TODAY), "STATUS",
            "limit of 4")


def test_ecfmg_window_for_the_other_steps(cli: Run, profile_path: Path) -> None:
    ok(cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2018-06-30", *TODAY))
    ok(cli("mark", "step1", "passed", "--date", "2020-01-15", "--score", "230", *TODAY))
    found = {f["id"]: f for f in timeline(cli)["findings"]}
    # seven years from 2020-01-15: Step 2 CK planned for after 2027-01-15 is too late
    assert found["steps_window_lapses"]["stage"] == "step2ck"
    assert found["steps_window_lapses"]["date"] == "2027-01-15"


def test_a_profile_of_the_previous_release_is_read_and_migrated(cli: Run,
                                                                 profile_path: Path) -> None:
    old = (
        "schema_version: 1\n"
        "graduation: 2024-06-30\n"
        "specialty: internal-medicine\n"
        "match_year: 2029\n"
        "visa: j1\n"
        "stages:\n"
        "  step1: {status: passed, date: 2025-03-10}\n"
        "  step2ck: {status: failed, date: 2026-10-01, score: 205, attempts: 2}\n"
        "  oet: {status: scheduled, date: 2027-01-20}\n"
    )
    profile_path.parent.mkdir(parents=True, exist_ok=True)
    profile_path.write_text(old, encoding="utf-8")
    plan = stages(timeline(cli))
    assert plan["step1"]["status"] == "done" and plan["oet"]["status"] == "scheduled"
    assert profile_path.read_text(encoding="utf-8") == old  # reading writes nothing
    ok(cli("mark", "credentials", "done", "--date", "2025-01-05", *TODAY))
    data = stored(profile_path)
    assert data["schema_version"] == 2
    assert data["stages"]["step1"]["sittings"] == [{"date": dt.date(2025, 3, 10),
                                                    "result": "passed"}]
    # two failed attempts, one of them dated: the other kept as a count
    assert data["stages"]["step2ck"]["sittings"] == [
        {"date": dt.date(2026, 10, 1), "result": "failed", "score": 205}]
    assert data["stages"]["step2ck"]["undated_attempts"] == 1
    assert data["stages"]["oet"]["booked"] == dt.date(2027, 1, 20)
    assert profile_path.with_name("profile.yaml.bak").read_text(encoding="utf-8") == old


def test_a_hand_edit_in_the_old_shape_is_placed_on_its_line(cli: Run, person: Path) -> None:
    with person.open("a", encoding="utf-8") as handle:
        handle.write("  step2ck:\n    status: passed\n    date: 2025-10-20\n    score: 45\n")
    line = refused(cli("timeline", *TODAY), "stages.step2ck.score", "below 218")
    assert f"{person}:" in line


def test_an_incomplete_sitting_counts_as_an_attempt(cli: Run, person: Path) -> None:
    said = ok(cli("mark", "step2ck", "incomplete", "--date", "2026-10-01", *TODAY))
    assert "1 of 4 USMLE attempts" in said
    assert stored(person)["stages"]["step2ck"]["sittings"] == [
        {"date": dt.date(2026, 10, 1), "result": "incomplete"}]
    refused(cli("mark", "step2ck", "incomplete", "--date", "2026-11-01", "--score", "200",
                *TODAY), "--score")


def test_a_booking_the_rules_do_not_allow_is_not_planned_on(cli: Run, person: Path) -> None:
    for day in ("2026-09-01", "2026-10-01", "2026-11-01"):
        ok(cli("mark", "step2ck", "failed", "--date", day, *TODAY))
    honest = timeline(cli, "--match", "2028")
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-03-01", *TODAY))
    booked = timeline(cli, "--match", "2028")
    # the sitting cannot happen on 1 March: the plan is the one without the booking
    assert booked["feasible"] == honest["feasible"] is False
    assert booked["earliest_feasible_match"] == honest["earliest_feasible_match"]
    assert stages(booked)["step2ck"]["finish"] >= "2027-09-01"
    assert "retake_too_soon" in {f["id"] for f in booked["findings"]}
    # check's verdict names the Match that works
    header = cli("check", "--match", "2028", *TODAY).stdout
    assert f"earliest Match that works is {honest['earliest_feasible_match']}" in header


def test_the_fourth_failure_clears_the_booking_and_the_advice(cli: Run, person: Path) -> None:
    for day in ("2025-01-10", "2025-04-10", "2025-07-10"):
        ok(cli("mark", "step2ck", "failed", "--date", day, *TODAY))
    # a retake booked beyond the fourth sitting's day, then the fourth sitting failed
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-08-31", *TODAY))
    ok(cli("mark", "step2ck", "failed", "--date", "2026-01-10", *TODAY))
    shown = ok(cli("profile", "show", *TODAY))
    assert "No progress recorded yet" not in shown
    assert "booked" not in stored(person)["stages"]["step2ck"]
    report = json.loads(cli("check", "--format", "json", *TODAY).stdout)
    assert [action["id"] for action in report["next_actions"]] == ["usmle_attempts"]


def test_old_rules_say_so_once(cli: Run, profile_path: Path) -> None:
    # rules last checked in late 2026 (their newest last_verified): a year and a half later
    newest = load_rules().newest_verified()
    assert dt.date(2026, 11, 1) <= newest < dt.date(2026, 12, 31)
    late = ("--today", "2028-06-01")
    plan = json.loads(ok(cli("timeline", "--match", "2030", "--format", "json", *late)))
    stale = [f for f in plan["findings"] if f["id"] == "rules_stale"]
    assert len(stale) == 1 and stale[0]["date"] == newest.isoformat()
    text = ok(cli("check", "--match", "2030", *late))
    assert text.count("last checked against their sources") == 1
    fresh = json.loads(ok(cli("timeline", "--match", "2029", "--format", "json", *TODAY)))
    assert "rules_stale" not in {f["id"] for f in fresh["findings"]}
