"""Evaluation results: `model-index` and `.eval_results/*.yaml`, one row per metric."""
# Structure problems are the lint's to report; here a malformed entry is simply not a row.
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..load import yamlstrict
from ..load.card import read_text
from ..load.repo import ModelRepo
from ..report import CardError, Report

MAX_EVAL_FILE = 1024 * 1024


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

    @property
    def number(self) -> float | None:
        """The value as a number, for sorting ("20.0 ± 1.2" sorts as 20.0)."""
        head = self.value.split()[0] if self.value.split() else ""
        try:
            return float(head.rstrip("%"))
        except ValueError:
            return None


def eval_rows(repo: ModelRepo, report: Report) -> tuple[EvalRow, ...]:
    """All evaluation results of a repo: model-index rows first, then result files."""
    return _model_index(repo.card.metadata.get("model-index")) + _result_files(repo, report)


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
                rows.append(EvalRow(
                    _s(model.get("name")), _s(task.get("name") or task.get("type")),
                    _s(dataset.get("name") or dataset.get("type")), _s(dataset.get("config")),
                    _s(dataset.get("split")), _s(metric.get("name") or metric.get("type")),
                    _s(metric["value"]), metric.get("verified") is True,
                    _s(source.get("name")), _url(source.get("url"))))
    return tuple(rows)


def _result_files(repo: ModelRepo, report: Report) -> tuple[EvalRow, ...]:
    rows = []
    for f in repo.files:
        if not (f.path.startswith(".eval_results/") and f.path.endswith((".yaml", ".yml"))):
            continue
        shown = f"{repo.shown}/{f.path}"
        try:
            value, lines, _notes = yamlstrict.load(read_text(repo.root / f.path, shown, MAX_EVAL_FILE))
        except CardError as exc:
            report.items.append(exc.diagnostic)
            continue
        except yamlstrict.YamlError as exc:
            report.warning(exc.message, shown, exc.line, exc.key)
            continue
        for i, entry in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(entry, dict) or entry.get("value") is None:
                report.warning("expected a list of {dataset, value} results", shown,
                               lines.get(f"[{i}]", 1) if isinstance(value, list) else 1)
                continue
            dataset, source = _map(entry.get("dataset")), _map(entry.get("source"))
            rows.append(EvalRow(
                "", _s(dataset.get("task_id")), _s(dataset.get("id")), "", "", "",
                _s(entry["value"]), bool(entry.get("verifyToken")),
                _s(source.get("name") or source.get("user")), _url(source.get("url")),
                _s(entry.get("date")), _s(entry.get("notes")), f.path))
    return tuple(rows)


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _s(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _url(value: Any) -> str:
    text = _s(value)
    return text if text.startswith(("https://", "http://")) else ""
