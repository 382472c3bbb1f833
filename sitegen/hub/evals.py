"""Evaluation results: the card's `model-index` and `.eval_results/*.yaml`, one row per metric."""
from __future__ import annotations

# Structure problems are the lint's to report; here a malformed entry is simply not a row.

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..load.repo import ModelRepo
from ..report import Report
from .evalnames import headline, metric_name, task_name
from .tasks import TASKS

# More rows than this is a benchmark suite (MTEB cards hold up to 5,331): the model page shows
# a summary of SUMMARY_TASKS tasks with SUMMARY_ROWS results each, the full table a page of its own.
INLINE_ROWS = 12
SUMMARY_TASKS = 8
SUMMARY_ROWS = 3
MAX_ROWS = 20_000  # rows read from one repo; the rest are counted in a warning
_LONG_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]{5,}")  # 73.79104477611939, as MTEB writes scores


@dataclass(frozen=True)
class EvalRow:
    model: str
    task: str
    dataset: str
    config: str
    split: str
    metric: str
    value: str
    verified: bool
    source_name: str
    source_url: str
    date: str = ""
    notes: str = ""
    origin: str = "model-index"  # or the .eval_results file it came from
    task_id: str = ""  # as written in the card, when `task` is a name made from it
    metric_id: str = ""

    @property
    def shown(self) -> str:
        """The value as the page shows it: a long decimal rounded (73.79104477611939 is 73.79,
        0.912345 is 0.9123), anything else as written."""
        if not _LONG_DECIMAL.fullmatch(self.value):
            return self.value
        number = float(self.value)
        text = f"{number:.2f}" if abs(number) >= 1 else f"{number:.4f}"
        return text if float(text) != 0 else self.value

    @property
    def number(self) -> float | None:
        """The value as a number, for sorting ("20.0 ± 1.2" sorts as 20.0)."""
        head = self.value.split()[0] if self.value.split() else ""
        try:
            return float(head.rstrip("%"))
        except ValueError:
            return None


def eval_rows(repo: ModelRepo, report: Report) -> tuple[EvalRow, ...]:
    """All evaluation results of a repo: model-index rows first, then result files (at most
    MAX_ROWS)."""
    rows = _model_index(repo.card.metadata.get("model-index")) + _result_files(repo, report)
    if len(rows) > MAX_ROWS:
        report.warning(f"{len(rows) - MAX_ROWS:,} evaluation results past the first {MAX_ROWS:,} are not "
                       "shown; expected at most that many", repo.card.path, repo.card.locate("model-index"),
                       "model-index")
    return rows[:MAX_ROWS]


def _model_index(index: Any) -> tuple[EvalRow, ...]:
    rows = []
    for model in index if isinstance(index, list) else ():
        if not isinstance(model, dict):
            continue
        for result in _list(model.get("results")):
            task, dataset, source = (_map(result.get(k)) for k in ("task", "dataset", "source"))
            for metric in _list(result.get("metrics")):
                if not isinstance(metric.get("value"), (str, int, float)) or isinstance(metric.get("value"), bool):
                    continue  # missing or malformed: the lint reports it
                task_id, metric_id = _s(task.get("type")), _s(metric.get("type"))
                rows.append(EvalRow(
                    _s(model.get("name")), _named(_s(task.get("name")), task_id, task_name),
                    _s(dataset.get("name") or dataset.get("type")), _s(dataset.get("config")),
                    _s(dataset.get("split")), _named(_s(metric.get("name")), metric_id, metric_name),
                    _s(metric["value"]), metric.get("verified") is True,
                    _s(source.get("name")), _url(source.get("url")), task_id=task_id, metric_id=metric_id))
    return tuple(rows)


def _result_files(repo: ModelRepo, report: Report) -> tuple[EvalRow, ...]:
    rows = []
    for f in repo.evals:  # read in load; a problem reading one is reported here, when used
        if f.problem is not None:
            report.items.append(f.problem)
            continue
        value, lines, shown = f.value, f.lines, f.shown
        for i, entry in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(entry, dict) or entry.get("value") is None:
                report.warning("expected a list of {dataset, value} results", shown,
                               lines.get(f"[{i}]", 1) if isinstance(value, list) else 1)
                continue
            dataset, source = _map(entry.get("dataset")), _map(entry.get("source"))
            task_id = _s(dataset.get("task_id"))
            rows.append(EvalRow(
                "", TASKS[task_id].name if task_id in TASKS else task_id, _s(dataset.get("id")), "", "", "",
                _s(entry["value"]), bool(entry.get("verifyToken")),
                _s(source.get("name") or source.get("user")), _url(source.get("url")),
                _s(entry.get("date")), _s(entry.get("notes")), f.path, task_id))
    return tuple(rows)


@dataclass(frozen=True)
class TaskResults:
    """One task's results in the summary: how many, and the headline row of the first few."""

    task: str
    task_id: str
    results: int
    rows: tuple[EvalRow, ...]


@dataclass(frozen=True)
class EvalSummary:
    """What the model page shows of a large set of results; the rest is on its own page."""

    rows: int
    results: int  # datasets (with their config and split) evaluated
    tasks: tuple[TaskResults, ...]
    more_tasks: int  # tasks past SUMMARY_TASKS, only counted

    @property
    def shown(self) -> int:
        return sum(len(t.rows) for t in self.tasks)


def summarise(rows: tuple[EvalRow, ...]) -> EvalSummary | None:
    """A bounded summary of more than INLINE_ROWS results (None for fewer: they are shown
    whole): per task, in the card's order, each result's headline metric."""
    if len(rows) <= INLINE_ROWS:
        return None
    results: dict[tuple[str, ...], list[EvalRow]] = {}
    for row in rows:
        key = (row.origin, row.model, row.task, row.task_id, row.dataset, row.config, row.split)
        results.setdefault(key if row.origin == "model-index" else (str(len(results)),), []).append(row)
    tasks: dict[str, list[EvalRow]] = {}
    for metrics in results.values():
        head = metrics[headline(metrics[0].task_id, [m.metric_id for m in metrics])]
        tasks.setdefault(head.task, []).append(head)
    shown = tuple(TaskResults(task, heads[0].task_id, len(heads), tuple(heads[:SUMMARY_ROWS]))
                  for task, heads in list(tasks.items())[:SUMMARY_TASKS])
    return EvalSummary(len(rows), len(results), shown, max(0, len(tasks) - SUMMARY_TASKS))


def _named(name: str, id_: str, readable: Callable[[str], str]) -> str:
    """The name the card gives, unless it is only the id again (`name: mean_reward`)."""
    return name if name and name != id_ else readable(id_)


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _s(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _url(value: Any) -> str:
    text = _s(value)
    return text if text.startswith(("https://", "http://")) else ""
