"""Finding and loading rules files: the packaged ``data/`` or a person's ``--rules FILE``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imgplan.errors import ImgplanError, RulesError

if TYPE_CHECKING:
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
    """The rules in ``path`` (default: the packaged rules), checked; the first problem raises."""
    if path is None:
        return _load_packaged(data_path("rules.yaml"))
    return _load(path)


@lru_cache(maxsize=1)
def _load_packaged(path: Path) -> Rules:
    """The packaged rules, read the quick way: ~7 ms sooner on every planning command.

    That file ships with imgplan and its tests check it, so PyYAML's C loader reads it
    straight to data, and the validated rules are the same as the careful way's. The careful
    way (yamlio's bounded composer, which keeps every line for the messages) is for files a
    person edits: ``--rules`` and the profile. Should the packaged file ever be unreadable or
    invalid, it is read again the careful way, which reports the problem with its line.
    """
    import yaml

    from imgplan.rules import Rules, problems

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=loader)
        rules = Rules.model_validate(data)
    except (OSError, ValueError, yaml.YAMLError):  # ValueError: pydantic's, or not UTF-8
        return _load(path)
    if problems(rules):
        return _load(path)
    return rules


@lru_cache(maxsize=4)
def _load(path: Path) -> Rules:
    rules, found = _read(path)
    if found:
        raise found[0]
    assert rules is not None
    return rules


def rules_problems(path: Path) -> list[ImgplanError]:
    """Every problem of the rules file at ``path``, each located (for ``rules validate``)."""
    return _read(path)[1]


def _read(path: Path) -> tuple[Rules | None, list[ImgplanError]]:
    from pydantic import ValidationError

    from imgplan.rules import Rules, problems
    from imgplan.yamlio import load_yaml

    document = load_yaml(path, error=RulesError, what="rules file")
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else f"a {_yaml_kind(document.data)}"
        return None, [RulesError(f"is {kind}, not a rules file (a mapping with "
                                 "schema_version, calendar, key_dates, stages)", file=path)]
    try:
        rules = Rules.model_validate(document.data)
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
