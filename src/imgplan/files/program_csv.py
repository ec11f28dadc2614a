"""A program list as spreadsheets export it, read from CSV (written by
``imgplan.render.programs_view.programs_csv_text``).

Read: UTF-8 with or without a byte-order mark (Excel writes one), comma or semicolon (a
spreadsheet in a locale with decimal commas writes semicolons): the dialect is the csv
module's Sniffer's reading of the header line. Headers are read the way people write them
("Program ID", "program-id"). Every row is checked before anything is kept: a bad value names
its row (the line in the file) and column, and nothing is imported.

A cell such as ``=HYPERLINK(...)`` is kept as the text it is: imgplan never evaluates a cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from imgplan.core.errors import UsageError
from imgplan.core.programs import COLUMNS, Program, program_from

MAX_CSV_BYTES = 4 * 1024 * 1024  # some thousands of programs; a bigger file is a mistake
MAX_ROWS = 5000


def read_programs(path: Path) -> list[Program]:
    """Every program of the CSV at ``path``, or a UsageError naming the file, row and column."""
    text = _text(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UsageError("is empty: the first line must be the header (name, program_id, ...)",
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
    try:
        header = next(reader)
        columns = [_column(name, path, index) for index, name in enumerate(header, 1)]
        if "name" not in columns:
            raise UsageError("has no 'name' column: the header needs at least name; nothing "
                             "imported", file=path, line=1,
                             hint="docs/programs.md lists the columns")
        repeated = {c for c in columns if columns.count(c) > 1}
        if repeated:
            raise UsageError(f"the header names the column {sorted(repeated)[0]} twice; "
                             "nothing imported", file=path, line=1)
        programs: list[Program] = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line, as spreadsheets leave at the end
            if len(programs) >= MAX_ROWS:
                raise UsageError(f"has more than {MAX_ROWS} programs; nothing imported",
                                 file=path, line=line)
            if len(row) > len(columns):
                raise UsageError(f"row {line} has {len(row)} cells, the header "
                                 f"{len(columns)}: a cell with a {_shown(delimiter)} in it "
                                 "needs quotes; nothing imported", file=path, line=line)
            start = line - sum(cell.count("\n") for cell in row)
            if start != line:  # a quoted cell ran over lines: a quote left open, most often
                raise UsageError(f"row {start}: a quote opened in it is closed only on line "
                                 f"{line} (a cell cannot hold a line break); nothing imported",
                                 file=path, line=start)
            values: dict[str, str | None] = dict(zip(columns, row, strict=False))
            try:
                programs.append(program_from(values, where=f"row {line}"))
            except UsageError as exc:
                # the message names the row and column already
                raise UsageError(f"{exc.message}; nothing imported", file=path,
                                 line=line) from None
    except csv.Error as exc:
        raise UsageError(f"is not a CSV file imgplan can read ({exc}: a quote left open?); "
                         "nothing imported",
                         file=path, line=reader.line_num or None) from None
    return programs


def _text(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except IsADirectoryError:
        raise UsageError("is a folder, not a CSV file", file=path) from None
    except FileNotFoundError:
        raise UsageError("does not exist", file=path) from None
    except OSError as exc:
        raise UsageError(f"cannot be read ({exc.strerror or exc})", file=path) from None
    if len(raw) > MAX_CSV_BYTES:
        raise UsageError(f"is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB, more than a "
                         "program list holds; nothing imported", file=path)
    if b"\x00" in raw:
        raise UsageError("is not text (it holds NUL bytes): export the sheet as CSV", file=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise UsageError("is not UTF-8 text: export the sheet as 'CSV UTF-8'", file=path,
                         line=line) from None


def _column(name: str, path: Path, index: int) -> str:
    from imgplan.core.spelling import folded, suggestion

    wanted = folded(name)
    found = next((c for c in COLUMNS if folded(c) == wanted), None) or _HEADINGS.get(wanted)
    if found is None:
        shown = name.strip() or f"column {index} (no name)"
        raise UsageError(f"unknown column '{shown}'{suggestion(name, COLUMNS)}; nothing "
                         f"imported (the columns are: {', '.join(COLUMNS)})", file=path, line=1)
    return found


# Headings people write for a column (folded: case, spaces and punctuation ignored).
_HEADINGS = {"program": "name", "programname": "name", "id": "program_id",
             "acgmeid": "program_id", "nrmpcode": "program_id", "programcode": "program_id",
             "j1visa": "j1", "h1bvisa": "h1b", "step2ck": "min_step2ck",
             "minimumstep2ck": "min_step2ck", "yog": "max_years_since_graduation",
             "usce": "min_usce_months", "interview": "interview_date", "note": "notes"}


def _shown(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, "comma")
