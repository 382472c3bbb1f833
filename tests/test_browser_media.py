"""Media in headless Chromium: the gallery lightbox with keys, without JavaScript and from
file://; WebP thumbnails; audio that fetches only its header before playing.

Skipped when Debian's chromium or the playwright package is not installed.
"""
from __future__ import annotations

import pytest

# The sample site, its server, the browser and a page that records failed requests.
from test_browser import base_url, browser, page, site  # noqa: F401

pytestmark = pytest.mark.browser
DREAMLITE = "models/lumen-vision/dreamlite-512/index.html"


def _open_views(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return tab.eval_on_selector_all(
        ".lightbox", "els => els.filter(e => getComputedStyle(e).display !== 'none').map(e => e.id)")


def _focused(tab) -> str:  # type: ignore[no-untyped-def]
    return tab.evaluate("() => document.activeElement.getAttribute('href') || ''")


def _image_loaded(tab, selector: str) -> bool:  # type: ignore[no-untyped-def]
    tab.wait_for_function("(s) => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0 }",
                           arg=selector, timeout=5000)
    return True


def test_lightbox_keys(page, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(base_url + DREAMLITE)
    assert _open_views(page) == []
    page.focus(".widget a.lightbox-open >> nth=0")
    page.keyboard.press("Enter")
    assert page.url.endswith("#view-1") and _open_views(page) == ["view-1"]
    assert _image_loaded(page, "#view-1 .lightbox-figure img")
    assert page.evaluate("() => document.activeElement.matches('#view-1 [data-close]')")
    page.keyboard.press("ArrowRight")
    assert _open_views(page) == ["view-2"]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert _open_views(page) == ["view-5"]  # wraps around
    for _ in range(8):  # Tab stays inside the open view
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('#view-5')")
    page.keyboard.press("Escape")
    assert _open_views(page) == []
    # back on the thumbnail of the last image seen
    page.wait_for_function("() => document.activeElement.getAttribute('href') === '#view-5'", timeout=3000)
    assert page.problems == []


def test_lightbox_without_javascript(browser, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 800})
    tab = ctx.new_page()
    failed: list[str] = []
    tab.on("requestfailed", lambda r: failed.append(r.url) if "ERR_ABORTED" not in (r.failure or "") else None)
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.goto(base_url + DREAMLITE)
    tab.click(".model-card a.lightbox-open >> nth=1")
    assert tab.url.endswith("#gallery-view-2") and _open_views(tab) == ["gallery-view-2"]
    assert _image_loaded(tab, "#gallery-view-2 .lightbox-figure img")
    figure = tab.locator("#gallery-view-2 .lightbox-figure img").bounding_box()
    assert figure and figure["width"] > 300  # the full image, not a thumbnail
    tab.click("#gallery-view-2 [data-next]")
    assert _open_views(tab) == ["gallery-view-3"]
    tab.click("#gallery-view-3 [data-close]")
    assert _open_views(tab) == [] and tab.url.endswith("#gallery-3")
    original = tab.locator("#gallery-view-3 .lightbox-image").get_attribute("href")
    response = tab.goto(base_url + "models/lumen-vision/dreamlite-512/" + original)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert failed == []
    ctx.close()


def test_lightbox_from_file_urls(page, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto((site / DREAMLITE).as_uri())
    page.focus(".model-card a.lightbox-open >> nth=0")
    page.keyboard.press("Enter")
    assert _open_views(page) == ["gallery-view-1"]
    assert _image_loaded(page, "#gallery-view-1 .lightbox-figure img")
    page.keyboard.press("ArrowLeft")
    assert _open_views(page) == ["gallery-view-5"]
    page.keyboard.press("Escape")
    assert _open_views(page) == [] and _focused(page) == "#gallery-view-5"
    assert page.problems == []


def test_thumbnails_are_webp_with_their_size(page, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(base_url + DREAMLITE)
    thumbs = page.locator(".widget .gallery img")
    assert thumbs.count() == 5
    for i in range(5):
        img = thumbs.nth(i)
        assert img.get_attribute("width") == "512" and img.get_attribute("height") == "512"
        page.wait_for_function("(i) => i.complete && i.naturalWidth > 0", arg=img.element_handle(), timeout=5000)
        src, natural = img.evaluate("(i) => [i.currentSrc, i.naturalWidth]")
        assert src.endswith(".webp") and natural == 384
    assert page.problems == []


def test_audio_knows_its_duration_before_playing(page, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(base_url + "models/sonora-audio/vits-lite-en/index.html")
    audio = page.locator("audio").first
    assert audio.get_attribute("preload") == "metadata"  # the header only, not the whole file
    assert page.locator(".widget .waveform").first.is_visible()
    shown = page.locator(".media-duration time").first.get_attribute("datetime")
    text = page.locator(".media-duration time").first.inner_text()
    assert (audio.get_attribute("aria-label") or "").endswith(", " + text)
    assert audio.evaluate("(a) => a.paused")
    page.wait_for_function("(a) => a.readyState >= 1", arg=audio.element_handle(), timeout=5000)
    duration = audio.evaluate("(a) => a.duration")
    assert shown == f"PT{duration:.2f}S"
    assert page.problems == []
