"""The target specialties and NRMP *Charting Outcomes* figures that ``imgplan check`` uses.

The facts live in ``data/specialties.yaml`` (its header says where each figure comes from and
how the readiness review reads the medians); this module only describes and loads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from imgplan.errors import RulesError, UsageError
from imgplan.rules import FactKind, Limits, checker

if TYPE_CHECKING:
    from imgplan.cache import Kind

SpecialtyId = Annotated[str, Limits(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")]
Score = Annotated[int, Limits(ge=1)]

# As for the rules (imgplan.rules): plain dataclasses that Pydantic checks when the file is
# read the first time, and that the cache rebuilds without it afterwards.
_CHECKED: dict[str, Any] = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True)
class Cohort:
    """One specialty's non-US IMG figures; null where the report suppresses or omits them."""

    __pydantic_config__ = _CHECKED
    matched: int | None = None
    applicants: int | None = None
    match_rate: float | None = None
    step2ck_matched_median: Score | None = None
    step2ck_matched_mean: Score | None = None
    step2ck_matched_iqr: tuple[Score, Score] | None = None
    step2ck_unmatched_median: Score | None = None
    step2ck_unmatched_mean: Score | None = None

    @property
    def medians(self) -> tuple[int, int] | None:
        """(matched, unmatched) Step 2 CK medians, or None when either is not published."""
        if self.step2ck_matched_median is None or self.step2ck_unmatched_median is None:
            return None
        return self.step2ck_matched_median, self.step2ck_unmatched_median


@dataclass(frozen=True, kw_only=True)
class AllSpecialties:
    __pydantic_config__ = _CHECKED
    matched: int
    applicants: int
    match_rate: float
    step2ck_matched_median: Score
    step2ck_unmatched_median: Score


@dataclass(frozen=True, kw_only=True)
class ChartingOutcomes:
    """The report edition the score figures come from."""

    __pydantic_config__ = _CHECKED
    title: str
    publisher: str
    edition: int
    match_year: int
    published: str
    url: str
    source: str
    kind: FactKind
    last_verified: date
    cohort: str
    all_specialties: AllSpecialties

    @property
    def citation(self) -> str:
        return (f"{self.publisher} Charting Outcomes {self.edition} "
                f"(Match {self.match_year}, {self.cohort})")


@dataclass(frozen=True, kw_only=True)
class Specialty:
    __pydantic_config__ = _CHECKED
    id: SpecialtyId
    name: Annotated[str, Limits(min_length=1)]
    application_service: Literal["eras", "residencycas"]
    application_service_source: str
    signals: str | None = None
    signals_season: str | None = None
    signals_source: str | None = None
    non_us_img: Cohort | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Specialties:
    __pydantic_config__ = _CHECKED
    schema_version: Literal[1]
    charting_outcomes: ChartingOutcomes
    specialties: Annotated[list[Specialty], Limits(min_length=1)]

    @property
    def ids(self) -> list[str]:
        return [specialty.id for specialty in self.specialties]

    def find(self, specialty_id: str) -> Specialty | None:
        return next((s for s in self.specialties if s.id == specialty_id), None)

    def get(self, specialty_id: str, *, field: str | None = "--specialty") -> Specialty:
        """The specialty ``specialty_id``; an unknown id is refused with the known ones."""
        found = self.find(specialty_id)
        if found is None:
            raise UsageError(f"unknown specialty '{specialty_id}' (known: "
                             f"{', '.join(self.ids)})", field=field)
        return found


def load_specialties(path: Path | None = None) -> Specialties:
    """The specialties file at ``path`` (default: the packaged one), checked.

    As with the rules, a file already checked comes from ``imgplan.cache`` without Pydantic.
    """
    from imgplan import cache as kept
    from imgplan.rulesfile import data_path

    return kept.load(_cached(), path or data_path("specialties.yaml"), _load)


@cache
def _cached() -> Kind:
    from imgplan.cache import Kind

    return Kind("specialties", Specialties,
                (Cohort, AllSpecialties, ChartingOutcomes, Specialty, Specialties),
                ("specialties.py", "rules.py", "yamlio.py"), keep=2)


def _load(path: Path) -> Specialties:
    from pydantic import ValidationError

    from imgplan.yamlio import load_yaml, validation_error

    document = load_yaml(path, error=RulesError, what="specialties file")
    if not isinstance(document.data, dict):
        raise RulesError("is not a specialties file (a mapping with schema_version, "
                         "charting_outcomes, specialties)", file=path)
    try:
        loaded: Specialties = checker(Specialties).validate_python(document.data)
    except ValidationError as exc:
        raise validation_error(exc, document, error=RulesError) from None
    seen: set[str] = set()
    for index, specialty in enumerate(loaded.specialties):
        if specialty.id in seen:
            loc = ("specialties", index, "id")
            raise RulesError(f"'{specialty.id}' is defined twice", file=path,
                             field=".".join(map(str, loc)), line=document.line_of(loc))
        seen.add(specialty.id)
    return loaded
