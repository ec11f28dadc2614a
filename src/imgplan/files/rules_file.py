"""Finding and loading rules files: the packaged ``data/`` or a person's ``--rules FILE``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from imgplan.core.errors import ImgplanError, RulesError

if TYPE_CHECKING:
    from imgplan.core.rules import Rules
    from imgplan.files.cache import Kind


def data_path(name: str) -> Path:
    """A file of the packaged data: inside the wheel, or the source tree's ``data/``.

    A wheel carries ``data/`` as ``imgplan/data``; an editable install runs from ``src/`` and
    finds the top-level ``data/`` folder beside it. The package is a folder on disk (pip
    unpacks wheels; imgplan is never run from a zip), so its path is enough: importlib.resources
    would import zipfile for that case, ~5 ms of every run.
    """
    packaged = Path(__file__).resolve().parents[1] / "data" / name
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / name


def load_rules(path: Path | None = None) -> Rules:
    """The rules in ``path`` (default: the packaged rules), checked; the first problem raises.

    A file already checked (the same bytes, the same imgplan) comes from ``imgplan.files.cache``
    without importing Pydantic; any other is checked the careful way, and kept there once it
    passes.
    """
    from imgplan.files import cache as kept

    return kept.load(_cached(), data_path("rules.yaml") if path is None else path, _careful)


def _careful(path: Path) -> Rules:
    """The rules file read and checked the careful way; the first problem raises, located."""
    rules, found = _read(path)
    if found:
        raise found[0]
    assert rules is not None
    return rules


@cache
def _cached() -> Kind:
    from imgplan.core.rules import PARTS, Rules
    from imgplan.files.cache import Kind

    return Kind("rules", Rules, PARTS, keep=8, shared=True)


def rules_problems(path: Path) -> list[ImgplanError]:
    """Every problem of the rules file at ``path``, each located (for ``rules validate``)."""
    return _read(path)[1]


def _read(path: Path) -> tuple[Rules | None, list[ImgplanError]]:
    from imgplan.core.rules import Rules, problems
    from imgplan.files.checking import every_problem
    from imgplan.files.yamlio import load_yaml

    document = load_yaml(path, error=RulesError, what="rules file")
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else f"a {_yaml_kind(document.data)}"
        return None, [RulesError(f"is {kind}, not a rules file (a mapping with "
                                 "schema_version, calendar, key_dates, stages)", file=path)]
    rules, found = every_problem(Rules, document, error=RulesError)
    if rules is None:
        return None, found
    return rules, [
        RulesError(message, file=path, field=".".join(str(part) for part in loc),
                   line=document.line_of(loc))
        for loc, message in problems(rules)
    ]


def _yaml_kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    return "single value" if not isinstance(value, dict) else "mapping"
