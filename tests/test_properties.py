"""Property tests (Hypothesis): no input crashes the readers of untrusted data.

- the card loader: any text, and YAML-ish front matter, gives a Card or a CardError, and
  a Card's metadata is plain JSON data (string keys, finite numbers, UTF-8 text);
- strict JSON (config.json) gives a value or a CardError;
- the output normalisers give their output or a ShapeError, for any JSON-like value, and
  whole widget examples give examples or diagnostics, for every task;
- the path resolver gives an Asset inside the repo (or an http(s) URL) or an AssetError;
- damaged images (bytes changed, cut or added) give a MediaError, never another exception,
  and damaged WAV files a duration or nothing;
- the markdown renderer, on HTML-ish text, gives HTML that passes the output scanner, and
  its linear anchor and task-list rules draw what mdit-py-plugins' rules draw;
- any card metadata and config.json give a model page that passes the scanner.

Examples are derived from the test's name (derandomize) and never stored, so CI runs the
same ones every time. To search further, `SITEGEN_FUZZ=5000 pytest tests/test_properties.py`
runs that many random examples per test.
"""
from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import make_repo, png_bytes, wav_bytes
from htmlscan import scan_fragment, scan_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import media

from sitegen.markdown import body as markdown
from sitegen.assets import AssetError, Resolver
from sitegen.load.card import Card, parse_card
from sitegen.widgets.outputs import NORMALISERS
from sitegen.load.jsonstrict import load_json
from sitegen.load.repo import list_files
from sitegen.report import CardError, Report
from sitegen.widgets.shapes import ShapeError
from sitegen.hub.tasks import TASKS
from sitegen.widgets.examples import build_widget

FUZZ = int(os.environ.get("SITEGEN_FUZZ", "0"))
SETTINGS = settings(max_examples=FUZZ or 200, deadline=None, derandomize=not FUZZ, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ---------------- the card loader ----------------

YAML_PIECES = [
    "license: mit", "pipeline_tag: text-classification", "language: no", "tags: [a, b]", "- x", "- ",
    "  nested: 1", "    deeper: [1, {a: b}]", "a: &x [1, 2]", "b: *x", "c: *undefined", "<<: *x",
    "<<: {k: v}", "? [a, b]", ": v", "1: one", "true: t", "null: n", "~: n", "'q': 1", '"\\ud800": x',
    "k: !!python/object/apply:os.system [x]", "k: !!binary aGk=", "k: !!set {a}", "k: !local x",
    "k: !!str 1", "k: !!int x", "k: !!float .inf", "k: .nan", "k: -.inf", "k: 1e999", "k: 0x1F",
    "k: 2024-01-02", "k: 1_000", "k: 1:20", "k: " + "9" * 5000, "k: |", "  block", "k: >-", "k: '",
    'k: "', "k: {", "k: [", "]", "}", "%YAML 1.2", "---", "...", "\t", "k:\tv", "k: \x00", "k: \x85",
    "k: \ufeff", "\ufeffk: v", "license: mit", "license: apache-2.0", "widget:", "- text: hi",
    "  output: [{label: a, score: .5}]", "model-index:", "- name: m", "k: [[[[[[[[[[[[", "#", "# comment",
]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=20), max_size=12))
    head = draw(st.sampled_from(["---\n", "---\r\n", " \n---\n", "--- \n", "\ufeff---\n", ""]))
    tail = draw(st.sampled_from(["\n---\n", "\r\n---\r\n", "\n---", "\n--- \n", "\n...\n", ""]))
    return head + "\n".join(lines) + tail + draw(st.text(max_size=40))


def _plain(value: Any) -> bool:
    """JSON data a page can show: string keys, finite numbers, text that is UTF-8."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    return value is None or isinstance(value, (bool, int))


def _load(text: str) -> Card | None:
    try:
        card = parse_card(text, "m/README.md", Report())
    except CardError as exc:
        assert exc.diagnostic.level == "error" and exc.diagnostic.path == "m/README.md"
        assert exc.diagnostic.line is None or 1 <= exc.diagnostic.line <= text.count("\n") + text.count("\r") + 2
        return None
    assert _plain(card.metadata)
    json.dumps(card.metadata, allow_nan=False)
    assert card.body_line >= 1
    return card


@SETTINGS
@given(st.text(max_size=300))
def test_card_loader_takes_any_text(text: str) -> None:
    _load(text)


@SETTINGS
@given(front_matter())
def test_card_loader_takes_any_front_matter(text: str) -> None:
    _load(text)


@SETTINGS
@given(st.text(alphabet='{}[]":,0123456789.eE+-tfrunalsNIiy \n\ufeff\\', max_size=80))
def test_strict_json_gives_a_value_or_an_error(text: str) -> None:
    try:
        value = load_json(text, "m/config.json")
    except CardError as exc:
        assert exc.diagnostic.level == "error"
        return
    json.dumps(value, allow_nan=False)


# ---------------- outputs and widgets ----------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
    | st.sampled_from(["label", "score", "answer", "text", "url", "box", "mask", "a.png", "data:,x",
                      "[MASK]", "B-PER", "javascript:x", "../x", ""]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["label", "score", "answer", "text", "url", "box", "xmin", "ymin", "xmax", "ymax",
                         "mask", "start", "end", "entity_group", "word", "labels", "scores", "chunks",
                         "timestamp", "cells", "coordinates", "aggregator", "generated_text", "sequence",
                         "token_str"]) | st.text(max_size=6), children, max_size=5),
    max_leaves=20)


@SETTINGS
@given(kind=st.sampled_from(sorted(NORMALISERS)), value=json_values)
def test_normalisers_give_an_output_or_a_shape_error(kind: str, value: Any) -> None:
    try:
        output = NORMALISERS[kind](value, "widget[0].output")
    except ShapeError as exc:
        assert exc.key.startswith("widget[0].output") and exc.message
        return
    assert output.kind == kind


@pytest.fixture(scope="module")
def repo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("prop")
    root = make_repo(base, "m", None, {
        "a.png": png_bytes(), "sub/b.png": png_bytes(4, 4), "clip.wav": wav_bytes(), "notes.txt": "text\n",
        "page.html": "<script>x</script>", "logo.svg": "<svg/>", ".git/config": "token\n",
        "empty.png": b"", "sub/.hidden.txt": "h\n", "%2e%2e": "odd name\n", "a%41.png": png_bytes()})
    (base / "outside.png").write_bytes(png_bytes())
    (root / "link.png").symlink_to(base / "outside.png")
    (root / "inside.png").symlink_to("a.png")
    (root / "dirlink").symlink_to(base)
    return root


def _resolver(root: Path) -> Resolver:
    return Resolver("org/m", root, "models/org/m", frozenset(f.path for f in list_files(root)))


@SETTINGS
@given(tag=st.sampled_from(sorted(TASKS)), examples=st.lists(st.dictionaries(
    st.sampled_from(["text", "src", "output", "example_title", "group", "context", "table", "messages",
                     "candidate_labels", "sentences", "source_sentence", "multi_class", "prompt",
                     "structured_data", "parameters", "structured"]),
    json_values | st.sampled_from(["a.png", "clip.wav", "sub/b.png", "../x", "link.png"]), max_size=5)
    | json_values, max_size=3))
def test_widget_examples_give_examples_or_diagnostics(repo_root: Path, tag: str, examples: list[Any]) -> None:
    card = Card("m/README.md", {"pipeline_tag": tag, "widget": examples}, "", 1, {"widget": 3})
    report = Report()
    widget = build_widget(card, TASKS[tag], _resolver(repo_root), report)
    assert len(widget.examples) + widget.dropped == len(examples)
    assert all(d.path == "m/README.md" for d in report.items)


# ---------------- the path resolver ----------------

SRC_PIECES = ["a.png", "sub", "/", "b.png", ".", "..", "%2e", "%2E%2e", "%2f", "%5c", "\\", "%00", "\x00",
              "%25", "link.png", "inside.png", "dirlink", "outside.png", ".git", "config", "page.html",
              "logo.svg", "notes.txt", "clip.wav", "empty.png", "?x=1", "#frag", "C:", "c|", "//", "http:",
              "https://evil.test/", "javascript:", "data:", "file:", " ", "\t", "\n", "%20", "~",
              "https://huggingface.co/org/m/resolve/main/", "%41", "a%41.png", "\u2028", "\ufeff", ".hidden.txt"]


@SETTINGS
@given(src=st.lists(st.sampled_from(SRC_PIECES), min_size=1, max_size=6).map("".join) | st.text(max_size=30),
       want=st.sampled_from(["", "image", "audio", "video"]))
def test_resolver_stays_in_the_repo(repo_root: Path, src: str, want: str) -> None:
    resolver = _resolver(repo_root)
    try:
        asset = resolver.resolve(src, want)
    except AssetError as exc:
        assert str(exc)
        return
    if asset.remote:
        assert asset.url.lower().startswith(("http://", "https://"))
        return
    real = (repo_root / asset.path).resolve()
    assert real.is_relative_to(repo_root.resolve())
    assert not any(p.startswith(".") for p in real.relative_to(repo_root.resolve()).parts)
    assert real.suffix not in (".html", ".svg")
    assert ":" not in asset.url.split("/")[0] and ".." not in asset.url.split("/")
    for copy in resolver.copies.values():
        assert copy.source.resolve().is_relative_to(repo_root.resolve())
        assert copy.dest.startswith("models/org/m/") and ".." not in copy.dest.split("/")


# ---------------- damaged media ----------------

def _seed_images() -> list[bytes]:
    from PIL import Image

    out = []
    for fmt, mode, frames in [("PNG", "RGBA", 1), ("PNG", "P", 1), ("PNG", "I;16", 1), ("JPEG", "RGB", 1),
                              ("WEBP", "RGB", 1), ("GIF", "RGB", 3), ("WEBP", "RGBA", 2), ("PNG", "LA", 2)]:
        pictures = [Image.effect_noise((24, 16), 40 + i).convert(mode) for i in range(frames)]
        buf = io.BytesIO()
        pictures[0].save(buf, fmt, save_all=frames > 1, append_images=pictures[1:])
        out.append(buf.getvalue())
    return out


SEED_IMAGES = _seed_images()
SEED_WAVS = [wav_bytes(300), wav_bytes(40)[:30] + b"\x00" * 7]


@st.composite
def damaged(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for op, at, piece in draw(st.lists(st.tuples(st.sampled_from(["set", "cut", "add"]), st.integers(0, 1 << 20),
                                                 st.binary(min_size=1, max_size=12)), min_size=1, max_size=6)):
        i = at % max(len(data), 1)
        if op == "set":
            data[i:i + len(piece)] = piece
        elif op == "cut":
            del data[i:i + len(piece) * 4]
        else:
            data[i:i] = piece
    return bytes(data)


@SETTINGS
@given(data=damaged(SEED_IMAGES))
def test_damaged_images_are_a_media_error(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("img") / "x"
    path.write_bytes(data)
    for step in (media.inspect_image, media.reencode, lambda p: media.thumbnail(p, "WEBP"),
                 lambda p: media.thumbnail(p, "JPEG")):
        try:
            step(path)
        except media.MediaError:
            return


@SETTINGS
@given(data=damaged(SEED_WAVS))
def test_damaged_wavs_give_a_duration_or_nothing(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("wav") / "x.wav"
    path.write_bytes(data)
    duration, wave = media.wav_summary(path)
    assert duration >= 0 and (wave == "" or wave.startswith("M"))


# ---------------- the markdown renderer ----------------

HTML_PIECES = ["<a href=\"", "javascript:alert(1)", "\">x</a>", "<img src=", "x onerror=alert(1)", ">",
               "<svg onload=alert(1)>", "<script>", "</script>", "<style>", "<math>", "<mi>", "</math>",
               "&#106;", "&colon;", "&#x09;", "<!--", "-->", "<p title=\"", "\"", "'", "`", "<div>", "</div>",
               "[l](", ")", "![i](", "<", "data:text/html,", "<iframe", "<form action=x>", "<input type=text>",
               "$$", "\\text{", "}", "\\\\(", "\\\\)", "# ", "- [ ] ", "> ", "\n", "\n\n", "```", "    ",
               "<details open ontoggle=alert(1)>", "<base href=//x>", "<a href=\"a.png\">", "<Gallery />",
               "sitegen-gallery-slot", "<noscript>", "<xmp>", "<textarea>", "<table><td>", "&lt;", "|a|\n|-|\n"]


@SETTINGS
@given(st.lists(st.sampled_from(HTML_PIECES) | st.text(max_size=8), max_size=30).map("".join))
def test_rendered_cards_pass_the_scanner(repo_root: Path, body: str) -> None:
    html = markdown.render_markdown(body, _resolver(repo_root)).html
    assert scan_fragment(html) == []


MD_PIECES = ["# ", "## ", "##### ", "Title", "title", "Title-1", "a b", "`code`", "[x](y)", "\n", "\n\n",
             "- ", "  - ", "1. ", "[ ] ", "[x] ", "[X] ", "> ", "text", "***", "|a|\n|-|\n|b|\n", "中文", "é"]


@SETTINGS
@given(st.lists(st.sampled_from(MD_PIECES), max_size=40).map("".join))
def test_linear_rules_draw_what_the_plugins_draw(body: str) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    from sitegen.markdown import mathml as smath
    from sitegen.markdown.parser import MD, parser_for
    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "maxNesting": markdown.MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    md.use(footnote_plugin).use(tasklists_plugin, label=True)
    md.use(anchors_plugin, min_level=1, max_level=4, permalink=True, permalinkSymbol="#")
    md.use(smath.math_plugin)
    want = md.render(body, {"nonce": "n"})
    assert MD.render(body, {"nonce": "n"}) == want
    assert parser_for(body).render(body, {"nonce": "n"}) == want  # without the plugins it cannot use


# ---------------- a whole model page ----------------

META_KEYS = ["pipeline_tag", "library_name", "license", "license_name", "license_link", "language", "tags",
             "datasets", "base_model", "base_model_relation", "new_version", "widget", "inference",
             "model-index", "co2_eq_emissions", "extra_gated_prompt", "extra_gated_fields", "thumbnail",
             "metrics", "model_name", "extra_gated_heading"]
meta_values = json_values | st.sampled_from(sorted(TASKS)) | st.sampled_from(
    ["mit", "other", "en", "no", "transformers", "gguf", "quantized", "org/base", "https://x.test/l",
     "LICENSE", "not-for-all-audiences", "adapter", "merge"])


@settings(SETTINGS, max_examples=FUZZ or 100)
@given(meta=st.dictionaries(st.sampled_from(META_KEYS), meta_values, max_size=8),
       config=st.none() | st.dictionaries(st.sampled_from(
           ["architectures", "model_type", "auto_map", "task_specific_params", "id2label", "quantization_config",
            "_name_or_path", "transformers_version"]), json_values, max_size=4),
       body=st.sampled_from(["", "# T\n\nText with a [link](a.png) and ![img](sub/b.png).\n", "<Gallery />\n"]))
def test_any_metadata_gives_a_page_or_diagnostics(repo_root: Path, meta: dict[str, Any],
                                                  config: dict[str, Any] | None, body: str) -> None:
    from sitegen.hub.lint import lint
    from sitegen.render import render_site
    from sitegen.load.repo import ModelRepo
    from sitegen.resolve import resolve_model, resolve_site

    card = Card("m/README.md", meta, body, 5, {k: 2 for k in meta})
    repo = ModelRepo("org/m", repo_root, "m", card, config, tuple(list_files(repo_root)))
    report = Report()
    lint(repo, report)
    page = resolve_model(repo, report, 1767225600)
    files = render_site(*resolve_site([page], "Models", ""), None)
    html = files[page.path].decode("utf-8")
    assert scan_page(html) == []
