"""``imgplan budget`` (issue 14, part 4): every fee the plan implies, dated by the plan, each
with its amount, basis and source; a total and a month-by-month view."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imgplan.core.rules import Rules

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")


def budget(cli: Run, *args: str) -> dict[str, Any]:
    result = cli("budget", *args, "--format", "json", *TODAY)
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def lines(found: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line in found["lines"]:
        out.setdefault(line["id"], []).append(line)
    return out


def test_from_scratch_every_fee_is_dated_by_the_plan(cli: Run) -> None:
    found = budget(cli, "--match", "2029")
    by_id = lines(found)
    plan = {s["id"]: s for s in json.loads(cli("timeline", "--match", "2029", "-f", "json",
                                               *TODAY).stdout)["stages"]}
    assert by_id["usmle_step1"][0]["date"] == plan["step1"]["start"]
    assert by_id["usmle_step2ck"][0]["date"] == plan["step2ck"]["start"]
    assert by_id["pathway"][0]["date"] == plan["pathway"]["start"]
    assert by_id["j1_sponsorship"][0]["date"] == plan["visa"]["start"]
    eras = by_id["application_eras"][0]
    assert eras["date"] == plan["eras"]["finish"]
    # 100 programs (the seeds' 100+) in ERAS's 2026 bands: 30 x $11 + 70 x $30
    assert found["programs"] == {"": 100}
    assert eras["amount_usd"] == 30 * 11 + 70 * 30
    assert eras["basis"] == "estimated"  # Match 2029's prices are not stored
    # a fee no source prices is listed, not guessed, and not in the total
    assert by_id["ecfmg_application"][0]["amount_usd"] is None
    assert by_id["ecfmg_application"][0]["basis"] == "not stored"
    assert "ecfmg_application" in found["unpriced"]
    # NRMP's: Match 2029's not stored, so estimated from the nearest season (Match 2024's)
    nrmp = by_id["nrmp_registration"][0]
    assert (nrmp["amount_usd"], nrmp["basis"]) == (70, "estimated")
    assert "2024 season's" in nrmp["note"]
    assert "h1b_premium_processing" not in by_id  # J-1 route
    priced = sum(line["amount_usd"] or 0 for line in found["lines"] if line["payer"] is None)
    assert found["total_usd"] == priced
    assert sum(m["amount_usd"] for m in found["by_month"]) == found["total_usd"]
    assert [m["month"] for m in found["by_month"]] == sorted(m["month"] for m in
                                                            found["by_month"])


def test_a_fee_of_the_year_it_is_paid_keeps_its_sources_basis(cli: Run, rules: Rules) -> None:
    # Step 1 in 2027: no 2027 amount, so estimated from 2026's; the 2026 one is secondary
    found = lines(budget(cli, "--match", "2029"))
    step1 = found["usmle_step1"][0]
    assert step1["date"].startswith("2027") and step1["basis"] == "estimated"
    assert "2026 amount" in step1["note"]
    fee = next(f for f in rules.fees if f.id == "usmle_step1")
    assert step1["amount_usd"] == fee.amounts[-1].usd


def test_programs_by_specialty_are_priced_by_each_service(cli: Run) -> None:
    found = budget(cli, "--match", "2029", "--programs", "40", "--programs", "EM:30")
    by_id = lines(found)
    assert found["programs"] == {"": 40, "emergency_medicine": 30}
    assert by_id["application_eras"][0]["amount_usd"] == 30 * 11 + 10 * 30
    # ResidencyCAS 2025-26: $99 for 1-18, then $18 each to 30
    assert by_id["application_residencycas_emergency_medicine"][0]["amount_usd"] == 99 + 12 * 18


def test_h1b_costs_the_program_pays_are_apart_from_the_total(cli: Run) -> None:
    found = budget(cli, "--match", "2029", "--visa", "h1b")
    by_id = lines(found)
    premium = by_id["h1b_premium_processing"][0]
    assert premium["payer"] and premium["amount_usd"] == 2805
    assert "usmle_step3" in by_id and by_id["usmle_step3"][0]["amount_usd"] is None
    assert found["total_usd"] == sum(line["amount_usd"] or 0 for line in found["lines"]
                                     if line["payer"] is None)
    assert "j1_sponsorship" not in by_id


def test_recorded_sittings_add_their_fees(cli: Run, profile_path: Path) -> None:
    for args in (["init", "--no-input", "--match", "2028", "--specialty", "IM", "--visa", "j1",
                  "--graduation", "2020-06-30"],
                 ["mark", "step1", "failed", "--date", "2026-03-01"],
                 ["mark", "step1", "passed", "--date", "2026-07-01"],
                 ["mark", "step2ck", "booked", "--date", "2027-01-15"]):
        assert cli(*args, *TODAY).exit_code == 0
    by_id = lines(budget(cli))
    assert [(x["date"], x["status"]) for x in by_id["usmle_step1"]] == [
        ("2026-03-01", "paid"), ("2026-07-01", "paid")]  # the failed sitting and the pass
    assert [x["status"] for x in by_id["usmle_step2ck"]] == ["paid"]  # booked: registered


def test_the_program_lists_count_is_the_default(cli: Run, profile_path: Path,
                                                tmp_path: Path) -> None:
    assert cli("init", "--no-input", "--match", "2028", "--specialty", "IM", "--visa", "j1",
               "--graduation", "2020-06-30", *TODAY).exit_code == 0
    listed = tmp_path / "list.csv"
    listed.write_text("name\n" + "".join(f"P{n}\n" for n in range(45)), encoding="utf-8")
    assert cli("programs", "import", str(listed), *TODAY).exit_code == 0
    found = budget(cli)
    assert found["programs"] == {"internal_medicine": 45}
    assert "program list" in found["programs_from"]


@pytest.mark.parametrize("given", ["many", "IM:", "Cardiology:20", "-3", "0", ":5", "IM:0"])
def test_a_bad_programs_value_is_one_line(cli: Run, given: str) -> None:
    result = cli("budget", "--match", "2029", "--programs", given, *TODAY)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--programs" in result.stderr


def test_the_table_says_the_total_and_the_months(cli: Run) -> None:
    shown = cli("budget", "--match", "2029", *TODAY).stdout
    total = budget(cli, "--match", "2029")["total_usd"]
    assert f"Your total for Match 2029 (visa j1): ${total:,}" in " ".join(shown.split())
    assert "By month: " in shown and "not stored" in shown
    assert "…" not in shown


@pytest.fixture
def exams_passed(cli: Run, profile_path: Path) -> Path:
    """An internal-medicine applicant for Match 2027 on 2026-06-01, the exams behind them."""
    day = ("--today", "2026-06-01")
    for args in (["init", "--no-input", "--match", "2027", "--specialty", "internal-medicine",
                  "--visa", "j1", "--graduation", "2022-06-30"],
                 ["mark", "credentials", "done", "--date", "2025-01-10"],
                 ["mark", "step1", "passed", "--date", "2025-05-10"],
                 ["mark", "step2ck", "passed", "--date", "2025-10-01", "--score", "245"],
                 ["mark", "oet", "passed", "--date", "2025-11-15", "--scores",
                  "360,350,320,370"]):
        assert cli(*args, *day).exit_code == 0, args
    return profile_path


def application(cli: Run, *args: str) -> list[tuple[str, str, int]]:
    result = cli("budget", *args, "-f", "json", "--today", "2026-06-01")
    assert result.exit_code == 0, result.stderr
    return [(line["id"], line["date"], line["amount_usd"])
            for line in json.loads(result.stdout)["lines"] if line["id"].startswith("applic")]


def test_150_programs_of_internal_medicine_cost_3930_in_september(cli: Run,
                                                                  exams_passed: Path) -> None:
    assert application(cli, "--programs", "150") == [
        ("application_eras_internal_medicine", "2026-09-02", 3930)]
    # the bands start again with each specialty: 2 x (30 x $11 + 45 x $30)
    split = application(cli, "--programs", "internal-medicine:75", "--programs",
                        "family-medicine:75")
    assert sum(amount for _, _, amount in split) == 3360


def test_emergency_medicine_is_priced_at_residencycas_rates(cli: Run,
                                                             exams_passed: Path) -> None:
    assert cli("profile", "set", "specialty", "EM", "--today", "2026-06-01").exit_code == 0
    [(name, _, amount)] = application(cli, "--programs", "46")
    # SAEM's example, 46 programs: $99 + 12 x $18 + 16 x $23
    assert (name, amount) == ("application_residencycas_emergency_medicine", 683)


def test_the_count_recorded_with_eras_is_the_default(cli: Run, exams_passed: Path) -> None:
    # found by a reviewer: 'mark eras done --programs 120' was priced as the default 100
    assert cli("mark", "eras", "done", "--date", "2026-09-10", "--programs", "120",
               "--today", "2026-09-20").exit_code == 0
    result = cli("budget", "-f", "json", "--today", "2026-09-20")
    found = json.loads(result.stdout)
    assert found["programs"] == {"internal_medicine": 120}
    assert "recorded" in found["programs_from"]
    [eras] = [line for line in found["lines"] if line["id"].startswith("application")]
    assert (eras["amount_usd"], eras["status"]) == (30 * 11 + 90 * 30, "paid")
    assert found["to_pay_usd"] == sum(line["amount_usd"] or 0 for line in found["lines"]
                                      if line["status"] == "planned" and not line["payer"])


def test_a_season_fee_is_priced_by_the_matchs_season(cli: Run, exams_passed: Path) -> None:
    # the 2027 Pathways' fee is Match 2027's own, although it is paid in 2026
    found = json.loads(cli("budget", "-f", "json", "--today", "2026-06-01").stdout)
    [pathway] = [line for line in found["lines"] if line["id"] == "pathway"]
    assert pathway["date"].startswith("2026") and pathway["basis"] == "secondary"


def test_extra_ranks_are_priced_from_the_program_list(cli: Run, exams_passed: Path,
                                                      tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text("name,status\n" + "".join(f"P{n},ranked\n" for n in range(25))
                      + "Q,applied\n", encoding="utf-8")
    assert cli("programs", "import", str(listed), "--today", "2026-06-01").exit_code == 0
    found = json.loads(cli("budget", "-f", "json", "--today", "2026-06-01").stdout)
    [extra] = [line for line in found["lines"] if line["id"] == "nrmp_extra_ranks"]
    assert extra["amount_usd"] == 5 * 30 and "5 ranked beyond 20" in extra["note"]
    # without a list, or with 20 or fewer ranked, there is no such line
    (tmp_path / "config" / "programs.yaml").unlink()
    found = json.loads(cli("budget", "-f", "json", "--today", "2026-06-01").stdout)
    assert not [line for line in found["lines"] if line["id"] == "nrmp_extra_ranks"]
