"""The cache of checked files: what it keeps is exactly what checking gives, and it is never
trusted blindly.

Each test points ``IMGPLAN_CACHE_DIR`` at its own folder and clears the in-process memo of
rules and of folders found usable, so a load really goes to the cache (or to the careful way)
as a fresh run would. Entries are planted and damaged under ``tmp_path`` only.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import marshal
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    monkeypatch.setattr(kept, "_verdicts", {})
    return folder


def _new_run() -> None:
    """Forget what this process learnt (the rules decoded, the folder's verdict), as a new run."""
    kept._memo.clear()
    kept._verdicts.clear()


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
    assert isinstance(rulesfile.load_rules(), Rules)  # checked, and kept in the pipe's place
    assert stat.S_ISREG(entry.lstat().st_mode)


# -- what is trusted: the folder, the entry, its bytes -----------------------------------------


def _rules_entry(cache: Path) -> Path:
    return cache / str(kept.key(rulesfile._cached(), _packaged()))


def _poison() -> str:
    """Leave, at the packaged rules' entry, rules that say something else, in the right format
    with the right digest: what anyone who can write to the folder could do. Returns the name
    the poisoned rules give ERAS's opening, which a plan shows."""
    rules = copy.deepcopy(rulesfile.load_rules())  # a copy: the loaded rules are shared
    [opens] = [item for item in rules.key_dates if item.id == "eras_opens"]
    opens.name = "POISONED: MyERAS opens a year late"
    kept.put(rulesfile._cached(), _packaged(), rules)
    _new_run()
    assert rulesfile.load_rules().key_dates == rules.key_dates  # it would be used, if trusted
    _new_run()
    return str(opens.name)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702, 0o720], ids=oct)
def test_a_cache_folder_others_can_write_to_is_not_used(
    cache: Path, cli: Callable[..., Any], mode: int
) -> None:
    uncached = cli(*PLAN)
    assert uncached.exit_code == 0, uncached.stderr
    poisoned = _poison()
    assert poisoned in cli(*PLAN).stdout  # in a private folder the entry is believed
    entry = _rules_entry(cache)
    planted = entry.read_bytes()
    cache.chmod(mode)
    _new_run()
    result = cli(*PLAN)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # silently: the cache is only an optimisation
    assert json.loads(result.stdout) == json.loads(uncached.stdout)
    assert entry.read_bytes() == planted and _entries(cache) == [entry]  # nothing written
    entry.unlink()
    _new_run()
    assert rulesfile.load_rules() == rulesfile._careful(rulesfile.data_path("rules.yaml"))
    assert list(cache.iterdir()) == []  # still nothing written


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="making a folder another user's needs root")
def test_a_cache_folder_another_user_owns_is_not_used(cache: Path) -> None:
    checked = rulesfile.load_rules()
    poisoned = _poison()
    entry = _rules_entry(cache)
    planted = entry.read_bytes()
    os.chown(cache, os.getuid() + 4242, -1)  # mode 0700, entries still this user's
    _new_run()
    rules = rulesfile.load_rules()
    assert rules == checked and poisoned not in {item.name for item in rules.key_dates}
    assert entry.read_bytes() == planted  # and nothing written to it


def test_a_missing_cache_folder_is_made_private_with_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "home" / ".cache" / "imgplan"
    monkeypatch.setenv("IMGPLAN_CACHE_DIR", str(folder))
    monkeypatch.setattr(kept, "_memo", {})
    monkeypatch.setattr(kept, "_verdicts", {})
    checked = rulesfile.load_rules()
    assert len(_entries(folder)) == 1
    for made in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700
    _new_run()
    assert rulesfile.load_rules() == checked


def test_an_entry_that_is_a_link_is_not_followed(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = rulesfile.load_rules()
    _poison()
    entry = _rules_entry(cache)
    elsewhere = tmp_path / "elsewhere.marshal"
    os.replace(entry, elsewhere)  # a valid, private entry, though a poisoned one
    entry.symlink_to(elsewhere)
    assert kept.get(rulesfile._cached(), _packaged()) is None
    assert rulesfile.load_rules() == checked


def test_a_link_at_an_entry_s_name_is_replaced_not_written_through(
    cache: Path, tmp_path: Path
) -> None:
    cache.mkdir(mode=0o700)
    victim = tmp_path / "precious.txt"
    victim.write_bytes(b"not the cache's")
    entry = _rules_entry(cache)
    entry.symlink_to(victim)
    checked = rulesfile.load_rules()
    assert victim.read_bytes() == b"not the cache's"
    assert stat.S_ISREG(entry.lstat().st_mode)  # the link itself was replaced by the entry
    _new_run()
    assert kept.get(rulesfile._cached(), _packaged()) == checked


def test_an_entry_over_the_bound_is_not_read(cache: Path) -> None:
    checked = rulesfile.load_rules()
    entry = _rules_entry(cache)
    with entry.open("r+b") as handle:  # sparse: gigabytes that take no disk
        handle.truncate(3 * 1024**3)
    assert entry.stat().st_size > kept.ENTRY_BOUND
    _new_run()
    assert kept.get(rulesfile._cached(), _packaged()) is None
    assert rulesfile.load_rules() == checked
    assert entry.stat().st_size < kept.ENTRY_BOUND  # kept again, as it should be


def test_the_bound_is_on_the_bytes_read_and_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = rulesfile.load_rules()
    size = _rules_entry(cache).stat().st_size
    # the packaged rules' entry is far under the bound (its comment says how far)
    assert size * 100 < kept.ENTRY_BOUND
    monkeypatch.setattr(kept, "ENTRY_BOUND", size)
    assert kept.get(rulesfile._cached(), _packaged()) == checked
    monkeypatch.setattr(kept, "ENTRY_BOUND", size - 1)
    assert kept.get(rulesfile._cached(), _packaged()) is None
    _rules_entry(cache).unlink()
    _new_run()
    assert rulesfile.load_rules() == checked
    assert _entries(cache) == []  # an entry that could never be read is not written


def test_an_entry_renamed_to_another_profile_s_name_is_not_used(
    cache: Path, cli: Callable[..., Any], profile_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the fault review: profile A's entry renamed to the name profile B's bytes have
    # was taken for B, and the next save wrote A back, erasing the exam only B records.
    init = cli("init", "--no-input", "--match", "2027", "--specialty", "internal-medicine",
               "--visa", "j1", "--graduation", "2024-06-30", "--today", "2026-11-22")
    assert init.exit_code == 0, init.stderr
    kind = store._cached()
    assert store.load_profile(profile_path) is not None
    made_from_a = (cache / str(kept.key(kind, profile_path.read_bytes()))).read_bytes()
    marked = cli("mark", "step1", "passed", "--date", "2026-06-10", "--today", "2026-11-22")
    assert marked.exit_code == 0, marked.stderr
    for entry in _entries(cache, "profile"):
        entry.unlink()
    (cache / str(kept.key(kind, profile_path.read_bytes()))).write_bytes(made_from_a)
    calls: list[Path] = []
    careful = store._read

    def counted(path: Path) -> object:
        calls.append(path)
        return careful(path)

    monkeypatch.setattr(store, "_read", counted)
    profile = store.load_profile(profile_path)
    assert calls == [profile_path]  # B is checked afresh
    assert profile is not None and profile.stages["step1"].state == "passed"  # and is B
    monkeypatch.setattr(store, "_read", careful)
    for entry in _entries(cache, "profile"):  # the swap again, before a save
        entry.write_bytes(made_from_a)
    saved = cli("mark", "oet", "passed", "--date", "2026-09-01", "--scores", "360,350,320,370",
                "--today", "2026-11-22")
    assert saved.exit_code == 0, saved.stderr
    kept_now = store.load_profile(profile_path)
    assert kept_now is not None
    assert kept_now.stages["step1"].state == "passed"  # the exam is still recorded
    assert kept_now.stages["oet"].state == "passed"


def _entry(digest: bytes, body: Any) -> bytes:
    return marshal.dumps((kept.FORMAT, digest, body))


def _deep(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


# Each makes an entry from the rules file's digest and the real rules' encoding: all but the
# last few are in the right format with the right digest, so only their body is at fault.
FORGED: dict[str, Callable[[bytes, Any], bytes]] = {
    "an unknown class": lambda d, body: _entry(d, ("os.system", {"command": "true"})),
    "fields missing": lambda d, body: _entry(d, ("Rules", {"schema_version": 1})),
    "a field unknown": lambda d, body: _entry(d, ("Rules", {**body[1], "extra": 1})),
    "fields not named": lambda d, body: _entry(d, ("Rules", {1: 2})),
    "a class not named by text": lambda d, body: _entry(d, (("Rules",), body[1])),
    "a class of the rules, not the rules": lambda d, body: _entry(d, body[1]["calendar"]),
    "a tuple of three": lambda d, body: _entry(d, ("Rules", body[1], "more")),
    "an int": lambda d, body: _entry(d, 5),
    "a date as text": lambda d, body: _entry(d, ("date", "2026-11-22")),
    "a date out of range": lambda d, body: _entry(d, ("date", 10**30)),
    "a tuple not a list": lambda d, body: _entry(d, ("tuple", 5)),
    "bytes among the fields": lambda d, body: _entry(d, ("Rules", {**body[1], "stages": b""})),
    "a set among the fields": lambda d, body: _entry(d, ("Rules", {**body[1], "stages": {1}})),
    "nested past the recursion limit": lambda d, body: _entry(d, _deep(1500)),
    # the payload itself
    "garbage": lambda d, body: b"\xff\x00 garbage \x13",
    "a marshal of an int": lambda d, body: marshal.dumps(5),
    "the first format (no digest)": lambda d, body: marshal.dumps(body),
    "another format": lambda d, body: marshal.dumps((kept.FORMAT + 1, d, body)),
    "no body": lambda d, body: marshal.dumps((kept.FORMAT, d)),
    "the digest as text": lambda d, body: marshal.dumps((kept.FORMAT, d.hex(), body)),
    "the digest of other bytes": lambda d, body: _entry(hashlib.sha256(b"other").digest(), body),
}


@pytest.mark.parametrize("forgery", list(FORGED), ids=list(FORGED))
def test_a_forged_entry_is_ignored_never_a_traceback(cache: Path, forgery: str) -> None:
    checked = rulesfile.load_rules()
    kind = rulesfile._cached()
    body = kept._encode(checked, {cls.__name__: cls for cls in kind.classes})
    entry = _rules_entry(cache)
    assert marshal.loads(entry.read_bytes()) == (kept.FORMAT, hashlib.sha256(_packaged()).digest(),
                                                 body)  # what an entry is
    forged = FORGED[forgery](hashlib.sha256(_packaged()).digest(), body)
    entry.write_bytes(forged)
    _new_run()
    assert kept.get(kind, _packaged()) is None
    assert rulesfile.load_rules() == checked
    assert entry.read_bytes() != forged  # checked again and kept again


_SCANDIR = os.scandir


@contextlib.contextmanager
def _listing_with_a_vanished_entry(path: Any) -> Iterator[list[Any]]:
    class Vanished:  # listed, then removed by another imgplan before it is looked at
        name = f"rules-{'f' * 32}.marshal"

        def stat(self, follow_symlinks: bool = True) -> os.stat_result:
            raise FileNotFoundError(self.name)

    with _SCANDIR(path) as listing:
        yield [Vanished(), *listing]


def test_pruning_never_raises_nor_reaches_outside_the_folder(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir(mode=0o700)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rules-0.marshal").write_bytes(b"someone else's")
    (cache / "rules-1.marshal").symlink_to(outside / "rules-0.marshal")  # a link to a file
    (cache / "rules-2.marshal").symlink_to(outside)  # to a folder
    (cache / "rules-3.marshal").symlink_to(tmp_path / "nowhere")  # to nothing
    (cache / "rules-4.marshal").mkdir()  # a folder where an entry would be
    (cache / "rules-4.marshal" / "inside").write_bytes(b"kept")
    (cache / "rules-5.marshal").write_bytes(b"an old entry")
    (cache / "profile-6.marshal").write_bytes(b"another kind's")
    newest = cache / "rules-7.marshal"
    newest.write_bytes(b"the newest")
    one = kept.Kind("rules", Rules, (), keep=1)
    with monkeypatch.context() as patched:
        patched.setattr(os, "scandir", _listing_with_a_vanished_entry)
        kept._prune(cache, one, newest.name)
    assert sorted(p.name for p in cache.iterdir()) == [
        "profile-6.marshal", "rules-4.marshal", "rules-7.marshal"]
    assert (outside / "rules-0.marshal").read_bytes() == b"someone else's"
    assert (cache / "rules-4.marshal" / "inside").read_bytes() == b"kept"
    kept._prune(tmp_path / "gone", one, newest.name)  # a folder removed meanwhile
