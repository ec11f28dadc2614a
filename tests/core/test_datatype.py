"""``@datatype`` behaves as ``@dataclass`` does: equality, repr, hashing, the field options."""

from __future__ import annotations

import dataclasses
from dataclasses import field

import pytest

from imgplan.core.datatype import datatype


def both(**options: bool) -> tuple[type, type]:
    """The same class made by ``dataclasses.dataclass`` and by ``datatype``."""

    def body() -> type:
        class Sitting:
            """A sample class."""

            stage: str
            score: int | None = None
            notes: tuple[str, ...] | list[str] = ()
            hidden: str = field(default="", repr=False, compare=False)

        return Sitting

    return dataclasses.dataclass(**options)(body()), datatype(**options)(body())


def hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"kw_only": True}])
def test_a_datatype_compares_shows_and_hashes_as_a_dataclass(options: dict[str, bool]) -> None:
    standard, shared = both(**options)
    for args in [{"stage": "step1"}, {"stage": "step2ck", "score": 250, "notes": ["a"]},
                 {"stage": "oet", "hidden": "x"}]:
        a, b = standard(**args), shared(**args)
        assert repr(a) == repr(b)
        assert shared(**args) == b
        assert (b == shared(**{**args, "hidden": "other"})) is True  # compare=False
        assert b != shared(**{**args, "score": 1})
        assert b != a  # another class, as two dataclasses of one shape are
        # hashable as the dataclass is: frozen, and every compared field hashable
        assert hashable(b) == hashable(a)
        assert hashable(b) == (bool(options.get("frozen")) and not args.get("notes"))


def test_a_frozen_datatype_is_frozen_and_hashes_by_value() -> None:
    _, shared = both(frozen=True)
    one, same = shared("step1", 240, ()), shared("step1", 240, (), "ignored")
    assert hash(one) == hash(same) and {one: 1}[same] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.score = 1  # type: ignore[misc]


def test_a_datatype_is_a_dataclass_to_the_standard_library() -> None:
    _, shared = both()
    item = shared("step1", 240)
    assert dataclasses.is_dataclass(item)
    assert [f.name for f in dataclasses.fields(item)] == ["stage", "score", "notes", "hidden"]
    assert dataclasses.replace(item, score=250) == shared("step1", 250)
    assert dataclasses.asdict(item) == {"stage": "step1", "score": 240, "notes": (),
                                        "hidden": ""}


def test_a_method_the_class_writes_is_kept() -> None:
    @datatype
    class Pass:
        """Equal to every other pass."""

        stage: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Pass)

        def __repr__(self) -> str:
            return "a pass"

    assert Pass("step1") == Pass("step2ck")
    assert repr(Pass("step1")) == "a pass"

    @datatype
    class Counted:
        """Hashed by its own rule, compared by its fields."""

        stage: str

        def __hash__(self) -> int:
            return 7

    assert hash(Counted("step1")) == 7  # as @dataclass keeps a __hash__ the class writes
    assert Counted("step1") == Counted("step1") and Counted("step1") != Counted("oet")


def test_a_datatype_with_no_compared_field_equals_its_kind() -> None:
    @datatype(frozen=True)
    class Nothing:
        """No fields at all."""

    assert Nothing() == Nothing() and hash(Nothing()) == hash(Nothing())
    assert repr(Nothing()).endswith("Nothing()")


def test_a_datatype_that_holds_itself_shows_without_recursing() -> None:
    @datatype
    class Node:
        """A node that may point at itself."""

        name: str
        next: object = None

    node = Node("a")
    node.next = node
    assert repr(node).endswith("Node(name='a', next=...)")
