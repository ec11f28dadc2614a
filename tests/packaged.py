"""The packaged data, loaded when a test first asks for it and once per session: never while
a test module is imported (collection stays cheap, and a broken data file fails the tests that
use it, each with its error, instead of every module's import)."""

from __future__ import annotations

from functools import cache

from imgplan.core.rules import Rules
from imgplan.core.specialties import Specialties
from imgplan.files.rules_file import load_rules
from imgplan.files.specialties_file import load_specialties


@cache
def packaged_rules() -> Rules:
    return load_rules()


@cache
def packaged_specialties() -> Specialties:
    return load_specialties()
