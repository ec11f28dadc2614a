"""Setting up the profile and recording progress, as a person does from the command line."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from refusals import refused

TODAY = "2026-11-22"
Run = Callable[..., Any]
INIT = ("init", "--no-input", "--match", "2027", "--specialty", "internal-medicine",
        "--visa", "j1", "--graduation", "2024-06-30", "--today", TODAY)


def stored(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def initialised(cli: Run, profile_path: Path) -> Path:
    result = cli(*INIT)
    assert result.exit_code == 0, result.output
    return profile_path


def run(cli: Run, *args: str) -> Any:
    return cli(*args, "--today", TODAY)


# -- init ----------------------------------------------------------------------------------------

def test_init_from_flags(cli: Run, profile_path: Path) -> None:
    result = cli(*INIT, "--pace", "steady", "--school-listed", "--name", "Ana Silva")
    assert result.exit_code == 0, result.output
    assert f"Profile saved to {profile_path}" in result.stdout
    assert stored(profile_path) == {
        "schema_version": 2, "name": "Ana Silva", "graduation": dt.date(2024, 6, 30),
        "school_listed": True, "specialty": "internal_medicine", "match_year": 2027,
        "visa": "j1", "pace": "steady"}
    assert stat.S_IMODE(profile_path.stat().st_mode) == 0o600


def test_init_without_input_names_the_missing_flags(cli: Run, profile_path: Path) -> None:
    result = cli("init", "--no-input", "--match", "2027", "--today", TODAY)
    assert result.exit_code == 2
    line = refused(result)
    assert "missing --specialty, --visa, --graduation" in line
    assert not profile_path.exists()


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--visa", "k1", "--visa: 'k1' is not one of: none, j1, h1b, undecided"),
    ("--specialty", "cardiology", "--specialty: unknown specialty 'cardiology' (known: "),
    ("--match", "2026", "--match: Match 2026 is closed"),
    ("--graduation", "03/04/2024", "reads two ways"),
    ("--pace", "slow", "--pace: 'slow' is not one of: fast, typical, steady"),
])
def test_init_refuses_a_bad_flag(cli: Run, profile_path: Path, flag: str, value: str,
                                 message: str) -> None:
    args = list(INIT)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    result = cli(*args)
    assert result.exit_code == 2
    assert message in refused(result)
    assert not profile_path.exists()


def test_init_refuses_to_replace_a_profile_without_force(cli: Run, initialised: Path) -> None:
    before = initialised.read_bytes()
    result = cli(*INIT)
    assert result.exit_code == 2
    assert "use --force" in refused(result)
    assert initialised.read_bytes() == before

    result = cli(*INIT[:-4], "--graduation", "2025-06-30", "--force", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert str(stored(initialised)["graduation"]) == "2025-06-30"
    backup = initialised.with_name("profile.yaml.bak")
    assert backup.read_bytes() == before


def test_interactive_init_asks_again_after_a_wrong_answer(cli: Run, profile_path: Path) -> None:
    answers = [
        "03/04/2024", "30 June 2024",          # ambiguous date, then a clear one
        "maybe", "yes",                        # school listed
        "cardiology", "Internal Medicine",     # unknown specialty, then a name read as an id
        "k1", "h1b",                           # visa
        "",                                    # pace: the default (typical)
        "2026", "soon", "2028",                # closed year, not a year, then an open one
        "no",                                  # 2028 cannot be made: keep it all the same
    ]
    result = cli("init", "--today", TODAY, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "reads two ways" in out
    assert "'maybe' is not one of: yes, no, unknown" in out
    assert "unknown specialty 'cardiology'" in out
    assert "'k1' is not one of: none, j1, h1b, undecided" in out
    assert "Match 2026 is closed" in out and "'soon' is not a year" in out
    assert "Match 2028 cannot be made" in out and "Plan for Match 2029 instead?" in out
    assert "[yes/no/unknown]" in out  # the choices are shown, not eaten as markup
    data = stored(profile_path)
    assert data["school_listed"] is True and data["specialty"] == "internal-medicine"
    assert data["visa"] == "h1b" and data["match_year"] == 2028
    assert str(data["graduation"]) == "2024-06-30"
    assert "pace" not in data  # typical, the default, is not written


def test_interactive_init_takes_flags_and_asks_only_the_rest(cli: Run,
                                                             profile_path: Path) -> None:
    result = cli("init", "--today", TODAY, "--match", "2028", "--specialty", "pediatrics",
                 "--graduation", "2024-06", "--school-not-listed", input="j1\nfast\n")
    assert result.exit_code == 0, result.output
    assert "Graduation" not in result.stdout and "Target specialty" not in result.stdout
    data = stored(profile_path)
    assert data["school_listed"] is False and data["pace"] == "fast"


def test_interactive_init_without_answers_saves_nothing(cli: Run, profile_path: Path) -> None:
    result = cli("init", "--today", TODAY, input="2024-06-30\n")
    assert result.exit_code == 2
    assert "no answer, nothing saved" in result.stderr and "--no-input" in result.stderr
    assert not profile_path.exists()


# -- mark ----------------------------------------------------------------------------------------

def test_mark_the_issue_examples(cli: Run, initialised: Path) -> None:
    for args in (("step1", "passed", "--date", "2025-05-10"),
                 ("step2ck", "passed", "--date", "2025-09-20", "--score", "252"),
                 ("oet", "passed", "--date", "15 November 2025", "--scores", "360,350,320,370"),
                 ("eras", "done", "--date", "2026-09-02", "--programs", "120")):
        result = run(cli, "mark", *args)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Recorded ")
    stages = stored(initialised)["stages"]
    assert stages["step1"] == {"sittings": [{"date": dt.date(2025, 5, 10), "result": "passed"}]}
    assert stages["step2ck"]["sittings"][0]["score"] == 252
    assert stages["oet"]["sittings"][0]["scores"] == {"listening": 360, "reading": 350,
                                                      "writing": 320, "speaking": 370}
    assert stages["eras"]["programs"] == 120
    assert initialised.with_name("profile.yaml.bak").exists()
    assert stat.S_IMODE(initialised.stat().st_mode) == 0o600


def test_mark_failed_counts_attempts_up_to_the_limit(cli: Run, initialised: Path) -> None:
    # the 4th a year after the first and six months after the third, as the USMLE requires
    for n, day in enumerate(("2025-01-10", "2025-04-10", "2025-07-10", "2026-01-10"), 1):
        result = run(cli, "mark", "step1", "failed", "--date", day)
        assert result.exit_code == 0, result.output
        assert f"{n} of 4 USMLE attempts used" in result.stdout
    assert len(stored(initialised)["stages"]["step1"]["sittings"]) == 4
    assert "the USMLE pathway is closed" in result.stdout
    before = initialised.read_bytes()
    result = run(cli, "mark", "step1", "scheduled", "--date", "2026-12-10")
    assert result.exit_code == 2
    assert "STATUS: USMLE Step 1: 4 attempts reach the USMLE limit of 4" in refused(result)
    assert initialised.read_bytes() == before


def test_mark_keeps_attempts_and_the_start_date(cli: Run, initialised: Path) -> None:
    assert run(cli, "mark", "step2ck", "in_progress", "--started", "2026-06-01").exit_code == 0
    assert run(cli, "mark", "step2ck", "failed", "--date", "2026-10-01").exit_code == 0
    assert run(cli, "mark", "step2ck", "scheduled", "--date", "2027-01-05").exit_code == 0
    record = stored(initialised)["stages"]["step2ck"]
    # the history kept, the retake booked; the first preparation's start is not the retake's
    assert record["sittings"] == [{"date": dt.date(2026, 10, 1), "result": "failed"}]
    assert record["booked"] == dt.date(2027, 1, 5) and "started" not in record


def test_mark_without_a_date_records_today_and_says_so(cli: Run, initialised: Path) -> None:
    result = run(cli, "mark", "credentials", "done")
    assert result.exit_code == 0
    assert f"Dated today ({TODAY})" in result.stdout
    assert str(stored(initialised)["stages"]["credentials"]["date"]) == TODAY


def test_mark_warns_about_an_oet_below_the_minimum(cli: Run, initialised: Path) -> None:
    result = run(cli, "mark", "oet", "passed", "--date", "2025-11-15", "--scores",
                 "360,350,290,370")
    assert result.exit_code == 0
    assert "OET Writing 290 is below ECFMG's minimum of 300" in result.stdout


REFUSALS = [
    (("mark", "step9", "passed"),
     "STAGE: unknown stage 'step9' (did you mean step3 or step1?) (known: credentials,"),
    (("mark", "step1", "banana"), "STATUS: 'banana' is not one of:"),
    (("mark", "usce", "passed", "--date", "2026-01-01"), "STATUS: 'passed' is for exams"),
    (("mark", "step1", "scheduled"), "--date: a booked exam needs its date"),
    (("mark", "step1", "passed", "--date", "2026-12-01"), "--date: passed 2026-12-01 is after "
     "today (2026-11-22)"),
    (("mark", "step1", "passed", "--date", "03/04/2025"), "--date: '03/04/2025' reads two ways"),
    (("mark", "step1", "passed", "--date", "2025-02-30"), "--date: '2025-02-30' is not a date"),
    (("mark", "step2ck", "passed", "--date", "2025-09-20", "--score", "301"),
     "--score: 301 is outside the USMLE score range (1-300)"),
    (("mark", "step2ck", "passed", "--date", "2025-09-20", "--score", "0"),
     "--score: 0 is outside the USMLE score range"),
    (("mark", "step2ck", "passed", "--date", "2025-09-20", "--score", "abc"),
     "--score: 'abc' is not a whole number"),
    (("mark", "step2ck", "scheduled", "--date", "2027-01-10", "--score", "250"),
     "--score: a score comes with passed or failed"),
    (("mark", "oet", "passed", "--date", "2025-11-15", "--score", "350"),
     "--score: oet has no three-digit score (OET takes --scores L,R,W,S)"),
    (("mark", "oet", "passed", "--date", "2025-11-15", "--scores", "360,350,320"),
     "--scores: '360,350,320' is not four scores"),
    (("mark", "oet", "passed", "--date", "2025-11-15", "--scores", "360,350,320,501"),
     "--scores: speaking 501 is outside the OET range (0-500)"),
    (("mark", "step1", "passed", "--date", "2025-05-10", "--scores", "1,2,3,4"),
     "--scores: step1 has no OET sub-test scores"),
    (("mark", "eras", "done", "--programs", "-3"), "--programs: '-3' is not a whole number"),
    (("mark", "eras", "done", "--programs", "0"), "--programs: an ERAS application goes to"),
    (("mark", "usce", "done", "--programs", "3"), "--programs: only the eras stage"),
    (("mark", "usce", "in_progress", "--started", "2027-01-01"), "--started: started "
     "2027-01-01 is after today"),
    (("mark", "step1", "passed", "--date", "2025-05-10", "--started", "2025-06-01"),
     "started 2025-06-01 is after its date 2025-05-10"),
    (("add", "usce", "--kind", "hike", "--start", "2026-01-01", "--end", "2026-02-01"),
     "--kind: 'hike' is not one of: observership, externship, research, other"),
    (("add", "usce", "--kind", "research", "--start", "2026-03-01", "--end", "2026-02-01"),
     "--end: ends 2026-02-01, before it starts 2026-03-01"),
    (("add", "usce", "--kind", "research", "--start", "2026-03", "--end", "2026-04",
      "--specialty", "cardiology"), "--specialty: unknown specialty 'cardiology'"),
    (("add", "usce", "--kind", "research", "--start", "1/2/2026", "--end", "2026-04"),
     "--start: '1/2/2026' reads two ways"),
    (("add", "lor", "--writer", " "), "--writer: the writer's name is empty"),
    (("add", "lor", "--writer", "Dr A", "--date", "2027-01-01"), "--date: received 2027-01-01 "
     "is after today"),
    (("add", "lor", "--writer", "Dr A", "--specialty", "surgery"),
     "--specialty: unknown specialty 'surgery'"),
    (("confirm", "cv_review"), "ITEM: 'cv_review' is not one of: personal_statement, "
     "eras_consistency, visa_strategy, rank_strategy"),
    (("confirm", "rank_strategy", "--date", "2027-01-01"), "--date: confirmed 2027-01-01 is "
     "after today"),
    (("profile", "set", "visa", "k1"), "VALUE: 'k1' is not one of: none, j1, h1b, undecided"),
    (("profile", "set", "match", "2026"), "VALUE: Match 2026 is closed"),
    (("profile", "set", "colour", "blue"), "SETTING: 'colour' is not one of:"),
    (("profile", "set", "specialty", "cardiology"), "VALUE: unknown specialty 'cardiology'"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[" ".join(a) for a, _ in REFUSALS])
def test_a_refused_change_leaves_the_profile_byte_for_byte(cli: Run, initialised: Path,
                                                          args: tuple[str, ...],
                                                          message: str) -> None:
    assert run(cli, "mark", "step1", "passed", "--date", "2025-05-10").exit_code == 0
    before = initialised.read_bytes()
    backup = initialised.with_name("profile.yaml.bak").read_bytes()
    result = run(cli, *args)
    assert result.exit_code == 2, result.output
    assert message in refused(result)
    assert initialised.read_bytes() == before
    assert initialised.with_name("profile.yaml.bak").read_bytes() == backup
    assert sorted(p.name for p in initialised.parent.iterdir()) == [
        "profile.yaml", "profile.yaml.bak", "profile.yaml.lock"]


@pytest.mark.parametrize("args", [
    ("mark", "step1", "passed", "--date", "2025-05-10"),
    ("add", "usce", "--kind", "externship", "--start", "2026-03-01", "--end", "2026-05-31"),
    ("add", "lor", "--writer", "Dr A"),
    ("confirm", "personal_statement"),
    ("profile", "show"),
    ("profile", "set", "visa", "j1"),
])
def test_changes_need_a_profile_first(cli: Run, profile_path: Path,
                                      args: tuple[str, ...]) -> None:
    result = run(cli, *args)
    assert result.exit_code == 2
    assert "no profile yet: run 'imgplan init' first" in refused(result)
    assert not profile_path.exists()


# -- add and confirm -----------------------------------------------------------------------------

def test_add_usce_records_the_period_and_the_stage(cli: Run, initialised: Path) -> None:
    result = run(cli, "add", "usce", "--kind", "externship", "--specialty", "internal-medicine",
                 "--start", "2026-03-01", "--end", "2026-05-31")
    assert result.exit_code == 0, result.output
    assert "US clinical experience: done on 2026-05-31." in result.stdout
    data = stored(initialised)
    assert data["usce"][0]["kind"] == "externship"
    assert str(data["stages"]["usce"]["date"]) == "2026-05-31"


def test_usce_outside_the_us_does_not_complete_the_stage(cli: Run, initialised: Path) -> None:
    result = run(cli, "add", "usce", "--kind", "observership", "--start", "2026-03-01",
                 "--end", "2026-04-01", "--outside-us")
    assert result.exit_code == 0
    assert "does not count as US clinical experience" in result.stdout
    data = stored(initialised)
    assert data["usce"][0]["in_us"] is False and "usce" not in data.get("stages", {})


def test_letters_complete_the_stage_at_three_with_a_us_attending(cli: Run,
                                                                 initialised: Path) -> None:
    for writer, us, day in (("Dr A", False, "2026-06-01"), ("Dr B", False, "2026-06-15"),
                            ("Dr C", False, "2026-07-01"), ("Dr D", True, "2026-07-20")):
        result = run(cli, "add", "lor", "--writer", writer, *(["--us"] if us else []),
                     "--date", day)
        assert result.exit_code == 0, result.output
    assert "Letters of recommendation: done on 2026-07-20." in result.stdout
    data = stored(initialised)
    assert len(data["letters"]) == 4 and data["letters"][3]["us_attending"] is True
    assert str(data["stages"]["lors"]["date"]) == "2026-07-20"


def test_a_stage_marked_done_is_not_overwritten_by_add(cli: Run, initialised: Path) -> None:
    assert run(cli, "mark", "usce", "done", "--date", "2026-02-01").exit_code == 0
    assert run(cli, "add", "usce", "--kind", "externship", "--start", "2026-03-01",
               "--end", "2026-05-31").exit_code == 0
    assert str(stored(initialised)["stages"]["usce"]["date"]) == "2026-02-01"


def test_confirm(cli: Run, initialised: Path) -> None:
    result = run(cli, "confirm", "visa_strategy", "--date", "2026-08-20")
    assert result.exit_code == 0
    assert "Confirmed on 2026-08-20: visa route chosen" in result.stdout
    result = run(cli, "confirm", "rank_strategy")
    assert str(stored(initialised)["confirmations"]["rank_strategy"]) == TODAY


# -- profile path / show / set -------------------------------------------------------------------

def test_profile_path(cli: Run, profile_path: Path) -> None:
    result = cli("profile", "path")
    assert result.exit_code == 0 and result.stdout.strip() == str(profile_path)
    assert "no profile there yet" in result.stderr
    explicit = profile_path.parent / "other.yaml"
    assert cli("profile", "path", "--profile", str(explicit)).stdout.strip() == str(explicit)


def test_profile_show(cli: Run, initialised: Path) -> None:
    assert run(cli, "mark", "step2ck", "passed", "--date", "2025-09-20", "--score",
               "252").exit_code == 0
    assert run(cli, "add", "lor", "--writer", "Dr [bold]A", "--us").exit_code == 0
    summary = run(cli, "profile", "show")
    assert summary.exit_code == 0
    for text in ("Internal Medicine", "2027", "USMLE Step 2 CK", "score 252", "Dr [bold]A"):
        assert text in summary.stdout
    as_yaml = run(cli, "profile", "show", "--format", "yaml")
    assert as_yaml.stdout == initialised.read_text(encoding="utf-8")
    as_json = json.loads(run(cli, "profile", "show", "--format", "json").stdout)
    assert as_json["stages"]["step2ck"]["sittings"][0]["score"] == 252
    assert as_json["match_year"] == 2027


def test_profile_set_changes_one_setting(cli: Run, initialised: Path) -> None:
    assert run(cli, "mark", "step1", "passed", "--date", "2025-05-10").exit_code == 0
    for setting, value in (("visa", "h1b"), ("match", "2028"), ("school-listed", "no"),
                           ("specialty", "pediatrics"), ("graduation", "June 2024")):
        result = run(cli, "profile", "set", setting, value)
        assert result.exit_code == 0, result.output
    data = stored(initialised)
    assert data["visa"] == "h1b" and data["match_year"] == 2028
    assert data["school_listed"] is False and data["specialty"] == "pediatrics"
    assert str(data["graduation"]) == "2024-06-01"
    assert data["stages"]["step1"]["sittings"][0]["result"] == "passed"  # progress untouched


# -- the way people type ids (issue 13) ------------------------------------------------------


def test_ids_are_taken_the_way_people_type_them(cli: Any, profile_path: Path) -> None:
    made = cli("init", "--no-input", "--match", "2029", "--specialty", "Internal Medicine",
               "--visa", "J-1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert made.exit_code == 0, made.output
    text = profile_path.read_text(encoding="utf-8")
    assert "specialty: internal_medicine" in text and "visa: j1" in text
    booked = cli("mark", "Step 1", "booked", "--date", "2027-03-01", "--today", "2026-11-22")
    assert booked.exit_code == 0, booked.output
    started = cli("mark", "USMLE Step 2 CK", "in progress", "--started", "2026-11-01",
                  "--today", "2026-11-22")
    assert started.exit_code == 0, started.output
    shown = cli("profile", "show", "--format", "json", "--today", "2026-11-22")
    stages = json.loads(shown.stdout)["stages"]
    assert stages["step1"]["booked"] == "2027-03-01"
    assert stages["step2ck"]["status"] == "in_progress"
    for typed, route in (("H-1B", "h1b"), ("h1b", "h1b"), ("None", "none")):
        planned = cli("timeline", "--visa", typed, "--format", "json", "--today", "2026-11-22")
        assert planned.exit_code == 0, planned.output
        assert json.loads(planned.stdout)["visa"] == route
    changed = cli("profile", "set", "specialty", "emergency medicine", "--today", "2026-11-22")
    assert changed.exit_code == 0 and "Set specialty to emergency_medicine." in changed.stdout
    dates = cli("calendar", "--match", "2029", "--specialty", "Emergency Medicine",
                "--format", "json", "--today", "2026-11-22")
    assert json.loads(dates.stdout)["application_service"] == "residencycas"


@pytest.mark.parametrize(("args", "message"), [
    (("timeline", "--visa", "K-1"), "'K-1' is not a visa route: none, j1, h1b or undecided"),
    (("mark", "Step 9", "passed"),
     "STAGE: unknown stage 'Step 9' (did you mean step3 or step1?) (known: credentials"),
    (("timeline", "--specialty", "Cardiology"), "--specialty: unknown specialty 'Cardiology'"),
])
def test_words_that_mean_no_id_are_still_refused(cli: Any, initialised: Path,
                                                 args: tuple[str, ...], message: str) -> None:
    refused(cli(*args, "--today", "2026-11-22"), message)


def test_a_profile_with_an_earlier_releases_kebab_case_specialty_still_plans(
        cli: Run, profile_path: Path) -> None:
    # issue 13, part 9: one id style (snake_case), the old spellings still read
    assert cli(*INIT).exit_code == 0
    text = profile_path.read_text(encoding="utf-8")
    profile_path.write_text(text.replace("specialty: internal_medicine",
                                         "specialty: internal-medicine"), encoding="utf-8")
    result = cli("check", "--format", "json", "--today", "2026-11-22")
    assert result.exit_code in (0, 1), result.stderr
    assert "Internal Medicine" in cli("timeline", "--today", "2026-11-22").stdout
    assert cli("timeline", "--specialty", "internal-medicine", "--today",
               "2026-11-22").exit_code in (0, 1)
