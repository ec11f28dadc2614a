"""How long the planner takes: one plan, and one search for the earliest feasible Match year.

    pytest benchmarks/planner.py --benchmark-only --benchmark-disable-gc -q -p no:cacheprovider

The situation is the one ``benchmarks/startup.py`` times end to end: from scratch (nothing
done yet) on 2026-11-22, typical pace, J-1, on the packaged rules. The search, which plans
the Match years in turn until one is feasible, runs on every ``timeline`` and ``check``
without ``--match``; it should stay well under 20 ms. The rules are loaded once, outside the
timing: ``startup.py`` measures loading.

Each benchmark also checks its answer, so a faster planner that plans something else fails
here rather than in the figures; a search over 20 ms is a warning, never a failure (machines
are noisy). docs/performance.md records the numbers.
"""

from __future__ import annotations

import warnings
from datetime import date

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from imgplan.core.planner import earliest_feasible_match, plan
from imgplan.core.rules import Rules
from imgplan.files.rules_file import load_rules

TODAY = date(2026, 11, 22)
MATCH = 2029
SEARCH_BUDGET = 0.020  # seconds


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Rules:
    # checked (and cached) in a temporary folder, never in the cache of whoever runs this
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IMGPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return load_rules()


def test_one_plan(benchmark: BenchmarkFixture, rules: Rules) -> None:
    result = benchmark(plan, rules, MATCH, today=TODAY)
    assert result.match_year == MATCH and result.feasible


def test_earliest_feasible_search(benchmark: BenchmarkFixture, rules: Rules) -> None:
    year = benchmark(earliest_feasible_match, rules, today=TODAY)
    assert year == MATCH
    # A warning, not a failure: a noisy machine must not fail CI on a figure.
    if benchmark.stats is not None and benchmark.stats.stats.median > SEARCH_BUDGET:
        warnings.warn(f"over budget: the earliest-feasible-year search takes "
                      f"{benchmark.stats.stats.median * 1000:.1f} ms (budget "
                      f"{SEARCH_BUDGET * 1000:.0f} ms)", stacklevel=1)
