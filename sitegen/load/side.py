"""Side files of a repo, read once in load: chat templates, tokenizer/adapter configs, eval results."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .card import read_text
from .jsonstrict import parse_json
from .safeio import open_file
from ..report import WARNING, CardError, Diagnostic

MAX_SIDE_BYTES = 1024 * 1024  # as config.json
MAX_EVAL_FILE = 1024 * 1024

# Files read beside config.json: where a chat template lives (spec section 1.4), and the files
# whose keys name a library (hub/infer.py FILE_SIGNALS). A .json file is kept parsed (a dict,
# or None when it is no JSON object), any other as its text; one that cannot be read is left out.
SIDE_FILES = ("tokenizer_config.json", "chat_template.jinja", "chat_template.json",
              "processor_config.json", "model_index.json", "adapter_config.json")


@dataclass(frozen=True)
class EvalFile:
    """One `.eval_results/*.yaml` file: its value and key lines, or the problem reading it."""

    path: str  # in the repo
    shown: str
    value: Any = None
    lines: dict[str, int] = field(default_factory=dict)
    problem: Diagnostic | None = None


def read_side(root: Path, sizes: dict[str, int]) -> dict[str, Any]:
    """The SIDE_FILES of a repo listing ({path: size}) that can be read, by path."""
    out: dict[str, Any] = {}
    for path in SIDE_FILES:
        text = _read_side_file(root, path, sizes.get(path))
        if text:
            out[path] = parse_json(text) if path.endswith(".json") else text
    return out


def _read_side_file(root: Path, path: str, size: int | None) -> str:
    """Read a small UTF-8 file of the repo listing, or "" when absent, too big or unreadable:
    such files only refine what the page shows."""
    full = root / path
    if size is None or size > MAX_SIDE_BYTES or full.is_symlink():
        return ""
    try:
        with open_file(full) as f:
            data = f.read(MAX_SIDE_BYTES + 1)  # the file may have grown since it was listed
        return data.decode("utf-8-sig") if len(data) <= MAX_SIDE_BYTES else ""
    except (OSError, UnicodeDecodeError):
        return ""


def read_evals(root: Path, shown: str, paths: list[str]) -> tuple[EvalFile, ...]:
    """Read the repo's `.eval_results/*.yaml` files, in listing order; a file that cannot be
    read or parsed carries its located problem (reported when the page uses it)."""
    wanted = [p for p in paths if p.startswith(".eval_results/") and p.endswith((".yaml", ".yml"))]
    if not wanted:
        return ()
    from . import yamlstrict  # here: a repo without eval files never loads PyYAML
    out = []
    for path in wanted:
        where = f"{shown}/{path}"
        try:
            value, lines, _notes = yamlstrict.load(read_text(root / path, where, MAX_EVAL_FILE))
        except CardError as exc:
            out.append(EvalFile(path, where, problem=exc.diagnostic))
            continue
        except yamlstrict.YamlError as exc:
            out.append(EvalFile(path, where, problem=Diagnostic(WARNING, exc.message, where, exc.line, exc.key)))
            continue
        out.append(EvalFile(path, where, value, lines))
    return tuple(out)
