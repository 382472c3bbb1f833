"""Viewer pages of a repo's text files: which files get one, escaped and numbered text, a raw
copy with a text type, the file list's links, and rebuilds that keep them right."""
from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import pytest
from conftest import card, make_repo, png_bytes
from htmlscan import scan_page

from sitegen.build import build
from sitegen.config import Config
from sitegen.viewer import LFS_POINTER, MAX_VIEW_BYTES, lexer_name

SCRIPT = "<script>alert(1)</script>"
CONFIG = json.dumps({"model_type": "bert", "note": SCRIPT, "hidden_size": 8}, indent=2) + "\n"
LICENSE = f"MIT License\n\nCopyright {SCRIPT} & <b>friends</b>\n"
README = card("license: other\nlicense_link: LICENSE\npipeline_tag: text-classification")
FILES: dict[str, str | bytes] = {
    "config.json": CONFIG,
    "LICENSE": LICENSE,
    "docs/guide.md": "# Guide\n\nRead me.\n",
    "src/model.py": "\n\ndef f(x):\n    return x < 2  # <img src=x onerror=alert(1)>\n",
    "page.txt": "<html><body><script>alert(1)</script></body></html>\n",  # looks like a page
    "empty.txt": "",
    "binary.txt": b"text\x00with a NUL\n",
    "latin.txt": "caf\u00e9 au lait\n".encode("latin-1"),
    "weights.json": LFS_POINTER + b"\noid sha256:" + b"a" * 64 + b"\nsize 123456789\n",
    "huge.txt": b"x" * (MAX_VIEW_BYTES + 1),
    "model.bin": b"\x00\x01\x02",
    "image.png": png_bytes(),
    ".hidden.txt": "tool state\n",
}
NO_VIEWER = ("README.md", "page.txt", "binary.txt", "latin.txt", "weights.json", "huge.txt", "model.bin", "image.png", ".hidden.txt",
             "linked.txt")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    root = make_repo(src, "acme/texts", README, FILES)
    os.symlink("config.json", root / "linked.txt")
    out = tmp_path_factory.mktemp("out") / "site"
    result = build(Config(source=src, output=out))
    assert result.report.errors == 0, [d.format() for d in result.report.sorted()]
    return out


def model_dir(site: Path) -> Path:
    return site / "models/acme/texts"


def viewer(site: Path, path: str) -> str:
    return (model_dir(site) / "blob" / f"{path}.html").read_text(encoding="utf-8")


def raw_href(html: str) -> str:
    found = re.search(r'<a class="file-raw" href="([^"]+)"', html)
    assert found, "no raw link"
    return found.group(1)


def test_text_files_get_viewer_pages(site):
    pages = sorted(p.relative_to(model_dir(site) / "blob").as_posix()
                   for p in (model_dir(site) / "blob").rglob("*.html"))
    assert pages == ["LICENSE.html", "config.json.html", "docs/guide.md.html", "empty.txt.html", "src/model.py.html"]
    assert not list((model_dir(site) / "files").rglob("*.html"))  # files/ holds published bytes, never a page


@pytest.mark.parametrize("path", ["config.json", "LICENSE", "src/model.py"])
def test_text_is_escaped_never_live(site, path):
    html = viewer(site, path)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>friends" not in html
    assert scan_page(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or path == "src/model.py"
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or path != "src/model.py"


def test_lines_are_numbered_with_anchors(site):
    html = viewer(site, "src/model.py")
    rows = re.findall(r'<tr id="L(\d+)"><td class="ln"><a href="#L(\d+)">(\d+)</a></td>', html)
    assert rows == [(str(n), str(n), str(n)) for n in range(1, 5)]  # leading blank lines kept
    assert '<span class="k">def</span>' in html  # highlighted as Python
    assert "4 lines" in html and "Python" in html


def test_json_is_highlighted_and_sized(site):
    html = viewer(site, "config.json")
    assert '<span class="nt">&quot;model_type&quot;</span>' in html
    assert f"{len(CONFIG.splitlines())} lines" in html and "JSON" in html


@pytest.mark.parametrize("path, ext", [("config.json", ".json"), ("LICENSE", ".txt"), ("src/model.py", ".txt"),
                                       ("docs/guide.md", ".txt")])
def test_raw_copy_has_a_text_extension_and_the_bytes(site, path, ext):
    page = model_dir(site) / "blob" / f"{path}.html"
    href = raw_href(page.read_text(encoding="utf-8"))
    target = (page.parent / href).resolve()
    assert target.suffix == ext and target.is_relative_to(model_dir(site).resolve())
    source = FILES[path]
    assert target.read_bytes() == (source.encode() if isinstance(source, str) else source)


def test_a_file_that_looks_like_a_page_is_never_published(site):
    """As everywhere (assets.py): bytes a browser could take for a page are not published."""
    assert not [p for p in model_dir(site).rglob("page.*")]


def test_empty_file(site):
    assert "This file is empty." in viewer(site, "empty.txt")


def test_model_page_links_viewable_files_only(site):
    html = (model_dir(site) / "index.html").read_text(encoding="utf-8")
    linked = dict(re.findall(r'<a class="file-name" href="([^"]+)">([^<]+)</a>', html))
    assert sorted(linked.values()) == ["LICENSE", "config.json", "docs/guide.md", "empty.txt", "src/model.py"]
    for href in linked:
        assert (model_dir(site) / href).is_file()
    for path in NO_VIEWER:
        assert not (model_dir(site) / "blob" / f"{path}.html").exists()
        assert f'<span class="file-name">{path}</span>' in html or path in (".hidden.txt", "linked.txt")
    assert "linked.txt" not in html  # a symlink is not the repo's own file: not even listed


def test_license_link_opens_the_viewer(site):
    html = (model_dir(site) / "index.html").read_text(encoding="utf-8")
    assert '<dt>License</dt><dd><a href="blob/LICENSE.html">' in html


def test_viewer_links_back_to_the_model(site):
    html = viewer(site, "src/model.py")
    assert 'href="../../../../../models/acme/texts/index.html"' in html
    assert 'href="../../../../../static/style.css"' in html


def test_lexers_by_name():
    assert [lexer_name(p) for p in ("a/config.json", "LICENSE", "LICENCE.md", "x.YAML", "x.yml", "run.py",
                                    "notes.txt", "COPYING", "model.safetensors", "Makefile", ".md")] == \
        ["json", "text", "text", "yaml", "yaml", "python", "text", "text", "", "", ""]


def test_names_that_clash_get_one_viewer(tmp_path):
    """Two names one file system may not tell apart, and a folder where a page would go."""
    src = tmp_path / "src"
    make_repo(src, "acme/clash", card("license: mit"), {
        "Notes.md": "upper\n", "notes.md": "lower\n", "a.json": "{}\n", "a.json.html/inner.txt": "inner\n"})
    out = tmp_path / "site"
    result = build(Config(source=src, output=out))
    assert result.report.errors == 0
    blob = out / "models/acme/clash/blob"
    pages = sorted(p.relative_to(blob).as_posix() for p in blob.rglob("*.html") if p.is_file())
    assert pages == ["Notes.md.html", "a.json.html/inner.txt.html"]


def test_rebuild_replaces_and_removes_viewers(tmp_path):
    src = tmp_path / "src"
    root = make_repo(src, "acme/texts", README, {"config.json": CONFIG, "LICENSE": LICENSE})
    out = tmp_path / "site"
    config = Config(source=src, output=out, cache=True)
    build(config)
    blob, files = out / "models/acme/texts/blob", out / "models/acme/texts/files"
    old_raw = raw_href((blob / "config.json.html").read_text(encoding="utf-8")).rsplit("/", 1)[-1]
    (root / "config.json").write_text(json.dumps({"model_type": "llama"}))
    (root / "LICENSE").unlink()
    build(config)
    html = (blob / "config.json.html").read_text(encoding="utf-8")
    new_raw = raw_href(html).rsplit("/", 1)[-1]
    assert "llama" in html and new_raw != old_raw
    assert not (files / old_raw).exists() and (files / new_raw).is_file()
    assert not (blob / "LICENSE.html").exists()
    assert not [p for p in files.iterdir() if p.name.startswith("LICENSE")]
    cold = tmp_path / "cold"
    build(dataclasses.replace(config, output=cold, cache=False))
    assert sorted(p.relative_to(cold).as_posix() for p in cold.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_a_symlink_put_in_after_the_listing_is_refused(tmp_path):
    """The listing leaves symlinks out; one that replaced a listed file is refused on reading."""
    from sitegen.assets import Resolver
    from sitegen.load.repo import RepoFile
    from sitegen.viewer import viewers

    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    root = make_repo(tmp_path, "repo", None, {"real.txt": "mine\n"})
    os.symlink(outside, root / "out.txt")
    os.symlink("real.txt", root / "in.txt")
    resolver = Resolver("repo", root, "models/repo", frozenset({"real.txt", "out.txt", "in.txt"}))
    listed = [RepoFile("in.txt", 5), RepoFile("out.txt", 7), RepoFile("real.txt", 5)]
    assert [v.path for v in viewers(listed, resolver, "models/repo")] == ["real.txt"]


def test_non_ascii_text_gets_a_byte_order_mark_json_does_not():
    """A .txt served with no charset is read as windows-1252 unless it starts with a BOM."""
    from sitegen.viewer import UTF8_BOM, make_viewer

    text = "caf\u00e9\n".encode()
    plain = make_viewer("notes.txt", text, "m", "text")
    assert plain and plain.data == UTF8_BOM + text and plain.lines == ("caf\u00e9",)
    has_bom = make_viewer("bom.txt", UTF8_BOM + text, "m", "text")
    assert has_bom and has_bom.data == UTF8_BOM + text and has_bom.lines == ("caf\u00e9",)
    data = '{"a": "caf\u00e9"}\n'.encode()
    as_json = make_viewer("x.json", data, "m", "json")
    assert as_json and as_json.data == data and as_json.raw.endswith(".json")
    ascii_only = make_viewer("LICENSE", b"MIT\n", "m", "text")
    assert ascii_only and ascii_only.data == b"MIT\n" and ascii_only.raw.startswith("m/files/LICENSE.")


def test_viewers_a_model_gets_are_capped(tmp_path, monkeypatch):
    """At most MAX_VIEWERS pages and MAX_VIEW_TOTAL bytes of text a model; the rest are listed
    without a link."""
    from sitegen import viewer as module
    from sitegen.assets import Resolver
    from sitegen.load.repo import list_files

    root = make_repo(tmp_path, "repo", None, {f"{n}.txt": "x" * 10 + "\n" for n in "abcde"})
    resolver = Resolver("repo", root, "models/repo", frozenset())
    assert len(module.viewers(list_files(root), resolver, "models/repo")) == 5
    monkeypatch.setattr(module, "MAX_VIEWERS", 3)
    assert [v.path for v in module.viewers(list_files(root), resolver, "models/repo")] == ["a.txt", "b.txt", "c.txt"]
    monkeypatch.setattr(module, "MAX_VIEW_TOTAL", 25)
    assert [v.path for v in module.viewers(list_files(root), resolver, "models/repo")] == ["a.txt", "b.txt"]


def test_names_that_need_quoting_link_to_their_pages(tmp_path):
    from urllib.parse import unquote

    src = tmp_path / "src"
    make_repo(src, "acme/odd", card("license: mit"), {"my notes #1%.md": "odd\n", "dir ü/?.json": "{}\n"})
    out = tmp_path / "site"
    assert build(Config(source=src, output=out)).report.errors == 0
    model = out / "models/acme/odd"
    html = (model / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a class="file-name" href="([^"]+)">', html)
    assert "blob/my%20notes%20%231%25.md.html" in hrefs and len(hrefs) == 2
    for href in hrefs:
        page = model / unquote(href)
        assert page.is_file()
        raw = raw_href(page.read_text(encoding="utf-8"))
        assert "#" not in raw and "?" not in raw and (page.parent / unquote(raw)).is_file()
