"""Fit, program by program: would this program take this person, by what it states?

Each reason has an id (``visa``, ``graduation_year``, ``step2ck``, ``usce``, ``attempts``,
``unknown``) and a level: ``excluded`` (a stated requirement the person does not meet) or
``warning`` (a ``preferred`` requirement not met, or a field the list leaves unknown). Pure:
a program, the person's profile and the Match year in, the fit out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import field
from typing import Literal

from imgplan.core.datatype import datatype
from imgplan.core.profile import Profile
from imgplan.core.programs import Program

Level = Literal["excluded", "warning"]
USMLE_STEPS = ("step1", "step2ck", "step3")
# A month of clinical experience as days: the average Gregorian month (365.25 / 12), so that
# three calendar months of rotation count as 3. imgplan's convention, not a program's rule.
DAYS_PER_MONTH = 30.4375


@datatype(frozen=True)
class Reason:
    id: str
    level: Level
    message: str
    field: str | None = None  # for ``unknown``: the column the list leaves empty


@datatype(frozen=True)
class Fit:
    program: Program
    reasons: list[Reason] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not any(r.level == "excluded" for r in self.reasons)

    @property
    def verdict(self) -> Literal["eligible", "excluded", "unknown"]:
        """excluded by a stated requirement; unknown when a field it needs is missing."""
        if not self.eligible:
            return "excluded"
        return "unknown" if any(r.id == "unknown" for r in self.reasons) else "eligible"


def years_since_graduation(graduation: dt.date, match_year: int) -> int:
    """Whole years from graduation to July 1 of the Match year (when residency starts)."""
    start = dt.date(match_year, 7, 1)
    years = start.year - graduation.year
    return years - ((start.month, start.day) < (graduation.month, graduation.day))


def usce_months(profile: Profile, accepted: tuple[str, ...]) -> float:
    """Months of US clinical experience of the kinds a program accepts (all but
    observerships when it does not say), by its periods' dates."""
    kinds = set(accepted) if accepted else {"externship", "research", "other"}
    days = sum((p.end - p.start).days + 1 for p in profile.usce if p.in_us and p.kind in kinds)
    return days / DAYS_PER_MONTH


def fit(program: Program, profile: Profile | None, match_year: int, visa: str) -> Fit:
    """How ``program`` stands for the person applying to Match ``match_year`` on ``visa``."""
    reasons: list[Reason] = []
    # a "preferred" requirement is a wish, not a bar: it warns
    bar: Level = "warning" if program.requirements == "preferred" else "excluded"

    def unknown(column: str, what: str) -> None:
        # in words, not the column's id: "max_years_since_graduation" folded mid-word at 60
        # columns (found by a new user); the column is the reason's field
        reasons.append(Reason("unknown", "warning", f"{what} not stated: ask the program",
                              column))

    _visa(program, visa, reasons, unknown)
    graduation = profile.graduation if profile is not None else None
    if program.max_years_since_graduation is None:
        unknown("max_years_since_graduation", "the most years since graduation it takes")
    elif graduation is not None:
        years = years_since_graduation(graduation, match_year)
        if years > program.max_years_since_graduation:
            reasons.append(Reason("graduation_year", bar, f"{years} years since graduation by "
                                  f"July 1, {match_year}; it takes at most "
                                  f"{program.max_years_since_graduation}"))
    score = profile.record("step2ck").score if profile is not None else None
    if program.min_step2ck is None:
        unknown("min_step2ck", "its minimum Step 2 CK score")
    elif score is None:
        reasons.append(Reason("step2ck", bar, f"no Step 2 CK score yet; it asks for "
                              f"{program.min_step2ck}+"))
    elif score < program.min_step2ck:
        reasons.append(Reason("step2ck", bar, f"Step 2 CK {score}, under its minimum "
                              f"{program.min_step2ck}"))
    if program.min_usce_months is None:
        unknown("min_usce_months", "the US clinical experience it asks for")
    else:
        months = usce_months(profile, program.usce_kinds) if profile is not None else 0.0
        if months + 1e-9 < program.min_usce_months:
            kinds = ", ".join(program.usce_kinds) if program.usce_kinds else \
                "any kind but observerships"
            reasons.append(Reason("usce", bar, f"{months:.1f} months of US clinical experience "
                                  f"({kinds}); it asks for {program.min_usce_months}"))
    _attempts(program, profile, bar, reasons)
    return Fit(program, reasons)


def _visa(program: Program, visa: str, reasons: list[Reason],
          unknown: Callable[[str, str], None]) -> None:
    if visa == "none":  # a US citizen or permanent resident needs no sponsorship
        return
    routes = ("j1", "h1b") if visa == "undecided" else (visa,)
    said = {route: getattr(program, route) for route in routes}
    words = {"j1": "J-1", "h1b": "H-1B"}
    if all(value == "no" for value in said.values()):
        wanted = " or ".join(words[r] for r in routes)
        reasons.append(Reason("visa", "excluded", f"sponsors no {wanted}, and you plan "
                              f"{'either' if len(routes) > 1 else wanted}"))
    elif visa == "undecided" and "no" in said.values():
        only = next(words[r] for r, v in said.items() if v != "no")
        reasons.append(Reason("visa", "warning", f"sponsors {only} only: choose your route"))
    for route, value in said.items():
        if value == "unknown":
            unknown(route, f"{words[route]} sponsorship")


def _attempts(program: Program, profile: Profile | None, bar: Level,
              reasons: list[Reason]) -> None:
    if profile is None:
        return
    failed = sum(profile.record(step).failed_attempts for step in USMLE_STEPS)
    most = max(profile.record(step).attempts for step in USMLE_STEPS)
    if program.first_attempt_only == "yes" and failed:
        reasons.append(Reason("attempts", bar, f"{failed} failed USMLE attempt"
                              f"{'s' if failed != 1 else ''}; it takes first-attempt passes "
                              "only"))
    if program.max_attempts is not None and most > program.max_attempts:
        reasons.append(Reason("attempts", bar, f"{most} attempts at one Step; it allows "
                              f"{program.max_attempts}"))
