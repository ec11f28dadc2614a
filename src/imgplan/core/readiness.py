"""The readiness review: the seed guide's checklist and the official rules, item by item.

Pure: rules, specialties, the profile, the plan and ``today`` in; a ``Report`` out. Nothing
here reads a file, the clock or the terminal, and every threshold comes from the data
(``thresholds`` in the rules file, the Charting Outcomes medians in the specialties file).

An item is tied to the stages it depends on, and takes its timing from the plan:

- ``pass``: done, and it meets its thresholds;
- ``fail``: overdue or impossible (the plan misses a hard deadline for it, here or down the
  chain: the timeline shows the stage ``overdue``) or below a hard threshold;
- ``warn``: at risk (the plan misses a target deadline for it, or its latest finish for a
  strong application has passed: the timeline shows it ``late``; or it has little slack), or
  done but short of what a strong application shows;
- ``todo``: not done and not yet due.

An item's ``due`` is its stage's latest finish in the plan. Next actions are the items that do
not pass, least slack first, counting the slack a person can use: for a stage whose dates the
calendar sets (ERAS submission, the rank-order list), that is the time left before its latest
start, not the few days the calendar leaves between its window and its deadline.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Literal

from imgplan.core.datatype import datatype
from imgplan.core.findings import Finding
from imgplan.core.planner import Plan, Progress, StagePlan, plan
from imgplan.core.profile import (
    Profile,
    StageRecord,
    int_threshold,
    oet_shortfalls,
)
from imgplan.core.programs import APPLIED
from imgplan.core.rules import ChecklistItem, Rules
from imgplan.core.services import for_service
from imgplan.core.specialties import Specialties, Specialty

if TYPE_CHECKING:
    from imgplan.core.fit import Fit

Status = Literal["pass", "warn", "fail", "todo"]
# Worst first: a group of stages takes the worst status of its parts.
SEVERITY: dict[Status, int] = {"fail": 0, "warn": 1, "todo": 2, "pass": 3}

OET_PARTS = {"listening": "Listening", "reading": "Reading", "writing": "Writing",
             "speaking": "Speaking"}

@datatype
class Item:
    """One item of the readiness review, with its status and what to do."""

    id: str
    status: Status
    title: str
    detail: str
    advice: str
    due: date | None = None
    slack_days: int | None = None
    # the slack a person can use, in days (what orders the next actions): for a stage the
    # calendar sets, the days left before its latest start; negative: that many days behind
    start_within: int | None = None
    # The stage the item's dates are, when it is about one: ``due`` and ``start_by`` are that
    # stage's latest finish and latest start in the plan (the timeline's, for the same inputs).
    stage: str | None = None
    start_by: date | None = None


@datatype
class Report:
    """The readiness review for one Match year."""

    match_year: int
    today: date
    items: list[Item]
    has_profile: bool
    findings: list[Finding]  # the plan's: what the timeline reports for the same inputs
    eligible: bool = True  # the plan meets every hard deadline: this Match can be made
    earliest_feasible_match: int | None = None
    # When this Match can no longer be made: the review of the earliest that works, whose
    # next actions are the ones to take (this year's would be steps toward a closed door).
    instead: Report | None = None
    # the plan's reason no Match can be planned on this road (a Step's attempts spent)
    closed_by: Finding | None = None
    matched_on: date | None = None  # the Match is won: the rest is the road to July 1
    still_to_do: frozenset[str] = frozenset()  # the plan's stages not done yet
    remaining: tuple[str, ...] = ()  # their labels, in pathway order

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def failed(self) -> list[Item]:
        return [item for item in self.items if item.status == "fail"]

    @property
    def ready(self) -> bool:
        """Nothing fails and nothing is left to do (warnings are the person's call)."""
        return all(item.status in ("pass", "warn") for item in self.items)

    @property
    def next_actions(self) -> list[Item]:
        """The items that do not pass, most urgent (least usable slack) first; when this
        Match can no longer be made, those of the earliest one that can."""
        if self.instead is not None:
            return self.instead.next_actions
        def urgency(entry: tuple[int, Item]) -> tuple[float, int, int]:
            position, item = entry
            if item.start_within is not None:
                slack: float = item.start_within
            elif item.due is not None:
                slack = (item.due - self.today).days
            else:
                slack = float("inf")  # a fact to live with rather than a date to meet
            return slack, SEVERITY[item.status], position

        open_items = [(n, item) for n, item in enumerate(self.items) if item.status != "pass"]
        if self.closed_by is not None:
            # nothing on this road can be done: only what says so, and what to do about it
            open_items = [(n, item) for n, item in open_items if item.status == "fail"]
        elif self.matched_on is not None:
            # matched: what remains before residency starts, not a stronger application
            open_items = [(n, item) for n, item in open_items if item.stage is not None
                          and item.stage in self.still_to_do]
        return [item for _, item in sorted(open_items, key=urgency)]

    def count(self, status: Status) -> int:
        return sum(item.status == status for item in self.items)


@datatype
class _Timing:
    """Where the not-done stages of an item stand in the plan."""

    status: Status
    reason: str
    due: date | None
    slack_days: int | None
    start_within: int | None = None
    stage: str | None = None
    start_by: date | None = None


def readiness(rules: Rules, specialties: Specialties, profile: Profile | None, plan: Plan,
              today: date, fits: list[Fit] | None = None) -> Report:
    """Review readiness for ``plan``'s Match year as seen on ``today``; ``fits``: the
    person's program list checked against them (``imgplan.core.fit``), when they keep one."""
    if plan.application_service is not None:  # the words and advice of the person's service
        rules = for_service(rules, plan.application_service.id)
    review = _Review(rules, specialties, profile, plan, today, fits or [])
    # The items, their order and their words are the rules file's checklist; each names the
    # check (a method below) that reviews it. An item that does not apply (Step 3 off the
    # H-1B route) gives None.
    found = [getattr(review, entry.check)(entry) for entry in rules.checklist]
    items = [item for item in found if item is not None]
    report = Report(plan.match_year, today, items, profile is not None, plan.findings,
                    plan.eligible, plan.earliest_feasible_match, closed_by=plan.closed_by,
                    matched_on=plan.matched_on,
                    still_to_do=frozenset(s.id for s in plan.stages if s.status != "done"),
                    remaining=tuple(s.label for s in plan.stages if s.status != "done"))
    report.instead = _instead(rules, specialties, profile, plan, today, fits)
    return report


def _instead(rules: Rules, specialties: Specialties, profile: Profile | None, planned: Plan,
             today: date, fits: list[Fit] | None) -> Report | None:
    """The review of the earliest feasible Match, when ``planned``'s can no longer be made."""
    earliest = planned.earliest_feasible_match
    if planned.eligible or earliest is None or earliest == planned.match_year:
        return None
    person = planned.person
    later = plan(rules, earliest, today=today, pace=planned.pace, visa=planned.visa,
                 person=person, earliest_feasible=earliest)
    return readiness(rules, specialties, profile, later, today, fits)


class _Review:
    def __init__(self, rules: Rules, specialties: Specialties, profile: Profile | None,
                 plan: Plan, today: date, fits: list[Fit]) -> None:
        self.fits = fits
        self.rules = rules
        self.specialties = specialties
        self.profile = profile
        self.plan = plan
        self.today = today
        self.little_slack = int_threshold(rules, "little_slack_days")

    # -- helpers -----------------------------------------------------------------------------

    def record(self, stage_id: str) -> StageRecord:
        return self.profile.record(stage_id) if self.profile else StageRecord()

    def done(self, stage_id: str) -> bool:
        stage = self.plan.stage(stage_id)
        return stage is not None and stage.status == "done"

    def label(self, stage_id: str) -> str:
        stage = self.plan.stage(stage_id)
        return stage.label if stage else stage_id

    def start_within(self, stage: StagePlan | None) -> int | None:
        """The slack a person can use: days left before the stage must start."""
        if stage is None:
            return None
        if stage.calendar_bound:
            latest = stage.latest_start
            return (latest - self.today).days if latest is not None else None
        return stage.slack_days

    def stage_timing(self, stage: StagePlan) -> _Timing:
        timing = self._stage_timing(stage)
        return _Timing(timing.status, timing.reason, stage.latest_finish, timing.slack_days,
                       self.start_within(stage), stage.id, stage.latest_start)

    def _stage_timing(self, stage: StagePlan) -> _Timing:
        due = stage.latest_finish or stage.hard_latest_finish
        slack = stage.slack_days
        last = stage.hard_latest_finish
        hard = [c for c in stage.checks if c.level == "hard" and not c.met]
        if stage.status == "closed":
            # the same rule as below: fail where a hard deadline is missed, here or down the
            # chain; a stage with only target deadlines weakens an application when it is
            # missing, but keeps no one out of the Match: at risk, even when closed
            closed: Status = "fail" if hard or (last is not None and stage.finish > last) \
                else "warn"
            return _Timing(closed, f"Can no longer happen in Match {self.plan.match_year}: "
                           f"{stage.label} cannot be done within this cycle.", due, slack)
        # fail exactly when the plan says this Match can no longer be made for this stage
        # (the timeline's "overdue"): the same rule, so check and timeline always agree
        if hard:
            c = hard[0]
            return _Timing("fail", f"Cannot be done in time: {stage.label} is planned for "
                           f"{c.actual}, {c.days_late} days after {c.due} ({c.reason}).",
                           due, slack)
        if last is not None and stage.finish > last:
            if last < self.today:
                return _Timing("fail", f"Overdue: {stage.label} had to finish by {last} to keep "
                               "this Match possible.", due, slack)
            return _Timing("fail", f"Cannot be done in time: {stage.label} is planned to finish "
                           f"{stage.finish}, after {last}, the last day that keeps this Match "
                           "possible.", due, slack)
        target = [c for c in stage.checks if c.level == "target" and not c.met]
        if target:
            c = target[0]
            return _Timing("warn", f"At risk: {stage.label} is planned for {c.actual}, "
                           f"{c.days_late} days after {c.due} ({c.reason}).", due, slack)
        if slack is not None and slack < 0:
            late = f"was due by {due} for a strong application" if due is not None \
                and due < self.today else f"is {-slack} days behind a strong application"
            return _Timing("warn", f"At risk: {stage.label} {late}; the last day that keeps "
                           f"this Match possible is {last}.", due, slack)
        usable = self.start_within(stage)
        if usable is not None and self.little_slack is not None and usable < self.little_slack:
            start = f", start by {stage.latest_start}" if stage.latest_start else ""
            return _Timing("warn", f"Little slack: {stage.label} has {usable} days to spare"
                           f"{start}.", due, slack)
        when = f"planned {stage.start} to {stage.finish}"
        if due is not None:
            when += f", due by {due}"
        return _Timing("todo", f"{stage.label}: {when}.", due, slack)

    def timing(self, stage_ids: Iterable[str]) -> _Timing:
        """The worst timing among the stages in ``stage_ids`` that are not done."""
        found = [self.stage_timing(stage) for stage_id in stage_ids
                 if (stage := self.plan.stage(stage_id)) is not None
                 and stage.status != "done"]
        return _combined(found)

    def item(self, item_id: str, title: str, stage_id: str | None, status: Status,
             detail: str, advice: str) -> Item:
        """An item whose due date and slack are its stage's."""
        stage = self.plan.stage(stage_id) if stage_id is not None else None
        due = stage.latest_finish if stage else None
        slack = stage.slack_days if stage else None
        return Item(item_id, status, title, detail, advice, due, slack, self.start_within(stage),
                    stage.id if stage else None, stage.latest_start if stage else None)

    def pending(self, item_id: str, title: str, stage_ids: list[str], detail: str,
                advice: str) -> Item:
        """An item not done yet: its status, due date and slack come from the plan."""
        timing = self.timing(stage_ids)
        text = " ".join(part for part in (detail, timing.reason) if part)
        return Item(item_id, timing.status, title, text, advice, timing.due, timing.slack_days,
                    timing.start_within, timing.stage, timing.start_by)

    def confirmed(self, item_id: str) -> date | None:
        found = self.profile.confirmations if self.profile else {}
        return next((day for key, day in found.items() if key == item_id), None)

    def title(self, entry: ChecklistItem) -> str:
        """The item's title, with the values it names filled in from the rules."""
        values: dict[str, object] = {
            key: threshold.value for key, threshold in self.rules.thresholds.items()
            if isinstance(threshold.value, int)}
        specialty = self.specialty()
        values["specialty"] = specialty.name if specialty else "your specialty"
        service = self.plan.application_service
        values["service"] = service.name if service is not None else "ERAS"
        floors = ", ".join(f"{OET_PARTS.get(part, part)[0]} {value}+"
                           for part, value in self.oet_minimum().items())
        if floors:
            values["floors"] = floors
        try:
            return entry.title.format_map(values)
        except (KeyError, IndexError, ValueError):
            return entry.title_plain or entry.title

    def says(self, entry: ChecklistItem, situation: str, **values: object) -> str:
        """The rules' advice for this item in ``situation``; none there, the stage's."""
        text = entry.advice.get(situation)
        if text is None:
            return self.advice(entry.stage) if entry.stage else ""
        return text.format_map(values) if values else text

    def advice(self, stage_id: str) -> str:
        """What to do next for a stage, from the rules (a custom file may have none)."""
        stage = next((s for s in self.rules.stages if s.id == stage_id), None)
        return (stage.advice or "") if stage is not None else ""

    def threshold(self, key: str) -> int | None:
        return int_threshold(self.rules, key)

    def oet_short(self) -> list[tuple[str, int, int]]:
        """The sub-tests of the recorded OET sitting below ECFMG's minimum."""
        scores = self.record("oet").scores
        return oet_shortfalls(scores, self.oet_minimum()) if scores is not None else []

    def oet_minimum(self) -> Mapping[str, int]:
        found = self.rules.thresholds.get("oet_minimum")
        return found.value if found is not None and isinstance(found.value, dict) else {}

    def specialty(self) -> Specialty | None:
        if self.profile is None or self.profile.specialty is None:
            return None
        return self.specialties.find(self.profile.specialty)

    # -- the seed guide's checklist ----------------------------------------------------------

    def ecfmg(self, entry: ChecklistItem) -> Item:
        title, stage = self.title(entry), entry.stage or "ecfmg_certification"
        if self.done(stage):
            when = self.record(stage).date
            return self.item(entry.id, title, stage, "pass",
                             f"ECFMG certificate issued {when}.", "")
        needed, parts = self.ecfmg_requirements()
        if all(self.done(stage_id) for stage_id in needed):
            return self.item(
                entry.id, title, stage, "pass",
                "Step 1, Step 2 CK and the Pathway are done: what ECFMG must report to NRMP "
                "by the rank-order-list deadline. The certificate itself follows your final "
                "diploma.", "")
        # an OET below the minimum is done in the plan but does not count for ECFMG
        short = self.done("oet") and bool(self.oet_short())
        counted = [s for s in parts if self.done(s) and not (s == "oet" and short)]
        missing = [s for s in parts if self.plan.stage(s) is not None and s not in counted]
        detail = (f"Done: {', '.join(self.label(s) for s in counted)}. " if counted else "") + \
            f"Still to do: {', '.join(self.label(s) for s in missing)}" + \
            (" (a retake: the OET is below the minimum)." if short else ".")
        timing = _combined([self.timing(missing)] + ([self.retake("oet")] if short else []))
        return Item(entry.id, timing.status, title, f"{detail} {timing.reason}".strip(),
                    self.advice(missing[0]), timing.due, timing.slack_days, timing.start_within,
                    timing.stage, timing.start_by)

    def ecfmg_requirements(self) -> tuple[list[str], list[str]]:
        """From the rules: what ECFMG must report to NRMP by the Match's last door (the
        certificate's predecessors with a hard deadline there), and every stage the
        certificate rests on (its predecessors and theirs), in pathway order."""
        certificate = self.rules.stage("ecfmg_certification")
        closes = self.rules.calendar.closes
        needed = [p.stage for p in certificate.after
                  if any(d.level == "hard" and d.anchor == closes
                         for d in self.rules.stage(p.stage).deadlines)]
        below: set[str] = set()
        waiting = [p.stage for p in certificate.after]
        while waiting:
            stage_id = waiting.pop()
            if stage_id not in below:
                below.add(stage_id)
                waiting += [p.stage for p in self.rules.stage(stage_id).after]
        return needed, [stage_id for stage_id in self.rules.stage_ids if stage_id in below]

    def step2ck_score(self, entry: ChecklistItem) -> Item:
        specialty = self.specialty()
        name = specialty.name if specialty else "your specialty"
        title, stage = self.title(entry), entry.stage or "step2ck"
        benchmark = self.benchmark(specialty)
        if not self.done(stage):
            return self.pending(entry.id, title, [stage],
                                f"No Step 2 CK score yet. {benchmark}".strip(),
                                self.says(entry, "todo"))
        record = self.record(stage)
        if record.score is None:
            return self.item(entry.id, title, stage, "warn",
                             f"Step 2 CK passed on {record.when}, but no score is recorded.",
                             self.says(entry, "no_score", date=record.when))
        score = record.score
        if specialty is None:
            return self.item(entry.id, title, stage, "todo",
                             f"Score {score}, not compared: the profile has no target specialty.",
                             self.says(entry, "no_specialty"))
        cohort = specialty.non_us_img
        medians = cohort.medians if cohort else None
        if medians is None:
            return self.item(entry.id, title, stage, "todo",
                             f"Score {score}, not graded: {benchmark}",
                             self.says(entry, "no_medians"))
        matched, unmatched = medians
        cite = self.specialties.charting_outcomes.citation
        figures = f"matched median {matched}, unmatched {unmatched}; {cite}"
        status: Status
        if score >= matched:
            status = "pass"
            detail = f"{score} is at or above the matched median for {name} ({figures})."
        elif score >= unmatched:
            status = "warn"
            detail = f"{score} is between the unmatched and matched medians for {name} " \
                     f"({figures})."
        else:
            status = "fail"
            detail = f"{score} is below the unmatched median for {name} ({figures})."
        if unmatched >= matched:
            detail += (" Here the unmatched median is not below the matched one: Step 2 CK "
                       "does not separate matched from unmatched applicants.")
        advice = ""
        if status != "pass":
            detail += " A median is a comparison point, not a cut-off."
            advice = self.says(entry, "below_median")
        return self.item(entry.id, title, stage, status, detail, advice)

    def benchmark(self, specialty: Specialty | None) -> str:
        outcomes = self.specialties.charting_outcomes
        if specialty is None:
            return ""
        cohort = specialty.non_us_img
        medians = cohort.medians if cohort else None
        if medians is None:
            note = (specialty.note or "").split(". ")[0].rstrip(".")
            why = f" ({note})" if note else ""
            return (f"{outcomes.citation} publishes no Step 2 CK medians for "
                    f"{specialty.name}{why}.")
        return (f"Matched median for {specialty.name}: {medians[0]} (unmatched {medians[1]}; "
                f"{outcomes.citation}).")

    def usce(self, entry: ChecklistItem) -> Item:
        title = self.title(entry)
        periods = self.profile.usce if self.profile else []
        in_us = [p for p in periods if p.in_us]
        ended = sorted((p for p in in_us if p.end <= self.today), key=lambda p: p.end)
        if ended:
            first = ended[0]
            where = self.specialties.find(first.specialty) if first.specialty else None
            detail = f"{first.kind.capitalize()}" + (f" in {where.name}" if where else "") + \
                f", {first.start} to {first.end}."
            target = self.profile.specialty if self.profile else None
            if target and not any(p.specialty == target for p in ended):
                detail += " None yet in your target specialty (ideally one is)."
            stale = self.usce_stale(ended[-1].end)
            if stale is not None:
                return self.item(entry.id, title, "usce", "warn", f"{detail} {stale}",
                                 self.says(entry, "stale"))
            return self.item(entry.id, title, "usce", "pass", detail, "")
        if self.done("usce"):
            return self.item(entry.id, title, "usce", "pass",
                             f"Marked done on {self.record('usce').date}.", "")
        running = [p for p in in_us if p.start <= self.today]
        advice = self.says(entry, "todo")
        if running:
            detail = f"{running[0].kind.capitalize()} under way until {running[0].end}."
            advice = self.says(entry, "booked")
        elif in_us:
            detail = f"{in_us[0].kind.capitalize()} planned from {in_us[0].start}."
            advice = self.says(entry, "booked")
        elif periods:
            detail = "Only experience outside the US is recorded; programs look for US " \
                     "clinical experience."
        else:
            detail = "No US clinical experience recorded."
        return self.pending(entry.id, title, ["usce"], detail, advice)

    def usce_stale(self, last_end: date) -> str | None:
        """Why the most recent US experience may look old to programs, or None."""
        recent = self.threshold("usce_recent_months")
        opens = self.plan.key_date("eras_submit")  # or the person's service's own day
        if recent is None or opens is None:
            return None
        months = (opens.date.year - last_end.year) * 12 + opens.date.month - last_end.month
        if months <= recent:
            return None
        service = self.plan.application_service
        return (f"The most recent ended {last_end}, {months} months before "
                f"{service.name if service is not None else 'ERAS'} submission opens "
                f"({opens.date}); programs look for US experience from the last {recent} "
                "months (imgplan's heuristic).")

    def lors(self, entry: ChecklistItem) -> Item:
        needed = self.threshold("lors_needed")
        us_needed = self.threshold("lors_us_needed")
        title = self.title(entry)
        if needed is None or us_needed is None:
            return self.item(entry.id, title, "lors", "todo",
                             "Not checked: the rules file gives no lors_needed or "
                             "lors_us_needed threshold.", "")
        letters = self.profile.letters if self.profile else []
        received = [x for x in letters if x.received is not None and x.received <= self.today]
        count, us = len(received), sum(x.us_attending for x in received)
        if count >= needed and us >= us_needed:
            detail = f"{count} letters, {us} from US attendings."
            target = self.profile.specialty if self.profile else None
            if target and not any(x.us_attending and x.specialty == target for x in received):
                detail += " None yet from a US attending in your target specialty (ideally one)."
            return self.item(entry.id, title, "lors", "pass", detail, "")
        if not letters and self.done("lors"):
            return self.item(entry.id, title, "lors", "pass",
                             f"Marked done on {self.record('lors').date} (add each letter with "
                             "imgplan add lor so imgplan can count them).", "")
        detail = f"{count} of {needed} letters, {us} of {us_needed} from a US attending."
        return self.pending(entry.id, title, ["lors"], detail, self.says(entry, "todo"))

    def confirmation(self, entry: ChecklistItem) -> Item:
        """A checklist item only the person can judge: done once they confirm it."""
        title, stage_ids = self.title(entry), [entry.stage] if entry.stage else []
        confirmed = self.confirmed(entry.id)
        if confirmed is not None:
            return self.item(entry.id, title, entry.stage, "pass", f"Confirmed on {confirmed}.",
                             "")
        if entry.stage is not None and self.done(entry.stage):
            # what it prepares is done (the list certified, ERAS submitted): nothing to confirm
            return self.item(entry.id, title, entry.stage, "pass",
                             f"Not confirmed, but {self.label(entry.stage)} is done.", "")
        return self.pending(entry.id, title, stage_ids, "Not confirmed yet.",
                            f"{self.says(entry, 'todo')}; then: imgplan confirm {entry.id}")

    def visa_strategy(self, entry: ChecklistItem) -> Item:
        title, stage = self.title(entry), entry.stage or "eras"
        visa = self.profile.visa if self.profile else "undecided"
        confirmed = self.confirmed(entry.id)
        if confirmed is not None and visa == "undecided":
            return self.item(entry.id, title, stage, "warn",
                             f"Confirmed on {confirmed}, but the profile's visa route is still "
                             "undecided.", self.says(entry, "undecided"))
        listed, applied_excluded = self.visa_on_list()
        if confirmed is not None:
            shown = {"j1": "J-1 route", "h1b": "H-1B route", "none": "No visa needed"}[visa]
            if applied_excluded:
                return self.item(entry.id, title, stage, "warn",
                                 f"{shown}, confirmed on {confirmed}.{listed}",
                                 "Check the programs on your list that sponsor no visa you "
                                 "can take: 'imgplan programs' lists them.")
            return self.item(entry.id, title, stage, "pass",
                             f"{shown}, confirmed on {confirmed}.{listed}", "")
        route = {"j1": "J-1 through ECFMG", "h1b": "H-1B: needs Step 3 passed",
                 "none": "no visa needed", "undecided": "route undecided"}[visa]
        return self.pending(entry.id, title, [stage], f"Not confirmed yet ({route}).{listed}",
                            self.says(entry, "todo"))

    def visa_on_list(self) -> tuple[str, int]:
        """What the program list says of the person's visa route (a sentence, or ""), and how
        many programs applied to sponsor none they can take."""
        if not self.fits:
            return "", 0
        barred = [f for f in self.fits if any(r.id == "visa" and r.level == "excluded"
                                              for r in f.reasons)]
        unsure = [f for f in self.fits if any(r.field in ("j1", "h1b") for r in f.reasons)]
        applied = sum(f.program.status in APPLIED for f in barred)
        text = (f" Program list: {len(barred)} of {len(self.fits)} sponsor no route you can "
                f"take, {len(unsure)} do not say")
        text += f"; you applied to {applied} of them." if applied else "."
        return text, applied

    # -- the official rules ------------------------------------------------------------------

    def oet(self, entry: ChecklistItem) -> Item:
        title = self.title(entry)
        record = self.record("oet")
        advice = self.says(entry, "todo")
        if self.done("oet"):
            scores = record.scores
            if scores is None:
                return self.item(entry.id, title, "oet", "pass",
                                 f"Passed on {record.when} (sub-test scores not recorded).", "")
            short = self.oet_short()
            if not short:
                values = scores.as_dict()
                shown = ", ".join(f"{OET_PARTS[p]} {values[p]}" for p in OET_PARTS)
                return self.item(entry.id, title, "oet", "pass",
                                 f"{shown} on {record.when}: meets ECFMG's minimum.", "")
            below = ", ".join(f"{OET_PARTS.get(p, p)} {value} is below {least}"
                              for p, value, least in short)
            retake = self.retake("oet")
            return Item(entry.id, "fail", title,
                        f"{below} (ECFMG's minimum, one sitting; sitting of {record.when}): "
                        "all four sub-tests must be retaken. "
                        f"{retake.reason}".strip(),
                        self.says(entry, "retake"), retake.due, retake.slack_days,
                        retake.start_within, retake.stage, retake.start_by)
        if record.state == "passed" and record.when is not None:
            detail = f"The OET of {record.when} is older than this Match's Pathways accept."
            if self.oet_short():
                detail += " It was also below the minimum."
        elif record.state == "failed":
            detail = f"Not passed yet (the sitting of {record.when} fell short)."
        else:
            detail = "Not passed yet."
        return self.pending(entry.id, title, ["oet"], detail, advice)

    def retake(self, stage_id: str) -> _Timing:
        """Timing for ``stage_id`` as if it were still to do: what a retake must meet."""
        person = self.plan.person
        progress = {**person.progress, stage_id: Progress()}
        again = plan(self.rules, self.plan.match_year, today=self.today, pace=self.plan.pace,
                     visa=self.plan.visa, dates=self.plan.key_dates,
                     person=dataclasses.replace(person, progress=progress))
        stage = again.stage(stage_id)
        if stage is None:  # pragma: no cover - the stage is on the plan it was done in
            return _Timing("fail", "", None, None)
        # A retake is not in the timeline's plan (which counts the sitting as done): its dates
        # are the retake's own, so the item names no stage of the timeline.
        return dataclasses.replace(self.stage_timing(stage), stage=None)

    def graduation_years(self, entry: ChecklistItem) -> Item:
        """Years since graduation on the day residency would start: programs filter on it."""
        title = self.title(entry)
        graduation = self.profile.graduation if self.profile else None
        start = self.plan.cycle_ends  # residency starts
        if graduation is None:
            return Item(entry.id, "todo", title, "Graduation date not recorded.",
                        self.says(entry, "todo"))
        # whole months, as a program counts "three years since graduation"
        months = (start.date.year - graduation.year) * 12 + start.date.month - graduation.month
        months -= start.date.day < graduation.day
        years = months / 12
        when = f"{years:.1f} years from graduation ({graduation}) to {start.date}"
        strict = self.threshold("graduation_years_strict")
        common = self.threshold("graduation_years_common")
        if years < 0:
            return Item(entry.id, "pass", title, f"Graduation {graduation} comes before "
                        "residency would start: programs count no years yet.", "")
        if strict is not None and years <= strict:
            return Item(entry.id, "pass", title, f"{when}: within what programs accept.", "")
        if common is not None and years <= common:
            detail = (f"{when}: within the {common} years many programs accept, but over the "
                      f"{strict} that stricter ones do." if strict is not None else
                      f"{when}: within the {common} years many programs accept.")
            return Item(entry.id, "warn" if strict is not None else "pass", title, detail,
                        self.says(entry, "over") if strict is not None else "")
        limit = f"the {common} years many programs accept" if common is not None \
            else "what many programs accept"
        return Item(entry.id, "warn", title, f"{when}: over {limit}; some programs take later "
                    "graduates.", self.says(entry, "over"))

    def usmle_attempts(self, entry: ChecklistItem) -> Item:
        limit = self.threshold("usmle_attempt_limit")
        title = self.title(entry)
        steps = [s for s in self.plan.stages if self.rules.stage(s.id).usmle]
        failed = [(s, self.record(s.id).failed_attempts) for s in steps
                  if self.record(s.id).failed_attempts]
        if limit is not None:
            spent = [(s, n) for s, n in failed if n >= limit and not self.done(s.id)]
            if spent:
                stage, count = spent[0]
                return Item(entry.id, "fail", title,
                            f"{stage.name}: {count} failed attempts reach the USMLE limit of "
                            f"{limit}: ineligible for a further attempt, so ECFMG "
                            "certification through the USMLE is closed.",
                            self.says(entry, "spent"))
        if failed:
            shown = "; ".join(f"{s.label}: {n} failed" for s, n in failed)
            left = f" ({limit} attempts allowed per Step, incomplete ones included)" \
                if limit else ""
            return Item(entry.id, "warn", title,
                        f"{shown}{left}. A failed attempt stays on your USMLE transcript.",
                        self.says(entry, "failed"))
        taken = [s for s in steps if self.record(s.id).state in ("passed", "done")]
        if not taken:
            return Item(entry.id, "todo", title, "No USMLE attempt recorded yet.",
                        self.says(entry, "todo"))
        return Item(entry.id, "pass", title,
                    f"No failed attempt: {', '.join(s.label for s in taken)} passed on the "
                    "first attempt, as many programs require.", "")

    def school_listed(self, entry: ChecklistItem) -> Item:
        title, stage = self.title(entry), entry.stage or "credentials"
        listed = self.profile.school_listed if self.profile else None
        if listed:
            return self.item(entry.id, title, stage, "pass",
                             "Listed, with a sponsor note covering your graduation year.", "")
        if listed is False:
            return self.item(entry.id, title, stage, "fail",
                             "Not listed: ECFMG certification requires a school in the World "
                             "Directory of Medical Schools with an ECFMG note covering your "
                             "graduation year.", self.says(entry, "not_listed"))
        if self.done(stage):
            return self.item(entry.id, title, stage, "pass",
                             "ECFMG has verified your credentials, which needs a listed school.",
                             "")
        return self.pending(entry.id, title, [stage],
                            "Not checked yet: the note must cover your graduation year.",
                            self.says(entry, "todo"))

    def step3(self, entry: ChecklistItem) -> Item | None:
        """Only on the H-1B route: the petition needs all three Steps passed."""
        stage = entry.stage or "step3"
        if self.plan.visa != "h1b" or self.plan.stage(stage) is None:
            return None
        title = self.title(entry)
        if self.done(stage):
            return self.item(entry.id, title, stage, "pass",
                             f"Passed on {self.record(stage).when}.", "")
        return self.pending(entry.id, title, [stage],
                            "An H-1B petition needs all three Steps passed; Step 3 comes after "
                            "graduation and ECFMG certification.", self.says(entry, "todo"))

    def eras_early(self, entry: ChecklistItem) -> Item:
        title, stage_id = self.title(entry), entry.stage or "eras"
        stage = self.plan.stage(stage_id)
        if stage is not None and self.done(stage_id):
            when = self.record(stage_id).date
            late = [c for c in stage.checks if c.level == "target" and not c.met]
            if late:
                c = late[0]
                return self.item(entry.id, title, stage_id, "warn",
                                 f"Submitted {when}, {c.days_late} days after {c.due} "
                                 f"({c.reason}).", self.says(entry, "late"))
            return self.item(entry.id, title, stage_id, "pass", f"Submitted {when}.", "")
        return self.pending(entry.id, title, [stage_id], "Not submitted yet.",
                            self.says(entry, "todo"))

    def programs(self, entry: ChecklistItem) -> Item:
        broad = self.threshold("programs_broad")
        title, stage = self.title(entry), entry.stage or "eras"
        listed = ""
        if self.fits:
            eligible = sum(f.eligible for f in self.fits)
            applied = sum(f.program.status in APPLIED for f in self.fits)
            listed = (f" Program list: {len(self.fits)} programs, {eligible} eligible, "
                      f"{applied} applied to.")
        if not self.done(stage):
            detail = f"Not applied yet; successful IMG applicants mostly apply to {broad}+." \
                if broad else "Not applied yet."
            return self.pending(entry.id, title, [stage], detail + listed,
                                self.says(entry, "todo"))
        record = self.record(stage)
        if record.programs is None and listed:
            return self.item(entry.id, title, stage, "warn",
                             "ERAS is submitted, but the number of programs is not "
                             f"recorded.{listed}",
                             self.says(entry, "not_recorded", date=record.when))
        if record.programs is None:
            return self.item(entry.id, title, stage, "warn",
                             "ERAS is submitted, but the number of programs is not recorded.",
                             self.says(entry, "not_recorded", date=record.when))
        if broad is None or record.programs >= broad:
            return self.item(entry.id, title, stage, "pass",
                             f"{record.programs} programs.", "")
        return self.item(entry.id, title, stage, "warn",
                         f"{record.programs} programs: successful IMG applicants mostly apply "
                         f"to {broad}+ (a rule of thumb, not a requirement).",
                         self.says(entry, "narrow"))


def _combined(found: list[_Timing]) -> _Timing:
    """Several stages' timings as one. Its stage is the earliest in the pathway among those of
    the worst status, the one to act on first, and its dates and slack are that stage's own
    (as the timeline shows them); the slack a person can use is the least of them all, which
    orders the next actions.
    """
    if not found:
        return _Timing("todo", "", None, None)
    worst = min(found, key=lambda t: SEVERITY[t.status])

    def least(values: Iterable[int | None]) -> int | None:
        return min((v for v in values if v is not None), default=None)

    return dataclasses.replace(worst, start_within=least(t.start_within for t in found))
