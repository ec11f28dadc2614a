"""``imgplan cohort`` (issue 15, part 3): an advisor's candidates from a CSV, each planned as
their own profile would be, most urgent first; a bad row reported and skipped."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")
HEADER = ("name,graduation,specialty,visa,match_year,pace,credentials,step1,step2ck,"
          "step2ck_score,oet,pathway,ecfmg_certification,usce_start,usce_end,lors")

# Five candidates at different points, and the profile each one's own init and mark write.
CANDIDATES = {
    "Amina": ("Amina,2024-06-30,internal_medicine,J-1,,,,,,,,,,,,",
              "graduation: 2024-06-30\nspecialty: internal_medicine\nvisa: j1\n"),
    "Ravi": ("Ravi,2021-07-15,Family Medicine,h1b,2028,fast,2025-01-10,2025-09-01,,,,,,,,",
             "graduation: 2021-07-15\nspecialty: family_medicine\nvisa: h1b\nmatch_year: 2028\n"
             "pace: fast\nstages:\n  credentials: {status: done, date: 2025-01-10}\n"
             "  step1:\n    sittings: [{date: 2025-09-01, result: passed}]\n"),
    "Lucia": ("Lucia,2019-12-01,pediatrics,j1,,steady,2024-02-01,2024-10-10,2025-06-15,238,"
              "2025-03-02,,,2025-08-01,2025-10-30,",
              "graduation: 2019-12-01\nspecialty: pediatrics\nvisa: j1\npace: steady\n"
              "stages:\n  credentials: {status: done, date: 2024-02-01}\n"
              "  step1:\n    sittings: [{date: 2024-10-10, result: passed}]\n"
              "  step2ck:\n    sittings: [{date: 2025-06-15, result: passed, score: 238}]\n"
              "  oet:\n    sittings: [{date: 2025-03-02, result: passed}]\n"
              "  usce: {status: done, date: 2025-10-30, started: 2025-08-01}\n"
              "usce:\n- {kind: other, start: 2025-08-01, end: 2025-10-30}\n"),
    "Chen": ("Chen,2023-05-31,emergency medicine,,,,2026-01-15,,,,,,,,,",
             "graduation: 2023-05-31\nspecialty: emergency_medicine\n"
             "stages:\n  credentials: {status: done, date: 2026-01-15}\n"),
    "Sara": ("Sara,2020-06-30,psychiatry,j1,2028,typical,2024-01-10,2024-06-01,2025-01-20,"
             "250,2024-09-01,2024-11-01,2025-02-20,2025-04-01,2025-06-30,",
             "graduation: 2020-06-30\nspecialty: psychiatry\nvisa: j1\nmatch_year: 2028\n"
             "stages:\n  credentials: {status: done, date: 2024-01-10}\n"
             "  step1:\n    sittings: [{date: 2024-06-01, result: passed}]\n"
             "  step2ck:\n    sittings: [{date: 2025-01-20, result: passed, score: 250}]\n"
             "  oet:\n    sittings: [{date: 2024-09-01, result: passed}]\n"
             "  pathway: {status: done, date: 2024-11-01}\n"
             "  ecfmg_certification: {status: done, date: 2025-02-20}\n"
             "  usce: {status: done, date: 2025-06-30, started: 2025-04-01}\n"
             "usce:\n- {kind: other, start: 2025-04-01, end: 2025-06-30}\n"),
}


def cohort_file(tmp_path: Path, rows: list[str], name: str = "cohort.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def planned(cli: Run, path: Path, *args: str, code: int = 0) -> dict[str, Any]:
    result = cli("cohort", str(path), *TODAY, "--format", "json", *args)
    assert result.exit_code == code, result.stderr
    return dict(json.loads(result.stdout))


def test_each_candidate_gets_the_earliest_feasible_match_of_their_own_timeline(
        cli: Run, tmp_path: Path) -> None:
    found = planned(cli, cohort_file(tmp_path, [row for row, _ in CANDIDATES.values()]))
    by_name = {c["name"]: c for c in found["candidates"]}
    assert set(by_name) == set(CANDIDATES)
    for name, (_, profile) in CANDIDATES.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text("schema_version: 2\n" + profile, encoding="utf-8")
        own = cli("timeline", "--profile", str(path), *TODAY, "--format", "json")
        assert own.exit_code == 0, own.stderr
        timeline = json.loads(own.stdout)
        mine = by_name[name]
        for key in ("match_year", "visa", "pace", "feasible", "eligible",
                    "earliest_feasible_match", "breaks"):
            assert mine[key] == timeline[key], (name, key)
    # at different points: not everyone the same year
    assert len({c["earliest_feasible_match"] for c in found["candidates"]}) > 1


def test_a_row_with_a_bad_date_is_reported_by_row_and_column_and_skipped(
        cli: Run, tmp_path: Path) -> None:
    rows = [CANDIDATES["Amina"][0], "Bad,2022-13-45,,,,,,,,,,,,,,", CANDIDATES["Ravi"][0]]
    path = cohort_file(tmp_path, rows)
    result = cli("cohort", str(path), *TODAY)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"imgplan: {path}:3: row 3, column graduation: '2022-13-45' is not a date: there is "
        "no month 13; skipped"]
    assert "Amina" in result.stdout and "Ravi" in result.stdout
    assert "Bad" not in result.stdout
    found = planned(cli, path, code=1)
    assert {c["name"] for c in found["candidates"]} == {"Amina", "Ravi"}
    assert found["skipped"] == [{"line": 3, "column": "graduation", "message":
                                 "row 3, column graduation: '2022-13-45' is not a date: "
                                 "there is no month 13"}]


@pytest.mark.parametrize(("row", "column"), [
    ("Lee,2022-06-30,,,,,,2027-01-10,,,,,,,,", "step1"),  # passed after today
    ("Lee,2022-06-30,,,,,,,,245,,,,,,", "step2ck_score"),  # a score without the exam
    ("Lee,2022-06-30,,,,,,,2026-01-10,400,,,,,,", "step2ck_score"),
    ("Lee,2022-06-30,cardiology,,,,,,,,,,,,,", "specialty"),
    ("Lee,2022-06-30,,k1,,,,,,,,,,,,", "visa"),
    ("Lee,2022-06-30,,,,quick,,,,,,,,,,", "pace"),
    ("Lee,2022-06-30,,,2026,,,,,,,,,,,", "match_year"),  # closed
    ("Lee,2022-06-30,,,,,,,,,,,,2026-01-01,,", "usce_end"),
    (",2022-06-30,,,,,,,,,,,,,,", "name"),
    ("Lee,,,,,,,,,,,,,,,", "graduation"),
])
def test_each_kind_of_bad_value_names_its_column(cli: Run, tmp_path: Path, row: str,
                                                 column: str) -> None:
    found = planned(cli, cohort_file(tmp_path, [CANDIDATES["Amina"][0], row]), code=1)
    assert [s["column"] for s in found["skipped"]] == [column]
    assert found["skipped"][0]["message"].startswith(f"row 3, column {column}: ")
    assert [c["name"] for c in found["candidates"]] == ["Amina"]


def test_most_urgent_first(cli: Run, tmp_path: Path) -> None:
    # Lucia's Match 2027 needs an application already overdue; Amina starts from scratch
    rows = [CANDIDATES["Amina"][0],
            "Lucia,2019-12-01,pediatrics,j1,2027,,2024-02-01,2024-10-10,2025-06-15,238,"
            "2025-03-02,,,,,"]
    found = planned(cli, cohort_file(tmp_path, rows))
    first, second = found["candidates"]
    assert first["name"] == "Lucia" and first["next_action"]["kind"] == "overdue"
    assert second["next_action"]["kind"] in ("now", "coming")


def test_letters_counted_need_no_dates(cli: Run, tmp_path: Path) -> None:
    rows = ["Omar,2022-06-30,,j1,,,,,,,,,,,,3", "Noor,2022-06-30,,j1,,,,,,,,,,,,1"]
    found = planned(cli, cohort_file(tmp_path, rows))
    assert {c["name"] for c in found["candidates"]} == {"Omar", "Noor"}
    assert all(c["breaks"] is None or c["breaks"]["stage"] != "lors"
               for c in found["candidates"])


def test_a_spreadsheets_export_is_read(cli: Run, tmp_path: Path) -> None:
    # Excel's byte-order mark, semicolons, headings as people write them, dates as typed
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffName;Graduation Date;Specialty;Visa;Target\r\n"
                     "Amina;30 June 2024;Internal Medicine;J-1;2029\r\n".encode())
    found = planned(cli, path)
    assert found["candidates"][0]["target_match"] == 2029
    assert found["candidates"][0]["specialty"] == "internal_medicine"


def test_formats_and_files(cli: Run, tmp_path: Path) -> None:
    path = cohort_file(tmp_path, ["=HYPERLINK(\"x\"),2024-06-30,,,,,,,,,,,,,,"])
    result = cli("cohort", str(path), *TODAY, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["name"] == "'=HYPERLINK(\"x\")"  # never a formula in a spreadsheet
    assert rows[0]["verdict"] in ("feasible", "eligible but weak", "out of reach")
    assert rows[0]["next_action_date"][:2] == "20"
    markdown = cli("cohort", str(path), *TODAY, "-o", str(tmp_path / "cohort.md"))
    assert markdown.exit_code == 0, markdown.stderr
    assert (tmp_path / "cohort.md").read_text().startswith("# Cohort ")


@pytest.mark.parametrize("width", ["60", "80", "140"])
def test_the_table_keeps_every_value_at_any_width(cli: Run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  width: str) -> None:
    monkeypatch.setenv("COLUMNS", width)
    path = cohort_file(tmp_path, [row for row, _ in CANDIDATES.values()])
    result = cli("cohort", str(path), *TODAY)
    assert result.exit_code == 0, result.stderr
    assert all(len(line) <= int(width) for line in result.stdout.splitlines())
    flat = " ".join(result.stdout.split())
    for name in CANDIDATES:
        assert name in flat
    assert "eligible but weak" in flat or "feasible" in flat


def test_a_file_imgplan_cannot_read_is_one_error(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,grad_year\nA,2020\n", encoding="utf-8")
    result = cli("cohort", str(path), *TODAY)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown column 'grad_year'" in result.stderr and f"{path}:1" in result.stderr
    empty = tmp_path / "e.csv"
    empty.write_text(HEADER + "\n", encoding="utf-8")
    result = cli("cohort", str(empty), *TODAY)
    assert result.exit_code == 2 and "holds no candidate" in result.stderr


@pytest.mark.parametrize("command", [["cohort"], ["programs", "import"]])
def test_a_named_pipe_for_the_csv_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    # Found by the review: the CSV was opened as any file, so a pipe nobody writes to held
    # the command for ever. Its own process, with a time limit: a wait fails the test.
    fifo = tmp_path / "c.csv"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "imgplan", *command, str(fifo), *TODAY],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == \
        f"imgplan: error: {fifo}: is not a regular file (a pipe or a device)"
