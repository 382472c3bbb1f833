"""Evaluations and phones in headless Chromium: no evaluation column hides behind a sideways
scroll on any sample page at 1280 or 420 px; on a phone the card comes first, with jump links
to the panels; the evaluations page filters and sorts, and shows every row without JavaScript.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, card, make_repo, static_server
from sitegen.build import build
from sitegen.config import Config

from hub.test_evals_large import mteb_card

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

# Each table of the evaluations panel, and the panel itself: wider than the box it sits in?
OVERFLOW = """() => {
  const out = [];
  document.querySelectorAll('.evals-panel, .evals-panel table').forEach(el => {
    const box = el.tagName === 'TABLE' ? el.parentElement.getBoundingClientRect() : null;
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.className + ': ' + el.scrollWidth + ' > ' + el.clientWidth);
    if (box && el.getBoundingClientRect().right > box.right + 1) out.push(el.className + ' sticks out');
  });
  return out;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT / "sample_repos", src, dirs_exist_ok=True)
    make_repo(src, "bench/mteb-like", mteb_card(60))
    make_repo(src, "bench/long-words", card(f"""
model-index:
- name: {"m" * 90}
  results:
  - task: {{type: {"T" * 90}}}
    dataset: {{type: d, name: {"D" * 120}, config: {"c" * 60}, split: {"s" * 60}}}
    metrics:
    - {{type: {"metric_" * 15}x, value: "{"9" * 40}"}}
    - {{type: f1, value: 0.5}}
- name: other
  results:
  - task: {{type: t}}
    dataset: {{type: d, name: D}}
    metrics:
    - {{type: {"M" * 90}, value: 1}}
"""))
    out = tmp_path_factory.mktemp("served") / "site"
    result = build(Config(source=src, output=out))
    assert result.report.errors == 0
    return out


@pytest.fixture(scope="module")
def base_url(site: Path):
    with static_server(site.parent) as url:
        yield url + "site/"


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.mark.parametrize("width", [1280, 420])
def test_no_evaluation_column_is_ever_hidden(browser, site: Path, base_url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("models/**/index.html"))
    with_evals, problems = 0, {}
    for path in pages:
        page.goto(base_url + path)
        with_evals += page.locator(".evals-panel").count()
        found = page.evaluate(OVERFLOW)
        if found:
            problems[path] = found
    page.close()
    assert problems == {}
    assert with_evals >= 25  # the sample pages with evaluation results (28 today), and the large set


@pytest.mark.parametrize("width, card_first", [(420, True), (1280, False)])
def test_on_a_phone_the_card_comes_first(browser, base_url: str, width: int, card_first: bool) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base_url + "models/acme-nlp/tiny-bert-sst2/index.html")
    card = page.locator("article.model-card").bounding_box()
    side = page.locator(".model-side").bounding_box()
    jump = page.locator("nav.model-jump")
    if card_first:
        assert card["y"] < 900 and card["y"] + 200 < side["y"]  # read from the first screen on
        assert jump.is_visible()
        links = jump.locator("a")
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
            "#card", "#widget-title", "#usage-title", "#details-title", "#evals-title", "#files-title"]
        for i in range(1, links.count()):  # each leads to its panel
            target = links.nth(i).get_attribute("href")
            assert page.locator(target).count() == 1
        links.nth(4).click()
        assert page.evaluate("location.hash") == "#evals-title"
        assert 0 <= page.locator("#evals-title").bounding_box()["y"] < 900  # scrolled into view
    else:  # the wide layout as it was: the card left, the panels right, side by side
        assert card["x"] < side["x"] and abs(card["y"] - side["y"]) < 5
        assert not jump.is_visible()
    page.close()


def _visible_rows(page) -> int:
    return page.eval_on_selector_all("table[data-evals-table] tbody tr", "rs => rs.filter(r => !r.hidden).length")


def test_the_evaluations_page_filters_and_sorts(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "models/bench/mteb-like/index.html")
    page.click("text=All 96 results, sortable and filterable")
    assert page.url.endswith("models/bench/mteb-like/evaluations.html")
    assert _visible_rows(page) == 96
    assert page.locator("[data-evals-count]").text_content() == "96 of 96 shown"
    page.select_option("select[name=task]", "Retrieval")
    assert _visible_rows(page) == 18  # 6 datasets x 3 metrics
    page.fill("input[name=q]", "ndcg")
    assert _visible_rows(page) == 6
    assert page.locator("[data-evals-count]").text_content() == "6 of 96 shown"
    page.fill("input[name=q]", "dataset00011 ndcg_at_10")  # words in any column, raw ids too
    assert _visible_rows(page) == 1
    page.fill("input[name=q]", "")
    page.select_option("select[name=task]", "")
    value = page.locator("table[data-evals-table] thead th").nth(2)
    value.locator("button").click()
    value.locator("button").click()
    first = page.locator("table[data-evals-table] tbody tr").first.locator("td.num")
    assert first.get_attribute("data-value") == "59.0123456789"
    assert errors == []
    page.close()


def test_the_evaluations_page_without_javascript_shows_every_row(browser, base_url: str) -> None:
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 420, "height": 900})
    page = ctx.new_page()
    page.goto(base_url + "models/bench/mteb-like/evaluations.html")
    assert not page.locator("form[data-evals-filter]").is_visible()
    assert page.locator("table[data-evals-table] tbody tr:visible").count() == 96
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0  # the full table fits a phone too
    ctx.close()


def test_the_large_set_pages_pass_axe(browser, site: Path) -> None:
    pytest.importorskip("axe_playwright_python")
    from test_browser_a11y import scan_pages

    found = scan_pages(browser, site, ["models/bench/mteb-like/index.html", "models/bench/mteb-like/evaluations.html",
                                       "models/bench/long-words/index.html"])
    assert found.violations == {name: [] for name in found.violations}
    assert found.problems == []
