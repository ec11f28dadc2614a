"""Lists for people: what wraps hangs under the item's text, past its bullet or number.

Found by new users: warnings and next actions wrapped to column 0, so an item's second line
read as an item of its own. Wrapped here with Rich's own line breaking, not in a grid: a Rich
table costs a few milliseconds of start-up (docs/performance.md).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text


def hanging(console: Console, head: Text | str, body: Text, *, indent: int) -> list[Text]:
    """``body`` wrapped to the console's width after ``head``, each later line indented."""
    lines: list[Text] = []
    first = head if isinstance(head, Text) else Text(head)
    for index, part in enumerate(body.wrap(console, max(20, console.width - indent))):
        lines.append((first if index == 0 else Text(" " * indent)) + part)
    return lines


def print_lines(console: Console, lines: list[Text]) -> None:
    """Lines already wrapped, printed as they are (never wrapped or cut again)."""
    if lines:
        console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore", crop=False)
