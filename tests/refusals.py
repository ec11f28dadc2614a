"""The one way a test says "refused": imgplan's promise for every bad input.

Exit 2 (or ``code``), nothing on stdout, exactly one line on stderr starting
``imgplan: error: ``, no traceback; every ``expected`` text in that line (imgplan's own words
and places: a library's wording after them may change), or the whole line ``exact``.
"""

from __future__ import annotations

from typing import Any


def refused(result: Any, *expected: str, exact: str | None = None, code: int = 2) -> str:
    """Assert the refusal; return its one line."""
    shown = f"exit {result.exit_code}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}"
    assert result.exit_code == code, shown
    # an exception that escaped the error boundary would be here instead of SystemExit
    assert isinstance(result.exception, SystemExit), (repr(result.exception), shown)
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.stdout == "", shown
    lines = result.stderr.splitlines()
    assert len(lines) == 1, shown
    line: str = lines[0]
    assert line.startswith("imgplan: error: "), shown
    if exact is not None:
        assert line == f"imgplan: error: {exact}", shown
    for text in expected:
        assert text in line, shown
    return line
