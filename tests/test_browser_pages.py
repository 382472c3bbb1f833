"""Model page features in headless Chromium: sortable evaluation tables, images for one colour
scheme, the not-for-all-audiences click-through, MathML.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import card, make_repo, png_bytes, static_server
from sitegen.build import build
from sitegen.config import Config

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

EVALS = card("""
model-index:
- name: sorter
  results:
  - task: {type: text-classification}
    dataset: {type: b, name: beta}
    metrics:
    - {type: accuracy, value: 9.5}
  - task: {type: text-classification}
    dataset: {type: a, name: Alpha}
    metrics:
    - {type: f1, value: "100"}
  - task: {type: text-classification}
    dataset: {type: g, name: gamma}
    metrics:
    - {type: exact_match, value: n/a}
  - task: {type: text-classification}
    dataset: {type: d, name: delta}
    metrics:
    - {type: bleu, value: "20.0 ± 1.2"}
  - task: {type: text-classification}
    dataset: {type: e, name: epsilon}
    metrics:
    - {type: rouge, value: 10.25}
""")
SCHEMES = card("license: mit", """# Logos

![dark logo](img/dark.png#hf-dark-mode-only)
![light logo](img/light.png#hf-light-mode-only)

<img src="img/dark.png" class="hidden dark:block" alt="dark class logo" width="40" height="30">
<img src="img/light.png" class="dark:hidden" alt="light class logo" width="40" height="30">
<img src="img/light.png" alt="both schemes logo" width="40" height="30">
""")
ADULT = card("""
pipeline_tag: text-classification
tags: [not-for-all-audiences]
widget:
- text: widget input behind the gate
  output:
  - label: GATED_LABEL
    score: 0.9
""", "# Gated card\n\nThe card text behind the gate.\n")
MATH = card("license: mit", "# Math\n\nInline \\\\(a^2+b^2\\\\) here.\n\n$$\\frac{x+1}{y}$$\n")
CODE = card("license: mit", "# Code\n\nRun this:\n\n```python\nprint('copied text')\n```\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    make_repo(src, "acme/evals", EVALS)
    make_repo(src, "acme/schemes", SCHEMES, {"img/dark.png": png_bytes(40, 30, (20, 20, 20)),
                                             "img/light.png": png_bytes(40, 30, (240, 240, 240))})
    make_repo(src, "acme/adult", ADULT)
    make_repo(src, "acme/math", MATH)
    make_repo(src, "acme/a_rather_long_model_name-for_wrapping", CODE)
    out = tmp_path_factory.mktemp("served") / "site"  # served under /site/, like a Pages project
    result = build(Config(source=src, output=out))
    assert result.report.errors == 0 and result.report.warnings == 0
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


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}: {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    return problems


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    page.problems = _watch(page)
    yield page
    ctx.close()


# --- sortable evaluation table ---------------------------------------------------------------

def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "table.evals tbody tr", f"rows => rows.map(r => r.cells[{index}].firstChild.textContent.trim())")


def _values(page) -> list[str]:
    return page.eval_on_selector_all("table.evals tbody td.num", "tds => tds.map(t => t.dataset.value)")


DATASET, METRIC, VALUE = 0, 1, 2


def test_value_column_sorts_numerically_then_reverses(page, base_url):
    page.goto(base_url + "models/acme/evals/index.html")
    assert _values(page) == ["9.5", "100.0", "", "20.0", "10.25"]  # the card's order
    header = page.locator("table.evals thead th").nth(VALUE)
    header.locator("button.sort-button").click()
    assert _values(page) == ["9.5", "10.25", "20.0", "100.0", ""]  # not "10.25" < "100.0" < "20.0"
    assert header.get_attribute("aria-sort") == "ascending"
    assert _column(page, DATASET) == ["beta", "epsilon", "delta", "Alpha", "gamma"]  # whole rows move
    header.locator("button.sort-button").click()
    assert _values(page) == ["100.0", "20.0", "10.25", "9.5", ""]  # no number: last either way
    assert header.get_attribute("aria-sort") == "descending"
    assert page.problems == []


def test_text_column_sorts_alphabetically(page, base_url):
    page.goto(base_url + "models/acme/evals/index.html")
    page.locator("table.evals thead th").nth(DATASET).locator("button").click()
    assert _column(page, DATASET) == ["Alpha", "beta", "delta", "epsilon", "gamma"]
    page.locator("table.evals thead th").nth(DATASET).locator("button").click()
    assert _column(page, DATASET) == ["gamma", "epsilon", "delta", "beta", "Alpha"]
    page.locator("table.evals thead th").nth(METRIC).locator("button").click()
    assert _column(page, METRIC) == ["Accuracy", "BLEU", "Exact match", "F1", "ROUGE"]
    headers = page.locator("table.evals thead th")
    assert [headers.nth(i).get_attribute("aria-sort") for i in range(headers.count())] == \
        [None, "ascending", None]


def test_sorting_works_from_the_keyboard(page, base_url):
    page.goto(base_url + "models/acme/evals/index.html")
    button = page.locator("table.evals thead th").nth(VALUE).locator("button")
    button.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('sort-button')")
    page.keyboard.press("Enter")
    assert _values(page) == ["9.5", "10.25", "20.0", "100.0", ""]
    page.keyboard.press("Enter")
    assert _values(page) == ["100.0", "20.0", "10.25", "9.5", ""]
    # and the header buttons are in the tab order
    page.locator("table.evals thead th").nth(0).locator("button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Metric"


def test_table_keeps_the_card_order_without_javascript(browser, base_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base_url + "models/acme/evals/index.html")
    assert page.locator("table.evals thead button").count() == 0
    assert _values(page) == ["9.5", "100.0", "", "20.0", "10.25"]
    ctx.close()


# --- images for one colour scheme ------------------------------------------------------------

def _shown(page, alt: str) -> bool:
    img = page.locator(f'.model-card img[alt="{alt}"]')
    assert img.count() == 1
    return img.is_visible()


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_images_follow_the_colour_scheme(browser, base_url, scheme):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    problems = _watch(page)
    page.goto(base_url + "models/acme/schemes/index.html")
    dark = scheme == "dark"
    visible = "dark logo" if dark else "light logo"
    img = page.locator(f'.model-card img[alt="{visible}"]')
    page.wait_for_function("(i) => i.complete && i.naturalWidth === 40", arg=img.element_handle(), timeout=5000)
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches") == dark
    assert _shown(page, "dark logo") == dark
    assert _shown(page, "dark class logo") == dark
    assert _shown(page, "light logo") == (not dark)
    assert _shown(page, "light class logo") == (not dark)
    assert _shown(page, "both schemes logo")
    assert problems == []
    ctx.close()


# --- not for all audiences -------------------------------------------------------------------

def test_adult_card_shows_only_after_clicking_the_summary(page, base_url):
    page.goto(base_url + "models/acme/adult/index.html")
    summary = page.locator("details.adult-gate > summary")
    assert summary.is_visible()
    assert "not for all audiences" in summary.text_content()
    card_text = page.get_by_text("The card text behind the gate.")
    label = page.locator(".label-name", has_text="GATED_LABEL")
    assert not card_text.is_visible() and not label.is_visible()
    assert not page.locator(".model-card").is_visible() and not page.locator("[data-widget]").is_visible()
    summary.click()
    assert card_text.is_visible() and label.is_visible()
    assert page.locator(".model-card h1").is_visible()
    assert page.problems == []


def test_adult_gate_opens_from_the_keyboard(page, base_url):
    page.goto(base_url + "models/acme/adult/index.html")
    page.locator("details.adult-gate > summary").focus()
    page.keyboard.press("Enter")
    assert page.get_by_text("The card text behind the gate.").is_visible()


# --- MathML ----------------------------------------------------------------------------------

def test_mathml_renders(page, base_url):
    page.goto(base_url + "models/acme/math/index.html")
    maths = page.locator(".model-card math")
    assert maths.count() == 2
    for i in range(2):
        box = maths.nth(i).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
    # Laid out as MathML: the fraction's numerator sits above its denominator.
    over, under = (page.locator(".model-card mfrac > *").nth(i).bounding_box() for i in (0, 1))
    assert over["y"] + over["height"] <= under["y"] + 1
    inline, display = (maths.nth(i).bounding_box() for i in (0, 1))
    assert page.evaluate("(m) => getComputedStyle(m).display", maths.nth(1).element_handle()) == "block"
    assert page.evaluate("(m) => getComputedStyle(m).display", maths.nth(0).element_handle()) != "block"
    assert inline["width"] < display["width"]
    assert page.problems == []


# --- long ids and copy buttons ------------------------------------------------------------------

LONG = "models/acme/a_rather_long_model_name-for_wrapping/index.html"


def test_long_id_wraps_only_after_separators(browser, base_url):
    ctx = browser.new_context(viewport={"width": 360, "height": 800})
    page = ctx.new_page()
    page.goto(base_url + LONG)
    h1 = page.locator(".model-head h1")
    assert h1.inner_text().replace("\n", "") == "acme/a_rather_long_model_name-for_wrapping"
    # each line of the wrapped heading ends at a separator: no word is broken
    lines = h1.evaluate("""(h) => {
        const r = document.createRange(), out = [];
        const walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
        let text = "", top = null;
        for (let n = walk.nextNode(); n; n = walk.nextNode())
          for (let i = 0; i < n.length; i++) {
            r.setStart(n, i); r.setEnd(n, i + 1);
            const y = Math.round(r.getBoundingClientRect().top);
            if (top !== null && y > top + 2) { out.push(text); text = ""; }
            top = y; text += n.data[i];
          }
        out.push(text); return out; }""")
    assert len(lines) > 1
    assert all(line[-1] in "/-_" for line in lines[:-1]), lines
    ctx.close()


def test_copy_buttons_copy_code_and_id(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1200, "height": 800},
                              permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    problems = _watch(page)
    page.goto(base_url + LONG)
    code = page.get_by_role("button", name="Copy code block 1")
    code.focus()
    page.keyboard.press("Enter")
    # writeText resolves asynchronously: wait for the label rather than read it at once.
    page.wait_for_function("(b) => b.textContent !== 'Copy'", arg=code.element_handle(), timeout=5000)
    assert code.inner_text() == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == "print('copied text')\n"
    head = page.get_by_role("button", name="Copy model id acme/a_rather_long_model_name-for_wrapping")
    head.click()
    page.wait_for_function("(b) => b.textContent !== 'Copy id'", arg=head.element_handle(), timeout=5000)
    assert head.inner_text() == "Copied"
    assert page.evaluate("navigator.clipboard.readText()") == "acme/a_rather_long_model_name-for_wrapping"
    assert problems == []
    ctx.close()


def test_copy_button_works_from_file_urls(page, site):
    """Where navigator.clipboard is missing (an insecure context: some browsers count file://
    as one), the text is selected and copied with execCommand, or left selected for Ctrl+C."""
    page.goto((site / LONG).as_uri())
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    button = page.get_by_role("button", name="Copy code block 1")
    button.click()
    page.wait_for_function("(b) => b.textContent !== 'Copy'", arg=button.element_handle(), timeout=5000)
    said = button.inner_text()
    assert said in ("Copied", "Press Ctrl+C")
    if said == "Press Ctrl+C":
        assert page.evaluate("getSelection().toString()") == "print('copied text')\n"
