"""``imgplan check`` end to end, tried as a new user would on 2026-11-22 (issue 3's "Done when")."""

from __future__ import annotations

import io
import json
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from packaged import SEED_ITEMS

Run = Callable[..., Any]
TODAY = "2026-11-22"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INIT = ("init", "--no-input", "--match", "2027", "--specialty", "internal-medicine",
        "--visa", "j1", "--graduation", "2024-06-30")

# A whole application for Match 2027, with the commands a person types.
APPLICATION = [
    ("mark", "credentials", "done", "--date", "2024-09-01"),
    ("mark", "step1", "passed", "--date", "2025-05-10"),
    ("mark", "step2ck", "passed", "--date", "2025-09-20", "--score", "252"),
    ("mark", "oet", "passed", "--date", "2025-11-15", "--scores", "360,350,320,370"),
    ("mark", "pathway", "done", "--date", "2026-09-10"),
    ("mark", "ecfmg_certification", "done", "--date", "2026-10-01"),
    ("add", "usce", "--kind", "externship", "--specialty", "internal-medicine",
     "--start", "2026-03-01", "--end", "2026-05-31"),
    ("add", "lor", "--writer", "Dr A", "--us", "--specialty", "internal-medicine",
     "--date", "2026-06-01"),
    ("add", "lor", "--writer", "Dr B", "--us", "--specialty", "internal-medicine",
     "--date", "2026-06-15"),
    ("add", "lor", "--writer", "Dr C", "--specialty", "internal-medicine",
     "--date", "2026-07-01"),
    ("mark", "application_documents", "done", "--date", "2026-08-01"),
    ("confirm", "personal_statement", "--date", "2026-08-10"),
    ("confirm", "eras_consistency", "--date", "2026-08-30"),
    ("confirm", "visa_strategy", "--date", "2026-08-20"),
    ("confirm", "rank_strategy", "--date", "2026-11-01"),
    ("mark", "eras", "done", "--date", "2026-09-02", "--programs", "120"),
    ("mark", "nrmp_registration", "done", "--date", "2026-09-20"),
]
RECORDED = {"credentials": "2024-09-01", "step1": "2025-05-10", "step2ck": "2025-09-20",
            "oet": "2025-11-15", "pathway": "2026-09-10", "ecfmg_certification": "2026-10-01",
            "usce": "2026-05-31", "lors": "2026-07-01", "application_documents": "2026-08-01",
            "eras": "2026-09-02", "nrmp_registration": "2026-09-20"}


def run(cli: Run, *args: str) -> Any:
    result = cli(*args, "--today", TODAY)
    return result


def record(cli: Run, *init_extra: str, skip: tuple[str, ...] = ()) -> None:
    result = run(cli, *INIT, "--school-listed", *init_extra)
    assert result.exit_code == 0, result.output
    for args in APPLICATION:
        if args[1] in skip:
            continue
        result = run(cli, *args)
        assert result.exit_code == 0, (args, result.output)


def check_json(cli: Run, *args: str) -> tuple[int, dict[str, Any]]:
    result = run(cli, "check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def items(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in report["items"]}


# -- Done when -----------------------------------------------------------------------------------

def test_a_fresh_profile_for_2027_is_not_ready(cli: Run) -> None:
    assert run(cli, *INIT).exit_code == 0
    result = run(cli, "check")
    assert result.exit_code == 1
    out = result.stdout
    # a Match that can no longer be made: the verdict says so first, with the year that can,
    # and the next actions are that year's (issue 10)
    assert "Match 2027 can no longer be made" in " ".join(out.split())
    assert "The earliest Match that works is 2029" in " ".join(out.split())
    assert "✗ fail" in out and "Overdue" in out
    assert "Next actions for Match 2029, most urgent first" in out
    actions = out.split("Next actions for Match 2029, most urgent first")[1]
    assert actions.lstrip().startswith("1. · ECFMG certification")
    assert "imgplan mark credentials done" in actions
    assert "planning aid, not advice from NRMP" in out


def test_a_complete_application_is_ready_and_feasible(cli: Run, profile_path: Path) -> None:
    record(cli)
    result = run(cli, "check")
    assert result.exit_code == 0, result.output
    assert "Ready for Match 2027: every item passes." in result.stdout
    assert "✗" not in result.stdout and "Next actions" not in result.stdout

    code, report = check_json(cli)
    assert code == 0 and report["ready"] is True and report["next_actions"] == []
    found = items(report)
    for item_id in SEED_ITEMS:
        assert found[item_id]["status"] == "pass", found[item_id]

    timeline = json.loads(run(cli, "timeline", "--format", "json").stdout)
    assert timeline["match_year"] == 2027 and timeline["feasible"] is True
    assert timeline["earliest_feasible_match"] == 2027
    stages = {stage["id"]: stage for stage in timeline["stages"]}
    for stage_id, day in RECORDED.items():
        assert stages[stage_id]["status"] == "done", stage_id
        assert stages[stage_id]["finish"] == day, stage_id
    assert "step3" not in stages

    assert stat.S_IMODE(profile_path.stat().st_mode) == 0o600
    assert profile_path.with_name("profile.yaml.bak").exists()


def test_step2ck_226_for_internal_medicine_is_flagged(cli: Run) -> None:
    record(cli, skip=("step2ck",))
    assert run(cli, "mark", "step2ck", "passed", "--date", "2025-09-20", "--score",
               "226").exit_code == 0
    result = run(cli, "check")
    assert result.exit_code == 1
    assert "Not ready for Match 2027: 1 fail." in result.stdout
    row = next(line for line in result.stdout.splitlines() if "Step 2 CK score" in line)
    assert "✗ fail" in row and "226 is below the unmatched" in row
    code, report = check_json(cli)
    item = items(report)["step2ck_score"]
    assert code == 1 and item["status"] == "fail"
    assert "matched median 251, unmatched 243" in item["detail"]
    assert "Charting Outcomes 2026" in item["detail"]


def test_oet_writing_290_is_flagged(cli: Run) -> None:
    record(cli, skip=("oet", "pathway", "ecfmg_certification"))
    assert run(cli, "mark", "oet", "passed", "--date", "2025-11-15", "--scores",
               "360,350,290,370").exit_code == 0
    code, report = check_json(cli)
    oet = items(report)["oet"]
    assert code == 1 and oet["status"] == "fail"
    assert "Writing 290 is below 300" in oet["detail"]
    assert oet["id"] in [action["id"] for action in report["next_actions"]]


def test_an_h1b_profile_gets_step3(cli: Run) -> None:
    record(cli)
    assert run(cli, "profile", "set", "visa", "h1b").exit_code == 0
    timeline = json.loads(run(cli, "timeline", "--format", "json").stdout)
    assert timeline["visa"] == "h1b"
    assert "step3" in [stage["id"] for stage in timeline["stages"]]
    _, report = check_json(cli)
    step3 = items(report)["step3"]
    assert step3["status"] in ("todo", "warn", "fail") and "H-1B" in step3["detail"]
    assert step3["due"] is not None


# -- the JSON contract and the choice of Match year ----------------------------------------------

def test_the_json_contract(cli: Run) -> None:
    assert run(cli, *INIT).exit_code == 0
    code, report = check_json(cli)
    assert code == 1
    assert {"match_year", "today", "ready", "items", "next_actions"} <= set(report)
    assert report["match_year"] == 2027 and report["today"] == TODAY
    assert report["ready"] is False
    for item in report["items"]:
        assert {"id", "status", "title", "detail", "advice", "due"} <= set(item)
        assert item["status"] in ("pass", "warn", "fail", "todo")
        assert item["due"] is None or ISO.match(item["due"])
    assert set(SEED_ITEMS) <= {item["id"] for item in report["items"]}
    open_ids = {item["id"] for item in report["items"] if item["status"] != "pass"}
    if report["next_actions_match"] == report["match_year"]:
        assert {action["id"] for action in report["next_actions"]} == open_ids
    else:  # this Match can no longer be made: the actions are the earliest one's
        assert {action["id"] for action in report["next_actions"]} <= {
            item["id"] for item in report["items"]}
    margins = [a["start_within_days"] for a in report["next_actions"]
               if a["start_within_days"] is not None]
    assert margins == sorted(margins)


def test_without_a_profile_check_plans_from_scratch(cli: Run, profile_path: Path) -> None:
    # the earliest feasible Match from scratch on 2026-11-22 is 2029: nothing is late yet
    result = run(cli, "check")
    assert result.exit_code == 0
    assert "No profile at" in result.stdout and "planning from scratch" in result.stdout
    assert "Not ready for Match 2029" in result.stdout
    _, report = check_json(cli)
    assert report["profile"] is False and report["match_year"] == 2029
    assert report["ready"] is False
    assert {item["status"] for item in report["items"]} == {"todo"}
    # for a year that is already too close, the same person fails
    code, report = check_json(cli, "--match", "2027")
    assert code == 1 and items(report)["ecfmg"]["status"] == "fail"
    assert not profile_path.exists()


def test_match_flag_overrides_the_profile(cli: Run) -> None:
    assert run(cli, *INIT).exit_code == 0
    _, report = check_json(cli, "--match", "2029")
    assert report["match_year"] == 2029
    result = run(cli, "check", "--match", "2026")
    assert result.exit_code == 2
    assert "Match 2026 is closed" in result.stderr


def test_only_failing_items_are_red(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    import datetime as dt

    from imgplan.core.planner import plan
    from imgplan.core.readiness import readiness
    from imgplan.files.rules_file import load_rules
    from imgplan.files.specialties_file import load_specialties
    from imgplan.render.check_view import render_check

    rules = load_rules()
    today = dt.date(2026, 11, 22)
    report = readiness(rules, load_specialties(), None, plan(rules, 2027, today=today), today)
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, color_system="standard", width=200)
    render_check(console, report)
    red = [line for line in stream.getvalue().splitlines() if "\x1b[1;31m" in line
           or "\x1b[31m" in line]
    assert red and all("✗" in line or "fail" in line for line in red)
    todo_lines = [line for line in stream.getvalue().splitlines() if "· todo" in line]
    assert todo_lines and not any("31m" in line for line in todo_lines)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_output_does_not_depend_on_the_real_date(cli: Run, fmt: str) -> None:
    assert run(cli, *INIT).exit_code == 0
    first = run(cli, "check", "--format", fmt).stdout
    second = cli("check", "--format", fmt, "--today", "22 November 2026").stdout
    assert first == second


@pytest.mark.parametrize("setup", [
    [],
    [["mark", "step1", "passed", "--date", "2026-03-10"],
     ["mark", "step2ck", "scheduled", "--date", "2027-01-15"],
     ["add", "usce", "--kind", "observership", "--start", "2027-02-01", "--end", "2027-03-31"]],
], ids=["from-init", "on-the-road"])
def test_check_and_timeline_give_the_same_dates(cli: Run, profile_path: Path,
                                                 setup: list[list[str]]) -> None:
    today = ("--today", "2026-12-01")
    made = cli("init", "--no-input", "--match", "2028", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", *today)
    assert made.exit_code == 0, made.stderr
    for args in setup:
        done = cli(*args, *today)
        assert done.exit_code == 0, done.stderr
    check = json.loads(cli("check", "--format", "json", *today).stdout)
    timeline = json.loads(cli("timeline", "--format", "json", *today).stdout)
    stages = {stage["id"]: stage for stage in timeline["stages"]}
    about_a_stage = [item for item in check["items"] if item["stage"] is not None]
    assert about_a_stage
    for item in about_a_stage:
        stage = stages[item["stage"]]
        assert (item["due"], item["start_by"]) == (stage["latest_finish"],
                                                   stage["latest_start"]), item["id"]


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_next_actions_hang_and_give_each_command_a_line_of_its_own(
        cli: Run, monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    # found by a new user: a command wrapped to column 0 mid-sentence ("--date \nDATE") could
    # not be copied whole
    monkeypatch.setenv("COLUMNS", columns)
    made = cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert made.exit_code == 0, made.output
    out = cli("check", "--today", "2026-11-22").stdout
    lines = out.splitlines()
    commands = [line.strip() for line in lines if line.strip().startswith("imgplan ")]
    assert "imgplan mark step2ck passed --date DATE --score N" in commands
    assert "imgplan confirm personal_statement" in commands
    start = next(i for i, line in enumerate(lines) if re.match(r"^ ?1\. ", line))
    numbered = re.compile(r"^ ?\d+\. ")
    for line in lines[start:]:
        if line.startswith("imgplan is a planning aid"):
            break
        assert numbered.match(line) or line.startswith("      "), line  # hangs
        assert "then: imgplan" not in line and "record it: imgplan" not in line
