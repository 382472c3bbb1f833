"""The package's shape: scripts/check_structure.py on the real tree and on small planted ones, and mypy."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check_structure.py"

_spec = importlib.util.spec_from_file_location("check_structure", SCRIPT)
assert _spec and _spec.loader
check_structure = importlib.util.module_from_spec(_spec)
sys.modules["check_structure"] = check_structure  # dataclasses look their module up by name
_spec.loader.exec_module(check_structure)

ONE_LINE = '"""Own one thing."""\n'


def plant(tmp_path: Path, files: dict[str, str]) -> Path:
    """Write a package `pkg` with the given files (an __init__.py unless one is given)."""
    package = tmp_path / "pkg"
    for name, text in {"__init__.py": ONE_LINE, **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def findings(package: Path) -> list[str]:
    return [f"{Path(f.path).relative_to(package.parent).as_posix()}:{f.line}: {f.message}"
            for f in check_structure.check(package)]


def test_the_tree_is_clean() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout == ""
    assert result.returncode == 0


def test_a_clean_planted_tree_passes(tmp_path: Path) -> None:
    package = plant(tmp_path, {"a.py": ONE_LINE + "from . import b\n", "b.py": ONE_LINE + "import os\n",
                               "hub/__init__.py": ONE_LINE, "hub/x.py": ONE_LINE + "from ..a import b\n"})
    assert findings(package) == []
    assert check_structure.main([str(package)]) == 0


@pytest.mark.parametrize("how, line", [
    ("import pkg.b", 2),
    ("from . import b", 2),
    ("from .b import thing", 2),
    ("def f():\n    from .b import thing\n", 3),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import thing\n", 4),
])
def test_an_import_circle_is_found(tmp_path: Path, how: str, line: int) -> None:
    package = plant(tmp_path, {"a.py": ONE_LINE + how + "\n", "b.py": ONE_LINE + "from .a import x\n"})
    [only] = findings(package)
    assert only.startswith(f"pkg/a.py:{line}: import circle pkg.a -> pkg.b -> pkg.a; expected no circle")
    assert check_structure.main([str(package)]) == 1


def test_a_circle_through_a_wing_is_found(tmp_path: Path) -> None:
    package = plant(tmp_path, {"hub/__init__.py": ONE_LINE, "hub/x.py": ONE_LINE + "from ..c import y\n",
                               "c.py": ONE_LINE + "from .hub.x import z\n"})
    [only] = findings(package)
    assert only.startswith("pkg/c.py:2: import circle pkg.c -> pkg.hub.x -> pkg.c")


def test_a_long_module_is_found(tmp_path: Path) -> None:
    package = plant(tmp_path, {"long.py": ONE_LINE + "x = 1\n" * 300})
    assert findings(package) == ["pkg/long.py:1: module has 301 lines; expected at most 300 "
                                 "(split it by concept)"]


def test_a_long_function_is_found(tmp_path: Path) -> None:
    body = "    x = 1\n" * 59
    package = plant(tmp_path, {"f.py": ONE_LINE + "def fits():\n" + body + "\n\nclass C:\n"
                               "    def long(self):\n" + "    " + body.replace("\n", "\n    ").rstrip() + "\n"
                               "        return x\n"})
    assert findings(package) == ["pkg/f.py:65: function long has 61 lines; expected at most 60"]


@pytest.mark.parametrize("text, expected", [
    ("x = 1\n", "pkg/m.py:1: no module docstring; expected a one-line docstring on line 1"),
    ('"""Two\nlines."""\n', "pkg/m.py:1: the docstring has 2 lines; expected exactly one line"),
    ('"""One line.\n"""\n', "pkg/m.py:1: the docstring has 2 lines; expected exactly one line"),
    ('\n"""Late."""\n', "pkg/m.py:2: the docstring starts on line 2; expected it on line 1"),
    ('""" """\n', "pkg/m.py:1: the docstring is empty"),
    ("# a comment first\n", "pkg/m.py:1: no module docstring"),
])
def test_a_docstring_not_of_one_line_is_found(tmp_path: Path, text: str, expected: str) -> None:
    [only] = findings(plant(tmp_path, {"m.py": text}))
    assert only.startswith(expected)


@pytest.mark.parametrize("call", [
    "open(p)", "p.read_text()", "p.read_bytes()", "Image.open(p)", "os.open(p, 0)",
    "open_file(p)", "os.listdir(p)", "os.walk(p)", "p.iterdir()", "p.rglob('*')",
])
@pytest.mark.parametrize("where", ["resolve.py", "render.py", "aggregate.py", "hub/x.py",
                                   "widgets/x.py", "markdown/x.py"])
def test_a_file_read_in_resolve_or_render_is_found(tmp_path: Path, call: str, where: str) -> None:
    files = {where: ONE_LINE + f"def f(p):\n    return {call}\n"}
    if "/" in where:
        files[where.split("/")[0] + "/__init__.py"] = ONE_LINE
    [only] = findings(plant(tmp_path, files))
    assert only.startswith(f"pkg/{where}:3: ")
    assert "reads a file in the resolve/render stage; expected file access only in load/" in only


@pytest.mark.parametrize("where", ["assets.py", "theme.py", "load/x.py", "data/__init__.py", "write.py"])
def test_a_file_read_elsewhere_is_fine(tmp_path: Path, where: str) -> None:
    files = {where: ONE_LINE + "def f(p):\n    return open(p).read() + p.read_text()\n"}
    if "/" in where:
        files.setdefault(where.split("/")[0] + "/__init__.py", ONE_LINE)
    assert findings(plant(tmp_path, files)) == []


def test_bytes_in_memory_and_ast_walk_are_not_reads(tmp_path: Path) -> None:
    package = plant(tmp_path, {"render.py": ONE_LINE + "import ast, io\nfrom PIL import Image\n"
                               "def f(data, tree):\n    list(ast.walk(tree))\n"
                               "    return Image.open(io.BytesIO(data))\n"})
    assert findings(package) == []


def test_the_script_prints_path_line_and_exits_1(tmp_path: Path) -> None:
    package = plant(tmp_path, {"m.py": "x = 1\n"})
    result = subprocess.run([sys.executable, str(SCRIPT), str(package)], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout.startswith("pkg/m.py:1: no module docstring; expected")


def test_mypy_passes() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy", "sitegen"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wheel_lists_every_package_folder() -> None:
    """pyproject lists packages by name: a new wing missing there installs a sitegen that
    cannot import itself (the tests, run from the checkout, would not notice)."""
    import tomllib
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "sitegen").rglob("*")
               if p.is_dir() and p.name != "__pycache__"} | {"sitegen"}
    themes = {"sitegen." + ".".join(p.relative_to(ROOT).parts) for p in [ROOT / "themes", *(ROOT / "themes").rglob("*")]
              if p.is_dir() and p.name != "__pycache__"}
    assert folders | themes == listed
