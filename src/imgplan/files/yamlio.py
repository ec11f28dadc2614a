"""The one place imgplan reads and writes YAML: the rules file and the person's profile.

Both files are edited by hand, so reading them is defensive: only PyYAML's safe loader, a size
cap, a cap on aliases (and on what they expand to) and on nesting, and every failure becomes
one ``ImgplanError`` line naming the file, the field and the line.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from imgplan import MAX_FILE_BYTES
from imgplan.core.datatype import datatype
from imgplan.core.errors import ImgplanError
from imgplan.files.reading import one_line, read_bounded

if TYPE_CHECKING:
    # The C class shares the Python class's interface but not its base classes; type
    # against the Python one.
    _LoaderBase = yaml.SafeLoader
else:
    _LoaderBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["YamlDocument", "dump_yaml", "load_yaml", "parse_yaml"]

MAX_BYTES = MAX_FILE_BYTES
MAX_ALIASES = 50
# Fifty aliases can still nest into millions of values (25 levels of two each), so the
# expanded size is bounded too; a real 1 MiB file holds well under a million values.
MAX_VALUES = 1_000_000
# libyaml's own composer recurses in C and crashes the interpreter on a few thousand nested
# brackets; ours stops long before that, and before Python's recursion limit.
MAX_DEPTH = 100

_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_MERGE_TAG = _YAML_TAG_PREFIX + "merge"
_NULL_TAG = _YAML_TAG_PREFIX + "null"
_INT_TAG = _YAML_TAG_PREFIX + "int"
# Python reads at most 4,300 digits (and says so in its own terms); no field holds a tenth
MAX_DIGITS = 100
# What the YAML reader refuses anyway; found here first so the message gives a line on both
# the C and the Python reader.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class _Refusal(Exception):
    """Raised inside the loader; ``load_yaml`` adds the file and the error class."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _PythonComposer(Composer):
    """Puts PyYAML's Python composer ahead of libyaml's C one in ``_Loader``'s bases.

    The C composer cannot be bounded from outside (and crashes the interpreter on deep
    nesting); over libyaml's events the Python one costs little and can count as it goes.
    """


class _Loader(_PythonComposer, _LoaderBase):
    """The safe loader, refusing before construction what could run away or run code."""

    def __init__(self, stream: str) -> None:
        _LoaderBase.__init__(self, stream)
        # The C loader's __init__ does not set up the Python composer.
        Composer.__init__(self)
        self._aliases = 0
        self._depth = 0
        # Expanded size of each composed node, by id(): the nodes live as long as the loader.
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self._next_event()
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refusal(f"uses more than {MAX_ALIASES} YAML aliases", event.start_mark)
            target = super().compose_node(parent, index)
            if id(target) not in self._sizes:
                # An alias inside its own anchor makes a loop that nothing downstream expects.
                raise _Refusal(
                    f"YAML alias '*{event.anchor}' is inside its own anchor", event.start_mark
                )
            return target

        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self._next_event().start_mark
                raise _Refusal(f"nests deeper than {MAX_DEPTH} levels", mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is None:  # only in the type: the parser always hands the composer a node here
            return None

        if not self._can_construct(node.tag):
            raise _Refusal(f"YAML tag '{_short_tag(node.tag)}' is not allowed", node.start_mark)
        if isinstance(node, MappingNode):
            _check_keys(node)
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._sizes[id(item)] for item in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        if size > MAX_VALUES:
            raise _Refusal(
                f"expands to more than {MAX_VALUES} values through YAML aliases", node.start_mark
            )
        self._sizes[id(node)] = size
        return node

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if node.tag == _INT_TAG and isinstance(value, str) and len(value) > MAX_DIGITS:
            # Python refuses to read such a number and words it for programmers
            raise _Refusal(f"a number with more than {MAX_DIGITS} digits", node.start_mark)
        return value

    def _next_event(self) -> Any:
        return self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML

    def _can_construct(self, tag: str) -> bool:
        if tag == _MERGE_TAG:  # "<<" keys are folded in by the mapping's constructor
            return True
        return tag in self.yaml_constructors or any(
            prefix is not None and tag.startswith(prefix) for prefix in self.yaml_multi_constructors
        )

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except ValueError as exc:
            # A well-formed scalar with an impossible value, such as the date 2026-02-30.
            raise _Refusal(f"YAML value error: {exc}", node.start_mark) from exc


@datatype(frozen=True)
class YamlDocument:
    """A loaded YAML file: its Python value, and the line of every part of it."""

    path: Path
    data: Any
    root: Node | None = field(default=None, repr=False, compare=False)

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """The 1-based line of the value at ``loc``, or of its deepest ancestor in the file.

        A mapping entry is placed on its key's line, a list item on its first line.
        """
        return self._walk(loc, skip_unknown=False)[1]

    def has(self, loc: tuple[str | int, ...]) -> bool:
        """Whether every part of ``loc`` is in the file."""
        node = self.root
        for part in loc:
            found = _child(node, part) if node is not None else None
            if found is None:
                return False
            node = found[1]
        return True

    def place(self, loc: tuple[str | int, ...]) -> tuple[list[str | int], int | None]:
        """A checker's location as the person's keys (the parts not in the file dropped:
        union member names, discriminator tags, validator labels), and its line."""
        return self._walk(loc, skip_unknown=True)

    def _walk(
        self, loc: tuple[str | int, ...], *, skip_unknown: bool
    ) -> tuple[list[str | int], int | None]:
        # skip_unknown drops the parts of a pydantic location that are not in the file (union
        # member names, discriminator tags, validator labels) and keeps the person's keys.
        if self.root is None:
            return list(loc), None
        node: Node | None = self.root
        line: int | None = self.root.start_mark.line + 1
        kept: list[str | int] = []
        for position, part in enumerate(loc):
            found = _child(node, part) if node is not None else None
            if found is not None:
                kept.append(part)
                line, node = found
                continue
            is_last = position == len(loc) - 1
            if skip_unknown and isinstance(part, str) and (not is_last or "[" in part):
                continue
            kept.append(part)
            node = None
        return kept, line


def _child(node: Node, part: str | int) -> tuple[int, Node] | None:
    if isinstance(node, MappingNode):
        for key, value in reversed(node.value):
            if isinstance(key, ScalarNode) and key.value == str(part):
                return key.start_mark.line + 1, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item: Node = node.value[part]
        return item.start_mark.line + 1, item
    return None


def _check_keys(node: MappingNode) -> None:
    """Refuse a key given twice, or a null key, in one mapping.

    YAML says keys are unique, but PyYAML keeps the last of two silently: a second ``stages:``
    block appended by hand would drop the first one's records, and the next save would lose
    them for good. A ``~:`` key (null) is no field at all, and would be reported elsewhere.
    """
    seen: dict[tuple[str, str], int] = {}
    for key, _value in node.value:
        if not isinstance(key, ScalarNode) or key.tag == _MERGE_TAG:
            continue
        line = key.start_mark.line + 1
        if key.tag == _NULL_TAG:
            raise _Refusal("a key is null (~, null or nothing before the colon): give the "
                           "field's name", key.start_mark)
        first = seen.get((key.tag, key.value))
        if first is None:
            seen[(key.tag, key.value)] = line
        else:
            where = f"on line {line}" if first == line else f"on lines {first} and {line}"
            raise _Refusal(f"the key '{key.value}' is given twice, {where}: keep one (YAML "
                           "would keep only the last, dropping what is under the first)",
                           key.start_mark)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG_PREFIX) :] if tag.startswith(_YAML_TAG_PREFIX) else tag


def _read_text(path: Path, *, error: type[ImgplanError], what: str) -> str:
    raw = read_bounded(path, error=error, max_bytes=MAX_BYTES)
    if len(raw) > MAX_BYTES:
        raise error(f"is larger than 1 MiB; this is not a {what}", file=path)
    hint = f"a {what} is UTF-8 text"
    if b"\0" in raw:
        raise error("is not a text file", file=path, hint=hint)
    try:
        # utf-8-sig: editors on Windows may start the file with a byte-order mark.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error("is not a text file", file=path, line=line, hint=hint) from None


def load_yaml(path: Path, *, error: type[ImgplanError], what: str) -> YamlDocument:
    """Read ``path`` with the safe loader; refuse anything unusual with one ``error`` line.

    ``what`` names the file for people ("rules file", "profile"). An empty document gives
    ``data`` None; the caller decides whether that is an error.
    """
    return parse_yaml(_read_text(path, error=error, what=what), path=path, error=error)


def parse_yaml(text: str, *, path: Path, error: type[ImgplanError]) -> YamlDocument:
    """``text`` (read from ``path``, or about to be written there) read as ``load_yaml``
    reads a file."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        start = bad.start()
        raise error(
            f"YAML syntax error: control character U+{ord(bad.group()):04X} is not allowed",
            file=path,
            line=text.count("\n", 0, start) + 1,
            column=start - (text.rfind("\n", 0, start) + 1) + 1,
        )

    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    except _Refusal as exc:
        line, column = _position(exc.mark)
        raise error(exc.message, file=path, line=line, column=column) from None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path, error) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML error: {one_line(str(exc))}", file=path) from None
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, root=root)


def _position(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _yaml_error(exc: yaml.MarkedYAMLError, path: Path, error: type[ImgplanError]) -> ImgplanError:
    problem = exc.problem or exc.context or "cannot be parsed"
    # PyYAML splits a few messages between context and problem; put them back together.
    if exc.context and problem.startswith("but "):
        problem = f"{exc.context}, {problem}"  # expected a single document, but found another
    elif exc.context and problem == "second occurrence":
        problem = exc.context.partition(";")[0]  # found duplicate anchor 'x'
    kind = (
        "YAML value error"
        if isinstance(exc, yaml.constructor.ConstructorError)
        else "YAML syntax error"
    )
    mark = exc.problem_mark if exc.problem_mark is not None else exc.context_mark
    line, column = _position(mark)
    return error(f"{kind}: {one_line(problem)}", file=path, line=line, column=column)


class _PlainDumper(yaml.SafeDumper):
    """Writes every value where it is: a date used twice (a period's end and the stage it
    completes) is not written once as ``&id001`` and then ``*id001``, which a person editing
    one of them by hand would change in both places.

    PyYAML's Python emitter, not libyaml's: libyaml writes every character beyond the Basic
    Multilingual Plane (an emoji in a name) as an escape, ``"\\U0001F600"``; writing is rare
    (a save) and small, so the C emitter's speed is not needed."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """``data`` as block-style YAML a person can edit; dates stay plain ``2026-03-15``."""
    text: str = yaml.dump(
        data,
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
    return text
