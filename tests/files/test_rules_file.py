"""`imgplan rules validate` and `rules show`: the packaged rules, and broken copies of them.

Each broken copy starts from the packaged YAML text and changes one thing, so the test shows
that exactly that change is caught, named and placed on its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imgplan.files.rules_file import data_path, load_rules, rules_problems

PACKAGED = data_path("rules.yaml")
TEXT = PACKAGED.read_text(encoding="utf-8")
KNOWN_STAGES = (
    "credentials, step1, step2ck, oet, pathway, ecfmg_certification, usce, lors, "
    "application_documents, eras, nrmp_registration, interviews, rank_list, match, "
    "step3_permit, step3, visa, residency_start"
)
KNOWN_KEYS = (
    "eras_opens, eras_tokens, eras_submit, eras_review, residencycas_opens, residencycas_submit, "
    "residencycas_deadline, residencycas_release, psca_opens, psca_deadline, psca_release, "
    "nrmp_registration_opens, pathway_opens, "
    "pathway_oet_earliest, nrmp_registration_deadline, pathway_application_deadline, "
    "ranking_opens, match_day, rol_deadline, match_week, residency_start"
)

Cli = Callable[..., Any]

# Exact snippets of the packaged file that the mutations below change.
STEP2CK_AFTER = "      - stage: step1\n        reason: the seeds' order (Step 1, then Step 2 CK)\n"
STEP2CK_ANCHOR = (
    "    deadlines:\n      - level: target\n        anchor: eras_review\n"
    "        applies_to: result\n"
)
STEP1_AFTER = (
    "    after:\n      - stage: credentials\n        reason: \"the ECFMG application comes first"
)
STEP1_TYPICAL = "      typical: 7m2w\n"
STEP1_SOURCE = (
    "      source: \"Seed guide 'IMG Success Roadmap' (Step 1: 6-9 months); no official body "
    "sets preparation time\"\n"
)


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"the packaged rules no longer contain {old!r}"
    return text.replace(old, new, 1)


def line_of(text: str, snippet: str) -> int:
    """The 1-based line on which ``snippet`` starts in ``text``."""
    return text[: text.index(snippet)].count("\n") + 1


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_lines(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert lines, "expected errors on stderr"
    assert all(line.startswith("imgplan: error: ") for line in lines), lines
    return lines


def assert_refused(result: Any, path: Path, problems: list[str]) -> None:
    """Exit 2, exactly ``problems`` (one line each) and then the count, no traceback."""
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.exception is not None and isinstance(result.exception, SystemExit)
    count = len(problems)
    expected = [f"imgplan: error: {problem}" for problem in problems]
    expected.append(f"imgplan: error: {path}: {count} problem{'s' if count != 1 else ''} found")
    assert error_lines(result.stderr) == expected


# -- the packaged rules ------------------------------------------------------------------------


def test_packaged_rules_are_valid(cli: Cli) -> None:
    result = cli("rules", "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{PACKAGED}: valid\n"
    assert result.stderr == ""
    assert rules_problems(PACKAGED) == []


def test_an_unchanged_copy_is_valid(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, TEXT)
    result = cli("rules", "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{path}: valid\n"


def test_rules_show_lists_every_stage(cli: Cli) -> None:
    result = cli("rules", "show")
    assert result.exit_code == 0, result.stderr
    rules = load_rules()
    # each stage id on its own line of the Stage column, in the rules file's order
    cells = [match[1] for match in re.finditer(r"^([a-z0-9_]+)  ", result.stdout, re.M)]
    assert cells == [stage.id for stage in rules.stages]
    assert len(cells) == 18
    assert "\nUSMLE Step 1 " in result.stdout
    assert "6m / 7m2w / 9m" in result.stdout  # Step 1 by pace
    assert "routes: h1b" in result.stdout  # Step 3


# -- one problem each ------------------------------------------------------------------------


def test_yaml_syntax_error_has_line_and_column(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, "schema_version: 1\n", "schema_version: 1\nextra: [1, 2\n")
    path = write(tmp_path, text)
    result = cli("rules", "validate", str(path))
    assert result.exit_code == 2
    line = line_of(text, "calendar:\n")  # where PyYAML finds the list unclosed
    # the place and the kind are imgplan's; what follows is PyYAML's own wording
    [only] = error_lines(result.stderr)
    assert only.startswith(f"imgplan: error: {path}:{line}:1: YAML syntax error: ")
    assert "Traceback" not in result.stderr


def test_unknown_stage_in_after_is_named(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP2CK_AFTER, STEP2CK_AFTER.replace("stage: step1", "stage: step_one"))
    path = write(tmp_path, text)
    line = line_of(text, "      - stage: step_one")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.2.after.0.stage: unknown stage 'step_one' "
        f"(known: {KNOWN_STAGES})"])


def test_unknown_key_date_in_a_deadline_anchor_is_named(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP2CK_ANCHOR, STEP2CK_ANCHOR.replace("eras_review", "eras_reveiw"))
    path = write(tmp_path, text)
    line = line_of(text, "        anchor: eras_reveiw")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.2.deadlines.0.anchor: unknown key date 'eras_reveiw' "
        f"(known: {KNOWN_KEYS})"])


def test_dependency_loop_names_the_stages(cli: Cli, tmp_path: Path) -> None:
    # Step 1 after Step 2 CK, which already comes after Step 1
    text = mutate(TEXT, STEP1_AFTER, STEP1_AFTER.replace(
        "    after:\n", "    after:\n      - stage: step2ck\n"))
    path = write(tmp_path, text)
    line = line_of(text, STEP1_AFTER[:11] + "      - stage: step2ck")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.after: dependency loop: step1 -> step2ck -> step1"])


def test_longer_dependency_loop_names_every_stage(cli: Cli, tmp_path: Path) -> None:
    # credentials after usce: credentials -> step1 -> step2ck -> usce -> credentials
    old = "      kind: heuristic\n      last_verified: 2026-11-22\n\n  - id: step1\n"
    text = mutate(TEXT, old, old.replace("\n\n", "\n    after:\n      - stage: usce\n\n"))
    path = write(tmp_path, text)
    result = cli("rules", "validate", str(path))
    lines = error_lines(result.stderr)
    assert result.exit_code == 2
    assert len(lines) == 2
    assert lines[0].endswith(
        "stages.0.after: dependency loop: credentials -> usce -> step2ck -> step1 -> credentials")


def test_bad_duration_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_TYPICAL, "      typical: six months\n")
    path = write(tmp_path, text)
    line = line_of(text, "      typical: six months")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.duration.typical: 'six months' is not a duration: write a "
        "number and a unit, e.g. 6m, 7m2w, 4w, 16bd (business days), 10d, -16d"])


def test_negative_duration_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_TYPICAL, "      typical: -7m2w\n")
    path = write(tmp_path, text)
    line = line_of(text, "      typical: -7m2w")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.duration.typical: '-7m2w' is negative: a stage cannot take "
        "less than no time",
        # and so typical is no longer between fast and steady
        f"{path}:{line - 2}: stages.1.duration: fast <= typical <= steady is expected"])


def test_negative_result_lag_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, "      lag: 16bd\n", "      lag: -16bd\n")
    path = write(tmp_path, text)
    line = line_of(text, "      lag: -16bd")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.3.result.lag: a result cannot come before it"])


@pytest.mark.parametrize("value", ["9000y", "99999999999999999999m", "99999999bd", "523w", "10y1m"])
def test_absurdly_long_duration_is_refused(cli: Cli, tmp_path: Path, value: str) -> None:
    # found while testing: these passed validation, then crashed the planner (date out of
    # range) or walked business days for minutes
    text = mutate(TEXT, "      steady: 9m\n", f"      steady: {value}\n")
    path = write(tmp_path, text)
    line = line_of(text, f"      steady: {value}")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.duration.steady: '{value}' is longer than 10 years: no step "
        "of the pathway takes that long"])
    timeline = cli("timeline", "--rules", str(path), "--today", "2026-11-22", "--pace", "steady")
    assert timeline.exit_code == 2
    assert "Traceback" not in timeline.stderr
    assert timeline.stderr.startswith(f"imgplan: error: {path}:{line}: stages.1.duration.steady")


@pytest.mark.parametrize("value", ["10y", "522w", "9y12m", "2600bd"])
def test_ten_years_is_still_a_duration(tmp_path: Path, value: str) -> None:
    text = mutate(TEXT, "      steady: 9m\n", f"      steady: {value}\n")
    assert rules_problems(write(tmp_path, text)) == []


def test_fact_without_a_source_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_SOURCE, "")
    path = write(tmp_path, text)
    line = line_of(text, "    duration:\n      fast: 6m\n      typical: 7m2w")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.duration.source: missing (required)"])


def test_key_date_without_a_source_is_refused(cli: Cli, tmp_path: Path) -> None:
    old = ('    source: "NRMP Illuminator Feb 2023 and Feb 2024; UPR copy of the NRMP 2025 '
           'calendar"\n')
    text = mutate(TEXT, old, "")
    path = write(tmp_path, text)
    line = line_of(text, "  - id: rol_deadline")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: key_dates.18.source: missing (required)"])


def test_empty_source_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_SOURCE, '      source: ""\n')
    path = write(tmp_path, text)
    line = line_of(text, '      source: ""')
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.duration.source: String should have at least 1 character"])


def test_empty_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}: is empty, not a rules file (a mapping with schema_version, calendar, "
        "key_dates, stages)"])


def test_a_list_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "- credentials\n- step1\n")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}: is a list, not a rules file (a mapping with schema_version, calendar, "
        "key_dates, stages)"])


def test_a_missing_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    result = cli("rules", "validate", str(path))
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [f"imgplan: error: {path}: no such file"]


def test_unknown_field_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_TYPICAL, STEP1_TYPICAL + "      slow: 12m\n")
    path = write(tmp_path, text)
    line = line_of(text, "      slow: 12m")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line}: stages.1.duration.slow: unknown field (not allowed here)"])


# -- several problems at once ----------------------------------------------------------------


def test_several_problems_are_reported_at_once(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP2CK_AFTER, STEP2CK_AFTER.replace("stage: step1", "stage: step_one"))
    text = mutate(text, STEP2CK_ANCHOR, STEP2CK_ANCHOR.replace("eras_review", "eras_reveiw"))
    text = mutate(text, "        anchor: residency_start\n", "        anchor: july_first\n")
    path = write(tmp_path, text)
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{line_of(text, '      - stage: step_one')}: stages.2.after.0.stage: unknown "
        f"stage 'step_one' (known: {KNOWN_STAGES})",
        f"{path}:{line_of(text, '        anchor: eras_reveiw')}: stages.2.deadlines.0.anchor: "
        f"unknown key date 'eras_reveiw' (known: {KNOWN_KEYS})",
        f"{path}:{line_of(text, '        anchor: july_first')}: stages.5.deadlines.0.anchor: "
        f"unknown key date 'july_first' (known: {KNOWN_KEYS})",
    ])


def test_several_shape_problems_are_reported_at_once(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_TYPICAL, "      typical: six months\n")
    text = mutate(text, STEP1_SOURCE, "")
    text = mutate(text, "      lag: 16bd\n", "      lag: soon\n")
    path = write(tmp_path, text)
    duration_line = line_of(text, "    duration:\n      fast: 6m")
    assert_refused(cli("rules", "validate", str(path)), path, [
        f"{path}:{duration_line}: stages.1.duration.source: missing (required)",
        f"{path}:{line_of(text, '      typical: six months')}: stages.1.duration.typical: "
        "'six months' is not a duration: write a number and a unit, e.g. 6m, 7m2w, 4w, 16bd "
        "(business days), 10d, -16d",
        f"{path}:{line_of(text, '      lag: soon')}: stages.3.result.lag: 'soon' is not a "
        "duration: write a number and a unit, e.g. 6m, 7m2w, 4w, 16bd (business days), 10d, "
        "-16d",
    ])


# -- --rules FILE on the planning commands -------------------------------------------------------


@pytest.mark.parametrize("command", ["timeline", "calendar"])
def test_a_broken_rules_file_stops_planning(cli: Cli, tmp_path: Path, command: str) -> None:
    text = mutate(TEXT, STEP1_AFTER, STEP1_AFTER.replace(
        "    after:\n", "    after:\n      - stage: step2ck\n"))
    path = write(tmp_path, text)
    result = cli(command, "--match", "2029", "--today", "2026-11-22", "--rules", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    line = line_of(text, STEP1_AFTER[:11] + "      - stage: step2ck")
    assert error_lines(result.stderr) == [
        f"imgplan: error: {path}:{line}: stages.1.after: dependency loop: step1 -> step2ck -> "
        "step1"]


def test_a_rules_file_that_is_not_yaml_stops_the_timeline(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "stages: [\n")
    result = cli("timeline", "--today", "2026-11-22", "--rules", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"imgplan: error: {path}:2:1: YAML syntax error: ")


def test_a_valid_copy_plans_like_the_packaged_rules(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, TEXT)
    args = ("timeline", "--match", "2029", "--today", "2026-11-22", "--format", "json")
    with_copy = cli(*args, "--rules", str(path))
    packaged = cli(*args)
    assert with_copy.exit_code == packaged.exit_code == 0
    assert with_copy.stdout == packaged.stdout


def test_rules_show_with_a_broken_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = mutate(TEXT, STEP1_TYPICAL, "      typical: six months\n")
    path = write(tmp_path, text)
    result = cli("rules", "show", "--rules", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert error_lines(result.stderr) == [
        f"imgplan: error: {path}:{line_of(text, '      typical: six months')}: "
        "stages.1.duration.typical: 'six months' is not a duration: write a number and a unit, "
        "e.g. 6m, 7m2w, 4w, 16bd (business days), 10d, -16d"]


def test_rules_validate_refuses_a_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("rules", "validate", str(tmp_path))
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [f"imgplan: error: {tmp_path}: is a folder, not a file"]
