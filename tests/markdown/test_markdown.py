"""Card bodies: the sanitiser, links and images into the site, and the markdown features."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import Resolved, build_site, card, make_repo, png_bytes, resolve_repo


def body_of(tmp_path: Path, body: str, files: dict[str, str | bytes] | None = None) -> Resolved:
    return resolve_repo(make_repo(tmp_path / "src", "m", card("license: mit", body), files), "m")


def html_of(tmp_path: Path, body: str, files: dict[str, str | bytes] | None = None) -> str:
    r = body_of(tmp_path, body, files)
    assert r.page is not None
    return r.page.body_html


# (raw card text, substrings that must not survive)
SANITISER_VECTORS: list[tuple[str, list[str]]] = [
    ("<script>alert('x1')</script>\n", ["<script", "alert('x1')"]),
    ("<p>ok</p><SCRIPT SRC=//evil.test/x.js></SCRIPT>\n", ["<script", "evil.test"]),
    ('<img src="https://x.test/a.png" onerror="alert(2)">\n', ["onerror", "alert(2)"]),
    ('<a href="javascript:alert(3)">raw</a>\n', ["javascript:", "alert(3)"]),
    ('<a href="JaVaScRiPt:alert(3)">raw</a>\n', ["javascript:", "alert(3)"]),
    ('<a href="&#106;avascript:alert(3)">raw</a>\n', ["avascript", "&#106;"]),
    ("[md link](javascript:alert(4))\n", ['href="javascript']),
    ('<a href="data:text/html,<script>alert(8)</script>">d</a>\n', ["data:", "<script"]),
    ('<iframe src="https://evil.test/frame"></iframe>\n', ["<iframe", "evil.test"]),
    ("<style>body{display:none}</style>\n", ["<style", "display:none"]),
    ('<div style="position:fixed;top:0">x</div>\n', ["style=", "position:fixed"]),
    ('<svg onload="alert(5)"><script>alert(6)</script></svg>\n', ["<svg", "onload", "alert(6)"]),
    ('<object data="x.swf"></object><embed src="y.swf">\n', ["<object", "<embed", "swf"]),
    ('<form action="https://evil.test"><input name="q"></form>\n', ["<form", "evil.test"]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.test">\n', ["<meta", "evil.test"]),
    ('<div onclick="alert(7)" class="evil">x</div>\n', ["onclick", 'class="evil"']),
    ('<a href="https://ok.test" target="_blank">t</a>\n', ["target="]),
    ("<!-- secret comment -->\n", ["secret comment"]),
]


@pytest.mark.parametrize("body,gone", SANITISER_VECTORS,
                         ids=[f"vector-{i}" for i in range(len(SANITISER_VECTORS))])
def test_sanitiser_removes(tmp_path: Path, body: str, gone: list[str]) -> None:
    html = html_of(tmp_path, "# Title\n\n" + body + "\nSafe tail text.\n")
    low = html.lower()
    for needle in gone:
        assert needle.lower() not in low, needle
    assert "Safe tail text." in html  # the rest of the card survives


def test_sanitiser_keeps_harmless_html(tmp_path: Path) -> None:
    html = html_of(tmp_path, '<details><summary>More</summary>\n\n<b>bold</b> <kbd>Ctrl</kbd>\n\n</details>\n'
                             '<p align="center"><a href="https://example.org/x">site</a></p>\n')
    assert "<details>" in html and "<summary>More</summary>" in html
    assert "<kbd>Ctrl</kbd>" in html
    assert '<p align="center">' in html
    assert 'href="https://example.org/x"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html


def test_user_ids_are_prefixed(tmp_path: Path) -> None:
    html = html_of(tmp_path, '<div id="main">x</div>\n')
    assert 'id="user-content-main"' in html
    assert 'id="main"' not in html


def test_relative_image_copied_and_rewritten(tmp_path: Path) -> None:
    data = png_bytes(12, 12)
    make_repo(tmp_path / "src", "m", card("license: mit", "# T\n\n![diagram](assets/arch.png)\n"
                                          '<img src="./assets/arch.png" width="50">\n'),
              {"assets/arch.png": data})
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == result.report.warnings == 0
    html = (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")
    [name] = [p.name for p in (tmp_path / "out/models/m/files/assets").iterdir()]
    assert re.fullmatch(r"arch\.[0-9a-f]{8}\.png", name)  # named by its content
    assert html.count(f'src="files/assets/{name}"') == 2
    with Image.open(tmp_path / "out/models/m/files/assets" / name) as im:  # re-encoded, same pixels
        assert im.convert("RGB").tobytes() == Image.open(io.BytesIO(data)).convert("RGB").tobytes()


def test_relative_link_to_repo_file(tmp_path: Path) -> None:
    html = html_of(tmp_path, "See [the config](config.json#L2).\n", {"config.json": "{}"})
    assert re.search(r'href="files/config\.[0-9a-f]{8}\.json#L2"', html)


def test_missing_relative_image_warns_with_readme_line(tmp_path: Path) -> None:
    r = body_of(tmp_path, "# Title\n\nSome text.\n\n![gone](images/missing.png)\n")
    assert r.page is not None
    # README: 3 lines of front matter, body line 5 -> README line 8
    assert [d.format() for d in r.report.items if d.level == "warning"] == [
        f"{tmp_path / 'src/m/README.md'}:8: warning: image 'images/missing.png': "
        "file 'images/missing.png' is not in the repo"]
    assert "images/missing.png" not in r.page.body_html
    assert r.page.copies == ()


def test_image_that_leaves_the_repo_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(png_bytes())
    r = body_of(tmp_path, "![x](../../secret.png)\n")
    assert r.page is not None
    assert "secret.png" not in r.page.body_html
    assert any("'..' is not allowed" in d.message for d in r.report.items)
    assert r.page.copies == ()


def test_remote_and_root_links(tmp_path: Path) -> None:
    html = html_of(tmp_path, "[hub](/bert-base-uncased) [web](https://example.org/) [proto](//cdn.test/x)\n")
    assert 'href="https://huggingface.co/bert-base-uncased"' in html
    assert 'href="https://example.org/"' in html
    assert 'href="https://cdn.test/x"' in html


def test_anchor_links_rewritten(tmp_path: Path) -> None:
    html = html_of(tmp_path, "[jump](#usage) and <a href=\"#training-data\">raw</a>\n\n## Usage\n\n## Training data\n")
    assert 'href="#user-content-usage"' in html
    assert 'href="#user-content-training-data"' in html
    assert 'id="user-content-usage"' in html
    assert 'id="user-content-training-data"' in html
    assert 'href="#usage"' not in html


def test_code_fence_highlighted(tmp_path: Path) -> None:
    html = html_of(tmp_path, "```python\ndef f(x):\n    return x + 1\n```\n\n```\nplain <b>text</b>\n```\n")
    assert '<pre class="highlight" tabindex="0">' in html
    assert '<span class="k">def</span>' in html
    assert '<span class="nf">f</span>' in html
    assert "plain &lt;b&gt;text&lt;/b&gt;" in html  # unhighlighted fence stays escaped


def test_markdown_features(tmp_path: Path) -> None:
    html = html_of(tmp_path, """| a | b |
|---|--:|
| 1 | 2 |

Claim[^1].

[^1]: The note.

- [x] done
- [ ] todo

~~struck~~ and https://auto.link.test/page
""")
    assert re.search(r'<table tabindex="0">\s*<thead>\s*<tr>\s*<th>a</th>', html)
    assert "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and 'id="user-content-fn1"' in html and "The note." in html
    assert 'type="checkbox"' in html and "checked" in html and 'disabled' in html
    assert html.count('class="task-list-item"') == 2
    assert "<s>struck</s>" in html
    assert 'href="https://auto.link.test/page"' in html


def test_summary_is_first_real_sentence(tmp_path: Path) -> None:
    r = body_of(tmp_path, "# Title\n\n![badge](https://x.test/b.svg)\n\n"
                          "This model classifies reviews. It was trained on things.\n")
    assert r.page is not None
    assert r.page.summary == "This model classifies reviews."


@pytest.mark.parametrize("written", ["images/café.png", "<images/my pic.png>"])
def test_missing_image_line_with_encoded_path(tmp_path: Path, written: str) -> None:
    r = body_of(tmp_path, f"# Title\n\nSome text.\n\n![gone]({written})\n")
    lines = [d.line for d in r.report.items if d.level == "warning"]
    assert lines == [8]


XHTML = '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(document.domain)</script></html>'


@pytest.mark.parametrize("name", ["evil.svg", "evil.html", "evil.js", "evil.xml"])
def test_script_capable_files_are_not_published(tmp_path: Path, name: str) -> None:
    make_repo(tmp_path / "src", "m", card("license: mit", f"[open me]({name}) ![img]({name})\n"),
              {name: XHTML})
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "out/models/m/files").exists()
    assert any(name in d.message and d.level == "warning" for d in result.report.items)
    assert f'href="files/{name}"' not in (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["evil.xht", "evil.rdf", "evil.mml"])
def test_xml_typed_files_are_not_published(tmp_path: Path, name: str) -> None:
    make_repo(tmp_path / "src", "m", card("license: mit", f"[open me]({name})\n"), {name: XHTML})
    build_site(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "out/models/m/files" / name).exists()


@pytest.mark.parametrize("name", ["poly.html", "poly.svg"])
def test_media_polyglot_with_active_extension_is_not_published(tmp_path: Path, name: str) -> None:
    poly = png_bytes() + b"<script>alert(document.domain)</script>"
    make_repo(tmp_path / "src", "m", card("pipeline_tag: image-classification\nwidget:\n- src: " + name,
                                          f"![i]({name})\n"), {name: poly})
    build_site(tmp_path / "src", tmp_path / "out")
    site = tmp_path / "out/models/m"
    published = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert "index.html" in published
    assert not any(p.endswith((".html", ".svg")) for p in published if p != "index.html"), published
