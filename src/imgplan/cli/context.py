"""What every planning command needs: today, the rules, the profile, and the person's choices.

Flags win over the profile; the profile wins over the defaults (typical pace, J-1).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from imgplan.cli.options import resolve_today
from imgplan.core.datatype import datatype
from imgplan.core.planner import Person, Plan
from imgplan.core.rules import Pace, Rules, Visa
from imgplan.files.profile_store import load_profile, profile_path
from imgplan.files.rules_file import load_rules

if TYPE_CHECKING:
    # Only for the annotation: the profile's models are imported by ``load_profile`` when
    # there is a profile to read, and a plan from scratch never needs them.
    from imgplan.core.fit import Fit
    from imgplan.core.profile import Profile
    from imgplan.core.programs import Program


@datatype
class Context:
    """What a planning command works from: today, the rules, the profile, the person's choices."""

    today: date
    rules: Rules
    profile_path: Path
    profile: Profile | None
    pace: Pace
    visa: Visa
    person: Person
    note: str | None = None


def load_context(
    *,
    today: str | None,
    rules: Path | None,
    profile: Path | None,
    pace: str | None = None,
    visa: str | None = None,
    specialty: str | None = None,
) -> Context:
    day = resolve_today(today)
    loaded_rules = load_rules(rules)
    path = profile_path(profile)
    stored = load_profile(path, loaded_rules, day)
    note = None
    if stored is None:
        note = (f"No profile at {path}: planning from scratch (nothing done yet). "
                "Run 'imgplan init' to plan from where you stand.")
        chosen_visa = visa or "j1"
    else:
        chosen_visa = visa or stored.visa
    chosen_pace = pace or (stored.pace if stored else "typical")
    person = stored.person() if stored else Person()
    chosen_specialty = specialty or (stored.specialty if stored else None)
    if chosen_specialty is not None:
        # the services it applies through: the application stages follow them
        from dataclasses import replace

        from imgplan.files.specialties_file import load_specialties

        specialties = load_specialties()
        if specialty is not None:  # "Emergency Medicine" read as its id; an unknown one refused
            chosen_specialty = specialties.get(specialty).id
        person = replace(person, applying=specialties.applying(chosen_specialty))
    return Context(
        today=day,
        rules=loaded_rules,
        profile_path=path,
        profile=stored,
        pace=cast(Pace, chosen_pace),
        visa=cast(Visa, chosen_visa),
        person=person,
        note=note,
    )


def plan_match(ctx: Context, match: int | None) -> Plan:
    """The plan for ``--match``, else the profile's target, else the earliest feasible year
    (``imgplan.core.verdict``); a refusal of the profile's year names the profile's file."""
    from imgplan.core.errors import UsageError
    from imgplan.core.verdict import PROFILE_FIELD, plan_for

    target = ctx.profile.match_year if ctx.profile is not None else None
    try:
        return plan_for(ctx.rules, today=ctx.today, pace=ctx.pace, visa=ctx.visa,
                        person=ctx.person, requested=match, target=target)
    except UsageError as exc:
        if exc.field == PROFILE_FIELD:
            exc.file = ctx.profile_path
        raise


def program_fits(ctx: Context, planned: Plan, listed: list[Program] | None = None
                 ) -> list[Fit]:
    """The person's program list (``listed``, else read) checked against them for
    ``planned``'s Match; [] when they keep none (without a profile nothing is read: a plan
    from scratch reads nothing)."""
    if listed is None:
        if ctx.profile is None:
            return []
        from imgplan.files.program_store import load_programs, programs_path

        listed = load_programs(programs_path(ctx.profile_path))
    if not listed:
        return []
    from imgplan.core.fit import fit

    return [fit(program, ctx.profile, planned.match_year, ctx.visa) for program in listed]
