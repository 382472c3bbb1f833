"""Hostile repos: nothing executes, nothing escapes, nothing is lost (issue 6).

Every repo under hostile_repos/<category>-<name>/ holds a README.md (and files) and an
expect.txt; those git cannot hold (symlinks, FIFOs, devices, huge or binary files, names that
are not UTF-8, folders differing only in case) are made by the table in hostile.py. All of
them are built as ONE site, once per module, and then:

- each repo gives exactly the diagnostics its expect.txt lists, and a page or not;
- every page passes the output scanner (htmlscan.py): no live script, event handler,
  javascript: URL, frame, form, style attribute or SVG from a card, and a strict CSP;
- no byte of a file planted beside the source folder is anywhere in the site, no SVG, HTML or
  JavaScript but the theme's and sitegen's own pages, and nothing of a repo at the site root.

expect.txt: one line per diagnostic, a substring of its formatted text read from inside the
repo (`README.md:4: error: duplicate key`; `: warning: ...` for one about the folder itself);
`no page` when the model is skipped; `shows: TEXT` / `hides: TEXT` for what its page must or
must not contain; `#` starts a comment. An empty file: the repo builds without a word.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, build_site
from hostile import CANARY, MADE, TOKEN, plant_outside
from htmlscan import scan_page

from sitegen.build import Result
from sitegen.report import Diagnostic

STORED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "hostile_repos"
CATEGORIES = ("yaml", "html", "md", "widget", "files", "image", "audio", "config", "layout")


@dataclass(frozen=True)
class Case:
    name: str  # folder under the source: `name` or `org/name`
    diagnostics: tuple[str, ...]
    page: bool
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()
    kind: str = ""  # the category, when the name cannot start with it

    @property
    def category(self) -> str:
        return self.kind or self.name.split("-", 1)[0].lower()


def _parse(name: str, text: str, kind: str = "") -> Case:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    shows = tuple(ln[len("shows: "):] for ln in lines if ln.startswith("shows: "))
    hides = tuple(ln[len("hides: "):] for ln in lines if ln.startswith("hides: "))
    diagnostics = tuple(ln for ln in lines if ln != "no page" and not ln.startswith(("shows: ", "hides: ")))
    return Case(name, diagnostics, "no page" not in lines, shows, hides, kind)


CASES = [_parse(p.name, (p / "expect.txt").read_text(encoding="utf-8"))
         for p in sorted(STORED.iterdir()) if p.is_dir()] + [_parse(m.name, m.expect, m.kind) for m in MADE]


@dataclass(frozen=True)
class Built:
    result: Result
    source: Path
    out: Path
    outside: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("hostile")
    outside, source, out = base, base / "models", base / "site"
    plant_outside(outside)
    shutil.copytree(STORED, source, ignore=shutil.ignore_patterns("expect.txt"))
    for made in MADE:
        made.make(source, outside)
    with pytest.MonkeyPatch.context() as mp:  # nothing is fetched: any attempt fails the build
        mp.setattr(socket.socket, "connect", _no_network)
        mp.setattr(socket, "getaddrinfo", _no_network)
        start = time.monotonic()
        result = build_site(source, out)
    # Some repos took minutes before (quadratic rules); now the whole site takes seconds.
    assert time.monotonic() - start < 120
    return Built(result, source, out, outside)


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"the build tried to use the network: {args!r}")


def _root(built: Built, case: Case) -> str:
    return str(built.source / case.name)


def _diagnostics_of(built: Built, case: Case) -> list[str]:
    root = _root(built, case)
    found = []
    for d in built.result.report.sorted():
        if d.level == "info" or not (d.path == root or d.path.startswith(root + "/")):
            continue
        found.append(_relative(d, root))
    return found


def _relative(d: Diagnostic, root: str) -> str:
    text = d.format()
    return text[len(root) + 1:] if text.startswith(root + "/") else text[len(root):]


def _page(built: Built, case: Case) -> str | None:
    root = _root(built, case)
    outcome = next((o for o in built.result.outcomes if o.shown == root), None)
    if outcome is None or outcome.entry is None:
        return None
    return (built.out / outcome.entry.path).read_text(encoding="utf-8")


def test_the_suite_covers_every_category() -> None:
    counts = Counter(c.category for c in CASES)
    assert set(counts) == set(CATEGORIES), counts
    assert len(CASES) >= 60
    assert min(counts[c] for c in ("yaml", "widget", "files", "image", "config", "layout")) >= 5, counts
    assert counts["html"] + counts["md"] >= 10 and counts["audio"] >= 3, counts


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_repo(built: Built, case: Case) -> None:
    found = _diagnostics_of(built, case)
    for line in case.diagnostics:
        assert any(line in f for f in found), f"{line!r} not in {found}"
    for f in found:  # and nothing it did not expect
        assert any(line in f for line in case.diagnostics), f"unexpected: {f}"
    html = _page(built, case)
    assert (html is not None) == case.page, "page" if html is None else "a page, expected none"
    for text in case.shows:
        assert html is not None and text in html, f"page lacks {text!r}"
    for text in case.hides:
        assert html is None or text not in html, f"page shows {text!r}"


def _site_files(built: Built) -> list[Path]:
    return sorted(p for p in built.out.rglob("*") if p.is_file())


def test_every_page_passes_the_scanner(built: Built) -> None:
    pages = [p for p in _site_files(built) if p.suffix == ".html" and p.name != "404.html"]
    assert len(pages) > 60
    problems = {str(p.relative_to(built.out)): scan_page(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_404_page_holds_nothing_active(built: Built) -> None:
    problems = scan_page((built.out / "404.html").read_text(encoding="utf-8"))
    assert [p for p in problems if "Content-Security-Policy" not in p] == []


def test_the_404_page_carries_a_csp(built: Built) -> None:
    assert scan_page((built.out / "404.html").read_text(encoding="utf-8")) == []


def test_nothing_from_outside_a_repo_reaches_the_site(built: Built) -> None:
    secrets = [CANARY.strip(), TOKEN.encode(), b"HOSTILE-INDEX-CANARY", b"HOSTILE-404-CANARY",
               b"HOSTILE-STYLE-CANARY", b"HOSTILE-SEARCH-CANARY",
               b"HOSTILE-EXIF-CANARY", b"HOSTILE-JPEG-COMMENT", b"HOSTILE-TAIL-CANARY", b"HOSTILE-MARKER",
               b"HOSTILE-SVG", b"HOSTILE-HTML", b"HOSTILE-APPJS", b"HOSTILE-XML", b"HOSTILE-MASK", b"HOSTILE-PNG-SVG",
               b"HOSTILE-WAV", b"HOSTILE-PDF", b"HOSTILE-AUDIO", b"HOSTILE-OGG", b"HOSTILE-TXT", b"HOSTILE-MD"]
    for path in _site_files(built):
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, f"{secret!r} in {path.relative_to(built.out)}"
    assert not Path("/tmp/sitegen-pwned").exists()  # the YAML python tag never ran


def test_only_the_theme_and_sitegen_write_active_files(built: Built) -> None:
    theme = {p.relative_to(built.out).as_posix() for p in (built.out / "static").rglob("*")}
    pages = {o.entry.path for o in built.result.outcomes if o.entry} | {"index.html", "404.html"}
    viewers = tuple(f"{o.entry.dir}/blob/" for o in built.result.outcomes if o.entry)
    for path in _site_files(built):
        rel = path.relative_to(built.out).as_posix()
        ext = path.suffix.lower().lstrip(".")
        if ext in ("html", "htm", "xhtml", "shtml"):  # (blob/: sitegen's viewer pages of a model's text files)
            assert rel in pages or rel.startswith(("tasks/", "tags/")) or rel.startswith(viewers), rel
        elif ext in ("svg", "svgz", "js", "mjs", "css", "xml", "xsl", "xslt"):
            assert rel in theme or rel == "search-index.js", rel
        if "/files/" in rel or "/thumbs/" in rel:
            assert ext not in ("html", "htm", "svg", "js", "css", "xml"), rel


def test_published_images_carry_no_metadata(built: Built) -> None:
    from PIL import Image

    images = [p for p in _site_files(built) if p.suffix in (".png", ".jpg", ".gif", ".webp")
              and ("files" in p.parts or "thumbs" in p.parts)]
    assert len(images) >= 6
    for path in images:
        with Image.open(path) as im:
            assert dict(im.getexif()) == {}, path
            assert not {"exif", "comment", "xmp", "Comment"} & set(im.info), (path, set(im.info))


def test_nothing_of_a_repo_at_the_site_root(built: Built) -> None:
    root = sorted(p.name for p in built.out.iterdir())
    assert root == [".nojekyll", ".sitegen-site", "404.html", "index.html", "models", "search-index.js",
                    "static", "tags", "tasks"]  # no CNAME, robots.txt: a repo's go in its own folder
    assert b"HOSTILE" not in (built.out / "index.html").read_bytes().replace(b"HOSTILE-", b"")
    assert (built.out / ".sitegen-site").read_text() != "HOSTILE-MARKER\n"
    assert (built.out / ".nojekyll").read_bytes() == b""


def test_the_build_read_no_more_than_it_could(built: Built) -> None:
    """Every model is accounted for: built, or skipped with an error on its card."""
    skipped = {o.shown for o in built.result.outcomes if o.entry is None}
    for shown in skipped:
        assert any(d.level == "error" and d.path.startswith(shown) for d in built.result.report.items), shown


def test_two_builds_are_byte_identical_whatever_the_hash_seed(built: Built, tmp_path: Path) -> None:
    """The module's build against one in a process with another hash seed and time zone."""
    out = tmp_path / "site"
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "17"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT), TZ="Pacific/Kiritimati")
    run = subprocess.run([sys.executable, "-m", "sitegen", "build", str(built.source), "-o", str(out), "-q",
                          "--fail-on", "error"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 1, run.stderr[-2000:]  # the hostile repos have errors
    first = {p.relative_to(built.out).as_posix(): p.read_bytes() for p in built.out.rglob("*") if p.is_file()}
    second = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []
