"""The fault review's cases that need real processes: imgplan run many at once, interrupted,
writing to a full device or a closed pipe, on a terminal that is not UTF-8, with standard input
closed or endless, and profiles that are symlinks. Each is run as a person would run it, as
``python -m imgplan`` in its own process, and checked by what they see: the exit code, one
line on stderr, never a traceback, and the profile with every record in it.

Every file, link, FIFO and device node is made under ``tmp_path``; none of these tests opens
the machine's own /dev nodes or the real home folder (the device node needs root: skipped
without it).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from imgplan.files.rules_file import data_path

TODAY = "2026-11-22"
INIT = ["init", "--no-input", "--match", "2029", "--specialty", "internal-medicine",
        "--visa", "j1", "--graduation", "2024-06-30", "--today", TODAY]
# Ten stages a person could record in any order, each with its own record in the profile.
TEN = [("credentials", "done"), ("step1", "passed"), ("step2ck", "passed"), ("oet", "passed"),
       ("pathway", "done"), ("ecfmg_certification", "done"), ("usce", "done"),
       ("lors", "done"), ("application_documents", "done"), ("nrmp_registration", "done")]


def env_for(profile: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("IMGPLAN_") or key == "IMGPLAN_CACHE_DIR"}
    env.update(IMGPLAN_PROFILE=str(profile), COLUMNS="100", NO_COLOR="1", TERM="dumb",
               PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def start(args: list[str], profile: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    extra = kwargs.pop("env", {})
    assert isinstance(extra, dict)
    return subprocess.Popen([sys.executable, "-m", "imgplan", *args],
                            env=env_for(profile, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def run(args: list[str], profile: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    extra = kwargs.pop("env", {})
    assert isinstance(extra, dict)
    kwargs.setdefault("encoding", "utf-8")
    return subprocess.run([sys.executable, "-m", "imgplan", *args], env=env_for(profile, **extra),
                          capture_output=True, timeout=120,
                          **kwargs)  # type: ignore[call-overload]


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("imgplan: error: "), stderr
    return lines[0]


def stages_of(profile: Path) -> dict[str, object]:
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    stages: dict[str, object] = data.get("stages", {})
    return stages


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "profile.yaml"
    made = run(INIT, path)
    assert made.returncode == 0, made.stderr
    return path


def mark(stage: str, status: str) -> list[str]:
    return ["mark", stage, status, "--date", "2026-11-01", "--today", TODAY]


# -- many at once ---------------------------------------------------------------------------


def test_ten_marks_at_once_all_land_and_the_backup_is_an_earlier_valid_profile(
        profile: Path) -> None:
    running = [start(mark(stage, status), profile) for stage, status in TEN]
    results = [(process.wait(timeout=120), process.communicate()) for process in running]
    for code, (out, err) in results:
        assert code == 0, err.decode()
        assert out.decode().startswith("Recorded"), out
    assert set(stages_of(profile)) == {stage for stage, _ in TEN}
    backup = profile.with_name("profile.yaml.bak")
    earlier = stages_of(backup)
    assert len(earlier) == 9 and set(earlier) < set(stages_of(profile))
    shown = run(["profile", "show", "--today", TODAY], backup.parent / "x.yaml",
                env={"IMGPLAN_PROFILE": str(backup)})
    assert shown.returncode == 0, shown.stderr  # the .bak reads as a profile


def test_init_force_racing_mark_ends_in_one_of_the_two_orders(profile: Path) -> None:
    for _ in range(3):
        # each round from a fresh profile: were step1 left recorded by the round before, a
        # mark that won the race would find it there and change nothing
        assert run(["init", "--force", *INIT[1:]], profile).returncode == 0
        racing = [start(["init", "--force", *INIT[1:]], profile),
                  start(mark("step1", "passed"), profile)]
        (init_code, (init_out, _)), (mark_code, (mark_out, _)) = [
            (process.wait(timeout=120), process.communicate()) for process in racing]
        assert init_code == 0 and mark_code == 0
        assert b"The one it replaced is kept as .bak." in init_out  # init says what it did
        assert mark_out.startswith(b"Recorded")
        after = stages_of(profile)
        # mark first, then the reset: nothing recorded, the mark kept in the .bak; or the
        # reset first, then the mark on the new profile
        assert after == {} or set(after) == {"step1"}
        if after == {}:
            assert "step1" in stages_of(profile.with_name("profile.yaml.bak"))


def test_a_second_writer_waits_its_turn_then_says_who_holds_the_profile(profile: Path) -> None:
    from filelock import FileLock

    from imgplan.files.locking import lock_path

    held = FileLock(str(lock_path(profile)))
    held.acquire()
    lock_path(profile).write_text(f"{os.getpid()}\n")
    try:
        before = profile.read_bytes()
        waited = run(mark("step1", "passed"), profile, env={"IMGPLAN_LOCK_TIMEOUT": "0.5"})
    finally:
        held.release()
    line = one_error_line(waited.stderr)
    assert waited.returncode == 2
    assert f"being changed by another imgplan (pid {os.getpid()})" in line
    assert profile.read_bytes() == before
    assert run(mark("step1", "passed"), profile).returncode == 0  # free again


# -- where the profile lives ----------------------------------------------------------------


def test_a_symlinked_profile_is_written_through_and_the_link_kept(tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox" / "imgplan.yaml"
    synced.parent.mkdir()
    assert run([*INIT[:1], *INIT[1:]], synced).returncode == 0
    link = tmp_path / "config" / "profile.yaml"
    link.parent.mkdir()
    link.symlink_to(synced)

    done = run(mark("step1", "passed"), link)

    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == synced.resolve()
    assert "step1" in stages_of(synced)
    assert stat.S_IMODE(synced.stat().st_mode) == 0o600
    assert (synced.parent / "imgplan.yaml.bak").is_file()  # beside the file itself
    assert not (link.parent / "profile.yaml.bak").exists()
    undone = run(["undo", "--today", TODAY], link)
    assert undone.returncode == 0, undone.stderr
    assert link.is_symlink() and "step1" not in stages_of(synced)


def test_a_symlink_to_the_packaged_rules_is_never_written(tmp_path: Path) -> None:
    link = tmp_path / "profile.yaml"
    link.symlink_to(data_path("rules.yaml"))
    before = data_path("rules.yaml").read_bytes()
    refused = run(["init", "--force", *INIT[1:]], link)
    assert refused.returncode == 2
    assert "is one of imgplan's own files, not a profile" in one_error_line(refused.stderr)
    assert data_path("rules.yaml").read_bytes() == before


def test_a_write_protected_profile_is_refused_and_kept(profile: Path) -> None:
    profile.chmod(0o400)
    before = profile.read_bytes()
    refused = run(mark("step1", "passed"), profile)
    assert refused.returncode == 2
    assert "is read-only: nothing saved" in one_error_line(refused.stderr)
    assert profile.read_bytes() == before and stat.S_IMODE(profile.stat().st_mode) == 0o400


def test_names_are_written_as_typed_without_escapes_or_aliases(profile: Path) -> None:
    added = run(["add", "lor", "--writer", "Dr Ana 😀 Ñúñez", "--date", "2026-11-01",
                 "--today", TODAY], profile)
    assert added.returncode == 0, added.stderr
    started = run(["mark", "usce", "in_progress", "--started", "2026-11-01", "--today", TODAY],
                  profile)
    assert started.returncode == 0, started.stderr
    assert run(["mark", "usce", "done", "--date", "2026-11-01", "--today", TODAY],
               profile).returncode == 0
    text = profile.read_text(encoding="utf-8")
    assert "Dr Ana 😀 Ñúñez" in text and "\\U" not in text
    assert "&id" not in text and "*id" not in text


def test_a_profile_too_large_to_read_back_is_not_saved(tmp_path: Path) -> None:
    from imgplan.core.errors import ProfileError
    from imgplan.core.profile import Letter, Profile
    from imgplan.files.profile_store import save_profile

    path = tmp_path / "profile.yaml"
    many = [Letter(writer="x" * 300) for _ in range(4000)]
    with pytest.raises(ProfileError, match="larger than 1 MiB"):
        save_profile(path, Profile(letters=many))
    assert not path.exists()


def test_a_file_that_is_not_a_profile_is_never_echoed(tmp_path: Path) -> None:
    private = tmp_path / "shadow"
    private.write_text("root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n"
                       "admin: SECRET-PASSWORD\n")
    for command in (["timeline", "--today", TODAY], ["check", "--today", TODAY],
                    mark("step1", "passed")):
        refused = run(command, private)
        assert refused.returncode == 2
        said = one_error_line(refused.stderr).replace(str(private), "PATH")
        assert "SECRET" not in said and "root" not in said and "admin" not in said, said


# -- interrupted ------------------------------------------------------------------------------


def test_ctrl_c_at_a_question_exits_130_with_one_line_and_saves_nothing(profile: Path) -> None:
    before = profile.read_bytes()
    asking = start(["init", "--force", "--today", TODAY], profile, stdin=subprocess.PIPE)
    assert asking.stdout is not None
    first = asking.stdout.read1(200)  # type: ignore[attr-defined]
    assert b"Setting up your imgplan profile" in first  # it is waiting for an answer
    asking.send_signal(signal.SIGINT)
    _, err = asking.communicate(timeout=60)
    assert asking.returncode == 130
    assert err.decode().strip() == "imgplan: stopped (Ctrl-C)"
    assert profile.read_bytes() == before


def test_ctrl_c_while_starting_never_shows_a_traceback_from_imgplan(profile: Path) -> None:
    # from the moment imgplan's own code runs (Python's own start-up, before it, is Python's)
    before = profile.read_bytes()
    for delay in (0.15, 0.3, 0.45, 0.6, 0.9):
        process = start(mark("step1", "failed"), profile)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        text = err.decode()
        if process.returncode == 0:  # it finished first: the sitting was recorded
            before = profile.read_bytes()
            continue
        if "imgplan" not in text and "Traceback" in text:
            continue  # still in Python's own start-up (site, the launcher's imports)
        assert "Traceback" not in text, text
        if process.returncode == -signal.SIGINT:
            # Python's own handler, restored as the interpreter ends, after imgplan's code:
            # killed by the signal (the shell shows 130), having said at most its one line
            assert text in ("", "imgplan: stopped (Ctrl-C)\n"), text
            before = profile.read_bytes()
            continue
        assert process.returncode == 130, text
        assert text.startswith("imgplan: stopped (Ctrl-C)"), text
        assert profile.read_bytes() == before or "was saved" in text
        before = profile.read_bytes()


# -- standard output that fails ------------------------------------------------------------


def test_a_full_device_on_stdout_says_the_change_was_saved(profile: Path,
                                                           tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is, made here
    with open(full, "wb") as stdout:
        process = subprocess.run([sys.executable, "-m", "imgplan", *mark("step1", "passed")],
                                 env=env_for(profile), stdout=stdout, stderr=subprocess.PIPE,
                                 text=True, timeout=120)
    line = one_error_line(process.stderr)
    assert process.returncode == 2
    assert "standard output could not be written" in line
    assert f"the change was saved to {profile}, do not record it again" in line
    assert "step1" in stages_of(profile)
    with open(full, "wb") as stdout:
        shown = subprocess.run([sys.executable, "-m", "imgplan", "timeline", "--today", TODAY],
                               env=env_for(profile), stdout=stdout, stderr=subprocess.PIPE,
                               text=True, timeout=120)
    assert shown.returncode == 2 and "saved" not in one_error_line(shown.stderr)
    for printed in (["--help"], ["--version"], ["timeline", "--help"]):
        with open(full, "wb") as stdout:
            helped = subprocess.run([sys.executable, "-m", "imgplan", *printed],
                                    env=env_for(profile), stdout=stdout, stderr=subprocess.PIPE,
                                    text=True, timeout=120)
        assert helped.returncode == 2
        assert "standard output could not be written" in one_error_line(helped.stderr)


@pytest.mark.parametrize("command", [
    ["timeline", "--today", TODAY], ["timeline", "--today", TODAY, "--format", "json"],
    ["check", "--today", TODAY], ["calendar", "--match", "2029", "--today", TODAY],
    ["--help"], ["--version"],
])
def test_a_reader_that_stops_reading_ends_it_quietly(profile: Path, command: list[str]) -> None:
    process = start(command, profile)
    assert process.stdout is not None
    assert process.stdout.read(5)  # like `| head -c 5`
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0 and err == b""


# -- terminals and arguments ----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("command", [["timeline", "--today", TODAY], ["check", "--today", TODAY],
                                     ["calendar", "--match", "2029", "--today", TODAY]])
def test_a_terminal_that_is_not_utf8_gets_plain_characters(
        profile: Path, encoding: str, command: list[str]) -> None:
    shown = run(command, profile, env={"PYTHONIOENCODING": encoding}, encoding=encoding)
    assert shown.returncode in (0, 1), shown.stderr
    assert "Traceback" not in shown.stderr and shown.stdout.strip()
    if encoding == "ascii":
        assert shown.stdout.isascii()


def test_an_argument_that_is_not_utf8_is_refused_by_position(profile: Path) -> None:
    process = subprocess.run([sys.executable, "-m", "imgplan", "add", "lor", "--writer",
                              b"Dr \xff", "--today", TODAY], env=env_for(profile),
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 2
    assert one_error_line(process.stderr) == (
        "imgplan: error: argument 4 ('Dr \\xff') is not UTF-8 text: type it again, or rename "
        "the file it names")


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "99999999999", "3"])
def test_an_impossible_width_falls_back_to_one_that_shows_the_plan(
        profile: Path, columns: str) -> None:
    shown = run(["timeline", "--today", TODAY], profile, env={"COLUMNS": columns})
    assert shown.returncode == 0, shown.stderr
    assert "Match 2029" in shown.stdout and "Step 1" in shown.stdout
    assert max(len(line) for line in shown.stdout.splitlines()) <= 1000


# -- standard input -------------------------------------------------------------------------


def test_init_with_standard_input_closed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    closed = run(["init", "--today", TODAY], path, stdin=None,
                 preexec_fn=lambda: os.close(0))
    assert closed.returncode == 2
    assert "standard input is closed" in one_error_line(closed.stderr)
    assert not path.exists()


def _feed(process: subprocess.Popen[bytes], chunk: bytes) -> Callable[[], None]:
    def feed() -> None:
        assert process.stdin is not None
        try:
            while process.poll() is None:
                process.stdin.write(chunk)
        except (BrokenPipeError, ValueError, OSError):
            pass

    return feed


@pytest.mark.parametrize(("chunk", "message"), [
    (b"y\n", "no answer imgplan could use after 5 tries"),  # `yes | imgplan init`
    (b"x" * 4096, "an answer longer than 1000 characters"),  # an endless line
])
def test_endless_input_is_refused_not_read_for_ever(tmp_path: Path, chunk: bytes,
                                                    message: str) -> None:
    path = tmp_path / "profile.yaml"
    process = start(["init", "--today", TODAY], path, stdin=subprocess.PIPE)
    feeder = threading.Thread(target=_feed(process, chunk), daemon=True)
    feeder.start()
    # not communicate(): it would close standard input, which the feeder writes to
    assert process.stderr is not None
    err = process.stderr.read()
    process.wait(timeout=120)
    assert process.returncode == 2
    assert message in one_error_line(err.decode())
    assert not path.exists()


def test_a_profile_whose_every_stage_takes_ten_years_still_plans(profile: Path) -> None:
    # the longest a profile's own estimate may be, on every stage at once
    stages = ["credentials", "step1", "step2ck", "oet", "pathway", "ecfmg_certification",
              "usce", "lors", "application_documents", "eras", "nrmp_registration",
              "interviews", "rank_list", "visa"]
    text = profile.read_text(encoding="utf-8")
    text += "stages:\n" + "".join(f"  {stage}:\n    duration: 10y\n" for stage in stages)
    profile.write_text(text, encoding="utf-8")
    for command, codes in ((["timeline", "--today", TODAY], (0,)),
                           (["check", "--today", TODAY], (0, 1)),
                           (["calendar", "--match", "2041", "--today", TODAY], (0,))):
        shown = run(command, profile)
        assert shown.returncode in codes and "Traceback" not in shown.stderr, shown.stderr


def test_init_force_starts_again_over_a_damaged_profile(profile: Path) -> None:
    # what the refusal of a damaged profile advises; only a file that is no profile is kept
    profile.write_text(profile.read_text(encoding="utf-8") + "stages: [unclosed\n")
    damaged = profile.read_bytes()
    assert run(["timeline", "--today", TODAY], profile).returncode == 2
    again = run(["init", "--force", *INIT[1:]], profile)
    assert again.returncode == 0, again.stderr
    assert profile.with_name("profile.yaml.bak").read_bytes() == damaged
