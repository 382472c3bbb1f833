"""Holes a red-team review of issue 20 found after the fixes were merged: each test builds the
hostile repo it describes in a tmp dir and fails on the code before its fix."""
from __future__ import annotations

from pathlib import Path

from conftest import build_site, card, formatted, make_repo, png_bytes


def test_long_file_names_build_as_they_check(tmp_path: Path) -> None:
    """A repo file whose name takes most of the file system's 255 bytes passes `check`; the
    digest the build adds to its published name must not push it past what a file system
    holds (the build skipped the model, 'sitegen failed on this card')."""
    image, doc, bare = "a" * 245 + ".png", "b" * 248 + ".txt", "c" * 250
    make_repo(tmp_path / "src", "m", card("license: mit", f"# M\n\n![x]({image})\n\n[t]({doc}) [u]({bare})\n"),
              {image: png_bytes(4, 4), doc: "hello", bare: "plain"})
    checked = build_site(tmp_path / "src")
    built = build_site(tmp_path / "src", tmp_path / "out")
    assert formatted(checked) == formatted(built) == []
    published = [p for p in (tmp_path / "out" / "models" / "m").rglob("*") if p.is_file()]
    names = sorted(p.name for p in published if p.parent.name in ("files", "thumbs"))
    assert len(names) == 4 and all(len(n.encode()) <= 210 for n in names)
    page = (tmp_path / "out" / "models" / "m" / "index.html").read_text(encoding="utf-8")
    linked = [p.name for p in published if p.parent.name == "files"]
    assert len(linked) == 3 and all(f"files/{n}" in page for n in linked)
