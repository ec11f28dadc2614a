"""The whole cycle: after the rank list is certified, Match Week, SOAP, the visa and the
certificate by July 1 are planned; unmatched moves the person to the next Match with what
stays valid; a SOAP offer brings the Match back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from refusals import refused

Run = Callable[..., Any]

CERTIFIED = """\
schema_version: 2
graduation: 2024-06-30
specialty: internal-medicine
match_year: 2027
visa: j1
stages:
  credentials: {status: done, date: 2025-01-10}
  step1: {sittings: [{date: 2025-03-10, result: passed}]}
  step2ck: {sittings: [{date: 2025-06-10, result: passed, score: 240}]}
  oet:
    sittings:
    - date: 2025-07-01
      result: passed
      scores: {listening: 400, reading: 400, writing: 400, speaking: 400}
  pathway: {status: done, date: 2026-09-01}
  usce: {status: done, date: 2025-10-01, started: 2025-08-01}
  lors: {status: done, date: 2026-01-03}
  application_documents: {status: done, date: 2026-05-01}
  eras: {status: done, date: 2026-09-10, programs: 120}
  nrmp_registration: {status: done, date: 2026-09-20}
  rank_list: {status: done, date: 2027-02-20}
confirmations: {rank_strategy: 2027-02-10}
"""


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def timeline(cli: Run, today: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(cli("timeline", "--format", "json", "--today", today,
                                            *args)))
    return data


def stages(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {stage["id"]: stage for stage in plan["stages"]}


@pytest.fixture
def certified(profile_path: Path) -> Path:
    profile_path.parent.mkdir(parents=True, exist_ok=True)
    profile_path.write_text(CERTIFIED, encoding="utf-8")
    return profile_path


def test_after_the_rol_deadline_a_certified_list_keeps_the_match_planned(
        cli: Run, certified: Path) -> None:
    plan = timeline(cli, "2027-03-16")
    assert plan["match_year"] == 2027 and plan["feasible"] is True
    found = stages(plan)
    # what the certified list implies is done, not planned
    assert found["interviews"]["status"] == "done"
    assert found["interviews"]["implied_by"] == "rank_list"
    # Match Week from today to Match Day, then the visa and the certificate by July 1
    assert found["match"]["finish"] == plan["key_dates"]["match_day"]["date"] == "2027-03-19"
    assert found["visa"]["start"] >= "2027-03-19"
    assert found["ecfmg_certification"]["latest_finish"] <= "2027-07-01"
    assert found["residency_start"]["finish"] == "2027-07-01"
    # check agrees, for the same Match
    report = json.loads(cli("check", "--format", "json", "--today", "2027-03-16").stdout)
    assert report["match_year"] == 2027


def test_without_a_certified_list_the_match_is_closed_after_its_deadline(
        cli: Run, certified: Path) -> None:
    certified.write_text(CERTIFIED.replace("  rank_list: {status: done, date: 2027-02-20}\n",
                                           ""), encoding="utf-8")
    refused(cli("timeline", "--today", "2027-03-16"), "match_year",
            "your target Match 2027 is closed")
    assert timeline(cli, "2027-03-16", "--match", "2028")["match_year"] == 2028


def test_a_match_day_without_an_outcome_asks_for_it(cli: Run, certified: Path) -> None:
    plan = timeline(cli, "2027-03-25")
    assert plan["match_year"] == 2027
    found = {f["id"]: f for f in plan["findings"]}
    assert found["outcome_not_recorded"]["date"] == "2027-03-19"
    assert stages(plan)["visa"]["status"] != "closed"


def test_unmatched_moves_to_the_next_match_keeping_what_stays_valid(
        cli: Run, certified: Path) -> None:
    said = ok(cli("mark", "match", "unmatched", "--date", "2027-03-15", "--today",
                  "2027-03-16"))
    assert "target is now Match 2028" in said and "SOAP" in said
    assert "carry over" in said  # the Pathway's renewal note, from the rules
    data = yaml.safe_load(certified.read_text(encoding="utf-8"))
    assert data["match_year"] == 2028
    cycle = data["cycles"][0]
    assert (cycle["match_year"], cycle["outcome"]) == (2027, "unmatched")
    assert {"eras", "nrmp_registration", "rank_list", "pathway", "match"} <= set(cycle["stages"])
    assert cycle["confirmations"] == {"rank_strategy": dt.date(2027, 2, 10)}
    assert "eras" not in data["stages"] and "step1" in data["stages"]
    plan = timeline(cli, "2027-03-16")
    assert plan["match_year"] == 2028
    found = stages(plan)
    for kept in ("step1", "step2ck", "credentials", "usce", "lors"):
        assert found[kept]["status"] == "done", kept
    for again in ("eras", "nrmp_registration", "rank_list", "pathway"):
        assert found[again]["status"] != "done", again
    # the OET of 2025 is older than Match 2028's Pathways accept: planned again
    assert found["oet"]["status"] != "done"
    assert "record_too_old" in {f["id"] for f in plan["findings"]}
    # the same outcome twice changes nothing
    before = certified.read_bytes()
    assert "already recorded" in ok(cli("mark", "match", "unmatched", "--date", "2027-03-15",
                                        "--today", "2027-03-16"))
    assert certified.read_bytes() == before


def test_a_soap_offer_brings_that_match_back(cli: Run, certified: Path) -> None:
    ok(cli("mark", "match", "unmatched", "--date", "2027-03-15", "--today", "2027-03-16"))
    said = ok(cli("mark", "match", "matched", "--date", "2027-03-18", "--program",
                  "St Elsewhere IM", "--today", "2027-03-18"))
    assert "SOAP" in said
    data = yaml.safe_load(certified.read_text(encoding="utf-8"))
    assert data["match_year"] == 2027 and "cycles" not in data
    assert data["stages"]["match"]["outcome"] == "matched"
    assert data["stages"]["match"]["program"] == "St Elsewhere IM"
    assert data["stages"]["rank_list"]["status"] == "done"
    plan = timeline(cli, "2027-03-20")
    assert plan["match_year"] == 2027 and stages(plan)["match"]["status"] == "done"


def test_an_outcome_before_match_week_is_refused(cli: Run, certified: Path) -> None:
    before = certified.read_bytes()
    refused(cli("mark", "match", "unmatched", "--date", "2027-03-01", "--today", "2027-03-02"),
            "--date", "before Match Week 2027")
    refused(cli("mark", "match", "done", "--today", "2027-03-16"), "STATUS")
    assert certified.read_bytes() == before


def test_letters_begun_early_finish_after_the_booked_rotation(cli: Run,
                                                              profile_path: Path) -> None:
    today = ("--today", "2026-12-01")
    ok(cli("init", "--no-input", "--match", "2028", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2024-06-30", *today))
    ok(cli("mark", "step1", "passed", "--date", "2026-03-10", *today))
    ok(cli("mark", "step2ck", "scheduled", "--date", "2027-01-15", *today))
    ok(cli("add", "usce", "--kind", "observership", "--start", "2027-02-01", "--end",
           "2027-03-31", *today))
    ok(cli("add", "lor", "--writer", "Dr A", "--us", "--date", "2026-11-20", *today))
    found = stages(timeline(cli, "2026-12-01"))
    assert found["credentials"]["status"] == "done"
    assert found["credentials"]["implied_by"] == "step1"
    assert (found["usce"]["start"], found["usce"]["finish"]) == ("2027-02-01", "2027-03-31")
    assert found["lors"]["finish"] > found["usce"]["finish"]


def test_an_outcome_needs_the_match_it_belongs_to(cli: Run, profile_path: Path) -> None:
    today = ("--today", "2026-12-01")
    ok(cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2024-06-30", *today))
    before = profile_path.read_bytes()
    refused(cli("mark", "match", "matched", "--date", "2026-11-01", *today), "--date",
            "after Match Day 2026")
    refused(cli("mark", "match", "matched", "--date", "2026-03-17", *today), "STATUS",
            "no rank-order list for Match 2026")
    assert profile_path.read_bytes() == before


def test_once_matched_check_names_what_remains(cli: Run, certified: Path) -> None:
    ok(cli("mark", "match", "matched", "--date", "2027-03-19", "--program", "St Elsewhere IM",
           "--today", "2027-03-19"))
    shown = cli("check", "--today", "2027-03-20")
    assert "Matched for 2027" in shown.stdout
    report = json.loads(cli("check", "--format", "json", "--today", "2027-03-20").stdout)
    remaining = {action["stage"] for action in report["next_actions"]}
    assert remaining <= {"ecfmg_certification", "visa", "residency_start"}, remaining
    assert "Matched on 2027-03-19" in cli("timeline", "--today", "2027-03-20").stdout
