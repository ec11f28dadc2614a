"""``@datatype``: a dataclass whose equality, repr and hash are written once, not per class.

``dataclasses.dataclass`` writes each method it adds as source text and compiles it when the
class is defined: ``__init__``, ``__repr__`` and ``__eq__`` for every class (and ``__hash__``
for a frozen one), about 0.15 ms each on a 2-vCPU machine. imgplan defines some 75 dataclasses
before it plans anything, so the compiler was an eighth of the instructions of ``imgplan
check`` (docs/performance.md, 2026-12-03). Here the standard library still makes each class
(its fields, ``__init__``, ``frozen``'s guard, ``kw_only``, ``__match_args__``), and the three
methods that are the same for every class are shared: they compare, show and hash the fields
``dataclasses.dataclass`` would (each field's ``compare`` and ``repr``), through one
``operator.attrgetter`` a class, which is as fast as the generated code.

What stays the standard library's: ``dataclasses.fields``, ``replace``, ``is_dataclass`` and
``asdict`` work on a datatype, Pydantic checks one as a dataclass, and type checkers know its
``__init__`` from ``dataclass_transform``.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    # typing.dataclass_transform is Python 3.11's; at run time it only marks the function
    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda function: function

T = TypeVar("T")


@overload
def datatype(cls: type[T], /) -> type[T]: ...
@overload
def datatype(*, frozen: bool = False, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(field_specifiers=(dataclasses.field,))
def datatype(cls: type[T] | None = None, /, *, frozen: bool = False,
             kw_only: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a dataclass with shared ``__eq__``, ``__repr__`` and (frozen) ``__hash__``."""

    def make(cls: type[T]) -> type[T]:
        made = dataclasses.dataclass(cls, frozen=frozen, kw_only=kw_only, eq=False, repr=False)
        _share_methods(made, frozen=frozen)
        return made

    return make if cls is None else make(cls)


def _share_methods(cls: type, *, frozen: bool) -> None:
    fields = dataclasses.fields(cls)
    compared = _getter(tuple(item.name for item in fields if item.compare))
    shown = tuple(item.name for item in fields if item.repr)
    own = vars(cls)
    # As dataclasses.dataclass does: a method the class writes itself is kept.
    if "__eq__" not in own:
        def __eq__(self: object, other: object) -> bool:
            if other.__class__ is self.__class__:
                return bool(compared(self) == compared(other))
            return NotImplemented

        type.__setattr__(cls, "__eq__", __eq__)
        if "__hash__" not in own:
            # equal by value: hashable only when frozen, as a dataclass with eq=True
            type.__setattr__(cls, "__hash__",
                             (lambda self: hash(compared(self))) if frozen else None)
    if "__repr__" not in own:
        @reprlib.recursive_repr()
        def __repr__(self: object) -> str:
            parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({parts})"

        type.__setattr__(cls, "__repr__", __repr__)


def _getter(names: tuple[str, ...]) -> Callable[[object], object]:
    """The compared fields of an object, as one tuple (for one field, its value: as good)."""
    if not names:
        return lambda _: ()
    return attrgetter(*names)
