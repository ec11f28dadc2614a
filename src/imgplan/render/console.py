"""The Rich console every renderer writes to.

Width and colour come from the environment (``COLUMNS``, ``NO_COLOR``), so tests fix them and
output never depends on the terminal that runs them.
"""

from __future__ import annotations

from rich.console import Console


def make_console(*, record: bool = False, stderr: bool = False) -> Console:
    return Console(record=record, stderr=stderr, highlight=False, soft_wrap=False)
