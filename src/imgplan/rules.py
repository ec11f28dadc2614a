"""The rules file's shape: key dates, stages, deadlines and thresholds, each with its source.

This module only describes and checks the data; ``cycle`` and ``planner`` use it. The facts
themselves are in ``data/rules.yaml``. Pydantic checks the shape of each entry; ``problems()``
checks what only the whole file can show (unknown ids, loops), so that ``imgplan rules
validate`` can report every problem at once, each with its place in the file.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from imgplan.duration import Duration

FactKind = Literal["official", "secondary", "heuristic"]
Pace = Literal["fast", "typical", "steady"]
Visa = Literal["none", "j1", "h1b", "undecided"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

PACES: tuple[Pace, ...] = ("fast", "typical", "steady")
VISAS: tuple[Visa, ...] = ("none", "j1", "h1b", "undecided")
PHASES = ("foundation", "exams", "profile", "application", "match", "visa", "residency")
# No step of the pathway, gap or offset comes near this. A longer duration is a typo ("9000y",
# "99999999bd") that would otherwise pass validation and then crash the planner with a date
# out of range, or walk business days for minutes.
MAX_DURATION_YEARS = 10


def _to_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{value!r} is not a duration: write e.g. 6m, 4w, 16bd or 10d")
    return Duration.parse(str(value))


DurationField = Annotated[
    Duration, BeforeValidator(_to_duration), PlainSerializer(str, return_type=str)
]
Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    # defer_build: pydantic would otherwise build a validator and a serializer for each of
    # these classes as the module is imported (~25 ms for all of them); deferred, the first
    # ``Rules.model_validate`` builds one validator for the whole file, and the others are
    # built only if something validates or dumps them on their own.
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True,
                              defer_build=True)


class Fact(_Strict):
    """Where a fact comes from. Every date, duration, deadline and threshold carries one."""

    source: Text
    kind: FactKind
    last_verified: date
    note: str | None = None


class CalendarRule(_Strict):
    """A date found on the calendar: e.g. the third Friday of March of the Match year."""

    year: int = Field(0, ge=-3, le=0, description="years relative to the Match year")
    month: int = Field(ge=1, le=12)
    day: int = Field(1, ge=1, le=31)
    weekday: Weekday | None = None
    nth: int = Field(1, ge=1, le=5, description="the nth such weekday on or after the day")
    roll: Literal["next_business_day", "previous_business_day"] | None = None


class RelativeRule(_Strict):
    """A date a fixed distance from another key date: e.g. 16 days before Match Day."""

    from_: Id = Field(alias="from")
    offset: DurationField


class KeyDateRule(Fact):
    id: Id
    name: Text
    time: str | None = None
    rule: Text = Field(description="the estimating rule, in words, shown beside estimated dates")
    estimate: CalendarRule | RelativeRule
    exact: bool = Field(
        False, description="the rule itself is published (residency starts July 1): official"
    )


class PublishedDate(Fact):
    date: date


class Window(_Strict):
    opens: Id | None = None
    closes: Id | None = None
    earliest_finish: Id | None = Field(
        None, description="the stage cannot finish before this key date (ERAS submission opens)"
    )
    span: bool = Field(False, description="the stage lasts from its start until the window closes")
    strict: bool = Field(
        False, description="a recorded date before the window opens does not count for this Match"
    )
    reason: str | None = None


class StageDuration(Fact):
    fast: DurationField
    typical: DurationField
    steady: DurationField

    def for_pace(self, pace: Pace) -> Duration:
        value: Duration = getattr(self, pace)
        return value


class Result(Fact):
    """How long after a stage finishes its result is known (a USMLE score, OET results)."""

    name: Text
    lag: DurationField


class Predecessor(_Strict):
    stage: Id
    wait: Literal["finish", "result"] = Field(
        "finish", description="start after the predecessor finishes, or after its result is out"
    )
    reason: str | None = None


class Deadline(Fact):
    level: Literal["hard", "target"]
    anchor: Id
    offset: DurationField = Field(default_factory=lambda: Duration())
    applies_to: Literal["start", "finish", "result"] = "finish"
    reason: Text = Field(description="what the anchor means for this stage, one line")


class Stage(_Strict):
    id: Id
    short: str | None = Field(None, max_length=24, description="a label for tables and charts")
    name: Text
    phase: Literal["foundation", "exams", "profile", "application", "match", "visa", "residency"]
    description: Text
    advice: str | None = Field(
        None, description="what to do next while the stage is not done, and the imgplan "
        "command that records it (shown by imgplan check)")
    exam: bool = False
    routes: list[Visa] | None = Field(None, description="visa routes the stage applies to")
    duration: StageDuration | None = Field(
        None, description="omitted only for stages that span their window or are milestones"
    )
    result: Result | None = None
    after: list[Predecessor] = Field(default_factory=list)
    not_before_graduation: bool = False
    window: Window | None = None
    deadlines: list[Deadline] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.short or self.name

    def applies(self, visa: Visa) -> bool:
        return self.routes is None or visa in self.routes

    @property
    def spans_window(self) -> bool:
        return self.window is not None and self.window.span


class Threshold(Fact):
    value: int | float | dict[str, int]
    name: Text


class CalendarRange(Fact):
    first_match_year: int = Field(ge=1990, le=2200)
    years_ahead: int = Field(ge=1, le=50)


class Rules(_Strict):
    schema_version: Literal[1]
    calendar: CalendarRange
    key_dates: list[KeyDateRule] = Field(min_length=1)
    published: dict[int, dict[Id, PublishedDate]] = Field(default_factory=dict)
    stages: list[Stage] = Field(min_length=1)
    thresholds: dict[Id, Threshold] = Field(default_factory=dict)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    @property
    def stage_ids(self) -> list[str]:
        return [stage.id for stage in self.stages]

    @property
    def key_date_ids(self) -> list[str]:
        return [rule.id for rule in self.key_dates]


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
        for key_id in dates:
            unknown_key(("published", year, key_id), key_id)

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

    for loc, value in _durations(rules):
        # approx_days counts a month as 30.44 days: a year of 366 keeps "9y12m" a 10-year span
        if abs(value.approx_days()) > MAX_DURATION_YEARS * 366:
            found.append((loc, f"'{value}' is longer than {MAX_DURATION_YEARS} years: no step of "
                               "the pathway takes that long"))

    loop = _find_loop({s.id: [p.stage for p in s.after] for s in rules.stages})
    if loop:
        index = stage_ids.index(loop[0])
        found.append((("stages", index, "after"), f"dependency loop: {' -> '.join(loop)}"))
    return found


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
        found.extend((("stages", index, "deadlines", d_index, "offset"), deadline.offset)
                     for d_index, deadline in enumerate(stage.deadlines))
    return found


def _find_loop(edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle in ``edges`` (node -> the nodes it depends on), as a closed path, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt in edges and state.get(nxt) is None:
                loop = visit(nxt)
                if loop:
                    return loop
        path.pop()
        state[node] = 2
        return None

    for node in edges:
        if state.get(node) is None:
            loop = visit(node)
            if loop:
                return loop
    return None
