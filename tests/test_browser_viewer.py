"""Opening a file from a model page's file list in headless Chromium, over HTTP (a site served
under /site/, as on Pages), from file:// and in `sitegen serve`: its viewer page, its raw copy shown as text, the
line anchors and the way back.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from conftest import card, make_repo, static_server
from test_browser_pages import _watch, browser  # noqa: F401 (the browser fixture)

from sitegen.build import build
from sitegen.config import Config

pytestmark = pytest.mark.browser

CONFIG = json.dumps({"model_type": "bert", "note": "<script>alert(1)</script>", "label": "caf\u00e9"},
                    indent=2, ensure_ascii=False)
SCRIPT = "import torch\n\n\ndef forward(x):\n    return x * 2  # caf\u00e9\n"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    make_repo(src, "acme/viewer", card("license: mit\npipeline_tag: text-classification"),
              {"config.json": CONFIG, "LICENSE": "MIT License\n\nPermission is granted.\n",
               "code/model.py": SCRIPT, "model.bin": b"\x00\x01"})
    return src


@pytest.fixture(scope="module")
def site(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = source
    out = tmp_path_factory.mktemp("served") / "site"
    result = build(Config(source=src, output=out))
    assert result.report.errors == 0
    return out


@pytest.fixture(scope="module")
def http_url(site: Path):
    with static_server(site.parent) as url:
        yield url + "site/"


@pytest.fixture(scope="module")
def serve_url(source: Path):
    """`sitegen serve`'s preview server (its own MIME map, nosniff and CSP) over the same repos."""
    from sitegen.serve import Preview
    from sitegen.server import make_server

    preview = Preview(Config(source=source, jobs=1))
    preview.rebuild()
    server = make_server(preview, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    preview.close()


@pytest.fixture(params=["http", "file", "serve"])
def base(request, site: Path) -> str:
    if request.param == "file":
        return site.resolve().as_uri() + "/"
    return request.getfixturevalue("http_url" if request.param == "http" else "serve_url")


@pytest.fixture
def page(browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    page.problems = _watch(page)
    yield page
    ctx.close()


def test_click_a_file_opens_its_viewer_and_raw_text(page, base):
    page.goto(base + "models/acme/viewer/index.html")
    files = page.locator(".file-list")
    assert files.locator("a").all_inner_texts() == ["LICENSE", "config.json", "code/model.py"]
    assert files.locator("span.file-name").all_inner_texts() == ["README.md", "model.bin"]  # (the card: its page)
    files.get_by_role("link", name="config.json").click()
    page.wait_for_url("**/models/acme/viewer/blob/config.json.html")
    assert page.locator("h1").inner_text() == "config.json"
    assert page.locator("table.code tr").count() == len(CONFIG.splitlines())
    assert page.evaluate("() => document.querySelectorAll('table.code script').length") == 0
    assert "<script>alert(1)</script>" in page.locator("table.code").inner_text()  # shown as text
    assert page.problems == []  # (a raw text page has no icon: Chromium asks for /favicon.ico)
    page.get_by_role("link", name="Raw").click()
    page.wait_for_url("**/files/config.*.json")
    assert json.loads(page.locator("body").inner_text()) == json.loads(CONFIG)  # displayed, not downloaded
    page.go_back()
    page.get_by_role("link", name="Back to viewer").click()
    page.wait_for_url("**/models/acme/viewer/index.html")


def test_python_file_raw_is_text_and_lines_are_anchors(page, base):
    page.goto(base + "models/acme/viewer/index.html")
    page.locator(".file-list").get_by_role("link", name="code/model.py").click()
    page.wait_for_url("**/blob/code/model.py.html")
    page.locator('tr#L4 td.ln a').click()
    assert page.url.endswith("#L4")
    assert page.evaluate("() => document.querySelector('tr:target').id") == "L4"
    assert page.evaluate("() => getComputedStyle(document.querySelector('tr#L4')).backgroundColor") != \
        page.evaluate("() => getComputedStyle(document.querySelector('tr#L3')).backgroundColor")
    assert page.problems == []
    page.get_by_role("link", name="Raw").click()
    page.wait_for_url("**/files/code/model.py.*.txt")
    assert page.locator("body").inner_text().rstrip("\n") == SCRIPT.rstrip("\n")
    assert page.evaluate("() => document.contentType") == "text/plain"


def test_license_opens_as_text(page, base):
    page.goto(base + "models/acme/viewer/blob/LICENSE.html")
    page.get_by_role("link", name="Raw").click()
    page.wait_for_url("**/files/LICENSE.*.txt")
    assert page.locator("body").inner_text().startswith("MIT License")
    assert page.evaluate("() => document.contentType") == "text/plain"
