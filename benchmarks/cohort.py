"""Cohort budget: an advisor's 1,000 candidates planned in at most 5 x one timeline's time.

    python benchmarks/cohort.py              # 10 rounds (what CI runs)
    python benchmarks/cohort.py --runs 3     # quicker, noisier

Times ``imgplan cohort`` on a generated CSV of 1,000 candidates at every point of the road (from
scratch, Step 1 passed, both Steps passed with a score, OET and the Pathway done, certified,
with US clinical experience and letters; several specialties, routes, paces and graduation
years; some with a target Match, some without), as JSON, against one ``imgplan timeline
--match 2029 --format json`` process, in fresh processes of this interpreter, interleaved, as
``benchmarks/startup.py`` does (its harness is used). The budget (issue 15) is the ratio of
the medians: at most 5.0. Printed, never asserted; exit 1 only when a command fails.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import TIMELINE_ARGS, Command, environment, run_once

BUDGET = 5.0
TODAY = date(2026, 11, 22)  # the day startup.py's timeline is planned on
COLUMNS = ("name", "graduation", "specialty", "visa", "match_year", "pace", "credentials",
           "step1", "step2ck", "step2ck_score", "oet", "pathway", "ecfmg_certification",
           "usce_start", "usce_end", "lors")
SPECIALTIES = ("internal_medicine", "family_medicine", "pediatrics", "psychiatry",
               "neurology", "emergency_medicine", "")


def candidates(count: int, seed: int = 15) -> list[dict[str, str]]:
    """``count`` candidates, each at one of seven points of the road, with dates that follow
    one another and lie before ``TODAY``."""
    chance = random.Random(seed)
    rows = []
    for index in range(count):
        point = index % 7  # 0: from scratch ... 6: certified, USCE and letters
        day = TODAY - timedelta(days=chance.randint(700, 1200))

        def later(least: int = 40, most: int = 140) -> str:
            nonlocal day
            day = min(day + timedelta(days=chance.randint(least, most)), TODAY)
            return day.isoformat()

        row = dict.fromkeys(COLUMNS, "")
        row["name"] = f"Candidate {index + 1:04d}"
        row["graduation"] = date(chance.randint(2016, 2026), chance.choice((5, 6, 7, 12)),
                                 chance.choice((1, 15, 30))).isoformat()
        row["specialty"] = chance.choice(SPECIALTIES)
        row["visa"] = chance.choice(("J-1", "h1b", "j1", "undecided", ""))
        row["pace"] = chance.choice(("fast", "typical", "steady", ""))
        if chance.random() < 0.4:
            row["match_year"] = str(chance.choice((2028, 2029, 2030)))
        if point >= 1:
            row["credentials"] = later()
            row["step1"] = later(90, 200)
        if point >= 2:
            row["step2ck"] = later(90, 200)
            row["step2ck_score"] = str(chance.randint(222, 265))
        if point >= 3:
            row["oet"] = later()
        if point >= 4:
            row["pathway"] = later()
        if point >= 5:
            row["ecfmg_certification"] = later()
        if point >= 6:
            start = date.fromisoformat(later(10, 30))
            row["usce_start"] = start.isoformat()
            row["usce_end"] = min(start + timedelta(days=chance.choice((28, 56, 84))),
                                  TODAY).isoformat()
            row["lors"] = str(chance.randint(1, 4))
        rows.append(row)
    return rows


def write_cohort(path: Path, count: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(candidates(count))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10, help="rounds to time (default 10)")
    parser.add_argument("--candidates", type=int, default=1000)
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="imgplan-cohort-") as folder:
        write_cohort(Path(folder, "cohort.csv"), options.candidates)
        one = Command("imgplan " + " ".join(TIMELINE_ARGS),
                      [python, "-m", "imgplan", *TIMELINE_ARGS], None)
        # exit 1: some generated rows are skipped (a target Match the candidate's record
        # closes), as an advisor's would be
        cohort = Command(f"imgplan cohort ({options.candidates} candidates) --format json",
                         [python, "-m", "imgplan", "cohort", "cohort.csv", "--today",
                          TODAY.isoformat(), "--format", "json"], BUDGET, exit_codes=(0, 1))
        env = environment(folder)
        timed = [one, cohort]
        for command in timed:  # untimed: compiled files and the rules cache warm
            run_once(command, env, folder)
        for round_ in range(options.runs):
            for command in timed if round_ % 2 == 0 else timed[::-1]:
                command.times.append(run_once(command, env, folder))
    ratio = cohort.median / one.median
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{options.runs} interleaved rounds, wall-clock medians:")
    print(f"  {one.name}: {one.median * 1000:.0f} ms")
    print(f"  {cohort.name}: {cohort.median * 1000:.0f} ms = {ratio:.2f} x one timeline "
          f"(budget <= {BUDGET:.1f} x): {'met' if ratio <= BUDGET else 'over budget'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
