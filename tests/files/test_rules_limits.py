"""Rules files that pass every check must plan without a traceback: every duration, offset and
published date at the edge of what validation allows, a thousand stages in a chain, a stage
with no visa route. Found by the fault review (OverflowError, IndexError, RecursionError from
files that validated); each case below either plans, or is refused with the field named.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from imgplan.core.errors import RulesError
from imgplan.core.planner import Person
from imgplan.core.verdict import plan_for
from imgplan.files.rules_file import data_path, load_rules

PACKAGED = data_path("rules.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 11, 22)


def plans_or_refuses(tmp_path: Path, text: str, *, every_choice: bool = True) -> None:
    """Load ``text`` as rules and plan every open Match year (with every pace and route, or
    one); a refusal is a RulesError naming a field, never another exception."""
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        rules = load_rules(path)
    except RulesError as exc:
        assert exc.file == path and (exc.field or exc.line), exc
        return
    for pace in ("fast", "typical", "steady") if every_choice else ("steady",):
        for visa in ("j1", "h1b", "none", "undecided") if every_choice else ("h1b",):
            person = Person(graduation=date(1990, 6, 30))
            plan_for(rules, today=TODAY, pace=pace, visa=visa, person=person,  # type: ignore[arg-type]
                     requested=None, target=None)
            plan_for(rules, today=TODAY, pace=pace, visa=visa, person=person,  # type: ignore[arg-type]
                     requested=2041, target=None)


@pytest.mark.parametrize("longest", ["10y", "120m", "520w", "3650d", "2600bd"])
def test_every_stage_as_long_as_validation_allows_still_plans(tmp_path: Path,
                                                              longest: str) -> None:
    text = re.sub(r"(?m)^(      (?:fast|typical|steady)): \S+$", rf"\1: {longest}", PACKAGED)
    assert text != PACKAGED
    plans_or_refuses(tmp_path, text)


def test_every_published_date_in_1990_still_plans(tmp_path: Path) -> None:
    text = re.sub(r"date: 20\d\d-(\d\d)-(\d\d)", r"date: 1990-\1-\2", PACKAGED)
    plans_or_refuses(tmp_path, text)


def test_every_published_date_far_in_the_future_still_plans(tmp_path: Path) -> None:
    text = re.sub(r"date: 20\d\d-(\d\d)-(\d\d)", r"date: 9999-\1-\2", PACKAGED)
    plans_or_refuses(tmp_path, text)


def test_a_stage_for_no_visa_route_at_all_is_refused(tmp_path: Path) -> None:
    # it validated and then planned as if it applied to everyone (found by the fault review)
    path = tmp_path / "rules.yaml"
    path.write_text(PACKAGED.replace("    routes: [j1, h1b, undecided]", "    routes: []", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"routes: is empty: a stage for no visa route"):
        load_rules(path)


def _chain(length: int, *, closed: bool = False) -> str:
    first = "c0" if not closed else f"c{length - 1}"
    stages = ["  - {id: c0, short: C0, name: Chain 0, phase: profile, description: x, "
              "duration: {fast: 1d, typical: 1d, steady: 1d, source: t, kind: heuristic, "
              "last_verified: 2026-11-22}"
              + (f", after: [{{stage: {first}, reason: chain}}]}}\n" if closed else "}\n")]
    stages += [f"  - {{id: c{k}, short: C{k}, name: Chain {k}, phase: profile, description: x, "
               f"duration: {{fast: 1d, typical: 1d, steady: 1d, source: t, kind: heuristic, "
               f"last_verified: 2026-11-22}}, after: [{{stage: c{k - 1}, reason: chain}}]}}\n"
               for k in range(1, length)]
    at = PACKAGED.index("  - id: lors\n")
    return PACKAGED[:at] + "".join(stages) + PACKAGED[at:]


def test_a_thousand_stages_in_a_chain_plan(tmp_path: Path) -> None:
    plans_or_refuses(tmp_path, _chain(1000), every_choice=False)  # a thousand: one is enough


def test_a_thousand_stages_in_a_loop_are_refused_naming_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(_chain(1000, closed=True), encoding="utf-8")
    with pytest.raises(RulesError, match=r"c0 .*c999"):
        load_rules(path)


def test_a_thousand_ten_year_stages_are_refused_for_their_total(tmp_path: Path) -> None:
    # each stage within the ten-year limit, together centuries: found by the fault review,
    # 798 of them planned past year 9999
    path = tmp_path / "rules.yaml"
    path.write_text(_chain(1000).replace("fast: 1d, typical: 1d, steady: 1d",
                                         "fast: 10y, typical: 10y, steady: 10y"),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"stages: the durations add up to [\d,]+ years, "
                                          r"more than 200"):
        load_rules(path)
