"""A person already on the road: what they recorded pins the plan, and what it implies is
shown done, never planned again (issue 10, part 4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TODAY = ("--today", "2026-12-01")
Run = Callable[..., Any]


def ok(result: Any) -> str:
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    return str(result.stdout)


@pytest.fixture
def on_the_road(cli: Run, profile_path: Path) -> Path:
    for args in (
        ["init", "--no-input", "--match", "2028", "--specialty", "internal-medicine",
         "--visa", "j1", "--graduation", "2024-06-30"],
        ["mark", "step1", "passed", "--date", "2026-03-10"],
        ["mark", "step2ck", "scheduled", "--date", "2027-01-15"],
        ["mark", "oet", "passed", "--date", "2026-09-01", "--scores", "400,400,400,400"],
        ["add", "usce", "--kind", "observership", "--start", "2027-02-01", "--end",
         "2027-03-31"],
    ):
        ok(cli(*args, *TODAY))
    return profile_path


def stages(cli: Run) -> dict[str, dict[str, Any]]:
    data = json.loads(ok(cli("timeline", "--format", "json", *TODAY)))
    return {stage["id"]: stage for stage in data["stages"]}


def test_what_was_taken_implies_the_application_and_is_not_planned_again(
        cli: Run, on_the_road: Path) -> None:
    planned = stages(cli)
    credentials = planned["credentials"]
    assert (credentials["status"], credentials["implied_by"], credentials["finish"]) == (
        "done", "step1", "2026-03-10")
    assert planned["step1"]["status"] == "done"
    assert "done (implied)" in ok(cli("timeline", *TODAY))


def test_a_recorded_period_is_the_usce_stage_and_letters_follow_it(
        cli: Run, on_the_road: Path) -> None:
    planned = stages(cli)
    usce = planned["usce"]
    assert (usce["status"], usce["start"], usce["finish"]) == (
        "scheduled", "2027-02-01", "2027-03-31")
    assert planned["lors"]["start"] >= usce["finish"]


def test_check_agrees_on_every_date(cli: Run, on_the_road: Path) -> None:
    planned = stages(cli)
    report = json.loads(ok(cli("check", "--format", "json", *TODAY)))
    for item in report["items"]:
        if item["stage"] is not None:
            stage = planned[item["stage"]]
            assert (item["due"], item["start_by"]) == (stage["latest_finish"],
                                                       stage["latest_start"]), item["id"]
    ecfmg = next(item for item in report["items"] if item["id"] == "ecfmg")
    assert "Done: Credentials, Step 1, OET" in ecfmg["detail"]


def test_a_confirmed_personal_statement_completes_the_documents(
        cli: Run, on_the_road: Path) -> None:
    ok(cli("confirm", "personal_statement", "--date", "2026-11-20", *TODAY))
    documents = stages(cli)["application_documents"]
    assert (documents["status"], documents["finish"], documents["implied_by"]) == (
        "done", "2026-11-20", "confirmation personal_statement")


def test_a_booked_rotation_is_not_asked_for_again(cli: Run, on_the_road: Path) -> None:
    report = json.loads(ok(cli("check", "--format", "json", *TODAY)))
    usce = next(item for item in report["items"] if item["id"] == "usce")
    assert "planned from 2027-02-01" in usce["detail"]
    assert "Keep the rotation you booked" in usce["advice"]
    assert "imgplan add usce" not in usce["advice"]
