"""Read card metadata the way the Hub does: report what it would reject or ignore, and the fix."""
# One function per key of spec/hub-widgets.md section 6 (`widget` is the widgets wing's). The license
# and language tables are data files written by scripts/make_lint_data.py.
from __future__ import annotations

import difflib
import re
from typing import Any, Callable

from ..data import table
from ..load.discover import REPO_NAME
from .metadata import MAX_BASE_MODELS, MAX_DATASETS, MAX_LANGUAGES, RELATIONS
from ..widgets.shapes import describe
from ..load.repo import ModelRepo
from ..report import INFO, WARNING, Report
from .keys import check_keys
from .tasks import RETIRED, TASKS

LICENSES = frozenset(table("licenses.txt").split())
# ISO 639 code -> English name; lower-cased name -> code (longest first, so the shortest wins).
LANGUAGES = dict(ln.split("\t", 1) for ln in table("languages.txt").splitlines())
LANGUAGE_NAMES = {name.lower(): code
                  for code, name in sorted(LANGUAGES.items(), key=lambda kv: -len(kv[0]))}

# Values the Hub takes besides ISO 639 codes (huggingface_hub ModelCardData docstring).
SPECIAL_LANGUAGES = ("multilingual", "code")
# Withdrawn codes that cards still carry (Whisper writes jw), and country codes written for the
# country's one main language (not ge: cards mean German by it, not Georgian).
LANGUAGE_FIXES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "jp": "ja",
                  "cn": "zh", "gr": "el", "cz": "cs", "dk": "da", "ua": "uk"}
PROGRAMMING = {"python", "java", "javascript", "typescript", "c", "c++", "c#", "go", "rust", "sql"}
# Required model-index keys and what to write there (hub-docs modelcard.md).
INDEX_HINTS = {"name": "the model's name", "results": "a list of {task, dataset, metrics}",
               "task": "{type: ...}", "task.type": "the task id, e.g. text-classification",
               "dataset": "{type: ..., name: ...}", "dataset.type": "the dataset id, e.g. glue",
               "dataset.name": "a display name, e.g. GLUE SST-2", "metrics": "a list of {type, value}",
               "type": "the metric id, e.g. accuracy", "value": "a number, or text such as '20.0 ± 1.2'",
               "url": "the link to where the result comes from"}
_HUB_URL = re.compile(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?:datasets/)?"
                      r"([^/?#\s]+(?:/[^/?#\s]+)?)")
_SUBTAG = re.compile(r"^([A-Za-z]{2,3})[-_]([A-Za-z0-9]+)")

Say = Callable[..., None]  # say(key, message, level=WARNING, line_of=key)


def lint(repo: ModelRepo, report: Report) -> None:
    """Report the card metadata the Hub would reject or ignore, each with a suggestion."""
    card = repo.card

    def say(key: str, message: str, level: str = WARNING, line_of: str = "") -> None:
        report.add(level, message, card.path, card.locate(line_of or key), key)

    for rule in RULES:
        rule(repo, say)


def _items(value: Any, key: str) -> list[tuple[str, Any]]:
    """Pair each item of a one-or-many value (absent: none) with its key path."""
    if isinstance(value, list):
        return [(f"{key}[{i}]", v) for i, v in enumerate(value)]
    return [] if value is None else [(key, value)]


def _closest(word: str, choices: Any, cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def _hint(guess: str | None, otherwise: str) -> str:
    return f"did you mean {guess}?" if guess else otherwise


def _then(message: str, breaks: str) -> str:
    """A message, then what it breaks as its own sentence."""
    return f"{message}{' ' if message.endswith('?') else '. '}{breaks}"


def _pipeline_tag(repo: ModelRepo, say: Say) -> None:
    tag = repo.card.metadata.get("pipeline_tag")
    if tag is None or (isinstance(tag, str) and tag in TASKS):
        return
    if isinstance(tag, str) and tag in RETIRED:
        say("pipeline_tag", f"pipeline_tag {tag!r} is a retired task name; the Hub reads it as "
            f"{RETIRED[tag]} today, so write pipeline_tag: {RETIRED[tag]}", INFO)
        return
    guess = _closest(tag, TASKS, 0.8) if isinstance(tag, str) else None
    say("pipeline_tag", _then(f"unknown pipeline_tag {describe(tag)}; " + _hint(
        guess, "expected a Hub task such as text-classification"),
        "This page takes the task (and widget) from the config or tags instead"))


def _license_guess(value: str) -> str | None:
    words = re.findall(r"[a-z0-9.+]+", value.lower())
    slug = "-".join(w for w in words if w not in ("license", "licence", "the", "version", "v"))
    # "GPLv3" and "Apache 2" name gpl-3.0 and apache-2.0: split the version, add the ".0".
    for base in (slug, re.sub(r"([a-z])v?(\d)", r"\1-\2", slug)):
        for candidate in (base, base + ".0"):
            if candidate in LICENSES:
                return candidate
    return _closest(slug, LICENSES, 0.75)


def _license(repo: ModelRepo, say: Say) -> None:
    value = repo.card.metadata.get("license")
    if isinstance(value, list):
        first = next((v for v in value if isinstance(v, str)), "apache-2.0")
        say("license", f"the Hub takes one license id, got {describe(value)}; write one, e.g. "
            f"license: {first}, or other with license_name and license_link")
    for key, item in _items(value, "license"):
        if not isinstance(item, str):
            say(key, f"expected a license id such as apache-2.0, got {describe(item)}")
        elif item not in LICENSES:
            say(key, _then(f"unknown license {item!r}; " + _hint(_license_guess(item), "expected a "
                "Hub license id such as apache-2.0 or mit, or other with license_name and license_link"),
                "The Hub's license tag and filter know only its ids (this page shows it as written)"))
    if value == "other":
        _license_other(repo, say)


def _license_other(repo: ModelRepo, say: Say) -> None:
    meta = repo.card.metadata
    if not meta.get("license_name"):
        say("license_name", "required with license other, missing; add an id for your license such as "
            "my-license-1.0", line_of="license")
    link = meta.get("license_link")
    local = next((f.path for f in repo.files if f.path in ("LICENSE", "LICENSE.md", "LICENSE.txt")), "")
    fix = f"license_link: {local}" if local else "license_link: LICENSE (a file in the repo) or a URL"
    if not link:
        say("license_link", f"required with license other, missing; add {fix}", line_of="license")
    elif not isinstance(link, str):
        say("license_link", f"expected a URL or a file in the repo, got {describe(link)}")
    elif not re.match(r"^https?://", link) and not repo.has_file(link.removeprefix("./")):
        say("license_link", f"{link!r} is neither an http(s) URL nor a file in the repo; "
            f"add the file or write {fix}")


def _language(repo: ModelRepo, say: Say) -> None:
    value = repo.card.metadata.get("language")
    # Those past the first MAX_LANGUAGES are left out, with one warning (metadata.py).
    for key, item in _items(value, "language")[:MAX_LANGUAGES]:
        if not (isinstance(item, str) and (item in LANGUAGES or item in SPECIAL_LANGUAGES)):
            say(key, _language_problem(item) + "; the Hub's language tags and filter read codes")


def _language_problem(item: Any) -> str:
    if item is False:
        return ("expected a language code, got false: YAML 1.1 tools read an unquoted no "
                "(Norwegian) as false; write it in quotes, 'no'")
    if not isinstance(item, str):
        return f"expected a language code such as en, got {describe(item)}"
    low, subtag = item.strip().lower(), _SUBTAG.match(item.strip())
    if low in LANGUAGES:
        return f"unknown language {item!r}; did you mean {low}? (codes are lowercase)"
    if low in LANGUAGE_FIXES:
        return f"unknown language {item!r}; did you mean {LANGUAGE_FIXES[low]}?"
    if subtag and subtag.group(1).lower() in LANGUAGES:
        base, tail = subtag.group(1).lower(), subtag.group(2)
        # en-de is as often a language pair as a region variant: name both readings.
        pair = f" (and {tail} as its own item if it is a second language)" if tail in LANGUAGES else ""
        return (f"language {item!r} is not a bare ISO 639 code; the Hub reads no region or script "
                f"subtags and one language per item: write {base}{pair}")
    if len(low) > 3 and low in LANGUAGE_NAMES:  # short values are codes; "Ge" is a language too
        return (f"unknown language {item!r}; did you mean {LANGUAGE_NAMES[low]}? "
                "(the Hub reads codes, not names)")
    if low in PROGRAMMING:
        return f"unknown language {item!r}; programming languages are written as code"
    return f"unknown language {item!r}; " + _hint(_closest(low, SPECIAL_LANGUAGES, 0.8),
                                                  "expected an ISO 639-1, 639-2 or 639-3 code such as en, "
                                                  "or multilingual")


def _repo_id_problem(value: Any, kind: str) -> str | None:
    """Say why a value is not a Hub repo id (`name` or `org/name`), or None when it is one."""
    if not isinstance(value, str):
        return f"expected a {kind} id such as org/name, got {describe(value)}"
    url = _HUB_URL.match(value)
    if url:
        return f"{value!r} is a URL, not a {kind} id; write the id {url.group(1)}"
    parts = value.split("/")
    if len(parts) <= 2 and all(REPO_NAME.match(p) for p in parts):
        return None
    return (f"{value!r} is not a Hub {kind} id; expected name or org/name (letters, digits, "
            "-, _ and ., no -- or .., not starting or ending with - or .)")


def _ids(repo: ModelRepo, say: Say, key: str, kind: str, many: bool = True, limit: int = 1) -> None:
    value = repo.card.metadata.get(key)
    if isinstance(value, list) and not many:
        say(key, f"expected one {kind} id, got {describe(value)}")
        return
    for item_key, item in _items(value, key)[:limit]:  # past the limit, left out (metadata.py)
        problem = _repo_id_problem(item, kind)
        if problem:
            say(item_key, f"{problem}; the Hub links a {kind} by its id")


def _base_model(repo: ModelRepo, say: Say) -> None:
    _ids(repo, say, "base_model", "model", limit=MAX_BASE_MODELS)
    _ids(repo, say, "new_version", "model", many=False)
    relation = repo.card.metadata.get("base_model_relation")
    if relation is not None and relation not in RELATIONS:
        say("base_model_relation", f"unknown base_model_relation {describe(relation)}; "
            + _hint(_closest(str(relation), RELATIONS), f"expected one of {', '.join(RELATIONS)}"))
    elif relation is not None and repo.card.metadata.get("base_model") is None:
        say("base_model_relation", "base_model_relation without base_model is ignored; add "
            "base_model: the id of the model this one comes from")


def _datasets(repo: ModelRepo, say: Say) -> None:
    _ids(repo, say, "datasets", "dataset", limit=MAX_DATASETS)


def _model_index(repo: ModelRepo, say: Say) -> None:
    index = repo.card.metadata.get("model-index")
    if index is None or not _expect(say, "model-index", index, list, "a list of {name, results}"):
        return
    for i, model in enumerate(index):
        key = f"model-index[{i}]"
        if _expect(say, key, model, dict, "{name, results}"):
            _required(say, key, model, "name", (str, int, float))
            for j, result in enumerate(_required(say, key, model, "results", list) or ()):
                _result(say, f"{key}.results[{j}]", result)


def _result(say: Say, key: str, result: Any) -> None:
    if not _expect(say, key, result, dict, "{task, dataset, metrics}"):
        return
    if (task := _required(say, key, result, "task", dict)) is not None:
        _required(say, f"{key}.task", task, "type", str, "task.type")
    if (dataset := _required(say, key, result, "dataset", dict)) is not None:
        _required(say, f"{key}.dataset", dataset, "type", str, "dataset.type")
        _required(say, f"{key}.dataset", dataset, "name", (str, int, float), "dataset.name")
    for k, metric in enumerate(_required(say, key, result, "metrics", list) or ()):
        if _expect(say, f"{key}.metrics[{k}]", metric, dict, "{type, value}"):
            _required(say, f"{key}.metrics[{k}]", metric, "type", str)
            _required(say, f"{key}.metrics[{k}]", metric, "value", (str, int, float))
    source = result.get("source")
    if source is not None and _expect(say, f"{key}.source", source, dict, "{name, url}"):
        _required(say, f"{key}.source", source, "url", str)


def _expect(say: Say, key: str, value: Any, kind: type, shape: str) -> bool:
    if not isinstance(value, kind):
        say(key, f"expected {shape}, got {describe(value)}")
    return isinstance(value, kind)


def _required(say: Say, parent: str, mapping: dict[str, Any], name: str,
              kind: type | tuple[type, ...], hint: str = "") -> Any:
    """Return mapping[name] when it has the right type; report it missing or wrong otherwise."""
    key, value, what = f"{parent}.{name}", mapping.get(name), INDEX_HINTS[hint or name]
    if value is None or value == "":
        say(key, f"required, missing; add {what}; the Hub's evaluation results need it")
    elif isinstance(value, bool) or not isinstance(value, kind):
        say(key, f"expected {what}, got {describe(value)}")
    else:
        return value
    return None


def _tags(repo: ModelRepo, say: Say) -> None:
    tags = repo.card.metadata.get("tags")
    if tags is not None and not isinstance(tags, list):
        fix = f"; write tags: [{tags}]" if isinstance(tags, str) else ""
        say("tags", f"expected a list of strings, got {describe(tags)}{fix}; the Hub shows list items as tags")
        return
    for key, tag in _items(tags, "tags"):
        if not isinstance(tag, str):
            say(key, f"expected a string, got {describe(tag)}; put it in quotes")


def _inference(repo: ModelRepo, say: Say) -> None:
    value = repo.card.metadata.get("inference")
    if value is not None and not isinstance(value, (bool, dict)):
        say("inference", f"expected true, false or {{parameters: ...}}, got {describe(value)}")
    for name, params in value.items() if isinstance(value, dict) else ():
        if name != "parameters":
            say(f"inference.{name}", f"unknown key {name!r} is ignored; " + _hint(
                _closest(str(name), ["parameters"]), "the Hub reads only inference.parameters"))
        elif not isinstance(params, dict):
            say("inference.parameters", f"expected a mapping of parameters, got {describe(params)}")


def _keys(repo: ModelRepo, say: Say) -> None:
    check_keys(repo.card.metadata, say)


RULES: tuple[Callable[[ModelRepo, Say], None], ...] = (
    _pipeline_tag, _license, _language, _base_model, _datasets, _model_index, _tags, _inference,
    _keys)
