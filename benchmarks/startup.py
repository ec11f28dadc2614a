"""Start-up budget: how long imgplan takes to answer, against what its libraries alone cost.

    python benchmarks/startup.py              # 20 rounds
    python benchmarks/startup.py --runs 10    # what CI runs

The floor is a bare ``python -c "import typer, rich.console, rich.table, pydantic, yaml,
dateutil.relativedelta"``: the least any Python tool built on these libraries can cost. The
budgets (issue 5) are ratios to it, so they hold on a fast machine and a slow one alike:

- ``imgplan timeline --match 2029 --today 2026-11-22 --format json``: at most 1.25 x the floor;
- the same timeline as a table, and ``imgplan check`` for a person with a profile: at most
  1.25 x each (issue 9);
- ``imgplan --help`` and ``imgplan --version``: at most 1.0 x (they import neither the planner
  nor the Pydantic models nor YAML).

Every command runs in a fresh process of this same interpreter, floor included, and the same
way (``python -c`` for the floor, ``python -m imgplan`` for imgplan). The runs are interleaved:
each round runs every command once, starting from a different one each round, so a slow
moment of the machine (another process, a CPU frequency change) falls on all of them alike
rather than on whichever was measured then. Medians are reported, since one slow run says
nothing about the program.

The figures are printed, never asserted: a machine can be noisy, so a budget exceeded prints
an "over budget" line and the script still exits 0. It exits 1 only when a command fails, since
then there is nothing to measure.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLOOR_IMPORTS = "import typer, rich.console, rich.table, pydantic, yaml, dateutil.relativedelta"

TIMELINE_ARGS = ["timeline", "--match", "2029", "--today", "2026-11-22", "--format", "json"]
TABLE_ARGS = ["timeline", "--match", "2029", "--today", "2026-11-22"]
CHECK_ARGS = ["check", "--today", "2026-11-22"]


@dataclass
class Command:
    name: str
    args: list[str]
    budget: float | None  # the largest ratio to the floor; None: not budgeted
    env: dict[str, str] = field(default_factory=dict)  # relative to the temporary folder
    fixed: dict[str, str] = field(default_factory=dict)  # set as they are
    exit_codes: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)  # wall clock, seconds

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def commands() -> list[Command]:
    python = sys.executable
    return [
        Command("floor: python -c 'import typer, rich..., pydantic, yaml, dateutil...'",
                [python, "-c", FLOOR_IMPORTS], None),
        Command("imgplan --version", [python, "-m", "imgplan", "--version"], 1.0),
        Command("imgplan --help", [python, "-m", "imgplan", "--help"], 1.0),
        Command("imgplan " + " ".join(TIMELINE_ARGS), [python, "-m", "imgplan", *TIMELINE_ARGS],
                1.25),
        # a table at a terminal's usual width, drawn with Rich
        Command("imgplan " + " ".join(TABLE_ARGS) + " (a table)",
                [python, "-m", "imgplan", *TABLE_ARGS], 1.25, env={}, fixed={"COLUMNS": "100"}),
        # check exits 1 while items fail: the sample person is not ready yet
        Command("imgplan " + " ".join(CHECK_ARGS) + " (with a profile)",
                [python, "-m", "imgplan", *CHECK_ARGS], 1.25,
                env={"IMGPLAN_PROFILE": "person/profile.yaml"}, fixed={"COLUMNS": "100"},
                exit_codes=(0, 1)),
        # Not budgeted, for scale: the same plan when nothing is in the cache (the first run
        # after an install, or after an edit of the rules or the profile: they are checked
        # with Pydantic; a file where the cache folder should be keeps it empty), and for a
        # person with a profile (checked once, then read from the cache too).
        Command("for scale: the same, nothing cached yet",
                [python, "-m", "imgplan", *TIMELINE_ARGS], None,
                env={"IMGPLAN_CACHE_DIR": "no-cache"}),
        Command("for scale: the same, with a profile",
                [python, "-m", "imgplan", *TIMELINE_ARGS], None,
                env={"IMGPLAN_PROFILE": "person/profile.yaml"}),
    ]


PROFILE = ["init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
           "--visa", "j1", "--graduation", "2024-06-30", "--today", "2026-11-22"]


def environment(folder: str) -> dict[str, str]:
    """The caller's environment, minus what would change what imgplan does or reads."""
    env = dict(os.environ)
    for name in ("IMGPLAN_TODAY", "IMGPLAN_DEBUG", "PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE",
                 "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    # Compiled bytecode, as an installed package has it (pip compiles at install), for every
    # command alike: the untimed first round writes it here, outside the source tree and
    # site-packages, and the timed rounds read it. Without it, a checkout run with
    # PYTHONDONTWRITEBYTECODE would time the compiler on imgplan's sources, not imgplan.
    env["PYTHONPYCACHEPREFIX"] = os.path.join(folder, "pycache")
    # No real profile is read: the plan is the same from-scratch one on every machine. The
    # rules cache is this folder's too: the untimed first round fills it.
    env["IMGPLAN_PROFILE"] = os.path.join(folder, "profile.yaml")
    env["IMGPLAN_CACHE_DIR"] = os.path.join(folder, "cache")
    return env


def run_once(command: Command, env: dict[str, str], folder: str) -> float:
    """The wall-clock time of one run of ``command``, in seconds."""
    env = {**env, **{name: os.path.join(folder, value) for name, value in command.env.items()},
           **command.fixed}
    started = time.perf_counter()
    done = subprocess.run(command.args, env=env, cwd=folder, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in command.exit_codes:
        sys.stderr.write(f"{command.name} failed (exit {done.returncode}):\n"
                         f"{done.stderr.decode(errors='replace')}")
        raise SystemExit(1)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20,
                        help="rounds to time (default 20); each runs every command once")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    timed = commands()
    with tempfile.TemporaryDirectory(prefix="imgplan-startup-") as folder:
        env = environment(folder)
        Path(folder, "no-cache").write_text("a file where the cache folder would be")
        person = Command("profile", [sys.executable, "-m", "imgplan", *PROFILE], None,
                         env={"IMGPLAN_PROFILE": "person/profile.yaml"})
        run_once(person, env, folder)
        for command in timed:  # one untimed round: compiled files and the disk cache warm
            run_once(command, env, folder)
        for round_ in range(options.runs):
            shift = round_ % len(timed)
            for command in timed[shift:] + timed[:shift]:
                command.times.append(run_once(command, env, folder))

    floor = timed[0].median
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{options.runs} interleaved round{'s' if options.runs != 1 else ''}, wall-clock "
          "time:")
    width = max(len(c.name) for c in timed)
    print(f"  {'command':<{width}}  {'median':>8}  {'min':>8}  {'x floor':>7}  budget")
    over: list[str] = []
    for command in timed:
        ratio = command.median / floor
        budget = "-" if command.budget is None else f"<= {command.budget:.2f}"
        print(f"  {command.name:<{width}}  {command.median * 1000:6.1f}ms  "
              f"{min(command.times) * 1000:6.1f}ms  {ratio:7.2f}  {budget}")
        if command.budget is not None and ratio > command.budget:
            over.append(f"over budget: {command.name} takes {ratio:.2f} x the floor "
                        f"(budget {command.budget:.2f} x)")
    for line in over:
        print(line)
    if not over:
        print("all within budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
