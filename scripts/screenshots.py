"""Take screenshots of a built site in headless Chromium, light and dark, for review by eye.

usage: python scripts/screenshots.py SITE_DIR OUT_DIR [PAGE ...]
       python scripts/screenshots.py --widgets SITE_DIR OUT_DIR
PAGE is a path inside the site (default: index.html). --widgets photographs the widget of
every model page instead, light and dark, one file each: the way to review every output
kind by eye. Needs Debian's chromium and the `playwright` package (no browser download:
it drives /usr/bin/chromium).
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def widgets(site: Path, out_dir: Path) -> int:
    """Photograph the widget panel of every model page, light and dark."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for html in sorted(site.glob("models/**/index.html")):
                page.goto(html.resolve().as_uri())
                page.wait_for_timeout(100)
                slug = html.parent.relative_to(site / "models").as_posix().replace("/", "_")
                page.locator("section.widget").first.screenshot(path=str(out_dir / f"{slug}-{scheme}.png"))
            page.close()
        browser.close()
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--widgets":
        out = Path(argv[2])
        out.mkdir(parents=True, exist_ok=True)
        return widgets(Path(argv[1]), out)
    site, out, *pages = argv
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        for scheme in ("light", "dark"):
            for width in (1280, 420):
                ctx = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = ctx.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                for name in pages or ["index.html"]:
                    page.goto((Path(site).resolve() / name).as_uri())
                    page.wait_for_timeout(150)
                    slug = name.replace("/", "_").replace(".html", "")
                    page.screenshot(path=str(out_dir / f"{slug}-{scheme}-{width}.png"), full_page=True)
                for e in errors:
                    print(f"{scheme} {width}: {e}")
                ctx.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
