"""One way from a finished result to output: (subject, format) -> its renderer.

Every command shows its result through this table, so each format lives in one place, and
what a format loads is decided here once: a renderer's module is imported only when its
format is asked for (JSON, Markdown and ICS load no Rich; a table loads no calendar library).

A renderer either returns the whole text (``text``) or draws on a Rich console (``draw``). A
drawing goes to the terminal as it is; written to a file it is plain text at a fixed width,
and as ``svg`` it is a picture of the same drawing.
"""

from __future__ import annotations

import importlib
from typing import Any, Literal

from imgplan.core.datatype import datatype

Subject = Literal["plan", "report", "calendar", "rules", "sources", "profile", "programs",
                  "budget", "next", "compare", "cohort"]


@datatype
class Renderer:
    """Where one format of one subject is made, and how."""

    module: str  # imgplan.render.<module>
    function: str
    kind: Literal["text", "draw", "picture"]
    about: str  # what it is for, in --help (empty: the name says it)

    def load(self) -> Any:
        return getattr(importlib.import_module(f"imgplan.render.{self.module}"), self.function)


_TABLE = "the terminal"
_JSON = ""  # needs no words
_MARKDOWN = "to paste into an email"
_ICS = "a calendar to import"
_SVG = "a picture of the table"
_HTML = "a page to open in a browser or print"

RENDERERS: dict[Subject, dict[str, Renderer]] = {
    "plan": {
        "table": Renderer("plan_view", "draw_plan", "draw", _TABLE),
        "json": Renderer("json_out", "plan_json", "text", _JSON),
        "markdown": Renderer("markdown", "plan_markdown_view", "text", _MARKDOWN),
        "ics": Renderer("ics", "plan_ics_view", "text", _ICS),
        "svg": Renderer("plan_view", "draw_plan", "picture", _SVG),
        "html": Renderer("html", "plan_html", "text", _HTML),
    },
    "report": {
        "table": Renderer("check_view", "draw_report", "draw", _TABLE),
        "json": Renderer("check_json", "report_json", "text", _JSON),
        "markdown": Renderer("markdown", "report_markdown_view", "text", _MARKDOWN),
        "svg": Renderer("check_view", "draw_report", "picture", _SVG),
        "html": Renderer("html", "report_html", "text", _HTML),
    },
    "calendar": {
        "table": Renderer("calendar_view", "draw_calendar", "draw", _TABLE),
        "json": Renderer("json_out", "calendar_json", "text", _JSON),
        "markdown": Renderer("markdown", "calendar_markdown_view", "text", ""),
        "ics": Renderer("ics", "calendar_ics_view", "text",
                        "the key dates as a calendar to import"),
    },
    "rules": {
        "table": Renderer("rules_view", "draw_rules", "draw", _TABLE),
    },
    "sources": {
        "table": Renderer("rules_view", "draw_sources", "draw", _TABLE),
        "json": Renderer("json_out", "sources_json", "text", _JSON),
        "markdown": Renderer("markdown", "sources_markdown_view", "text", _MARKDOWN),
    },
    "programs": {
        "table": Renderer("programs_view", "draw_programs", "draw", _TABLE),
        "json": Renderer("programs_view", "programs_json", "text", _JSON),
        "markdown": Renderer("programs_view", "programs_markdown", "text", _MARKDOWN),
        "csv": Renderer("programs_view", "programs_csv", "text", "the list, to open in a "
                        "spreadsheet"),
    },
    "compare": {
        "table": Renderer("compare_view", "draw_compare", "draw", _TABLE),
        "json": Renderer("compare_view", "compare_json", "text", _JSON),
        "markdown": Renderer("compare_view", "compare_markdown", "text", _MARKDOWN),
        "html": Renderer("html", "compare_html", "text", _HTML),
    },
    "next": {
        "table": Renderer("next_view", "draw_next", "draw", _TABLE),
        "json": Renderer("next_view", "next_json", "text", _JSON),
        "markdown": Renderer("next_view", "next_markdown", "text", _MARKDOWN),
    },
    "cohort": {
        "table": Renderer("cohort_view", "draw_cohort", "draw", _TABLE),
        "json": Renderer("cohort_view", "cohort_json", "text", _JSON),
        "markdown": Renderer("cohort_view", "cohort_markdown", "text", _MARKDOWN),
        "csv": Renderer("cohort_view", "cohort_csv", "text", "to open in a spreadsheet"),
        "html": Renderer("html", "cohort_html", "text", _HTML),
    },
    "budget": {
        "table": Renderer("budget_view", "draw_budget", "draw", _TABLE),
        "json": Renderer("budget_view", "budget_json", "text", _JSON),
        "markdown": Renderer("budget_view", "budget_markdown", "text", _MARKDOWN),
    },
    "profile": {
        "summary": Renderer("profile_view", "draw_profile", "draw", "readable"),
        "yaml": Renderer("json_out", "profile_yaml", "text", "the file"),
        "json": Renderer("json_out", "profile_json", "text", ""),
    },
}


def formats(subject: Subject) -> list[str]:
    """The formats a subject can be shown in, the default first."""
    return list(RENDERERS[subject])


def formats_help(subject: Subject) -> str:
    """The formats and what each is for, as --help says them."""
    shown = ", ".join(f"{name} ({renderer.about})" if renderer.about else name
                      for name, renderer in RENDERERS[subject].items())
    return f"Output format: {shown}."


def renderer(subject: Subject, format: str) -> Renderer:
    return RENDERERS[subject][format]


def content(subject: Subject, format: str, view: Any, *, title: str) -> str | bytes:
    """The whole output, as printed without a terminal or written to a file."""
    chosen = renderer(subject, format)
    function = chosen.load()
    if chosen.kind == "text":
        text: str | bytes = function(view)
        return text
    from imgplan.render.svg import plain_text, svg

    def draw(console: Any) -> None:
        function(console, view)

    return svg(draw, title=title) if chosen.kind == "picture" else plain_text(draw)
