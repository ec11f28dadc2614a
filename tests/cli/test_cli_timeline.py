"""`imgplan timeline` and `imgplan calendar` as a new user runs them: no profile, a fixed today.

These are the issue's "Done when" checks, and every error a person can cause with a flag.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imgplan.core.errors import UsageError
from imgplan.files import rules_file as rulesfile
from refusals import refused

Cli = Callable[..., Any]
TODAY = "2026-11-22"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STAGE_LABELS = [
    "Credentials", "Step 1", "Step 2 CK", "OET", "Pathway", "ECFMG certificate", "USCE",
    "Letters", "Statement and CV", "ERAS", "NRMP registration", "Interviews", "Rank list",
    "Match", "Visa", "Residency start",
]  # fmt: skip
STAGE_IDS = [
    "credentials", "step1", "step2ck", "oet", "pathway", "ecfmg_certification", "usce", "lors",
    "application_documents", "eras", "nrmp_registration", "interviews", "rank_list", "match",
    "visa", "residency_start",
]  # fmt: skip


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert result.stderr == ""
    return str(result.stdout)


def entry(table: str, day: str) -> str:
    """The lines of one key date in the calendar table: from its date to the blank line."""
    lines = table.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(day))
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[first:end])


def flat(text: str) -> str:
    """Terminal text without box characters and line breaks: what a person reads."""
    text = re.sub(r"[│╭╮╰╯─┃┏┓┗┛━┡┩┣┫╇╋┳┻┠┨┯┷]", " ", text)
    return " ".join(text.split())


def panel(stdout: str) -> str:
    """The verdict panel's text, its wrapped lines joined."""
    lines = stdout.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("╰"))
    return flat("\n".join(lines[top + 1 : bottom]))


# -- calendar ----------------------------------------------------------------------------------


def test_calendar_2025_json_says_where_each_date_comes_from(cli: Cli) -> None:
    data = json.loads(ok(cli("calendar", "--match", "2025", "--format", "json", "--today", TODAY)))
    assert set(data) == {"match_year", "application_service", "key_dates", "findings"}
    assert data["application_service"] == "eras"
    assert data["match_year"] == 2025
    rol, day = data["key_dates"]["rol_deadline"], data["key_dates"]["match_day"]
    # the deadline from a university's copy of NRMP's calendar; Match Day from NRMP itself
    assert (rol["date"], rol["basis"], rol["official"]) == ("2025-03-05", "secondary", False)
    assert (day["date"], day["basis"], day["official"]) == ("2025-03-21", "official", True)
    assert rol["source"] == (
        "UPR copy of the NRMP 2025 calendar https://md.rcm.upr.edu/adsa/careers-in-medicine/")
    assert "rule" not in rol and "rule" not in day  # published: a source, not a rule
    assert rol["time"] == "9 p.m. ET"


def test_calendar_2031_gives_the_third_friday_estimated_with_its_rule(cli: Cli) -> None:
    data = json.loads(ok(cli("calendar", "--match", "2031", "-f", "json", "--today", TODAY)))
    day = data["key_dates"]["match_day"]
    assert (day["date"], day["official"]) == ("2031-03-21", False)
    assert day["rule"] == "third Friday of March of the Match year"
    assert data["key_dates"]["rol_deadline"]["date"] == "2031-03-05"
    for key_id, entry in data["key_dates"].items():
        assert ISO.match(entry["date"]), key_id
        assert {"date", "official", "source", "kind", "name"} <= set(entry), key_id
        assert entry["source"], key_id
        if not entry["official"]:
            assert entry["rule"], key_id
    dates = [entry["date"] for entry in data["key_dates"].values()]
    assert dates == sorted(dates)


def test_calendar_2031_table_says_estimated_and_shows_the_rule(cli: Cli) -> None:
    out = ok(cli("calendar", "--match", "2031", "--today", TODAY))
    assert out.startswith("Match 2031: key dates")
    row = entry(out, "Fri 21 Mar 2031")
    assert "Match Day (results at 12 p.m. ET)" in flat(row)
    assert row.splitlines()[1].startswith("estimated ")  # the basis, under the date
    assert "rule: third Friday of March of the Match" in flat(row)
    assert entry(out, "Tue 1 Jul 2031").splitlines()[1].startswith("official ")  # July 1
    assert "Estimated dates follow the cycle's pattern" in flat(out)


def test_calendar_2025_table_says_which_kind_of_date_and_shows_the_source(cli: Cli) -> None:
    out = ok(cli("calendar", "--match", "2025", "--today", TODAY))
    row = entry(out, "Wed 5 Mar 2025")
    assert row.splitlines()[1].startswith("secondary ")
    assert "UPR copy of the NRMP 2025" in flat(row)
    assert entry(out, "Fri 21 Mar 2025").splitlines()[1].startswith("official ")


def test_no_date_is_official_unless_its_body_published_it(cli: Cli) -> None:
    rules = rulesfile.load_rules()
    for year in range(2023, 2028):
        data = json.loads(ok(cli("calendar", "--match", str(year), "-f", "json", "--today",
                                 TODAY)))
        for key_id, entry in data["key_dates"].items():
            assert entry["official"] is (entry["basis"] == "official"), (year, key_id)
            if entry["official"]:
                assert any(site in entry["source"] for site in rules.official_sites), (
                    year, key_id, entry["source"])
    eras = json.loads(ok(cli("calendar", "--match", "2027", "-f", "json", "--today", TODAY)))
    assert eras["key_dates"]["eras_opens"]["basis"] == "secondary"  # a prep blog


def test_calendar_of_a_closed_year_is_still_shown(cli: Cli) -> None:
    # the calendar is history too; only planning for a closed Match is refused
    data = json.loads(ok(cli("calendar", "--match", "2024", "-f", "json", "--today", TODAY)))
    assert data["key_dates"]["rol_deadline"]["date"] == "2024-02-28"


@pytest.mark.parametrize("year", ["1999", "2100", "-5", "0"])
def test_calendar_refuses_a_year_out_of_range(cli: Cli, year: str) -> None:
    refused(cli("calendar", "--match", year, "--today", TODAY),
            exact=f"--match: Match {year} is outside the years imgplan can compute (2023-2041) "
            "(the calendar's pattern holds from Match 2023; give a year like 2028)")


# -- timeline: the Done-when checks ------------------------------------------------------------


def test_timeline_2027_is_out_of_reach_and_says_why(cli: Cli) -> None:
    out = ok(cli("timeline", "--match", "2027", "--today", TODAY))
    verdict = panel(out)
    assert verdict == (
        "Match 2027 is out of reach. "
        "What breaks it: Pathway, 22 days late (2027-02-22 against 2027-01-31: ECFMG's "
        "Pathways deadline: the application and every supporting document must be in by it "
        "(imgplan plans the whole Pathway by then)). "
        "The late chain starts at: OET (slack -22 days). "
        "Earliest feasible Match: 2029.")
    assert "Match 2027 - typical pace, visa j1, today 2026-11-22" in out
    assert "USMLE Step 1: score expected 2027-09-28, 209 days after the hard deadline " \
        "2027-03-03" in flat(out)


def test_timeline_2027_json_names_the_break(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--match", "2027", "--today", TODAY, "-f", "json")))
    assert (data["feasible"], data["eligible"], data["earliest_feasible_match"]) == (
        False, False, 2029)
    assert data["breaks"]["stage"] == "pathway"
    assert data["breaks"]["days_short"] == 22
    assert any(stage["slack_days"] < 0 for stage in data["stages"])


def test_timeline_2029_shows_every_stage_in_the_table_and_the_chart(cli: Cli) -> None:
    out = ok(cli("timeline", "--match", "2029", "--today", TODAY))
    assert panel(out) == (
        "Match 2029 is reachable: every deadline is met. "
        "Least slack: 156 days, on Credentials, Step 1, Step 2 CK, USCE, Letters.")
    lines = out.splitlines()
    # the table: a header, a rule, then one row per stage; columns are set apart by 2+ spaces
    header = next(i for i, line in enumerate(lines) if line.startswith("Stage "))
    assert re.split(r"\s{2,}", lines[header].strip()) == [
        "Stage", "Start", "Finish", "Result", "Finish by", "Slack", "Status"]
    rows = lines[header + 2:header + 2 + len(STAGE_LABELS)]
    assert [re.split(r"\s{2,}", row.strip())[0] for row in rows] == STAGE_LABELS
    step1 = next(row for row in rows if row.startswith("Step 1 "))
    cells = re.split(r"\s{2,}", step1.strip())
    assert cells == ["Step 1", "17 Jan 2027", "31 Aug 2027", "score 28 Sep 2027", "5 Feb 2028",
                     "158d", "upcoming *"]
    # the Gantt chart: an axis, then one row per stage with its bar
    after_table = lines[header + 2 + len(STAGE_LABELS):]
    chart = [line for line in after_table if any(line.startswith(label.ljust(17) + "  ")
                                                 for label in STAGE_LABELS)]
    assert [line[:17].strip() for line in chart] == STAGE_LABELS
    assert all("█" in line for line in chart)
    axis = lines[lines.index(chart[0]) - 1]
    # a month axis from the month before today's to after Residency start, ticks from
    # January, every January with its year
    assert axis.split() == ["Jan", "'27", "May", "Sep", "Jan", "'28", "May", "Sep", "Jan",
                            "'29", "May"]
    assert "█ planned  ▓ done  | latest finish  ┊ today" in out
    assert "┊" in chart[1]  # the marker for today
    assert "slack: days it can slip with every deadline met * critical: least slack ~ " \
        "estimated" in flat(out)
    assert "Warnings" not in out


def test_timeline_json_follows_the_contract(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--match", "2029", "--today", TODAY, "--format",
                             "json")))
    # design.md's keys, in its order (and additions after none of them)
    contract = ["match_year", "today", "pace", "visa", "feasible", "eligible",
                "earliest_feasible_match", "key_dates", "stages", "warnings"]
    assert [key for key in data if key in contract] == contract
    assert (data["match_year"], data["today"], data["pace"], data["visa"]) == (
        2029, "2026-11-22", "typical", "j1")
    assert (data["feasible"], data["eligible"], data["earliest_feasible_match"]) == (
        True, True, 2029)
    assert data["warnings"] == []
    match_day = data["key_dates"]["match_day"]
    assert (match_day["date"], match_day["official"]) == ("2029-03-16", False)
    assert match_day["source"].startswith("https://en.wikipedia.org/wiki/Match_Day_(medicine)")
    for key_id, entry in data["key_dates"].items():
        assert ISO.match(entry["date"]), key_id
        assert isinstance(entry["official"], bool) and isinstance(entry["source"], str)
    assert [stage["id"] for stage in data["stages"]] == STAGE_IDS
    stage_keys = ["id", "name", "phase", "status", "start", "finish", "latest_start",
                  "latest_finish", "slack_days", "critical"]
    for stage in data["stages"]:
        assert [key for key in stage if key in stage_keys] == stage_keys, stage["id"]
        for key in ("start", "finish", "latest_start", "latest_finish"):
            assert stage[key] is None or ISO.match(stage[key]), (stage["id"], key)
        assert isinstance(stage["slack_days"], int) and stage["slack_days"] >= 0
        assert isinstance(stage["critical"], bool)
        assert stage["status"] == "upcoming"
    step1 = data["stages"][1]
    assert {key: step1[key] for key in stage_keys} == {
        "id": "step1", "name": "USMLE Step 1", "phase": "exams", "status": "upcoming",
        "start": "2027-01-17", "finish": "2027-08-31", "latest_start": "2027-06-22",
        "latest_finish": "2028-02-05", "slack_days": 158, "critical": True,
    }


def test_timeline_without_match_takes_the_earliest_feasible_year(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--today", TODAY, "--format", "json")))
    assert data["match_year"] == 2029
    assert data["earliest_feasible_match"] == 2029
    assert data["feasible"] is True
    out = ok(cli("timeline", "--today", TODAY))
    assert "Match 2029 - typical pace, visa j1, today 2026-11-22" in out


def test_timeline_without_a_profile_says_so(cli: Cli, profile_path: Path) -> None:
    out = ok(cli("timeline", "--match", "2029", "--today", TODAY))
    first = flat(out.split("╭")[0])
    assert first == (
        f"No profile at {profile_path}: planning from scratch (nothing done yet). Run "
        "'imgplan init' to plan from where you stand.")
    assert not profile_path.exists()  # looking for it wrote nothing


def test_pace_and_visa_flags_reach_the_plan(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--match", "2029", "--today", TODAY, "-f", "json",
                             "--pace", "fast", "--visa", "h1b")))
    assert (data["pace"], data["visa"]) == ("fast", "h1b")
    ids = [stage["id"] for stage in data["stages"]]
    assert "step3" in ids
    assert data["stages"][1]["finish"] == "2027-06-20"  # Step 1 in 6 months


def test_undecided_visa_plans_as_j1_and_warns(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--match", "2029", "--today", TODAY, "-f", "json",
                             "--visa", "undecided")))
    assert data["visa"] == "undecided"
    assert "step3" not in [stage["id"] for stage in data["stages"]]
    assert data["warnings"][0].startswith("Visa route undecided: planned as J-1.")


# -- today from the environment ----------------------------------------------------------------


def test_imgplan_today_works_like_the_flag(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    flag = ok(cli("timeline", "--match", "2027", "--today", TODAY, "-f", "json"))
    monkeypatch.setenv("IMGPLAN_TODAY", TODAY)
    env = ok(cli("timeline", "--match", "2027", "-f", "json"))
    assert env == flag
    assert json.loads(env)["today"] == TODAY
    # the flag wins over the environment
    later = json.loads(ok(cli("timeline", "--match", "2029", "--today", "2027-05-01", "-f",
                              "json")))
    assert later["today"] == "2027-05-01"


def test_imgplan_today_that_is_not_a_date_is_refused(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMGPLAN_TODAY", "2026-02-30")
    refused(cli("timeline", "--match", "2029"),
            exact="$IMGPLAN_TODAY: '2026-02-30' is not a date: February 2026 has 28 days")


def test_imgplan_today_decides_which_match_is_closed(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMGPLAN_TODAY", "2026-03-04")  # Match 2026's ROL deadline
    data = json.loads(ok(cli("timeline", "--match", "2026", "-f", "json")))
    assert data["today"] == "2026-03-04"
    assert data["feasible"] is False


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["1999", "2100", "-5", "0", "2042"])
def test_match_out_of_range_is_refused(cli: Cli, year: str) -> None:
    refused(cli("timeline", "--match", year, "--today", TODAY),
            exact=f"--match: Match {year} is outside the years imgplan can compute (2023-2041) "
            "(the calendar's pattern holds from Match 2023; give a year like 2028)")


def test_the_last_year_of_the_horizon_is_planned(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--match", "2041", "--today", TODAY, "-f", "json")))
    assert data["match_year"] == 2041


def test_match_that_is_not_a_number_is_refused(cli: Cli) -> None:
    err = flat(refused(cli("timeline", "--match", "abc", "--today", TODAY)))
    # click words the refusal; imgplan's contract is one line naming the flag and the value
    assert "'--match'" in err and "'abc'" in err


@pytest.mark.parametrize(
    ("today", "message"),
    [
        ("2026-02-30", "--today: '2026-02-30' is not a date: February 2026 has 28 days"),
        ("", "--today: '' is not a date (write it as 2026-03-15, 2026-03, 15 March 2026 or "
             "March 2026)"),
        ("tomorrow", "--today: 'tomorrow' is not a date (write it as 2026-03-15, 2026-03, "
                     "15 March 2026 or March 2026)"),
    ],
)
def test_impossible_today_is_refused(cli: Cli, today: str, message: str) -> None:
    refused(cli("timeline", "--match", "2029", "--today", today),
            exact=message)


def test_unknown_pace_is_refused(cli: Cli) -> None:
    err = flat(refused(cli("timeline", "--today", TODAY, "--pace", "zzz")))
    assert "'--pace'" in err and "'zzz'" in err


def test_unknown_visa_is_refused(cli: Cli) -> None:
    err = flat(refused(cli("timeline", "--today", TODAY, "--visa", "zzz")))
    assert "'--visa'" in err and "'zzz'" in err


@pytest.mark.parametrize("command", ["timeline", "calendar"])
def test_unknown_format_is_refused(cli: Cli, command: str) -> None:
    err = flat(refused(cli(command, "--match", "2029", "--today", TODAY, "--format", "zzz")))
    assert "'--format'" in err and "'zzz'" in err


def test_calendar_needs_a_match_year(cli: Cli) -> None:
    err = flat(refused(cli("calendar", "--today", TODAY)))
    assert "Missing option '--match' / '-m'" in err


@pytest.mark.parametrize(
    ("year", "deadline"), [("2026", "2026-03-04"), ("2025", "2025-03-05"), ("2023", "2023-03-01")]
)
def test_a_closed_match_is_refused(cli: Cli, year: str, deadline: str) -> None:
    refused(cli("timeline", "--match", year, "--today", TODAY),
            exact=f"--match: Match {year} is closed: its rank-order-list deadline was {deadline} "
            "(the first Match still open is 2027)")


def test_a_match_is_open_until_its_rol_deadline(cli: Cli) -> None:
    data = json.loads(ok(cli("timeline", "--match", "2027", "--today", "2027-03-03", "-f",
                             "json")))
    assert data["match_year"] == 2027
    refused(cli("timeline", "--match", "2027", "--today", "2027-03-04"),
            exact="--match: Match 2027 is closed: its rank-order-list deadline was 2027-03-03 "
            "(the first Match still open is 2028)")


def test_debug_lets_the_error_through(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGPLAN_DEBUG", "1")
    result = cli("timeline", "--match", "1999", "--today", TODAY)
    assert isinstance(result.exception, UsageError)
    assert result.exit_code == 1
    assert "Match 1999 is outside the years" in str(result.exception)
    assert result.exc_info is not None and result.exc_info[2] is not None  # a traceback


def test_debug_prints_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "IMGPLAN_PROFILE": str(tmp_path / "profile.yaml"), "NO_COLOR": "1"}
    args = [sys.executable, "-m", "imgplan", "timeline", "--match", "1999", "--today", TODAY]
    env.pop("IMGPLAN_DEBUG", None)
    quiet = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 2
    assert quiet.stderr.startswith("imgplan: error: --match: Match 1999 is outside")
    assert "Traceback" not in quiet.stderr
    env["IMGPLAN_DEBUG"] = "1"
    loud = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr
    assert "imgplan.core.errors.UsageError: --match: Match 1999 is outside" in loud.stderr


@pytest.mark.parametrize("command", [("timeline",), ("calendar", "--match", "2030")])
def test_a_today_too_early_for_any_match_is_refused(cli: Cli, command: tuple[str, ...]) -> None:
    refused(cli(*command, "--today", "1900-01-01"),
            exact="today: 1900-01-01 is too early: imgplan plans at most 15 years ahead, and its "
            "calendar starts with Match 2023")


def test_what_was_done_long_ago_is_a_dated_marker_not_a_stretched_chart(cli: Cli) -> None:
    made = cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert made.exit_code == 0, made.output
    assert cli("mark", "step1", "passed", "--date", "2025-03-10", "--today",
               "2026-11-22").exit_code == 0
    out = ok(cli("timeline", "--today", "2026-11-22"))
    lines = out.splitlines()
    row = next(line for line in lines if line.startswith("Step 1 ") and "◂" in line)
    assert "◂ 10 Mar 2025" in row and "▓" not in row
    axis = next(line for line in lines if "Jan '27" in line)
    assert "'25" not in axis and "'26" not in axis  # the chart starts a month before today
