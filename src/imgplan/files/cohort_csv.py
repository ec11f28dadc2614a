"""An advisor's cohort as a spreadsheet exports it (``csv_table``): a row is a candidate. A
row that cannot be read, or holds a bad value, is skipped and reported by row and column;
the others are planned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from imgplan.core.cohort import COLUMNS, Candidate, Skipped, candidate_from
from imgplan.core.errors import UsageError
from imgplan.files.csv_table import read_table

if TYPE_CHECKING:
    from imgplan.core.rules import Rules
    from imgplan.core.specialties import Specialties

MAX_CSV_BYTES = 4 * 1024 * 1024
MAX_ROWS = 5000  # a school's graduating class is some hundreds


def read_cohort(path: Path, *, rules: Rules, specialties: Specialties, today: dt.date
                ) -> tuple[list[Candidate], list[Skipped]]:
    candidates: list[Candidate] = []
    skipped: list[Skipped] = []
    for row in read_table(path, columns=COLUMNS, headings=_HEADINGS, required="name",
                          what="candidates", max_bytes=MAX_CSV_BYTES, max_rows=MAX_ROWS,
                          consequence="nothing planned",
                          hint="'imgplan cohort --help' lists the columns"):
        if row.problem is not None:
            skipped.append(Skipped(row.line, None, row.problem))
            continue
        try:
            candidates.append(candidate_from(row.values, line=row.line, rules=rules,
                                             specialties=specialties, today=today))
        except UsageError as exc:
            skipped.append(Skipped(row.line, exc.field, exc.message))
    return candidates, skipped


# Headings people write for a column (folded: case, spaces and punctuation ignored).
_HEADINGS = {"candidate": "name", "graduated": "graduation", "graduationdate": "graduation",
             "match": "match_year", "target": "match_year", "targetmatch": "match_year",
             "visaroute": "visa", "usmlestep1": "step1", "usmlestep2ck": "step2ck",
             "step2": "step2ck", "step2score": "step2ck_score", "ckscore": "step2ck_score",
             "ecfmg": "ecfmg_certification", "ecfmgcertified": "ecfmg_certification",
             "certification": "ecfmg_certification", "ecfmgpathway": "pathway",
             "letters": "lors", "lor": "lors", "lorcount": "lors", "usce": "usce_start"}
