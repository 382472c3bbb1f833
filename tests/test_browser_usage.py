"""The Use-this-model panel in headless Chromium: copy buttons copy the code exactly (over http and
from file://), the code reads without JavaScript, and a phone screen never scrolls sideways.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import card, make_repo, resolve_repo, static_server
from sitegen.build import build
from sitegen.config import Config

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE = "models/acme/chat-model/index.html"
TEXT = 'A "quoted" \\ prompt with <b>markup</b> and a very long tail ' + "that wraps " * 20

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    make_repo(src, "acme/chat-model", card("pipeline_tag: text-generation\nwidget:\n- text: " + json.dumps(TEXT)),
              {"config.json": json.dumps({"architectures": ["LlamaForCausalLM"]}),
               "chat-model.Q4_K_M.gguf": b"GGUF"})
    return src


@pytest.fixture(scope="module")
def site(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("served") / "site"
    assert build(Config(source=source, output=out)).report.errors == 0
    return out


@pytest.fixture(scope="module")
def codes(source: Path) -> list[str]:
    page = resolve_repo(source / "acme/chat-model", "acme/chat-model").page
    assert page is not None and page.usage is not None
    return [s.code for s in page.usage.snippets("https://huggingface.co")]


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def test_copy_buttons_copy_each_snippet_exactly(browser, site: Path, codes: list[str]) -> None:
    with static_server(site.parent) as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "site/" + PAGE)
        snippets = page.locator(".usage-snippet")
        assert snippets.count() == len(codes) == 5  # pipeline, Auto class, llama.cpp, Ollama, llama-cpp-python
        for i, code in enumerate(codes):
            details = snippets.nth(i)
            details.evaluate("(d) => { d.open = true; }")
            button = details.locator(".copy-button")
            assert button.get_attribute("aria-label").startswith("Copy the code: ")
            button.click()
            page.wait_for_function("(b) => b.textContent !== 'Copy'", arg=button.element_handle(), timeout=5000)
            assert button.inner_text() == "Copied"
            assert page.evaluate("navigator.clipboard.readText()") == code
        assert errors == []
        ctx.close()


def test_copy_from_file_url_selects_the_code(browser, site: Path, codes: list[str]) -> None:
    page = browser.new_page()
    page.goto((site / PAGE).as_uri())
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    button = page.locator(".usage-snippet").first.locator(".copy-button")
    button.click()
    page.wait_for_function("(b) => b.textContent !== 'Copy'", arg=button.element_handle(), timeout=5000)
    said = button.inner_text()
    assert said in ("Copied", "Press Ctrl+C")
    if said == "Press Ctrl+C":
        selected = page.evaluate("getSelection().toString()")
        assert [line.rstrip() for line in selected.rstrip("\n").split("\n")] == codes[0].rstrip("\n").split("\n")
    page.close()


def test_reads_without_javascript_and_fits_a_phone(browser, site: Path, codes: list[str]) -> None:
    ctx = browser.new_context(viewport={"width": 420, "height": 900}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto((site / PAGE).as_uri())
    first = page.locator(".usage-snippet").first
    assert first.get_attribute("open") is not None
    shown = first.locator("pre").inner_text()
    assert [line.rstrip() for line in shown.rstrip("\n").split("\n")] == codes[0].rstrip("\n").split("\n")
    assert page.locator(".usage .copy-button").count() == 0
    panel = page.locator("section.usage")
    assert panel.evaluate("(p) => p.scrollWidth <= p.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ctx.close()
