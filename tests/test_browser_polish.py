"""In headless Chromium: index cards the script draws say the parameter count as the static ones do; tags open without script."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site, card, make_repo
from test_browser import browser  # noqa: F401
from weightfiles import index, safetensors

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("polishjs")
    src = root / "src"
    make_repo(src, "acme/small", card("pipeline_tag: fill-mask", "# Small\n"),
              {"model.safetensors": safetensors({"w": ("F32", [3, 4]), "b": ("F32", [5])})})
    make_repo(src, "acme/big", card("pipeline_tag: text-generation\ntags:\n"
                                    + "".join(f"- t{i}\n" for i in range(20)), "# Big\n"),
              {"model.safetensors.index.json": index({"w": "model-00001-of-00001.safetensors"},
                                                     total_size=14_483_496_960, total_parameters=7_241_748_480)})
    make_repo(src, "acme/unknown", card("pipeline_tag: fill-mask", "# Unknown\n"))
    build_site(src, root / "site")
    return root / "site"


def _params(tab) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return tab.eval_on_selector_all("#models > li.card", """els => Object.fromEntries(els.map(e => [
        e.querySelector('.card-title').textContent,
        e.querySelector('.card-params') ? [e.querySelector('.card-params').textContent,
                                          e.querySelector('.card-params').title] : null]))""")


def test_scripted_cards_show_the_parameter_count(browser, small_site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url = (small_site / "index.html").as_uri()
    static_ctx = browser.new_context(java_script_enabled=False)
    static = static_ctx.new_page()
    static.goto(url)
    want = {"acme/small": ["17 params", "17 parameters"],
            "acme/big": ["7.24B params", "7,241,748,480 parameters"], "acme/unknown": None}
    assert _params(static) == want
    static_ctx.close()
    ctx = browser.new_context()
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(url + "#sort=size")
    tab.wait_for_function("document.querySelector('#models > li.card') !== null")
    assert _params(tab) == want and errors == []
    tab.goto((small_site / "models/acme/big/index.html").as_uri())
    assert tab.locator(".model-head .chip-tag:visible").count() == 6
    tab.click(".tags-more > summary")
    assert tab.locator(".model-head .chip-tag:visible").count() == 20
    ctx.close()
