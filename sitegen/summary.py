"""What `sitegen check` says of each model: its summary line and its `--format json` object."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .report import Diagnostic

if TYPE_CHECKING:
    from .resolve import ModelPage


def line(repo_id: str, p: ModelPage | None, diagnostics: tuple[Diagnostic, ...]) -> str:
    """One line for `sitegen check`: task and why, library and why, examples."""
    if p is None:
        return f"{repo_id}: skipped ({sum(d.level == 'error' for d in diagnostics)} error)"
    task = f"{p.task.tag} ({p.task_reason})" if p.task else f"no task ({p.task_reason})"
    library = f"library {p.library} ({p.library_reason})" if p.library else "no library"
    if p.widget and p.widget.defaults:
        n = len(p.widget.examples)
        shown = f"no widget examples ({n} default input{'' if n == 1 else 's'} shown)"
    else:
        examples = _examples(p)
        with_output = sum(1 for e in examples if e.output is not None)
        shown = f"{len(examples)} example{'' if len(examples) == 1 else 's'}, {with_output} with output"
    return f"{repo_id}: {task}; {library}; {shown}"


def _examples(p: ModelPage | None) -> tuple[Any, ...]:
    """The card's own widget examples (default inputs are not the card's)."""
    w = p.widget if p else None
    return w.examples if w and not w.defaults else ()


def facts(repo_id: str, p: ModelPage | None, diagnostics: tuple[Diagnostic, ...]) -> dict[str, Any]:
    """The documented `check --format json` object (see README)."""
    examples = _examples(p)
    return {
        "id": repo_id,
        "pipeline_tag": p.task.tag if p and p.task else None,
        "pipeline_tag_source": p.task_reason if p else None,
        "library_name": (p.library or None) if p else None,
        "library_source": p.library_reason if p else None,
        "examples": len(examples),
        "examples_with_output": sum(1 for e in examples if e.output is not None),
        "diagnostics": [d.as_dict() for d in diagnostics],
    }
