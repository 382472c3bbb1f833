"""The sample site in headless Chromium: no errors, pickers and filters work, file:// works.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import static_server

from sitegen.build import build
from sitegen.config import Config

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("served") / "site"  # served under /site/, like a Pages project
    result = build(Config(source=ROOT / "sample_repos", output=out))
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


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # A request cut short by the next navigation is aborted, not broken.
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}: {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.problems = problems
    yield page
    ctx.close()


def _models(site: Path) -> int:
    return len(list(site.glob("models/**/index.html")))


def test_every_page_loads_without_errors_under_a_subpath(page, base_url, site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > _models(site) + 20  # model pages, the index, task and tag listings
    for rel in pages:
        page.goto(base_url + rel)
        assert page.locator("h1").count() >= 1, rel
    assert page.problems == []


def test_picker_shows_one_example_and_switches(page, base_url):
    page.goto(base_url + "models/acme-nlp/tiny-bert-sst2/index.html")
    visible = page.locator("[data-example]:visible")
    assert visible.count() == 1
    first = visible.first.get_attribute("id")
    options = page.locator("#example-picker option")
    second = options.nth(1).get_attribute("value")
    page.select_option("#example-picker", second)
    assert page.locator("[data-example]:visible").first.get_attribute("id") == second != first
    assert page.url.endswith("#" + second)


def test_picker_works_from_the_keyboard(page, base_url):
    page.goto(base_url + "models/acme-nlp/tiny-bert-squad/index.html")
    page.focus("#example-picker")
    before = page.locator("[data-example]:visible").first.get_attribute("id")
    page.keyboard.press("ArrowDown")
    after = page.locator("[data-example]:visible").first.get_attribute("id")
    assert before != after


def test_without_javascript_every_example_is_shown(browser, base_url, site):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base_url + "models/acme-nlp/tiny-bert-sst2/index.html")
    assert page.locator("[data-example]:visible").count() == page.locator("[data-example]").count() > 1
    assert not page.locator("[data-picker]").is_visible()
    page.goto(base_url + "index.html")
    assert page.locator("#models > li:visible").count() == _models(site)
    ctx.close()


def test_gallery_thumbnails_open_full_images(page, base_url):
    page.goto(base_url + "models/lumen-vision/dreamlite-512/index.html")
    links = page.locator(".widget .gallery a.lightbox-open")  # each opens its #view-N
    assert links.count() == 5
    for i in range(links.count()):
        img = links.nth(i).locator("img")
        assert page.evaluate("(i) => i.complete && i.naturalWidth > 0", img.element_handle())
    view = links.first.get_attribute("href")
    href = page.locator(view + " .lightbox-image").get_attribute("href")  # the original
    response = page.goto(base_url + "models/lumen-vision/dreamlite-512/" + href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/")


def test_audio_players_load(page, base_url):
    page.goto(base_url + "models/sonora-audio/vits-lite-en/index.html")
    audio = page.locator("audio").first
    assert audio.evaluate("(a) => a.preload") == "metadata"  # the page loads the header itself
    page.wait_for_function("(a) => a.readyState >= 1", arg=audio.element_handle(), timeout=5000)
    assert page.evaluate("(a) => a.duration", audio.element_handle()) > 0.5


def test_site_works_from_file_urls(page, site):
    page.goto((site / "index.html").as_uri())
    page.click("text=tiny-bert-squad")
    assert page.url.endswith("models/acme-nlp/tiny-bert-squad/index.html")
    assert page.locator(".answer").first.is_visible()
    page.click("text=All models")
    assert page.url.endswith("/index.html")
    assert page.problems == []
