"""Card body rendering: math to MathML (markdown/mathml.py), and the other card features of the same change
in markdown.py: the <Gallery /> slot, images for one colour scheme, table alignment."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import Built, build_site, card, formatted, make_repo, png_bytes
from sitegen.markdown.mathml import ATTRIBUTES, ELEMENTS
from sitegen.resolve import ModelPage


def build(tmp_path: Path, body: str, meta: str = "license: mit",
          files: dict[str, str | bytes] | None = None) -> Built:
    make_repo(tmp_path / "src", "m", card(meta, body), files)
    return build_site(tmp_path / "src", tmp_path / "out")


def model(result: Built) -> ModelPage:
    (page,) = result.model_pages
    return page


def article(tmp_path: Path) -> str:
    """The card as the built page shows it."""
    html = (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")
    at = html.index('<article class="model-card markdown"')
    return html[at:html.index("</article>", at)]


def maths(html: str) -> list[tuple[str, str]]:
    """(display, inner MathML) of each <math> element."""
    return re.findall(r'<math xmlns="http://www.w3.org/1998/Math/MathML" display="(\w+)"(?: tabindex="0")?>(.*?)</math>',
                      html, re.DOTALL)


class Tags(HTMLParser):
    """Every start tag with its attributes, and whether it is inside <math>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None], bool]] = []
        self.depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs), self.depth > 0))
        if tag == "math":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "math":
            self.depth -= 1


# --- math ------------------------------------------------------------------------------------

def test_inline_and_display_math(tmp_path: Path) -> None:
    body = "# Loss\n\nInline \\\\(a+b\\\\) in a sentence.\n\n$$\\frac{1}{2}$$\n"
    result = build(tmp_path, body)
    assert formatted(result) == []
    html = article(tmp_path)
    (inline, inline_ml), (display, display_ml) = maths(html)
    assert (inline, display) == ("inline", "block")
    assert "<mi>a</mi><mo>+</mo><mi>b</mi>" in inline_ml
    assert "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>" in display_ml
    assert "Inline <math" in html and "</math> in a sentence." in html
    assert "$$" not in html and "\\(" not in html and "sitegen-math" not in html
    assert maths(model(result).body_html) == maths(html)


def test_math_in_lists_tables_and_footnotes_keeps_its_order(tmp_path: Path) -> None:
    formulas = [f"x_{{{i}}}" for i in range(12)]  # more than 10: sitegen-math-1 vs -10
    body = ("- $$x_{0}$$\n- \\\\(x_{1}\\\\)\n\n| a | b |\n|---|---|\n| $$x_{2}$$ | \\\\(x_{3}\\\\) |\n\n"
            + " ".join(f"$${f}$$" for f in formulas[4:11]) + " [^n]\n\n[^n]: note $$x_{11}$$\n")
    result = build(tmp_path, body)
    assert formatted(result) == []
    found = maths(article(tmp_path))
    assert len(found) == 12
    assert [re.findall(r"<mn>(\d+)</mn>", inner)[0] for _, inner in found] == [str(i) for i in range(12)]
    assert [d for d, _ in found][:4] == ["block", "inline", "block", "inline"]


def test_dollars_in_code_stay_text(tmp_path: Path) -> None:
    body = "Write `$$x^2$$` or `\\\\(y\\\\)` for math.\n\n```\n$$z$$\n```\n\n    $$w$$\n"
    result = build(tmp_path, body)
    html = article(tmp_path)
    assert "<math" not in html
    assert "<code>$$x^2$$</code>" in html and "<code>\\\\(y\\\\)</code>" in html
    assert '<pre tabindex="0"><code>$$z$$\n</code></pre>' in html and '<pre tabindex="0"><code>$$w$$\n</code></pre>' in html
    assert formatted(result) == []


@pytest.mark.parametrize("body", [
    "It costs $5 and $6 in total.",
    "Single dollars $x^2$ are not math on the Hub.",
    "An escaped \\$$x$$ is not math.",
    "Unclosed $$x^2 stays text.",
    "Empty $$ $$ stays text.",
])
def test_not_math(tmp_path: Path, body: str) -> None:
    result = build(tmp_path, body + "\n")
    html = article(tmp_path)
    assert "<math" not in html and "math-source" not in html
    assert "$" in html
    assert formatted(result) == []


def test_unreadable_latex_is_escaped_source_with_a_warning(tmp_path: Path) -> None:
    result = build(tmp_path, "# M\n\nBroken: $$\\frac{<b>1</b>}{$$ and fine \\\\(x\\\\).\n")
    html = article(tmp_path)
    assert '<code class="math-source">\\frac{&lt;b&gt;1&lt;/b&gt;}{</code>' in html
    assert "<b>" not in html
    assert [d for d, _ in maths(html)] == ["inline"]  # the other formula still renders
    (problem,) = formatted(result)
    assert problem.startswith(str(tmp_path / "src/m/README.md") + ":")
    assert ": warning: math '\\\\frac{<b>1</b>}{' could not be read as LaTeX; shown as source" in problem


def test_unreadable_latex_warning_names_its_line(tmp_path: Path) -> None:
    result = build(tmp_path, "# M\n\nText.\n\nMore text.\n\n$$\\frac{1}{$$\n")
    (problem,) = formatted(result)
    assert problem.startswith(str(tmp_path / "src/m/README.md") + ":10: warning:")  # 3 lines of front matter


@pytest.mark.parametrize("latex", [
    "\\text{if a < b}", "\\mbox{if a < b}", "\\textrm{a < b}", "\\textbf{a < b}", "\\textit{Q&A}",
    "\\textsf{if a < b}", "\\texttt{if a < b}", "\\textnormal{if a < b}", "\\hbox{if a < b}",
    "\\text {if a < b}", "\\text{if a < {b}}", "\\mathrm{P(A<B)}",
])
def test_less_than_and_ampersand_render(tmp_path: Path, latex: str) -> None:
    result = build(tmp_path, f"$${latex}$$\n")
    assert formatted(result) == []
    ((display, inner),) = maths(article(tmp_path))
    assert display == "block" and ("&lt;" in inner or "&amp;" in inner)


INJECTIONS = [
    r"\text{<b>x</b>}",
    r"\text{<script>alert(1)</script>}",
    r"\text{<img src=x onerror=alert(1)>}",
    r'\text{<a href="https://evil.example/">click</a>}',
    r'\text{<mi onclick="alert(1)" href="javascript:alert(1)" style="color:red">x</mi>}',
    r'\text{<mstyle mathcolor="red" href="javascript:alert(1)"><mi>x</mi></mstyle>}',
    r'\text{<math xlink:href="javascript:alert(1)">x</math>}',
    r"\text{<![CDATA[<script>alert(1)</script>]]>}",
    r"\text{&lt;b&gt;x&lt;/b&gt;}",
    r"\href{javascript:alert(1)}{x}",
    r"\style{background:url(https://evil.example/)}{x}",
    r"\mathrm{<img src=x onerror=alert(1)>}",
    r'\hspace{1em" onclick="alert(1)}',
    r'\text{" onmouseover="alert(1)" x="}',
    r"\text{</math><script>alert(1)</script>}",
    r"\text{<annotation-xml encoding='text/html'><b>x</b></annotation-xml>}",
    # Text commands whose content latex2mathml copies raw (only the allowlist stops these):
    r"\textsf{<b>x</b>}",
    r"\texttt{<script>alert(1)</script>}",
    r"\hbox{<img src=x onerror=alert(1)>}",
    r"\text {<b>x</b>}",
    r'\textnormal{<a href="javascript:alert(1)">x</a>}',
    r'\texttt{<mstyle mathcolor="red" href="javascript:alert(1)"><mi onclick="alert(1)">x</mi></mstyle>}',
    r"\text{a}\text{<b>x</b>{}}",
    r"\text{<b>{x}</b>}",
    r"\text{<b>x</b>{{}}}",
    r"\mbox{a{b{<script>alert(1)</script>}}}",
    r"\textsf{{{<img src=x onerror=alert(1)>}}}",
    r'\texttt{<mi onclick="alert(1)">x</mi><a href="javascript:alert(1)">y</a>{{}}}',
]


@pytest.mark.parametrize("latex", INJECTIONS)
@pytest.mark.parametrize("opener,closer", [("$$", "$$"), ("\\\\(", "\\\\)")], ids=["display", "inline"])
def test_math_never_injects_markup(tmp_path: Path, latex: str, opener: str, closer: str) -> None:
    build(tmp_path, f"# M\n\nBefore {opener}{latex}{closer} after.\n\nSafe tail text.\n")
    html = article(tmp_path)
    assert "Safe tail text." in html
    for tag, attrs, in_math in Tags(html).found:
        assert tag not in ("b", "script", "img", "style", "annotation-xml"), html
        assert not [a for a in attrs if a.startswith("on")], html
        assert all("javascript" not in (v or "").lower() for v in attrs.values()), html
        if in_math or tag == "math":
            assert tag in ELEMENTS, html
            assert set(attrs) <= ATTRIBUTES | {"xmlns", "tabindex"}, html
    assert "<b>" not in html and "<script" not in html.lower()


PLACEHOLDERS = [
    "sitegen-math-0 written as text, then $$\\text{<b>x</b>}$$",
    "<span>sitegen-math-0</span> written as HTML, then $$\\text{\" onerror=\"alert(1)}$$",
    ('<img alt="<span>sitegen-math-0</span>" src="https://example.org/a.png"> then '
     "$$\\text{\" onerror=\"alert(1)}$$"),
    '<p title="<span>sitegen-math-0</span>">x</p>\n\n$$\\text{\"><script>alert(1)</script>}$$',
    ('<a href="https://example.org/" title="<span>sitegen-math-1</span>">a</a> '
     '$$x$$ $$\\text{" onmouseover="alert(1)" x="}$$'),
    "`<span>sitegen-math-0</span>` in code, then $$\\text{<script>alert(1)</script>}$$",
    "<span>sitegen-math-0</span> with no math at all",
]


@pytest.mark.parametrize("body", PLACEHOLDERS)
def test_placeholders_written_by_the_author_cannot_inject(tmp_path: Path, body: str) -> None:
    build(tmp_path, f"# M\n\n{body}\n\nSafe tail text.\n")
    html = article(tmp_path)
    assert "Safe tail text." in html
    for tag, attrs, _in_math in Tags(html).found:
        assert tag not in ("b", "script"), html
        assert not [a for a in attrs if a.startswith("on")], html
        for value in attrs.values():
            assert "<math" not in (value or ""), html  # no MathML inside an attribute
    assert "<script" not in html.lower() and "<b>" not in html


def test_author_placeholder_stays_text_and_formula_stays_in_place(tmp_path: Path) -> None:
    # Spellings a placeholder has had or could have (no nonce, an empty or a constant one).
    spellings = ["sitegen-math-0", "sitegen-math--0", "sitegen-math-0-0"]
    author = " ".join(f"<span>{s}</span>" for s in spellings)
    build(tmp_path, f"{author} by the author.\n\nThe formula: $$x$$\n")
    html = article(tmp_path)
    for spelling in spellings:  # the author's text stays text, where it was written
        assert html.index(spelling) < html.index("by the author.")
    assert html.count("<math") == 1
    assert re.search(r"The formula: <math [^>]*><mrow><mi>x</mi></mrow></math>", html)


# --- <Gallery /> -----------------------------------------------------------------------------

GALLERY_META = """
pipeline_tag: text-to-image
widget:
- text: a red square
  output:
    url: out/red.png
- text: a blue square
  example_title: Blue
  output:
    url: out/blue.png
"""
GALLERY_FILES: dict[str, str | bytes] = {"out/red.png": png_bytes(), "out/blue.png": png_bytes(color=(0, 0, 200))}


def test_gallery_slot_shows_image_outputs_in_place(tmp_path: Path) -> None:
    result = build(tmp_path, "# Gen\n\nIntro paragraph.\n\n<Gallery />\n\nOutro paragraph.\n",
                   GALLERY_META, GALLERY_FILES)
    body = model(result).body
    assert body.count(None) == 1
    before, after = body[body.index(None) - 1], body[body.index(None) + 1]
    assert before is not None and "Intro paragraph." in before
    assert after is not None and "Outro paragraph." in after
    html = article(tmp_path)
    intro, gallery, outro = (html.index("Intro paragraph."), html.index('<ul class="gallery gallery-card"'),
                             html.index("Outro paragraph."))
    assert intro < gallery < outro
    card_gallery = html[gallery:html.index("</ul>", gallery)]
    assert card_gallery.count('<li class="gallery-item"') == 2
    for alt in ("a red square", "a blue square"):
        (src,) = re.findall(rf'<img src="([^"]+)" alt="{alt}"', card_gallery)
        assert src.startswith(("files/out/", "thumbs/out/"))
        assert (tmp_path / "out/models/m" / src).is_file()
    assert "Blue" in card_gallery and "Example 1" in card_gallery
    assert "Gallery" not in html.replace("Gallery of example outputs", "")  # the tag itself is gone
    assert "sitegen-gallery-slot" not in html


def test_no_gallery_without_image_outputs(tmp_path: Path) -> None:
    result = build(tmp_path, "Intro paragraph.\n\n<Gallery />\n\nOutro paragraph.\n",
                   "pipeline_tag: text-to-image\nwidget:\n- text: no output stored\n")
    assert model(result).gallery == []
    html = article(tmp_path)
    assert "gallery" not in html and "Gallery" not in html and "sitegen-gallery-slot" not in html
    assert "Intro paragraph." in html and "Outro paragraph." in html


def test_gallery_without_a_widget(tmp_path: Path) -> None:
    build(tmp_path, "Intro paragraph.\n\n<Gallery />\n")
    html = article(tmp_path)
    assert "Intro paragraph." in html and "gallery" not in html and "Gallery" not in html


def test_gallery_in_inline_code_stays_literal(tmp_path: Path) -> None:
    build(tmp_path, "Put `<Gallery />` in your card.\n", GALLERY_META, GALLERY_FILES)
    html = article(tmp_path)
    assert "<code>&lt;Gallery /&gt;</code>" in html and "gallery-card" not in html


def test_gallery_in_a_code_block_stays_literal(tmp_path: Path) -> None:
    build(tmp_path, "Write this:\n\n```html\n<Gallery />\n```\n", GALLERY_META, GALLERY_FILES)
    html = article(tmp_path)
    assert "sitegen-gallery-slot" not in html and "gallery-card" not in html
    code = html[html.index("<pre"):html.index("</pre>")]
    assert re.sub(r"<[^>]+>", "", code).strip() == "&lt;Gallery /&gt;"


# --- images for one colour scheme, table alignment -------------------------------------------

def test_colour_scheme_fragments_kept_on_local_images(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"img/dark.png": png_bytes(), "img/light.png": png_bytes(color=(250, 250, 250))}
    result = build(tmp_path, "![Dark logo](img/dark.png#hf-dark-mode-only)\n"
                   "![Light logo](./img/light.png#hf-light-mode-only)\n", files=files)
    assert formatted(result) == []
    html = article(tmp_path)
    for name, fragment, alt in (("dark", "hf-dark-mode-only", "Dark logo"),
                                ("light", "hf-light-mode-only", "Light logo")):
        (src,) = re.findall(rf'<img src="(files/img/{name}[^"#]*\.png)#{fragment}" alt="{alt}"', html)
        assert (tmp_path / "out/models/m" / src).read_bytes().startswith(b"\x89PNG")


def test_colour_scheme_classes_kept_others_dropped(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"dark.png": png_bytes(), "light.png": png_bytes()}
    build(tmp_path, '<img src="dark.png" class="hidden dark:block big-logo" alt="d">\n'
          '<img src="light.png" class="dark:hidden rounded" alt="l">\n'
          '<img src="light.png" class="w-32 evil" alt="x">\n', files=files)
    html = article(tmp_path)
    classes = [attrs.get("class") for tag, attrs, _ in Tags(html).found if tag == "img"]
    assert classes[:2] == ["hidden dark:block", "dark:hidden"] and classes[2] in (None, "")


def test_table_alignment_kept_as_align(tmp_path: Path) -> None:
    build(tmp_path, "| name | score | mid | plain |\n|:-----|------:|:---:|---|\n| a | 1.5 | x | y |\n")
    html = article(tmp_path)
    assert '<th align="left">name</th>' in html and '<th align="right">score</th>' in html
    assert '<td align="right">1.5</td>' in html and '<td align="center">x</td>' in html
    assert "<th>plain</th>" in html and "<td>y</td>" in html
    assert "style=" not in html


# --- display math over blank lines ---------------------------------------------------------

def test_display_math_with_a_blank_line_renders(tmp_path: Path) -> None:
    body = "# Loss\n\n$$\nL = a\n\n+ \\frac{1}{2}\n$$\n\n> $$\n> x\n>\n> y\n> $$\n\nAfter.\n"
    result = build(tmp_path, body)
    assert formatted(result) == []
    html = article(tmp_path)
    found = maths(html)
    assert [d for d, _ in found] == ["block", "block"]
    assert "<mi>L</mi><mo>=</mo><mi>a</mi><mo>+</mo><mfrac>" in found[0][1]
    assert "<mi>x</mi><mi>y</mi>" in found[1][1]
    assert "$$" not in html and "<p>After.</p>" in html


def test_unclosed_display_math_warns_at_its_line(tmp_path: Path) -> None:
    result = build(tmp_path, "# M\n\nText.\n\n$$\na = b\n\nc = d\n")
    (problem,) = formatted(result)
    # 3 lines of front matter: the body's line 5 is the card's line 8
    assert problem == (f"{tmp_path / 'src/m/README.md'}:8: warning: `$$` opens display math that is never "
                       "closed (a blank line ends a paragraph; close the formula with `$$`); shown as text")
    assert "<math" not in article(tmp_path) and "$$" in article(tmp_path)


def test_display_math_with_a_blank_line_and_bad_latex_warns_at_its_line(tmp_path: Path) -> None:
    result = build(tmp_path, "# M\n\n$$\na\n\n\\frac{1}{\n$$\n\n$$\nb\n\nc $$ and text\n")
    assert formatted(result) == [
        f"{tmp_path / 'src/m/README.md'}:7: warning: math 'a\\n\\n\\\\frac{{1}}{{' could not be read as LaTeX; "
        "shown as source",
        f"{tmp_path / 'src/m/README.md'}:12: warning: a `$$` block with a blank line inside must end with `$$` "
        "at the end of a line; shown as text"]
    assert '<code class="math-source">' in article(tmp_path)


def test_many_unclosed_math_blocks_stay_fast(tmp_path: Path) -> None:
    import time

    body = "$$ a\n\n" * 20_000 + "$$\n" + "x\n\n" * 5_000  # each scan stops at the next `$$` or a cap
    began = time.perf_counter()
    result = build(tmp_path, body)
    assert time.perf_counter() - began < 20
    assert len([m for m in formatted(result) if "`$$`" in m]) == 10  # capped
