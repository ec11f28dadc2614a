"""What the terminal shows, captured: an SVG picture to share, or plain text for a file.

Both use a Rich console of a fixed width that ignores the terminal and the environment
(``COLUMNS``, ``NO_COLOR``), so the same plan always gives the same picture. The SVG's ids are
a hash of its content (Rich's default), never random.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console

Draw = Callable[[Console], None]
# A fixed width for what is written to files (plain-text tables, SVG pictures): the same plan
# gives the same file, whatever terminal the command ran in.
FILE_WIDTH = 120


def _recording(*, colour: bool, width: int) -> Console:
    return Console(
        file=io.StringIO(), record=True, width=width, height=60,
        force_terminal=colour, color_system="truecolor" if colour else None,
        no_color=not colour, legacy_windows=False, force_jupyter=False,
        highlight=False, soft_wrap=False, emoji=False, markup=True,
    )


def svg(draw: Draw, *, title: str, width: int = FILE_WIDTH) -> str:
    """``draw``'s output as an SVG document, in colour."""
    console = _recording(colour=True, width=width)
    draw(console)
    return console.export_svg(title=title)


def plain_text(draw: Draw, *, width: int = FILE_WIDTH) -> str:
    """``draw``'s output as plain text (no colour, no escape codes), trailing spaces removed."""
    console = _recording(colour=False, width=width)
    draw(console)
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
