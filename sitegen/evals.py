"""Evaluation results from the card's `model-index`, flattened to one row per metric."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .card import Card
from .outputs import describe
from .report import Report


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


def eval_rows(card: Card, report: Report) -> tuple[EvalRow, ...]:
    """Flatten `model-index` (spec section 6); report missing required keys with their line."""
    index = card.metadata.get("model-index")
    if index is None:
        return ()

    def warn(key: str, message: str) -> None:
        report.warning(message, card.path, card.locate(key), key)

    if not isinstance(index, list):
        warn("model-index", f"expected a list of {{name, results}}, got {describe(index)}")
        return ()
    rows = []
    for i, model in enumerate(index):
        mkey = f"model-index[{i}]"
        if not isinstance(model, dict):
            warn(mkey, f"expected {{name, results}}, got {describe(model)}")
            continue
        results = model.get("results")
        if not isinstance(results, list):
            warn(f"{mkey}.results", f"expected a list of results, got {describe(results)}")
            continue
        for j, result in enumerate(results):
            rkey = f"{mkey}.results[{j}]"
            if not isinstance(result, dict):
                warn(rkey, f"expected {{task, dataset, metrics}}, got {describe(result)}")
                continue
            task = _mapping(result.get("task"))
            dataset = _mapping(result.get("dataset"))
            source = _mapping(result.get("source"))
            if not task.get("type"):
                warn(f"{rkey}.task", "task.type is required (e.g. text-classification)")
            if not dataset.get("type") or not dataset.get("name"):
                warn(f"{rkey}.dataset", "dataset.type and dataset.name are required")
            metrics = result.get("metrics")
            if not isinstance(metrics, list):
                warn(f"{rkey}.metrics", f"expected a list of {{type, value}}, got {describe(metrics)}")
                continue
            for k, metric in enumerate(metrics):
                key = f"{rkey}.metrics[{k}]"
                if not isinstance(metric, dict) or metric.get("value") is None:
                    warn(key, f"expected {{type, value}}, got {describe(metric)}")
                    continue
                rows.append(EvalRow(
                    _s(model.get("name")), _s(task.get("name") or task.get("type")),
                    _s(dataset.get("name") or dataset.get("type")), _s(dataset.get("config")),
                    _s(dataset.get("split")), _s(metric.get("name") or metric.get("type")),
                    _value(metric["value"]), metric.get("verified") is True,
                    _s(source.get("name")), _s(source.get("url"))))
    return tuple(rows)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _value(value: Any) -> str:
    return str(value)  # as the author wrote it: 0.91, 91.2 or "20.0 ± 1.2"
