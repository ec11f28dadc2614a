"""Options every command shares, and turning their text into values.

The real clock is read here, at the edge, and nowhere else: the core takes ``today``.
"""

from __future__ import annotations

import os
import re
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

TODAY_ENV = "IMGPLAN_TODAY"

Today = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at run time on Python 3.10
    typer.Option(
        "--today",
        help="Plan as if today were this date (ISO 2026-11-22, 2026-11, 22 November 2026). "
        f"Also ${TODAY_ENV}.",
        show_default=False, metavar="DATE",
    ),
]
RulesFile = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--rules", help="Use this rules file instead of the packaged one.",
                 show_default=False, dir_okay=True, metavar="FILE"),
]
ProfileFile = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--profile", help="The profile file (default: $IMGPLAN_PROFILE, else your "
                 "config folder; 'imgplan profile path' prints it).", show_default=False,
                 metavar="FILE"),
]
SpecialtyChoice = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--specialty", help="Plan with this specialty's application service (e.g. "
                 "emergency_medicine applies through ResidencyCAS; a name such as 'Internal "
                 "Medicine' or 'IM' too); default: your profile's.",
                 show_default=False, metavar="SPECIALTY"),
]


def year_text(text: str) -> int:
    # Plain digits only: int() alone would also read " 2029", "2_029" and "２０２９" (full-width),
    # as imgplan.core.dates refuses to for dates.
    try:
        if _DIGITS.fullmatch(text):
            return int(text)  # a year out of range is refused later, with the range
    except ValueError:  # more digits than Python converts
        pass
    from imgplan.core.errors import quoted

    raise typer.BadParameter(f"{quoted(text)} is not a year: write it in digits, e.g. 2027")


_DIGITS = re.compile(r"-?[0-9]+")
MatchYear = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--match", "-m", help="The target Match year (the March of the NRMP Match).",
                 show_default=False, parser=year_text, metavar="YEAR"),
]


def _output_path(text: str) -> Path | None:
    # "-" is standard output, as if no --output were given ("./-" is a file named "-"); read
    # from the text, since a Path of "./-" is the same as one of "-"
    return None if text == "-" else Path(text)


def _release_output(ctx: typer.Context, value: Path | None) -> Path | None:
    # A device or a pipe that the command's check opened stays open for the write; whatever
    # happens to the command, it is closed when the command's context ends.
    if value is not None:
        from imgplan.files.exports import release_all

        ctx.call_on_close(release_all)
    return value


OutputFile = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--output", "-o", help="Write to this file instead of the terminal ('-': the "
                 "terminal). A file is replaced atomically; a device or a pipe (/dev/null, "
                 "a FIFO) is written into; never your profile, a rules file or imgplan's own "
                 "files. A table is written as plain text, 120 columns, without colour.",
                 show_default=False, parser=_output_path, callback=_release_output,
                 metavar="FILE"),
]


class Pace(str, Enum):
    fast = "fast"
    typical = "typical"
    steady = "steady"


def visa_text(text: str) -> str:
    """``--visa`` as people write it: "J-1", "H-1B", "h1b" (``imgplan.core.spelling``), as
    the route's id."""
    from imgplan.core.rules import VISAS
    from imgplan.core.spelling import visa_route

    route = visa_route(text, VISAS)
    if route is None:
        from imgplan.core.errors import quoted

        raise typer.BadParameter(f"{quoted(text)} is not a visa route: none, j1, h1b or "
                                 "undecided")
    return route


VisaRoute = Annotated[
    Optional[str],  # noqa: UP045  (a route id, however it was written)
    typer.Option("--visa", help="Visa route: none (a US citizen or permanent resident), j1, "
                 "h1b or undecided; J-1 and H-1B as written too. h1b adds USMLE Step 3.",
                 show_default=False, parser=visa_text, metavar="[none|j1|h1b|undecided]"),
]


def resolve_today(text: str | None) -> date:
    """``--today``, else ``$IMGPLAN_TODAY``, else the real date."""
    from imgplan.core.dates import parse_date

    if text is None:
        text = os.environ.get(TODAY_ENV)
        if text is None:
            return date.today()
        return parse_date(text, field=f"${TODAY_ENV}")
    return parse_date(text, field="--today")
