"""The person's program list (issue 14, parts 1 and 2): imported from a spreadsheet's CSV,
kept beside the profile as safely, each program checked against the profile with reasons."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")
HEADER = ("name,program_id,specialty,state,city,j1,h1b,max_years_since_graduation,"
          "min_step2ck,min_usce_months,usce_kinds,first_attempt_only,max_attempts,"
          "requirements,signal,status,interview_date,source,verified_on,notes")


@pytest.fixture
def person(cli: Run, profile_path: Path) -> Path:
    """Graduated 2019, J-1, a failed Step 1 then a pass, Step 2 CK 238, 3 months externship."""
    for args in (
        ["init", "--no-input", "--match", "2028", "--specialty", "internal-medicine",
         "--visa", "j1", "--graduation", "2019-06-30"],
        ["mark", "step1", "failed", "--date", "2026-03-01"],
        ["mark", "step1", "passed", "--date", "2026-07-01"],
        ["mark", "step2ck", "passed", "--date", "2026-10-01", "--score", "238"],
        ["add", "usce", "--kind", "externship", "--start", "2026-08-01", "--end", "2026-10-31"],
        ["add", "usce", "--kind", "observership", "--start", "2026-05-01", "--end",
         "2026-07-31"],
    ):
        result = cli(*args, *TODAY)
        assert result.exit_code == 0, (args, result.stderr)
    return profile_path


def write(tmp_path: Path, text: str, name: str = "list.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def fits(cli: Run) -> dict[str, dict[str, Any]]:
    result = cli("programs", "--format", "json", *TODAY)
    assert result.exit_code == 0, result.stderr
    return {p["name"]: p for p in json.loads(result.stdout)["programs"]}


def reasons(program: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["id"], r["level"]) for r in program["reasons"]}


def test_a_spreadsheets_semicolon_csv_with_a_bom_is_imported(cli: Run, person: Path,
                                                              tmp_path: Path) -> None:
    csv = write(tmp_path, "Program Name;Program ID;J1;H1B;status\n"
                          "Metro Health;1400111;yes;no;applied\n"
                          "\"Valley; Medical\";1400333;no;yes;invited\n", bom=True)
    result = cli("programs", "import", str(csv), *TODAY)
    assert result.exit_code == 0, result.stderr
    assert "2 added, 0 updated, 0 unchanged; 2 programs in all" in result.stdout
    stored = person.with_name("programs.yaml")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert set(fits(cli)) == {"Metro Health", "Valley; Medical"}


def test_each_reason_has_its_id(cli: Run, person: Path, tmp_path: Path) -> None:
    rows = [
        "Fits,1,,,,yes,no,10,230,3,externship,no,,strict,,applied,,,,",
        "No J-1,2,,,,no,yes,10,230,3,,no,,strict,,saved,,,,",
        "Too old a degree,3,,,,yes,yes,5,230,3,,no,,strict,,saved,,,,",
        "High bar,4,,,,yes,yes,10,245,3,,no,,strict,,saved,,,,",
        "Hands-on only,5,,,,yes,yes,10,230,4,externship,no,,strict,,saved,,,,",
        "Observerships count,6,,,,yes,yes,10,230,5,externship;observership,no,,strict,,,,,,",
        "First attempt only,7,,,,yes,yes,10,230,3,,yes,,strict,,saved,,,,",
        "Prefers first attempt,8,,,,yes,yes,10,230,3,,yes,,preferred,,saved,,,,",
        "Says little,9,,,,,,,,,,,,,,saved,,,,",
    ]
    result = cli("programs", "import", str(write(tmp_path, HEADER + "\n" + "\n".join(rows))),
                 *TODAY)
    assert result.exit_code == 0, result.stderr
    found = fits(cli)
    assert found["Fits"]["verdict"] == "eligible" and found["Fits"]["reasons"] == []
    assert reasons(found["No J-1"]) == {("visa", "excluded")}
    # graduated 2019-06-30: 9 years by July 1, 2028
    assert reasons(found["Too old a degree"]) == {("graduation_year", "excluded")}
    assert reasons(found["High bar"]) == {("step2ck", "excluded")}
    # 3 months of externship (Aug to Oct), the observership not counted unless listed
    assert reasons(found["Hands-on only"]) == {("usce", "excluded")}
    assert found["Observerships count"]["verdict"] == "eligible"
    assert reasons(found["First attempt only"]) == {("attempts", "excluded")}
    assert reasons(found["Prefers first attempt"]) == {("attempts", "warning")}
    assert found["Prefers first attempt"]["eligible"] is True
    says_little = found["Says little"]
    assert says_little["verdict"] == "unknown" and says_little["eligible"] is True
    assert {r["id"] for r in says_little["reasons"]} == {"unknown"}
    summary = json.loads(cli("programs", "-f", "json", *TODAY).stdout)["summary"]
    assert (summary["eligible"], summary["excluded"], summary["unknown"]) == (3, 5, 1)
    assert summary["applied"] == 1
    table = cli("programs", *TODAY).stdout
    assert "9 programs for Match 2028 (visa j1): 3 eligible, 5 excluded" in table
    assert "100+" in table


def test_a_bad_value_names_its_row_and_column_and_nothing_is_imported(
        cli: Run, person: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "name,j1\nKept,yes\n", name="good.csv")
    assert cli("programs", "import", str(good), *TODAY).exit_code == 0
    stored = person.with_name("programs.yaml")
    before = stored.read_bytes()
    bad = write(tmp_path, "name,j1,min_step2ck\nFine,yes,230\nBroken,maybe,230\n")
    result = cli("programs", "import", str(bad), *TODAY)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"imgplan: error: {bad}:3: row 3, column j1: 'maybe' is "
                                     "not yes, no or unknown; nothing imported")
    assert stored.read_bytes() == before


@pytest.mark.parametrize(("text", "message"), [
    ("nom,j1\nA,yes\n", "unknown column 'nom'"),
    ("j1,h1b\nyes,no\n", "has no 'name' column"),
    ("name,j1,j1\nA,yes,no\n", "the header names the column j1 twice"),
    ("name,min_step2ck\nA,two hundred\n", "row 2, column min_step2ck: 'two hundred' is not a "
     "whole number"),
    ("name,interview_date\nA,31 February 2028\n", "row 2, column interview_date:"),
    ("name,status\nA,accepted\n", "row 2, column status: 'accepted' is not one of:"),
    ("name,usce_kinds\nA,clerkship\n", "row 2, column usce_kinds: 'clerkship' is not one of"),
    ("name,j1\n,yes\n", "row 2, column name: every program needs its name"),
    ("", "is empty"),
    ("name\nA\x00B\n", "is not text"),
])
def test_a_hostile_csv_is_refused_in_one_line(cli: Run, person: Path, tmp_path: Path,
                                              text: str, message: str) -> None:
    result = cli("programs", "import", str(write(tmp_path, text)), *TODAY)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not person.with_name("programs.yaml").exists()


def test_a_file_not_in_utf8_or_too_large_is_refused(cli: Run, person: Path,
                                                    tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\nHôpital\n".encode("latin-1"))
    assert "is not UTF-8 text" in cli("programs", "import", str(latin), *TODAY).stderr
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.write(b"name,notes\n")
        handle.truncate(5 * 1024 * 1024)  # sparse: no real disk used
    result = cli("programs", "import", str(huge), *TODAY)
    assert result.exit_code == 2 and "larger than 4 MiB" in result.stderr


def test_a_formula_is_stored_as_text_and_exported_harmless(cli: Run, person: Path,
                                                            tmp_path: Path) -> None:
    csv = write(tmp_path, 'name,notes\nEvil,"=HYPERLINK(""http://x"",""y"")"\n+Plus,-1\n')
    assert cli("programs", "import", str(csv), *TODAY).exit_code == 0
    found = fits(cli)
    assert found["Evil"]["notes"] == '=HYPERLINK("http://x","y")'  # kept, never evaluated
    exported = cli("programs", "export", *TODAY).stdout
    assert "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" in exported
    assert "'+Plus" in exported and "'-1" in exported


def test_reimport_merges_by_id_then_name_and_says_what_changed(cli: Run, person: Path,
                                                               tmp_path: Path) -> None:
    first = write(tmp_path, "name,program_id,status\nMetro,1400111,applied\nCity,,saved\n",
                  name="first.csv")
    assert cli("programs", "import", str(first), *TODAY).exit_code == 0
    stored = person.with_name("programs.yaml")
    earlier = stored.read_bytes()
    second = write(tmp_path, "name,program_id,status,interview_date\n"
                             "Metro Health (renamed),1400111,interviewed,2028-01-15\n"
                             "City,,invited,\nNew,,,\n", name="second.csv")
    result = cli("programs", "import", str(second), *TODAY)
    assert result.exit_code == 0, result.stderr
    assert "1 added, 2 updated, 0 unchanged; 3 programs in all" in result.stdout
    assert "updated Metro Health (renamed): interview_date, name, status" in result.stdout
    assert stored.with_name("programs.yaml.bak").read_bytes() == earlier
    assert cli("programs", "import", str(second), *TODAY).stdout.startswith("Nothing changed")
    # an empty status cell never undoes a later one
    again = write(tmp_path, "name,program_id\nMetro,1400111\n", name="again.csv")
    cli("programs", "import", str(again), *TODAY)
    assert fits(cli)["Metro"]["status"] == "interviewed"


def test_export_reads_back_as_the_same_list(cli: Run, person: Path, tmp_path: Path) -> None:
    csv = write(tmp_path, HEADER + "\nMetro,1,internal-medicine,OH,Akron,yes,no,5,230,3,"
                "externship;research,no,3,strict,gold,interviewed,2028-01-15,"
                "program site,2026-11-30,\"a, b\"\n")
    assert cli("programs", "import", str(csv), *TODAY).exit_code == 0
    out = tmp_path / "out.csv"
    assert cli("programs", "export", "-o", str(out), *TODAY).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert cli("programs", "import", str(out), *TODAY).stdout.startswith("Nothing changed")


def test_without_a_list_it_says_how_to_make_one(cli: Run, person: Path) -> None:
    result = cli("programs", *TODAY)
    assert result.exit_code == 1
    assert "imgplan programs import FILE.csv" in result.stderr


def test_the_list_itself_is_never_an_export_target(cli: Run, person: Path,
                                                   tmp_path: Path) -> None:
    assert cli("programs", "import", str(write(tmp_path, "name\nA\n")), *TODAY).exit_code == 0
    stored = person.with_name("programs.yaml")
    before = stored.read_bytes()
    result = cli("programs", "export", "-o", str(stored), *TODAY)
    assert result.exit_code == 2 and "program list" in result.stderr
    assert stored.read_bytes() == before


def test_a_damaged_list_is_reported_and_not_overwritten(cli: Run, person: Path,
                                                        tmp_path: Path) -> None:
    stored = person.with_name("programs.yaml")
    stored.write_text("schema_version: 1\nprograms:\n- name: A\n  j1: perhaps\n",
                      encoding="utf-8")
    result = cli("programs", "import", str(write(tmp_path, "name\nB\n")), *TODAY)
    assert result.exit_code == 2
    assert f"{stored}:4:" in result.stderr and "'perhaps' is not yes, no or unknown" in \
        result.stderr
    assert "perhaps" in stored.read_text(encoding="utf-8")


def test_the_plan_and_the_check_read_the_list(cli: Run, person: Path, tmp_path: Path) -> None:
    """Issue 14, part 3: check's visa and program-count items, the calendar's interviews and
    the timeline's application stage all read the list."""
    csv = write(tmp_path, "name,program_id,j1,status,interview_date\n"
                          "Metro,1400111,yes,interviewed,15 Jan 2028\n"
                          "Valley,1400222,no,applied,\n"
                          "Hill,,,saved,\n")
    assert cli("programs", "import", str(csv), *TODAY).exit_code == 0
    report = json.loads(cli("check", "--format", "json", *TODAY).stdout)
    items = {item["id"]: item for item in report["items"]}
    assert "Program list: 1 of 3 sponsor no route you can take, 1 do not say; you applied " \
        "to 1 of them." in items["visa_strategy"]["detail"]
    assert "Program list: 3 programs" in items["programs"]["detail"]
    assert "2 applied to" in items["programs"]["detail"]
    calendar = cli("timeline", "--format", "ics", *TODAY).stdout
    assert "SUMMARY:Interview: Metro" in calendar
    assert "UID:imgplan-2028-interview-1400111@imgplan" in calendar
    assert "DTSTART;VALUE=DATE:20280115" in calendar
    table = cli("timeline", *TODAY).stdout
    assert "ERAS: 3 programs on your list, 2 eligible, 2 applied to" in " ".join(table.split())
    # without a list, nothing is said
    person.with_name("programs.yaml").unlink()
    assert "on your list" not in cli("timeline", *TODAY).stdout


def test_a_quote_left_open_is_named_not_imported(cli: Run, person: Path,
                                                 tmp_path: Path) -> None:
    # found by a new user: '"A,yes' imported a program named 'A,yes'
    at_end = cli("programs", "import", str(write(tmp_path, 'name,j1\n"A,yes\n')), *TODAY)
    assert at_end.exit_code == 2 and "a quote left open" in at_end.stderr
    later = cli("programs", "import", str(write(tmp_path, 'name,j1\n"A,yes\nB,no\n"C",yes\n',
                                                name="later.csv")), *TODAY)
    assert later.exit_code == 2
    # where the reader found it out (the library's words beside imgplan's are not tested)
    assert "a quote left open" in later.stderr or "a quote opened in it" in later.stderr
    assert not person.with_name("programs.yaml").exists()


def test_an_export_with_a_formula_reimports_unchanged(cli: Run, person: Path,
                                                     tmp_path: Path) -> None:
    csv = write(tmp_path, 'name,notes,status\nEvil,"=HYPERLINK(""http://x"")",interviewed\n')
    assert cli("programs", "import", str(csv), *TODAY).exit_code == 0
    out = tmp_path / "out.csv"
    assert cli("programs", "export", "-o", str(out), *TODAY).exit_code == 0
    assert cli("programs", "import", str(out), *TODAY).stdout.startswith("Nothing changed")
    assert fits(cli)["Evil"]["notes"] == '=HYPERLINK("http://x")'


def test_a_status_written_back_to_saved_is_taken(cli: Run, person: Path,
                                                 tmp_path: Path) -> None:
    assert cli("programs", "import", str(write(tmp_path, "name,status\nA,interviewed\n")),
               *TODAY).exit_code == 0
    result = cli("programs", "import", str(write(tmp_path, "name,status\nA,saved\n",
                                                 name="b.csv")), *TODAY)
    assert "updated A: status" in result.stdout
    assert fits(cli)["A"]["status"] == "saved"
