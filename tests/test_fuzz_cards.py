"""No card can end the build (issue 20): any failure while building one model becomes that
model's located error, and the rest of the site builds; `check` meets the same failures.

The property test builds catalogs of fuzzed cards (every metadata key the code reads, given odd
values of every YAML type) through the command line, `build` and `check`, and asserts that no
exception escapes, that every model has a page or an error located in its folder (its README.md,
or the side file that stopped it), and that sitegen never fails on a card ("please report it": a bug, each found one fixed at its root).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, card, make_repo

import sitegen.render
import sitegen.resolve


def _bug_on(name: str, exc: BaseException) -> Any:
    """A stand-in for eval_rows that fails on the repo `name` (a bug met on one card)."""
    real = sitegen.resolve.eval_rows

    def eval_rows(repo: Any, report: Any) -> Any:
        if repo.id == name:
            raise exc
        return real(repo, report)
    return eval_rows


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("write", [True, False])
def test_a_bug_met_on_one_card_skips_only_that_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    jobs: int, write: bool) -> None:
    for name in ("good", "bad", "bad-render"):
        make_repo(tmp_path / "src", name, card("license: mit"))
    monkeypatch.setattr(sitegen.resolve, "eval_rows", _bug_on("bad", ValueError("boom\nsecond\x1b[2J line")))
    real_page = sitegen.render._page

    def page(env: Any, site: Any, path: str, template: str, **context: Any) -> bytes:
        if path.startswith("models/bad-render/"):
            raise TypeError("cannot render")
        return real_page(env, site, path, template, **context)
    monkeypatch.setattr(sitegen.render, "_page", page)
    out = tmp_path / "out" if write else None
    result = build_site(tmp_path / "src", out, jobs=jobs)
    errors = {d.path: d.message for d in result.report.items if d.level == "error"}
    src = tmp_path / "src"
    assert errors == {
        f"{src}/bad/README.md": "skipped: sitegen failed on this card (ValueError: boom second\\x1b[2J line); "
                                 "please report it",
        f"{src}/bad-render/README.md": "skipped: sitegen failed on this card (TypeError: cannot render); "
                                       "please report it"}
    assert {o.id for o in result.outcomes if o.entry} == {"good"}
    if out:
        assert (out / "models/good/index.html").is_file() and not (out / "models/bad-render").exists()


def test_a_bug_while_keying_a_repo_skips_only_that_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.make
    for name in ("good", "bad"):
        make_repo(tmp_path / "src", name, card("license: mit"))
    real = sitegen.make.repo_key

    def repo_key(root: Path, files: Any, updated: str) -> str:
        if root.name == "bad":
            raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")
        return real(root, files, updated)
    monkeypatch.setattr(sitegen.make, "repo_key", repo_key)
    result = build_site(tmp_path / "src", tmp_path / "out", jobs=2)
    errors = [d.format() for d in result.report.items if d.level == "error"]
    assert len(errors) == 1 and errors[0].startswith(
        f"{tmp_path}/src/bad/README.md: error: skipped: sitegen failed on this card (UnicodeEncodeError: "), errors
    assert (tmp_path / "out/models/good/index.html").is_file()


def test_an_interrupt_still_ends_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "src", "bad", card("license: mit"))
    monkeypatch.setattr(sitegen.resolve, "eval_rows", _bug_on("bad", KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # in this process (no limits, so no worker): the catch-all lets it by
        build_site(tmp_path / "src", tmp_path / "out", model_seconds=0, model_memory=0)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["index.html", "INDEX.HTML", "page-2.html", "404.html", "search-index.js",
                                  "sitemap.xml", "robots.txt", "CNAME", "social.png"])
def test_a_name_sitegen_gives_its_own_files_never_names_a_folder(name: str) -> None:
    from sitegen.load.discover import site_dir
    from sitegen.aggregate import tag_path
    assert tag_path(name).split("/")[1].casefold() != name.casefold()
    assert site_dir(f"org/{name}").split("/")[2].casefold() != name.casefold()
    assert tag_path("vision") == "tags/vision/index.html" and site_dir("org/index.htm") == "models/org/index.htm"


def test_a_huge_integer_is_not_a_number() -> None:
    from sitegen.widgets.shapes import ShapeError, number
    with pytest.raises(ShapeError, match="expected a number, got a 401-digit integer"):
        number(10 ** 400, "score")
    assert number(10 ** 300, "score") == 1e300


# ---------------- the property test ----------------

import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402

import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sitegen.cli import main  # noqa: E402
from sitegen.load.discover import site_dir  # noqa: E402
from sitegen.hub.tasks import TASKS  # noqa: E402
from conftest import png_bytes, wav_bytes  # noqa: E402

NAMES = ["index.html", "page-2.html", "CON", "static", "..", "a/b", "../x", "photo.png", "clip.wav",
         "https://example.com/a.png", "<script>x</script>", "\x1b[31mred", "::warning::x", "%s%n", "nan",
         "inf", "-inf", ".nan", "1e999", "0x10", "true", "null", "", " ", "é", "x" * 3000, "not-for-all-audiences",
         "text-classification", "conversational", "[MASK]", "<mask>", "mit", "en", "other"]
# Every key a normaliser or an input reads, so generated mappings hit them.
FIELDS = ["label", "score", "labels", "scores", "token_str", "sequence", "answer", "cells", "aggregator",
          "start", "end", "coordinates", "text", "chunks", "timestamp", "url", "src", "entity_group", "entity",
          "word", "box", "xmin", "ymin", "xmax", "ymax", "mask", "generated_text", "content", "role", "type",
          "image_url", "value", "name", "emissions", "source", "model", "dataset", "config", "split",
          "metrics", "results", "task", "verified", "parameters", "0"]
WIDGET_KEYS = ["text", "src", "prompt", "context", "table", "structured_data", "candidate_labels",
               "multi_class", "source_sentence", "sentences", "messages", "output", "example_title",
               "group", "parameters"]
META_KEYS = ["pipeline_tag", "library_name", "license", "license_name", "license_link", "language", "tags",
             "datasets", "base_model", "base_model_relation", "new_version", "model-index", "widget",
             "inference", "co2_eq_emissions", "extra_gated_heading", "extra_gated_prompt",
             "extra_gated_description", "extra_gated_fields", "thumbnail", "metrics", "model_name"]

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([10 ** 400, -(10 ** 400), 10 ** 309, 2 ** 64, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(NAMES), _text)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4)), max_leaves=10)
# Values that broke a build before, and their kin: each drawn often, not one branch among many.
ODD = st.sampled_from([10 ** 400, -(10 ** 400), 10 ** 309, 2 ** 64, True, False, None, "nan", ".inf", "-1e999", "",
                       "index.html", "page-2.html", float("nan"), float("inf"), [], {}, [{"label": "a"}, 2, [3], None],
                       {"a": [1, {"b": None}]}, "x" * 3000, "\x1b[31m\r\n::error::x", -1, 0])
PLAUSIBLE = st.sampled_from([0.5, 1, 0, 3, "a", "b c", "photo.png", "clip.wav", "[MASK]"])
# Leaves: a third what a card means, a third what broke a build before, a third anything.
leaf = st.integers(0, 2).flatmap(lambda i: (PLAUSIBLE, ODD, scalars)[i])
def _mostly(good: Any, odd: Any) -> Any:
    """`good` five times in six, else `odd` (a plain one_of would flatten `odd`'s many branches
    in beside `good` and draw it rarely)."""
    return st.integers(0, 5).flatmap(lambda i: odd if i == 5 else good)  # Hypothesis favours 0


# Numbers: past a float's range one time in four (float() of them raised OverflowError).
num = st.integers(0, 3).flatmap(lambda i: (st.floats(0, 1), st.integers(0, 30), leaf,
                                           st.sampled_from([10 ** 400, -(10 ** 400), 10 ** 309]))[i])
texts = _mostly(st.text(min_size=1, max_size=30), leaf)


def _lists(item: Any, n: int = 4) -> Any:
    return _mostly(st.lists(item, max_size=n), leaf)


def _dict(required: dict[str, Any], optional: dict[str, Any] | None = None) -> Any:
    return st.fixed_dictionaries(required, optional=optional or {})


box = st.one_of(_dict({k: num for k in ("xmin", "ymin", "xmax", "ymax")}), values)
record = _dict({"label": leaf, "score": num}, {
    k: v for k, v in {"sequence": texts, "token_str": leaf, "box": box, "mask": leaf, "entity_group": leaf,
                      "entity": leaf, "word": texts, "start": num, "end": num, "answer": texts,
                      "cells": _lists(leaf), "coordinates": _lists(_lists(num, 2)), "aggregator": leaf}.items()})
# An output of every kind's shape (and of none), with odd leaves.
output = st.one_of(
    _lists(record), _dict({"labels": _lists(leaf), "scores": _lists(num)}),
    _dict({"text": texts}, {"chunks": _lists(_dict({"text": texts, "timestamp": _lists(num, 3)}))}),
    _dict({"url": leaf}), _lists(_dict({"url": leaf}, {"label": leaf})), _lists(num), _lists(_lists(num)),
    _dict({"answer": texts}, {"score": num, "start": num, "end": num}), _lists(_dict({"generated_text": texts})),
    texts, values)
part = st.one_of(_dict({"type": st.just("text"), "text": texts}),
                 _dict({"type": st.just("image_url"), "image_url": st.one_of(_dict({"url": leaf}), leaf)}), values)
message = st.one_of(_dict({"role": st.sampled_from(["user", "assistant", "system"]),
                           "content": st.one_of(texts, _lists(part))}), values)
table = st.one_of(st.dictionaries(st.text(max_size=8), _lists(leaf), max_size=4), _lists(_lists(leaf)), values)
INPUTS = {
    "text": texts, "src": _mostly(st.sampled_from(["photo.png", "clip.wav"]), leaf), "prompt": texts,
    "context": texts, "table": table, "structured_data": table, "candidate_labels": st.one_of(texts, _lists(leaf)),
    "multi_class": leaf, "source_sentence": texts, "sentences": _lists(texts), "messages": _lists(message),
    "example_title": leaf, "group": leaf,
    "parameters": st.one_of(st.dictionaries(st.text(max_size=8), values, max_size=3), leaf)}
SHAPES = {  # the output shape each kind reads
    "labels": st.one_of(_lists(record), _dict({"labels": _lists(leaf), "scores": _lists(num)})),
    "answer": st.one_of(_dict({"answer": texts}, {"score": num, "start": num, "end": num, "cells": _lists(leaf),
                                                   "coordinates": _lists(_lists(num, 2))}), _lists(record)),
    "text": st.one_of(_dict({"text": texts}, {"chunks": _lists(_dict({"text": texts, "timestamp": _lists(num, 3)}))}),
                      texts, _lists(_dict({"generated_text": texts}))),
    "media": st.one_of(_dict({"url": _mostly(st.sampled_from(["photo.png", "clip.wav"]), leaf)}),
                       _lists(_dict({"url": leaf}, {"label": leaf}))),
    "scores": _lists(num), "embedding": st.one_of(_lists(num), _lists(_lists(num))), "predictions": _lists(leaf),
    "entities": _lists(record), "boxes": _lists(record), "masks": _lists(record),
    # a record first, then anything (a list mixing records with other items raised TypeError)
    "json": st.tuples(st.dictionaries(st.sampled_from(FIELDS), leaf, min_size=1, max_size=3),
                      st.lists(st.one_of(leaf, values), max_size=4)).map(lambda t: [t[0], *t[1]])}


example = st.one_of(_dict({}, {"output": output, **INPUTS}), texts, values)


def example_for(tag: str) -> Any:
    """A widget example of a task: its inputs there, an output of its kind (or not), odd leaves."""
    task = TASKS.get(tag) or TASKS["text-generation"]
    shaped = _mostly(SHAPES[task.output], output)
    files = {"image": "photo.png", "audio": "clip.wav"}
    inputs = {**INPUTS, "src": _mostly(st.just(files.get(task.media, "photo.png")), leaf)}
    known = _dict({"output": shaped, **{k: inputs[k] for k in task.inputs}},
                  {k: v for k, v in inputs.items() if k not in task.inputs})
    return _mostly(known, st.one_of(texts, values))


metric = _dict({"type": leaf, "value": num}, {"name": leaf, "verified": leaf, "config": leaf})
result = _dict({"metrics": _lists(st.one_of(metric, values))}, {
    "task": st.one_of(_dict({"type": leaf}, {"name": leaf}), values),
    "dataset": st.one_of(_dict({"type": leaf}, {"name": leaf, "config": leaf, "split": leaf}), values),
    "source": st.one_of(_dict({"name": leaf}, {"url": leaf}), values)})
model_index = _lists(st.one_of(_dict({"name": leaf, "results": _lists(st.one_of(result, values))}), values), 2)
# pipeline_tag, widget and tags are always there (mostly a task and examples of it, so that widgets are
# built); every other key the code reads is there or not.
TAGS = sorted(TASKS) + ["conversational", "text2text-generation"]
metadata = st.sampled_from(TAGS).flatmap(lambda tag: st.fixed_dictionaries({
    "pipeline_tag": _mostly(st.just(tag), values),
    "widget": _mostly(st.lists(example_for(tag), min_size=1, max_size=4), st.one_of(st.lists(example, max_size=3), values)),
    # tags name folders: often names sitegen gives its own files (tags: [index.html] ended the build)
    "tags": _mostly(st.lists(st.one_of(st.sampled_from(["index.html", "Page-2.html", "CNAME"]), st.sampled_from(NAMES),
                                       leaf), max_size=4), leaf),
}, optional={
    **{k: values for k in META_KEYS if k not in ("pipeline_tag", "widget", "tags")},
    **{k: st.one_of(leaf, _lists(leaf)) for k in ("license", "language", "datasets", "base_model",
                                                    "library_name", "new_version", "license_link")},
    "model-index": st.one_of(model_index, values),
    "co2_eq_emissions": st.one_of(num, _dict({"emissions": num}, {k: leaf for k in (
        "source", "training_type", "geographical_location", "hardware_used")}), values),
    "inference": st.one_of(st.booleans(), _dict({"parameters": st.dictionaries(st.text(max_size=8), values)}), values),
    "extra_gated_fields": st.one_of(st.dictionaries(st.text(max_size=8), leaf, max_size=3), values),
}))
FILES = {"photo.png": png_bytes(8, 6), "clip.wav": wav_bytes(400)}
template = st.one_of(leaf, _lists(_dict({"name": leaf, "template": leaf})))
# The side files a build reads (as JSON or YAML), each there or not, with odd values too.
side_files = st.fixed_dictionaries({}, optional={
    "config.json": st.one_of(_dict({}, {
        "architectures": _lists(st.one_of(st.sampled_from(["BertForMaskedLM", "LlamaForCausalLM", "ViTModel"]), leaf)),
        "model_type": leaf, "architecture": leaf, "sklearn": values, "adapter_transformers": values,
        "auto_map": st.one_of(st.dictionaries(st.sampled_from(["AutoModel", "AutoModelForCausalLM", "x"]), values),
                              values),
        "task_specific_params": values, "quantization_config": values}), values),
    "tokenizer_config.json": st.one_of(_dict({}, {"mask_token": st.one_of(leaf, _dict({"content": leaf})),
                                                 "chat_template": template}), values),
    "adapter_config.json": st.one_of(_dict({}, {"peft_type": leaf, "base_model_name_or_path": leaf}), values),
    ".eval_results/r.yaml": _lists(st.one_of(_dict({"value": num}, {
        "dataset": st.one_of(_dict({"id": leaf}, {"task_id": leaf}), values), "source": values, "date": leaf,
        "notes": leaf, "verifyToken": leaf}), values)),
})


def _card_text(meta: Any) -> str:  # a mapping, mostly: front matter may be any YAML
    return "---\n" + yaml.safe_dump(meta, allow_unicode=False, sort_keys=False) + "---\n# Model\n\nFuzzed.\n"


def _cli(argv: list[str]) -> tuple[int, str]:
    """Run the command line; its exit code and all it printed (no exception may escape)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main([str(a) for a in argv])
    return code, out.getvalue()


def _side_file(path: str, value: Any) -> str:
    if path.endswith(".json"):
        return json.dumps(value)  # NaN and 400-digit numbers included: the loader judges them
    return yaml.safe_dump(value, allow_unicode=False)


def _check_catalog(cards: list[tuple[Any, dict[str, Any]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, site = Path(tmp) / "src", Path(tmp) / "site"
        names = [f"m{i}" for i in range(len(cards))]
        for name, (meta, side) in zip(names, cards):
            files = {**FILES, **{path: _side_file(path, value) for path, value in side.items()}}
            make_repo(src, name, _card_text(meta), files)
        code, built = _cli(["build", src, "-o", site, "-j", "1", "--no-cache", "--base-url", "https://x.org/s"])
        assert code in (0, 1) and "Traceback" not in built, built
        assert "please report it" not in built, built  # sitegen failed on a card: fix it at its root
        code, checked = _cli(["check", src, "-j", "1"])
        assert code in (0, 1) and "Traceback" not in checked and "please report it" not in checked, checked
        for name in names:
            # at its README.md, or at the side file that stopped it (config.json:1: invalid JSON)
            located = re.compile(rf"^{re.escape(str(src / name))}/[^:\n]+(:\d+)?: error: ", re.M)
            assert (site / site_dir(name) / "index.html").is_file() or located.search(built), (name, built)
            skipped = re.search(rf"^{name}: skipped", checked, re.M)
            assert not skipped or located.search(checked), (name, checked)
        assert (site / "index.html").is_file() and (site / "tags/index.html").is_file()


# About 360 cards in 60 catalogs, some 30 s; derandomized, so CI draws the same cards every run.
@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(st.lists(st.tuples(_mostly(metadata, values), side_files), min_size=4, max_size=10))
def test_fuzzed_cards_never_end_the_build(cards: list[tuple[Any, dict[str, Any]]]) -> None:
    _check_catalog(cards)


def test_check_renders_the_list_pages_as_build_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "src", "good", card("license: mit\ntags: [vision]"))
    rendered: list[str] = []
    real = sitegen.render._page

    def page(env: Any, site: Any, path: str, template: str, **context: Any) -> bytes:
        rendered.append(path)
        return real(env, site, path, template, **context)
    monkeypatch.setattr(sitegen.render, "_page", page)
    build_site(tmp_path / "src", jobs=1, model_seconds=0, model_memory=0)  # in this process: seen here
    assert {"models/good/index.html", "index.html", "tags/index.html", "tags/vision/index.html"} <= set(rendered)
