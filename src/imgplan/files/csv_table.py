"""A table as spreadsheets export it, read from CSV: the program list (``program_csv``) and an
advisor's cohort (``imgplan cohort``).

Read: UTF-8 with or without a byte-order mark (Excel writes one), comma, semicolon or tab (a
spreadsheet in a locale with decimal commas writes semicolons): the dialect is the csv
module's Sniffer's reading of the header line. Headers are read the way people write them
("Program ID", "program-id"). A file or header that cannot be read raises a UsageError naming
the file and line; a row that cannot be read is given with its problem, for the caller to
refuse the file (a program list) or skip the row (a cohort).

A cell such as ``=HYPERLINK(...)`` is kept as the text it is: imgplan never evaluates a cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from imgplan.core.datatype import datatype
from imgplan.core.errors import UsageError
from imgplan.files.reading import read_bounded


@datatype(frozen=True)
class Row:
    line: int  # where the row starts in the file
    values: dict[str, str | None]
    problem: str | None = None  # why the row could not be read as cells


def read_table(path: Path, *, columns: Sequence[str], headings: Mapping[str, str],
               required: str, what: str, max_bytes: int, max_rows: int,
               consequence: str, hint: str | None = None) -> list[Row]:
    """The rows of the CSV at ``path`` with a value per known column (``headings``: other
    words for a column, folded); ``what`` names a row ("programs"), ``consequence`` what a
    refusal means ("nothing imported"), ``hint`` where the columns are documented."""
    text = _text(path, max_bytes=max_bytes, what=what, consequence=consequence)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UsageError(f"is empty: the first line must be the header ({required}, ...)",
                         file=path, line=1)
    # The Sniffer, asked of the header line only, for the delimiter only: the rest is Excel's
    # dialect ("" inside quotes), which a header line cannot show it.
    try:
        delimiter = csv.Sniffer().sniff(lines[0], ",;\t").delimiter
    except csv.Error:
        delimiter = ","  # one column: the names alone
    # strict: a quote never closed is an error, not a cell that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter,
                        strict=True)
    rows: list[Row] = []
    try:
        header = next(reader)
        named = [_column(name, path, index, columns, headings, consequence)
                 for index, name in enumerate(header, 1)]
        if required not in named:
            raise UsageError(f"has no '{required}' column: the header needs at least "
                             f"{required}; {consequence}", file=path, line=1, hint=hint)
        repeated = {c for c in named if named.count(c) > 1}
        if repeated:
            raise UsageError(f"the header names the column {sorted(repeated)[0]} twice; "
                             f"{consequence}", file=path, line=1)
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, as spreadsheets leave at the end
            if len(rows) >= max_rows:
                raise UsageError(f"has more than {max_rows} {what}; {consequence}",
                                 file=path, line=line)
            start = line - sum(cell.count("\n") for cell in cells)
            problem = None
            if len(cells) > len(named):
                problem = (f"row {start} has {len(cells)} cells, the header {len(named)}: a "
                           f"cell with a {_shown(delimiter)} in it needs quotes")
            elif start != line:  # a quoted cell ran over lines: a quote left open, most often
                problem = (f"row {start}: a quote opened in it is closed only on line {line} "
                           "(a cell cannot hold a line break)")
            rows.append(Row(start, dict(zip(named, cells, strict=False)), problem))
    except csv.Error as exc:
        raise UsageError(f"is not a CSV file imgplan can read ({exc}: a quote left open?); "
                         f"{consequence}", file=path, line=reader.line_num or None) from None
    return rows


def _text(path: Path, *, max_bytes: int, what: str, consequence: str) -> str:
    raw = read_bounded(path, error=UsageError, max_bytes=max_bytes)
    if len(raw) > max_bytes:
        raise UsageError(f"is larger than {max_bytes // (1024 * 1024)} MiB, more than a list "
                         f"of {what} holds; {consequence}", file=path)
    if b"\x00" in raw:
        raise UsageError("is not text (it holds NUL bytes): export the sheet as CSV", file=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise UsageError("is not UTF-8 text: export the sheet as 'CSV UTF-8'", file=path,
                         line=line) from None


def _column(name: str, path: Path, index: int, columns: Sequence[str],
            headings: Mapping[str, str], consequence: str) -> str:
    from imgplan.core.spelling import folded, suggestion

    wanted = folded(name)
    found = next((c for c in columns if folded(c) == wanted), None) or headings.get(wanted)
    if found is None:
        shown = name.strip() or f"column {index} (no name)"
        raise UsageError(f"unknown column '{shown}'{suggestion(name, columns)}; {consequence} "
                         f"(the columns are: {', '.join(columns)})", file=path, line=1)
    return found


def _shown(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, "comma")
