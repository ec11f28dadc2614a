"""``imgplan compare`` (issue 15, part 1): plans side by side, each row the timeline's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")


def test_four_rows_whose_verdicts_equal_the_timelines(cli: Run) -> None:
    result = cli("compare", "--match", "2028", "--match", "2029", "--visa", "J-1", "--visa",
                 "h1b", "-f", "json", *TODAY)
    assert result.exit_code == 0, result.stderr
    scenarios = json.loads(result.stdout)["scenarios"]
    assert [(s["match_year"], s["visa"]) for s in scenarios] == [
        (2028, "j1"), (2028, "h1b"), (2029, "j1"), (2029, "h1b")]
    for scenario in scenarios:
        plan = json.loads(cli("timeline", "--match", str(scenario["match_year"]), "--visa",
                              scenario["visa"], "-f", "json", *TODAY).stdout)
        for key in ("feasible", "eligible", "earliest_feasible_match", "breaks", "pace"):
            assert scenario[key] == plan[key], (scenario["match_year"], key)
        budget = json.loads(cli("budget", "--match", str(scenario["match_year"]), "--visa",
                                scenario["visa"], "-f", "json", *TODAY).stdout)
        assert scenario["budget_total_usd"] == budget["total_usd"]
    assert sum(s["best"] for s in scenarios) == 1
    best = next(s for s in scenarios if s["best"])
    assert best["feasible"] and best["match_year"] == 2029
    assert "exams_start_by" in best and "USMLE Step 3" not in " ".join(
        scenarios[2]["exams_start_by"])


def test_the_table_marks_the_best_and_says_what_a_year_buys(cli: Run,
                                                           profile_path: Path) -> None:
    assert cli("init", "--no-input", "--match", "2028", "--specialty", "IM", "--visa", "j1",
               "--graduation", "2021-06-30", *TODAY).exit_code == 0
    shown = cli("compare", *TODAY).stdout  # the profile's year and the next
    flat = " ".join(shown.split())
    lines = shown.splitlines()
    for year in ("2028", "2029"):  # each row: its Match, then its route and pace under it
        at = next(i for i, line in enumerate(lines) if f"Match {year} " in line)
        assert "j1, typical" in lines[at + 1]
    assert "★" in shown and "…" not in shown
    assert "Match 2029 over 2028 (j1, typical): Step 2 CK gets" in flat
    assert "graduation is 8 years old by then" in flat


def test_a_bad_pace_or_route_is_one_line(cli: Run) -> None:
    for args in (("--pace", "slowly"), ("--visa", "K-1")):
        result = cli("compare", *args, *TODAY)
        assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
