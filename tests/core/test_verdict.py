"""Which Match is planned, and refusing one that cannot be: a pure function of its inputs."""

from __future__ import annotations

from datetime import date

import pytest

from imgplan.core.errors import UsageError
from imgplan.core.planner import Person, earliest_feasible_match, plan
from imgplan.core.rules import Rules
from imgplan.core.verdict import PROFILE_FIELD, open_match_year, plan_for

TODAY = date(2026, 11, 22)


def planned(rules: Rules, requested: int | None, target: int | None) -> int:
    return plan_for(rules, today=TODAY, pace="typical", visa="j1", person=Person(),
                    requested=requested, target=target).match_year


def test_the_flag_wins_then_the_profile_then_the_earliest_feasible(rules: Rules) -> None:
    assert planned(rules, 2030, 2028) == 2030
    assert planned(rules, None, 2028) == 2028
    assert planned(rules, None, None) == 2029  # from scratch on 2026-11-22


def test_the_plan_carries_the_earliest_feasible_match_and_equals_a_fresh_one(
        rules: Rules) -> None:
    chosen = plan_for(rules, today=TODAY, pace="typical", visa="j1", person=Person(),
                      requested=2029, target=None)
    fresh = plan(rules, 2029, today=TODAY, earliest_feasible=2029)
    assert chosen.earliest_feasible_match == earliest_feasible_match(rules, today=TODAY) == 2029
    assert chosen == fresh  # the search's own plan of 2029, reused, is the same plan


@pytest.mark.parametrize(("requested", "target", "field"), [
    (2025, None, "--match"),  # closed: its rank-order-list deadline has passed
    (None, 2025, PROFILE_FIELD),  # the same year, from the profile
    (2099, None, "--match"),  # beyond the years imgplan computes
    (None, 2099, PROFILE_FIELD),
])
def test_a_year_that_cannot_be_planned_is_refused_naming_where_it_came_from(
        rules: Rules, requested: int | None, target: int | None, field: str) -> None:
    with pytest.raises(UsageError) as refused:
        planned(rules, requested, target)
    assert refused.value.field == field


def test_open_match_year_takes_what_a_person_types(rules: Rules) -> None:
    assert open_match_year(rules, " 2028 ", TODAY) == 2028
    for typed in ("2026", "２０２８", "28", "soon"):
        with pytest.raises(UsageError):
            open_match_year(rules, typed, TODAY)
