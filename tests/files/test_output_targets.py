"""Where ``--output`` writes: into devices and pipes, through links, never over imgplan's files.

Issue 12, item 4: ``-o`` used to replace whatever it was given (a device node, the
``/dev/stdout`` link, a FIFO) with a regular file, wrote a file named ``-``, and overwrote a
rules file that was not this run's ``--rules``. Everything here is made under the test's own
folder: no test touches the machine's real ``/dev`` or home folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import imgplan
from imgplan.files.rules_file import data_path
from refusals import refused

TODAY = "2026-11-22"
PLAN = ("timeline", "--match", "2029", "--today", TODAY)
Cli = Callable[..., Any]


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _make_profile(cli: Cli, path: Path) -> None:
    made = cli("init", "--no-input", "--force", "--match", "2028", "--specialty",
               "internal-medicine", "--visa", "j1", "--graduation", "2024-06-30",
               "--today", TODAY, "--profile", str(path))
    assert made.exit_code == 0, made.stderr
    assert path.is_file()


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    """imgplan in its own process, with a time limit: a wait on a pipe fails the test."""
    return subprocess.run([sys.executable, "-m", "imgplan", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def _device_node(folder: Path, name: str = "null") -> Path:
    """A character device like /dev/null (1, 3), made in ``folder``: needs root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    node = folder / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return node


def _is_null_device(path: Path) -> bool:
    info = os.stat(path)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)


# -- "-" is standard output --------------------------------------------------------------------


@pytest.mark.parametrize("command", [PLAN, ("calendar", "--match", "2029", "--today", TODAY),
                                     ("rules", "sources", "--match", "2029", "--today", TODAY)],
                         ids=["timeline", "calendar", "rules-sources"])
@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
@pytest.mark.parametrize("flag", ["-o", "--output"])
def test_dash_is_standard_output_exactly_as_without_output(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
    fmt: str, flag: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = _listing(tmp_path)
    plain = cli(*command, "--format", fmt)
    dashed = cli(*command, "--format", fmt, flag, "-")
    assert plain.exit_code == 0, plain.stderr
    assert dashed.exit_code == 0, dashed.stderr
    assert dashed.stdout and dashed.stdout == plain.stdout
    assert dashed.stderr == plain.stderr
    assert not (tmp_path / "-").exists()
    assert _listing(tmp_path) == before


def test_dot_slash_dash_is_a_file_named_dash(cli: Cli, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*PLAN, "--format", "json", "-o", "./-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "-").read_text(encoding="utf-8") == cli(*PLAN, "--format", "json").stdout


# -- named pipes ---------------------------------------------------------------------------------


def _drain(fd: int, done: threading.Event, into: list[bytes]) -> None:
    # The pipe was opened without blocking: b"" before any writer and after the last one
    # closed, BlockingIOError while a writer holds it with nothing to read yet.
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        if chunk:
            into.append(chunk)
        elif done.is_set():
            return
        else:
            time.sleep(0.01)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_pipe_with_a_reader_gets_the_text_and_stays_a_pipe(cli: Cli, tmp_path: Path,
                                                             fmt: str) -> None:
    fifo = tmp_path / "plan.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before imgplan
    done = threading.Event()
    received: list[bytes] = []
    thread = threading.Thread(target=_drain, args=(reader, done, received), daemon=True)
    thread.start()
    try:
        result = cli(*PLAN, "--format", fmt, "--output", str(fifo))
        done.set()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the pipe was never closed: its reader saw no end"
    finally:
        done.set()
        os.close(reader)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    expected_file = tmp_path / "plan.out"  # a name that says no format: --format decides
    assert cli(*PLAN, "--format", fmt, "--output", str(expected_file)).exit_code == 0
    assert b"".join(received) == expected_file.read_bytes()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _listing(tmp_path) == ["plan.out", "plan.pipe"]


def test_a_pipe_nobody_reads_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.pipe"
    os.mkfifo(fifo)
    done = _process(*PLAN, "--output", str(fifo))  # the time limit fails a wait
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"imgplan: error: {fifo}: --output: ")
    assert "pipe" in lines[0] and "Traceback" not in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _listing(tmp_path) == ["plan.pipe"]


# -- devices and links to them --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "ics"])
def test_a_device_is_written_into_and_stays_a_device(cli: Cli, tmp_path: Path,
                                                     fmt: str) -> None:
    node = _device_node(tmp_path)
    result = cli(*PLAN, "--format", fmt, "--output", str(node))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert _is_null_device(node)
    assert _listing(tmp_path) == ["null"]


def test_a_link_to_a_device_stays_a_link(cli: Cli, tmp_path: Path) -> None:
    node = _device_node(tmp_path)
    link = tmp_path / "stdout"
    link.symlink_to(node)
    for fmt in ("table", "markdown"):
        result = cli(*PLAN, "--format", fmt, "-o", str(link))
        assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(node)
    assert _is_null_device(node)
    assert _listing(tmp_path) == ["null", "stdout"]


def test_a_link_to_its_own_stdout_adds_to_what_stdout_is(cli: Cli, tmp_path: Path) -> None:
    # like -o /dev/stdout, made here: a link to this process's descriptor 1, which is a log
    # opened for appending; the log is added to, not replaced, and the link stays a link
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc/self/fd here")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    log = tmp_path / "log.txt"
    log.write_text("earlier\n")
    with log.open("a") as appending:
        done = subprocess.run([sys.executable, "-m", "imgplan", *PLAN, "--format", "json",
                               "-o", str(link)], stdout=appending, stderr=subprocess.PIPE,
                              text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert log.read_text(encoding="utf-8") == \
        "earlier\n" + cli(*PLAN, "--format", "json").stdout
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert _listing(tmp_path) == ["log.txt", "stdout"]


# -- regular files and links to them ---------------------------------------------------------


def test_a_file_is_replaced_and_keeps_its_permissions(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old\n")
    target.chmod(0o640)
    assert cli(*PLAN, "--format", "markdown", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Match 2029")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _listing(tmp_path) == ["plan.md"]


def test_a_link_to_a_file_is_kept_and_the_file_it_names_updated(cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real"
    links = tmp_path / "links"
    real.mkdir()
    links.mkdir()
    target = real / "plan.md"
    target.write_text("old\n")
    target.chmod(0o600)
    link = links / "plan.md"
    link.symlink_to(target)
    result = cli(*PLAN, "--format", "markdown", "--output", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("# Match 2029")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _listing(real) == ["plan.md"] and _listing(links) == ["plan.md"]


def test_a_link_to_a_file_not_made_yet_makes_it(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "plan.json"
    link.symlink_to(Path("real") / "plan.json")  # relative, to nothing yet
    assert cli(*PLAN, "--format", "json", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert (tmp_path / "real" / "plan.json").read_text(encoding="utf-8") == \
        cli(*PLAN, "--format", "json").stdout


@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_an_export_imgplan_wrote_is_replaced_again(cli: Cli, tmp_path: Path, fmt: str) -> None:
    # a plan's JSON has "stages" and "match_year": it is not mistaken for rules or a profile
    target = tmp_path / "plan.out"
    for _ in range(2):
        result = cli(*PLAN, "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
    assert _listing(tmp_path) == ["plan.out"]


def test_yaml_that_is_not_imgplans_is_replaced(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "other.yaml"
    target.write_text("schema_version: 3\nservices_used: [a, b]\ntitle: not imgplan's\n")
    assert cli(*PLAN, "--format", "json", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")


# -- refusals -----------------------------------------------------------------------------------


def _refused_unchanged(cli: Cli, target: Path, *args: str) -> str:
    """imgplan with ``args`` and ``-o target`` is refused: exit 2, one line naming the target
    and --output; the target's bytes as they were (when it has any) and its folder as it was,
    no temporary file left in it. Returns the line."""
    folder = target.parent
    listing = _listing(folder)
    before = target.read_bytes() if target.is_file() else None
    line = refused(cli(*args, "-o", str(target)), "--output")
    assert line.startswith(f"imgplan: error: {target}: --output: "), line
    assert _listing(folder) == listing
    if before is not None:
        assert target.read_bytes() == before
    return line


def test_a_copy_of_the_rules_is_refused_though_not_this_runs_rules(cli: Cli,
                                                                   tmp_path: Path) -> None:
    rules = data_path("rules.yaml").read_bytes()
    for name in ("rules-copy.yaml", "plan.txt"):
        copy = tmp_path / name
        copy.write_bytes(rules)
        for fmt in ("ics", "table"):
            _refused_unchanged(cli, copy, *PLAN, "--format", fmt)
    # this run's --rules is another copy: still refused
    mine = tmp_path / "mine.yaml"
    mine.write_bytes(rules)
    _refused_unchanged(cli, tmp_path / "plan.txt", *PLAN, "--rules", str(mine))


def test_the_refusal_comes_before_any_work(cli: Cli, tmp_path: Path) -> None:
    # the planner would refuse Match 2200; the --output refusal comes first
    copy = tmp_path / "rules.yaml"
    copy.write_bytes(data_path("rules.yaml").read_bytes())
    _refused_unchanged(cli, copy, "timeline", "--match", "2200", "--today", TODAY)


def test_a_profile_is_refused_though_not_this_runs_profile(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "P"
    _make_profile(cli, profile)
    for command in (PLAN, ("calendar", "--match", "2029", "--today", TODAY),
                    ("rules", "sources", "--match", "2029", "--today", TODAY)):
        _refused_unchanged(cli, profile, *command, "--format", "markdown")
    # without imgplan's header, its keys still say what it is
    bare = tmp_path / "bare.yaml"
    bare.write_text("".join(line for line in profile.read_text(encoding="utf-8")
                            .splitlines(keepends=True) if not line.startswith("#")))
    _refused_unchanged(cli, bare, *PLAN, "--format", "json")


def test_check_refuses_a_copy_of_its_profile(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "P"
    _make_profile(cli, profile)
    other = tmp_path / "other.yaml"
    shutil.copyfile(profile, other)
    _refused_unchanged(cli, other, "check", "--today", TODAY, "--profile", str(profile),
                       "--format", "markdown")


def test_links_to_imgplans_files_are_refused(cli: Cli, tmp_path: Path) -> None:
    packaged = data_path("rules.yaml")
    before = packaged.read_bytes()
    link = tmp_path / "rules-link.yaml"
    link.symlink_to(packaged)
    _refused_unchanged(cli, link, *PLAN, "--format", "ics")
    assert link.is_symlink() and packaged.read_bytes() == before

    profile = tmp_path / "P"
    _make_profile(cli, profile)
    hard = tmp_path / "hard-link.txt"
    os.link(profile, hard)
    _refused_unchanged(cli, hard, *PLAN, "--format", "json")
    assert os.path.samefile(hard, profile)


def test_a_hard_link_to_a_file_of_the_package_is_refused(cli: Cli, tmp_path: Path) -> None:
    source = Path(imgplan.__file__).resolve()
    hard = tmp_path / "notes.txt"
    try:
        os.link(source, hard)
    except OSError as exc:
        pytest.skip(f"no hard link to the package from here: {exc}")
    _refused_unchanged(cli, hard, *PLAN, "--format", "markdown")
    assert os.path.samefile(hard, source)


@pytest.mark.parametrize("folder", ["package", "data"])
def test_nothing_is_written_inside_imgplans_folders(cli: Cli, folder: str) -> None:
    where = (Path(imgplan.__file__).resolve().parent if folder == "package"
             else data_path("rules.yaml").resolve().parent)
    target = where / "exported-by-a-test.md"
    assert not target.exists()
    try:
        _refused_unchanged(cli, target, *PLAN, "--format", "markdown")
        assert not target.exists()
    finally:
        if target.exists():
            target.unlink()


def test_a_socket_is_refused(cli: Cli) -> None:
    short = Path(tempfile.mkdtemp(dir="/tmp", prefix="imgplan-"))  # AF_UNIX: ~108 bytes
    server = socket.socket(socket.AF_UNIX)
    try:
        path = short / "s"
        server.bind(str(path))
        _refused_unchanged(cli, path, *PLAN, "--format", "json")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()
        shutil.rmtree(short)
