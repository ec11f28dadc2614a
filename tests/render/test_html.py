"""The HTML pages without a browser (issue 15, part 4): whole in themselves, escaped, and
offered where the issue asks (timeline, check, compare, cohort)."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")


def self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport"' in page
    assert "default-src 'none'" in page  # the page forbids itself any fetch
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""<[^>]*\ssrc\s*=|url\(""", page)  # nothing a tag would load


@pytest.mark.parametrize("command", [["timeline"], ["check"],
                                     ["compare", "--match", "2028", "--match", "2029"]])
def test_each_page_is_whole_in_itself(cli: Run, tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "page.html"
    result = cli(*command, *TODAY, "-o", str(out))
    assert result.exit_code in (0, 1), result.stderr
    self_contained(out.read_text(encoding="utf-8"))
    piped = cli(*command, *TODAY, "--format", "html")
    assert piped.stdout == out.read_text(encoding="utf-8")


def test_the_plan_page_has_the_verdict_gantt_table_and_sources(cli: Run) -> None:
    page = cli("timeline", "--match", "2029", *TODAY, "--format", "html").stdout
    assert "Match 2029 is reachable" in page
    assert page.count("<rect") >= 10  # a bar per stage
    assert "<th>Latest finish</th>" in page
    assert re.search(r'<a href="https://www\.nrmp\.org/[^"]*">', page)


def test_an_address_in_parentheses_is_linked_whole() -> None:
    from imgplan.render.html import linked

    # the rules cite Wikipedia's "Match_Day_(medicine)"; a sentence's own brackets and full
    # stop are not part of an address
    assert linked("https://en.wikipedia.org/wiki/Match_Day_(medicine) ; UW") == (
        '<a href="https://en.wikipedia.org/wiki/Match_Day_(medicine)">'
        "https://en.wikipedia.org/wiki/Match_Day_(medicine)</a> ; UW")
    assert linked("(see https://www.nrmp.org/a/b).") == (
        '(see <a href="https://www.nrmp.org/a/b">https://www.nrmp.org/a/b</a>).')
    assert linked("[https://x.org/q?a=1&b=2], then") == (
        '[<a href="https://x.org/q?a=1&amp;b=2">https://x.org/q?a=1&amp;b=2</a>], then')


def test_the_plan_pages_sources_link_each_address_whole(cli: Run) -> None:
    page = cli("timeline", "--match", "2029", *TODAY, "--format", "html").stdout
    assert '<a href="https://en.wikipedia.org/wiki/Match_Day_(medicine)">' in page


def test_the_gantts_key_dates_are_named_apart(cli: Run) -> None:
    # Found on a page: the application's long name and Match Day's were drawn over each other
    page = cli("timeline", "--match", "2029", *TODAY, "--format", "html").stdout
    named = [(float(x), float(y), text) for x, y, text in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" fill="#0969da" font-size="9">([^<]*)</text>', page)]
    assert {text.split(" ")[0] for _, _, text in named} == {"today", "Applicants", "Match"}
    for y in {y for _, y, _ in named}:
        row = sorted((x, text) for x, at, text in named if at == y)
        for (x, text), (next_x, _) in pairwise(row):
            assert next_x >= x + 5 * len(text), row  # 9-pixel type: about 5 px a character
    assert all(x + 5 * len(text) <= 960 for x, _, text in named)  # inside the picture


def test_the_readiness_page_has_the_items_and_the_plans_gantt(cli: Run) -> None:
    page = cli("check", "--match", "2029", *TODAY, "--format", "html").stdout
    assert "<h2>Items</h2>" in page and "<h2>Gantt</h2>" in page
    assert page.index("<h2>Items</h2>") < page.index("<h2>Gantt</h2>")
    assert page.count("<rect") >= 10  # a bar per stage of the plan the items are due by


def test_a_name_is_text_never_markup(cli: Run, profile_path: Path) -> None:
    assert cli("init", "--no-input", "--match", "2029", "--graduation", "2024-06-30",
               "--specialty", "IM", "--visa", "j1",
               "--name", "<img src=x onerror=alert(1)>", *TODAY).exit_code == 0
    page = cli("timeline", *TODAY, "--format", "html").stdout
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    self_contained(page)


def test_the_cohort_page(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,graduation\n<b>Ravi</b>,2021-07-15\nBad,2021-13-01\n",
                    encoding="utf-8")
    out = tmp_path / "cohort.htm"
    result = cli("cohort", str(path), *TODAY, "-o", str(out))
    assert result.exit_code == 1  # a row skipped
    page = out.read_text(encoding="utf-8")
    self_contained(page)
    assert "&lt;b&gt;Ravi&lt;/b&gt;" in page and "<h2>Skipped</h2>" in page


def test_formats_without_a_page_say_so(cli: Run, tmp_path: Path) -> None:
    result = cli("calendar", "--match", "2028", *TODAY, "-o", str(tmp_path / "c.html"))
    assert result.exit_code == 2
    assert "cannot write a .html file" in result.stderr
