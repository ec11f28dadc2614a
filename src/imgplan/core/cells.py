"""One CSV row's cells read the way people type them: a name, yes or no, a whole number, a
date, one of a few words. Shared by the program list (``programs``) and the advisor's cohort
(``cohort``). A bad cell raises a UsageError naming its row and column. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from imgplan.core.dates import parse_date
from imgplan.core.errors import UsageError
from imgplan.core.fields import unshowable
from imgplan.core.spelling import folded

YesNo = Literal["yes", "no", "unknown"]
MAX_CELL_CHARS = 2000  # a note pasted twice is fine; a cell of megabytes is a mistake
# what an export puts an apostrophe before, so a spreadsheet shows the cell as text
FORMULA_FIRST = ("=", "+", "-", "@")
_YES = {"yes", "y", "true", "1", "x", "sponsors"}
_NO = {"no", "n", "false", "0", "none", "notsponsored"}
_UNKNOWN = {"unknown", "?", "na", "n/a", "unsure", "notsure", "dontknow"}


class Cells:
    """The text values of one row (``where``: "row 4", for an error), by column."""

    def __init__(self, values: Mapping[str, str | None], where: str) -> None:
        self.values = values
        self.where = where

    def bad(self, column: str, reason: str) -> UsageError:
        return UsageError(f"{self.where}, column {column}: {reason}", field=column)

    def given(self) -> frozenset[str]:
        """The columns holding a value."""
        return frozenset(column for column, value in self.values.items()
                         if value is not None and value.strip())

    def text(self, column: str) -> str | None:
        value = self.values.get(column)
        if not value or not (value := value.strip()):
            return None
        if value[:1] == "'" and value[1:2] in FORMULA_FIRST:
            value = value[1:]  # the apostrophe an export put before a formula, taken off
        if len(value) > MAX_CELL_CHARS:
            raise self.bad(column, f"is longer than {MAX_CELL_CHARS} characters ({len(value)})")
        problem = unshowable(value)
        if problem is not None:
            raise self.bad(column, problem)
        return value

    def yes_no(self, column: str) -> YesNo:
        value = self.text(column)
        if value is None:
            return "unknown"
        word = folded(value)
        if word in _YES:
            return "yes"
        if word in _NO:
            return "no"
        if word in _UNKNOWN or value in _UNKNOWN:
            return "unknown"
        raise self.bad(column, f"'{value}' is not yes, no or unknown")

    def whole(self, column: str, top: int, *, least: int = 0) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        if not value.isascii() or not value.isdigit() or len(value) > 6 \
                or not least <= int(value) <= top:
            raise self.bad(column, f"'{value}' is not a whole number from {least} to {top}")
        return int(value)

    def day(self, column: str) -> dt.date | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return parse_date(value)
        except UsageError as exc:
            raise self.bad(column, exc.message) from None

    def choice(self, column: str, allowed: tuple[str, ...],
               synonyms: Mapping[str, str] | None = None) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        word = folded(value)
        found = (synonyms or {}).get(word) or next(
            (a for a in allowed if folded(a) == word), None)
        if found is None:
            from imgplan.core.spelling import suggestion

            raise self.bad(column, f"'{value}' is not one of: {', '.join(allowed)}"
                           f"{suggestion(value, allowed)}")
        return found
