"""``imgplan check --format json``: the readiness contract of design.md.

``{"match_year", "today", "ready", "items": [{"id", "status", "title", "detail", "advice",
"due"}], "next_actions": [...]}``; the extra keys (``slack_days``, ``start_within_days``,
``counts``, ``profile``) only add to it. Dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from imgplan.core.readiness import Item, Report
from imgplan.render.json_out import dumps, finding_dict

if TYPE_CHECKING:
    from imgplan.render.views import ReportView


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": item.status,
        "title": item.title,
        "detail": item.detail,
        "advice": item.advice,
        "due": item.due.isoformat() if item.due else None,
        "stage": item.stage,
        "start_by": item.start_by.isoformat() if item.start_by else None,
        "slack_days": item.slack_days,
        "start_within_days": item.start_within,
    }


def _action_dict(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": item.status,
        "action": item.advice or item.detail,
        "due": item.due.isoformat() if item.due else None,
        "stage": item.stage,
        "start_by": item.start_by.isoformat() if item.start_by else None,
        "start_within_days": item.start_within,
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "match_year": report.match_year,
        "today": report.today.isoformat(),
        "ready": report.ready,
        "profile": report.has_profile,
        "counts": {status: report.count(status) for status in ("pass", "warn", "fail", "todo")},
        "items": [_item_dict(item) for item in report.items],
        "eligible": report.eligible,
        "earliest_feasible_match": report.earliest_feasible_match,
        "closed_by": None if report.closed_by is None else finding_dict(report.closed_by),
        "next_actions_match": report.instead.match_year if report.instead else report.match_year,
        "next_actions": [_action_dict(item) for item in report.next_actions],
        "findings": [finding_dict(finding) for finding in report.findings],
    }


def report_json(view: ReportView) -> str:
    return dumps(report_dict(view.report)) + "\n"
