"""What the planner reports beside the dates: findings with ids and numbers, and the JSON that
carries them (the timeline's and check's alike)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from imgplan.core.findings import IDS
from imgplan.core.planner import Person, Plan, Progress, plan
from imgplan.core.rules import Rules

TODAY = date(2026, 11, 22)


def ids(result: Plan) -> list[str]:
    return [finding.id for finding in result.findings]


def test_a_missed_hard_deadline_is_an_error_with_its_days(rules: Rules) -> None:
    result = plan(rules, 2027, today=TODAY)
    first = result.findings[0]
    assert (first.id, first.level, first.stage, first.date, first.days) == (
        "deadline_missed", "error", "pathway", date(2027, 2, 22), 22)
    assert {f.id for f in result.findings} == {"deadline_missed"}
    assert result.warnings == [f.message for f in result.findings]


def test_a_feasible_plan_from_scratch_has_no_findings(rules: Rules) -> None:
    assert plan(rules, 2029, today=TODAY).findings == []


def test_an_undecided_visa_is_a_warning(rules: Rules) -> None:
    result = plan(rules, 2029, today=TODAY, visa="undecided")
    assert ids(result) == ["visa_undecided"]
    assert result.findings[0].level == "warning"


def test_bookings_that_passed_or_come_too_early(rules: Rules) -> None:
    passed = plan(rules, 2029, today=TODAY, person=Person(
        progress={"step1": Progress("scheduled", date(2026, 11, 1))}))
    assert [(f.id, f.stage, f.date) for f in passed.findings] == [
        ("booking_passed", "step1", date(2026, 11, 1))]
    early = plan(rules, 2029, today=TODAY, person=Person(
        progress={"step2ck": Progress("scheduled", date(2027, 2, 1))}))
    found = early.findings[0]
    # Step 2 CK waits for Step 1, which the plan has on 2027-07-06 (the booking shows the
    # ECFMG application accepted, so Step 1's preparation starts today)
    assert (found.id, found.stage, found.date, found.days) == (
        "booked_before_ready", "step2ck", date(2027, 2, 1), 155)


def test_a_stale_oet_and_the_attempt_limit(rules: Rules) -> None:
    stale = plan(rules, 2029, today=TODAY, person=Person(
        progress={"oet": Progress("passed", date(2026, 5, 1))}))
    assert [(f.id, f.stage) for f in stale.findings] == [("record_too_old", "oet")]
    spent = plan(rules, 2029, today=TODAY, person=Person(
        progress={"step1": Progress("failed", date(2026, 10, 1), attempts=4)}))
    assert ("attempt_limit_reached", "error", "step1") in [
        (f.id, f.level, f.stage) for f in spent.findings]


def test_every_id_reported_is_documented(rules: Rules) -> None:
    seen = {f.id for year in (2027, 2028, 2029) for visa in ("j1", "undecided")
            for f in plan(rules, year, today=TODAY, visa=visa).findings}  # type: ignore[arg-type]
    assert seen <= set(IDS)


def test_timeline_and_check_json_carry_the_same_findings(cli: Callable[..., Any]) -> None:
    args = ("--match", "2027", "--today", "2026-11-22", "--format", "json")
    timeline = json.loads(cli("timeline", *args).stdout)
    check = json.loads(cli("check", *args).stdout)
    assert timeline["findings"] == check["findings"]
    first = timeline["findings"][0]
    assert (first["id"], first["level"], first["stage"], first["date"], first["days"]) == (
        "deadline_missed", "error", "pathway", "2027-02-22", 22)
    assert timeline["warnings"] == [f["message"] for f in timeline["findings"]]


def test_what_can_no_longer_happen_in_the_cycle_is_closed_not_dated(
        rules: Rules, cli: Callable[..., Any]) -> None:
    late = plan(rules, 2027, today=date(2026, 12, 1))
    closed = {s.id for s in late.stages if s.status == "closed"}
    # the interview season would start a year after it closed; what follows it goes with it
    assert {"interviews", "rank_list", "match", "visa", "residency_start"} <= closed
    # and nothing still to do is dated after residency would have started, 2027-07-01
    for stage in late.stages:
        if stage.status not in ("done", "closed"):
            assert stage.finish <= date(2027, 7, 1), stage.id
    assert not [s for s in plan(rules, 2029, today=TODAY).stages if s.status == "closed"]
    data = json.loads(cli("timeline", "--match", "2027", "--today", "2026-12-01", "-f",
                          "json").stdout)
    residency = next(s for s in data["stages"] if s["id"] == "residency_start")
    assert (residency["status"], residency["start"], residency["finish"]) == (
        "closed", None, None)
