"""Finding and loading rules files: the packaged ``data/`` or a person's ``--rules FILE``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imgplan.errors import ImgplanError, RulesError

if TYPE_CHECKING:
    from imgplan.cache import Kind
    from imgplan.rules import Rules
    from imgplan.yamlio import YamlDocument


def data_path(name: str) -> Path:
    """A file of the packaged data: inside the wheel, or the source tree's ``data/``.

    A wheel carries ``data/`` as the package resource ``imgplan/data``; an editable install
    runs from ``src/`` and finds the top-level ``data/`` folder beside it.
    """
    packaged = Path(str(resources.files("imgplan"))) / "data" / name
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / name


def load_rules(path: Path | None = None) -> Rules:
    """The rules in ``path`` (default: the packaged rules), checked; the first problem raises.

    A file already checked (the same bytes, the same imgplan) comes from ``imgplan.cache``
    without importing Pydantic; any other is checked the careful way, and kept there once it
    passes.
    """
    from imgplan import cache as kept

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
    from imgplan.cache import Kind
    from imgplan.rules import PARTS, Rules

    # What decides whether a rules file passes, and what it becomes: a change to any of these
    # (a developer's, or a new release) makes every entry stale.
    return Kind("rules", Rules, PARTS, ("rules.py", "duration.py", "yamlio.py", "rulesfile.py"),
                keep=8)


def rules_problems(path: Path) -> list[ImgplanError]:
    """Every problem of the rules file at ``path``, each located (for ``rules validate``)."""
    return _read(path)[1]


def _read(path: Path) -> tuple[Rules | None, list[ImgplanError]]:
    from pydantic import ValidationError

    from imgplan.rules import problems, validate
    from imgplan.yamlio import load_yaml

    document = load_yaml(path, error=RulesError, what="rules file")
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else f"a {_yaml_kind(document.data)}"
        return None, [RulesError(f"is {kind}, not a rules file (a mapping with "
                                 "schema_version, calendar, key_dates, stages)", file=path)]
    try:
        rules = validate(document.data)
    except ValidationError as exc:
        return None, _every_error(exc, document)
    found: list[ImgplanError] = [
        RulesError(message, file=path, field=".".join(str(part) for part in loc),
                   line=document.line_of(loc))
        for loc, message in problems(rules)
    ]
    return rules, found


def _every_error(exc: Any, document: YamlDocument) -> list[ImgplanError]:
    """One located error per pydantic problem, so ``rules validate`` lists them all."""
    from pydantic import ValidationError

    from imgplan.yamlio import validation_error

    errors: list[ImgplanError] = []
    for detail in exc.errors():
        single = ValidationError.from_exception_data(exc.title, [detail])
        errors.append(validation_error(single, document, error=RulesError))
    return errors


def _yaml_kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    return "single value" if not isinstance(value, dict) else "mapping"
