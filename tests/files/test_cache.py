"""The cache of checked files: what it keeps is exactly what checking gives, and it is never
trusted blindly.

Each test points ``IMGPLAN_CACHE_DIR`` at its own folder and clears the in-process memo of
rules, so a load really goes to the cache (or to the careful way) as a fresh run would.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from imgplan.core.errors import ProfileError, RulesError
from imgplan.core.profile import Profile
from imgplan.core.rules import Rules
from imgplan.files import cache as kept
from imgplan.files import profile_store as store
from imgplan.files import rules_file as rulesfile
from imgplan.files import specialties_file as specialties

PLAN = ("timeline", "--match", "2029", "--today", "2026-11-22", "--format", "json")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("IMGPLAN_CACHE_DIR", str(folder))
    monkeypatch.setattr(kept, "_memo", {})
    return folder


def _packaged() -> bytes:
    return rulesfile.data_path("rules.yaml").read_bytes()


def _entries(folder: Path, kind: str = "rules") -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.marshal")) if folder.is_dir() else []


def test_the_cached_rules_are_the_checked_ones(cache: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    checked = rulesfile.load_rules()  # nothing cached: checked with pydantic, then kept
    [entry] = _entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    monkeypatch.setattr(kept, "_memo", {})

    def no_checking(path: Path) -> None:
        raise AssertionError("the rules were checked again instead of read from the cache")

    monkeypatch.setattr(rulesfile, "_read", no_checking)
    cached = rulesfile.load_rules()
    assert cached == checked
    assert cached is not checked
    assert isinstance(cached, Rules)


def test_a_plan_from_the_cache_is_the_plan_from_checking(
    cache: Path, cli: Callable[..., object]
) -> None:
    first = cli(*PLAN)
    kept._memo.clear()  # the second run reads the cache's entry, as a new process
    second = cli(*PLAN)
    assert first.exit_code == second.exit_code == 0  # type: ignore[attr-defined]
    assert json.loads(first.stdout) == json.loads(second.stdout)  # type: ignore[attr-defined]
    assert len(_entries(cache)) == 1


def test_an_edited_rules_file_is_checked_again(cache: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_bytes(_packaged())
    rulesfile.load_rules(rules)
    kept._memo.clear()
    rules.write_bytes(_packaged().replace(b"- stage: step1", b"- stage: step9", 1))
    with pytest.raises(RulesError, match="unknown stage 'step9'") as caught:
        rulesfile.load_rules(rules)
    assert caught.value.line is not None
    assert len(_entries(cache)) == 1  # the broken file is not kept


@pytest.mark.parametrize("damage", [
    b"",  # empty
    b"not marshal at all",
    marshal.dumps(["a list, not an entry"]),
    marshal.dumps(("os.system", {"command": "true"})),  # a name that is not a rules class
    marshal.dumps(("Rules", {"schema_version": 1})),  # fields missing
    marshal.dumps(("Stage", {"id": "x"})),  # a class of the rules, but not the whole rules
    marshal.dumps(("date", 10**30)),  # a date out of range
])
def test_a_damaged_entry_is_ignored_and_replaced(cache: Path, damage: bytes) -> None:
    checked = rulesfile.load_rules()
    [entry] = _entries(cache)
    entry.write_bytes(damage)
    kept._memo.clear()
    assert rulesfile.load_rules() == checked
    assert entry.read_bytes() != damage  # checked again and kept again


def test_a_cache_folder_that_cannot_be_written_costs_only_time(
    cache: Path, cli: Callable[..., object]
) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the folder should be")
    result = cli(*PLAN)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert result.stderr == ""  # type: ignore[attr-defined]
    assert cache.read_text() == "a file where the folder should be"


def test_old_entries_are_pruned(cache: Path) -> None:
    cache.mkdir(mode=0o700)
    keep = rulesfile._cached().keep
    for number in range(keep + 3):
        (cache / f"rules-{number:032x}.marshal").write_bytes(b"old")
    rulesfile.load_rules()
    entries = _entries(cache)
    assert len(entries) == keep
    assert kept.key(rulesfile._cached(), _packaged()) in {p.name for p in entries}


def test_the_key_changes_with_the_file_and_with_the_checking_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    kind, raw = rulesfile._cached(), _packaged()
    real = kept.key(kind, raw)
    assert real is not None and real == kept.key(kind, raw)
    assert real != kept.key(kind, raw + b"\n# a comment\n")
    fake = tmp_path / "package"
    folders = [fake / "core", fake / "files"]
    for folder in folders:
        folder.mkdir(parents=True)
        (folder / "shapes.py").write_text(f"# {folder.name}\n")
    monkeypatch.setattr(kept, "_CHECKING_CODE", tuple(folders))
    kept._code_digest.cache_clear()
    assert kept.key(kind, raw) not in (None, real)
    (fake / "files" / "checks.py").write_text("# a new check\n")  # any module of the folder
    kept._code_digest.cache_clear()
    changed = kept.key(kind, raw)
    assert changed not in (None, real)
    for module in (fake / "files").iterdir():
        module.unlink()
    kept._code_digest.cache_clear()
    assert kept.key(kind, raw) is None  # no source to key on: no cache, never a wrong entry
    monkeypatch.undo()
    kept._code_digest.cache_clear()


# -- the profile ----------------------------------------------------------------------------


def test_a_cached_profile_is_the_checked_one(
    cache: Path, cli: Callable[..., object], profile_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init = cli("init", "--no-input", "--match", "2027", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert init.exit_code == 0, init.stderr  # type: ignore[attr-defined]
    marked = cli("mark", "oet", "passed", "--date", "2026-09-01", "--scores",
                 "360,350,320,370", "--today", "2026-11-22")
    assert marked.exit_code == 0, marked.stderr  # type: ignore[attr-defined]
    checked = store.load_profile(profile_path)
    [entry] = _entries(cache, "profile")  # only the newest profile is kept
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600

    def no_checking(path: Path) -> None:
        raise AssertionError("the profile was checked again instead of read from the cache")

    monkeypatch.setattr(store, "_read", no_checking)
    cached = store.load_profile(profile_path)
    assert isinstance(cached, Profile) and cached == checked
    assert cached.stages["oet"].scores is not None
    assert cached.stages["oet"].scores.writing == 320


def test_a_hand_edited_profile_is_checked_again(
    cache: Path, cli: Callable[..., object], profile_path: Path
) -> None:
    cli("init", "--no-input", "--match", "2027", "--specialty", "internal-medicine", "--visa",
        "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert store.load_profile(profile_path) is not None
    text = profile_path.read_text(encoding="utf-8")
    profile_path.write_text(text.replace("visa: j1", "visa: j2"), encoding="utf-8")
    with pytest.raises(ProfileError, match="visa") as caught:
        store.load_profile(profile_path)
    assert caught.value.line is not None


def test_what_only_the_rules_can_say_is_checked_on_every_load(
    cache: Path, cli: Callable[..., object], profile_path: Path
) -> None:
    # Cached or not, the checks against the rules and today run: a pass dated "tomorrow" is
    # fine once that day has come, and refused before it, with its line.
    cli("init", "--no-input", "--match", "2027", "--specialty", "internal-medicine", "--visa",
        "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    with profile_path.open("a", encoding="utf-8") as handle:
        handle.write("stages:\n  step1:\n    status: passed\n    date: 2026-11-23\n")
    rules = rulesfile.load_rules()
    assert store.load_profile(profile_path, rules, dt.date(2026, 11, 23)) is not None
    assert _entries(cache, "profile")
    with pytest.raises(ProfileError, match="after today") as caught:
        store.load_profile(profile_path, rules, dt.date(2026, 11, 22))
    assert caught.value.line is not None


# -- the specialties ----------------------------------------------------------------------


def test_the_cached_specialties_are_the_checked_ones(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = specialties.load_specialties()
    assert len(_entries(cache, "specialties")) == 1

    def no_checking(path: Path) -> None:
        raise AssertionError("the specialties were checked again instead of read from the cache")

    monkeypatch.setattr(specialties, "_load", no_checking)
    cached = specialties.load_specialties()
    assert cached == checked
    iqrs = [s.non_us_img.step2ck_matched_iqr for s in cached.specialties
            if s.non_us_img is not None and s.non_us_img.step2ck_matched_iqr is not None]
    assert iqrs and all(isinstance(iqr, tuple) for iqr in iqrs)  # tuples stay tuples


def test_an_edited_specialties_file_is_checked_again(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "specialties.yaml"
    packaged = rulesfile.data_path("specialties.yaml").read_text(encoding="utf-8")
    copy.write_text(packaged, encoding="utf-8")
    specialties.load_specialties(copy)
    copy.write_text(packaged.replace("schema_version: 1", "schema_version: 2", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError, match="schema_version"):
        specialties.load_specialties(copy)


def test_an_entry_others_could_have_written_is_not_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rulesfile.load_rules()
    [entry] = _entries(cache)
    entry.chmod(0o666)  # as if planted in a folder others can write to
    kept._memo.clear()
    calls: list[Path] = []
    careful = rulesfile._read

    def counted(path: Path) -> object:
        calls.append(path)
        return careful(path)

    monkeypatch.setattr(rulesfile, "_read", counted)
    rulesfile.load_rules()
    assert len(calls) == 1  # checked again rather than trusted
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # and kept again, privately


def test_a_named_pipe_in_place_of_an_entry_is_not_waited_on(cache: Path) -> None:
    cache.mkdir(mode=0o700)
    entry = cache / str(kept.key(rulesfile._cached(), _packaged()))
    os.mkfifo(entry, 0o600)
    assert kept.get(rulesfile._cached(), _packaged()) is None  # returns at once
