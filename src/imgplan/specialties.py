"""The target specialties and NRMP *Charting Outcomes* figures that ``imgplan check`` uses.

The facts live in ``data/specialties.yaml`` (its header says where each figure comes from and
how the readiness review reads the medians); this module only describes and loads them.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from imgplan.errors import RulesError, UsageError
from imgplan.rules import FactKind

SpecialtyId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")]
Score = Annotated[int, Field(ge=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cohort(_Strict):
    """One specialty's non-US IMG figures; null where the report suppresses or omits them."""

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


class AllSpecialties(_Strict):
    matched: int
    applicants: int
    match_rate: float
    step2ck_matched_median: Score
    step2ck_unmatched_median: Score


class ChartingOutcomes(_Strict):
    """The report edition the score figures come from."""

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


class Specialty(_Strict):
    id: SpecialtyId
    name: str = Field(min_length=1)
    application_service: Literal["eras", "residencycas"]
    application_service_source: str
    signals: str | None = None
    signals_season: str | None = None
    signals_source: str | None = None
    non_us_img: Cohort | None = None
    note: str | None = None


class Specialties(_Strict):
    schema_version: Literal[1]
    charting_outcomes: ChartingOutcomes
    specialties: list[Specialty] = Field(min_length=1)

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
    """The specialties file at ``path`` (default: the packaged one), checked."""
    from imgplan.rulesfile import data_path

    return _load(path or data_path("specialties.yaml"))


@lru_cache(maxsize=2)
def _load(path: Path) -> Specialties:
    from pydantic import ValidationError

    from imgplan.yamlio import load_yaml, validation_error

    document = load_yaml(path, error=RulesError, what="specialties file")
    if not isinstance(document.data, dict):
        raise RulesError("is not a specialties file (a mapping with schema_version, "
                         "charting_outcomes, specialties)", file=path)
    try:
        loaded = Specialties.model_validate(document.data)
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
