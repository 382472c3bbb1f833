"""Measure the index page at catalog scale in headless Chromium: file sizes, time to a usable
page, and the time from one keystroke in the filter to the next painted frame.

usage: python bench/search_speed.py [N ...]        (default: 1000 10000 30000)

The models are variations of the sample catalog's pages, rendered by the real templates.
Needs Debian's chromium and the playwright package.
"""
from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitegen.build import collect
from sitegen.config import Config
from sitegen.render import search_index
from sitegen.report import Report
from sitegen.resolve import Site
from sitegen.theme import environment, static_files

ROOT = Path(__file__).resolve().parents[1]
WORDS = "bert tiny vit whisper llama base large small multilingual finetuned distilled sentiment".split()
QUERIES = ["b", "be", "ber", "bert", "bert s", "bert sm", "l", "ll", "lla", "llama", "llama 7", ""]


def catalog(n: int) -> Site:
    """A site of n models made from the sample catalog's pages."""
    site, _ = collect(Config(source=ROOT / "sample_repos"), Report())
    pages = []
    for i in range(n):
        base = site.models[i % len(site.models)]
        word = WORDS[i % len(WORDS)]
        name = f"org{i % 211}/{word}-{i:05d}"
        meta = dataclasses.replace(base.meta, tags=base.meta.tags + (f"{word}", f"set{i % 40}"))
        pages.append(dataclasses.replace(base, id=name, path=f"models/{name}/index.html", dir=f"models/{name}",
                                         meta=meta, updated=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    return Site("Catalog", "", tuple(sorted(pages, key=lambda p: p.id.lower())))


def measure(n: int, browser) -> dict[str, float]:  # type: ignore[no-untyped-def]
    site = catalog(n)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        html = environment(None).get_template("index.html").render(site=site, root="", path="index.html")
        (out / "index.html").write_text(html)
        (out / "search-index.js").write_bytes(search_index(site))
        for path, source in static_files(None).items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(source.read_bytes())
        page = browser.new_page()
        page.goto((out / "index.html").as_uri(), wait_until="load")
        page.wait_for_selector("#filter-count:not(:empty)")
        ready = page.evaluate("performance.now()")
        times = page.evaluate("""async (queries) => {
            const q = document.getElementById('filter-q'), out = [];
            const painted = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
            for (let round = 0; round < 3; round++) for (const text of queries) {
                const t = performance.now();
                q.value = text; q.dispatchEvent(new Event('input'));
                await painted();  // the filtered list is on screen
                out.push(performance.now() - t);
            }
            return out;
        }""", QUERIES)
        page.close()
        return {"html_kb": len(html.encode()) / 1000, "index_kb": (out / "search-index.js").stat().st_size / 1000,
                "ready_ms": ready, "key_median_ms": statistics.median(times), "key_max_ms": max(times)}


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10_000, 30_000]
    print("| models | index.html | search-index.js | page usable | keystroke (median) | keystroke (max) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        measure(100, browser)  # warm up the browser, so the first size is not paying for it
        for n in sizes:
            r = measure(n, browser)
            print(f"| {n:,} | {r['html_kb']:,.0f} KB | {r['index_kb']:,.0f} KB | {r['ready_ms']:,.0f} ms "
                  f"| {r['key_median_ms']:.1f} ms | {r['key_max_ms']:.1f} ms |", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
