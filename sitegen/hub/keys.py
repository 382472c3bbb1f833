"""Card metadata keys the Hub reads: report unknown ones, with the key meant when one is close."""
# The table of keys, with its source, is sitegen/data/card_keys.json. A near miss of a key the Hub
# reads is a warning that says what the Hub then lacks; an unknown key with no near match is a note.
from __future__ import annotations

import json
from typing import Any, Callable, Iterable

from ..data import table
from ..report import INFO, WARNING

KEYS = json.loads(table("card_keys.json"))
TOP = frozenset(KEYS["top"])
PREFIXES = tuple(KEYS["prefixes"])
ALIASES: dict[str, str] = KEYS["aliases"]
BREAKS: dict[str, str] = KEYS["breaks"]
INDEX: dict[str, list[str]] = KEYS["model-index"]
SPELLINGS = (("licence", "license"), ("colour", "color"), ("isation", "ization"))

Say = Callable[..., None]  # say(key, message, level=WARNING, line_of=key)


def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def near(key: str, known: Iterable[str]) -> str | None:
    """The known key `key` most likely means: case, -/_, alias, spelling, plural, or a typo."""
    by_norm = {_norm(k): k for k in known}
    norm = _norm(key)
    for spelt, meant in SPELLINGS:
        norm = norm.replace(spelt, meant)
    alias = ALIASES.get(norm)
    candidates = [norm, alias or "", norm + "s", norm[:-1] if norm.endswith("s") else ""]
    for candidate in candidates:
        if candidate and _norm(candidate) in by_norm:
            return by_norm[_norm(candidate)]
    if len(norm) < 3:
        return None
    limit = 2 if len(norm) >= 6 else 1
    scored = sorted((distance(norm, n), k) for n, k in by_norm.items())
    close = [k for d, k in scored if d <= limit]
    if close and (len(close) == 1 or distance(norm, _norm(close[0])) < distance(norm, _norm(close[1]))):
        return close[0]
    return None


def widget_near_miss(name: Any) -> bool:
    """Whether `check_keys` reports this key of a widget example as a near miss ("did you mean"):
    the widget then says nothing more of it, so the mistake is reported once."""
    return isinstance(name, str) and name not in KEYS["widget"] and near(name, KEYS["widget"]) is not None


def _norm(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")


def check_keys(metadata: dict[str, Any], say: Say) -> None:
    """Report the unknown keys at the top level, in widget examples, model-index and parameters."""
    _top(metadata, say)
    for i, item in enumerate(_list(metadata.get("widget"))):
        if isinstance(item, dict):
            _nested(item, f"widget[{i}]", KEYS["widget"], say, "the widget ignores it", quiet=True)
            _parameters(item.get("parameters"), f"widget[{i}].parameters", say)
    inference = metadata.get("inference")
    if isinstance(inference, dict):
        _parameters(inference.get("parameters"), "inference.parameters", say)
    _model_index(metadata.get("model-index"), say)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _top(metadata: dict[str, Any], say: Say) -> None:
    for key in metadata:
        if not isinstance(key, str) or key in TOP or key.startswith(PREFIXES):
            continue
        meant = near(key, TOP) or _prefixed(key)
        if meant and meant in metadata:
            say(key, f"the Hub does not read {key}; it reads {meant}, which this card also sets: "
                f"remove {key} or merge it into {meant}", INFO)
        elif meant:
            say(key, f"the Hub does not read {key}; did you mean {meant}? The Hub ignores it: "
                + BREAKS.get(meant, f"{meant} would be missing"))
        else:
            say(key, f"unknown key {key}: neither the Hub nor huggingface_hub reads it; kept as "
                "written (advice, nothing breaks)", INFO)


def _prefixed(key: str) -> str | None:
    """`extra-gated-prompt` or `extra_gate_prompt` -> extra_gated_prompt: a near miss of a prefix."""
    norm = _norm(key)
    for prefix in PREFIXES:
        cuts = [(distance(norm[:cut], prefix), cut) for cut in range(len(prefix) - 2, len(prefix) + 3)
                if norm[:cut].endswith("_") and cut < len(norm)]
        if cuts and min(cuts)[0] <= 2:
            return prefix + norm[min(cuts)[1]:]
    return None


def _nested(mapping: dict[str, Any], path: str, known: list[str], say: Say, breaks: str,
            quiet: bool = False) -> None:
    """Report unknown keys of one mapping: near misses as warnings, the others as notes."""
    for name in mapping:
        if not isinstance(name, str) or name in known:
            continue
        meant = near(name, known)
        if meant:
            say(f"{path}.{name}", f"unknown key {name}; did you mean {meant}? {breaks}")
        elif not quiet:  # widget keys with no near match are the widget's own note
            say(f"{path}.{name}", f"unknown key {name}; {breaks} (advice)", INFO)


def _parameters(params: Any, path: str, say: Say) -> None:
    """API parameters are open-ended: only a near miss of a documented one is reported."""
    for name in params if isinstance(params, dict) else ():
        if isinstance(name, str) and name not in KEYS["parameters"]:
            meant = near(name, KEYS["parameters"])
            if meant:
                say(f"{path}.{name}", f"unknown parameter {name}; did you mean {meant}? It is passed "
                    f"as written, and an API that reads {meant} does not read {name}")


def _model_index(index: Any, say: Say) -> None:
    ignored = "the Hub's evaluation results ignore it"
    for i, model in enumerate(_list(index)):
        if not isinstance(model, dict):
            continue
        path = f"model-index[{i}]"
        _nested(model, path, INDEX["model"], say, ignored)
        for j, result in enumerate(_list(model.get("results"))):
            if not isinstance(result, dict):
                continue
            rpath = f"{path}.results[{j}]"
            _nested(result, rpath, INDEX["result"], say, ignored)
            for part in ("task", "dataset", "source"):
                if isinstance(result.get(part), dict):
                    _nested(result[part], f"{rpath}.{part}", INDEX[part], say, ignored)
            for k, metric in enumerate(_list(result.get("metrics"))):
                if isinstance(metric, dict):
                    _nested(metric, f"{rpath}.metrics[{k}]", INDEX["metric"], say, ignored)
