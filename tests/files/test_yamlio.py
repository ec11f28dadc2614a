"""Reading the hand-edited YAML files: safe, bounded, and every refusal one line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from imgplan.core.errors import ImgplanError, ProfileError, RulesError
from imgplan.files.checking import located as validation_error
from imgplan.files.yamlio import (
    MAX_BYTES,
    MAX_DEPTH,
    YamlDocument,
    dump_yaml,
    load_yaml,
)

PLAN = """\
match_year: 2027
stages:
  - id: step1
    duration:
      typical: 26
  - id: step2
    weeks: [4, 6]
"""


def write(tmp_path: Path, content: str | bytes, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load(path: Path) -> YamlDocument:
    return load_yaml(path, error=RulesError, what="rules file")


def refused(path: Path) -> RulesError:
    with pytest.raises(RulesError) as caught:
        load(path)
    err = caught.value
    assert "\n" not in str(err)
    assert err.file == path
    return err


# --- reading ------------------------------------------------------------------------------


def test_load_gives_data_and_lines(tmp_path: Path) -> None:
    path = write(tmp_path, PLAN)
    doc = load(path)
    assert doc.path == path
    assert doc.data == {
        "match_year": 2027,
        "stages": [{"id": "step1", "duration": {"typical": 26}}, {"id": "step2", "weeks": [4, 6]}],
    }
    assert doc.line_of(()) == 1
    assert doc.line_of(("match_year",)) == 1
    assert doc.line_of(("stages",)) == 2
    assert doc.line_of(("stages", 0)) == 3
    assert doc.line_of(("stages", 0, "duration")) == 4
    assert doc.line_of(("stages", 0, "duration", "typical")) == 5
    assert doc.line_of(("stages", 1, "id")) == 6
    assert doc.line_of(("stages", 1, "weeks", 1)) == 7


def test_line_of_falls_back_to_the_deepest_ancestor(tmp_path: Path) -> None:
    doc = load(write(tmp_path, PLAN))
    assert doc.line_of(("stages", 0, "duration", "longest")) == 4
    assert doc.line_of(("stages", 1, "missing", "deeper")) == 6
    assert doc.line_of(("stages", 9)) == 2
    assert doc.line_of(("stages", -1)) == 2
    assert doc.line_of(("nowhere",)) == 1


@pytest.mark.parametrize(("text", "where", "lines"), [
    # a second block appended by hand: YAML would keep only the last, dropping the first's
    ("stages:\n  step1: {status: done}\nmatch_year: 2029\nstages:\n  oet: {status: done}\n",
     ":4:1:", "on lines 1 and 4"),
    ("a:\n  b: 1\n  c: 2\n  b: 3\n", ":4:3:", "on lines 2 and 4"),
    ("a: {x: 1, x: 2}\n", ":1:11:", "on line 1"),
    ("- {x: 1, x: 2}\n", ":1:10:", "on line 1"),
])
def test_a_key_given_twice_is_refused_naming_both_lines(
        tmp_path: Path, text: str, where: str, lines: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        load_yaml(path, error=ProfileError, what="profile")
    assert str(caught.value).startswith(f"{path}{where} the key ")
    assert f"is given twice, {lines}" in str(caught.value)


def test_the_same_text_as_two_kinds_of_key_is_two_keys(tmp_path: Path) -> None:
    # 2027 (a number) and "2027" (text) are different keys, as the data has them
    doc = load(write(tmp_path, "2027: a\n'2027': b\n"))
    assert doc.data == {2027: "a", "2027": "b"}


@pytest.mark.parametrize("text", ["a: 1\n~: x\n", "a: 1\nnull: x\n", "a: 1\nNULL: x\n"])
def test_a_null_key_is_refused_on_its_own_line(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        load_yaml(path, error=ProfileError, what="profile")
    assert str(caught.value).startswith(f"{path}:2:1: a key is null")


def test_a_number_too_long_for_python_is_refused_in_plain_words(tmp_path: Path) -> None:
    path = write(tmp_path, "match_year: " + "9" * 5000 + "\n")
    with pytest.raises(ProfileError) as caught:
        load_yaml(path, error=ProfileError, what="profile")
    message = str(caught.value)
    assert message.startswith(f"{path}:1:13: a number with more than 100 digits")
    assert "sys." not in message and "int_max_str_digits" not in message


def test_anchors_and_merge_keys_within_the_limit_work(tmp_path: Path) -> None:
    text = "base: &base {weeks: 4, hard: true}\nstep1:\n  <<: *base\n  weeks: 6\nstep2: *base\n"
    doc = load(write(tmp_path, text))
    assert doc.data["step1"] == {"weeks": 6, "hard": True}
    assert doc.data["step2"] == {"weeks": 4, "hard": True}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_document_is_none(tmp_path: Path, text: str) -> None:
    assert load(write(tmp_path, text)).data is None


def test_line_of_in_an_empty_file_is_none(tmp_path: Path) -> None:
    assert load(write(tmp_path, "")).line_of(("anything",)) is None


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert load(write(tmp_path, b"\xef\xbb\xbfname: S\xc3\xa3o Paulo\n")).data == {
        "name": "São Paulo"
    }


def test_dates_load_as_dates(tmp_path: Path) -> None:
    assert load(write(tmp_path, "when: 2026-03-15\n")).data == {"when": dt.date(2026, 3, 15)}


# --- YAML that is refused -----------------------------------------------------------------


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "name: x\nstages:\n  - id: a\n   bad: [1, 2\n"))
    assert err.message.startswith("YAML syntax error: ")
    assert (err.line, err.column) == (4, 4)
    assert str(err).startswith(f"{tmp_path / 'rules.yaml'}:4:4: YAML syntax error: ")


def test_unclosed_flow_sequence(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "a: 1\nb: [1,\n c: 2\n"))
    # libyaml and PyYAML word this differently; both name the missing bracket.
    assert err.message.startswith("YAML syntax error: ")
    assert "']'" in err.message
    assert err.line is not None and err.line >= 3


def test_second_document_is_refused(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "a: 1\n---\nb: 2\n"))
    assert "single document" in err.message
    assert err.line == 2


def test_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    target = tmp_path / "made-by-yaml"
    payload = f"stages: !!python/object/apply:os.mkdir [{str(target)!r}]\n"
    err = refused(write(tmp_path, payload))
    assert err.message == "YAML tag '!!python/object/apply:os.mkdir' is not allowed"
    assert (err.line, err.column) == (1, 9)
    assert not target.exists()
    # The same text is live under an unsafe loader: the test above proves something.
    yaml.unsafe_load(payload)
    assert target.is_dir()


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("x: !!python/name:os.system\n", "!!python/name:os.system"),
        (
            "x: !!python/object:collections.OrderedDict {}\n",
            "!!python/object:collections.OrderedDict",
        ),
        ("x: !custom value\n", "!custom"),
    ],
)
def test_other_unknown_tags_are_refused(tmp_path: Path, text: str, tag: str) -> None:
    assert refused(write(tmp_path, text)).message == f"YAML tag '{tag}' is not allowed"


def test_billion_laughs_is_refused_before_expanding(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    # refused while composing, before anything is expanded (no timing: machines are noisy)
    err = refused(write(tmp_path, "\n".join(lines) + "\n"))
    assert err.message == "uses more than 50 YAML aliases"
    assert err.line == 7


def test_doubling_within_fifty_aliases_is_refused_by_size(tmp_path: Path) -> None:
    # 24 levels of two aliases each: 48 aliases, but over 30 million values once expanded.
    lines = ["l0: &l0 [lol, lol]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 25)]
    # refused while composing, before anything is expanded (no timing: machines are noisy)
    err = refused(write(tmp_path, "\n".join(lines) + "\n"))
    assert "values through YAML aliases" in err.message


def aliases(count: int) -> str:
    return "base: &b {weeks: 4}\nuses: [" + ", ".join(["*b"] * count) + "]\n"


def test_fifty_aliases_are_fine(tmp_path: Path) -> None:
    assert load(write(tmp_path, aliases(50))).data["uses"] == [{"weeks": 4}] * 50


def test_fifty_one_aliases_are_refused(tmp_path: Path) -> None:
    err = refused(write(tmp_path, aliases(51)))
    assert err.message == "uses more than 50 YAML aliases"
    assert err.line == 2


def test_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    assert "inside its own anchor" in refused(write(tmp_path, "loop: &x [1, *x]\n")).message


def test_nesting_is_bounded_without_crashing(tmp_path: Path) -> None:
    deep_ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load(write(tmp_path, deep_ok)).data is not None
    too_deep = MAX_DEPTH + 50
    err = refused(write(tmp_path, "a:\n  b: " + "[" * too_deep + "]" * too_deep))
    assert err.message == f"nests deeper than {MAX_DEPTH} levels"
    assert err.line == 2
    # libyaml's own composer overflows the C stack on this (a crash, not an exception). Newer
    # PyYAML releases bound nesting themselves and may refuse it first, in their own words:
    # what imgplan promises is one located line, whichever limit fires.
    err = refused(write(tmp_path, "[" * 200_000))
    assert err.line == 1


def test_impossible_date_is_refused_with_its_line(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "a: 1\nwhen: 2026-02-30\n"))
    assert err.message.startswith("YAML value error: ")  # then Python's own words
    assert (err.line, err.column) == (2, 7)


def test_control_character_is_refused_with_its_place(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "a: 1\nname: Jo\x1bse\n"))
    assert err.message == "YAML syntax error: control character U+001B is not allowed"
    assert (err.line, err.column) == (2, 9)


# --- files that are refused ---------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "absent.yaml").message == "no such file"


def test_folder(tmp_path: Path) -> None:
    assert refused(tmp_path).message == "is a folder, not a file"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "a: 1\n")

    # Tests may run as root, who can read a mode-000 file, so the refusal is simulated.
    def deny(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    assert refused(path).message == "cannot be read: permission denied"


def test_binary_file(tmp_path: Path) -> None:
    err = refused(write(tmp_path, b"PK\x03\x04\x00\x00binary"))
    assert err.message == "is not a text file"
    assert str(err).endswith("is not a text file (a rules file is UTF-8 text)")


def test_utf16_file_is_not_text(tmp_path: Path) -> None:
    assert refused(write(tmp_path, "a: 1\n".encode("utf-16"))).message == "is not a text file"


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "a: 1\ncity: S\xe3o Paulo\n".encode("latin-1")))
    assert err.message == "is not a text file"
    assert err.line == 2


def test_file_over_one_mebibyte(tmp_path: Path) -> None:
    err = refused(write(tmp_path, b"#" * (MAX_BYTES + 1)))
    assert err.message == "is larger than 1 MiB; this is not a rules file"


def test_file_of_exactly_one_mebibyte_is_read(tmp_path: Path) -> None:
    assert load(write(tmp_path, b"#" * MAX_BYTES)).data is None


def test_error_class_and_noun_come_from_the_caller(tmp_path: Path) -> None:
    path = write(tmp_path, b"#" * (MAX_BYTES + 1), name="profile.yaml")
    with pytest.raises(ProfileError, match=r"this is not a profile$"):
        load_yaml(path, error=ProfileError, what="profile")


# --- pydantic problems --------------------------------------------------------------------


class Duration(BaseModel):
    model_config = ConfigDict(extra="forbid")
    typical: int
    longest: int = 0


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    duration: Duration | None = None
    weeks: list[int] = []


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match_year: int
    stages: list[Stage]


def problem(doc: YamlDocument, model: type[BaseModel]) -> ImgplanError:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(doc.data)
    err = validation_error(caught.value, doc, error=RulesError)
    assert isinstance(err, RulesError)
    assert err.file == doc.path
    assert "\n" not in str(err)
    return err


def test_extra_field(tmp_path: Path) -> None:
    doc = load(write(tmp_path, PLAN.replace("typical: 26", "typical: 26\n      usual: 3")))
    err = problem(doc, Plan)
    assert (err.field, err.line) == ("stages.0.duration.usual", 6)
    assert err.message == "unknown field (not allowed here)"
    assert str(err) == f"{doc.path}:6: stages.0.duration.usual: unknown field (not allowed here)"


def test_missing_field_points_at_its_parent(tmp_path: Path) -> None:
    doc = load(write(tmp_path, PLAN.replace("typical: 26", "longest: 30")))
    err = problem(doc, Plan)
    assert (err.field, err.line, err.message) == (
        "stages.0.duration.typical",
        4,
        "missing (required)",
    )


def test_wrong_type_in_a_list_item(tmp_path: Path) -> None:
    doc = load(write(tmp_path, PLAN.replace("[4, 6]", "[4,\n      six]")))
    err = problem(doc, Plan)
    assert (err.field, err.line) == ("stages.1.weeks.1", 8)
    assert err.message  # Pydantic's own words follow the field and line


def test_further_problems_are_counted(tmp_path: Path) -> None:
    text = "stages:\n  - id: a\n    colour: red\n  - weeks: [x]\n"
    err = problem(load(write(tmp_path, text)), Plan)
    # match_year missing, colour unknown, id missing, weeks.0 not a number.
    assert err.field == "match_year"
    assert err.line == 1
    assert err.message == "missing (required) (and 3 more problems)"


def test_one_further_problem_is_singular(tmp_path: Path) -> None:
    err = problem(load(write(tmp_path, "stages: []\nextra: 1\n")), Plan)
    assert err.message == "missing (required) (and 1 more problem)"


class Exam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["exam"]
    name: str


class Visa(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["visa"]
    weeks: int

    @field_validator("weeks")
    @classmethod
    def positive(cls, weeks: int) -> int:
        if weeks <= 0:
            raise ValueError("must be more than 0\nweeks")
        return weeks


class Pathway(BaseModel):
    steps: dict[str, Annotated[Exam | Visa, Field(discriminator="kind")]]
    extras: list[Exam | Visa] = []


def test_union_tags_are_dropped_and_user_keys_kept(tmp_path: Path) -> None:
    text = "steps:\n  usmle:\n    kind: exam\n    nme: Step 1\n"
    err = problem(load(write(tmp_path, text)), Pathway)
    # pydantic's loc is ('steps', 'usmle', 'exam', 'name'): 'exam' is the union's tag.
    assert (err.field, err.line) == ("steps.usmle.name", 2)
    assert err.message.startswith("missing (required) (and 1 more problem")


def test_plain_union_member_names_are_dropped(tmp_path: Path) -> None:
    text = "steps: {}\nextras:\n  - kind: visa\n    weeks: x\n"
    err = problem(load(write(tmp_path, text)), Pathway)
    assert err.field == "extras.0.kind"  # loc ('extras', 0, 'Exam', 'kind')
    assert err.line == 3


def test_value_error_message_is_plain_and_one_line(tmp_path: Path) -> None:
    text = "steps:\n  h1b:\n    kind: visa\n    weeks: 0\n"
    err = problem(load(write(tmp_path, text)), Pathway)
    assert (err.field, err.line) == ("steps.h1b.weeks", 4)
    assert err.message == "must be more than 0 weeks"


# --- writing ------------------------------------------------------------------------------


def test_dump_round_trips_dates_as_plain_scalars(tmp_path: Path) -> None:
    data = {
        "name": "Ana",
        "city": "São Paulo",
        "exams": [{"id": "step1", "taken": dt.date(2026, 3, 15), "score": None}],
        "target": {"match_year": 2027, "ready": True},
    }
    text = dump_yaml(data)
    assert "taken: 2026-03-15\n" in text
    assert "São Paulo" in text
    assert "{" not in text and "[" not in text
    assert list(load(write(tmp_path, text)).data) == ["name", "city", "exams", "target"]
    assert load(write(tmp_path, text)).data == data


def test_import_does_not_load_pydantic() -> None:
    code = "import sys, imgplan.files.yamlio; print('pydantic' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
