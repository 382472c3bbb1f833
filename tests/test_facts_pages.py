"""Model facts on the pages: the facts panel, chat templates as source, and the index's size and
format filters and parameter sort (in headless Chromium where it is installed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import build_site, card, formatted, make_repo, static_server
from sitegen.sizes import bucket, short_count
from test_browser import browser, page  # noqa: F401
from test_publish import decode_index
from weightfiles import gguf, index, pointer, raw_header, safetensors

TEMPLATE = "{% for m in messages %}<script>alert(1)</script>{{ m['content'] }}{% endfor %}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    src = tmp_path_factory.mktemp("facts") / "src"
    chat = card("pipeline_tag: text-generation\nlicense: mit")
    make_repo(src / "org", "seven", chat, {
        "config.json": json.dumps({"architectures": ["LlamaForCausalLM"], "max_position_embeddings": 8192}),
        "tokenizer_config.json": json.dumps({"chat_template": TEMPLATE}),
        "model-00001-of-00002.safetensors": pointer(10_000_000_000),
        "model-00002-of-00002.safetensors": pointer(4_480_000_000),
        "model.safetensors.index.json": index({"a": "model-00001-of-00002.safetensors",
                                               "b": "model-00002-of-00002.safetensors"}, 14_480_000_000,
                                              7_241_732_096)})
    make_repo(src / "org", "tiny", card("license: mit"), {
        "model.safetensors": safetensors({"a": ("BF16", [100, 30]), "b": ("F32", [7])})})
    make_repo(src / "org", "quant", card("license: mit"), {
        "tiny-Q4_K_M.gguf": gguf({"general.architecture": "llama", "general.file_type": 15,
                                  "llama.context_length": 2048}, [("w", [1000, 1000], 12)], pad=600_000)})
    make_repo(src / "org", "broken", card("license: mit"), {
        "model.safetensors": raw_header(b"{}", 1 << 63), "config.json": json.dumps({"vocab_size": 5})})
    out = src.parent / "site"
    result = build_site(src, out)
    return out, formatted(result)


def model_page(site: Path, name: str) -> str:
    return (site / "models/org" / name / "index.html").read_text()


def test_facts_panel_first_line_and_rows(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    html = model_page(site, "seven")
    assert '<span class="facts-part">7.24B params</span>' in html
    assert "<dt>Context length</dt><dd>8,192</dd>" in html
    assert "<dt>Weights</dt><dd>14.5 GB · 2 files in Git LFS, not downloaded</dd>" in html
    assert html.index('class="facts"') < html.index('class="model-layout"')  # near the top
    tiny = model_page(site, "tiny")
    assert ('<span class="facts-part">3.01K params</span><span class="facts-sep" aria-hidden="true">·</span>'
            '<span class="facts-part">BF16</span><span class="facts-sep" aria-hidden="true">·</span>'
            '<span class="facts-part">Safetensors</span>') in tiny
    quant = model_page(site, "quant")
    assert "<td>Q4_K_M</td>" in quant and '<span class="facts-part">1M params</span>' in quant
    assert "<dt>Architecture</dt><dd>llama</dd>" in quant and "<dt>Context length</dt><dd>2,048</dd>" in quant


def test_chat_template_is_highlighted_source_never_run(built: tuple[Path, list[str]]) -> None:
    html = model_page(built[0], "seven")
    start = html.index('<details class="facts-template">')  # collapsed: no `open`
    block = html[start:html.index("</details>", start)]
    assert '<span class="cp">{%</span>' in block and '<span class="k">for</span>' in block
    assert "<script>" not in block and "&lt;script&gt;alert(1)&lt;/script&gt;" in block


def test_bad_weights_warn_and_the_page_is_built(built: tuple[Path, list[str]]) -> None:
    site, messages = built
    found = [m for m in messages if "safetensors" in m]
    assert len(found) == 1 and found[0].endswith(
        "/org/broken/model.safetensors: warning: a header length of 9,223,372,036,854,775,808 bytes; at most "
        "25,000,000 are read; its parameters are not counted")
    html = model_page(site, "broken")
    assert "<dt>Vocabulary</dt><dd>5</dd>" in html and "params</span>" not in html


def test_index_record_filters_and_sort(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    _, rows = decode_index((site / "search-index.js").read_text())
    data = json.loads((site / "search-index.js").read_text()[len("window.SITEGEN_INDEX = "):-2])
    params = {r["id"]: r["params"] for r in rows}
    assert params == {"org/broken": 0, "org/quant": 1_000_000, "org/seven": 7_241_732_096, "org/tiny": 3007}
    assert {r["id"]: [data["strings"][i] for i in r["formats"]] for r in rows}["org/quant"] == ["GGUF"]
    html = (site / "index.html").read_text()
    for option in ('<option value="lt100m" data-lo="0" data-hi="100000000">&lt; 100M params (2)</option>',
                   '<option value="6-9b" data-lo="6000000000" data-hi="9000000000">6B – 9B params (1)</option>',
                   '<option value="unknown" data-lo="0" data-hi="0">Size unknown (1)</option>',
                   '<option value="Safetensors">Safetensors (3)</option>', '<option value="params">'):
        assert option in html


def test_sizes_and_counts_read_as_people_read_them() -> None:
    assert [short_count(n) for n in (7_241_732_096, 109_482_240, 950, 999_600)] == ["7.24B", "109M", "950", "1M"]
    assert [bucket(n) for n in (0, 1, 99_999_999, 100_000_000, 7 * 10**9, 10**12)] == [
        "unknown", "lt100m", "lt100m", "100m-1b", "6-9b", "gt64b"]


@pytest.mark.browser
def test_index_filters_by_size_and_format_and_sorts_by_parameters(page, built) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    site, _ = built

    def shown() -> list[str]:
        return page.eval_on_selector_all("#models > li .card-title", "els => els.map(e => e.textContent)")

    with static_server(site) as url:
        page.goto(url + "index.html")
        page.select_option("#filter-size", "lt100m")
        assert sorted(shown()) == ["org/quant", "org/tiny"] and "size=lt100m" in page.url
        page.select_option("#filter-size", "unknown")
        assert shown() == ["org/broken"]
        page.select_option("#filter-size", "")
        page.select_option("#filter-format", "GGUF")
        assert shown() == ["org/quant"]
        page.select_option("#filter-format", "")
        page.select_option("#filter-sort", "params")
        assert shown() == ["org/seven", "org/quant", "org/tiny", "org/broken"]
        page.goto(url + "index.html#size=6-9b")
        assert shown() == ["org/seven"]
        assert page.problems == []


def test_weights_left_in_git_lfs_are_said_unknown_once(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "acme/big", card("license: mit"),
              {"model.safetensors": pointer(15_200_000_000), "config.json": '{"model_type": "llama"}'})
    build_site(tmp_path / "src", tmp_path / "site")
    page = (tmp_path / "site/models/acme/big/index.html").read_text(encoding="utf-8")
    facts = page[page.index('<section class="facts"'):page.index("</section>", page.index('<section class="facts"'))]
    assert facts.count("unknown") == 1, facts
    assert "15.2 GB" in facts
