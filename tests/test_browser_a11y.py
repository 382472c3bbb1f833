"""Accessibility of the sample site: axe-core on every page in light and dark, and every page
opened from file:// without errors.

One walk loads each page once from file:// (so the file:// check costs nothing extra), opens
its <details>, runs axe in light, in dark (emulated on the loaded page: cheaper than a second
context and checked below) and, for the layout rules only, 400px wide; the tests then read that
record. Two tabs take turns so that a machine with spare cores uses them. axe costs about a
second of CPU per page here, so this module takes about a minute. Skipped when Debian's
chromium, playwright or axe-playwright-python is not installed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The sample site and the browser.
from test_browser import browser, site  # noqa: F401

pytestmark = pytest.mark.browser
SEVERE = ("serious", "critical")
SCHEMES = ("light", "dark")
TABS = 2
WIDE, NARROW = {"width": 1200, "height": 800}, {"width": 400, "height": 800}
# The narrow pass looks again at what the layout decides: what scrolls, how big targets are.
LAYOUT_RULES = ["scrollable-region-focusable", "target-size", "meta-viewport"]
PASSES = [("light", "light", WIDE, None), ("dark", "dark", WIDE, None), ("narrow", "light", NARROW, LAYOUT_RULES)]

# Start axe in the page and keep the promise, so that several tabs can run at once. No CSSOM
# preload: from file:// axe would fetch each stylesheet, which the site's CSP rightly blocks.
AXE_START = """(rules) => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const options = {resultTypes: ["violations"], preload: false};
  if (rules) options.runOnly = {type: "rule", values: rules};
  window.__sitegenAxe = axe.run(document, options).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "),
                                why: ((n.any[0] || n.all[0] || n.none[0] || {}).message || "")}))})));
}"""
AXE_RESULT = "() => window.__sitegenAxe"
SCHEME_SEEN = """() => { const s = getComputedStyle(document.body);
  return [matchMedia("(prefers-color-scheme: dark)").matches, s.color + " on " + s.backgroundColor]; }"""


@dataclass
class Scan:
    """What one walk over the site saw: axe violations per pass, and load problems."""
    pages: list[str]
    violations: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name, *_ in PASSES})
    problems: list[str] = field(default_factory=list)
    seen: dict[str, set[tuple[bool, str]]] = field(default_factory=lambda: {s: set() for s in SCHEMES})


def site_pages(site: Path) -> list[str]:  # noqa: F811
    """The index, 404, the browse pages (one listing of each kind), every model page and two
    file viewer pages."""
    def first(pattern: str) -> list[str]:
        found = sorted(p.relative_to(site).as_posix() for p in site.glob(pattern))
        return found[:1]

    fixed = [p for p in ("index.html", "404.html", "tasks/index.html", "tags/index.html") if (site / p).is_file()]
    listings = first("tasks/*/index.html") + first("tags/*/index.html")
    models = sorted(p.relative_to(site).as_posix() for p in site.glob("models/**/index.html"))
    files = first("models/**/blob/config.json.html") + first("models/**/blob/LICENSE.html")  # file viewers
    return fixed + listings + models + files


def format_violations(page: str, scheme: str, violations: list[dict[str, Any]]) -> list[str]:
    """One line per serious or critical violation: page, pass, rule, impact, targets."""
    lines = []
    for v in violations:
        if v["impact"] in SEVERE:
            targets = "; ".join(n["target"] for n in v["nodes"])
            why = v["nodes"][0]["why"] if v["nodes"] else ""
            lines.append(f"{page} [{scheme}] {v['id']} ({v['impact']}, {len(v['nodes'])}x): {targets}"
                         f"{' -- ' + why if why else ''}")
    return lines


def _watch(tab: Any, problems: list[str], where: list[str]) -> None:
    tab.on("pageerror", lambda e: problems.append(f"{where[0]}: page error: {e}"))
    tab.on("console", lambda m: problems.append(f"{where[0]}: console: {m.text}") if m.type == "error" else None)
    tab.on("response", lambda r: problems.append(f"{where[0]}: {r.status} {r.url}") if r.status >= 400 else None)
    tab.on("requestfailed", lambda r: problems.append(f"{where[0]}: failed {r.url}: {r.failure}")
           if "ERR_ABORTED" not in (r.failure or "") else None)


def scan_pages(browser: Any, site: Path, pages: list[str]) -> Scan:  # noqa: F811
    """Load each page from file:// and run axe on it: light, dark, and light on a phone."""
    axe_script = pytest.importorskip("axe_playwright_python.sync_playwright").Axe().axe_script
    result = Scan(pages)
    ctx = browser.new_context(viewport=WIDE, color_scheme="light")
    tabs, where = [], []
    for _ in range(TABS):
        tab, at = ctx.new_page(), [""]
        _watch(tab, result.problems, at)
        tabs.append(tab)
        where.append(at)
    try:
        for start in range(0, len(pages), TABS):
            batch = list(zip(tabs, where, pages[start:start + TABS]))
            for tab, at, rel in batch:
                at[0] = rel
                tab.emulate_media(color_scheme="light")
                tab.set_viewport_size(WIDE)
                tab.goto((site / rel).resolve().as_uri())
            for tab, _, _ in batch:  # after load, so the record holds the page's own problems only
                tab.evaluate(axe_script)
            for name, scheme, viewport, rules in PASSES:
                for tab, _, _ in batch:
                    tab.emulate_media(color_scheme=scheme)
                    tab.set_viewport_size(viewport)
                    if name in SCHEMES:
                        result.seen[name].add(tuple(tab.evaluate(SCHEME_SEEN)))
                    tab.evaluate(AXE_START, rules)
                for tab, _, rel in batch:
                    result.violations[name] += format_violations(rel, name, tab.evaluate(AXE_RESULT))
    finally:
        ctx.close()
    return result


@pytest.fixture(scope="module")
def scan(browser: Any, site: Path) -> Scan:  # noqa: F811
    return scan_pages(browser, site, site_pages(site))


def _report(lines: list[str], what: str) -> str:
    return f"{len(lines)} {what}:\n" + "\n".join(lines)


def test_the_scan_covers_every_page_in_both_schemes(scan: Scan, site: Path) -> None:  # noqa: F811
    models = list(site.glob("models/**/index.html"))
    assert "index.html" in scan.pages and \
        len([p for p in scan.pages if p.startswith("models/") and p.endswith("/index.html")]) == len(models)
    assert len([p for p in scan.pages if "/blob/" in p]) == 2  # and two file viewer pages
    assert {dark for dark, _ in scan.seen["light"]} == {False}
    assert {dark for dark, _ in scan.seen["dark"]} == {True}
    light = {colours for _, colours in scan.seen["light"]}
    assert light.isdisjoint(colours for _, colours in scan.seen["dark"]), "the dark scheme changes the colours"


def test_no_serious_axe_violations_in_light_mode(scan: Scan) -> None:
    found = scan.violations["light"]
    assert not found, _report(found, "serious or critical axe violations in light mode")


def _added(scan: Scan, name: str) -> list[str]:
    """The violations of a pass that the light pass did not report already."""
    light = set(scan.violations["light"])
    return [line for line in scan.violations[name] if line.replace(f" [{name}] ", " [light] ", 1) not in light]


def test_no_serious_axe_violations_in_dark_mode(scan: Scan) -> None:
    # Only what dark mode adds (contrast, images for one scheme): the rest fails the test above.
    found = _added(scan, "dark")
    assert not found, _report(found, "serious or critical axe violations in dark mode only")


def test_no_serious_axe_violations_on_a_narrow_screen(scan: Scan) -> None:
    found = _added(scan, "narrow")
    assert not found, _report(found, f"serious or critical axe violations {NARROW['width']}px wide only")


def test_every_page_works_from_file_urls(scan: Scan) -> None:
    """test_browser.py walks index -> one model -> index; this covers every page."""
    assert not scan.problems, _report(scan.problems, "problems loading pages from file://")


def test_the_scan_reports_planted_problems(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    # Under a CSP like the site's: a missing alt, a nameless button, text faint in dark mode
    # only, a line of code that scrolls on a phone only, a script that logs an error and a
    # missing image.
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src 'self'; style-src 'self'\"><title>bad</title>"
        '<link rel="stylesheet" href="bad.css"></head><body><main><h1>Bad</h1><img src="x.png">'
        f'<button></button><p>faint at night</p><pre>{"x" * 90}</pre><script src="boom.js"></script></main></body></html>',
        encoding="utf-8")
    (tmp_path / "bad.css").write_text(
        "pre { overflow-x: auto } @media (prefers-color-scheme: dark) { body { background: #111; color: #333 } }",
        encoding="utf-8")
    (tmp_path / "boom.js").write_text("console.error('boom')", encoding="utf-8")
    found = scan_pages(browser, tmp_path, ["bad.html"])
    rules = {scheme: {line.split()[2] for line in lines} for scheme, lines in found.violations.items()}
    assert rules == {"light": {"image-alt", "button-name"}, "dark": {"image-alt", "button-name", "color-contrast"},
                     "narrow": {"scrollable-region-focusable"}}
    assert any(line.startswith("bad.html [light] image-alt (critical, 1x): img") for line in found.violations["light"])
    assert any("console: boom" in p for p in found.problems) and any("x.png" in p for p in found.problems)
