"""The Rich console every renderer writes to.

Width and colour come from the environment (``COLUMNS``, ``NO_COLOR``), so tests fix them and
output never depends on the terminal that runs them.
"""

from __future__ import annotations

import errno
import os

from rich.console import Console

# Found by the fault review: COLUMNS=0 printed nothing at all and exited 0, and a width in
# the millions builds lines of that length. Outside these bounds COLUMNS is taken as a mistake.
NARROWEST, WIDEST, FALLBACK_WIDTH = 20, 1000, 80
# A fixed width for what is written to files (plain-text tables, SVG pictures, a redirected
# table): the same plan gives the same file, whatever terminal the command ran in.
FILE_WIDTH = 120


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich exits 1 itself here; imgplan's edge ends every closed pipe alike (exit 0, as
        # the reader, `| head -1`, had what it wanted: imgplan.cli.terminal).
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def make_console(*, record: bool = False, stderr: bool = False) -> Console:
    # emoji=False: a name or a source typed as ":word:" is shown as typed, and Rich's table of
    # emoji codes (~4 ms to load) is not needed; the files imgplan writes do the same (svg.py).
    console = _Console(record=record, stderr=stderr, highlight=False, soft_wrap=False,
                       emoji=False, width=_width_override())
    if "COLUMNS" not in os.environ and not console.is_terminal:
        # Not a terminal (`imgplan timeline > plan.txt`, a pipe): laid out for the content at
        # the width of a file imgplan writes (-o plan.txt), not Rich's 80 (found by new users:
        # a redirected table was cut at 80 columns).
        console.width = FILE_WIDTH
    return console


def _width_override() -> int | None:
    """A width for COLUMNS that is not one a terminal has; None leaves it to Rich."""
    text = os.environ.get("COLUMNS")
    if text is None:
        return None
    try:
        columns = int(text.strip()) if len(text) < 12 else None
    except ValueError:
        columns = None
    if columns is None or columns < NARROWEST:
        return FALLBACK_WIDTH
    return min(columns, WIDEST) if columns > WIDEST else None
