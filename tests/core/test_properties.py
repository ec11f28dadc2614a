"""Properties of the readiness review over random profiles, Match years, todays, paces and visas.

The planner's own invariants (nothing before today, recorded progress kept, slack and
feasibility) are in tests/test_planner.py. Here: random *profiles*, as the profile model and
``profile_problems`` accept them (progress in every status, dates, USMLE and OET scores,
attempts, USCE periods, letters, confirmations, graduation dates, visa routes, paces), go
through ``plan`` and ``readiness`` and through ``imgplan check --format json``; and what
``check`` says is held against what ``timeline`` says.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from imgplan.cli import app
from imgplan.core.cycle import first_open_match_year
from imgplan.core.planner import Person, Plan, Progress, StagePlan, plan
from imgplan.core.profile import (
    CONFIRMATIONS,
    Profile,
    int_threshold,
    oet_shortfalls,
    profile_problems,
    score_problems,
)
from imgplan.core.readiness import SEVERITY, Item, Report, readiness
from imgplan.core.retakes import next_sitting
from imgplan.core.rules import PACES, VISAS, Stage
from imgplan.files.checking import profile_from as validate_profile
from imgplan.files.profile_store import save_profile
from packaged import SEED_ITEMS, packaged_rules, packaged_specialties
from sample_profiles import complete_application


def attempt_limit() -> int:
    return int_threshold(packaged_rules(), "usmle_attempt_limit") or 4


def oet_minimum() -> dict[str, int]:
    value: dict[str, int] = packaged_rules().thresholds["oet_minimum"].value  # type: ignore[assignment]
    return value
OFFICIAL_ITEMS = ("oet", "usmle_attempts", "school_listed", "eras_early", "programs",
                  "graduation_years")
STATUSES = ("pass", "warn", "fail", "todo")

PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- random people ------------------------------------------------------------------------------


def _ago(today: date, low: int, high: int) -> st.SearchStrategy[date]:
    """A day between ``high`` and ``low`` days before ``today`` (negative: after it)."""
    return st.integers(low, high).map(lambda n: today - timedelta(days=n))


@st.composite
def _record(draw: st.DrawFn, stage: Stage, today: date, status: str | None = None,
            day: date | None = None) -> dict[str, Any]:
    """One stage's record, as ``imgplan mark`` (or a careful hand edit) writes it."""
    statuses = ["todo", "in_progress", "done"] + (["scheduled", "passed", "failed"]
                                                  if stage.exam else [])
    status = status or draw(st.sampled_from(statuses))
    data: dict[str, Any] = {"status": status}
    if status in ("done", "passed", "failed"):
        data["date"] = day or draw(_ago(today, 0, 1500))
    elif status == "scheduled":
        data["date"] = draw(_ago(today, -900, 200))
    if status != "todo" and draw(st.booleans()):
        data["started"] = draw(_ago(min(today, data.get("date", today)), 0, 400))
    if stage.usmle and draw(st.integers(0, 2)) == 0:
        return draw(_history(stage, today))
    if stage.usmle:
        # the old shape's count of failed attempts: a pass or a booking is one attempt more
        data["attempts"] = draw(st.integers(1 if status == "failed" else 0,
                                            attempt_limit() - (status != "failed")))
        if status in ("passed", "failed", "done") and draw(st.booleans()):
            score = draw(st.integers(215, 270) | st.integers(1, 300))
            # only what imgplan mark accepts: no Step 1 score after pass/fail, no pass
            # under the standard of its day
            # (an exam done with its score is read as a pass)
            result = "passed" if status == "done" else status
            if not score_problems(stage, result, score, data["date"]):
                data["score"] = score
    if stage.id == "oet" and status in ("passed", "failed", "done") and draw(st.booleans()):
        data["scores"] = {part: draw(st.integers(280, 420) | st.integers(0, 500))
                          for part in ("listening", "reading", "writing", "speaking")}
    if stage.id == "eras" and status == "done" and draw(st.booleans()):
        data["programs"] = draw(st.integers(1, 200))
    if draw(st.integers(0, 9)) == 0:
        data["duration"] = draw(st.sampled_from(["0d", "2w", "3m", "1y"]))
    return data


@st.composite
def _history(draw: st.DrawFn, stage: Stage, today: date) -> dict[str, Any]:
    """A USMLE Step's sittings as ``imgplan mark`` keeps them: failed or incomplete ones on
    distinct days, oldest first, perhaps a pass last, perhaps a next sitting booked."""
    failures = draw(st.integers(0, attempt_limit()))
    days = sorted(draw(st.sets(st.integers(1, 1500), min_size=failures + 1,
                               max_size=failures + 1)), reverse=True)
    sittings = [{"date": today - timedelta(days=n),
                 "result": draw(st.sampled_from(["failed", "failed", "incomplete"]))}
                for n in days[:failures]]
    data: dict[str, Any] = {"sittings": sittings}
    if failures < attempt_limit() and draw(st.booleans()):
        sittings.append({"date": today - timedelta(days=days[failures]), "result": "passed"})
    elif failures < attempt_limit() and draw(st.booleans()):
        data["booked"] = today + timedelta(days=draw(st.integers(-30, 400)))
        if sittings and data["booked"] <= sittings[-1]["date"]:
            del data["booked"]
    if not data["sittings"] and "booked" not in data:
        data["status"] = "in_progress" if draw(st.booleans()) else "todo"
    elif sittings and sittings[-1]["result"] != "passed" and draw(st.booleans()):
        data.update(status="in_progress", started=sittings[-1]["date"])
    return data


@st.composite
def _chaotic_stages(draw: st.DrawFn, today: date) -> dict[str, Any]:
    """Any status on any stage, in any order: a hand-edited profile."""
    return {stage.id: draw(_record(stage, today)) for stage in packaged_rules().stages
            if draw(st.integers(0, 2))}


@st.composite
def _orderly_stages(draw: st.DrawFn, today: date) -> dict[str, Any]:
    """The pathway followed in order: the first stages done on rising dates, the next under
    way or booked, the rest to do."""
    every = len(packaged_rules().stages)
    count = draw(st.integers(0, every) | st.just(every))
    day = draw(_ago(today, 300, 900))
    stages: dict[str, Any] = {}
    for stage in packaged_rules().stages[:count]:
        day = min(today, day + timedelta(days=draw(st.integers(0, 200))))
        stages[stage.id] = draw(_record(stage, today, "passed" if stage.exam else "done", day))
    if count < len(packaged_rules().stages):
        stage = packaged_rules().stages[count]
        stages[stage.id] = draw(_record(stage, today, draw(st.sampled_from(
            ["in_progress", "scheduled"] if stage.exam else ["in_progress", "todo"]))))
    return stages


@st.composite
def profiles(draw: st.DrawFn, today: date) -> Profile:
    specialty = st.none() | st.sampled_from(packaged_specialties().ids)
    usce = st.fixed_dictionaries({
        "kind": st.sampled_from(["observership", "externship", "research", "other"]),
        "start": _ago(today, -300, 1200), "length": st.integers(0, 200),
        "in_us": st.booleans(), "specialty": specialty})
    letter = st.fixed_dictionaries({
        "writer": st.sampled_from(["Dr A", "Dr B", "Prof C"]), "us_attending": st.booleans(),
        "specialty": specialty, "received": st.none() | _ago(today, -100, 900)})
    periods = [{**{k: v for k, v in p.items() if k != "length"},
                "end": p["start"] + timedelta(days=p["length"])}
               for p in draw(st.lists(usce, max_size=3))]
    data = {
        "graduation": draw(st.none() | st.dates(date(2015, 1, 1), date(2032, 12, 31))),
        "school_listed": draw(st.sampled_from([None, True, False])),
        "specialty": draw(specialty),
        "visa": draw(st.sampled_from(VISAS)),
        "pace": draw(st.sampled_from(PACES)),
        "stages": draw(_chaotic_stages(today) | _orderly_stages(today)),
        "usce": periods,
        "letters": draw(st.lists(letter, max_size=5)),
        "confirmations": draw(st.dictionaries(st.sampled_from(CONFIRMATIONS),
                                              _ago(today, 0, 500), max_size=4)
                              | _ago(today, 0, 500).map(lambda day: dict.fromkeys(
                                  CONFIRMATIONS, day))),
    }
    profile = validate_profile(data)
    assert profile_problems(profile, packaged_rules(), today) == [], \
        "the generator made a bad profile"
    return profile


Situation = tuple[date, int, Profile | None]

# A whole application for Match 2027 on 2026-11-22 (tests/test_readiness.py): the review is ready.
COMPLETE: Situation = (date(2026, 11, 22), 2027,
                       validate_profile(complete_application()))


@st.composite
def situations(draw: st.DrawFn) -> Situation:
    today = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    first = first_open_match_year(packaged_rules(), today)
    year = draw(st.integers(first, first + 6))
    profile = draw(st.none() | profiles(today))
    return today, year, profile


def review(situation: Situation) -> tuple[Plan, Report]:
    """``imgplan check --match YEAR --today TODAY``, without the terminal."""
    today, year, profile = situation
    person = profile.person() if profile else Person()
    planned = plan(packaged_rules(), year, today=today, pace=profile.pace if profile else "typical",
                   visa=profile.visa if profile else "j1", person=person)
    return planned, readiness(packaged_rules(), packaged_specialties(), profile, planned, today)


# -- (a) and (b): no exception, and a report that holds together ------------------------------


def usable_slack(item: Item, today: date) -> float:
    """Days a person has to act on ``item``, as the next actions are ordered."""
    if item.start_within is not None:
        return item.start_within
    if item.due is not None:
        return (item.due - today).days
    return float("inf")


@PROPERTY
@given(situations())
@example(COMPLETE)
def test_the_report_holds_together(situation: Situation) -> None:
    today, year, _ = situation
    planned, report = review(situation)  # (a) neither raises
    if situation is COMPLETE:
        assert report.ready  # so that both sides of ``ready`` are seen

    ids = [item.id for item in report.items]
    expected = [*SEED_ITEMS, *OFFICIAL_ITEMS]
    if planned.visa == "h1b":
        expected.append("step3")
    assert sorted(ids) == sorted(expected)
    assert all(item.status in STATUSES for item in report.items), ids
    assert report.match_year == year and report.today == today
    # ready: nothing fails and nothing is left to do (docs/json.md); check exits 1 on a fail
    assert report.ready == all(item.status in ("pass", "warn") for item in report.items)
    if report.ready:
        assert not report.failed
    assert report.failed == [item for item in report.items if item.status == "fail"]

    # next actions: every item that does not pass, once, least usable slack first, the worse
    # status first among equals
    actions = report.next_actions
    expected_actions = [item for item in report.items if item.status != "pass"]
    if report.closed_by is not None:  # nothing on this road can be done but what says so
        expected_actions = [item for item in expected_actions if item.status == "fail"]
    elif report.matched_on is not None:  # matched: only what remains before July 1
        expected_actions = [item for item in expected_actions
                            if item.stage in report.still_to_do]
    assert sorted(item.id for item in actions) == sorted(item.id for item in expected_actions)
    keys = [(usable_slack(item, today), SEVERITY[item.status]) for item in actions]
    assert keys == sorted(keys), [(item.id, key) for item, key in zip(actions, keys, strict=True)]


# -- (c): check agrees with timeline ------------------------------------------------------------


def says_overdue(stage: StagePlan) -> bool:
    """Whether the timeline says this Match can no longer be made for ``stage``.

    A planned stage shows it as its status, ``overdue``. A stage the person booked or started
    keeps that status on the timeline; for it, the same thing is a hard deadline it misses
    (listed in the timeline's warnings), here or down the chain: it finishes after its hard
    latest finish.
    """
    if stage.status in ("upcoming", "late", "overdue"):
        return stage.status == "overdue"
    # closed (it can no longer happen in this cycle) keeps its dates inside the plan: it
    # fails as a booked stage does, by the hard deadlines it misses here or down the chain
    if stage.status == "done":
        return False
    missed = any(not check.met for check in stage.checks if check.level == "hard")
    last = stage.hard_latest_finish
    return missed or (last is not None and stage.finish > last)


def expected_fail(item_id: str, planned: Plan, profile: Profile | None, today: date) -> bool:
    """Whether ``item_id`` must fail, from the plan (the timeline) and the hard thresholds."""
    def done(stage_id: str) -> bool:
        stage = planned.stage(stage_id)
        return stage is not None and stage.status == "done"

    def overdue(stage_ids: list[str]) -> bool:
        return any(says_overdue(stage) for stage_id in stage_ids
                   if (stage := planned.stage(stage_id)) is not None and stage.status != "done")

    record = profile.record if profile else (lambda _: Profile().record("x"))
    confirmed = profile.confirmations if profile else {}
    scores = record("oet").scores
    oet_short = done("oet") and scores is not None and bool(oet_shortfalls(scores, oet_minimum()))

    if item_id == "ecfmg":
        if done("ecfmg_certification") or all(done(s) for s in ("step1", "step2ck", "pathway")):
            return False
        missing = ["credentials", "step1", "step2ck", "oet", "pathway"]
        if overdue(missing):
            return True
        if not oet_short:
            return False
        # the OET counts for nothing: the plan for a retake, from today
        person = profile.person() if profile else Person()
        again = plan(packaged_rules(), planned.match_year, today=today, pace=planned.pace,
                     visa=planned.visa, dates=planned.key_dates,
                     person=Person({**person.progress, "oet": Progress()}, person.graduation,
                                   person.durations))
        retake = again.stage("oet")
        return retake is not None and says_overdue(retake)
    if item_id == "step2ck_score":
        if not done("step2ck"):
            return overdue(["step2ck"])
        specialty = packaged_specialties().find(profile.specialty) \
            if profile and profile.specialty else None
        medians = specialty.non_us_img.medians if specialty and specialty.non_us_img else None
        score = record("step2ck").score
        # a hard threshold: below the median of those who did not match, and of those who
        # did (where the unmatched median is the higher, as for Diagnostic Radiology, a
        # score at the matched median passes: found by Hypothesis once the ids changed)
        return score is not None and medians is not None and score < min(medians)
    if item_id == "usce":
        ended = [p for p in (profile.usce if profile else []) if p.in_us and p.end <= today]
        return not ended and not done("usce") and overdue(["usce"])
    if item_id == "lors":
        letters = profile.letters if profile else []
        received = [x for x in letters if x.received is not None and x.received <= today]
        enough = len(received) >= 3 and any(x.us_attending for x in received)
        return not enough and not (not letters and done("lors")) and overdue(["lors"])
    confirmations = {"personal_statement": "application_documents", "eras_consistency": "eras",
                     "visa_strategy": "eras", "rank_strategy": "rank_list"}
    if item_id in confirmations:
        return item_id not in confirmed and overdue([confirmations[item_id]])
    if item_id == "oet":
        return oet_short if done("oet") else overdue(["oet"])  # a hard threshold: the minimum
    if item_id == "usmle_attempts":  # a hard threshold: the attempt limit
        return any(packaged_rules().stage(s.id).usmle and not done(s.id)
                   and record(s.id).attempts >= attempt_limit() for s in planned.stages)
    if item_id == "school_listed":  # ECFMG certification needs a listed school
        listed = profile.school_listed if profile else None
        if listed is not None:
            return listed is False
        return not done("credentials") and overdue(["credentials"])
    if item_id == "step3":
        return not done("step3") and overdue(["step3"])
    if item_id == "graduation_years":  # a program's rule, not the Match's: it warns at most
        return False
    if item_id in ("eras_early", "programs"):
        return not done("eras") and overdue(["eras"])
    raise AssertionError(f"an item this test does not know: {item_id}")


@PROPERTY
@given(situations())
@example(COMPLETE)
def test_check_agrees_with_the_timeline(situation: Situation) -> None:
    """An item of ``check`` fails exactly when the plan that ``timeline`` shows says so.

    Each item is tied to stages (readiness.py): ``ecfmg`` to credentials, Step 1, Step 2 CK,
    OET and the Pathway (none, once the certificate or Step 1, Step 2 CK and the Pathway are
    done; a retake of an OET below the minimum when there is one); ``step2ck_score`` to Step 2
    CK; ``usce``, ``lors`` to their stages; ``personal_statement`` to the application
    documents, ``eras_consistency``, ``visa_strategy``, ``eras_early``, ``programs`` to ERAS,
    ``rank_strategy`` to the rank-order list, ``oet`` to the OET, ``school_listed`` to the
    credentials, ``step3`` to Step 3; each only until it is settled (done, confirmed, enough
    letters, US experience that has ended, a school known to be listed or not).

    Asserted, for every item: it fails if and only if
    - one of its stages that is not done is overdue on the timeline (a planned stage shown
      ``overdue``; a booked or started one that misses a hard deadline, here or down the
      chain), or
    - a hard threshold is missed: an OET sitting below ECFMG's minimum, a USMLE Step not
      passed with the attempt limit used up, a school not listed, a Step 2 CK score below the
      unmatched median of the target specialty.
    And every stage the timeline shows ``overdue`` fails the items tied to it (above).
    """
    today, _, profile = situation
    planned, report = review(situation)
    for item in report.items:
        assert (item.status == "fail") == expected_fail(item.id, planned, profile, today), \
            (item.id, item.status, item.detail)


# -- (a) through the command line ---------------------------------------------------------------


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(situations())
@example(COMPLETE)
def test_check_json_never_fails_to_answer(situation: Situation) -> None:
    today, year, profile = situation
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.yaml"
        if profile is not None:
            save_profile(path, profile, packaged_rules(), today)
        result = CliRunner().invoke(app, ["check", "--format", "json", "--today",
                                          today.isoformat(), "--match", str(year),
                                          "--profile", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert (data["match_year"], data["today"], data["profile"]) == (
        year, today.isoformat(), profile is not None)
    statuses = [item["status"] for item in data["items"]]
    assert set(statuses) <= set(STATUSES)
    assert (result.exit_code == 1) == ("fail" in statuses)
    assert data["ready"] == all(status in ("pass", "warn") for status in statuses)
    assert data["counts"] == {status: statuses.count(status) for status in STATUSES}
    for entry in [*data["items"], *data["next_actions"]]:
        if entry["due"] is not None:
            date.fromisoformat(entry["due"])


@PROPERTY
@given(situations())
@example(COMPLETE)
def test_every_item_about_a_stage_has_that_stages_dates(situation: Situation) -> None:
    """One set of numbers: an item's due and start-by are its stage's latest finish and start
    in the plan that the timeline shows for the same inputs."""
    planned, report = review(situation)
    for item in report.items:
        if item.stage is None:
            # no stage of the timeline: no dates, or a retake's own (an OET below ECFMG's
            # minimum counts as done in the timeline, and check plans its retake)
            assert item.due is None or item.id in ("oet", "ecfmg"), item.id
            continue
        stage = planned.stage(item.stage)
        assert stage is not None, item.id
        assert (item.due, item.start_by) == (stage.latest_finish, stage.latest_start), item.id


# -- (e): the USMLE rules on sitting again ------------------------------------------------------


@PROPERTY
@given(situations())
def test_no_retake_is_planned_against_the_usmle_rules(situation: Situation) -> None:
    """Nothing passed is sat again; a Step failed as often as allowed is not planned at all
    and closes the road; any other next sitting is planned no earlier than the rules allow."""
    _, _, profile = situation
    planned, _ = review(situation)
    if profile is None:
        return
    for stage_id, record in profile.stages.items():
        stage = packaged_rules().stage(stage_id)
        entry = planned.stage(stage_id)
        if not stage.usmle or entry is None or not record.attempts or entry.implied_by:
            continue  # (a later stage recorded done implies a pass, whatever the history)
        if record.passed is not None:
            assert entry.status == "done"
            continue
        rule = next_sitting(packaged_rules(), [s.date for s in record.sittings], record.attempts)
        if not rule.allowed:
            assert entry.status == "closed" and planned.closed_by is not None
            assert not planned.feasible and not planned.eligible
            assert all(s.status in ("done", "closed", "scheduled", "in_progress")
                       for s in planned.stages)
        elif entry.status in ("upcoming", "late", "overdue", "in_progress") \
                and rule.earliest is not None:
            assert entry.finish >= rule.earliest, (record, entry.finish, rule)
