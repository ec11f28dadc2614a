"""What each subject hands its renderers: the finished result, and what the output shows
beside it (a note, the rules a calendar marks hard deadlines from)."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from imgplan.core.datatype import datatype

if TYPE_CHECKING:  # only named here: a plan's JSON must not load the readiness review
    from datetime import date

    from imgplan.core.budget import Budget
    from imgplan.core.cohort import Planned, Skipped
    from imgplan.core.cycle import KeyDate
    from imgplan.core.findings import Finding
    from imgplan.core.fit import Fit
    from imgplan.core.next_actions import Next
    from imgplan.core.planner import Plan
    from imgplan.core.profile import Profile
    from imgplan.core.provenance import SourcedFact
    from imgplan.core.readiness import Report
    from imgplan.core.rules import Rules, Service
    from imgplan.core.scenarios import Scenario
    from imgplan.core.specialties import Specialties, Specialty


@datatype
class PlanView:
    """A plan, for the timeline's formats."""

    plan: Plan
    rules: Rules
    note: str | None = None
    owner: str | None = None  # the profile's name: whose plan a shared file is
    fits: list[Fit] = field(default_factory=list)  # the person's program list, checked


@datatype
class ReportView:
    """A readiness review, for check's formats."""

    report: Report
    note: str | None = None
    owner: str | None = None  # the profile's name
    plan: Plan | None = None  # the plan the report was made from (the HTML page's Gantt)


@datatype
class CalendarView:
    """One Match cycle's key dates, for calendar's formats."""

    match_year: int
    dates: dict[str, KeyDate]
    rules: Rules
    today: date
    service: Service | None = None  # the application service whose dates these are
    specialty: str | None = None  # the specialty that chose it; None: none recorded
    known: bool = True  # False: the data does not say the specialty's service this year
    stale: Finding | None = None  # rules_stale, when the rules' newest check is too old


@datatype
class SourcesView:
    """The facts a plan rests on, for rules sources' formats."""

    plan: Plan
    facts: list[SourcedFact]
    today: date
    newest_verified: date
    stale: Finding | None  # rules_stale, when the newest check is too old


@datatype
class RulesView:
    """The rules, for rules show."""

    rules: Rules


@datatype
class ProfileView:
    """A profile, for profile show's formats."""

    profile: Profile
    rules: Rules
    specialties: Specialties
    where: str  # the profile's path, as the person gave it
    text: str  # the file as it is on disk


@datatype
class ProgramsView:
    """The person's program list with each program's fit, for the programs command."""

    fits: list[Fit]
    match_year: int
    visa: str
    today: date
    specialty: Specialty | None = None  # the profile's: its signals allowance
    owner: str | None = None
    broad: int | None = None  # the rules' programs_broad (the guides' 100+), None without it


@datatype
class BudgetView:
    """What the plan costs, for the budget command."""

    budget: Budget
    today: date
    owner: str | None = None
    note: str | None = None


@datatype
class NextView:
    """What to do now, for the next command."""

    next: Next
    match_year: int
    note: str | None = None


@datatype
class CompareView:
    """Plans side by side, for the compare command."""

    scenarios: list[Scenario]
    today: date
    owner: str | None = None
    note: str | None = None


@datatype
class CohortView:
    """An advisor's candidates planned, most urgent first, and the rows skipped."""

    planned: list[Planned]
    skipped: list[Skipped]
    today: date
    file: str  # the CSV's name, as given
