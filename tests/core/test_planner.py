"""The planner on the packaged rules: fixed cases, then properties over random situations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imgplan.core.planner as planner_module
from imgplan.core.cycle import first_open_match_year, key_dates
from imgplan.core.duration import Duration
from imgplan.core.next_actions import first_action, next_actions
from imgplan.core.planner import (
    Person,
    Plan,
    Progress,
    Searched,
    StagePlan,
    Status,
    earliest_feasible_match,
    plan,
)
from imgplan.core.rules import PACES, Pace, Visa
from packaged import packaged_rules

TODAY = date(2026, 11, 22)

J1_ROUTE = [
    "credentials", "step1", "step2ck", "oet", "pathway", "ecfmg_certification", "usce", "lors",
    "application_documents", "eras", "nrmp_registration", "interviews", "rank_list", "match",
    "visa", "residency_start",
]  # fmt: skip


def by_id(result: Plan) -> dict[str, StagePlan]:
    return {stage.id: stage for stage in result.stages}


# -- from scratch on 2026-11-22 ----------------------------------------------------------------


def test_match_2027_from_scratch_is_not_eligible() -> None:
    result = plan(packaged_rules(), 2027, today=TODAY)
    assert result.feasible is False
    assert result.eligible is False
    first, step1 = result.missed[:2]
    # the first missed hard deadline: the Pathway, done (documents and all) after ECFMG's
    # Pathways deadline; then Step 1's score after the rank-order-list deadline
    assert (first.stage_id, first.level, first.applies_to) == ("pathway", "hard", "finish")
    assert (first.actual, first.due, first.days_late) == (date(2027, 2, 22), date(2027, 1, 31), 22)
    assert (step1.stage_id, step1.level, step1.applies_to) == ("step1", "hard", "result")
    assert (step1.actual, step1.due, step1.days_late) == (date(2027, 9, 28), date(2027, 3, 3), 209)
    assert result.warnings[1] == (
        "USMLE Step 1: score expected 2027-09-28, 209 days after the hard deadline 2027-03-03 "
        "(Step 1 passed must be on record with ECFMG, which reports it to NRMP, by the "
        "rank-order-list deadline, or you are withdrawn)")
    # the chain that breaks it starts where the first late chain does: the OET before the Pathway
    breaking = result.late_chain_start
    assert breaking is not None and breaking.id == "oet"
    assert breaking.slack_days is not None and breaking.slack_days < 0


def test_match_2028_from_scratch_is_not_eligible_at_typical_pace() -> None:
    result = plan(packaged_rules(), 2028, today=TODAY)
    assert (result.feasible, result.eligible) == (False, False)
    # Step 2 CK's score meets the rank-order-list rule, not imgplan's 4-week margin; the
    # application after it comes too late for any interview, so no rank list can be certified
    assert (result.missed[0].stage_id, result.missed[0].days_late) == ("rank_list", 12)
    margin = next(c for c in result.missed if c.stage_id == "step2ck" and c.kind == "heuristic")
    assert (margin.level, margin.due, margin.days_late) == ("target", date(2028, 2, 2), 26)


def test_match_2028_at_fast_pace_is_eligible_but_weak() -> None:
    result = plan(packaged_rules(), 2028, today=TODAY, pace="fast")
    assert (result.feasible, result.eligible) == (False, True)
    assert all(check.level == "target" for check in result.missed)


def test_match_2029_from_scratch_is_feasible() -> None:
    result = plan(packaged_rules(), 2029, today=TODAY)
    assert result.feasible is True
    assert result.eligible is True
    assert result.missed == []
    assert result.late_chain_start is None
    assert result.warnings == []
    assert [stage.id for stage in result.stages] == J1_ROUTE
    stages = by_id(result)
    step1 = stages["step1"]
    assert (step1.start, step1.finish, step1.result_date) == (
        date(2027, 1, 17), date(2027, 8, 31), date(2027, 9, 28))
    assert all(stage.slack_days is not None and stage.slack_days >= 0
               for stage in result.stages)
    # the person's own chain (credentials to letters) is the critical one
    assert [s.id for s in result.stages if s.critical] == [
        "credentials", "step1", "step2ck", "usce", "lors"]
    assert stages["credentials"].slack_days == 156


def test_earliest_feasible_match_from_scratch_is_2029() -> None:
    assert earliest_feasible_match(packaged_rules(), today=TODAY) == 2029


@pytest.mark.parametrize("pace", PACES)
def test_from_scratch_takes_two_to_three_years(pace: Pace) -> None:
    # The seeds' "plan 2-3 years from scratch" falls out of the data: over a run of start
    # days, the earliest feasible Match Day is about two to three years away (a little less
    # at a fast pace, a little more at a steady one), and a slower pace never gets there
    # sooner.
    bounds = {"fast": (1.5, 2.6), "typical": (1.9, 2.8), "steady": (2.4, 3.3)}[pace]
    for year in range(2026, 2031):
        for month in (1, 4, 7, 10):
            today = date(year, month, 1)
            earliest = earliest_feasible_match(packaged_rules(), today=today, pace=pace)
            assert earliest is not None
            match_day = key_dates(packaged_rules(), earliest)["match_day"].date
            years = (match_day - today).days / 365.25
            assert bounds[0] <= years <= bounds[1], (today, earliest)
            if pace != "fast":
                faster = earliest_feasible_match(packaged_rules(), today=today, pace="fast")
                assert faster is not None and faster <= earliest


# -- pace and visa -----------------------------------------------------------------------------


def test_pace_changes_durations() -> None:
    finishes = {}
    step1_finishes: dict[Pace, date] = {
        "fast": date(2027, 6, 20), "typical": date(2027, 8, 31), "steady": date(2027, 11, 14)}
    for pace, step1_finish in step1_finishes.items():
        stages = by_id(plan(packaged_rules(), 2029, today=TODAY, pace=pace))
        credentials = stages["credentials"]
        step1 = stages["step1"]
        assert step1.start == credentials.finish
        assert step1.finish == step1_finish
        finishes[pace] = stages["step2ck"].finish
    assert finishes == {"fast": date(2027, 10, 20), "typical": date(2028, 1, 31),
                        "steady": date(2028, 5, 14)}


def test_a_duration_override_replaces_the_pace() -> None:
    person = Person(durations={"step1": Duration.parse("3m")})
    step1 = by_id(plan(packaged_rules(), 2029, today=TODAY, person=person))["step1"]
    assert (step1.start, step1.finish) == (
        date(2027, 1, 17), date(2027, 4, 17))


def test_h1b_adds_step3_after_the_ecfmg_certificate() -> None:
    result = plan(packaged_rules(), 2029, today=TODAY, visa="h1b")
    ids = [stage.id for stage in result.stages]
    assert ids == [*J1_ROUTE[:-2], "step3_permit", "step3", "visa", "residency_start"]
    stages = by_id(result)
    step3, permit = stages["step3"], stages["step3_permit"]
    certificate = stages["ecfmg_certification"]
    # FSMB's permit (about 2 weeks) after the certificate, then Step 3
    assert permit.start == certificate.finish == date(2028, 10, 7)
    assert step3.start == permit.finish == date(2028, 10, 21)
    assert step3.finish == date(2029, 1, 21)
    assert step3.result_date == date(2029, 2, 18)
    # the visa waits for the Step 3 score as well as for Match Day
    assert stages["visa"].start == date(2029, 3, 16)
    assert result.feasible is True


def test_step3_waits_for_graduation() -> None:
    person = Person(graduation=date(2029, 1, 20))
    stages = by_id(plan(packaged_rules(), 2029, today=TODAY, visa="h1b", person=person))
    certificate, permit = stages["ecfmg_certification"], stages["step3_permit"]
    # the certificate needs the final diploma; FSMB verifies graduation for up to 12 weeks
    # before it issues the Step 3 permit
    assert (certificate.start, certificate.finish) == (
        date(2029, 1, 20), date(2029, 2, 3))
    assert permit.start == date(2029, 4, 14)
    assert stages["step3"].start == permit.finish


def test_visa_none_drops_the_visa_stage() -> None:
    result = plan(packaged_rules(), 2029, today=TODAY, visa="none")
    assert [stage.id for stage in result.stages] == [
        s for s in J1_ROUTE if s != "visa"]
    assert result.feasible is True


def test_undecided_plans_as_j1() -> None:
    undecided = plan(packaged_rules(), 2029, today=TODAY, visa="undecided")
    j1 = plan(packaged_rules(), 2029, today=TODAY, visa="j1")
    assert undecided.visa == "undecided"
    assert [(s.id, s.start, s.finish) for s in undecided.stages] == [
        (s.id, s.start, s.finish) for s in j1.stages]


# -- progress ----------------------------------------------------------------------------------


def test_done_stages_are_pinned_to_their_dates() -> None:
    person = Person(progress={
        "credentials": Progress("done", date(2026, 6, 30), started=date(2026, 5, 2)),
        "step1": Progress("passed", date(2026, 10, 1)),
    })
    result = plan(packaged_rules(), 2028, today=TODAY, person=person)
    stages = by_id(result)
    credentials, step1, step2ck = stages["credentials"], stages["step1"], stages["step2ck"]
    assert (credentials.start, credentials.finish) == (
        date(2026, 5, 2), date(2026, 6, 30))
    assert (credentials.status, credentials.pinned) == ("done", True)
    # a stage done without a start date starts and ends on its date
    assert (step1.start, step1.finish) == (
        date(2026, 10, 1), date(2026, 10, 1))
    assert step1.result_date == date(2026, 10, 29)
    # the next exam starts today: its predecessor's score came out before today
    assert (step2ck.start, step2ck.status) == (TODAY, "upcoming")
    assert step2ck.finish == date(2027, 4, 22)
    assert result.feasible is True


def test_a_recent_pass_counts_its_score_as_known_today() -> None:
    person = Person(progress={"step1": Progress("passed", date(2026, 11, 15))})
    stages = by_id(plan(packaged_rules(), 2029, today=TODAY, person=person))
    assert stages["step1"].result_date == TODAY
    assert stages["step2ck"].start == TODAY


def test_a_scheduled_exam_is_pinned_to_its_date() -> None:
    person = Person(progress={"step1": Progress("scheduled", date(2027, 6, 1))})
    result = plan(packaged_rules(), 2029, today=TODAY, person=person)
    stages = by_id(result)
    step1 = stages["step1"]
    assert (step1.status, step1.pinned, step1.finish) == (
        "scheduled", True, date(2027, 6, 1))
    # preparation counted back from the booked day (2026-10-18), never before today
    assert step1.start == TODAY
    # four weeks on is 2027-06-29, in the week of July 4, when USMLE releases no scores
    assert step1.result_date == date(2027, 7, 5)
    # Step 2 CK follows the Step 1 exam day, not its score
    assert stages["step2ck"].start == date(2027, 6, 1)


def test_a_scheduled_exam_far_ahead_starts_its_preparation_later() -> None:
    person = Person(progress={"step1": Progress("scheduled", date(2027, 12, 15))})
    step1 = by_id(plan(packaged_rules(), 2029, today=TODAY, person=person))["step1"]
    assert step1.start == date(2027, 5, 1)  # 7m2w before


def test_an_exam_booked_in_the_past_asks_for_its_result() -> None:
    person = Person(progress={"step1": Progress("scheduled", date(2026, 11, 1))})
    result = plan(packaged_rules(), 2029, today=TODAY, person=person)
    assert (
        "USMLE Step 1 was booked for 2026-11-01, which has passed: record the result "
        "(imgplan mark step1 passed|failed --date 2026-11-01)") in result.warnings


def test_an_exam_booked_before_its_prerequisites_warns() -> None:
    person = Person(progress={"step2ck": Progress("scheduled", date(2027, 2, 1))})
    result = plan(packaged_rules(), 2029, today=TODAY, person=person)
    # the booking shows the ECFMG application accepted (credentials done, implied): Step 1's
    # preparation starts today and ends 2027-07-06
    assert by_id(result)["credentials"].implied_by == "step2ck"
    assert ("USMLE Step 2 CK is booked for 2027-02-01, before what it needs is ready "
            "(2027-07-06): check its prerequisites") in result.warnings


def test_oet_older_than_the_pathways_window_is_planned_again() -> None:
    person = Person(progress={"oet": Progress("passed", date(2026, 5, 1))})
    # Match 2028's Pathways accept an OET from 2026-01-01: the result stands
    kept = by_id(plan(packaged_rules(), 2028, today=TODAY, person=person))["oet"]
    assert (kept.status, kept.finish, kept.pinned) == (
        "done", date(2026, 5, 1), True)
    # Match 2029's accept only one from 2027-01-01: plan a new one, and say why
    result = plan(packaged_rules(), 2029, today=TODAY, person=person)
    oet = by_id(result)["oet"]
    assert (oet.status, oet.pinned) == ("upcoming", False)
    assert oet.start == date(2027, 1, 1)
    assert result.warnings == [
        "OET Medicine of 2026-05-01 is older than 2027-01-01, the earliest this Match accepts "
        "(each year's Pathways accept only an OET taken on or after January 1 about two years "
        "before the Match): plan a new one"]


def test_a_failed_exam_is_planned_again() -> None:
    person = Person(progress={"step1": Progress("failed", date(2026, 10, 1), attempts=1)})
    stages = by_id(plan(packaged_rules(), 2029, today=TODAY, person=person))
    step1 = stages["step1"]
    assert (step1.status, step1.pinned) == ("upcoming", False)
    # a sitting shows the ECFMG application made by its day: the retake is not planned after
    # a second application, but from today
    assert (stages["credentials"].status, stages["credentials"].finish) == (
        "done", date(2026, 10, 1))
    assert step1.start == TODAY


def test_four_failed_attempts_warn_of_the_usmle_limit() -> None:
    person = Person(progress={"step1": Progress("failed", date(2026, 10, 1), attempts=4)})
    result = plan(packaged_rules(), 2029, today=TODAY, person=person)
    assert result.closed_by is not None and result.closed_by.id == "attempt_limit_reached"
    assert "4 attempts reach the USMLE limit of 4" in result.closed_by.message
    assert not result.feasible and not result.eligible
    stages = by_id(result)
    # no further sitting is planned, and nothing that needs the Step is dated
    assert stages["step1"].status == "closed"
    assert stages["ecfmg_certification"].status == "closed"
    assert stages["residency_start"].status == "closed"
    assert earliest_feasible_match(packaged_rules(), today=TODAY, person=person) is None


def test_in_progress_keeps_its_start_and_finishes_no_earlier_than_today() -> None:
    person = Person(progress={
        "credentials": Progress("in_progress", started=date(2026, 10, 1)),
        "oet": Progress("in_progress", started=date(2026, 1, 5)),
    })
    stages = by_id(plan(packaged_rules(), 2029, today=TODAY, person=person))
    credentials, oet = stages["credentials"], stages["oet"]
    assert (credentials.start, credentials.finish) == (
        date(2026, 10, 1), date(2026, 11, 26))
    assert credentials.status == "in_progress"
    # its planned duration has run out: it is expected to finish today at the earliest
    assert (oet.start, oet.finish) == (date(2026, 1, 5), TODAY)


def test_an_in_progress_stage_puts_no_constraint_on_its_predecessors() -> None:
    # Found by the slack property: ERAS in progress (it started today, whatever came before),
    # the personal statement booked to finish later. The plan meets every deadline, yet the
    # statement had slack -1 day against ERAS's latest start, which no longer matters.
    today = date(2027, 11, 10)
    person = Person(progress={
        "step1": Progress("scheduled", today),
        "application_documents": Progress("scheduled", date(2028, 9, 7)),
        "eras": Progress("in_progress"),
    })
    result = plan(packaged_rules(), 2029, today=today, pace="steady", visa="none", person=person)
    assert result.feasible is True
    assert result.missed == []
    stages = by_id(result)
    assert (stages["eras"].start, stages["eras"].status) == (today, "in_progress")
    documents = stages["application_documents"]
    assert (documents.finish, documents.slack_days, documents.latest_finish) == (
        date(2028, 9, 7), None, None)
    assert all(s.slack_days is None or s.slack_days >= 0 for s in result.stages)


# -- properties --------------------------------------------------------------------------------

STATUSES: tuple[Status, ...] = ("todo", "done", "passed", "scheduled", "in_progress", "failed")
def route(visa: str) -> list[str]:
    """The stages planned on a visa route, in the rules' order."""
    planned_as = "j1" if visa == "undecided" else visa
    return [s.id for s in packaged_rules().stages if s.applies(planned_as)]  # type: ignore[arg-type]


Situation = tuple[date, int, Pace, Visa, Person]


@st.composite
def situations(draw: st.DrawFn) -> Situation:
    today = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    first = first_open_match_year(packaged_rules(), today)
    year = draw(st.integers(first, first + 8))
    pace: Pace = draw(st.sampled_from(PACES))
    visa: Visa = draw(st.sampled_from(("none", "j1", "h1b", "undecided")))
    progress: dict[str, Progress] = {}
    for stage_id in route(visa):
        status = draw(st.sampled_from(STATUSES))
        if status == "todo":
            continue
        if status in ("done", "passed", "failed"):
            day = today - timedelta(days=draw(st.integers(1, 1200)))
            before = draw(st.none() | st.integers(0, 400))
            started = None if before is None else day - timedelta(days=before)
            attempts = draw(st.integers(0, 5)) if status == "failed" else 1
            progress[stage_id] = Progress(status, day, started=started, attempts=attempts)
        elif status == "scheduled":
            day = today + timedelta(days=draw(st.integers(0, 900)))
            progress[stage_id] = Progress(status, day)
        else:
            before = draw(st.none() | st.integers(0, 400))
            started = None if before is None else today - timedelta(days=before)
            progress[stage_id] = Progress(status, None, started=started)
    graduation = draw(st.none() | st.dates(date(2020, 1, 1), date(2032, 12, 31)))
    return today, year, pace, visa, Person(progress=progress, graduation=graduation)


def placed(result: Plan) -> list[StagePlan]:
    """The stages whose start the planner chose (not recorded by the person)."""
    return [s for s in result.stages if s.status not in ("done", "scheduled", "in_progress")]


PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(situations())
def test_nothing_planned_starts_before_today(situation: Situation) -> None:
    today, year, pace, visa, person = situation
    result = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    for stage in placed(result):
        assert stage.start >= today, stage.id
        assert not stage.pinned
    for stage in result.stages:
        assert stage.finish >= stage.start, stage.id
        if stage.status == "in_progress":
            assert stage.finish >= today, stage.id


# the statuses of a stage the plan dates itself (closed: it can no longer happen this cycle)
PLANNED = ("upcoming", "late", "overdue", "closed")


@PROPERTY
@given(situations())
def test_recorded_progress_is_kept(situation: Situation) -> None:
    today, year, pace, visa, person = situation
    result = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    for stage in result.stages:
        record = person.progress.get(stage.id)
        if stage.implied_by is not None:
            # done because a stage recorded after it could not have happened otherwise; a
            # recorded result of its own (passed, failed) is never replaced
            implying = person.progress.get(stage.implied_by)
            assert implying is not None or result.stage(stage.implied_by) is not None
            assert (stage.status, stage.pinned) == ("done", True)
            assert record is None or record.status in ("todo", "in_progress", "scheduled")
            continue
        if record is None:
            assert not stage.pinned and stage.status in PLANNED
            continue
        window = packaged_rules().stage(stage.id).window
        if record.status in ("done", "passed"):
            assert record.date is not None
            too_old = (window is not None and window.strict and window.opens is not None
                       and record.date < result.key_dates[window.opens].date)
            if too_old:
                assert not stage.pinned and stage.status in PLANNED
                assert any(w.startswith(f"{stage.name} of {record.date} is older than")
                           for w in result.warnings)
            else:
                assert (stage.status, stage.pinned, stage.finish) == ("done", True, record.date)
                assert stage.start == min(record.started or record.date, record.date)
        elif record.status == "scheduled":
            assert (stage.status, stage.pinned, stage.finish) == (
                "scheduled", True, record.date)
            assert today <= stage.start <= stage.finish or stage.finish < today
        elif record.status == "in_progress":
            assert (stage.status, stage.pinned) == ("in_progress", False)
            assert stage.start == (record.started or today)
        else:  # failed: planned again
            assert not stage.pinned and stage.status in PLANNED


@PROPERTY
@given(situations())
def test_nothing_planned_starts_before_its_predecessors(situation: Situation) -> None:
    today, year, pace, visa, person = situation
    result = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    stages = {s.id: s for s in result.stages}
    assert list(stages) == route(visa)
    for stage in placed(result):
        for pred in packaged_rules().stage(stage.id).after:
            if pred.stage not in stages:
                continue  # not on this visa route
            before = stages[pred.stage]
            ready = before.result_date if pred.wait == "result" else before.finish
            assert ready is not None
            assert stage.start >= ready, (stage.id, pred.stage)


@PROPERTY
@given(situations())
def test_negative_slack_exactly_when_not_feasible(situation: Situation) -> None:
    today, year, pace, visa, person = situation
    result = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    negative = [s.id for s in result.stages if s.slack_days is not None and s.slack_days < 0]
    if result.closed_by is not None:  # a Step failed as often as allowed: nothing is feasible
        assert not result.feasible
        return
    assert bool(negative) == (not result.feasible), (negative, result.missed)
    assert (result.late_chain_start is None) == result.feasible


@PROPERTY
@given(situations())
def test_feasible_implies_eligible(situation: Situation) -> None:
    today, year, pace, visa, person = situation
    result = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    if result.feasible:
        assert result.eligible
        assert result.missed == []
    if not result.eligible:
        assert not result.feasible
        assert result.closed_by is not None or any(
            check.level == "hard" for check in result.missed)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_earliest_feasible_match_is_the_first_feasible_open_year(situation: Situation) -> None:
    today, _, pace, visa, person = situation
    earliest = earliest_feasible_match(packaged_rules(), today=today, pace=pace, visa=visa,
                                       person=person)
    first = first_open_match_year(packaged_rules(), today)
    last = earliest if earliest is not None \
        else today.year + packaged_rules().calendar.years_ahead
    if earliest is not None:
        assert first <= earliest
        assert plan(packaged_rules(), earliest, today=today, pace=pace, visa=visa,
                    person=person).feasible
    for year in range(first, last):
        assert not plan(packaged_rules(), year, today=today, pace=pace, visa=visa,
                        person=person).feasible, year


@PROPERTY
@given(situations(), st.data())
def test_the_plan_never_raises(situation: Situation, data: st.DataObject) -> None:
    today, year, pace, visa, person = situation
    # any Match year imgplan computes, open or closed, and per-stage duration overrides
    year = data.draw(st.integers(packaged_rules().calendar.first_match_year,
                                 today.year + packaged_rules().calendar.years_ahead))
    overrides = data.draw(st.dictionaries(
        st.sampled_from(route(visa)),
        st.sampled_from(["0d", "1d", "16bd", "4w", "6m", "7m2w", "1y"]).map(Duration.parse),
        max_size=3))
    person = Person(progress=person.progress, graduation=person.graduation, durations=overrides)
    result = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    assert result.match_year == year
    assert [s.id for s in result.stages] == route(visa)


def test_a_match_a_stage_not_begun_is_already_late_for_is_ruled_out_without_a_pass() -> None:
    # The search passes over a year in which a stage of which nothing is recorded has a
    # deadline already gone (planner._Planner.past_due): that year's whole plan must miss it.
    searched = Searched()
    assert earliest_feasible_match(packaged_rules(), today=TODAY, searched=searched) == 2029
    skipped = searched.planners[2027][0]
    assert skipped.forwarded_already is None  # no pass was run for it
    stage = skipped.past_due()
    assert stage is not None
    assert any(check.stage_id == stage and check.due < TODAY
               for check in plan(packaged_rules(), 2027, today=TODAY).missed)
    # recorded as done, the stage no longer rules the year out
    done = Person(progress={stage: Progress("done", TODAY - timedelta(days=1))})
    searched = Searched()
    earliest_feasible_match(packaged_rules(), today=TODAY, person=done, searched=searched)
    assert searched.planners[2027][0].past_due() != stage


@PROPERTY
@given(situations())
def test_latest_dates_kept_from_another_plan_equal_those_computed_afresh(
        situation: Situation) -> None:
    # The backward pass is kept by what it depends on (planner._LATEST), and so are its
    # searches (_LAST_START, _LAST_RESULT): a key that missed a dependency would hand one
    # person another's latest dates.
    today, year, pace, visa, person = situation

    def dated() -> list[tuple[object, ...]]:
        made = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
        return [(s.id, s.status, s.latest_start, s.latest_finish, s.hard_latest_finish,
                 s.slack_days, s.critical) for s in made.stages]

    kept = dated()
    for kept_passes in (planner_module._LATEST, planner_module._LAST_START,
                        planner_module._LAST_RESULT):
        kept_passes.clear()
    assert dated() == kept


@PROPERTY
@given(situations())
def test_a_plan_gone_on_from_the_search_equals_one_made_afresh(situation: Situation) -> None:
    # The search keeps each year's planner, its forward pass with the deadline checks made and
    # the person's record as read (planner.Searched): the plan made from them must be the one
    # made from nothing.
    today, year, pace, visa, person = situation
    searched = Searched()
    earliest = earliest_feasible_match(packaged_rules(), today=today, pace=pace, visa=visa,
                                       person=person, searched=searched)
    for match_year in {year, earliest or year}:
        gone_on = plan(packaged_rules(), match_year, today=today, pace=pace, visa=visa,
                       person=person, searched=searched)
        afresh = plan(packaged_rules(), match_year, today=today, pace=pace, visa=visa,
                      person=person)
        assert gone_on.stages == afresh.stages
        assert gone_on.findings == afresh.findings
        assert (gone_on.feasible, gone_on.closed_by) == (afresh.feasible, afresh.closed_by)


@PROPERTY
@given(situations(), st.integers(1, 60))
def test_the_first_action_is_the_first_of_the_next_actions(situation: Situation,
                                                           days: int) -> None:
    # A cohort asks each plan for its first action only (next_actions.first_action)
    today, year, pace, visa, person = situation
    made = plan(packaged_rules(), year, today=today, pace=pace, visa=visa, person=person)
    listed = next_actions(made, packaged_rules(), days)
    assert first_action(made, packaged_rules(), days) == next(
        iter(listed.actions or listed.blocked), None)
