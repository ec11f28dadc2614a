"""Start-up stays light, and its shortcuts change nothing.

How long start-up takes is measured by benchmarks/startup.py, never asserted here (machines
are noisy). Which modules a command imports is exact, and it is what the start-up budget
rests on: ``--help`` and ``--version`` load neither the planner nor pydantic nor YAML, and a
plan as JSON, once the rules and the profile are in the cache (tests/test_cache.py), loads no
Pydantic at all, no careful YAML reader and no Rich. A broken packaged file must be
reported exactly as the careful way reports a ``--rules`` file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imgplan.core.errors import RulesError
from imgplan.files import rules_file as rulesfile

# Runs imgplan's entry point as the console script does, then lists every loaded module.
SCRIPT = """
import contextlib, io, json, sys
from imgplan.cli import main
code = 0
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

HEAVY = ("imgplan.core.planner", "imgplan.core.rules", "imgplan.core.profile",
         "imgplan.files.yamlio", "pydantic", "yaml", "dateutil")
UNUSED_BY_HELP = ("rich.markdown", "markdown_it", "rich.traceback", "pygments")


def _loaded(*args: str, exit_code: int = 0) -> set[str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["code"] or 0) == exit_code, done.stderr
    return set(report["modules"])


@pytest.mark.parametrize(("args", "exit_code"), [(("--version",), 0), (("--help",), 0),
                                                 ((), 2)])  # no command: the help, exit 2
def test_version_and_help_load_nothing_heavy(args: tuple[str, ...], exit_code: int) -> None:
    loaded = _loaded(*args, exit_code=exit_code)
    assert not loaded & {*HEAVY, *UNUSED_BY_HELP}
    # the help is click's plain text: not even Rich is loaded (docs/performance.md says why)
    assert not {name for name in loaded if name.split(".")[0] == "rich"}


PLAN_AS_JSON = ("timeline", "--match", "2029", "--today", "2026-11-22", "--format", "json")


def test_a_plan_as_json_loads_only_what_it_uses() -> None:
    _loaded(*PLAN_AS_JSON)  # the first run checks the packaged rules and keeps them
    loaded = _loaded(*PLAN_AS_JSON)
    # it did plan
    assert {"imgplan.core.planner", "imgplan.core.rules", "imgplan.files.cache"} <= loaded
    # no profile (the isolated fixture's path is empty), the rules from the cache, no table
    assert not loaded & {"imgplan.core.profile", "imgplan.files.yamlio", "imgplan.render.plan_view",
                         "rich.console", "pydantic", "pydantic_core", *UNUSED_BY_HELP}


def test_a_plan_for_a_person_loads_no_pydantic_once_the_profile_is_cached(
    cli: Callable[..., Any]
) -> None:
    made = cli("init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert made.exit_code == 0, made.stderr
    _loaded(*PLAN_AS_JSON)  # the first run checks the profile and keeps it
    loaded = _loaded(*PLAN_AS_JSON)
    assert {"imgplan.core.profile", "imgplan.files.cache"} <= loaded  # it did read the profile
    assert not loaded & {"imgplan.files.yamlio", "pydantic", "pydantic_core", "rich.console"}


def test_a_plan_with_nothing_cached_checks_the_rules_with_pydantic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMGPLAN_CACHE_DIR", str(tmp_path / "empty"))
    loaded = _loaded(*PLAN_AS_JSON)
    assert {"pydantic.main", "imgplan.files.yamlio"} <= loaded
    assert [p.name[:6] for p in (tmp_path / "empty").iterdir()] == ["rules-"]


# -- the packaged rules, loaded as any other --------------------------------------------------


@pytest.mark.parametrize("breakage", ["syntax", "list", "shape", "unknown id", "missing"])
def test_a_broken_packaged_file_is_reported_as_the_careful_way_reports_it(
    breakage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packaged = rulesfile.data_path("rules.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "rules.yaml"
    if breakage != "missing":
        broken.write_text({
            "syntax": "schema_version: 1\ncalendar: [\n",
            "list": "- 1\n- 2\n",
            "shape": packaged.replace("schema_version: 1", "schema_version: 2", 1),
            "unknown id": packaged.replace("- stage: step1", "- stage: step9", 1),
        }[breakage], encoding="utf-8")
    monkeypatch.setattr(rulesfile, "data_path", lambda name: broken)
    with pytest.raises(RulesError) as quick:
        rulesfile.load_rules()
    with pytest.raises(RulesError) as careful:
        rulesfile.load_rules(broken)
    assert str(quick.value) == str(careful.value)
    assert quick.value.line is not None or breakage in ("list", "missing")
