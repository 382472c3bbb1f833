"""A clone whose files are Git LFS pointers: real sizes in the file list, located warnings, no pointer text published."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_site, card, formatted, make_repo, png_bytes
from sitegen.load import lfs
from sitegen.load.repo import RepoFile, with_pointers
from test_lfs_files import lfs_pointer

BIG = 15_200_000_000
WEIGHTS = (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + f"\nsize {BIG}\n".encode())
SPEC = b"git-lfs.github.com/spec"


def clone(root: Path) -> Path:
    src = root / "src"
    make_repo(src, "acme/vision", card("""
pipeline_tag: image-classification
widget:
- src: cat.png
  example_title: Cat
- src: plain.png
  example_title: Plain
""", "# Vision\n\n![dog](images/dog.png)\n\n[weights](model.safetensors) · [notes](notes.txt)\n"), {
        "cat.png": lfs_pointer(png_bytes()), "images/dog.png": lfs_pointer(png_bytes(6, 8)),
        "model.safetensors": WEIGHTS, "notes.txt": lfs_pointer(b"notes\n" * 40),
        "tokenizer.json": lfs_pointer(b"{}" * 500), "plain.png": png_bytes(),
        "config.json": '{"model_type": "vit"}'})
    return src


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("lfs")
    built = build_site(clone(root), root / "site")
    return root / "site", formatted(built)


def test_the_file_list_shows_real_sizes(site: tuple[Path, list[str]]) -> None:
    page = (site[0] / "models/acme/vision/index.html").read_text()
    rows = dict(re.findall(r'<li><(?:span|a) class="file-name"[^>]*>([^<]+)</(?:span|a)>(.*?)</li>', page))
    lfs_label = '<span class="file-lfs" title="A Git LFS pointer: the file itself is not downloaded">in Git LFS, not downloaded</span>'
    assert rows["model.safetensors"] == lfs_label + '<span class="file-size">15.2 GB</span>'
    assert rows["tokenizer.json"] == lfs_label + '<span class="file-size">1.0 KB</span>'
    assert "file-lfs" not in rows["plain.png"] and "file-lfs" not in rows["config.json"]
    assert "136 B" not in page
    assert re.search(r'id="files-title">Files <span class="muted">8 · 15.2 GB</span>', page)
    assert "5 files (15.2 GB) are in Git LFS and not downloaded" in page


def test_each_pointer_a_page_wants_is_a_located_warning(site: tuple[Path, list[str]]) -> None:
    messages = site[1]
    readme = "acme/vision/README.md"
    want = {4: 'widget[0].src: \'cat.png\' is a Git LFS pointer: the file itself (77 bytes) is not downloaded',
            11: 'image \'images/dog.png\': \'images/dog.png\' is a Git LFS pointer',
            13: 'link \'model.safetensors\': \'model.safetensors\' is a Git LFS pointer: the file itself '
                '(15,200,000,000 bytes)'}
    for line, text in want.items():
        assert any(f"{readme}:{line}:" in m and text in m for m in messages), (line, text, messages)
    assert any('run `git lfs pull --include="images/dog.png"` in the model\'s folder' in m for m in messages)
    assert any("link 'notes.txt'" in m and "not published" in m for m in messages)


def test_no_pointer_text_is_published(site: tuple[Path, list[str]]) -> None:
    out = site[0] / "models/acme/vision"
    published = [p for p in out.rglob("*") if p.is_file() and p.name != "index.html"]
    assert published, "the plain image and config.json are published"
    assert not [p for p in published if SPEC in p.read_bytes()]
    assert not [p for p in published if p.name.startswith(("cat.", "dog.", "model.", "notes.", "tokenizer."))]
    assert not (out / "blob" / "tokenizer.json.html").exists()
    assert (out / "blob" / "config.json.html").exists()
    assert SPEC not in (out / "index.html").read_bytes()


def test_only_files_of_a_pointer_size_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {"tiny": b"x" * 10, "big": b"y" * 5000, "just.bin": WEIGHTS, "near": b"z" * 500}
    for name, data in sizes.items():
        (tmp_path / name).write_bytes(data)
    opened: list[str] = []
    real_open = lfs.open_file

    def spy(path: Path):  # type: ignore[no-untyped-def]
        opened.append(Path(path).name)
        return real_open(path)

    monkeypatch.setattr(lfs, "open_file", spy)
    files = tuple(RepoFile(n, len(d)) for n, d in sizes.items())
    listed, broken = with_pointers(tmp_path, files)
    assert sorted(opened) == ["just.bin", "near"]
    assert [f.lfs for f in listed] == [None, None, BIG, None] and broken == []
    # Already marked (a listing kept by the last build): not read again.
    opened.clear()
    with_pointers(tmp_path, listed)
    assert opened == ["near"]


def test_a_broken_pointer_is_a_warning_and_not_published(tmp_path: Path) -> None:
    src = tmp_path / "src"
    garbage = WEIGHTS.replace(f"size {BIG}".encode(), b"size 99999999999999999999")
    hawser = lfs_pointer(png_bytes()).replace(b"git-lfs.github.com", b"hawser.github.com")
    make_repo(src, "m", card("license: mit", "# M\n\n[notes](notes.txt)\n\n![h](h.png)\n"),
              {"notes.txt": garbage, "h.png": hawser})
    built = build_site(src, tmp_path / "site")
    messages = formatted(built)
    assert any("m/notes.txt:1: warning: 'notes.txt' starts as a Git LFS pointer but is not a valid one" in m
               for m in messages), messages
    assert any("README.md:6: warning: link 'notes.txt'" in m for m in messages)
    assert any("image 'h.png': 'h.png' is a Git LFS pointer" in m for m in messages)  # the old version line
    site = tmp_path / "site/models/m"
    assert not [p for p in site.rglob("*") if p.is_file() and b"github.com/spec" in p.read_bytes()]
    page = (site / "index.html").read_text()
    assert "99999999999999999999" not in page and "in Git LFS, not downloaded" in page


def test_a_card_or_config_that_is_a_pointer(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_repo(src, "m", lfs_pointer(card("license: mit").encode()),
              {"config.json": lfs_pointer(b'{"model_type": "bert"}')})
    built = build_site(src, tmp_path / "site")
    messages = formatted(built)
    assert any("m/README.md: warning: 'README.md' is a Git LFS pointer" in m and "git lfs pull" in m
               for m in messages), messages
    assert any("m/config.json: warning: 'config.json' is a Git LFS pointer" in m and m.endswith("; ignored")
               for m in messages), messages
    page = (tmp_path / "site/models/m/index.html").read_bytes()
    assert SPEC not in page and b"oid sha256" not in page
