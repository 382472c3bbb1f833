"""Check the shape of the sitegen package: import circles, sizes, docstrings, file reads.

Run from the repository root::

    python scripts/check_structure.py            # checks ./sitegen
    python scripts/check_structure.py PACKAGE    # checks another package folder

Prints one `path:line: what is wrong, what was expected` per finding and exits 1 when there
is any, 0 when the package is clean. Standard library only: it reads the source with `ast`
and imports nothing it checks.
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60

# The resolve and render stages (DESIGN.md, "The pipeline"): they decide and display, and
# read no file. Paths are relative to the package folder; a folder covers all inside it.
NO_FILE_READS = ("resolve.py", "render.py", "aggregate.py", "social.py",
                 "hub/", "widgets/", "markdown/")
# What may read inside those stages, by design, lives elsewhere: the asset resolver
# (assets.py with media.py), the theme loader (theme.py with sandbox.py) and the data tables
# (data/__init__.py). None of them is in the list above, so none needs an exception here.

# Calls that read a file or a folder, by the name called (`open(...)`, `x.open(...)`).
READ_NAMES = frozenset({"open", "open_file", "fdopen", "read_text", "read_bytes",
                        "iterdir", "glob", "rglob", "listdir", "scandir"})
READ_OS_ONLY = frozenset({"walk"})  # only as os.walk: ast.walk and friends read nothing


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Module:
    name: str       # dotted: sitegen.markdown.body
    path: Path      # the file
    shown: str      # the path as printed
    tree: ast.Module
    lines: int
    is_package: bool


def load_modules(package: Path) -> dict[str, Module]:
    """Parse every .py file under the package folder, keyed by dotted module name."""
    modules: dict[str, Module] = {}
    base = package.parent
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(base)
        parts = list(rel.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        text = path.read_text(encoding="utf-8")
        modules[".".join(parts)] = Module(".".join(parts), path, _shown(path),
                                          ast.parse(text, str(path)), len(text.splitlines()), is_package)
    return modules


def _shown(path: Path) -> str:
    """The path relative to the working folder when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def imports(module: Module, known: dict[str, Module]) -> list[tuple[str, int]]:
    """Every package module this one imports, anywhere in it (top, function, TYPE_CHECKING)."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found += [(name, node.lineno) for name in _longest(alias.name, known)]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                if sub in known:
                    found.append((sub, node.lineno))
                elif target in known:
                    found.append((target, node.lineno))
    return [(name, line) for name, line in found if name != module.name or module.is_package]


def _longest(name: str, known: dict[str, Module]) -> list[str]:
    """The module `import a.b.c` names: the longest known prefix of the dotted name."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return [".".join(parts[:end])]
    return []


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The dotted module an ImportFrom reads from, with relative levels resolved."""
    if not node.level:
        return node.module or ""
    parts = module.name.split(".")
    if not module.is_package:
        parts.pop()
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def check_circles(modules: dict[str, Module]) -> list[Finding]:
    """Report every import circle once, at the import that starts it."""
    graph = {name: imports(m, modules) for name, m in modules.items()}
    findings: list[Finding] = []
    seen: set[frozenset[str]] = set()
    for start in sorted(graph):
        cycle = _cycle_from(start, graph)
        if cycle is None or frozenset(cycle) in seen:
            continue
        seen.add(frozenset(cycle))
        line = next(ln for name, ln in graph[start] if name == cycle[1])
        chain = " -> ".join(cycle)
        findings.append(Finding(modules[start].shown, line,
                                f"import circle {chain}; expected no circle among sitegen modules "
                                "(module-level, function-level and TYPE_CHECKING imports count)"))
    return findings


def _cycle_from(start: str, graph: dict[str, list[tuple[str, int]]]) -> list[str] | None:
    """The shortest import path from start back to start, if there is one (breadth first)."""
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt: list[str] = []
        for name in frontier:
            for dep, _ in sorted(graph.get(name, [])):
                if dep == start:
                    path = [name]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return [start] + path[::-1][1:] + [start] if name != start else [start, start]
                if dep not in parents and dep in graph:
                    parents[dep] = name
                    nxt.append(dep)
        frontier = nxt
    return None


def check_sizes(module: Module) -> list[Finding]:
    """Modules of at most 300 lines, functions of at most 60."""
    findings = []
    if module.lines > MAX_MODULE_LINES:
        findings.append(Finding(module.shown, 1, f"module has {module.lines} lines; expected at most "
                                f"{MAX_MODULE_LINES} (split it by concept)"))
    for node in ast.walk(module.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if size > MAX_FUNCTION_LINES:
                findings.append(Finding(module.shown, node.lineno, f"function {node.name} has {size} lines; "
                                        f"expected at most {MAX_FUNCTION_LINES}"))
    return findings


def check_docstring(module: Module) -> list[Finding]:
    """The module starts with a docstring of exactly one line saying what it owns."""
    body = module.tree.body
    first = body[0] if body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return [Finding(module.shown, 1, "no module docstring; expected a one-line docstring on line 1 "
                        "saying what the module owns")]
    text = first.value.value
    if first.lineno != 1:
        return [Finding(module.shown, first.lineno, "the docstring starts on line "
                        f"{first.lineno}; expected it on line 1")]
    if "\n" in text or first.end_lineno != first.lineno:
        return [Finding(module.shown, 1, f"the docstring has {(first.end_lineno or 1) - first.lineno + 1} "
                        "lines; expected exactly one line saying what the module owns")]
    if not text.strip():
        return [Finding(module.shown, 1, "the docstring is empty; expected one line saying what the "
                        "module owns")]
    return []


def check_reads(module: Module, package: Path) -> list[Finding]:
    """No file or folder read in the resolve and render stages."""
    rel = module.path.relative_to(package).as_posix()
    if not any(rel == p or (p.endswith("/") and rel.startswith(p)) for p in NO_FILE_READS):
        return []
    findings = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node.func)
        if name is None or _in_memory(node):
            continue
        findings.append(Finding(module.shown, node.lineno,
                                f"{name}(...) reads a file in the resolve/render stage; expected file "
                                "access only in load/, the asset resolver (assets.py, media.py), the "
                                "theme loader (theme.py, sandbox.py) or the data tables (data/)"))
    return findings


def _called(func: ast.expr) -> str | None:
    """The shown name of a call that reads a file or folder, else None."""
    if isinstance(func, ast.Name) and func.id in READ_NAMES:
        return func.id
    if isinstance(func, ast.Attribute):
        owner = ast.unparse(func.value)
        if not isinstance(func.value, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
            owner = f"({owner})"
        if func.attr in READ_NAMES or (func.attr in READ_OS_ONLY and owner == "os"):
            return f"{owner if len(owner) <= 40 else '...'}.{func.attr}"
    return None


def _in_memory(call: ast.Call) -> bool:
    """An open of bytes already in memory, such as Image.open(io.BytesIO(data))."""
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Call) and _name(first.func) in {"BytesIO", "StringIO"}


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def check(package: Path) -> list[Finding]:
    """Every finding for the package folder, sorted by path and line."""
    modules = load_modules(package)
    findings = check_circles(modules)
    for module in modules.values():
        findings += check_sizes(module) + check_docstring(module) + check_reads(module, package)
    return sorted(findings)


def main(argv: list[str]) -> int:
    package = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "sitegen"
    if not (package / "__init__.py").is_file():
        print(f"{package}: not a package folder; expected a folder with an __init__.py", file=sys.stderr)
        return 2
    findings = check(package)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} structure problem{'s' if len(findings) != 1 else ''}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
