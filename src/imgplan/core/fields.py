"""What a field of a file's shape must satisfy, written into its annotation.

The shapes of the rules, the profile and the specialties are plain dataclasses, so that
planning never needs a checking library. Their limits are markers in ``Annotated``:
``Annotated[int, Limits(ge=1)]``. These markers only hold what they require; the one module
that checks files (``imgplan.files.checking``) teaches Pydantic to read them, and
docs/generate.py reads the same attributes for docs/rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from imgplan.core.duration import Duration


class Limits:
    """Bounds of a number, a text's length or pattern, or a list's length."""

    __slots__ = ("ge", "le", "max_length", "min_length", "pattern")

    def __init__(self, *, ge: int | None = None, le: int | None = None,
                 min_length: int | None = None, max_length: int | None = None,
                 pattern: str | None = None) -> None:
        self.ge, self.le, self.pattern = ge, le, pattern
        self.min_length, self.max_length = min_length, max_length

    def given(self) -> dict[str, Any]:
        """The limits that are set, by name."""
        return {name: getattr(self, name) for name in self.__slots__
                if getattr(self, name) is not None}


class Written:
    """A value the file writes as text: ``parse`` reads it, ``str`` writes it back."""

    __slots__ = ("parse",)

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        self.parse = parse


class AfterCheck:
    """A check run once the value has its type; it raises ValueError with the reason."""

    __slots__ = ("check",)

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check


def about(text: str) -> dict[str, str]:
    """A field's meaning, kept with it for docs/rules.md."""
    return {"about": text}


def _to_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{value!r} is not a duration: write e.g. 6m, 4w, 16bd or 10d")
    return Duration.parse(str(value))


DurationField = Annotated[Duration, Written(_to_duration)]
Text = Annotated[str, Limits(min_length=1)]

# A name a person types (their own, a letter writer's, a program's, a place): long enough for
# any real one. Found by the fault review: a writer's name pasted a thousand times made a
# profile over the 1 MiB that imgplan reads. A heuristic bound.
MAX_NAME_CHARS = 300
# Control characters (an escape sequence would recolour or rewrite the terminal each time the
# name is shown) and the bidirectional overrides that make text read other than it is stored.
# Joiners stay allowed: names in Persian and many emoji need them.
# One pattern, searched in C: a cohort's every cell is checked (issue 15's budget).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unshowable(value: str) -> str | None:
    """What is wrong with ``value`` as a name ("holds a control character (U+001B), ..."),
    if anything."""
    found = _UNSHOWABLE.search(value)
    if found is None:
        return None
    return (f"holds a control character (U+{ord(found.group()):04X}), which cannot be shown: "
            "type it again without it")


def _plain_name(value: str) -> str:
    problem = unshowable(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Name = Annotated[str, Limits(min_length=1, max_length=MAX_NAME_CHARS), AfterCheck(_plain_name)]
Id = Annotated[str, Limits(pattern=r"^[a-z][a-z0-9_]*$")]
