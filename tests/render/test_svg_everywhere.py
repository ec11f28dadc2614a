"""SVG that renders everywhere (issue 13, part 6): no external resources, and the Gantt bars
where librsvg (GNOME's viewers, ``rsvg-convert``) and a browser both draw them.

Found by a new user: in librsvg every bar collapsed to the left, because Rich placed each
character of a run by ``textLength``, which librsvg ignores. The bars are now rectangles, whose
place every renderer takes from the file; the test renders the picture with ``rsvg-convert``
when the machine has it and looks at the pixels.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
PLAN = ("timeline", "--match", "2029", "--today", "2026-12-02")
RECT = re.compile(r'<rect class="(?P<cls>[^"]+)" x="(?P<x>[\d.]+)" y="(?P<y>[\d.]+)" '
                  r'width="(?P<w>[\d.]+)" height="(?P<h>[\d.]+)"(?P<done> fill-opacity)?')


def picture(cli: Run, tmp_path: Path) -> str:
    target = tmp_path / "plan.svg"
    result = cli(*PLAN, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    return target.read_text(encoding="utf-8")


def bar_columns(text: str) -> list[int]:
    """The first column of each Gantt row's bar, in the plain-text table of the same plan."""
    rows = text.splitlines()
    start = next(i for i, line in enumerate(rows) if "Jan '2" in line and "Stage" not in line)
    found = []
    for line in rows[start + 1:]:
        if "planned" in line and "latest finish" in line:
            break
        columns = [i for i, c in enumerate(line) if c in "█▓"]
        if columns:
            found.append(columns[0])
    return found


def test_each_bar_is_a_rectangle_at_its_column(cli: Run, tmp_path: Path) -> None:
    svg = picture(cli, tmp_path)
    assert "█" not in svg and "▓" not in svg  # no bar left as text to be misplaced
    width = 20 * 0.61  # Rich's width of a character in its pictures (font size x aspect)
    text_out = tmp_path / "plan.txt"
    assert cli(*PLAN, "-o", str(text_out)).exit_code == 0
    columns = bar_columns(text_out.read_text(encoding="utf-8"))
    bars = list(RECT.finditer(svg))
    lefts = sorted({round(float(m["x"]) / width) for m in bars})
    # every bar of the text table starts where a rectangle of the picture starts
    assert set(columns) <= set(lefts), (columns, lefts)
    assert len(bars) >= len(columns)


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """The rows of an 8-bit RGBA PNG (what rsvg-convert writes), unfiltered."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data, width = 8, b"", 0
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        chunk = png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert (depth, colour) == (8, 6), "an 8-bit RGBA PNG"
        elif kind == b"IDAT":
            data += chunk
        at += 12 + length
    raw, stride, rows = zlib.decompress(data), width * 4, []
    previous = bytearray(stride)
    for row in range(height):
        line = raw[row * (stride + 1):(row + 1) * (stride + 1)]
        kind, out = line[0], bytearray(line[1:])
        for i in range(stride):
            left = out[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            if kind == 1:
                out[i] = (out[i] + left) & 255
            elif kind == 2:
                out[i] = (out[i] + up) & 255
            elif kind == 3:
                out[i] = (out[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                out[i] = (out[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                    else corner)) & 255
        rows.append(bytes(out))
        previous = out
    return width, height, rows


@pytest.mark.skipif(shutil.which("rsvg-convert") is None,
                    reason="rsvg-convert (Debian's librsvg2-bin) is not installed")
def test_librsvg_draws_each_bar_where_the_file_places_it(cli: Run, tmp_path: Path) -> None:
    svg = picture(cli, tmp_path)
    png = tmp_path / "plan.png"
    subprocess.run(["rsvg-convert", str(tmp_path / "plan.svg"), "-o", str(png)], check=True)
    _, _, rows = _pixels(png.read_bytes())
    origin = re.search(r'<g transform="translate\((\d+), (\d+)\)" clip-path', svg)
    assert origin is not None
    dx, dy = int(origin[1]), int(origin[2])
    fills = dict(re.findall(r"\.([\w-]+) \{ fill: (#[0-9a-f]{6})", svg))
    checked = 0
    for bar in RECT.finditer(svg):
        if bar["done"] or bar["cls"] not in fills:
            continue
        x = dx + float(bar["x"]) + float(bar["w"]) / 2
        y = dy + float(bar["y"]) + float(bar["h"]) / 2
        pixel = rows[round(y)][round(x) * 4:round(x) * 4 + 3]
        wanted = bytes.fromhex(fills[bar["cls"]][1:])
        assert all(abs(a - b) <= 8 for a, b in zip(pixel, wanted, strict=True)), (
            bar[0], pixel.hex(), wanted.hex())
        checked += 1
    assert checked >= 10  # a bar for each stage still to do
