"""Tables that never lose a value (issue 13, part 1): at every width from 60 columns up, and
redirected, no date, number or status is cut, and no cell ends in "…"."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")
WIDTHS = (60, 64, 72, 80, 90, 99, 100, 110, 140)
YEAR = re.compile(r"\b20\d\d\b")
STATUS = re.compile(r"\s(upcoming|done|done \(implied\)|scheduled|in[ -]progress|late|overdue|"
                    r"closed)( \*)?\s*$")


def on_the_road(cli: Run) -> None:
    """Someone mid-way: a failed sitting, a booked exam, a passed one, a rotation booked."""
    for args in (
        ["init", "--no-input", "--match", "2028", "--specialty", "Internal Medicine",
         "--visa", "J-1", "--graduation", "2019-06-30"],
        ["mark", "step1", "failed", "--date", "2026-03-10"],
        ["mark", "step1", "passed", "--date", "2026-07-10"],
        ["mark", "Step 2 CK", "booked", "--date", "2027-01-15"],
        ["mark", "oet", "in progress", "--date", "2026-11-01"],
        ["add", "usce", "--kind", "externship", "--start", "2027-02-01", "--end", "2027-03-31"],
    ):
        result = cli(*args, *TODAY)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)


PROFILES = {"from scratch": None, "on the road": on_the_road}


def stage_rows(cli: Run, match: str) -> list[dict[str, Any]]:
    result = cli("timeline", "--match", match, "--format", "json", *TODAY)
    assert result.exit_code in (0, 1), result.stderr
    return list(json.loads(result.stdout)["stages"])


@pytest.mark.parametrize("who", list(PROFILES))
@pytest.mark.parametrize("width", WIDTHS)
def test_timeline_keeps_every_value(cli: Run, monkeypatch: pytest.MonkeyPatch, who: str,
                                    width: int) -> None:
    make = PROFILES[who]
    if make is not None:
        make(cli)
    match = "2029" if make is None else "2028"
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli("timeline", "--match", match, *TODAY)
    assert result.exit_code in (0, 1), result.stderr
    shown = result.stdout
    assert "…" not in shown
    assert all(len(line.rstrip()) <= width for line in shown.splitlines()), shown
    lines = shown.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Stage "))
    # a stage's row is the line that ends in its status (a stage's name may wrap below it)
    end = next(i for i, line in enumerate(lines) if line.startswith("slack: "))
    rows = [line for line in lines[header + 2:end] if STATUS.search(line)]
    stages = stage_rows(cli, match)
    assert len(rows) == len(stages), shown
    for stage, row in zip(stages, rows, strict=True):
        # the row's dates each with its year: start, finish and latest finish
        assert len(YEAR.findall(row)) >= (3 if stage["latest_finish"] else 2), row
        if stage["slack_days"] is not None and stage["status"] not in ("done", "closed"):
            assert re.search(rf"\s{stage['slack_days']}d\s", row), row
        assert re.split(r"[_ ]", stage["status"])[0] in row, row


@pytest.mark.parametrize("width", (60, 80, 100))
@pytest.mark.parametrize("command", (["check", "--match", "2029"],
                                     ["calendar", "--match", "2027"],
                                     ["calendar", "--match", "2029"],
                                     ["rules", "sources", "--match", "2027"],
                                     ["rules", "show"],
                                     ["budget", "--match", "2029", "--visa", "h1b"],
                                     ["next", "--match", "2029"],
                                     ["compare", "--match", "2028", "--match", "2029"]))
def test_other_tables_cut_nothing(cli: Run, monkeypatch: pytest.MonkeyPatch, width: int,
                                  command: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    dated = command[:2] != ["rules", "show"]  # the stages' rules are the same on every day
    result = cli(*command, *(TODAY if dated else ()))
    assert result.exit_code in (0, 1), result.stderr
    assert "…" not in result.stdout
    # every address is printed whole, on a line of its own, below its table
    for address in re.findall(r"https?://\S+", result.stdout):
        assert result.stdout.count(address) >= 1
        line = next(line for line in result.stdout.splitlines() if address in line)
        assert re.match(r"\[\s*\d+\] ", line), line


def test_a_source_address_is_numbered_and_printed_whole(cli: Run,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    shown = cli("rules", "sources", "--match", "2027", *TODAY).stdout
    # the Match Day source holds an address with brackets of its own, then "; UW Medicine"
    assert re.search(r"^\[\s*\d+\] https://en\.wikipedia\.org/wiki/Match_Day_\(medicine\)$",
                     shown, re.MULTILINE), shown


@pytest.mark.parametrize(("source", "cited", "address"), [
    ("see (https://x.org/a).", "see ([1]).", "https://x.org/a"),
    ("https://en.wikipedia.org/wiki/A_(b) ; more", "[1] ; more",
     "https://en.wikipedia.org/wiki/A_(b)"),
    ("Toolkit www.nrmp.org/x, checked", "Toolkit [1], checked", "www.nrmp.org/x"),
])
def test_notes_cite_an_address_without_its_punctuation(source: str, cited: str,
                                                       address: str) -> None:
    from imgplan.render.notes import Notes

    notes = Notes()
    assert notes.cite(source).plain == cited
    assert notes.addresses == [address]


def test_redirected_output_is_laid_out_for_its_content(tmp_path: Path) -> None:
    """Not a terminal and no COLUMNS: the table at a file's width, not cut at Rich's 80."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "IMGPLAN_PROFILE": str(tmp_path / "none.yaml")}
    env.pop("COLUMNS", None)
    done = subprocess.run([sys.executable, "-m", "imgplan", "timeline", "--match", "2029",
                           *TODAY], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout
    assert "Result" in done.stdout  # the full layout: wider than 80
    assert max(len(line) for line in done.stdout.splitlines()) > 80
