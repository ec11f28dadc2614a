"""``imgplan budget``: every fee the plan implies, dated by the plan, with a total and the
months it falls in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from imgplan.cli.options import (
    MatchYear,
    OutputFile,
    ProfileFile,
    RulesFile,
    Today,
    VisaRoute,
)
from imgplan.cli.output import format_help, format_option_enum

if TYPE_CHECKING:
    from imgplan.cli.context import Context
    from imgplan.core.budget import Budget
    from imgplan.core.planner import Plan
    from imgplan.core.programs import Program
    from imgplan.core.specialties import Specialties

BudgetFormat = format_option_enum("budget")


def budget(
    match: MatchYear = None,
    programs: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045
        "--programs", help="How many programs you apply to: N, or SPECIALTY:N for each "
        "specialty (ERAS's bands start again with each; repeat it). Default: the count "
        "recorded with 'mark eras done --programs N', else your program list's, else 100 (the "
        "guides: 'most successful IMG applicants apply to 100+').", show_default=False,
        metavar="[SPECIALTY:]N")] = None,
    visa: VisaRoute = None,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
    format: Annotated[
        Optional[BudgetFormat],  # type: ignore[valid-type]  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("budget"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """What the whole road costs, dated by your plan: each fee with its amount, the day the
    plan pays it, how sure the amount is (official, secondary, estimated, or not stored) and
    its source; your total, and month by month."""
    from imgplan.cli.context import load_context, plan_match
    from imgplan.cli.output import prepare, show
    from imgplan.render.views import BudgetView

    chosen, protected = prepare("budget", format, output, profile=profile, rules=rules)
    ctx = load_context(today=today, rules=rules, profile=profile, visa=visa)
    planned = plan_match(ctx, match)
    result = priced(ctx, planned, programs or [])
    owner = ctx.profile.name if ctx.profile is not None else None
    show("budget", chosen, BudgetView(result, ctx.today, owner, ctx.note), output=output,
         protected=protected, title=f"imgplan budget --match {planned.match_year}")


def priced(ctx: Context, planned: Plan, given: list[str],
           listed: list[Program] | None = None) -> Budget:
    """The budget of ``planned``: the programs from ``--programs``, else the count recorded
    with the ERAS application, else the program list's, else the rules' ``programs_broad``
    (the guides' 100+). ``listed``: the program list, when the caller has read it already
    (compare prices several plans from one reading)."""
    from imgplan.core.budget import budget as make_budget
    from imgplan.core.profile import int_threshold
    from imgplan.core.services import choose
    from imgplan.files.specialties_file import load_specialties

    if listed is None:
        listed = read_list(ctx)
    specialties = load_specialties()
    own = ctx.profile.specialty if ctx.profile is not None else None
    found = specialties.find(own) if own else None
    own = found.id if found is not None else own  # an earlier release's kebab-case id too
    counts = _counts(given, specialties, own)
    where = "--programs"
    recorded = ctx.profile.record("eras").programs if ctx.profile is not None else None
    broad = int_threshold(ctx.rules, "programs_broad")
    if not counts and recorded:
        counts, where = {own or "": recorded}, "recorded with your ERAS application"
    elif not counts and listed:
        counts, where = {own or "": len(listed)}, "the count of your program list"
    elif not counts and broad:
        counts, where = {own or "": broad}, \
            f"IMG guides' {broad}+: give --programs N for yours"
    services = {}
    for specialty in counts:
        applying = specialties.applying(specialty or None)
        services[specialty] = choose(ctx.rules, applying, planned.match_year).service \
            or (ctx.rules.services[0] if ctx.rules.services else None)
    ranked = sum(p.status == "ranked" for p in listed) if listed else None
    return make_budget(planned, ctx.rules, ctx.profile, programs=counts, programs_from=where,
                       services=services, ranked=ranked)


def read_list(ctx: Context) -> list[Program]:
    """The person's program list ([] without a profile or a list)."""
    from imgplan.files.program_store import load_programs, programs_path

    return load_programs(programs_path(ctx.profile_path)) if ctx.profile is not None else []


def _counts(given: list[str], specialties: Specialties, own: str | None) -> dict[str, int]:
    """``--programs`` as {specialty id ("" for the plan's own): count}."""
    from imgplan.core.errors import UsageError

    counts: dict[str, int] = {}
    for text in given:
        name, colon, number = text.rpartition(":")
        number = number.strip()
        if not number.isascii() or not number.isdigit() or len(number) > 4 \
                or int(number) == 0 or (colon and not name.strip()):
            raise UsageError(f"'{text}' is not a number of programs from 1 to 9999 (N, or "
                             "SPECIALTY:N)", field="--programs")
        key = specialties.get(name.strip(), field="--programs").id if name.strip() \
            else (own or "")
        counts[key] = counts.get(key, 0) + int(number)
    return counts
