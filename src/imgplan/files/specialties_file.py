"""Loading the specialties file (``data/specialties.yaml``): the Charting Outcomes figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from imgplan.core.errors import RulesError

if TYPE_CHECKING:
    from imgplan.core.specialties import Specialties
    from imgplan.files.cache import Kind


def load_specialties(path: Path | None = None) -> Specialties:
    """The specialties file at ``path`` (default: the packaged one), checked.

    As with the rules, a file already checked comes from ``imgplan.files.cache`` without
    Pydantic.
    """
    from imgplan.files import cache as kept
    from imgplan.files.rules_file import data_path

    return kept.load(_cached(), path or data_path("specialties.yaml"), _load)


@cache
def _cached() -> Kind:
    from imgplan.core.specialties import PARTS, Specialties
    from imgplan.files.cache import Kind

    return Kind("specialties", Specialties, PARTS, keep=2, shared=True)


def _load(path: Path) -> Specialties:
    from imgplan.core.specialties import Specialties
    from imgplan.files.checking import check
    from imgplan.files.yamlio import load_yaml

    document = load_yaml(path, error=RulesError, what="specialties file")
    if not isinstance(document.data, dict):
        raise RulesError("is not a specialties file (a mapping with schema_version, "
                         "charting_outcomes, specialties)", file=path)
    loaded = check(Specialties, document, error=RulesError)
    seen: set[str] = set()
    for index, specialty in enumerate(loaded.specialties):
        if specialty.id in seen:
            loc = ("specialties", index, "id")
            raise RulesError(f"'{specialty.id}' is defined twice", file=path,
                             field=".".join(map(str, loc)), line=document.line_of(loc))
        seen.add(specialty.id)
    return loaded
