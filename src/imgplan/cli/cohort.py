"""``imgplan cohort FILE.csv``: an advisor's candidates, each planned as their own profile
would be, most urgent first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from imgplan.cli.options import OutputFile, RulesFile, Today
from imgplan.cli.output import format_help, format_option_enum

CohortFormat = format_option_enum("cohort")


def cohort(
    file: Annotated[Path, typer.Argument(
        help="The CSV file, one candidate a row, header: name, graduation, specialty, visa, "
        "match_year, pace, credentials, step1, step2ck, step2ck_score, oet, pathway, "
        "ecfmg_certification, usce_start, usce_end, lors. A stage's column holds the day it "
        "was passed or done; lors the letters in hand; every column but name and graduation "
        "optional.", show_default=False)],
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="What must start within "
                                      "this many days is due now.")] = 14,
    today: Today = None,
    rules: RulesFile = None,
    format: Annotated[
        Optional[CohortFormat],  # type: ignore[valid-type]  # noqa: UP045
        typer.Option("--format", "-f", help=format_help("cohort"), show_default=False),
    ] = None,
    output: OutputFile = None,
) -> None:
    """Plan an advisor's cohort from a CSV: each candidate's target, verdict, earliest
    feasible Match, what breaks and the next action with its date, most urgent first. A bad
    row is reported by row and column and skipped (exit 1); the others are planned."""
    import gc

    # A cohort makes millions of short-lived objects and no garbage cycle worth collecting
    # mid-run (some hundred objects in a 1,000-candidate run, which peaks at 45 MB either
    # way): the collector's passes over them (and over everything imported) were 7-8% of
    # the run, and still 2% in larger batches (benchmarks/cohort.py; docs/performance.md).
    # Off for the run; as it was after, for a process that goes on (a test's).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _plan_cohort(file, days, today, rules, format, output)
    finally:
        if collecting:
            gc.enable()


def _plan_cohort(file: Path, days: int, today: str | None, rules: Path | None,
                 format: object, output: Path | None) -> None:
    from imgplan.cli.options import resolve_today
    from imgplan.cli.output import prepare, show
    from imgplan.core.cohort import plan_cohort
    from imgplan.core.errors import UsageError
    from imgplan.files.cohort_csv import read_cohort
    from imgplan.files.rules_file import load_rules
    from imgplan.files.specialties_file import load_specialties
    from imgplan.render.views import CohortView

    chosen, protected = prepare("cohort", format, output, profile=None, rules=rules)
    day = resolve_today(today)
    loaded = load_rules(rules)
    candidates, unread = read_cohort(file, rules=loaded, specialties=load_specialties(),
                                     today=day)
    planned, unplanned = plan_cohort(candidates, loaded, day, days)
    skipped = sorted(unread + unplanned, key=lambda s: s.line)
    for row in skipped:
        typer.echo(f"imgplan: {file}:{row.line}: {row.message}; skipped", err=True)
    if not planned:
        raise UsageError("no candidate could be planned" if skipped else
                         "holds no candidate: one row per candidate under the header",
                         file=file)
    show("cohort", chosen, CohortView(planned, skipped, day, str(file)), output=output,
         protected=protected, title=f"imgplan cohort {file.name}, {day}")
    if skipped:
        raise typer.Exit(1)
