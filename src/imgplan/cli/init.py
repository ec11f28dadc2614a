"""``imgplan init``: set up the profile, by questions at a terminal or from flags.

Without ``--no-input`` every setting not given as a flag is asked, so answers can come from a
terminal or from piped input; a wrong answer is explained and asked again. With
``--no-input`` nothing is asked and the essential flags are required.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Optional, TextIO, TypeVar, cast

import typer

from imgplan.cli.options import MatchYear, ProfileFile, RulesFile, Today

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from imgplan.core.rules import Rules
    from imgplan.core.specialties import Specialties

T = TypeVar("T")

SCHOOL_ANSWERS = {"yes": True, "no": False, "unknown": None}
EXAMPLE = ("imgplan init --no-input --match 2027 --specialty internal_medicine --visa j1 "
           "--graduation 2024-06-30")


def init(
    match: MatchYear = None,
    specialty: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--specialty", help="Target specialty id, e.g. internal_medicine (or its name: "
        "'Internal Medicine', IM).",
        show_default=False)] = None,
    visa: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--visa", help="Visa route: none, j1, h1b or undecided (J-1, H-1B as written too).",
        show_default=False)] = None,
    graduation: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--graduation", help="Graduation date, past or expected (2024-06-30, 2024-06).",
        show_default=False)] = None,
    pace: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--pace", help="How fast you prepare: fast, typical (default) or steady.",
        show_default=False)] = None,
    school_listed: Annotated[Optional[bool], typer.Option(  # noqa: UP045
        "--school-listed/--school-not-listed",
        help="Your school is (or is not) in the World Directory with an ECFMG sponsor note "
        "covering your graduation year.", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--name", help="Your name as on your documents (optional).", show_default=False)] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Ask nothing: take every setting from the flags.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing profile (the old one is kept as .bak).")] = False,
    today: Today = None,
    rules: RulesFile = None,
    profile: ProfileFile = None,
) -> None:
    """Create your profile: graduation, school listing, specialty, Match year, visa, pace.

    \b
    imgplan init --no-input --match 2027 --specialty internal_medicine --visa j1
    --graduation 2024-06-30
    """
    from imgplan.cli.editing import choice, say_if_out_of_reach, typed_name, visa_choice
    from imgplan.cli.options import resolve_today
    from imgplan.core.dates import parse_date
    from imgplan.core.errors import ProfileError, UsageError
    from imgplan.core.rules import PACES
    from imgplan.core.verdict import open_match_year
    from imgplan.files.checking import profile_from
    from imgplan.files.profile_store import present, profile_path, save_profile
    from imgplan.files.rules_file import load_rules
    from imgplan.files.specialties_file import load_specialties

    day = resolve_today(today)
    loaded = load_rules(rules)
    path = profile_path(profile)
    if present(path) and not force:
        raise ProfileError("a profile already exists; use --force to replace it (the current "
                           "one is then kept as .bak), or change it with imgplan mark, add, "
                           "confirm and profile set", file=path)
    specialties = load_specialties()

    # Flags are checked first: a wrong flag is refused, not asked again.
    grad = parse_date(graduation, field="--graduation") if graduation is not None else None
    target = specialties.get(specialty, field="--specialty").id if specialty else None
    route = visa_choice(visa, field="--visa") if visa is not None else None
    speed = choice(pace, PACES, field="--pace") if pace is not None else None
    year = open_match_year(loaded, match, day) if match is not None else None
    listed = school_listed

    if no_input:
        missing = [flag for flag, value in (("--match", year), ("--specialty", target),
                                            ("--visa", route), ("--graduation", grad))
                   if value is None]
        if missing:
            raise UsageError(f"missing {', '.join(missing)} (--no-input asks nothing)",
                             hint=f"e.g. {EXAMPLE}")
        speed = speed or "typical"
    else:
        from imgplan.render.console import make_console

        if sys.stdin is None or sys.stdin.closed:
            raise UsageError("no answers can be read (standard input is closed): give every "
                             "setting as a flag with --no-input", hint=f"e.g. {EXAMPLE}")
        console = make_console()
        try:
            grad, listed, target, route, speed, year = _interview(
                console, loaded, specialties, day, grad=grad, listed=listed, target=target,
                route=route, speed=speed, year=year, listed_given=school_listed is not None)
        except EOFError:
            typer.echo("")  # ends the question's line
            raise UsageError("no answer, nothing saved: answer at a terminal, or give every "
                             "setting as a flag with --no-input", hint=f"e.g. {EXAMPLE}") from None

    created = profile_from({
        "name": typed_name(name, field="--name", what="the name") if name else None,
        "graduation": grad, "school_listed": listed, "specialty": target,
        "match_year": year, "visa": route, "pace": speed,
    })
    # The lock is taken only by the save, so that a person answering the questions keeps no
    # other imgplan waiting; the save asks again, under it, whether there is one already.
    replacing = save_profile(path, created, loaded, day, fresh=True, replace=force)
    typer.echo(f"Profile saved to {path} (readable by you only)."
               + (" The one it replaced is kept as .bak." if replacing else ""))
    typer.echo(f"Match {year}, {target}, visa {route}, {speed} pace, graduation {grad}.")
    if year is not None:
        say_if_out_of_reach(loaded, created, year, day)
    typer.echo("Next: record what you have done, e.g. 'imgplan mark step1 passed --date "
               "2025-05-10', then see where you stand: 'imgplan check'.")


# Found by the fault review: `yes | imgplan init` asked for ever, and an answer read from an
# endless stream without a line end (`< /dev/zero`) grew to 24 GB. A person answers each
# question in a few words and retypes a refused one a few times.
MAX_ANSWER_CHARS = 1000
MAX_TRIES = 5


class _BoundedInput:
    """Standard input as Rich's prompt reads it, one bounded line at a time."""

    def readline(self) -> str:
        line = sys.stdin.readline(MAX_ANSWER_CHARS + 1)
        if not line:
            raise EOFError
        if len(line) > MAX_ANSWER_CHARS:
            from imgplan.core.errors import UsageError

            raise UsageError(f"an answer longer than {MAX_ANSWER_CHARS} characters: nothing "
                             "saved (is standard input a file or a program?)")
        return line.rstrip("\r\n")  # as input() gives it: an empty answer takes the default


def _ask(console: Console, question: str, parse: Callable[[str], T],
         default: str | None = None) -> T:
    """Ask until ``parse`` accepts the answer; a refusal is shown and the question repeated,
    a few times."""
    from rich.prompt import Prompt
    from rich.text import Text

    from imgplan.core.errors import ImgplanError, UsageError

    # at a terminal, input() with its line editing; from a pipe or a file, bounded lines
    stream = None if sys.stdin.isatty() else cast(TextIO, _BoundedInput())
    for _ in range(MAX_TRIES):
        # Text, not a string: Rich would read "[yes/no]" in a question as markup
        prompt = Text(question)
        answer = Prompt.ask(prompt, console=console, default=default, stream=stream) \
            if default is not None else Prompt.ask(prompt, console=console, stream=stream)
        try:
            return parse(answer.strip())
        except ImgplanError as exc:
            console.print(Text(f"  {exc.message}" + (f" ({exc.hint})" if exc.hint else ""),
                               style="red"))
    raise UsageError(f"no answer imgplan could use after {MAX_TRIES} tries: nothing saved",
                     hint=f"or give every setting as a flag: {EXAMPLE}")


def _interview(console: Console, rules: Rules, specialties: Specialties, today: date, *,
               grad: date | None, listed: bool | None, target: str | None, route: str | None,
               speed: str | None, year: int | None, listed_given: bool
               ) -> tuple[date, bool | None, str, str, str, int]:
    from rich.text import Text

    from imgplan.cli.editing import choice, visa_choice
    from imgplan.core.dates import parse_date
    from imgplan.core.planner import Person, earliest_feasible_match
    from imgplan.core.rules import PACES
    from imgplan.core.verdict import open_match_year, target_note

    console.print(Text("Setting up your imgplan profile (Ctrl-C to stop; nothing is saved "
                       "until the end).", style="bold"))
    if grad is None:
        grad = _ask(console, "Graduation date, past or expected (e.g. 2024-06-30)",
                    lambda a: parse_date(a, field="graduation"))
    if not listed_given:
        listed = _ask(
            console, "Is your school in the World Directory of Medical Schools with an ECFMG "
            "sponsor note covering your graduation year? [yes/no/unknown]",
            lambda a: SCHOOL_ANSWERS[choice(a.lower(), tuple(SCHOOL_ANSWERS), field="answer")],
            default="unknown")
    if target is None:
        console.print(Text("Specialties: " + ", ".join(specialties.ids), style="dim"))
        target = _ask(console, "Target specialty (an id from the list)",
                      lambda a: _specialty_answer(specialties, a))
    if route is None:
        route = _ask(console, "Visa route: none (US citizen or permanent resident), j1, h1b "
                     "or undecided [none/j1/h1b/undecided]",
                     lambda a: visa_choice(a, field="visa"), default="undecided")
    if speed is None:
        speed = _ask(console, "Pace of preparation [fast/typical/steady]",
                     lambda a: choice(a.lower(), PACES, field="pace"), default="typical")
    if year is None:
        earliest = earliest_feasible_match(rules, today=today, pace=speed,  # type: ignore[arg-type]
                                           visa=route,  # type: ignore[arg-type]
                                           person=Person(graduation=grad))
        hint = f" (earliest feasible from scratch: {earliest})" if earliest else ""
        year = _ask(console, f"Target Match year{hint}",
                    lambda a: open_match_year(rules, a, today, field="Match year"),
                    default=str(earliest) if earliest else None)
        # a year typed here that cannot be made: offer the one that can (a year given as
        # --match is the person's choice; init only says so, once it is saved)
        note, earliest = target_note(rules, year, today=today, pace=speed,  # type: ignore[arg-type]
                                     visa=route,  # type: ignore[arg-type]
                                     person=Person(graduation=grad))
        if note is not None and earliest is not None and earliest != year:
            console.print(Text(note, style="yellow"))
            if _ask(console, f"Plan for Match {earliest} instead? [yes/no]",
                    lambda a: SCHOOL_ANSWERS[choice(a.lower(), ("yes", "no"), field="answer")],
                    default="yes"):
                year = earliest
    return grad, listed, target, route, speed, year


def _specialty_answer(specialties: Specialties, answer: str) -> str:
    """An id from the list just shown; "Internal Medicine" is read as internal_medicine."""
    from imgplan.core.errors import UsageError

    wanted = "-".join(answer.lower().split())
    if specialties.find(wanted) is None:
        raise UsageError(f"unknown specialty '{answer}': give an id from the list above")
    return wanted
