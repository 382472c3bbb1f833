"""The parser's floor: how long markdown-it-py alone takes over a catalog's card bodies.

usage: python bench/floor.py SOURCE [--jobs N] [--level bare|linkify|sitegen|sanitised]

Each README.md under SOURCE/*/*/ is read, its front matter cut off, and its body parsed and
rendered, spread over N processes (default: one per core), as sitegen's build is. Levels:
- bare: markdown-it-py with what every card site needs (CommonMark, raw HTML, tables,
  strikethrough) and nothing of sitegen's: no YAML, no linkify, no plugins, no highlighting, no
  sanitising, no templates, no writes. A lower bound on any build of these cards on markdown-it-py.
- linkify: and bare URLs made links, as the Hub's renderer does.
- sitegen: sitegen's own parser (parser_for: plugins where triggered, our rules, Pygments).
- sanitised: and sitegen's nh3 sanitiser over the HTML, as every card must pass.
Prints one line of JSON: cards, wall seconds, CPU seconds (all processes).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

from markdown_it import MarkdownIt

LEVELS = ("bare", "linkify", "sitegen", "sanitised")


@functools.lru_cache(maxsize=None)  # one per process, not one per chunk of cards
def _renderer(level: str) -> Callable[[str], str]:
    if level in ("bare", "linkify"):
        md = MarkdownIt("commonmark", {"html": True, "linkify": level == "linkify"})
        md.enable(["table", "strikethrough"] + (["linkify"] if level == "linkify" else []))
        return md.render
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sitegen.markdown.parser import parser_for
    from sitegen.markdown.sanitise import sanitise

    if level == "sitegen":
        return lambda body: parser_for(body).render(body)
    return lambda body: sanitise(parser_for(body).render(body), lambda element, attr, value: value)


def _render(job: tuple[str, list[str]]) -> int:
    level, paths = job
    render, size = _renderer(level), 0
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") and "\n---\n" in text else text
        size += len(render(body))
    return size


def run(source: Path, jobs: int, level: str = "bare") -> dict[str, float]:
    paths = sorted(str(p) for p in source.glob("*/*/README.md"))
    chunks = [(level, paths[i:i + 50]) for i in range(0, len(paths), 50)]
    start = time.perf_counter()
    with Pool(jobs) as pool:
        pool.map(_render, chunks, chunksize=1)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return {"cards": len(paths), "wall": wall, "cpu": cpu}


def floor_note(source: Path, hugo_seconds: float | None) -> str:
    """One line for bench/run.py's notes: each level's time, and how it compares with Hugo's
    whole cold build."""
    parts = []
    for level in LEVELS:
        out = subprocess.run([sys.executable, __file__, str(source), "--level", level], capture_output=True,
                             text=True, check=False)
        try:
            got = json.loads(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return f"parser floor: {level} failed ({out.stderr[-500:]})"
        ratio = f", {got['wall'] / hugo_seconds:.2f}× Hugo" if hugo_seconds else ""
        parts.append(f"{level} {got['wall']:.2f} s (CPU {got['cpu']:.1f} s{ratio})")
    return (f"card bodies alone, {os.cpu_count()} processes, nothing else (bench/floor.py): "
            + "; ".join(parts))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time markdown-it-py alone over a catalog's card bodies.")
    parser.add_argument("source", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--level", choices=LEVELS, default="bare")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.source, args.jobs, args.level)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
