"""The HTML pages in a real browser (issue 15, part 4): headless Chromium renders each to a
PDF and a phone-sized PNG, the page's text is what imgplan wrote, the timeline prints on two
pages at most, and the browser fetched nothing for the page.

Skipped, with the reason, where no Chromium can be found (``IMGPLAN_BROWSER`` names one);
``.ci/run`` installs Debian's chromium, so CI never skips these.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

Run = Callable[..., Any]
TODAY = ("--today", "2026-12-02")
# What Chromium asks of Google's services on its own at start-up, whatever the page (seen
# with Debian's chromium 156 even with background networking off): not the page's doing.
BROWSER_OWN = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com")


def browser() -> str:
    named = os.environ.get("IMGPLAN_BROWSER")
    found = named or next((shutil.which(name) for name in
                           ("chromium", "chromium-browser", "google-chrome")
                           if shutil.which(name)), None)
    if not found:
        pytest.skip("no Chromium on this machine (install Debian's chromium, or set "
                    "IMGPLAN_BROWSER): the HTML pages were not rendered in a browser")
    return found


def render(page: Path, folder: Path, *args: str) -> list[str]:
    """Run headless Chromium on ``page``; the addresses it requested (its network log)."""
    folder.mkdir(exist_ok=True)
    log = folder / "net.json"
    command = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-quic", "--disable-extensions",
               "--disable-default-apps", f"--user-data-dir={folder / 'profile'}",
               f"--log-net-log={log}", *args, page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "HOME": str(folder)})
    assert done.returncode == 0, done.stderr[-2000:]
    text = log.read_text(encoding="utf-8", errors="replace")
    return sorted({url for url in re.findall(r'"url":"([^"]+)"', text)})


def fetched_for_the_page(requested: list[str]) -> list[str]:
    found = []
    for url in requested:
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "about", "chrome"):
            continue
        host = parts.hostname or ""
        if any(host == own or host.endswith("." + own) for own in BROWSER_OWN):
            continue
        found.append(url)
    return found


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


@pytest.fixture
def pages(cli: Run, tmp_path: Path, profile_path: Path) -> dict[str, Path]:
    for args in (["init", "--no-input", "--match", "2028", "--specialty", "IM", "--visa", "j1",
                  "--graduation", "2022-06-30", "--name", "Amina <Yusuf>"],
                 ["mark", "step1", "passed", "--date", "2026-07-01"]):
        assert cli(*args, *TODAY).exit_code == 0, args
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("name,graduation,step1\nRavi,2021-07-15,2025-09-01\n"
                      "Lucia,2019-12-01,\n", encoding="utf-8")
    made = {}
    for name, args in (("timeline", ["timeline"]), ("check", ["check"]),
                       ("compare", ["compare", "--match", "2028", "--match", "2029"]),
                       ("cohort", ["cohort", str(cohort)])):
        out = tmp_path / f"{name}.html"
        result = cli(*args, *TODAY, "-o", str(out))
        assert result.exit_code in (0, 1), result.stderr  # check: 1 while items fail
        made[name] = out
    return made


def test_each_page_renders_to_pdf_and_png_and_fetches_nothing(
        pages: dict[str, Path], tmp_path: Path) -> None:
    for name, page in pages.items():
        folder = tmp_path / f"chromium-{name}"
        pdf, png = folder / f"{name}.pdf", folder / f"{name}.png"
        requested = render(page, folder, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert fetched_for_the_page(requested) == [], name
        # the page's own links are links: none was followed
        linked = {urlsplit(u).hostname for u in re.findall(r'href="(https?://[^"]+)"',
                                                           page.read_text())}
        assert not linked & {urlsplit(u).hostname for u in requested}, name
        assert pdf_pages(pdf) >= 1, name
        render(page, tmp_path / f"phone-{name}", "--window-size=412,915",
               "--hide-scrollbars", f"--screenshot={png}")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert png.stat().st_size > 5000, name  # a drawn page, not a blank one


def test_the_timeline_prints_on_two_pages_at_most_and_reads_as_written(
        pages: dict[str, Path], tmp_path: Path) -> None:
    page = pages["timeline"].read_text(encoding="utf-8")
    for size in ("A4", "letter"):
        # the paper a person's printer has: headless Chromium's own is Letter
        folder = tmp_path / f"print-{size}"
        folder.mkdir()
        printed = folder / "plan.html"
        printed.write_text(page.replace("</style>", f"@page {{ size: {size}; }}</style>"),
                           encoding="utf-8")
        pdf = folder / "plan.pdf"
        render(printed, folder, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert 1 <= pdf_pages(pdf) <= 2, size
    dom = subprocess.run(
        [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'dom'}", "--dump-dom",
         pages["timeline"].resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "HOME": str(tmp_path)})
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    # the name escaped, never markup; the verdict, the Gantt, the sources as links
    assert "Amina &lt;Yusuf&gt;" in text and "<Yusuf>" not in text
    assert "Match 2028" in text and "<svg" in text and "<rect" in text
    assert re.search(r'<a href="https://[^"]+nrmp\.org', text)
    assert "<script" not in text


def test_a_pages_json_twin_agrees(pages: dict[str, Path], cli: Run) -> None:
    # the page and the JSON come from the same plan: the verdict's year and the earliest
    plan = json.loads(cli("timeline", *TODAY, "--format", "json").stdout)
    page = pages["timeline"].read_text()
    assert f"Match {plan['match_year']}" in page
