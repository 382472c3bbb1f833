"""Render a card body: markdown-it-py, Pygments, then an allowlist sanitiser (nh3).

Raw HTML in cards is common and welcome; everything that leaves here has been through
nh3, and every relative link or image went through the repo's asset resolver.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight as pyg_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from . import math
from .assets import AssetError, Resolver

ID_PREFIX = "user-content-"
HUB = "https://huggingface.co"

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "center", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li",
        "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "section", "small", "span",
        "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "tt", "u", "ul", "var", "source", "video", "audio"}
_ALIGN = {"align"}
ATTRS = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href"}, "img": {"src", "alt", "width", "height", "align"},
    "td": {"align", "colspan", "rowspan"}, "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"}, "details": {"open"}, "p": _ALIGN, "div": _ALIGN, "h1": _ALIGN,
    "h2": _ALIGN, "h3": _ALIGN, "h4": _ALIGN, "table": _ALIGN, "col": {"span", "width"},
    "input": {"type", "checked"}, "video": {"src", "width", "height", "poster", "muted", "loop"},
    "audio": {"src"}, "source": {"src", "type"},
}
CLASSES = {
    "span": {c for c in STANDARD_TYPES.values() if c},
    "pre": {"highlight"},
    "a": {"header-anchor", "footnote-backref"},
    "section": {"footnotes"}, "hr": {"footnotes-sep"}, "ol": {"footnotes-list"},
    "li": {"footnote-item", "task-list-item"}, "sup": {"footnote-ref"},
    "ul": {"contains-task-list"}, "input": {"task-list-item-checkbox"},
    # The Hub's way to show an image in one colour scheme only (hub-docs model-cards.md).
    "img": {"dark:hidden", "hidden", "dark:block"},
}
GALLERY = "sitegen-gallery-slot"
_ALIGN_STYLE = re.compile(r'style="text-align:(left|right|center)"')
_GALLERY_TAG = re.compile(r"^\s*<Gallery\s*/>\s*$")
_FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang.split()[0].lower())
    except ClassNotFound:
        return ""
    return f'<pre class="highlight"><code>{pyg_highlight(code, lexer, _FORMATTER)}</code></pre>'


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "highlight": _highlight,
                                   "maxNesting": 50})
    md.enable(["table", "strikethrough", "linkify"])
    md.use(footnote_plugin).use(tasklists_plugin, label=True)
    md.use(anchors_plugin, min_level=1, max_level=4, permalink=True, permalinkSymbol="#")
    md.use(math.math_plugin)
    return md


_MD = _make_parser()


@dataclass
class Body:
    parts: tuple[str | None, ...]  # HTML, with None where the card placed <Gallery />
    summary: str
    problems: list[tuple[str, int]] = field(default_factory=list)  # (message, body line)

    @property
    def html(self) -> str:
        return "".join(p for p in self.parts if p is not None)


def render(body: str, resolver: Resolver) -> Body:
    """Render markdown to safe HTML; relative links and images point into the site."""
    # Placeholders carry a digest of the body, so a card cannot spell one out itself.
    env: dict[str, Any] = {"nonce": hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]}
    tokens = _MD.parse(body, env)
    for tok in tokens:  # <Gallery /> on a line of its own is an HTML block; in code it is text
        if tok.type == "html_block" and _GALLERY_TAG.match(tok.content):
            tok.content = f"<p>{GALLERY}</p>\n"
    # markdown-it aligns table cells with style=, which the sanitiser drops: use align=.
    html = _ALIGN_STYLE.sub(r'align="\1"', _MD.renderer.render(tokens, _MD.options, env))
    problems: list[tuple[str, int]] = []

    def rewrite(element: str, attr: str, value: str) -> str | None:
        if attr not in ("href", "src"):
            return value
        return _rewrite_url(element, value, resolver, body, problems)

    cleaner = nh3.Cleaner(tags=TAGS, attributes=ATTRS, allowed_classes=CLASSES,
                          url_schemes={"http", "https", "mailto"}, attribute_filter=rewrite,
                          link_rel="nofollow noopener noreferrer ugc", strip_comments=True,
                          id_prefix=ID_PREFIX, clean_content_tags={"script", "style"},
                          # One attribute per tag: nh3 adds several in random order and
                          # builds must be byte-identical; <meta name="referrer"> in the
                          # page already keeps remote image hosts from seeing the referrer.
                          # tabindex: a code block or table that scrolls must be
                          # reachable from the keyboard.
                          set_tag_attribute_values={"input": {"disabled": ""},
                                                    "img": {"loading": "lazy"},
                                                    "pre": {"tabindex": "0"},
                                                    "table": {"tabindex": "0"}})
    html, math_problems = math.insert(cleaner.clean(html), env.get("math", []), env["nonce"])
    problems += [(message, _line_of(body, latex)) for message, latex in math_problems]
    parts: list[str | None] = []
    for i, piece in enumerate(html.split(f"<p>{GALLERY}</p>")):
        parts += [None, piece] if i else [piece]
    return Body(tuple(parts), summary(tokens), list(dict.fromkeys(problems)))


def _rewrite_url(element: str, url: str, resolver: Resolver, body: str,
                 problems: list[tuple[str, int]]) -> str | None:
    parts = urlsplit(url)
    if parts.scheme:
        return url
    if url.startswith("//"):
        return "https:" + url
    if url.startswith("#"):
        return url if url.startswith("#" + ID_PREFIX) else "#" + ID_PREFIX + url[1:]
    if url.startswith("/"):  # the card was written for the Hub: root paths are Hub pages
        return HUB + url
    if not parts.path:
        return url
    want = "image" if element == "img" else ""
    try:
        asset = resolver.resolve(url, want)
    except AssetError as exc:
        problems.append((f"{'image' if element == 'img' else 'link'} {url!r}: {exc}", _line_of(body, url)))
        return None
    return asset.url + (f"#{parts.fragment}" if parts.fragment else "")


def _line_of(body: str, url: str) -> int:
    # markdown-it percent-encodes link targets; the card may have either form.
    for needle in (url, unquote(url)):
        at = body.find(needle)
        if at >= 0:
            return body.count("\n", 0, at) + 1
    return 1


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def summary(tokens: list[Token], limit: int = 220) -> str:
    """The first sentence of the first real paragraph (not a badge row or an image)."""
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        text = " ".join(_plain(tok.children or []).split())
        if len(text) < 20 or not re.search(r"[^\W\d_]{3}", text):
            continue
        first = _SENTENCE_END.split(text, maxsplit=1)[0]
        return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _plain(children: list[Token]) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)
