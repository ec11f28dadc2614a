"""The packaged data, loaded when a test first asks for it and once per session: never while
a test module is imported (collection stays cheap, and a broken data file fails the tests that
use it, each with its error, instead of every module's import)."""

from __future__ import annotations

from functools import cache

from imgplan.core.rules import Rules
from imgplan.core.specialties import Specialties
from imgplan.files.rules_file import load_rules
from imgplan.files.specialties_file import load_specialties

# The seed guide's readiness checklist, item by item: what imgplan check must review.
SEED_ITEMS = ("ecfmg", "step2ck_score", "usce", "lors", "personal_statement",
              "eras_consistency", "visa_strategy", "rank_strategy")


@cache
def packaged_rules() -> Rules:
    return load_rules()


@cache
def packaged_specialties() -> Specialties:
    return load_specialties()
