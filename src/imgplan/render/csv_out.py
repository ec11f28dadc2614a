"""Rows as CSV a spreadsheet opens safely: the program list's export and the cohort's."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

# A cell a spreadsheet would run as a formula (OWASP's "CSV injection": =, +, -, @, a tab or a
# carriage return first) gets a leading apostrophe, so =HYPERLINK(...) shows as text there too.
FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")


def csv_text(columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    """``rows`` under a header of ``columns``, Excel's dialect, formulas made harmless."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: "'" + cell if cell.startswith(FORMULA_FIRST) else cell
                         for column, cell in row.items()})
    return out.getvalue()
