"""A program list as spreadsheets export it, read from CSV (``csv_table``; written by
``imgplan.render.programs_view.programs_csv_text``). Every row is checked before anything is
kept: a bad value names its row (the line in the file) and column, and nothing is imported.
"""

from __future__ import annotations

from pathlib import Path

from imgplan.core.errors import UsageError
from imgplan.core.programs import COLUMNS, Program, program_from
from imgplan.files.csv_table import read_table

MAX_CSV_BYTES = 4 * 1024 * 1024  # some thousands of programs; a bigger file is a mistake
MAX_ROWS = 5000
NOTHING = "nothing imported"


def read_programs(path: Path) -> list[Program]:
    """Every program of the CSV at ``path``, or a UsageError naming the file, row and column."""
    programs: list[Program] = []
    for row in read_table(path, columns=COLUMNS, headings=_HEADINGS, required="name",
                          what="programs", max_bytes=MAX_CSV_BYTES, max_rows=MAX_ROWS,
                          consequence=NOTHING, hint="docs/programs.md lists the columns"):
        if row.problem is not None:
            raise UsageError(f"{row.problem}; {NOTHING}", file=path, line=row.line)
        try:
            programs.append(program_from(row.values, where=f"row {row.line}"))
        except UsageError as exc:
            # the message names the row and column already
            raise UsageError(f"{exc.message}; {NOTHING}", file=path, line=row.line) from None
    return programs


# Headings people write for a column (folded: case, spaces and punctuation ignored).
_HEADINGS = {"program": "name", "programname": "name", "id": "program_id",
             "acgmeid": "program_id", "nrmpcode": "program_id", "programcode": "program_id",
             "j1visa": "j1", "h1bvisa": "h1b", "step2ck": "min_step2ck",
             "minimumstep2ck": "min_step2ck", "yog": "max_years_since_graduation",
             "usce": "min_usce_months", "interview": "interview_date", "note": "notes"}
