"""rules validate refuses a key date marked official whose source is not the body's site."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_an_official_date_from_a_blog_is_refused(cli: Any, tmp_path: Path) -> None:
    packaged = Path(__file__).resolve().parents[2] / "data" / "rules.yaml"
    text = packaged.read_text(encoding="utf-8")
    old = ('eras_opens: {date: 2026-06-03, source: "Quanta Prep ERAS guide '
           'https://www.quantaprep.com/blog/eras-2026-guide", kind: secondary')
    assert old in text
    edited = tmp_path / "rules.yaml"
    edited.write_text(text.replace(old, old.replace("kind: secondary", "kind: official")),
                      encoding="utf-8")
    result = cli("rules", "validate", str(edited))
    assert result.exit_code == 2
    assert "published.2027.eras_opens.kind: marked official, but its source is not the site" \
        in result.stderr
    ok = cli("rules", "validate", str(packaged))
    assert ok.exit_code == 0, ok.stderr
