"""What a plan rests on, and how old that knowledge is.

Every fact in the rules carries its source, its kind and the day it was last checked. This
module lists the facts one plan uses (its cycle's key dates, the stages on its route with
their durations, results and deadlines, the thresholds, the USMLE rules, its application
service, its notices), by basis and age, so that a person can re-check the oldest first; and
says when the newest check is so old that the plan may rest on a past season's rules. Pure:
rules, a plan and ``today`` in.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from dateutil.relativedelta import relativedelta

from imgplan.core.datatype import datatype
from imgplan.core.findings import Finding

if TYPE_CHECKING:
    from imgplan.core.planner import Plan
    from imgplan.core.rules import Fact, Rules

# official: from the body that sets it; secondary: published, found in a secondary source;
# estimated: a key date from the cycle's pattern; heuristic: a rule of thumb or imgplan's
# own margin. The order a person re-checks them in: what a plan most relies on first.
FactBasis = Literal["official", "secondary", "estimated", "heuristic"]
BASES: tuple[FactBasis, ...] = ("official", "secondary", "estimated", "heuristic")


@datatype(frozen=True)
class SourcedFact:
    """One fact a plan uses, where it comes from and when it was checked."""

    id: str  # where it is in the rules file: key_dates.match_day, stages.step1.duration
    what: str  # what it says, for a person
    basis: FactBasis
    source: str
    last_verified: date

    def age_days(self, today: date) -> int:
        return (today - self.last_verified).days


# Each rules object's newest check, asked once per plan: kept (a cohort makes a thousand plans),
# the rules beside it so that their id is not reused while cached.
_NEWEST: dict[int, tuple[Rules, date, date]] = {}


def stale_finding(rules: Rules, today: date) -> Finding | None:
    """``rules_stale`` when the newest check of the rules' facts is more than
    ``rules_stale_months`` before ``today``: the plan may rest on an earlier season's rules."""
    months = rules.thresholds.get("rules_stale_months")
    if months is None or not isinstance(months.value, int):
        return None
    kept = _NEWEST.get(id(rules))
    if kept is None:
        newest = rules.newest_verified()
        kept = _NEWEST[id(rules)] = (rules, newest, newest + relativedelta(months=months.value))
    verified, stale_after = kept[1], kept[2]
    if today <= stale_after:
        return None
    return Finding(
        "rules_stale", "warning",
        f"imgplan's rules were last checked against their sources on {verified}, more "
        f"than {months.value} months ago: dates, fees and rules may have changed. Update "
        "imgplan (pipx upgrade imgplan), and confirm every date with NRMP, AAMC and ECFMG "
        "('imgplan rules sources' lists what this plan rests on, oldest first).",
        date=verified, days=(today - verified).days)


def plan_facts(rules: Rules, planned: Plan) -> list[SourcedFact]:
    """The facts ``planned`` rests on (``rules`` as its service reads them), by basis, then
    oldest first."""
    found: list[SourcedFact] = []
    published = rules.published.get(planned.match_year, {})
    for key_id, key_date in planned.key_dates.items():
        if key_date.last_verified is None:
            continue
        when = f"{key_date.name}: {key_date.date}"
        if key_date.estimated:
            when += f" (rule: {key_date.rule})"
        where = f"published.{planned.match_year}.{key_id}" if key_id in published \
            else f"key_dates.{key_id}"
        found.append(SourcedFact(where, when, key_date.basis, key_date.source,
                                 key_date.last_verified))
    on_route = {stage.id for stage in planned.stages}
    for stage in rules.stages:
        if stage.id not in on_route:
            continue
        if stage.duration is not None:
            d = stage.duration
            found.append(_fact(f"stages.{stage.id}.duration",
                               f"{stage.name} takes {d.fast} / {d.typical} / {d.steady} "
                               "(fast / typical / steady)", d))
        if stage.result is not None:
            found.append(_fact(f"stages.{stage.id}.result",
                               f"{stage.name}: its {stage.result.name} {stage.result.lag} "
                               "after it", stage.result))
            for index, standard in enumerate(stage.result.passing):
                found.append(_fact(f"stages.{stage.id}.result.passing.{index}",
                                   f"{stage.name} passes at {standard.score} from "
                                   f"{standard.from_}", standard))
        if stage.graduation_wait is not None:
            found.append(_fact(f"stages.{stage.id}.graduation_wait",
                               f"{stage.name} starts {stage.graduation_wait.length} after "
                               "graduation at the earliest", stage.graduation_wait))
        for index, deadline in enumerate(stage.deadlines):
            offset = "" if deadline.offset.is_zero else f" {deadline.offset}"
            found.append(_fact(f"stages.{stage.id}.deadlines.{index}",
                               f"{stage.name}: {deadline.level}, {deadline.applies_to} by "
                               f"{deadline.anchor}{offset} ({deadline.reason})", deadline))
    for key, threshold in rules.thresholds.items():
        found.append(_fact(f"thresholds.{key}", f"{threshold.name}: {threshold.value}",
                           threshold))
    if rules.retakes is not None:
        found.append(_fact("retakes", "when a USMLE Step may be sat again", rules.retakes))
    if rules.steps_window is not None:
        found.append(_fact("steps_window", f"ECFMG's {rules.steps_window.length} to pass the "
                           "other Steps once one is passed", rules.steps_window))
    if rules.score_blackouts is not None:
        found.append(_fact("score_blackouts", "the weeks USMLE releases no scores (around "
                           f"{', '.join(rules.score_blackouts.weeks_of)})",
                           rules.score_blackouts))
    service = planned.application_service
    if service is not None:
        found.append(_fact(f"services.{service.id}", f"{service.name}: {service.full_name}",
                           service))
    route = "j1" if planned.visa == "undecided" else planned.visa
    for notice in rules.notices:
        if route in notice.routes:
            found.append(_fact(f"notices.{notice.id}", notice.message, notice))
    found.append(_fact("calendar", f"the Match calendar's pattern from Match "
                       f"{rules.calendar.first_match_year}", rules.calendar))
    return sorted(found, key=lambda f: (BASES.index(f.basis), f.last_verified, f.id))


def _fact(where: str, what: str, fact: Fact) -> SourcedFact:
    return SourcedFact(where, what, fact.kind, fact.source, fact.last_verified)
