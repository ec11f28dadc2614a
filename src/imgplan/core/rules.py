"""The rules file's shape: key dates, stages, deadlines and thresholds, each with its source.

This module only describes the data and checks what only the whole file can show (unknown
ids, loops: ``problems()``); ``cycle`` and ``planner`` use it. The facts themselves are in
``data/rules.yaml``. The shape is plain dataclasses with their limits written into each
annotation (``imgplan.core.fields``): ``imgplan.files.checking`` checks a file against them,
and a file checked once is kept as plain data (``imgplan.files.cache``), so a plan is made
without any checking library at all. They are read, never changed: one copy is shared by
every load in a process (they are not frozen only because a frozen class costs twice as much
to define, and that is most of a plan's own start-up). Why not Pydantic models: importing
their machinery costs more than the rest of ``imgplan timeline`` (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from datetime import date
from functools import cached_property
from typing import Annotated, Literal

from imgplan.core.datatype import datatype
from imgplan.core.duration import Duration
from imgplan.core.fields import DurationField, Id, Limits, Text, about

FactKind = Literal["official", "secondary", "heuristic"]
Pace = Literal["fast", "typical", "steady"]
Visa = Literal["none", "j1", "h1b", "undecided"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

PACES: tuple[Pace, ...] = ("fast", "typical", "steady")
VISAS: tuple[Visa, ...] = ("none", "j1", "h1b", "undecided")
# No step of the pathway, gap or offset comes near this. A longer duration is a typo ("9000y",
# "99999999bd") that would otherwise pass validation and then crash the planner with a date
# out of range, or walk business days for minutes.
MAX_DURATION_YEARS = 10
MAX_TOTAL_YEARS = 200
SEASON_YEARS_BEFORE = 2


@datatype(kw_only=True)
class Fact:
    """Where a fact comes from. Every date, duration, deadline and threshold carries one."""

    source: Text
    kind: FactKind
    last_verified: date
    note: str | None = None


@datatype(kw_only=True)
class CalendarRule:
    """A date found on the calendar: e.g. the third Friday of March of the Match year."""

    year: Annotated[int, Limits(ge=-3, le=0)] = field(
        default=0, metadata=about("years relative to the Match year"))
    month: Annotated[int, Limits(ge=1, le=12)]
    day: Annotated[int, Limits(ge=1, le=31)] = 1
    weekday: Weekday | None = None
    nth: Annotated[int, Limits(ge=1, le=5)] = field(
        default=1, metadata=about("the nth such weekday on or after the day"))
    roll: Literal["next_business_day", "previous_business_day"] | None = None


@datatype(kw_only=True)
class RelativeRule:
    """A date a fixed distance from another key date: e.g. 16 days before Match Day."""

    from_: Id
    offset: DurationField


@datatype(kw_only=True)
class KeyDateRule(Fact):
    """A key date of every Match cycle, and the rule that estimates it."""

    id: Id
    name: Text
    time: str | None = None
    rule: Text = field(metadata=about(
        "the estimating rule, in words, shown beside estimated dates"))
    estimate: CalendarRule | RelativeRule
    exact: bool = field(default=False, metadata=about(
        "the rule itself is published (residency starts July 1): official"))
    service: Id | None = field(default=None, metadata=about(
        "the application service whose date this is (eras, residencycas, psca): a plan uses "
        "only its own service's dates"))


@datatype(kw_only=True)
class PublishedDate(Fact):
    """A key date as published for one Match year."""

    date: date


@datatype(kw_only=True)
class Window:
    """When a stage can happen in a cycle: the key dates that open and close it."""

    opens: Id | None = None
    closes: Id | None = None
    earliest_finish: Id | None = field(default=None, metadata=about(
        "the stage cannot finish before this key date (ERAS submission opens)"))
    span: bool = field(default=False, metadata=about(
        "the stage lasts from its start until the window closes"))
    strict: bool = field(default=False, metadata=about(
        "a recorded date before the window opens does not count for this Match"))
    closes_level: Literal["hard", "target"] = field(default="hard", metadata=about(
        "what its closing is: a rule (hard) or the usual end of a season (target)"))
    reason: str | None = None


@datatype(kw_only=True)
class StageDuration(Fact):
    """How long a stage takes at each pace."""

    fast: DurationField
    typical: DurationField
    steady: DurationField

    def for_pace(self, pace: Pace) -> Duration:
        value: Duration = getattr(self, pace)
        return value


@datatype(kw_only=True)
class PassingStandard(Fact):
    """The lowest passing score for exams taken on or after a day."""

    from_: date = field(metadata=about("the first exam day it applies to"))
    score: Annotated[int, Limits(ge=1)] = field(metadata=about("the lowest passing score"))


@datatype(kw_only=True)
class Result(Fact):
    """How long after a stage finishes its result is known (a USMLE score, OET results)."""

    name: Text
    lag: DurationField
    scored_until: date | None = field(default=None, metadata=about(
        "the last exam day with a numeric score (Step 1 is pass/fail after it)"))
    passing: list[PassingStandard] = field(default_factory=list, metadata=about(
        "the passing standards by the day they start: a pass below the one in force is "
        "refused"))

    def passing_score(self, day: date) -> int | None:
        """The standard in force on ``day``; None before the first one the rules know."""
        known = [p for p in self.passing if p.from_ <= day]
        return max(known, key=lambda p: p.from_).score if known else None


@datatype(kw_only=True)
class Predecessor:
    """A stage that must finish (or have its result out) before this one starts."""

    stage: Id
    wait: Literal["finish", "result"] = field(default="finish", metadata=about(
        "start after the predecessor finishes, or after its result is out"))
    implied: bool = field(default=False, metadata=about(
        "this stage cannot happen without the predecessor: recorded, it shows it done"))
    holds: bool = field(default=False, metadata=about(
        "even once under way, this stage finishes only after the predecessor (a letter "
        "is written after the rotation it speaks of)"))
    reason: str | None = None


@datatype(kw_only=True)
class Deadline(Fact):
    """A date a stage must start, finish or have its result by, anchored on a key date."""

    level: Literal["hard", "target"]
    anchor: Id
    offset: DurationField = field(default_factory=Duration)
    applies_to: Literal["start", "finish", "result"] = "finish"
    reason: Text = field(metadata=about("what the anchor means for this stage, one line"))
    service: Id | None = field(default=None, metadata=about(
        "only for a person applying through this service (its own deadline)"))


@datatype(kw_only=True)
class GraduationWait(Fact):
    """How long after graduation a stage can start at the earliest."""

    length: DurationField


@datatype(kw_only=True)
class Stage:
    """One step of the pathway."""

    id: Id
    short: Annotated[str, Limits(max_length=24)] | None = field(
        default=None, metadata=about("a label for tables and charts"))
    name: Text
    phase: Literal["foundation", "exams", "profile", "application", "match", "visa", "residency"]
    description: Text
    advice: str | None = field(default=None, metadata=about(
        "what to do next while the stage is not done, and the imgplan command that records "
        "it (shown by imgplan check)"))
    exam: bool = False
    usmle: bool = field(default=False, metadata=about(
        "a USMLE Step: the attempt limit and the three-digit score scale apply"))
    routes: list[Visa] | None = field(default=None, metadata=about(
        "visa routes the stage applies to"))
    duration: StageDuration | None = field(default=None, metadata=about(
        "omitted only for stages that span their window or are milestones"))
    result: Result | None = None
    after: list[Predecessor] = field(default_factory=list)
    not_before_graduation: bool = False
    graduation_wait: GraduationWait | None = field(default=None, metadata=about(
        "it starts this long after graduation at the earliest (FSMB verifies graduation "
        "up to 12 weeks after it)"))
    window: Window | None = None
    deadlines: list[Deadline] = field(default_factory=list)
    renews: bool = field(default=False, metadata=about(
        "done once per Match cycle (ERAS, the rank list): after an unmatched Match it is "
        "done again for the next one"))
    renewal: str | None = field(default=None, metadata=about(
        "what to know when the stage is done again for the next Match, with its source"))
    outcomes: list[Id] = field(default_factory=list, metadata=about(
        "what the stage can end in, recorded with imgplan mark (the Match: matched or "
        "unmatched)"))

    @property
    def label(self) -> str:
        return self.short or self.name

    def applies(self, visa: Visa) -> bool:
        return self.routes is None or visa in self.routes

    @property
    def spans_window(self) -> bool:
        return self.window is not None and self.window.span


@datatype(kw_only=True)
class Threshold(Fact):
    """A number the checks compare with: a minimum score, a count."""

    value: int | float | dict[str, int]
    name: Text


@datatype(kw_only=True)
class Retakes(Fact):
    """When a USMLE Step may be sat again (incomplete attempts count as sittings)."""

    most_within: Annotated[int, Limits(ge=1)] = field(metadata=about(
        "sittings of one Step allowed within the period below"))
    within: DurationField = field(metadata=about("that period (12m)"))
    spaced_from: Annotated[int, Limits(ge=2)] = field(metadata=about(
        "the attempt from which the two spacings below apply (the 4th)"))
    after_first: DurationField = field(metadata=about("that attempt comes this long after "
                                                      "the first attempt at least"))
    after_last: DurationField = field(metadata=about("and this long after the most recent"))


@datatype(kw_only=True)
class StepsWindow(Fact):
    """ECFMG: once one USMLE Step is passed, the other Steps certification needs must be
    passed within this time."""

    length: DurationField = field(metadata=about("how long (7y)"))
    certification: Id = field(metadata=about(
        "the certification stage: its USMLE predecessors are the Steps the window covers"))


@datatype(kw_only=True)
class ServiceStage:
    """How the application stage reads for one service: its own words and command."""

    name: Text
    short: Annotated[str, Limits(max_length=24)] | None = None
    description: Text
    advice: str | None = None


@datatype(kw_only=True)
class FeeTier:
    """One band of a service's price: the programs up to ``up_to`` (the rest, without it)."""

    up_to: Annotated[int, Limits(ge=1)] | None = field(default=None, metadata=about(
        "the last program of the band (none: every program after the previous band)"))
    flat: Annotated[int, Limits(ge=0)] | None = field(default=None, metadata=about(
        "the band's price in whole US dollars, whatever the number of programs in it"))
    each: Annotated[int, Limits(ge=0)] | None = field(default=None, metadata=about(
        "the price of each program in the band, in whole US dollars"))


@datatype(kw_only=True)
class ServiceFees(Fact):
    """What applying through a service cost in one season, by the number of programs."""

    match_year: Annotated[int, Limits(ge=1990, le=2200)] = field(metadata=about(
        "the Match the season leads to"))
    per: Literal["specialty", "application"] = field(default="application", metadata=about(
        "whether the bands start again with each specialty applied to (ERAS)"))
    tiers: Annotated[list[FeeTier], Limits(min_length=1)]

    def cost(self, programs: int) -> int:
        """What applying to ``programs`` programs (of one specialty) cost, in US dollars."""
        total, done = 0, 0
        for tier in self.tiers:
            if done >= programs:
                break
            last = programs if tier.up_to is None else min(programs, tier.up_to)
            total += tier.flat if tier.flat is not None else (tier.each or 0) * (last - done)
            done = last
        return total


@datatype(kw_only=True)
class Service(Fact):
    """An application service (ERAS, ResidencyCAS, PSCA): its own key dates stand in for
    ERAS's, and its own words for the application stage."""

    id: Id
    name: Text = field(metadata=about("as a person says it: ResidencyCAS"))
    full_name: Text
    stage: Id = field(metadata=about("the application stage it is the service of (eras)"))
    stage_text: ServiceStage | None = field(default=None, metadata=about(
        "that stage's words with this service (without it: the stage's own)"))
    stands_for: dict[Id, Id] = field(default_factory=dict, metadata=about(
        "an ERAS key date -> this service's key date that takes its place"))
    fees: list[ServiceFees] = field(default_factory=list, metadata=about(
        "its prices by season, newest last (a later season is estimated from the newest)"))
    signals: str | None = field(default=None, metadata=about(
        "how many program signals it allows, where one count holds for every specialty on "
        "it (ERAS's differ by specialty: data/specialties.yaml)"))


@datatype(kw_only=True)
class FeeAmount(Fact):
    """What one fee was in one year, as a source gives it."""

    year: Annotated[int, Limits(ge=1990, le=2200)] = field(metadata=about(
        "the year it applied (a season's fee: the Match year)"))
    usd: Annotated[int, Limits(ge=0)] | None = field(default=None, metadata=about(
        "in whole US dollars; none when the source gives another currency (see text)"))
    text: str | None = field(default=None, metadata=about(
        "the amount as the source gives it, where it is not in US dollars (AUD 587)"))


@datatype(kw_only=True)
class Fee:
    """A fee the pathway costs, dated by a stage of the plan; its amounts by year, newest
    last (a later year is estimated from the newest, and labelled so)."""

    id: Id = field(metadata=about("the fee's id, as the budget's JSON names it"))
    name: Text = field(metadata=about("as a person reads it: USMLE Step 1 exam fee"))
    stage: Id = field(metadata=about("the stage whose planned dates date it"))
    paid: Literal["start", "finish"] = field(default="start", metadata=about(
        "paid when the stage starts (a registration) or when it finishes (a submission)"))
    season: bool = field(default=False, metadata=about(
        "its amounts are by Match season (a Pathways year, an ERAS token), not by the year "
        "it is paid in"))
    per_rank_over: Annotated[int, Limits(ge=0)] | None = field(default=None, metadata=about(
        "priced per program ranked beyond this many (NRMP's extra ranks); listed only when "
        "the program list says how many are ranked"))
    per_sitting: bool = field(default=False, metadata=about(
        "paid again for each sitting of an exam (a retake is a new registration)"))
    routes: list[Id] = field(default_factory=list, metadata=about(
        "only on these visa routes (empty: every route)"))
    payer: str | None = field(default=None, metadata=about(
        "who usually pays, where it is not the applicant"))
    amounts: list[FeeAmount] = field(default_factory=list, metadata=about(
        "what sources say it was, oldest first; empty: no amount is stored (the budget says "
        "so rather than guess)"))
    note: str | None = field(default=None, metadata=about(
        "what a person should know about it, shown beside it in the budget"))


MonthDay = Annotated[str, Limits(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


@datatype(kw_only=True)
class ScoreBlackouts(Fact):
    """Weeks in which USMLE releases no scores: a score due in one comes out after it."""

    weeks_of: list[MonthDay] = field(metadata=about(
        "the days (MM-DD) whose week, Monday to Sunday, releases no scores"))


@datatype(kw_only=True)
class Notice(Fact):
    """Something every plan on a route must say (a finding with this id)."""

    id: Id
    routes: list[Visa] = field(metadata=about("the visa routes it concerns"))
    level: Literal["error", "warning", "info"] = "warning"
    message: Text


CheckKind = Literal["ecfmg", "step2ck_score", "usce", "lors", "confirmation", "visa_strategy",
                    "oet", "usmle_attempts", "school_listed", "step3", "eras_early", "programs",
                    "graduation_years"]


@datatype(kw_only=True)
class ChecklistItem(Fact):
    """One item of the readiness review: its words here, its logic in imgplan's check."""

    id: Id = field(metadata=about("the item id in imgplan check's output (and imgplan confirm)"))
    check: CheckKind = field(metadata=about("which of imgplan's checks reviews the item"))
    stage: Id | None = field(default=None, metadata=about(
        "the stage whose dates (due, slack) the item takes from the plan"))
    seed: bool = field(default=False, metadata=about(
        "on the seed guide's readiness checklist (else an official rule)"))
    title: Text = field(metadata=about(
        "may name a threshold, {specialty} or {floors}, filled in from the rules"))
    title_plain: str | None = field(default=None, metadata=about(
        "the title when a value it names is missing from the rules file"))
    advice: dict[Id, Text] = field(default_factory=dict, metadata=about(
        "what to do, per situation the check tells apart (may name {date})"))
    completes: bool = field(default=False, metadata=about(
        "confirming the item completes its stage (the statement reviewed: the documents)"))


@datatype(kw_only=True)
class CalendarRange(Fact):
    """The Match years imgplan can compute, and what closes a Match."""

    first_match_year: Annotated[int, Limits(ge=1990, le=2200)]
    years_ahead: Annotated[int, Limits(ge=1, le=50)]
    closes: Id = field(metadata=about(
        "the key date after which a Match can no longer be entered: its last door"))
    closes_name: Text = field(metadata=about("that key date in a sentence ('its ... was')"))
    entered_by: Id | None = field(default=None, metadata=about(
        "the stage that, done by the closing date, keeps that Match planned after it closes, "
        "until residency starts (the rank-order list certified)"))


@datatype(kw_only=True)
class Rules:
    """The whole rules file."""

    schema_version: Literal[1]
    calendar: CalendarRange
    key_dates: Annotated[list[KeyDateRule], Limits(min_length=1)]
    published: dict[int, dict[Id, PublishedDate]] = field(default_factory=dict)
    stages: Annotated[list[Stage], Limits(min_length=1)]
    thresholds: dict[Id, Threshold] = field(default_factory=dict)
    checklist: list[ChecklistItem] = field(default_factory=list, metadata=about(
        "the readiness review's items, in the order imgplan check lists them"))
    official_sites: list[str] = field(default_factory=list, metadata=about(
        "the sites of the bodies that set the dates (nrmp.org, aamc.org, ...): a key date "
        "marked official must cite one"))
    retakes: Retakes | None = field(default=None, metadata=about(
        "the USMLE rules on sitting a Step again"))
    steps_window: StepsWindow | None = field(default=None, metadata=about(
        "ECFMG's window for passing the remaining Steps once one is passed"))
    score_blackouts: ScoreBlackouts | None = field(default=None, metadata=about(
        "the weeks USMLE releases no scores"))
    notices: list[Notice] = field(default_factory=list, metadata=about(
        "what a plan on a visa route must say, with its source"))
    services: list[Service] = field(default_factory=list, metadata=about(
        "the application services; the first is the one a person without a specialty "
        "applies through"))
    fees: list[Fee] = field(default_factory=list, metadata=about(
        "the fees the pathway costs besides the application services' (imgplan budget)"))

    def newest_verified(self) -> date:
        """The newest ``last_verified`` of the rules' facts: how current the data is."""
        facts: list[Fact] = [*self.key_dates, *self.thresholds.values(), *self.checklist,
                             self.calendar]
        facts += [fact for year in self.published.values() for fact in year.values()]
        for stage in self.stages:
            facts += [*stage.deadlines, *([stage.duration] if stage.duration else []),
                      *([stage.graduation_wait] if stage.graduation_wait else []),
                      *([stage.result] if stage.result else [])]
        facts += [fact for fact in (self.retakes, self.steps_window) if fact is not None]
        facts += [*self.services, *self.notices]
        facts += [fees for service in self.services for fees in service.fees]
        facts += [amount for fee in self.fees for amount in fee.amounts]
        facts += [self.score_blackouts] if self.score_blackouts is not None else []
        return max(fact.last_verified for fact in facts)

    def stage(self, stage_id: str) -> Stage:
        found = self.stages_by_id.get(stage_id)
        if found is None:
            raise KeyError(stage_id)
        return found

    @cached_property
    def stages_by_id(self) -> dict[str, Stage]:
        """The stages by id (the first of an id, should a file hold two, as validation reports
        it): read for each stage of each of a cohort's rows. Made once: the rules are never
        changed once read."""
        return {stage.id: stage for stage in reversed(self.stages)}

    @property
    def stage_ids(self) -> list[str]:
        return [stage.id for stage in self.stages]

    @property
    def key_date_ids(self) -> list[str]:
        return [rule.id for rule in self.key_dates]

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


# Every class the rules are made of: what the cache may rebuild, and nothing else.
PARTS: tuple[type, ...] = (
    CalendarRule, RelativeRule, KeyDateRule, PublishedDate, Window, StageDuration,
    PassingStandard, Result, Retakes, StepsWindow, ServiceStage, FeeTier, ServiceFees, Service,
    FeeAmount, Fee,
    GraduationWait,
    ScoreBlackouts, Notice,
    Predecessor, Deadline, Stage, Threshold, ChecklistItem, CalendarRange, Rules, Duration)


Loc = tuple[str | int, ...]


def problems(rules: Rules) -> list[tuple[Loc, str]]:
    """Everything wrong with ``rules`` that one entry alone cannot show, with its location."""
    found: list[tuple[Loc, str]] = []
    key_ids = rules.key_date_ids
    stage_ids = rules.stage_ids
    known_keys = set(key_ids)
    known_stages = set(stage_ids)

    for ids, where in ((key_ids, "key_dates"), (stage_ids, "stages")):
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                found.append(((where, index, "id"), f"'{item_id}' is defined twice"))
            seen.add(item_id)

    def unknown_key(loc: Loc, key_id: str | None) -> None:
        if key_id is not None and key_id not in known_keys:
            found.append((loc, f"unknown key date '{key_id}' (known: {', '.join(key_ids)})"))

    for index, rule in enumerate(rules.key_dates):
        if isinstance(rule.estimate, RelativeRule):
            unknown_key(("key_dates", index, "estimate", "from"), rule.estimate.from_)
    loop = _find_loop({r.id: [r.estimate.from_] for r in rules.key_dates
                       if isinstance(r.estimate, RelativeRule)})
    if loop:
        index = key_ids.index(loop[0])
        found.append((("key_dates", index, "estimate"), f"key dates loop: {' -> '.join(loop)}"))

    for year, dates in rules.published.items():
        for key_id, fact in dates.items():
            unknown_key(("published", year, key_id), key_id)
            # Every date of a season falls between two years before its Match (ERAS opens in
            # the June before the Match's year) and the end of the Match's year; found by the
            # fault review, a date typed as 9999 planned past the last day Python knows.
            first, last = year - SEASON_YEARS_BEFORE, year
            if not first <= fact.date.year <= last:
                found.append((("published", year, key_id, "date"),
                              f"{fact.date} is not in the Match {year} season (a date from "
                              f"{first} to {last} is expected)"))

    for index, stage in enumerate(rules.stages):
        for p_index, pred in enumerate(stage.after):
            if pred.stage not in known_stages:
                found.append(((("stages", index, "after", p_index, "stage")),
                               f"unknown stage '{pred.stage}' (known: {', '.join(stage_ids)})"))
            elif pred.stage == stage.id:
                found.append((("stages", index, "after", p_index, "stage"),
                              f"stage '{stage.id}' cannot come after itself"))
            elif pred.wait == "result" and rules.stage(pred.stage).result is None:
                found.append((("stages", index, "after", p_index, "wait"),
                              f"'{pred.stage}' has no result to wait for"))
        for d_index, deadline in enumerate(stage.deadlines):
            unknown_key(("stages", index, "deadlines", d_index, "anchor"), deadline.anchor)
            if deadline.applies_to == "result" and stage.result is None:
                found.append((("stages", index, "deadlines", d_index, "applies_to"),
                              f"stage '{stage.id}' has no result"))
        if stage.window is not None:
            for name in ("opens", "closes", "earliest_finish"):
                unknown_key(("stages", index, "window", name), getattr(stage.window, name))
            if stage.window.span and stage.window.closes is None:
                found.append((("stages", index, "window", "closes"),
                              "a stage that spans its window needs the key date that closes it"))
        if stage.duration is None and not stage.spans_window:
            found.append((("stages", index, "duration"),
                          "missing: every stage that does not span a window needs a duration"))
        if stage.duration is not None:
            for pace in PACES:
                value = stage.duration.for_pace(pace)
                if value.negative:
                    found.append((("stages", index, "duration", pace),
                                  f"'{value}' is negative: a stage cannot take less than no time"))
            lengths = [stage.duration.for_pace(p).approx_days() for p in PACES]
            if not lengths[0] <= lengths[1] <= lengths[2]:
                found.append((("stages", index, "duration"),
                              "fast <= typical <= steady is expected"))
        if stage.result is not None and stage.result.lag.negative:
            found.append((("stages", index, "result", "lag"), "a result cannot come before it"))

    every = _durations(rules)
    too_long = [(loc, value) for loc, value in every
                # approx_days counts a month as 30.44 days: a year of 366 keeps "9y12m" a
                # 10-year span
                if abs(value.approx_days()) > MAX_DURATION_YEARS * 366]
    found += [(loc, f"'{value}' is longer than {MAX_DURATION_YEARS} years: no step of the "
                    "pathway takes that long") for loc, value in too_long]
    # Each step under ten years, but hundreds of them in a chain would still plan centuries
    # away (found by the fault review: 798 stages of ten years); the packaged rules' durations,
    # every pace and offset counted, add up to about 17 years.
    total = sum(abs(value.approx_days()) for _, value in every) / 365.25
    if total > MAX_TOTAL_YEARS and not too_long:
        found.append((("stages",), f"the durations add up to {total:,.0f} years, more than "
                                   f"{MAX_TOTAL_YEARS}: no pathway takes that long"))
    for index, stage in enumerate(rules.stages):
        if stage.routes is not None and not stage.routes:
            found.append((("stages", index, "routes"), "is empty: a stage for no visa route is "
                          "never planned; name its routes, or remove the stage"))

    unknown_key(("calendar", "closes"), rules.calendar.closes)
    found += _official_sources(rules)
    if rules.calendar.entered_by is not None and rules.calendar.entered_by not in known_stages:
        found.append((("calendar", "entered_by"),
                      f"unknown stage '{rules.calendar.entered_by}'"))
    if rules.steps_window is not None and rules.steps_window.certification not in known_stages:
        found.append((("steps_window", "certification"),
                      f"unknown stage '{rules.steps_window.certification}'"))
    seen_items: set[str] = set()
    for index, item in enumerate(rules.checklist):
        if item.id in seen_items:
            found.append((("checklist", index, "id"), f"'{item.id}' is defined twice"))
        seen_items.add(item.id)
        if item.stage is not None and item.stage not in known_stages:
            found.append((("checklist", index, "stage"),
                          f"unknown stage '{item.stage}' (known: {', '.join(stage_ids)})"))
    found += _service_problems(rules, unknown_key)
    found += _fee_problems(rules, known_stages)
    loop = _find_loop({s.id: [p.stage for p in s.after] for s in rules.stages})
    if loop:
        index = stage_ids.index(loop[0])
        found.append((("stages", index, "after"), f"dependency loop: {' -> '.join(loop)}"))
    return found


def _fee_problems(rules: Rules, known_stages: set[str]) -> list[tuple[Loc, str]]:
    """Fees that name an unknown stage or route, are defined twice, or give no amount."""
    found: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for index, fee in enumerate(rules.fees):
        if fee.id in seen:
            found.append((("fees", index, "id"), f"'{fee.id}' is defined twice"))
        seen.add(fee.id)
        if fee.stage not in known_stages:
            found.append((("fees", index, "stage"), f"unknown stage '{fee.stage}'"))
        for route in fee.routes:
            if route not in ("none", "j1", "h1b"):
                found.append((("fees", index, "routes"), f"unknown visa route '{route}'"))
        years = [amount.year for amount in fee.amounts]
        if years != sorted(years):
            found.append((("fees", index, "amounts"), "amounts are listed oldest first"))
        for a_index, amount in enumerate(fee.amounts):
            if amount.usd is None and not amount.text:
                found.append((("fees", index, "amounts", a_index),
                              "give usd, or text for an amount in another currency"))
    return found


def _service_problems(rules: Rules, unknown_key: Callable[[Loc, str | None], None]
                      ) -> list[tuple[Loc, str]]:
    """Services that name unknown stages or key dates, and dates or deadlines that name an
    unknown service."""
    found: list[tuple[Loc, str]] = []
    known = [service.id for service in rules.services]

    def unknown_service(loc: Loc, service_id: str | None) -> None:
        if service_id is not None and service_id not in known:
            found.append((loc, f"unknown service '{service_id}' (known: "
                               f"{', '.join(known) or 'none: add services'})"))

    for index, service in enumerate(rules.services):
        for f_index, fees in enumerate(service.fees):
            loc: Loc = ("services", index, "fees", f_index, "tiers")
            ups = [tier.up_to for tier in fees.tiers]
            bounded = [up for up in ups if up is not None]
            if None in ups[:-1] or bounded != sorted(set(bounded)):
                found.append((loc, "each band but the last needs up_to, in rising order"))
            for t_index, tier in enumerate(fees.tiers):
                if (tier.flat is None) == (tier.each is None):
                    found.append(((*loc, t_index), "give a band flat or each, not both"))
        if service.id in known[:index]:
            found.append((("services", index, "id"), f"'{service.id}' is defined twice"))
        if service.stage not in rules.stage_ids:
            found.append((("services", index, "stage"), f"unknown stage '{service.stage}'"))
        for replaced, own in service.stands_for.items():
            unknown_key(("services", index, "stands_for", replaced), replaced)
            unknown_key(("services", index, "stands_for", replaced), own)
    for index, rule in enumerate(rules.key_dates):
        unknown_service(("key_dates", index, "service"), rule.service)
    for index, stage in enumerate(rules.stages):
        for d_index, deadline in enumerate(stage.deadlines):
            unknown_service(("stages", index, "deadlines", d_index, "service"), deadline.service)
    return found


def _official_sources(rules: Rules) -> list[tuple[Loc, str]]:
    """Key dates marked official whose source is not the site of the body that sets them: a
    date found on a university page or a prep blog is published, but secondary."""
    sites = [site.lower() for site in rules.official_sites]
    if not sites:
        return []
    entries: list[tuple[Loc, str]] = [(("key_dates", i, "kind"), rule.source)
                                      for i, rule in enumerate(rules.key_dates)
                                      if rule.kind == "official"]
    entries += [(("published", year, key_id, "kind"), fact.source)
                for year, facts in rules.published.items() for key_id, fact in facts.items()
                if fact.kind == "official"]
    return [(loc, f"marked official, but its source is not the site of the body that sets "
                  f"it ({', '.join(rules.official_sites)}): use kind: secondary")
            for loc, source in entries if not any(site in source.lower() for site in sites)]


def _durations(rules: Rules) -> list[tuple[Loc, Duration]]:
    """Every duration of the rules file, with its location."""
    found: list[tuple[Loc, Duration]] = []
    for index, rule in enumerate(rules.key_dates):
        if isinstance(rule.estimate, RelativeRule):
            found.append((("key_dates", index, "estimate", "offset"), rule.estimate.offset))
    for index, stage in enumerate(rules.stages):
        if stage.duration is not None:
            found.extend((("stages", index, "duration", pace), stage.duration.for_pace(pace))
                         for pace in PACES)
        if stage.result is not None:
            found.append((("stages", index, "result", "lag"), stage.result.lag))
        if stage.graduation_wait is not None:
            found.append((("stages", index, "graduation_wait", "length"),
                          stage.graduation_wait.length))
        found.extend((("stages", index, "deadlines", d_index, "offset"), deadline.offset)
                     for d_index, deadline in enumerate(stage.deadlines))
    if rules.retakes is not None:
        found.extend((("retakes", name), getattr(rules.retakes, name))
                     for name in ("within", "after_first", "after_last"))
    if rules.steps_window is not None:
        found.append((("steps_window", "length"), rules.steps_window.length))
    return found


def _find_loop(edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle in ``edges`` (node -> the nodes it depends on), as a closed path, or None.

    Depth-first with a stack of its own, not recursion: found by the fault review, a rules
    file chaining a thousand stages one after another ran past Python's recursion limit.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in edges:
        if state.get(start) is not None:
            continue
        path = [start]
        state[start] = 1
        pending = [iter(edges.get(start, []))]
        while pending:
            for nxt in pending[-1]:
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt):], nxt]
                if nxt in edges and state.get(nxt) is None:
                    state[nxt] = 1
                    path.append(nxt)
                    pending.append(iter(edges.get(nxt, [])))
                    break
            else:  # every node it depends on is done: so is it
                state[path.pop()] = 2
                pending.pop()
    return None
