"""What the terminal shows, captured: an SVG picture to share, or plain text for a file.

Both use a Rich console of a fixed width that ignores the terminal and the environment
(``COLUMNS``, ``NO_COLOR``), so the same plan always gives the same picture. The SVG's ids are
a hash of its content (Rich's default), never random.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import cache

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
    """``draw``'s output as an SVG document, in colour, that loads nothing from the network."""
    console = _recording(colour=True, width=width)
    draw(console)
    return console.export_svg(title=title, code_format=_offline_format())


_FONT_FACE = re.compile(r"@font-face \{\{.*?\}\}\s*", re.DOTALL)
_FONT_FAMILY = re.compile(r"font-family: Fira Code, monospace;")


@cache
def _offline_format() -> str:
    """Rich's SVG template without its web font: found by a new user, every picture asked a
    CDN for Fira Code when opened (a privacy leak, and no font offline). A generic monospace
    family is every system's own. tests/render/test_exports.py checks that no address is left.
    """
    import rich.console

    # the name export_svg's docstring gives for its default template (rich.console does not
    # list it as exported, so it is looked up, not imported)
    template: str = vars(rich.console)["CONSOLE_SVG_FORMAT"]
    return _FONT_FAMILY.sub("font-family: monospace;", _FONT_FACE.sub("", template))


def plain_text(draw: Draw, *, width: int = FILE_WIDTH) -> str:
    """``draw``'s output as plain text (no colour, no escape codes), trailing spaces removed."""
    console = _recording(colour=False, width=width)
    draw(console)
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
