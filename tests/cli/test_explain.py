"""``imgplan explain TERM``: each word the output uses, in plain sentences (issue 13, part 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from imgplan.core.terms import TERMS

Run = Callable[..., Any]


@pytest.mark.parametrize("typed", ["slack", "Slack", "late chain", "late-chain", "critical",
                                   "hard", "target", "estimated", "official", "pathway",
                                   "Pathways", "~", "*", "latest finish"])
def test_a_term_typed_as_people_type_it_is_explained(cli: Run, typed: str) -> None:
    result = cli("explain", typed)
    assert result.exit_code == 0, result.stderr
    heading, *body = result.stdout.splitlines()
    assert heading and not heading.startswith(" ")
    text = " ".join(line.strip() for line in body)
    # two or three plain sentences
    assert 2 <= text.count(". ") + text.endswith(".") <= 4, text


def test_every_term_the_table_uses_has_its_words(cli: Run) -> None:
    shown = cli("explain").stdout
    for term in TERMS:
        assert term.name in shown
        assert f"imgplan explain {term.id}" in shown
    # the table's legend names the words explain has
    table = cli("timeline", "--match", "2029", "--today", "2026-12-02").stdout
    for word in ("slack", "critical", "estimated"):
        assert word in table
        assert cli("explain", word).exit_code == 0


def test_an_unknown_term_is_one_line_with_the_nearest(cli: Run) -> None:
    result = cli("explain", "slak")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "did you mean slack?" in result.stderr
    assert "pathway" in result.stderr  # the known terms follow


def test_terms_have_no_duplicate_words() -> None:
    from imgplan.core.spelling import folded

    # a word looked up names one term only
    words = [word for t in TERMS for word in {folded(w) for w in (t.id, t.name, *t.also)}]
    assert len(words) == len(set(words))
