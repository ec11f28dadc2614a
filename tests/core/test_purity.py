"""The folders say what may touch what, and these tests hold them to it.

``core/`` is pure: the standard library, python-dateutil and itself, and no clock (and, for
the type checker only, ``typing_extensions``: under ``if TYPE_CHECKING``, never run). Only
``files/`` imports Pydantic or YAML. Nothing puts a module into ``sys.modules`` by hand.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "imgplan"
CLOCK = {"today", "now", "utcnow", "time", "monotonic", "perf_counter"}


def modules(folder: str = "") -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def imports(path: Path, *, at_run_time: bool = False) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function; ``at_run_time``: not
    those imported only under ``if TYPE_CHECKING:`` (for the type checker, never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = {id(inner) for node in ast.walk(tree)
               if at_run_time and isinstance(node, ast.If) and isinstance(node.test, ast.Name)
               and node.test.id == "TYPE_CHECKING" for inner in node.body}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.name)
def test_core_imports_only_the_standard_library_dateutil_and_itself(path: Path) -> None:
    for_typing = imports(path) - imports(path, at_run_time=True)
    for name in imports(path):
        top = name.split(".")[0]
        allowed = (top in sys.stdlib_module_names or top == "dateutil"
                   or name == "imgplan" or name.startswith("imgplan.core")
                   or (name == "typing_extensions" and name in for_typing))
        assert allowed, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.name)
def test_core_reads_no_clock(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK, f"{path.name}:{node.lineno} reads the clock"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_files_folder_imports_pydantic_or_yaml(path: Path) -> None:
    if path.parent.name == "files":
        return
    heavy = {name for name in imports(path) if name.split(".")[0] in ("pydantic",
                                                                      "pydantic_core", "yaml")}
    assert not heavy, f"{path.relative_to(PACKAGE)} imports {heavy}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_is_put_into_sys_modules_by_hand(path: Path) -> None:
    assert "sys.modules[" not in path.read_text(encoding="utf-8"), path.name


def test_render_imports_only_core_and_itself() -> None:
    for path in modules("render"):
        for name in imports(path):
            if name.startswith("imgplan"):
                assert name == "imgplan" or name.startswith(("imgplan.core", "imgplan.render")), \
                    f"{path.name} imports {name}"
