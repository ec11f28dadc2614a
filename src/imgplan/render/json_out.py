"""The JSON contracts of design.md: stable field names, ISO dates, nothing terminal-specific."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from imgplan.core.cycle import KeyDate
from imgplan.core.duration import Duration
from imgplan.core.findings import Finding
from imgplan.core.planner import Check, Plan

if TYPE_CHECKING:
    from imgplan.render.views import CalendarView, PlanView, ProfileView, SourcesView


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def key_date_dict(key_date: KeyDate) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": key_date.name,
        "date": key_date.date.isoformat(),
        "basis": key_date.basis,
        "official": key_date.official,
        "kind": key_date.kind,
        "source": key_date.source,
    }
    if key_date.time:
        entry["time"] = key_date.time
    if key_date.estimated:
        entry["rule"] = key_date.rule
    return entry


def calendar_dict(match_year: int, dates: dict[str, KeyDate], service: str | None = None,
                  findings: list[Finding] | None = None) -> dict[str, Any]:
    return {
        "match_year": match_year,
        "application_service": service,
        "key_dates": {key_id: key_date_dict(kd) for key_id, kd in dates.items()},
        "findings": [finding_dict(finding) for finding in findings or []],
    }


def _check_dict(check: Check) -> dict[str, Any]:
    return {
        "level": check.level,
        "applies_to": check.applies_to,
        "anchor": check.anchor,
        "due": check.due.isoformat(),
        "planned": check.actual.isoformat(),
        "met": check.met,
        "reason": check.reason,
        "kind": check.kind,
    }


def verdict_dict(plan: Plan) -> dict[str, Any]:
    """A plan's verdict, as the top of its JSON: the year, route and pace, whether it is
    feasible and eligible, the earliest feasible Match and what breaks it."""
    breaking = plan.breaks
    return {
        "match_year": plan.match_year,
        "visa": plan.visa,
        "pace": plan.pace,
        "feasible": plan.feasible,
        "eligible": plan.eligible,
        "earliest_feasible_match": plan.earliest_feasible_match,
        "breaks": None if breaking is None else {
            "stage": breaking.stage_id,
            "level": breaking.level,
            "date": breaking.actual.isoformat(),
            "due": breaking.due.isoformat(),
            "days_short": breaking.days_late,
            "reason": breaking.reason,
        },
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    verdict = verdict_dict(plan)
    return {
        "match_year": plan.match_year,
        "today": plan.today.isoformat(),
        "pace": plan.pace,
        "visa": plan.visa,
        "feasible": verdict["feasible"],
        "eligible": verdict["eligible"],
        "earliest_feasible_match": plan.earliest_feasible_match,
        "application_service": None if plan.application_service is None
        else plan.application_service.id,
        "closed_by": None if plan.closed_by is None else finding_dict(plan.closed_by),
        "breaks": verdict["breaks"],
        "key_dates": {key_id: key_date_dict(kd) for key_id, kd in plan.key_dates.items()},
        "stages": [
            {
                "id": stage.id,
                "name": stage.name,
                "phase": stage.phase,
                "status": stage.status,
                # a stage that can no longer happen in this cycle has no dates
                "start": None if stage.status == "closed" else _iso(stage.start),
                "finish": None if stage.status == "closed" else _iso(stage.finish),
                "result": None if stage.status == "closed" else _iso(stage.result_date),
                "latest_start": _iso(stage.latest_start),
                "latest_finish": _iso(stage.latest_finish),
                "hard_latest_finish": _iso(stage.hard_latest_finish),
                "slack_days": stage.slack_days,
                "critical": stage.critical,
                "implied_by": stage.implied_by,
                "deadlines": [_check_dict(check) for check in stage.checks],
            }
            for stage in plan.stages
        ],
        "findings": [finding_dict(finding) for finding in plan.findings],
        # the findings' messages, kept for one release for programs that read them
        "warnings": list(plan.warnings),
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {"id": finding.id, "level": finding.level, "stage": finding.stage,
            "date": _iso(finding.date), "days": finding.days, "message": finding.message}


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def plan_json(view: PlanView) -> str:
    return dumps(plan_dict(view.plan)) + "\n"


def calendar_json(view: CalendarView) -> str:
    return dumps(calendar_dict(view.match_year, view.dates,
                               view.service.id if view.service is not None else None,
                               [view.stale] if view.stale is not None else [])) + "\n"


def profile_json(view: ProfileView) -> str:
    return dumps(plain(view.profile)) + "\n"


def profile_yaml(view: ProfileView) -> str:
    """The profile file itself, as the person (or imgplan) wrote it."""
    return view.text


def plain(value: Any) -> Any:
    """A profile (or any of the core's dataclasses) as JSON data: fields in order, dates as
    ISO text, durations as their text (``6m``), as the profile file writes them."""
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def sources_json(view: SourcesView) -> str:
    plan = view.plan
    return dumps({
        "match_year": plan.match_year,
        "today": view.today.isoformat(),
        "visa": plan.visa,
        "application_service": None if plan.application_service is None
        else plan.application_service.id,
        "newest_verified": view.newest_verified.isoformat(),
        "findings": [] if view.stale is None else [finding_dict(view.stale)],
        "facts": [{"id": fact.id, "what": fact.what, "basis": fact.basis,
                   "source": fact.source, "last_verified": fact.last_verified.isoformat(),
                   "age_days": fact.age_days(view.today)} for fact in view.facts],
    }) + "\n"
