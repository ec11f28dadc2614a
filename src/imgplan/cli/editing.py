"""What the commands that change the profile share: open it, change it, validate, save.

Every change is validated whole before anything is written, so a refused command leaves the
file exactly as it was (``store.save_profile`` writes atomically and keeps a ``.bak``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from imgplan.cli.options import resolve_today
from imgplan.core.datatype import datatype
from imgplan.core.errors import ProfileError, UsageError, quoted
from imgplan.core.profile import Profile, specialty_problems
from imgplan.core.rules import Rules
from imgplan.core.specialties import Specialties
from imgplan.files.locking import hold
from imgplan.files.profile_store import (
    destination,
    load_profile,
    present,
    profile_path,
    save_profile,
)
from imgplan.files.rules_file import load_rules
from imgplan.files.specialties_file import load_specialties


@datatype
class Editing:
    """A profile opened to be changed, with what a change is checked against."""

    path: Path
    rules: Rules
    today: date
    specialties: Specialties
    profile: Profile

    def save(self, changed: Profile) -> None:
        found = specialty_problems(changed, self.specialties.ids)
        if found:
            loc, message = found[0]
            raise UsageError(message, field=".".join(map(str, loc)))
        save_profile(self.path, changed, self.rules, self.today)
        self.profile = changed


def open_profile(*, profile: Path | None, rules: Path | None, today: str | None,
                 check_specialties: bool = True, to_change: bool = True) -> Editing:
    """The person's profile, ready to change (``to_change``: locked, and refused at once if
    it may not be changed) or to show; there must be one already.

    ``check_specialties=False`` lets ``profile set`` and ``profile show`` open a hand-edited
    profile whose specialty id is wrong, so that it can be seen and put right.
    """
    day = resolve_today(today)
    loaded_rules = load_rules(rules)
    path = profile_path(profile)
    if to_change and present(path):  # held from this read to the save: others wait
        hold(path)
    stored = load_profile(path, loaded_rules, day)
    if stored is None:
        raise ProfileError("no profile yet: run 'imgplan init' first", file=path)
    if to_change:
        destination(path)  # a profile that may not be changed (read-only): refused at once
    specialties = load_specialties()
    if check_specialties:
        found = specialty_problems(stored, specialties.ids)
        if found:
            loc, message = found[0]
            raise ProfileError(message, file=path, field=".".join(map(str, loc)))
    return Editing(path, loaded_rules, day, specialties, stored)


def choice(value: str, choices: tuple[str, ...] | list[str], *, field: str) -> str:
    """``value`` if it is one of ``choices``; otherwise a one-line refusal listing them."""
    if value not in choices:
        from imgplan.core.spelling import suggestion

        raise UsageError(f"'{value}' is not one of: {', '.join(choices)}"
                         f"{suggestion(value, choices)}", field=field)
    return value


def visa_choice(value: str, *, field: str) -> str:
    """A visa route as typed ("J-1", "H1B", ``imgplan.core.spelling``); refused with the
    routes otherwise."""
    from imgplan.core.rules import VISAS
    from imgplan.core.spelling import visa_route

    return visa_route(value, VISAS) or choice(value, VISAS, field=field)


def typed_name(text: str, *, field: str, what: str) -> str | None:
    """A name as a person typed it (a writer, a program, a place, their own), trimmed; None
    when blank. Refused in the flag's own words when too long or holding a control character,
    before the profile's check would word it by the record's place in the file."""
    from imgplan.core.fields import MAX_NAME_CHARS, unshowable

    name = text.strip()
    if not name:
        return None
    if len(name) > MAX_NAME_CHARS:
        raise UsageError(f"{what} is longer than {MAX_NAME_CHARS} characters "
                         f"({len(name):,})", field=field)
    problem = unshowable(name)
    if problem is not None:
        raise UsageError(f"{what} {problem}", field=field)
    return name


def whole_number(text: str | None, *, field: str) -> int | None:
    """A count or score typed by a person; one line naming the flag when it is not one."""
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit():
        raise UsageError(f"{quoted(text)} is not a whole number", field=field)
    if len(cleaned) > MAX_DIGITS:  # no score or count has more; Python refuses 4,300
        raise UsageError(f"{quoted(cleaned)} is too large ({len(cleaned)} digits)", field=field)
    return int(cleaned)


MAX_DIGITS = 9


def on_or_before_today(day: date, today: date, *, field: str, what: str) -> date:
    if day > today:
        raise UsageError(f"{what} {day} is after today ({today})", field=field,
                         hint="record it once it has happened, or check --today")
    return day


def say_if_out_of_reach(rules: Rules, person: Profile, year: int, today: date) -> None:
    """Tell the person at once when the target they chose cannot be made, and which can."""
    from imgplan.core.verdict import target_note

    note, earliest = target_note(rules, year, today=today, pace=person.pace, visa=person.visa,
                                 person=person.person())
    if note is None:
        return
    typer.echo(note)
    if earliest is not None and earliest != year:
        typer.echo(f"To plan for it instead: imgplan profile set match {earliest}")
