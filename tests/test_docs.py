"""docs/ is generated from the program: the committed pages are current, and the check catches a
page that is not."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from imgplan.files.rules_file import load_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCRIPT = DOCS / "generate.py"
PAGES = ("usage.md", "rules.md", "sources.md", "json.md", "terms.md")


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=False)


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pages made afresh with the installed libraries, where a test may alter them."""
    folder = tmp_path_factory.mktemp("docs")
    made = _generate("--docs", str(folder))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(PAGES)
    return folder


def test_committed_pages_are_current() -> None:
    result = _generate("--check")
    assert result.returncode == 0, (
        f"{result.stderr}\ndocs/ is stale: run `python docs/generate.py` and commit the pages")


def test_the_check_fails_on_an_altered_page(copied: Path) -> None:
    page = copied / "rules.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("## Durations", "## Durations (edited by hand)"),
                    encoding="utf-8")
    try:
        result = _generate("--check", "--docs", str(copied))
        assert result.returncode == 1
        assert "rules.md" in result.stderr
        assert "usage.md" not in result.stderr  # only the altered page is listed
    finally:
        page.write_text(original, encoding="utf-8")


def test_the_check_fails_on_a_missing_page(copied: Path) -> None:
    moved = copied / "json.md.away"
    (copied / "json.md").rename(moved)
    try:
        result = _generate("--check", "--docs", str(copied))
        assert result.returncode == 1 and "json.md" in result.stderr
    finally:
        moved.rename(copied / "json.md")


def test_pages_hold_no_machine_specific_text() -> None:
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        assert "imgplan-docs-" not in text and "/tmp/" not in text, page
        assert str(ROOT) not in text, page
        assert "\x1b[" not in text, page
        assert not re.search(r"[ \t]+$", text, re.M), f"{page} has trailing spaces"


def test_every_command_is_documented() -> None:
    from typer.main import get_command

    from imgplan.cli import app

    usage = (DOCS / "usage.md").read_text(encoding="utf-8")
    group = get_command(app)
    names = group.list_commands(group.context_class(group))
    assert names
    for name in names:
        assert f"`imgplan {name}`" in usage, name


def test_rules_reference_lists_every_id_and_sources_every_fact() -> None:
    rules = load_rules()
    reference = (DOCS / "rules.md").read_text(encoding="utf-8")
    for stage_id in rules.stage_ids + rules.key_date_ids:
        assert f"| `{stage_id}` |" in reference, stage_id
    sources = " ".join((DOCS / "sources.md").read_text(encoding="utf-8").split())
    facts = [rules.calendar.source, *(kd.source for kd in rules.key_dates)]
    facts += [fact.source for dates in rules.published.values() for fact in dates.values()]
    for stage in rules.stages:
        facts += [d.source for d in stage.deadlines]
        facts += [part.source for part in (stage.duration, stage.result) if part is not None]
    facts += [t.source for t in rules.thresholds.values()]
    facts += [item.source for item in rules.checklist]
    for source in facts:
        assert " ".join(source.split()).replace("|", "\\|") in sources, source


def test_sources_state_the_corrections() -> None:
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    assert "The rank-order-list deadline is not in February" in text
    assert "Wednesday 16 days before Match Day" in text
    assert "OET Writing needs 300, not 350" in text
