"""A card image or widget medium that is a Git LFS pointer: a placeholder naming it, a located warning."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_site, card, formatted, make_repo, png_bytes, resolve_repo, wav_bytes
from sitegen.markdown.sanitise import lfs_placeholders, placeholder
from test_lfs_files import lfs_pointer

SPEC = b"git-lfs.github.com/spec"
SAYS = ": in Git LFS, not downloaded</span>"


def _names(page: str) -> list[str]:
    return re.findall(r'<span class="lfs-placeholder-name">([^<]*)</span>' + re.escape(SAYS), page)


def vision(root: Path) -> Path:
    src = root / "src"
    make_repo(src, "acme/vision", card("""
pipeline_tag: image-classification
widget:
- src: cat.png
  example_title: Cat
  output:
  - label: cat
    score: 0.9
- src: plain.png
  example_title: Plain
""", "# Vision\n\n![dog](images/dog.png)\n\n<p><a href=\"x.md\"><img src=\"a&amp;b<i>.png\" alt=\"odd\"></a></p>\n\n"
        "<video src=\"clip.mp4\"></video>\n\n![plain](plain.png)\n"), {
        "cat.png": lfs_pointer(png_bytes()), "images/dog.png": lfs_pointer(png_bytes(6, 8)),
        "a&b<i>.png": lfs_pointer(png_bytes(5, 5)), "clip.mp4": lfs_pointer(b"\0" * 2000),
        "x.md": "notes\n", "plain.png": png_bytes()})
    make_repo(src, "acme/painter", card("""
pipeline_tag: text-to-image
widget:
- text: a cat
  output:
    url: out/cat.png
- text: a dog
  output:
    url: dog.png
""", "# Painter\n"), {"out/cat.png": lfs_pointer(png_bytes(9, 9)), "dog.png": png_bytes()})
    make_repo(src, "acme/speech", card("""
pipeline_tag: automatic-speech-recognition
widget:
- src: voice.wav
  output:
    text: hello
""", "# Speech\n"), {"voice.wav": lfs_pointer(wav_bytes())})
    return src


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("lfsph")
    built = build_site(vision(root), root / "site")
    return root / "site", formatted(built)


def test_card_images_that_are_pointers_become_placeholders(site: tuple[Path, list[str]]) -> None:
    page = (site[0] / "models/acme/vision/index.html").read_text()
    card_html = page[page.index('model-card markdown'):]
    assert _names(card_html)[:3] == ["dog.png", "a&amp;b&lt;i&gt;.png", "clip.mp4"]
    assert '<img alt="dog"' not in page and "<video" not in card_html.split("</article>")[0]
    assert "sitegen-lfs-" not in page  # no marker is left over
    assert re.search(r'<a href="[^"]*"[^>]*><span class="lfs-placeholder" title="a&amp;b&lt;i&gt;.png">', page)
    assert re.search(r'<img [^>]*src="[^"]*plain[^"]*"', card_html)  # a real image stays an image


def test_a_widget_example_with_a_pointer_is_shown_not_dropped(site: tuple[Path, list[str]]) -> None:
    page = (site[0] / "models/acme/vision/index.html").read_text()
    assert "could not be shown" not in page
    widget = page[page.index('id="example-1"'):]
    assert _names(widget)[0] == "cat.png"
    assert "Input image <span class=\"muted\">cat.png</span>" in page
    assert 'id="example-2"' in page
    painter = (site[0] / "models/acme/painter/index.html").read_text()
    assert _names(painter) == ["cat.png"]
    assert "No image stored" not in painter and "Image not in the repo" not in painter
    speech = (site[0] / "models/acme/speech/index.html").read_text()
    assert _names(speech) == ["voice.wav"] and "<audio" not in speech


def test_pointers_are_located_warnings_with_the_pull_hint(site: tuple[Path, list[str]]) -> None:
    messages = site[1]
    assert not [m for m in messages if "error" in m.split(": ", 2)[1]], messages
    want = {"acme/vision/README.md:4: warning: widget[0].src: 'cat.png' is a Git LFS pointer",
            "acme/vision/README.md:14: warning: image 'images/dog.png': 'images/dog.png' is a Git LFS pointer",
            "acme/vision/README.md:18: warning: video 'clip.mp4': 'clip.mp4' is a Git LFS pointer",
            "acme/painter/README.md:6: warning: widget[0].output.url: 'out/cat.png' is a Git LFS pointer",
            "acme/speech/README.md:4: warning: widget[0].src: 'voice.wav' is a Git LFS pointer"}
    for text in want:
        assert any(text in m for m in messages), (text, messages)
    assert any('`git lfs pull --include="out/cat.png"`' in m and "placeholder" in m for m in messages)


def test_no_pointer_text_is_published(site: tuple[Path, list[str]]) -> None:
    for path in site[0].rglob("*"):
        if path.is_file():
            assert SPEC not in path.read_bytes(), path


def test_check_does_not_fail_on_pointers(tmp_path: Path) -> None:
    src = vision(tmp_path)
    for model in ("acme/vision", "acme/painter", "acme/speech"):
        assert resolve_repo(src / model, model).errors == []


def test_a_card_cannot_spell_the_marker(tmp_path: Path) -> None:
    root = make_repo(tmp_path, "m", card("pipeline_tag: fill-mask", '# M\n\n<img src="sitegen-lfs-0-0">\n\n'
                                         "![x](real.png)\n"), {"real.png": lfs_pointer(png_bytes())})
    page = resolve_repo(root).page
    assert page is not None
    html = "".join(p for p in page.body if p)
    assert _names(html) == ["real.png"]  # only the file that is a pointer


def test_placeholders_only_where_marked() -> None:
    html = '<p><img src="m-0" alt="a"> <img src="m-9"> <img src="other"></p><audio controls><source src="m-1"></audio>'
    out = lfs_placeholders(html, "m-", ["a.png", "b/c.wav"])
    assert out.count("lfs-placeholder-name") == 2 and '<img src="m-9">' in out and '<img src="other">' in out
    assert "<audio" not in out and ">c.wav<" in out
    assert lfs_placeholders(html, "m-", []) == html
    assert "&lt;script&gt;" in placeholder("<script>.png")
