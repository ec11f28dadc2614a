"""What-if: one plan per combination of Match year, visa route and pace, side by side.

Each scenario holds the plan and what a person compares: the verdict, the least slack and
where, the first thing that breaks, when the application must be submitted, when each exam
must be started by, the years since graduation at that Match, and the budget's total. The
best is the feasible one soonest, then the one with the most slack; of two alike, the first
given. Not the cheapest: a budget leaves out the fees no stored source prices (H-1B's Step
3), so a cheaper total may only be a less known one. Pure.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from imgplan.core.datatype import datatype
from imgplan.core.planner import Plan

Verdict = Literal["feasible", "eligible but weak", "out of reach"]
EXAMS = ("step1", "step2ck", "oet", "step3")


def verdict_of(plan: Plan) -> Verdict:
    if plan.feasible:
        return "feasible"
    return "eligible but weak" if plan.eligible else "out of reach"


@datatype(frozen=True)
class Scenario:
    plan: Plan
    budget_total_usd: int | None
    years_since_graduation: int | None

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.plan)

    @property
    def least_slack(self) -> tuple[int | None, str | None]:
        """The least slack of the stages still open, and the stage's label."""
        open_stages = [s for s in self.plan.stages if s.slack_days is not None
                       and s.status not in ("done", "closed") and not s.calendar_bound]
        if not open_stages:
            return None, None
        least = min(open_stages, key=lambda s: s.slack_days or 0)
        return least.slack_days, least.label

    @property
    def submit_by(self) -> dt.date | None:
        stage = self.plan.stage("eras")
        return stage.latest_finish if stage is not None and stage.status != "done" else None

    @property
    def exams_by(self) -> list[tuple[str, dt.date]]:
        """(exam label, latest start) of each exam still to take."""
        found = []
        for exam in EXAMS:
            stage = self.plan.stage(exam)
            if stage is not None and stage.status not in ("done", "closed") \
                    and stage.latest_start is not None:
                found.append((stage.label, stage.latest_start))
        return found

    def key(self) -> tuple[int, int, int]:
        rank = {"feasible": 0, "eligible but weak": 1, "out of reach": 2}[self.verdict]
        slack = self.least_slack[0]
        return (rank, self.plan.match_year, -(slack if slack is not None else -10**6))


def best(scenarios: list[Scenario]) -> Scenario | None:
    return min(scenarios, key=Scenario.key) if scenarios else None


def later_year_buys(earlier: Scenario, later: Scenario) -> str | None:
    """What one more year buys on the same route and pace, in a line."""
    if later.plan.match_year != earlier.plan.match_year + 1:
        return None
    parts = []
    for exam in ("step2ck", "step1"):
        a, b = earlier.plan.stage(exam), later.plan.stage(exam)
        if a and b and a.latest_finish and b.latest_finish and a.status not in ("done",):
            days = (b.latest_finish - a.latest_finish).days
            parts.append(f"{a.label} gets {days} more days")
            break
    if later.years_since_graduation is not None:
        parts.append(f"graduation is {later.years_since_graduation} years old by then")
    if not parts:
        return None
    return f"Match {later.plan.match_year} over {earlier.plan.match_year} " \
        f"({later.plan.visa}, {later.plan.pace}): " + "; ".join(parts) + "."
