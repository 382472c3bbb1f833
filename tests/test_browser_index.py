"""The index in headless Chromium: filters by text, task, library, language and license, sorting,
state in the URL hash, "Show more", the keyboard, file://, and a 30,000-model index.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_browser import base_url, browser, page, site  # noqa: F401
from test_publish import decode_index
from test_searchindex import read_script, records, small_shards  # noqa: F401

pytestmark = pytest.mark.browser


def _shown(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return tab.eval_on_selector_all("#models > li:not([hidden]) .card-title", "els => els.map(e => e.textContent)")


def _index(site_dir: Path) -> list[dict]:  # type: ignore[type-arg]
    return decode_index((site_dir / "search-index.js").read_text())[1]


def test_text_filter_and_url_state(page, base_url, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    total = len(_index(site))
    page.goto(base_url + "index.html")
    assert len(_shown(page)) == total
    assert page.text_content("#filter-count") == f"{total} models"
    page.fill("#filter-q", "whisper")
    assert _shown(page) == ["sonora-audio/whisper-mini-en"]
    assert page.text_content("#filter-count") == f"1 of {total} models"
    page.wait_for_url("**#q=whisper")  # written once typing pauses
    page.fill("#filter-q", "no such model at all")
    assert _shown(page) == [] and page.is_visible("#filter-empty")
    page.fill("#filter-q", "")
    assert len(_shown(page)) == total and not page.is_visible("#filter-empty")
    assert page.problems == []


@pytest.mark.parametrize("facet, field", [("task", "task"), ("library", "library"),
                                          ("license", "license"), ("language", "languages")])
def test_each_facet_filters_by_its_field(page, base_url, site, facet: str, field: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    rows = _index(site)
    page.goto(base_url + "index.html")
    options = page.eval_on_selector_all(f"#filter-{facet} option", "os => os.map(o => o.value).filter(Boolean)")
    assert len(options) >= 2
    value = options[0]
    expected = sorted(r["id"] for r in rows if value in (r[field] if isinstance(r[field], list) else [r[field]]))
    page.select_option(f"#filter-{facet}", value)
    assert sorted(_shown(page)) == expected
    assert f"{facet}={value}" in page.url
    assert page.problems == []


def test_filters_combine_and_come_back_from_the_url(page, base_url, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    rows = _index(site)
    expected = sorted(r["id"] for r in rows if r["task"] == "text-generation" and r["library"] == "transformers"
                      and "chat" in (r["id"] + " " + r["summary"] + " " + " ".join(r["tags"])).lower())
    assert expected  # the sample catalog has a transformers chat model
    page.goto(base_url + "index.html#task=text-generation&library=transformers&q=chat")
    assert sorted(_shown(page)) == expected
    assert page.input_value("#filter-task") == "text-generation"
    assert page.input_value("#filter-library") == "transformers"
    assert page.input_value("#filter-q") == "chat"
    page.goto(base_url + "index.html#task=no-such-task")  # an unknown value is ignored, not an empty list
    assert len(_shown(page)) == len(rows)


def test_sort_by_last_change(page, base_url, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    rows = _index(site)
    newest = sorted(rows, key=lambda r: r["updated"], reverse=True)  # stable: ties keep name order
    page.goto(base_url + "index.html")
    page.select_option("#filter-sort", "updated")
    assert _shown(page) == [r["id"] for r in newest]
    assert "sort=updated" in page.url
    page.select_option("#filter-sort", "")
    assert _shown(page) == [r["id"] for r in rows]


def test_filters_from_the_keyboard(page, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(base_url + "index.html")
    page.keyboard.press("Tab")  # the skip link
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-q":
            break
    assert page.evaluate("document.activeElement.id") == "filter-q"
    page.keyboard.type("tapas")
    assert _shown(page) == ["acme-nlp/tapas-mini-wtq"]
    page.keyboard.press("Tab")  # the keyboard follows the controls as they are seen: sort, then the facets
    assert page.evaluate("document.activeElement.id") == "filter-sort"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-task"


def test_chips_on_a_model_page_lead_to_filtered_lists(page, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(base_url + "models/acme-nlp/camembert-mini-fr/index.html")
    page.click(".model-head a.chip-lang")
    page.wait_for_load_state()  # search.js runs after the document is parsed
    assert page.url.endswith("index.html#language=fr")
    assert page.input_value("#filter-language") == "fr"
    assert "acme-nlp/camembert-mini-fr" in _shown(page)
    page.go_back()
    page.click(".model-head a.chip-task")
    page.wait_for_load_state()
    assert page.url.endswith("tasks/fill-mask/index.html")
    assert page.locator(".cards > li").count() == 2
    assert page.problems == []


def test_without_javascript_the_full_list_shows(browser, base_url, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ctx = browser.new_context(java_script_enabled=False)
    tab = ctx.new_page()
    tab.goto(base_url + "index.html")
    assert tab.locator("#models > li:visible").count() == len(_index(site))
    assert not tab.is_visible("[data-filters]")
    ctx.close()


def test_filters_work_from_file_urls(page, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto((site / "index.html").as_uri() + "#task=fill-mask")
    assert sorted(_shown(page)) == ["acme-nlp/camembert-mini-fr", "acme-nlp/tiny-bert-base"]
    page.click("text=tiny-bert-base")
    page.wait_for_load_state()
    assert page.url.endswith("models/acme-nlp/tiny-bert-base/index.html")
    assert page.problems == []


def _big_index(site_dir: Path, target: Path, n: int) -> None:
    """Copy the sample site's index with a search index of n synthetic models."""
    target.mkdir()
    (target / "index.html").write_bytes((site_dir / "index.html").read_bytes())
    (target / "static").symlink_to(site_dir / "static")
    tasks = ["text-classification", "fill-mask", "image-classification", "text-generation"]
    strings = ["transformers", "timm", "mit", "apache-2.0", "en", "fr", "demo"] + [f"tag{i}" for i in range(50)]
    rows = [[f"org{i % 97}/model-{i:05d}", "", tasks[i % 4], 0 if i % 3 else 1, 2 if i % 2 else 3,
             [4] if i % 5 else [5], [6, 7 + i % 50], f"Model number {i} for tests.", f"2026-{1 + i % 12:02d}-01",
             "", 0] for i in range(n)]
    data = {"fields": ["id", "dir", "task", "library", "license", "languages", "tags", "summary", "updated",
                       "thumb", "adult"],
            "tasks": {t: [t.replace("-", " ").title(), "nlp"] for t in tasks}, "strings": strings, "models": rows}
    (target / "search-index.js").write_text("window.SITEGEN_INDEX = " + json.dumps(data) + ";\n")


def test_show_more_and_a_30000_model_index(page, site, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _big_index(site, tmp_path / "big", 30_000)
    page.goto((tmp_path / "big" / "index.html").as_uri())
    assert page.text_content("#filter-count") == "30,000 models"
    assert len(_shown(page)) == 60  # drawn a page at a time
    page.click("#filter-more button")
    assert len(_shown(page)) == 120
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#models > li')[60]")
    page.fill("#filter-q", "model-0042")  # model-00420 .. model-00429
    assert page.text_content("#filter-count") == "10 of 30,000 models"
    assert not page.is_visible("#filter-more")
    page.fill("#filter-q", "")
    page.select_option("#filter-task", "fill-mask")
    page.select_option("#filter-language", "fr")
    expected = sum(1 for i in range(30_000) if i % 4 == 1 and i % 5 == 0)
    assert page.text_content("#filter-count") == f"{expected:,} of 30,000 models"


_BOXES = """() => Array.from(document.querySelectorAll('.filters input, .filters select'))
    .map(e => { const r = e.getBoundingClientRect(); return [e.id, r.left, r.top, r.width, r.height]; })"""


@pytest.mark.parametrize("width", [1280, 420])
def test_index_controls_line_up(page, base_url, width) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Every control the same height; the facets in an even grid (one row of four at 1280 px,
    two by two at 420 px); the search on the sort's line at 1280 px, on its own at 420 px."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "index.html")
    boxes = {name: rest for name, *rest in page.evaluate(_BOXES)}
    assert len({round(h) for _, _, _, h in boxes.values()}) == 1, boxes
    facets = [boxes[n] for n in ("filter-task", "filter-library", "filter-language", "filter-license")]
    assert len({round(w) for _, _, w, _ in facets}) == 1, facets  # even columns
    rows = sorted({round(t) for _, t, _, _ in facets})
    assert len(rows) == (1 if width == 1280 else 2), facets
    assert min(left for left, *_ in facets) == pytest.approx(boxes["filter-q"][0], abs=1)
    same_line = round(boxes["filter-q"][1]) == round(boxes["filter-sort"][1])
    assert same_line == (width == 1280)
    if width == 420:  # the grid ends where the search does
        right = max(left + w for left, _, w, _ in facets)
        assert right == pytest.approx(boxes["filter-q"][0] + boxes["filter-q"][2], abs=1)


# --- a long catalog: the search index in shards, the no-script list in pages -----------------------


@pytest.fixture
def sharded(tmp_path, small_shards):  # type: ignore[no-untyped-def]  # noqa: F811
    """A site of 300 model records (index files only): 80 models in search-index.js, the rest
    in shards, and the no-script list in pages of 50."""
    from sitegen.render import render_site
    from sitegen.theme import static_files

    site = records(300)
    out = tmp_path / "sharded"
    for path, data in render_site(site, [], None).items():
        if path.startswith(("index.html", "search-index.js", "search/", "list/")):
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(data)
    for path, source in static_files(None).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(source.read_bytes())
    assert len(list((out / "search").iterdir())) >= 4
    return out, [m.id for m in site.models], site


LOADED = "() => !document.getElementById('filter-count').textContent.includes('loading')"


def _shard_scripts(tab) -> int:  # type: ignore[no-untyped-def]
    return tab.evaluate("document.querySelectorAll('script[src^=\"search/\"]').length")


def test_shards_load_from_file_urls_when_asked_for(page, sharded) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out, ids, _ = sharded
    page.goto((out / "index.html").as_uri())
    assert page.text_content("#filter-count") == "300 models"
    assert _shown(page) == ids[:60] and page.is_visible("#filter-more")
    assert _shard_scripts(page) == 0  # the first page needs the first file only
    page.fill("#filter-q", ids[-1])  # in the last shard
    page.wait_for_function(LOADED)
    assert _shown(page) == [ids[-1]]
    assert page.text_content("#filter-count") == "1 of 300 models"
    assert _shard_scripts(page) == len(list((out / "search").iterdir()))
    for text in ("org2 model-02", "org2 model-021", "model-021 org2", "org2  "):  # words in any order
        page.fill("#filter-q", text)
        words = text.split()
        assert _shown(page) == [i for i in ids if all(w in i for w in words)][:60], text
    page.fill("#filter-q", "")
    assert _shown(page) == ids[:60]
    assert page.problems == []


def test_a_sharded_index_sorts_and_filters_from_the_url(page, sharded) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out, ids, site = sharded
    page.goto((out / "index.html").as_uri() + "#sort=updated&task=fill-mask")
    page.wait_for_function(LOADED)
    newest = [m.id for m in sorted(site.models, key=lambda m: m.updated, reverse=True)
              if m.task and m.task.tag == "fill-mask"]
    assert _shown(page) == newest[:60] and len(newest) > 2
    assert page.text_content("#filter-count") == f"{len(newest)} of 300 models"
    assert page.problems == []


def test_show_more_goes_on_into_the_shards(page, sharded) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out, ids, _ = sharded
    page.goto((out / "index.html").as_uri())
    for n in (120, 180, 240, 300):
        page.click("#filter-more button")
        page.wait_for_function(f"() => document.querySelectorAll('#models > li').length === {n}")
    assert _shown(page) == ids
    assert not page.is_visible("#filter-more")
    assert page.problems == []


def test_a_missing_shard_is_said_and_the_rest_still_filter(browser, sharded) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out, ids, _ = sharded
    first = sorted((out / "search").iterdir())[0]
    lost = {row[0] for row in read_script(first.read_text())["models"]}
    first.unlink()
    tab = browser.new_page()
    tab.goto((out / "index.html").as_uri())
    tab.fill("#filter-q", ids[-1])
    tab.wait_for_function(LOADED)
    assert _shown(tab) == ([] if ids[-1] in lost else [ids[-1]])
    assert "part of the index failed to load" in tab.text_content("#filter-count")
    tab.close()


def test_without_javascript_the_pages_list_every_model_once(browser, sharded) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out, ids, _ = sharded
    ctx = browser.new_context(java_script_enabled=False)
    tab = ctx.new_page()
    tab.goto((out / "index.html").as_uri())
    seen = []
    for _ in range(10):
        seen += tab.eval_on_selector_all(".rows a", "as => as.map(a => a.textContent)")
        nxt = tab.locator("a[rel=next]")
        if not nxt.count():
            break
        nxt.click()
        tab.wait_for_load_state()
    assert seen == ids
    tab.click(".rows-pages a >> nth=0")  # the list of pages leads back to the first
    assert tab.url.endswith("/index.html")
    ctx.close()
