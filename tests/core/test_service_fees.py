"""Application fees as data: the bands of each service's price, and what a list of programs
costs in them (the budget of issue 14 builds on these)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from imgplan.core.rules import Rules


def test_eras_2026_prices_each_specialty_in_two_bands(rules: Rules) -> None:
    eras = rules.service("eras")
    assert eras is not None
    season = next(f for f in eras.fees if f.match_year == 2026)
    assert (season.kind, season.per) == ("official", "specialty")
    # AAMC's own example: 43 Internal Medicine and 7 Radiology programs cost $797
    assert season.cost(43) + season.cost(7) == 797
    # 150 programs in one specialty: 30 x $11 + 120 x $30
    assert season.cost(150) == 3930
    assert season.cost(0) == 0


def test_residencycas_charges_a_flat_first_band(rules: Rules) -> None:
    cas = rules.service("residencycas")
    assert cas is not None
    season = next(f for f in cas.fees if f.match_year == 2026)
    assert season.kind == "secondary"
    assert (season.cost(1), season.cost(18)) == (99, 99)
    # SAEM's example of the average EM list, 46 programs: $99 + 12 x $18 + 16 x $23
    assert season.cost(46) == 99 + 12 * 18 + 16 * 23


def test_the_psca_is_free(rules: Rules) -> None:
    psca = rules.service("psca")
    assert psca is not None and psca.fees[-1].cost(40) == 0
    assert psca.signals is not None and "5" in psca.signals


def test_bands_out_of_order_or_priced_twice_are_refused(cli: Any, tmp_path: Path) -> None:
    packaged = Path(__file__).resolve().parents[2] / "data" / "rules.yaml"
    text = packaged.read_text(encoding="utf-8")
    old = "tiers: [{up_to: 30, each: 11}, {each: 30}]"
    assert old in text
    edited = tmp_path / "rules.yaml"
    edited.write_text(text.replace(old, "tiers: [{each: 11}, {up_to: 30, each: 30, flat: 5}]"),
                      encoding="utf-8")
    result = cli("rules", "validate", str(edited))
    assert result.exit_code == 2
    assert "services.0.fees.1.tiers: each band but the last needs up_to" in result.stderr
    assert "services.0.fees.1.tiers.1: give a band flat or each, not both" in result.stderr
