"""What the terminal shows, captured: an SVG picture to share, or plain text for a file.

Both use a Rich console of a fixed width that ignores the terminal and the environment
(``COLUMNS``, ``NO_COLOR``), so the same plan always gives the same picture. The SVG's ids are
a hash of its content (Rich's default), never random.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from functools import cache

from rich.console import Console

from imgplan.render.console import FILE_WIDTH

Draw = Callable[[Console], None]


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
    return drawn_everywhere(console.export_svg(title=title, code_format=_offline_format()))


# One <text> of Rich's picture: a run of a line in one style, placed by its first column.
_TEXT = re.compile(r'<text class="(?P<cls>[^"]+)" x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)" '
                   r'textLength="(?P<length>[\d.]+)" clip-path="(?P<clip>[^"]+)">'
                   r'(?P<body>[^<]*)</text>')
# a bar, or words with the single spaces between them (two spaces or more part columns)
_RUNS = re.compile(r"(?P<bar>[█▓]+)|(?P<words>[^\u00a0█▓]+(?:\u00a0[^\u00a0█▓]+)*)")
# Rich's picture: a character is 20 units high and a line 1.22 of that; a background is drawn
# from 1.5 units below the line's top (rich.console.Console.export_svg)
_CHAR_HEIGHT, _LINE_HEIGHT = 20.0, 20.0 * 1.22


def drawn_everywhere(picture: str) -> str:
    """Rich's SVG redrawn so that librsvg (GNOME's viewers, ``rsvg-convert``) shows what a
    browser shows.

    Found by a new user: every Gantt bar collapsed to the left in librsvg. Rich writes a run of
    a line as one <text> and counts on ``textLength`` to place each character; librsvg ignores
    it and drops a run's leading non-breaking spaces, so a bar after them starts at the run's
    first column. Here each column's words are a <text> of their own at their own column (no
    spaces left to drop, and a short run to measure), and each bar (█ planned, ▓ done) is a
    <rect> of its style's colour, which every renderer places exactly.
    """

    def redraw(found: re.Match[str]) -> str:
        body = html.unescape(found["body"])
        x, y = float(found["x"]), float(found["y"])
        width = float(found["length"]) / max(1, len(body))  # Rich's width of a character
        parts: list[str] = []
        for run in _RUNS.finditer(body):
            at, count = x + run.start() * width, len(run[0])
            if run["bar"]:
                done = ' fill-opacity="0.55"' if run[0][0] == "▓" else ""
                parts.append(f'<rect class="{found["cls"]}" x="{at:g}" '
                             f'y="{y - _CHAR_HEIGHT + 1.5:g}" width="{count * width:g}" '
                             f'height="{_LINE_HEIGHT + 0.25:g}"{done} '
                             f'shape-rendering="crispEdges" clip-path="{found["clip"]}"/>')
            elif run["words"]:
                parts.append(f'<text class="{found["cls"]}" x="{at:g}" y="{y:g}" '
                             f'textLength="{count * width:g}" clip-path="{found["clip"]}">'
                             f"{html.escape(run[0], quote=False).replace(chr(0xA0), '&#160;')}"
                             "</text>")
        return "".join(parts)

    return _TEXT.sub(redraw, picture)


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
