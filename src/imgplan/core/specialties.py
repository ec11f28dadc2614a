"""The target specialties and NRMP *Charting Outcomes* figures that ``imgplan check`` uses.

The facts live in ``data/specialties.yaml`` (its header says where each figure comes from and
how the readiness review reads the medians); this module only describes them
(``imgplan.files.specialties_file`` loads them).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from functools import cached_property
from typing import Annotated, Literal

from imgplan.core.datatype import datatype
from imgplan.core.errors import UsageError
from imgplan.core.fields import Id, Limits, about
from imgplan.core.rules import FactKind
from imgplan.core.services import Applying

# snake_case, as every public id (stages, key dates, findings); the kebab-case of earlier
# releases ("internal-medicine") is read as the same id wherever one is looked up
SpecialtyId = Annotated[str, Limits(pattern=r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")]
Score = Annotated[int, Limits(ge=1)]

# As for the rules (imgplan.core.rules): plain dataclasses, checked when the file is read the
# first time (imgplan.files.checking), and rebuilt from the cache without checking afterwards.


@datatype(kw_only=True)
class Cohort:
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


@datatype(kw_only=True)
class AllSpecialties:
    """The figures for all specialties together."""

    matched: int
    applicants: int
    match_rate: float
    step2ck_matched_median: Score
    step2ck_unmatched_median: Score


@datatype(kw_only=True)
class ChartingOutcomes:
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


@datatype(kw_only=True)
class ServiceChange:
    """A specialty moving to another application service from one Match on."""

    from_match: Annotated[int, Limits(ge=1990, le=2200)] = field(metadata=about(
        "the first Match it applies to"))
    service: Id | None = field(metadata=about("the service's id; null: not known"))
    source: str
    kind: FactKind
    last_verified: date


@datatype(kw_only=True)
class Specialty:
    """One target specialty: its application service and Charting Outcomes figures."""

    id: SpecialtyId
    name: Annotated[str, Limits(min_length=1)]
    # what people type for it besides its name: "IM", "OB/GYN" (found by a new user)
    also: list[Annotated[str, Limits(min_length=1, max_length=40)]] = field(
        default_factory=list, metadata=about("other names people type for it (IM, OB/GYN)"))
    application_service: Id | None = field(metadata=about(
        "the service it applies through (an id of the rules' services); null: not known"))
    application_service_source: str
    service_changes: list[ServiceChange] = field(default_factory=list, metadata=about(
        "later moves to another service, each from a Match year"))
    signals: str | None = None
    signals_season: str | None = None
    signals_source: str | None = None
    non_us_img: Cohort | None = None
    note: str | None = None

    def applying(self) -> Applying:
        """The services it applies through, by the first Match each applies from."""
        by_year: dict[int, str | None] = {0: self.application_service}
        for change in self.service_changes:
            by_year[change.from_match] = change.service
        return Applying(self.name, by_year)


@datatype(kw_only=True)
class Specialties:
    """The whole specialties file."""

    schema_version: Literal[1]
    charting_outcomes: ChartingOutcomes
    specialties: Annotated[list[Specialty], Limits(min_length=1)]

    @property
    def ids(self) -> list[str]:
        return [specialty.id for specialty in self.specialties]

    @cached_property
    def _by_id(self) -> dict[str, Specialty]:
        # a cohort finds a specialty for each of its rows (issue 15's budget)
        # (reversed: the first of an id, should a file hold two, as a search from the top finds)
        return {specialty.id: specialty for specialty in reversed(self.specialties)}

    def find(self, specialty_id: str) -> Specialty | None:
        """The specialty of ``specialty_id``, or of the same id spelled with hyphens (a
        profile of an earlier release holds "internal-medicine")."""
        return self._by_id.get(specialty_id.replace("-", "_"))

    def applying(self, specialty_id: str | None) -> Applying | None:
        """The services ``specialty_id`` applies through; None without a known specialty.
        One object a specialty, which the planner's choice of service is kept by."""
        found = self.find(specialty_id) if specialty_id is not None else None
        if found is None:
            return None
        made = self._applying.get(found.id)
        if made is None:
            made = self._applying[found.id] = found.applying()
        return made

    @cached_property
    def _applying(self) -> dict[str, Applying]:
        return {}

    def get(self, specialty_id: str, *, field: str | None = "--specialty") -> Specialty:
        """The specialty ``specialty_id`` (or its name, "Internal Medicine", as a person types
        it: ``imgplan.core.spelling``); an unknown one is refused with the known ids."""
        from imgplan.core.spelling import one_of, suggestion

        exact = self._by_id.get(specialty_id)  # as a file, or a cohort's column, holds it
        if exact is not None:
            return exact
        named = one_of(specialty_id, self.ids,
                       names={s.id: (s.name, *s.also) for s in self.specialties})
        found = self.find(named) if named is not None else None
        if found is None:
            raise UsageError(f"unknown specialty '{specialty_id}'"
                             f"{suggestion(specialty_id, self.ids)} (known: "
                             f"{', '.join(self.ids)})", field=field)
        return found


# Every class the specialties file is made of: what the cache may rebuild, and nothing else.
PARTS: tuple[type, ...] = (Cohort, AllSpecialties, ChartingOutcomes, ServiceChange, Specialty,
                           Specialties)
