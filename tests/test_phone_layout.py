"""The model page's order for phones (model.html): the card comes first in the page, and the
jump links above it each lead to exactly one panel. Chromium checks the layout itself
(test_browser_evals.py); this checks every sample page's HTML."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, build_site


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("site")
    build_site(ROOT / "sample_repos", out)
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.glob("models/**/index.html")}


def test_every_jump_link_leads_to_one_panel(pages: dict[str, str]) -> None:
    assert len(pages) >= 30
    for path, html in pages.items():
        nav = re.search(r'<nav class="model-jump" aria-label="On this page">(.*?)</nav>', html)
        assert nav, path
        targets = re.findall(r'href="#([^"]+)"', nav.group(1))
        assert targets[:2] == ["card", "widget-title"] and targets[-1] == "files-title", path
        assert [t for t in targets if t != "usage-title"][2] == "details-title", path
        assert ("evals-title" in targets) == ('id="evals-title"' in html), path
        assert ("usage-title" in targets) == ('id="usage-title"' in html), path
        for target in targets:
            assert html.count(f'id="{target}"') == 1, (path, target)


def test_the_card_comes_before_the_panels(pages: dict[str, str]) -> None:
    for path, html in pages.items():
        card = html.index('<article class="model-card markdown" id="card"')
        assert html.index('<nav class="model-jump"') < card < html.index('<div class="model-side">'), path
