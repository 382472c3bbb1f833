"""The configured sanitiser against a table of XSS vectors (xss_vectors.txt).

Each vector is a whole card body, rendered by sitegen.markdown.render_markdown with a real repo's
resolver; the HTML that comes out must pass the same scanner as the built pages
(htmlscan.scan_fragment): no script, no event handler, no javascript:/vbscript:/data:text/html
URL, no frame, form, style attribute or SVG. Template syntax must come out as text.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import nh3
import pytest
from conftest import make_repo, png_bytes
from htmlscan import scan_fragment

from sitegen.assets import Resolver
from sitegen.markdown import sanitise as sanitise_module
from sitegen.markdown import render_markdown as render
from sitegen.load.repo import list_files

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "xss_vectors.txt"


def _vectors() -> list[str]:
    out = []
    for line in VECTORS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        # "esc:" lines carry control characters that a text file should not hold as they are.
        out.append(codecs.decode(line[4:], "unicode_escape") if line.startswith("esc:") else line)
    return out


ALL = _vectors()


@pytest.fixture(scope="module")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> Resolver:
    root = make_repo(tmp_path_factory.mktemp("xss"), "m", None,
                     {"x.png": png_bytes(), "a.png": png_bytes(), "notes.txt": "plain text\n"})
    return Resolver("m", root, "models/m", frozenset(f.path for f in list_files(root)))


def test_the_table_is_large() -> None:
    assert len(ALL) >= 200


@pytest.mark.parametrize("vector", ALL, ids=[f"v{i:03d}" for i in range(len(ALL))])
def test_vector_renders_inert(resolver: Resolver, vector: str) -> None:
    body = render(vector + "\n\nSafe tail text.\n", resolver)
    assert scan_fragment(body.html) == []


@pytest.mark.parametrize("vector", [v for v in ALL if v.startswith(("[", "<a ", "<A "))][:60])
def test_vector_inside_a_list_table_and_quote_renders_inert(resolver: Resolver, vector: str) -> None:
    body = "\n".join([f"- {vector}", "", f"> {vector}", "", "| a |", "| - |", f"| {vector} |", ""])
    assert scan_fragment(render(body, resolver).html) == []


def test_template_syntax_is_text(resolver: Resolver) -> None:
    html = render("{{ 7*7 }} {% for x in range(9) %}x{% endfor %}\n", resolver).html
    assert "{{ 7*7 }}" in html and "{% for x in range(9) %}" in html and "49" not in html


def test_the_scanner_finds_what_it_looks_for() -> None:
    """The scanner is the test: it must see every kind of live content."""
    live = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">a</a>',
            '<a href=" &#106;avascript:alert(1)">a</a>', '<a href="jav&#x09;ascript:alert(1)">a</a>',
            '<iframe src="https://x.test"></iframe>', '<form action="https://x.test"></form>',
            '<object data="x"></object>', '<embed src="x">', '<base href="https://x.test/">',
            '<meta http-equiv="refresh" content="0;url=https://x.test">', '<p style="color:red">x</p>',
            '<svg><circle r="1"/></svg>', '<img src="data:text/html,x">', '<a xlink:href="vbscript:x">a</a>',
            '<img srcset="x.png 1x, javascript:alert(1) 2x">', '<math><mi href="javascript:x">x</mi></math>',
            '<input type="text">', '<button formaction="javascript:x">b</button>']
    for html in live:
        assert scan_fragment(html), html
    assert scan_fragment('<p><a href="https://ok.test" rel="nofollow">ok</a> <img src="x.png"></p>') == []


_REAL_CLEANER = nh3.Cleaner


class _OldSerialiser:
    """nh3 as it was before 0.3.7: `<` and `>` in attribute values written as they are."""

    def __init__(self, **options: object) -> None:
        self.real = _REAL_CLEANER(**options)

    def clean(self, html: str) -> str:
        return self.real.clean(html).replace("&gt;", ">").replace("&lt;", "<")


@pytest.mark.parametrize("vector", ['<input title="><img src=x onerror=alert(1)>" type="text">',
                                    '<p><input title="><script>alert(1)</script>"></p>'])
def test_nothing_rewrites_sanitised_html(resolver: Resolver, vector: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The sanitiser's output is final: a pattern run over it afterwards (as the <input>
    stripping once was) reads an attribute value as markup and lets it out."""
    monkeypatch.setattr(nh3, "Cleaner", _OldSerialiser)
    sanitise_module._cleaner.cache_clear()  # the cleaner is made once per process: make it anew
    try:
        assert isinstance(sanitise_module._cleaner(), _OldSerialiser)
        assert scan_fragment(render(vector + "\n", resolver).html) == []
    finally:
        sanitise_module._cleaner.cache_clear()


@pytest.mark.parametrize("vector", ["<input>", "<input type=text value=x name=q autofocus onfocus=alert(1)>",
                                    '<input type="image" src="x.png" formaction="javascript:alert(1)">'])
def test_every_input_is_a_disabled_box_without_a_value(resolver: Resolver, vector: str) -> None:
    html = render(vector + "\n", resolver).html
    assert html.count("<input") == 1 and 'disabled=""' in html
    assert all(word not in html for word in ("text", "value", "src", "formaction", "onfocus", "autofocus"))


def test_each_call_rewrites_with_its_own_callback() -> None:
    """One cleaner serves every call (made once per process): each call's attributes still go
    through that call's rewrite, and what one rewrite raised is raised by its call alone."""
    html = '<a href="x.html">x</a>'
    assert sanitise_module.sanitise(html, lambda e, a, v: "one.html" if a == "href" else v).count("one.html") == 1
    assert sanitise_module.sanitise(html, lambda e, a, v: "two.html" if a == "href" else v).count("two.html") == 1

    def broken(element: str, attr: str, value: str) -> str | None:
        raise KeyError(value)
    with pytest.raises(KeyError):
        sanitise_module.sanitise(html, broken)
    assert "three.html" in sanitise_module.sanitise(html, lambda e, a, v: "three.html" if a == "href" else v)
