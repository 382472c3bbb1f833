"""Measure the index page at catalog scale in headless Chromium: file sizes, time to a usable
page, time until every shard of the search index is in, and the time from one keystroke in
the filter to the next painted frame.

usage: python bench/search_speed.py [N ...]        (default: 1000 10000 30000)

The models are records (Entry) made from the sample catalog's pages; the index files are
rendered from them by the real code (render.aggregates), so no model page is built.
Needs Debian's chromium and the playwright package.
"""
from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitegen.aggregate import Site
from sitegen.build import collect
from sitegen.config import Config
from sitegen.render import aggregates, entry_digest
from sitegen.report import Report
from sitegen.theme import static_files

ROOT = Path(__file__).resolve().parents[1]
WORDS = "bert tiny vit whisper llama base large small multilingual finetuned distilled sentiment".split()
QUERIES = ["b", "be", "ber", "bert", "bert s", "bert sm", "l", "ll", "lla", "llama", "llama 7", ""]


def catalog(n: int) -> Site:
    """A site of n model records made from the sample catalog's pages."""
    site, _ = collect(Config(source=ROOT / "sample_repos"), Report())
    entries, bases = [], site.models  # records already
    for i in range(n):
        base = bases[i % len(bases)]
        word = WORDS[i % len(WORDS)]
        name = f"org{i % 211}/{word}-{i:05d}"
        meta = dataclasses.replace(base.meta, tags=base.meta.tags + (f"{word}", f"set{i % 40}"))
        thumb = base.thumbnail.replace(base.dir, f"models/{name}", 1) if base.thumbnail else ""
        entries.append(dataclasses.replace(base, id=name, path=f"models/{name}/index.html", dir=f"models/{name}",
                                           meta=meta, thumbnail=thumb,
                                           updated=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    return Site("Catalog", "", tuple(sorted(entries, key=lambda e: e.id.lower())))


def write_index(site: Site, out: Path) -> dict[str, int]:
    """Write the index page, the search index and the no-script list pages: their sizes."""
    sizes = {}
    wanted = ("index.html", "search-index.js", "search/", "list/")
    for path, _, make in aggregates(None, site, entry_digest):
        if path.startswith(wanted):
            data = make()
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(data)
            sizes[path] = len(data)
    for path, source in static_files(None).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(source.read_bytes())
    return sizes


def _largest(sizes: dict[str, int], prefix: str) -> float:
    return max((v for k, v in sizes.items() if k.startswith(prefix)), default=0) / 1000


def measure(n: int, browser) -> dict[str, float]:  # type: ignore[no-untyped-def]
    site = catalog(n)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        sizes = write_index(site, out)
        page = browser.new_page()
        page.goto((out / "index.html").as_uri(), wait_until="load")
        page.wait_for_selector("#filter-count:not(:empty)")
        ready = page.evaluate("performance.now()")
        loaded = page.evaluate("""async () => {
            const q = document.getElementById('filter-q'), count = document.getElementById('filter-count');
            const t = performance.now();
            q.focus(); q.value = '/'; q.dispatchEvent(new Event('input'));
            while (count.textContent.includes('loading')) await new Promise(r => setTimeout(r, 5));
            return performance.now() - t;
        }""")
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
        total = page.text_content("#filter-count")
        assert total == f"{n:,} models", total
        page.close()
        return {"html_kb": sizes["index.html"] / 1000, "index_kb": sizes["search-index.js"] / 1000,
                "shard_kb": _largest(sizes, "search/"), "list_kb": _largest(sizes, "list/"),
                "files": len(sizes), "ready_ms": ready, "all_ms": loaded,
                "key_median_ms": statistics.median(times), "key_max_ms": max(times)}


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10_000, 30_000]
    print("| models | index.html | search-index.js | largest shard | largest list page | files | page usable "
          "| all shards in | keystroke (median) | keystroke (max) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        measure(100, browser)  # warm up the browser, so the first size is not paying for it
        for n in sizes:
            r = measure(n, browser)
            print(f"| {n:,} | {r['html_kb']:,.0f} KB | {r['index_kb']:,.0f} KB | {r['shard_kb']:,.0f} KB "
                  f"| {r['list_kb']:,.0f} KB | {r['files']:,.0f} | {r['ready_ms']:,.0f} ms | {r['all_ms']:,.0f} ms "
                  f"| {r['key_median_ms']:.1f} ms | {r['key_max_ms']:.1f} ms |", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
