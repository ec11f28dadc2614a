"""Exports a person takes away: ICS, Markdown, SVG, plain text, and --output's refusals."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from imgplan.files.rules_file import data_path
from refusals import refused

TODAY = "2026-11-22"
PLAN = ("timeline", "--match", "2029", "--today", TODAY)


def _ics(cli: Any, *args: str) -> bytes:
    result = cli(*PLAN, "--format", "ics", *args)
    assert result.exit_code == 0, result.output
    data: bytes = result.stdout_bytes
    return data


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def _categories(event: Any) -> set[str]:
    # the property itself: icalendar < 6.2 has no Event.categories
    value = event.get("categories")
    values = value if isinstance(value, list) else [value] if value is not None else []
    return {str(c) for v in values for c in v.cats}


# -- ICS ------------------------------------------------------------------------------------


def test_ics_parses_back_with_one_event_per_entry(cli: Any) -> None:
    events = _events(_ics(cli))
    assert events
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    for event in events:
        start, end = event["dtstart"].dt, event["dtend"].dt
        if type(start) is date:  # all day: one day, or a planned stage's whole span
            assert end > start
            assert end == date.fromordinal(start.toordinal() + 1) or "planned" in str(
                event["summary"])
        else:  # a key date at the hour its rule names, in its zone
            assert str(event["uid"]).startswith("imgplan-2029-key-")
            assert start.tzinfo is not None and end == start
        assert str(event["summary"])
        assert "planning aid" in str(event["description"])


def test_ics_has_each_stage_as_planned_from_start_to_finish(cli: Any) -> None:
    # found by a new user: the calendar held only the latest dates, no slack at all
    plan = json.loads(cli(*PLAN, "--format", "json").stdout)
    events = {str(e["uid"]): e for e in _events(_ics(cli))}
    for stage in plan["stages"]:
        planned = events.get(f"imgplan-2029-stage-{stage['id']}-planned@imgplan")
        if stage["id"] in ("interviews", "rank_list", "match", "residency_start"):
            continue  # spans the calendar's own window, or a milestone: key dates show them
        assert planned is not None, stage["id"]
        assert planned["dtstart"].dt.isoformat() == stage["start"]
        last = date.fromisoformat(stage["finish"])
        assert planned["dtend"].dt == date.fromordinal(last.toordinal() + 1)
        assert str(planned["summary"]).endswith("(planned)")


@pytest.mark.parametrize(("key", "hour", "minute"), [("rol_deadline", 21, 0),
                                                     ("match_day", 12, 0)])
def test_key_dates_with_an_hour_are_at_that_hour_in_new_york(cli: Any, key: str, hour: int,
                                                             minute: int) -> None:
    data = _ics(cli)
    event = next(e for e in _events(data) if str(e["uid"]) == f"imgplan-2029-key-{key}@imgplan")
    start = event["dtstart"].dt
    assert (start.hour, start.minute) == (hour, minute)
    assert "TZID=America/New_York" in data.decode()



def test_ics_key_dates_equal_the_calendar_command(cli: Any) -> None:
    result = cli("calendar", "--match", "2029", "--today", TODAY, "--format", "json")
    expected = {key: entry["date"] for key, entry in json.loads(result.stdout)["key_dates"].items()}
    found = {
        str(e["uid"]).removeprefix("imgplan-2029-key-").removesuffix("@imgplan"):
            _day(e["dtstart"].dt).isoformat()
        for e in _events(_ics(cli)) if "key date" in _categories(e)
    }
    assert found == expected


def _day(value: Any) -> date:
    """An event's day: an all-day date, or the day of a time in its own zone."""
    return value.date() if isinstance(value, datetime) else value


def test_match_day_is_on_the_third_friday_of_march(cli: Any) -> None:
    events = {str(e["uid"]): e for e in _events(_ics(cli))}
    match_day = events["imgplan-2029-key-match_day@imgplan"]
    assert _day(match_day["dtstart"].dt) == date(2029, 3, 16)
    assert str(match_day["summary"]).startswith("Match Day")
    rol = events["imgplan-2029-key-rol_deadline@imgplan"]
    assert _day(rol["dtstart"].dt) == date(2029, 2, 28)
    assert "rank-order-list" in str(rol["summary"]) and "9 p.m. ET" in str(rol["summary"])


def test_two_runs_give_identical_files(cli: Any) -> None:
    assert _ics(cli) == _ics(cli)


def test_uids_do_not_depend_on_the_day_it_runs(cli: Any) -> None:
    first = {str(e["uid"]) for e in _events(_ics(cli))}
    later = cli("timeline", "--match", "2029", "--today", "2027-01-10", "--format", "ics")
    assert later.exit_code == 0
    again = {str(e["uid"]) for e in _events(later.stdout_bytes)}
    keys = {uid for uid in first if "-key-" in uid}
    assert keys and keys <= again
    stamps = {e["dtstamp"].dt.date() for e in _events(later.stdout_bytes)}
    assert stamps == {date(2027, 1, 10)}  # from --today, never the clock


def test_every_hard_deadline_has_a_reminder_a_week_before(cli: Any) -> None:
    events = _events(_ics(cli))
    hard = [e for e in events if "hard deadline" in _categories(e)]
    assert len(hard) >= 5
    for event in hard:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1, event["summary"]
        assert alarms[0]["trigger"].dt.days == -7
    assert not any(e.walk("VALARM") for e in events if "target" in _categories(e))


def test_stage_entries_carry_the_plans_latest_dates(cli: Any) -> None:
    plan = json.loads(cli(*PLAN, "--format", "json").stdout)
    step2ck = next(s for s in plan["stages"] if s["id"] == "step2ck")
    events = {str(e["uid"]): e for e in _events(_ics(cli))}
    start = events["imgplan-2029-stage-step2ck-latest-start@imgplan"]
    assert str(start["summary"]) == "Start Step 2 CK preparation (latest)"
    assert start["dtstart"].dt.isoformat() == step2ck["latest_start"]
    for deadline in step2ck["deadlines"]:
        uid = (f"imgplan-2029-stage-step2ck-{deadline['level']}-{deadline['applies_to']}-"
               f"{deadline['anchor']}@imgplan")
        assert events[uid]["dtstart"].dt.isoformat() == deadline["due"]
    description = str(events["imgplan-2029-stage-step2ck-hard-result-rol_deadline@imgplan"]
                      ["description"])
    assert "Estimated from the rule" in description and "Source of the deadline" in description


def test_calendar_ics_has_the_same_key_date_entries(cli: Any) -> None:
    result = cli("calendar", "--match", "2029", "--today", TODAY, "--format", "ics")
    assert result.exit_code == 0
    alone = {str(e["uid"]): e["dtstart"].dt for e in _events(result.stdout_bytes)}
    in_plan = {str(e["uid"]): e["dtstart"].dt for e in _events(_ics(cli))
               if "key date" in _categories(e)}
    assert alone == in_plan


def test_ics_output_file_equals_stdout(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    result = cli(*PLAN, "--format", "ics", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_bytes() == _ics(cli)


# -- Markdown, SVG, plain text ----------------------------------------------------------------


def test_markdown_has_the_verdict_a_table_and_next_steps(cli: Any) -> None:
    result = cli(*PLAN, "--format", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# Match 2029")
    assert "**Match 2029 is reachable: every deadline is met.**" in text
    assert "| Stage | Start | Finish |" in text and "| Step 2 CK | 31 Aug 2027 |" in text
    assert "## Next steps" in text and "## Key dates" in text
    assert "\x1b[" not in text


def test_markdown_says_what_breaks_a_plan_out_of_reach(cli: Any) -> None:
    text = cli("timeline", "--match", "2027", "--today", TODAY, "--format", "markdown").stdout
    assert "**Match 2027 is out of reach.**" in text
    assert "What breaks it:" in text and "Earliest feasible Match: 2029." in text
    assert "## Warnings" in text


def test_calendar_markdown(cli: Any) -> None:
    result = cli("calendar", "--match", "2029", "--today", TODAY, "--format", "markdown")
    assert result.exit_code == 0
    assert "| Fri 16 Mar 2029 | Match Day (results at 12 p.m. ET) `match_day` | estimated |" \
        in result.stdout


def test_svg_is_an_svg_and_is_stable(cli: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for target in (first, second):
        result = cli(*PLAN, "--format", "svg", "--output", str(target))
        assert result.exit_code == 0, result.output
    text = first.read_text(encoding="utf-8")
    assert text.startswith("<svg") and text.rstrip().endswith("</svg>")
    assert "Match&#160;2029&#160;is&#160;reachable" in text  # Rich writes spaces as &#160;
    assert first.read_bytes() == second.read_bytes()


def test_table_to_a_file_is_plain_text(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    result = cli(*PLAN, "--output", str(target))
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "Match 2029 is reachable" in text and "Step 2 CK" in text
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 120


def test_json_to_a_file_equals_stdout(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    assert cli(*PLAN, "--format", "json", "--output", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == cli(*PLAN, "--format", "json").stdout


def test_output_replaces_an_existing_file(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old\n")
    assert cli(*PLAN, "--format", "markdown", "--output", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Match 2029")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]  # no temporary file left


# -- --output refuses ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ics", "markdown", "svg", "json", "table"])
def test_output_refuses_the_profile(cli: Any, profile_path: Path, fmt: str) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("schema_version: 1\n")
    result = cli(*PLAN, "--format", fmt, "--output", str(profile_path))
    refused(result, "will not overwrite your profile")
    assert profile_path.read_text() == "schema_version: 1\n"


def test_output_refuses_the_profile_named_by_a_flag(cli: Any, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("schema_version: 1\n")
    result = cli(*PLAN, "--profile", str(mine), "--format", "ics", "--output", str(mine))
    refused(result, "will not overwrite your profile")
    assert mine.read_text() == "schema_version: 1\n"


def test_output_refuses_the_profile_from_calendar_too(cli: Any, profile_path: Path) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("schema_version: 1\n")
    result = cli("calendar", "--match", "2029", "--today", TODAY, "--format", "markdown",
                 "--output", str(profile_path))
    refused(result, "will not overwrite your profile")
    assert profile_path.read_text() == "schema_version: 1\n"


def test_output_refuses_a_folder(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    refused(cli(*PLAN, "--format", "ics", "--output", str(folder)), "is a folder")
    assert list(folder.iterdir()) == []


def test_output_refuses_rules_files(cli: Any, tmp_path: Path) -> None:
    packaged = data_path("rules.yaml")
    before = packaged.read_bytes()
    refused(cli(*PLAN, "--format", "ics", "--output", str(packaged)),
             "will not overwrite the packaged rules file")
    assert packaged.read_bytes() == before
    mine = tmp_path / "my-rules.yaml"
    mine.write_bytes(before)
    result = cli(*PLAN, "--rules", str(mine), "--format", "markdown", "--output", str(mine))
    refused(result, "will not overwrite the rules file")
    assert mine.read_bytes() == before


def test_output_refuses_a_missing_folder(cli: Any, tmp_path: Path) -> None:
    refused(cli(*PLAN, "--format", "ics", "--output", str(tmp_path / "no" / "plan.ics")),
             "its folder does not exist")


# -- with a profile: booked exams, and the readiness review ------------------------------------


@pytest.fixture
def sample(cli: Any) -> None:
    """A person with Step 1 passed, Step 2 CK under way and OET booked, for Match 2028."""
    steps = [
        ["init", "--no-input", "--match", "2028", "--specialty", "internal-medicine", "--visa",
         "j1", "--graduation", "2025-06-30", "--school-listed"],
        ["mark", "credentials", "done", "--date", "2026-02-20"],
        ["mark", "step1", "passed", "--date", "2026-09-15"],
        ["mark", "step2ck", "in_progress", "--started", "2026-10-01"],
        ["mark", "oet", "scheduled", "--date", "2027-01-16"],
    ]
    for step in steps:
        result = cli(*step, "--today", TODAY)
        assert result.exit_code == 0, result.output


def test_ics_follows_the_profile(cli: Any, sample: None) -> None:
    result = cli("timeline", "--today", TODAY, "--format", "ics")
    assert result.exit_code == 0, result.output
    events = {str(e["uid"]): e for e in _events(result.stdout_bytes)}
    assert not any("-stage-credentials-" in uid or "-stage-step1-" in uid for uid in events)
    assert "imgplan-2028-stage-step2ck-latest-start@imgplan" not in events  # under way
    booked = events["imgplan-2028-stage-oet-booked@imgplan"]
    assert booked["dtstart"].dt == date(2027, 1, 16)
    assert str(booked["summary"]) == "OET exam (booked)"


def test_check_markdown_has_the_verdict_the_items_and_the_next_actions(
        cli: Any, sample: None) -> None:
    result = cli("check", "--today", TODAY, "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# Match 2028: readiness")
    assert "**Not ready for Match 2028:" in text
    assert "| Status | Item | Due | Detail |" in text
    assert "## Next actions, most urgent first" in text and "\n1. " in text


def test_check_svg_and_its_refusals(cli: Any, sample: None, profile_path: Path,
                                    tmp_path: Path) -> None:
    target = tmp_path / "check.svg"
    result = cli("check", "--today", TODAY, "--format", "svg", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<svg")
    before = profile_path.read_bytes()
    refused(cli("check", "--today", TODAY, "--format", "markdown", "--output",
                 str(profile_path)), "will not overwrite your profile")
    assert profile_path.read_bytes() == before


# -- the format a file's name says ------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("plan.ics", "ics"), ("plan.json", "json"),
                                           ("plan.md", "markdown"), ("plan.svg", "svg"),
                                           ("plan.txt", "table"), ("PLAN.ICS", "ics")])
def test_output_without_format_takes_the_files_extension(cli: Any, tmp_path: Path, name: str,
                                                         fmt: str) -> None:
    # found by a new user: -o plan.ics wrote the text table into plan.ics and exited 0
    target = tmp_path / name
    written = cli(*PLAN, "--output", str(target))
    assert written.exit_code == 0, written.output
    explicit = tmp_path / f"explicit-{name}"
    assert cli(*PLAN, "--format", fmt, "--output", str(explicit)).exit_code == 0
    assert target.read_bytes() == explicit.read_bytes()


def test_an_extension_imgplan_does_not_know_is_the_table(cli: Any, tmp_path: Path) -> None:
    target, table = tmp_path / "plan.out", tmp_path / "plan.txt"
    assert cli(*PLAN, "--output", str(target)).exit_code == 0
    assert cli(*PLAN, "--format", "table", "--output", str(table)).exit_code == 0
    assert target.read_bytes() == table.read_bytes()


@pytest.mark.parametrize(("args", "name", "message"), [
    ((*PLAN, "--format", "json"), "plan.ics",
     "--output: --format json does not match the file's extension .ics (ics)"),
    ((*PLAN, "--format", "table"), "plan.md",
     "--output: --format table does not match the file's extension .md (markdown)"),
    (("check", "--today", TODAY), "report.ics",
     "--output: this command cannot write a .ics file: its formats are table, json, markdown"),
    (("rules", "sources", "--today", TODAY), "facts.svg",
     "--output: this command cannot write a .svg file"),
])
def test_a_format_the_files_name_contradicts_is_refused_before_any_work(
        cli: Any, tmp_path: Path, args: tuple[str, ...], name: str, message: str) -> None:
    target = tmp_path / name
    refusal = refused(cli(*args, "--output", str(target)), f"{target}: {message}")
    assert refusal
    assert not target.exists()


@pytest.mark.parametrize("args", [PLAN, ("check", "--today", TODAY)])
def test_svg_loads_nothing_from_the_network(cli: Any, args: tuple[str, ...]) -> None:
    # found by a new user: every picture asked a CDN for its font when opened
    shown = cli(*args, "--format", "svg")
    assert shown.exit_code in (0, 1), shown.output
    picture = shown.stdout
    assert "@font-face" not in picture
    assert not re.findall(r"url\((?!#)", picture)  # only the picture's own parts (clip paths)
    assert "font-family: monospace;" in picture
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", picture))
    assert addresses <= {"http://www.w3.org/2000/svg", "https://www.textualize.io"}, addresses


def test_exports_say_whose_plan_and_when(cli: Any, tmp_path: Path) -> None:
    """Issue 13, part 7: the profile's name, the Match year, today and imgplan's release in
    the heading of Markdown, the picture and the calendar's name (found: "my plan")."""
    from imgplan import __version__

    made = cli("init", "--no-input", "--match", "2029", "--name", "Amara Okafor",
               "--specialty", "IM", "--visa", "J-1", "--graduation", "2024-06-30",
               "--today", TODAY)
    assert made.exit_code == 0, made.stderr
    markdown = cli("timeline", "--today", TODAY, "-f", "markdown").stdout
    assert markdown.startswith("# Match 2029: Amara Okafor's plan\n")
    assert f"as of Sun 22 Nov 2026, made by imgplan {__version__}" in markdown
    report = cli("check", "--today", TODAY, "-f", "markdown").stdout
    assert report.startswith("# Match 2029: Amara Okafor's readiness\n")
    calendar = cli("timeline", "--today", TODAY, "-f", "ics").stdout
    assert "X-WR-CALNAME:imgplan: Match 2029: Amara Okafor's plan" in calendar
    picture = cli("timeline", "--today", TODAY, "-f", "svg").stdout
    assert (f"Amara&#160;Okafor:&#160;imgplan&#160;timeline&#160;--match&#160;2029,&#160;"
            f"2026-11-22&#160;(imgplan&#160;{__version__})") in picture
