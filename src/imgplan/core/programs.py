"""The person's own program list, and each program's fit against their profile.

Every IMG builds this list by hand, in a spreadsheet, with the filters programs state: visa
sponsorship, years since graduation, a minimum Step 2 CK score, US clinical experience (often
"observerships not accepted"), first-attempt passes (../shared/domain-facts.md §11.6). No list
is shipped (FREIDA and Residency Explorer forbid it): the person brings theirs. Pure: text
values in, programs out; a program and the person in, its fit out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field, fields, replace
from typing import TYPE_CHECKING, Literal, cast

from imgplan.core.datatype import datatype

if TYPE_CHECKING:  # (cells, and what it imports, is read only when a list is imported)
    from imgplan.core.cells import YesNo

Requirements = Literal["strict", "preferred", "unknown"]
Signal = Literal["gold", "silver", "yes", "no"]
ProgramStatus = Literal["saved", "applied", "invited", "interviewed", "ranked", "withdrawn",
                        "rejected"]
STATUSES: tuple[str, ...] = ("saved", "applied", "invited", "interviewed", "ranked",
                             "withdrawn", "rejected")
# what a person who applied has done: counted against the seeds' "100+ programs"
APPLIED = ("applied", "invited", "interviewed", "ranked", "rejected", "withdrawn")
USCE_KINDS = ("observership", "externship", "research", "other")


@datatype(frozen=True, kw_only=True)
class Program:
    """One program of the person's list, as they recorded it (None: not known)."""

    name: str
    program_id: str | None = None
    specialty: str | None = None
    state: str | None = None
    city: str | None = None
    j1: YesNo = "unknown"
    h1b: YesNo = "unknown"
    max_years_since_graduation: int | None = None
    min_step2ck: int | None = None
    min_usce_months: int | None = None
    usce_kinds: tuple[str, ...] = ()  # the kinds it accepts; () not stated
    first_attempt_only: YesNo = "unknown"
    max_attempts: int | None = None
    requirements: Requirements = "unknown"
    signal: Signal | None = None
    status: ProgramStatus = "saved"
    interview_date: dt.date | None = None
    source: str | None = None
    verified_on: dt.date | None = None
    notes: str | None = None
    # the columns the row gave a value in: a re-import changes those only (an empty cell
    # keeps what was there, a "saved" written out sets it back)
    given: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @property
    def key(self) -> tuple[str, ...]:
        """What identifies it in a re-import: its id, else its name and specialty."""
        from imgplan.core.spelling import folded

        if self.program_id:
            return ("id", self.program_id.strip().lower())
        return ("name", folded(self.name), folded(self.specialty or ""))


# The CSV header, in the order docs/programs.md documents and `programs export` writes.
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Program) if f.name != "given")


def program_from(values: dict[str, str | None], *, where: str) -> Program:
    """A program from one row's text values (``where``: "row 4", for an error); a bad value
    raises a UsageError naming its column."""
    from imgplan.core.cells import Cells

    cells = Cells(values, where)
    text, yes_no, whole, day, choice = cells.text, cells.yes_no, cells.whole, cells.day, \
        cells.choice

    name = text("name")
    if name is None:
        raise cells.bad("name", "every program needs its name")
    kinds: list[str] = []
    for part in (text("usce_kinds") or "").replace(",", ";").split(";"):
        if part.strip():
            kind = choice_of(part.strip(), USCE_KINDS)
            if kind is None:
                raise cells.bad("usce_kinds", f"'{part.strip()}' is not one of: "
                           f"{', '.join(USCE_KINDS)}")
            kinds.append(kind)
    status = choice("status", STATUSES, {"interviewing": "interviewed", "interview":
                                         "invited", "submitted": "applied"}) or "saved"
    requirements = choice("requirements", ("strict", "preferred", "unknown"),
                          {"required": "strict", "must": "strict", "flexible": "preferred"})
    signal = choice("signal", ("gold", "silver", "yes", "no"), {"none": "no"})
    return Program(
        name=name, program_id=text("program_id"), specialty=text("specialty"),
        state=text("state"), city=text("city"), j1=yes_no("j1"), h1b=yes_no("h1b"),
        max_years_since_graduation=whole("max_years_since_graduation", 60),
        min_step2ck=whole("min_step2ck", 300), min_usce_months=whole("min_usce_months", 120),
        usce_kinds=tuple(dict.fromkeys(kinds)), first_attempt_only=yes_no("first_attempt_only"),
        max_attempts=whole("max_attempts", 10),
        # each one of its Literal's values: choice() returns only what it allows
        requirements=cast(Requirements, requirements or "unknown"),
        signal=cast("Signal | None", signal), status=cast(ProgramStatus, status),
        interview_date=day("interview_date"), source=text("source"),
        verified_on=day("verified_on"), notes=text("notes"),
        given=cells.given())


def choice_of(text: str, allowed: tuple[str, ...]) -> str | None:
    from imgplan.core.spelling import one_of

    return one_of(text, allowed, names={"observership": ("observerships",),
                                        "externship": ("externships", "hands-on", "handson"),
                                        "research": ("research fellowship",)})


def as_record(program: Program) -> dict[str, object]:
    """A program's values as JSON and YAML hold them: numbers, lists, ISO dates, None."""
    record: dict[str, object] = {}
    for column in COLUMNS:
        value = getattr(program, column)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        record[column] = value
    return record


def as_row(program: Program) -> dict[str, str]:
    """A program as the text of its CSV row (the inverse of ``program_from``)."""
    row: dict[str, str] = {}
    for column in COLUMNS:
        value = getattr(program, column)
        if value is None:
            row[column] = ""
        elif isinstance(value, tuple):
            row[column] = ";".join(value)
        elif isinstance(value, dt.date):
            row[column] = value.isoformat()
        else:
            row[column] = str(value)
    return row


@datatype
class Merge:
    """What a re-import changed: the list after it, and what it says."""

    programs: list[Program]
    added: list[Program] = field(default_factory=list)
    updated: list[tuple[Program, list[str]]] = field(default_factory=list)  # and its columns
    unchanged: int = 0


def merged(current: list[Program], incoming: list[Program]) -> Merge:
    """``incoming`` merged into ``current``: by program id; without one, by name and specialty
    (by name alone when the row gives no specialty and one program has that name). A program
    already listed takes the values the import gives (an empty cell keeps the old value); a
    new one is added at the end. Programs the import does not name are kept."""
    from imgplan.core.spelling import folded

    result = list(current)
    merge = Merge(result)

    def find(program: Program) -> int | None:
        if program.program_id:
            return next((i for i, p in enumerate(result) if p.key == program.key), None)
        same = [i for i, p in enumerate(result) if folded(p.name) == folded(program.name)
                and (program.specialty is None
                     or folded(p.specialty or "") == folded(program.specialty))]
        return same[0] if len(same) == 1 else None

    for program in incoming:
        index = find(program)
        if index is None:
            result.append(program)
            merge.added.append(program)
            continue
        old = result[index]
        changes = {column: getattr(program, column) for column in COLUMNS
                   if column in program.given
                   and getattr(program, column) != getattr(old, column)}
        if not changes:
            merge.unchanged += 1
            continue
        result[index] = replace(old, **changes)
        merge.updated.append((result[index], sorted(changes)))
    return merge
