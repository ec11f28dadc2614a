"""Checking a file against the core's shapes: the one module of imgplan that imports Pydantic.

The shapes (``imgplan.core.rules``, ``.profile``, ``.specialties``) are plain dataclasses whose
limits are markers in their annotations (``imgplan.core.fields``). Pydantic builds a checker
for a dataclass from its annotations, asking each marker for its part of the schema through
the marker's ``__get_pydantic_core_schema__``, and reads a dataclass's settings from its
``__pydantic_config__``. Both are given to the core's classes here, when this module is first
imported (only to check a file: a plan from cached files never comes here), so that the core
holds no word of Pydantic and a reader finds all of it in one place.

Every failure becomes one ``ImgplanError`` naming the file, the field and the line.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import core_schema

from imgplan.core import profile, rules, specialties
from imgplan.core.duration import Duration
from imgplan.core.errors import ImgplanError, UsageError
from imgplan.core.fields import AfterCheck, Limits, Written
from imgplan.files.reading import one_line
from imgplan.files.yamlio import YamlDocument

T = TypeVar("T")
Loc = tuple[Any, ...]


def _limits_schema(self: Limits, source: Any, handler: Any) -> Any:
    schema = handler(source)
    if schema.get("type") not in ("int", "str", "list"):  # a mistake in a shape
        raise TypeError(f"Limits cannot constrain {source!r}")
    schema.update(self.given())
    return schema


def _written_schema(self: Written, source: Any, handler: Any) -> Any:
    return core_schema.no_info_plain_validator_function(
        self.parse, serialization=core_schema.plain_serializer_function_ser_schema(str))


def _after_schema(self: AfterCheck, source: Any, handler: Any) -> Any:
    return core_schema.no_info_after_validator_function(self.check, handler(source))


for _marker, _hook in ((Limits, _limits_schema), (Written, _written_schema),
                       (AfterCheck, _after_schema)):
    # setattr: the core's classes declare no such attribute, and need not
    setattr(_marker, "__get_pydantic_core_schema__", _hook)  # noqa: B010

# A field that is not declared is refused, so a typo is an error rather than ignored; the
# rules file's ``from`` (a Python keyword) is the field ``from_``.
_CONFIG: dict[str, Any] = {"extra": "forbid", "alias_generator": lambda name: name.rstrip("_")}
for _shape in (*rules.PARTS, *profile.PARTS, *specialties.PARTS):
    if dataclasses.is_dataclass(_shape) and _shape is not Duration:  # text: see fields
        setattr(_shape, "__pydantic_config__", _CONFIG)  # noqa: B010


_CHECKERS: dict[Any, TypeAdapter[Any]] = {}


def checker(cls: Any) -> TypeAdapter[Any]:
    """Pydantic's checker for one shape, built once."""
    if cls not in _CHECKERS:
        with _ctrl_c_after():
            _CHECKERS[cls] = TypeAdapter(cls)
    return _CHECKERS[cls]


@contextlib.contextmanager
def _ctrl_c_after() -> Iterator[None]:
    """A Ctrl-C while Pydantic builds a checker, taken once it is built.

    Found at the lower bounds: pydantic-core 2.16, interrupted in its Rust code while it calls
    back into Python, panics and its runtime prints a Rust backtrace before imgplan can say
    its one line. The build takes milliseconds; the Ctrl-C then ends the run as any other.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and callable(previous):
        previous(signal.SIGINT, None)


def check(cls: type[T], document: YamlDocument, *, error: type[ImgplanError],
          data: Any = None, place: Callable[[Loc], Loc] | None = None) -> T:
    """``document`` (or ``data`` read from it: a profile migrated) checked against ``cls``;
    the first problem raises, located (through ``place``, for data read from another
    shape)."""
    try:
        checked: T = checker(cls).validate_python(document.data if data is None else data)
    except ValidationError as exc:
        raise located(exc, document, error=error, place=place) from None
    return checked


def every_problem(cls: type[T], document: YamlDocument, *, error: type[ImgplanError]
                  ) -> tuple[T | None, list[ImgplanError]]:
    """``document`` checked against ``cls``, and one located error for every problem."""
    try:
        checked: T = checker(cls).validate_python(document.data)
    except ValidationError as exc:
        found: list[ImgplanError] = []
        for detail in exc.errors():
            single = ValidationError.from_exception_data(exc.title, [detail])  # type: ignore[list-item]
            found.append(located(single, document, error=error))
        return None, found
    return checked, []


def dump(part: Any, *, json: bool = False, exclude_defaults: bool = False) -> Any:
    """A shape's value (a profile or a part of one) as plain data: durations as text, dates as
    dates (or as ISO text, for JSON); what ``check`` reads back."""
    return checker(type(part)).dump_python(
        part, mode="json" if json else "python", exclude_defaults=exclude_defaults)


def profile_from(data: dict[str, Any]) -> profile.Profile:
    """A profile built by a command from values a person typed; a bad value names its field.
    Data in an older schema (``schema_version`` 1, or none given) is read as the current one
    (``profile.migrated``), as a file is."""
    try:
        built: profile.Profile = checker(profile.Profile).validate_python(
            profile.migrated(data))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        message = _plain(first)
        field = ".".join(str(part) for part in first["loc"]) or None
        raise UsageError(message, field=field) from None
    return built


def rebuilt(person: profile.Profile, **changes: Any) -> profile.Profile:
    """``person`` with ``changes``, checked as a whole; a bad value names its field."""
    data = dump(person)
    data.update(changes)
    return profile_from(data)


_PLAIN_MESSAGES = {
    "extra_forbidden": "unknown field (not allowed here)",
    # the shapes are dataclasses, and pydantic words these two for them in terms of Python
    "unexpected_keyword_argument": "unknown field (not allowed here)",
    "dataclass_type": "Input should be a valid dictionary (a mapping of fields)",
    "missing": "missing (required)",
}
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def _plain(problem: Any) -> str:
    message: str = _PLAIN_MESSAGES.get(problem["type"], problem["msg"])
    for prefix in _PYDANTIC_PREFIXES:
        message = message.removeprefix(prefix)
    return message


_UNKNOWN_FIELD = ("extra_forbidden", "unexpected_keyword_argument")


def _unknown_key(key: str, message: str) -> str:
    """An unknown key that only looks like a known one: a zero-width space or another
    invisible character pasted into it (from a web page, a chat) is named, since the person
    sees the right word and no reason it is refused."""
    char = _invisible(key)
    if char is None:
        return message
    return (f"unknown field: its name holds an invisible character, {_named(char)}: delete "
            "the key and type it again")


def _invisible_in_value(value: str, message: str) -> str:
    """A refused value that looks right ('j1' with a zero-width space after it): say why."""
    char = _invisible(value)
    if char is None:
        return message
    return (f"{message}; the value holds an invisible character, {_named(char)}: delete it "
            "and type the value again")


def _invisible(text: str) -> str | None:
    import unicodedata

    return next((char for char in text if not char.isprintable()
                 or (unicodedata.category(char) in ("Cf", "Zs") and char != " ")), None)


def _named(char: str) -> str:
    import unicodedata

    return f"U+{ord(char):04X} {unicodedata.name(char, 'a control character')}"


def located(exc: ValidationError, doc: YamlDocument, *, error: type[ImgplanError],
            place: Callable[[Loc], Loc] | None = None) -> ImgplanError:
    """The first problem pydantic found, as one line with its field path and line number."""
    problems = exc.errors(include_url=False)
    if not problems:
        return error(one_line(str(exc)), file=doc.path)
    first = problems[0]
    loc = tuple(first["loc"])
    kept, line = doc.place(place(loc) if place is not None else loc)
    message = _plain(first)
    if first["type"] in _UNKNOWN_FIELD and kept and isinstance(kept[-1], str):
        message = _unknown_key(kept[-1], message)
    elif isinstance(first.get("input"), str):
        message = _invisible_in_value(first["input"], message)
    more = len(problems) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return error(one_line(message), file=doc.path,
                 field=".".join(str(part) for part in kept) or None, line=line)
