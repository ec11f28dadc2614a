"""What the core reports beside a plan: findings with stable ids, not strings.

A finding's ``id`` is part of imgplan's public vocabulary (the JSON ``findings``, tests): keep
it stable; its ``message`` is for people and may be reworded. docs/json.md lists the ids.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from imgplan.core.datatype import datatype

Level = Literal["error", "warning", "info"]


@datatype
class Finding:
    """Something the core reports beside a plan, with a stable id."""

    id: str
    level: Level
    message: str
    stage: str | None = None  # the stage it is about
    date: date | None = None  # the day it is about
    days: int | None = None  # where it counts days: late, early, short


# Every id the core reports, and what it means (docs/json.md lists these).
IDS: dict[str, str] = {
    "visa_undecided": "the visa route is undecided: planned as J-1",
    "booking_passed": "a booked exam's date has passed without a result",
    "booked_before_ready": "an exam is booked before what it needs is ready (days: how many "
                           "days before)",
    "record_too_old": "a recorded result is older than this Match accepts; it is planned again",
    "attempt_limit_reached": "a Step's attempts reach the USMLE limit: the pathway is closed",
    "retake_too_soon": "a Step is booked before the USMLE retake rules allow its next sitting "
                       "(date: the booking; days: how early)",
    "outcome_not_recorded": "the Match is over and its outcome is not recorded (date: Match "
                            "Day)",
    "steps_window_lapses": "a Step is planned after ECFMG's window from the first Step passed "
                           "ends (date: the window's end; days: how far after)",
    "rules_stale": "the rules' newest fact was checked longer ago than rules_stale_months "
                   "(date: that day; days: how long ago)",
    "service_unknown": "the data does not say which application service the specialty uses "
                       "for this Match: planned with ERAS's dates",
    "h1b_proclamation": "on the H-1B route: the September 2025 proclamation's $100,000 payment "
                        "on new H-1B petitions, unsettled for residents (a notice in the "
                        "rules: data/rules.yaml `notices`)",
    "deadline_missed": "the plan misses a deadline (error: a hard one; warning: a target; "
                       "date: the planned day; days: how late)",
}
