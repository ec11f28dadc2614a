"""The readiness review, pure: profiles in, items and next actions out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from imgplan.core.planner import plan
from imgplan.core.readiness import Report, readiness
from imgplan.core.rules import Rules, Threshold
from imgplan.files.checking import profile_from as validate_profile
from imgplan.files.rules_file import load_rules
from imgplan.files.specialties_file import load_specialties
from packaged import SEED_ITEMS, packaged_specialties
from sample_profiles import complete_application

TODAY = dt.date(2026, 11, 22)
D = dt.date.fromisoformat

OFFICIAL_ITEMS = ("oet", "usmle_attempts", "school_listed", "eras_early", "programs",
                  "graduation_years")


def complete(**changes: Any) -> dict[str, Any]:
    """A whole application for Match 2027, recorded by 2026-11-22."""
    return complete_application(**changes)


def halfway() -> dict[str, Any]:
    """Exams under way for Match 2028: Step 1 passed, Step 2 CK booked, nothing else yet."""
    return {
        "graduation": "2024-06-30", "specialty": "internal-medicine", "match_year": 2028,
        "visa": "j1",
        "stages": {
            "credentials": {"status": "done", "date": "2025-01-15"},
            "step1": {"status": "passed", "date": "2026-06-10"},
            "step2ck": {"status": "scheduled", "date": "2027-02-15"},
        },
    }


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def review(rules: Rules, data: dict[str, Any] | None, *, year: int | None = None,
           visa: str | None = None, custom: Rules | None = None) -> Report:
    profile = validate_profile(data) if data is not None else None
    used = custom or rules
    route = visa or (profile.visa if profile else "j1")
    match_year = year or (profile.match_year if profile and profile.match_year else 2027)
    planned = plan(used, match_year, today=TODAY, visa=route,  # type: ignore[arg-type]
                   pace=profile.pace if profile else "typical",
                   person=profile.person() if profile else None)
    return readiness(used, load_specialties(), profile, planned, TODAY)


def statuses(report: Report) -> dict[str, str]:
    return {item.id: item.status for item in report.items}


def with_threshold(rules: Rules, key: str, value: Any) -> Rules:
    base = next(iter(rules.thresholds.values()))
    changed = {**rules.thresholds,
               key: Threshold(name=key, value=value, source=base.source, kind="heuristic",
                              last_verified=base.last_verified)}
    return dataclasses.replace(rules, thresholds=changed)


# -- three people -----------------------------------------------------------------------------

def test_a_complete_application_passes_every_item(rules: Rules) -> None:
    report = review(rules, complete())
    assert set(SEED_ITEMS) | set(OFFICIAL_ITEMS) <= set(statuses(report))
    assert statuses(report) == {item: "pass" for item in statuses(report)}
    assert report.ready and not report.failed and report.next_actions == []
    assert "step3" not in statuses(report)  # J-1: no Step 3 item


def test_no_profile_for_match_2027_is_overdue_almost_everywhere(rules: Rules) -> None:
    report = review(rules, None)
    found = statuses(report)
    assert not report.has_profile and not report.ready
    for item in ("ecfmg", "step2ck_score", "personal_statement",
                 "eras_consistency", "visa_strategy", "eras_early", "school_listed"):
        assert found[item] == "fail", item
    # USCE and letters have only target deadlines: missing them weakens an application but
    # cannot keep anyone out of the Match, so they are at risk, not failed
    for item in ("usce", "lors"):
        assert found[item] == "warn", item
    assert "Overdue" in report.item("ecfmg").detail  # type: ignore[union-attr]
    assert set(found.values()) <= {"fail", "warn", "todo"}


def test_halfway_for_match_2028_is_mostly_todo_with_dates(rules: Rules) -> None:
    report = review(rules, halfway())
    found = statuses(report)
    assert "fail" not in found.values()
    assert found["ecfmg"] == "todo"
    ecfmg = report.item("ecfmg")
    assert ecfmg is not None and "Done: Credentials, Step 1" in ecfmg.detail
    assert "Still to do: Step 2 CK, OET, Pathway" in ecfmg.detail
    assert found["step2ck_score"] == "todo"
    assert "Matched median for Internal Medicine: 251" in report.item("step2ck_score").detail  # type: ignore[union-attr]
    for item in report.items:
        if item.status == "todo" and item.id != "usmle_attempts":
            assert item.due is not None and item.due > TODAY, item.id


def test_next_actions_are_ordered_by_slack(rules: Rules) -> None:
    report = review(rules, halfway())
    actions = report.next_actions
    dated = [item for item in actions if item.stage is not None]
    margins = [item.start_within for item in dated]
    assert None not in margins and margins == sorted(margins)  # type: ignore[type-var]
    assert [item.id for item in actions][:2] == ["ecfmg", "step2ck_score"]
    # the rank-order list waits for its window: 16 days of calendar slack are not urgent
    assert dated[-1].id == "rank_strategy" and dated[-1].slack_days == 16
    # what has no date to meet (four years since graduation: a program's rule) comes last
    assert [item.id for item in actions if item.stage is None] == ["graduation_years"]


def test_with_nothing_done_the_root_of_the_late_chain_comes_first(rules: Rules) -> None:
    actions = review(rules, None).next_actions
    assert actions[0].id == "ecfmg" and "MyIntealth" in actions[0].advice
    assert actions[-1].id == "usmle_attempts"  # no date to meet: last


# -- Step 2 CK against Charting Outcomes ------------------------------------------------------

@pytest.mark.parametrize(("specialty", "score", "expected"), [
    ("internal-medicine", 251, "pass"),     # at the matched median
    ("internal-medicine", 250, "warn"),     # between unmatched 243 and matched 251
    ("internal-medicine", 243, "warn"),
    ("internal-medicine", 242, "fail"),
    ("internal-medicine", 226, "fail"),
    ("family-medicine", 230, "pass"),       # matched 230, unmatched 231: overlapping bands
    ("family-medicine", 229, "fail"),
])
def test_step2ck_score_against_the_medians(rules: Rules, specialty: str, score: int,
                                           expected: str) -> None:
    data = complete(specialty=specialty,
                    stages={"step2ck": {"status": "passed", "date": "2025-09-20",
                                        "score": score}})
    item = review(rules, data).item("step2ck_score")
    assert item is not None and item.status == expected
    assert "Charting Outcomes 2026" in item.detail and "Match 2026" in item.detail


def test_overlapping_medians_are_said_honestly(rules: Rules) -> None:
    data = complete(specialty="family-medicine")
    item = review(rules, data).item("step2ck_score")
    assert item is not None
    assert "does not separate matched from unmatched" in item.detail


def test_a_specialty_without_medians_is_not_graded(rules: Rules) -> None:
    item = review(rules, complete(specialty="dermatology")).item("step2ck_score")
    assert item is not None and item.status == "todo"
    assert "not graded" in item.detail and "publishes no Step 2 CK medians" in item.detail


def test_a_passed_step2ck_without_a_score_asks_for_it(rules: Rules) -> None:
    data = complete(stages={"step2ck": {"status": "passed", "date": "2025-09-20"}})
    item = review(rules, data).item("step2ck_score")
    assert item is not None and item.status == "warn"
    assert "--score" in item.advice


# -- the official rules -----------------------------------------------------------------------

def test_oet_writing_290_fails_with_a_retake_date(rules: Rules) -> None:
    scores = {"listening": 360, "reading": 350, "writing": 290, "speaking": 370}
    data = complete(stages={"oet": {"status": "passed", "date": "2025-11-15",
                                    "scores": scores},
                            "pathway": {"status": "todo"},
                            "ecfmg_certification": {"status": "todo"}})
    report = review(rules, data)
    oet = report.item("oet")
    assert oet is not None and oet.status == "fail"
    assert "Writing 290 is below 300" in oet.detail and "all four" in oet.detail
    assert oet.due is not None  # from a plan with the OET still to take
    ecfmg = report.item("ecfmg")
    assert ecfmg is not None and "OET" in ecfmg.detail.split("Still to do:")[1]


def test_oet_minimum_comes_from_the_rules(rules: Rules) -> None:
    stricter = with_threshold(rules, "oet_minimum",
                              {"listening": 350, "reading": 350, "writing": 350,
                               "speaking": 350})
    item = review(rules, complete(), custom=stricter).item("oet")
    assert item is not None and item.status == "fail" and "Writing 320 is below 350" in item.detail


def test_usmle_attempts(rules: Rules) -> None:
    once = complete(stages={"step2ck": {"status": "passed", "date": "2025-09-20", "score": 252,
                                        "attempts": 1}})
    assert review(rules, once).item("usmle_attempts").status == "warn"  # type: ignore[union-attr]
    spent = complete(stages={"step1": {"status": "failed", "date": "2025-05-10",
                                       "attempts": 4}})
    item = review(rules, spent).item("usmle_attempts")
    assert item is not None and item.status == "fail" and "limit of 4" in item.detail


def test_school_not_listed_fails(rules: Rules) -> None:
    item = review(rules, complete(school_listed=False)).item("school_listed")
    assert item is not None and item.status == "fail" and "World Directory" in item.detail


def test_h1b_adds_a_step3_item(rules: Rules) -> None:
    report = review(rules, complete(visa="h1b"))
    item = report.item("step3")
    assert item is not None and item.status != "pass"
    assert "H-1B" in item.detail
    assert report.item("visa_strategy").status == "pass"  # type: ignore[union-attr]


def test_visa_confirmed_but_undecided_warns(rules: Rules) -> None:
    item = review(rules, complete(visa="undecided")).item("visa_strategy")
    assert item is not None and item.status == "warn" and "undecided" in item.detail


def test_eras_after_programs_start_reviewing_warns(rules: Rules) -> None:
    late = complete(stages={"eras": {"status": "done", "date": "2026-10-20", "programs": 120}})
    item = review(rules, late).item("eras_early")
    assert item is not None and item.status == "warn" and "days after" in item.detail


@pytest.mark.parametrize(("programs", "broad", "expected"), [
    (120, None, "pass"), (60, None, "warn"), (120, 150, "warn")])
def test_programs_against_the_broad_threshold(rules: Rules, programs: int, broad: int | None,
                                              expected: str) -> None:
    custom = with_threshold(rules, "programs_broad", broad) if broad else None
    data = complete(stages={"eras": {"status": "done", "date": "2026-09-02",
                                     "programs": programs}})
    assert review(rules, data, custom=custom).item("programs").status == expected  # type: ignore[union-attr]


def test_letters_need_the_count_and_a_us_attending(rules: Rules) -> None:
    letters = [{"writer": w, "received": "2026-06-01"} for w in ("A", "B", "C")]
    data = complete(letters=letters, stages={"lors": {"status": "todo"}})
    item = review(rules, data, year=2028).item("lors")
    assert item is not None and item.status == "todo" and "0 of 1 from a US" in item.detail


def test_usce_outside_the_us_does_not_count(rules: Rules) -> None:
    data = complete(usce=[{"kind": "observership", "start": "2026-01-01", "end": "2026-02-01",
                           "in_us": False}], stages={"usce": {"status": "todo"}})
    item = review(rules, data, year=2028).item("usce")
    assert item is not None and item.status != "pass" and "outside the US" in item.detail


def test_little_slack_warns_when_the_rules_set_it(rules: Rules) -> None:
    data = halfway()
    plain = review(rules, data)
    custom = with_threshold(rules, "little_slack_days", 10_000)
    strict = review(rules, data, custom=custom)
    assert "warn" not in {plain.item(i).status for i in ("usce", "lors")}  # type: ignore[union-attr]
    assert strict.item("usce").status == "warn"  # type: ignore[union-attr]
    assert "Little slack" in strict.item("usce").detail  # type: ignore[union-attr]


def test_the_checklist_is_data_and_holds_the_seed_guides_items(rules: Rules) -> None:
    seed = [item.id for item in rules.checklist if item.seed]
    assert seed == list(SEED_ITEMS)
    # every item's words come from the rules file: a changed title shows as it is written
    replace = dataclasses.replace
    edited = replace(rules, checklist=[
        replace(item, title="Letters: {lors_needed} wanted") if item.id == "lors" else item
        for item in rules.checklist])
    report = readiness(edited, packaged_specialties(), None,
                       plan(edited, 2029, today=TODAY), TODAY)
    lors = report.item("lors")
    assert lors is not None and lors.title == "Letters: 3 wanted"
    # a title naming a value the rules lack falls back to its plain title
    no_value = replace(edited, thresholds={k: v for k, v in edited.thresholds.items()
                                           if k != "lors_needed"})
    lors = readiness(no_value, packaged_specialties(), None,
                     plan(no_value, 2029, today=TODAY), TODAY).item("lors")
    assert lors is not None and lors.title == "Letters of recommendation"


@pytest.mark.parametrize(("graduation", "status", "words"), [
    ("2024-06-30", "pass", "3.0 years"),  # Match 2027 starts 2027-07-01: three years
    ("2023-05-15", "warn", "within the 5 years many programs accept, but over the 3"),
    ("2020-06-30", "warn", "over the 5 years"),
    (None, "todo", "not recorded"),
])
def test_years_since_graduation_is_a_signal_programs_read(
        rules: Rules, graduation: str | None, status: str, words: str) -> None:
    item = review(rules, complete(graduation=graduation)).item("graduation_years")
    assert item is not None and item.status == status and words in item.detail
    assert item.stage is None and item.due is None  # a program's rule, with no date to meet


def test_us_experience_long_before_eras_opens_is_flagged(rules: Rules) -> None:
    recent = review(rules, complete()).item("usce")  # ended 2026-05-31, ERAS opens 2026-06
    assert recent is not None and recent.status == "pass"
    old = complete(usce=[{"kind": "externship", "specialty": "internal-medicine",
                          "start": "2024-03-01", "end": "2024-05-31"}])
    item = review(rules, old).item("usce")
    assert item is not None and item.status == "warn"
    assert "months before ERAS submission opens" in item.detail and "heuristic" in item.detail
    assert "recent US experience" in item.advice
