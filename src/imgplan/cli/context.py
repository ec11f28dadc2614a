"""What every planning command needs: today, the rules, the profile, and the person's choices.

Flags win over the profile; the profile wins over the defaults (typical pace, J-1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from imgplan.cli.options import resolve_today
from imgplan.planner import Person, Plan
from imgplan.rules import Pace, Rules, Visa
from imgplan.rulesfile import load_rules
from imgplan.store import load_profile, profile_path

if TYPE_CHECKING:
    # Only for the annotation: the profile's models are imported by ``load_profile`` when
    # there is a profile to read, and a plan from scratch never needs them.
    from imgplan.profile import Profile


@dataclass
class Context:
    today: date
    rules: Rules
    profile_path: Path
    profile: Profile | None
    pace: Pace
    visa: Visa
    person: Person
    note: str | None = None
    warnings: list[str] = field(default_factory=list)


def load_context(
    *,
    today: str | None,
    rules: Path | None,
    profile: Path | None,
    pace: str | None = None,
    visa: str | None = None,
) -> Context:
    day = resolve_today(today)
    loaded_rules = load_rules(rules)
    path = profile_path(profile)
    stored = load_profile(path, loaded_rules, day)
    note = None
    warnings: list[str] = []
    if stored is None:
        note = (f"No profile at {path}: planning from scratch (nothing done yet). "
                "Run 'imgplan init' to plan from where you stand.")
        chosen_visa = visa or "j1"
    else:
        chosen_visa = visa or stored.visa
    if chosen_visa == "undecided":
        warnings.append("Visa route undecided: planned as J-1. Choose J-1 or H-1B before you "
                        "rank: H-1B adds USMLE Step 3 before Match Day (imgplan timeline --visa "
                        "h1b shows that plan).")
    chosen_pace = pace or (stored.pace if stored else "typical")
    return Context(
        today=day,
        rules=loaded_rules,
        profile_path=path,
        profile=stored,
        pace=cast(Pace, chosen_pace),
        visa=cast(Visa, chosen_visa),
        person=stored.person() if stored else Person(),
        note=note,
        warnings=warnings,
    )


def plan_match(ctx: Context, match: int | None) -> Plan:
    """The plan for ``--match``, else the profile's target, else the earliest feasible year.

    A year outside the computable range, or one whose rank-order-list deadline has passed, is
    refused: the person is told which Match is the first still open.
    """
    from imgplan.cycle import check_match_year, first_open_match_year, key_dates
    from imgplan.errors import UsageError
    from imgplan.planner import earliest_feasible_match, plan

    earliest = earliest_feasible_match(ctx.rules, today=ctx.today, pace=ctx.pace,
                                       visa=ctx.visa, person=ctx.person)
    # "is not None": --match 0 is a year to refuse, not a missing flag
    from_profile = match is None and ctx.profile is not None \
        and ctx.profile.match_year is not None
    if match is not None:
        year = match
    elif ctx.profile is not None and ctx.profile.match_year is not None:
        year = ctx.profile.match_year
    else:
        year = earliest or first_open_match_year(ctx.rules, ctx.today)
    try:
        check_match_year(ctx.rules, year, ctx.today)
    except UsageError as exc:
        # Found by the hostile-input tests: a year out of range in the profile was blamed on
        # --match, a flag the person never gave.
        if not from_profile or exc.field != "--match":
            raise
        raise UsageError(exc.message, file=ctx.profile_path, field="match_year",
                         hint="run 'imgplan profile set match YEAR' or give --match") from None
    dates = key_dates(ctx.rules, year)
    rol = dates.get("rol_deadline")
    if rol is not None and rol.date < ctx.today:
        hint = f"the first Match still open is {first_open_match_year(ctx.rules, ctx.today)}"
        if from_profile:
            raise UsageError(
                f"your target Match {year} is closed: its rank-order-list deadline was "
                f"{rol.date}", file=ctx.profile_path, field="match_year",
                hint=f"{hint}; run 'imgplan profile set match YEAR' or give --match")
        raise UsageError(
            f"Match {year} is closed: its rank-order-list deadline was {rol.date}",
            field="--match", hint=hint)
    result = plan(ctx.rules, year, today=ctx.today, pace=ctx.pace, visa=ctx.visa,
                  person=ctx.person, dates=dates)
    result.earliest_feasible_match = earliest
    result.warnings[:0] = ctx.warnings
    return result
