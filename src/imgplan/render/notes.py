"""Addresses moved out of a table's cells into numbered notes below it.

Found by new users: at 80 columns a source column cut its address to "http://www.nrmp.org/r…",
and folded into a narrow cell an address cannot be copied or clicked. In the cell a source
keeps its words and gains a number ("NRMP applicant toolkit [1]"); below the table each
address is printed on a line of its own, whole and unwrapped, which a terminal shows soft-wrapped
and still selects and opens as one.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

_ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+")
_TRAILING = ".,;:!?"


class Notes:
    """The addresses cited by one table, numbered in the order the table shows them."""

    def __init__(self) -> None:
        self.addresses: list[str] = []

    def cite(self, text: str) -> Text:
        """``text`` with each address replaced by its note's number."""

        def number(found: re.Match[str]) -> str:
            address = found[0].rstrip(_TRAILING)
            # a closing bracket ends the address only when the address opened none:
            # "(see https://x.org/a)" but "https://en.wikipedia.org/wiki/Match_Day_(medicine)"
            while address[-1] in ")]" and address.count(address[-1]) > address.count(
                    "(" if address[-1] == ")" else "["):
                address = address[:-1].rstrip(_TRAILING)
            trailer = found[0][len(address):]
            if address not in self.addresses:
                self.addresses.append(address)
            return f"[{self.addresses.index(address) + 1}]{trailer}"

        return Text(_ADDRESS.sub(number, text))

    def print(self, console: Console) -> None:
        if not self.addresses:
            return
        width = len(str(len(self.addresses)))
        lines = Text("\n").join(Text(f"[{n:>{width}}] {address}")
                                for n, address in enumerate(self.addresses, 1))
        # never wrapped or cut: an address is copied whole (the terminal wraps the long ones)
        console.print(lines, no_wrap=True, overflow="ignore", crop=False)
