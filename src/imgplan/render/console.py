"""The Rich console every renderer writes to.

Width and colour come from the environment (``COLUMNS``, ``NO_COLOR``), so tests fix them and
output never depends on the terminal that runs them.
"""

from __future__ import annotations

from rich.console import Console


def make_console(*, record: bool = False, stderr: bool = False) -> Console:
    # emoji=False: a name or a source typed as ":word:" is shown as typed, and Rich's table of
    # emoji codes (~4 ms to load) is not needed; the files imgplan writes do the same (svg.py).
    return Console(record=record, stderr=stderr, highlight=False, soft_wrap=False, emoji=False)
