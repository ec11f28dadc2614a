"""Shared fixtures: no test touches the real profile, the real date or the real terminal."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from imgplan.cli import app
from imgplan.core.rules import Rules
from packaged import packaged_rules

TODAY = "2026-11-22"
_CACHE = tempfile.TemporaryDirectory(prefix="imgplan-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    # Test modules load the rules as they are collected, before any fixture runs: even that
    # must not write to the cache in the real home folder.
    os.environ["IMGPLAN_CACHE_DIR"] = _CACHE.name


def pytest_unconfigure(config: pytest.Config) -> None:
    _CACHE.cleanup()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the profile at a temporary file and fix the terminal's width and colour.

    The cache of checked files goes to one temporary folder for the whole run, outside every
    test's own folder (the hostile-input tests check that nothing in theirs changes).
    """
    profile = tmp_path / "config" / "profile.yaml"
    monkeypatch.setenv("IMGPLAN_PROFILE", str(profile))
    # The default profile is still looked at (an export never replaces it, whichever profile
    # a command uses): in a home folder of the test's own, never the real one.
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IMGPLAN_CACHE_DIR", _CACHE.name)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("IMGPLAN_TODAY", "IMGPLAN_DEBUG", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return profile


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The packaged rules, loaded once for the session (never at a test module's import)."""
    return packaged_rules()


@pytest.fixture
def profile_path(isolated: Path) -> Path:
    return isolated


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run imgplan with arguments; returns typer's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), input=input)

    return run
