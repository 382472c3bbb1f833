"""Render a card body: markdown-it-py, Pygments, then an allowlist sanitiser (nh3)."""
# Raw HTML in cards is common and welcome; everything that leaves here has been through
# nh3, and every relative link or image went through the repo's asset resolver.
#
# Cards are written by strangers, so every step costs time in proportion to the card: heading
# anchors and task lists come from the linear rules of rules.py, raw HTML nested past
# MAX_HTML_DEPTH (which nh3 parses in quadratic time) is shown as text, and text nested past
# markdown-it's limit, which it would drop, is kept as a plain paragraph (rules.py).
from __future__ import annotations

import functools
import hashlib
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from . import mathml, rules
from ..assets import AssetError, Resolver
from .highlight import highlight

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
    "input": {"checked", "type"}, "video": {"src", "width", "height", "poster", "muted", "loop"},
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
MAX_NESTING = 32  # markdown-it levels (a list item is two); real cards reach 9
MAX_HTML_DEPTH = 100  # raw HTML elements open at once; real cards stay below 20
MAX_PROBLEMS = 100  # links and images reported per card; the rest are counted
MAX_MARKDOWN = 256 * 1024  # characters read as markdown; real card bodies stay below 100 KB
# <Gallery /> placements expanded: each shows every widget example with an image output, under
# the same element ids, so a second one adds nothing but bytes (real cards place it once).
MAX_GALLERIES = 1
_ALIGN_STYLE = re.compile(r'style="text-align:(left|right|center)"')
_GALLERY_TAG = re.compile(r"^\s*<Gallery\s*/>\s*$")


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""
    lexer_class = _lexer_class(lang.split()[0].lower())
    if lexer_class is None:
        return ""
    # A new lexer for each block, as get_lexer_by_name gives: some lexers keep state.
    # highlight() writes what pygments.highlight(..., HtmlFormatter(nowrap=True)) does.
    return f'<pre class="highlight"><code>{highlight(code, lexer_class())}</code></pre>'


@functools.lru_cache(maxsize=1024)
def _lexer_class(name: str) -> type[Lexer] | None:
    """The lexer class for a language name, or None. Pygments looks a name up by walking
    its whole table, and a name it lacks through the installed plugins' entry points
    (milliseconds each): look each name up once."""
    try:
        return find_lexer_class_by_name(name)
    except ClassNotFound:
        return None


def _quick_linkify(linkify: Any) -> None:
    """Answer linkify-it's pretest in cheap steps. Its one regex, `(schema)|(host)|@`,
    tries a large character class at every position of every paragraph (a tenth of the
    time of a card); a regex search matches when one of its alternatives does, so asking
    for `@`, then the host part, then the schema part (only where a `:` or `/` is, which
    every schema name holds) gives the same answer. test() finds a link only through one
    of these three, so a text that fails the pretest fails test() too: ask that first."""
    res = linkify.re
    assert res["pretest"] == "(" + res["schema_test"] + ")|(" + res["host_fuzzy_test"] + ")|@"
    assert all(":" in name or "/" in name for name in linkify._compiled if name)
    schema = re.compile(res["schema_test"], re.IGNORECASE)
    host = re.compile(res["host_fuzzy_test"], re.IGNORECASE)
    full_test = linkify.test

    def pretest(text: str) -> bool:
        return "@" in text or host.search(text) is not None or \
            (("/" in text or ":" in text) and schema.search(text) is not None)

    def test(text: str) -> bool:
        return pretest(text) and full_test(text)

    linkify.pretest, linkify.test = pretest, test


def _make_parser(html: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "linkify": True, "highlight": _highlight,
                                   "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    _quick_linkify(md.linkify)
    # A pure function of the URL (mdurl parse, punycode, encode), asked again for the same
    # badge and Hub URLs card after card.
    md.normalizeLink = functools.lru_cache(maxsize=4096)(md.normalizeLink)  # type: ignore[method-assign]
    md.use(footnote_plugin).use(rules.tasklists).use(rules.anchors)
    md.use(mathml.math_plugin).use(rules.keep_deep_text)
    return md


class _NoDebug:
    """A block rule's logger whose debug() does nothing; everything else goes to the real one."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def debug(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)


def _quiet_block_rules() -> None:
    """markdown-it's block rules log "entering <rule>" at DEBUG on every attempt: about a
    thousand Logger.debug calls per card, each asking its logger whether DEBUG is on (about
    1% of a card's time). sitegen sets up no logging. A rule whose logger already has DEBUG
    on when this module loads keeps it; DEBUG turned on later shows no such messages."""
    for name, module in list(sys.modules.items()):
        logger = getattr(module, "LOGGER", None)
        if name.startswith("markdown_it.rules_block.") and isinstance(logger, logging.Logger) \
                and not logger.isEnabledFor(logging.DEBUG):
            module.LOGGER = _NoDebug(logger)  # type: ignore[attr-defined]


_quiet_block_rules()
_MD = _make_parser()
_MD_TEXT = _make_parser(html=False)  # for cards whose raw HTML nests too deep to sanitise


@dataclass
class Body:
    parts: tuple[str | None, ...]  # HTML, with None where the card placed <Gallery />
    summary: str
    problems: list[tuple[str, int]] = field(default_factory=list)  # (message, body line)

    @property
    def html(self) -> str:
        return "".join(p for p in self.parts if p is not None)


def render_markdown(body: str, resolver: Resolver) -> Body:
    """Render markdown to safe HTML; relative links and images point into the site."""
    # Placeholders carry a digest of the body, so a card cannot spell one out itself.
    env: dict[str, Any] = {"nonce": hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]}
    body, rest = _split_long(body)
    tokens = _MD.parse(body, env)
    deep_html, problems = _raw_html(tokens)
    if deep_html is not None:
        problems = [(f"raw HTML nested more than {MAX_HTML_DEPTH} elements deep; "
                     "the card's HTML is shown as text", deep_html)]
        env = {"nonce": env["nonce"]}
        tokens = _MD_TEXT.parse(body, env)
    gallery = f"{GALLERY}-{env['nonce']}"
    problems += _place_galleries(tokens, f"<p>{gallery}</p>\n")
    problems += [(f"text nested more than {MAX_NESTING} levels deep is shown as plain text", line)
                 for line in env.get("deep", [])[:1]]
    # markdown-it aligns table cells with style=, which the sanitiser drops: use align=.
    html = _ALIGN_STYLE.sub(r'align="\1"', _MD.renderer.render(tokens, _MD.options, env))
    unresolved = [0]

    def rewrite(element: str, attr: str, value: str) -> str | None:
        if element == "input" and attr == "type":
            return "checkbox"  # task lists need checkboxes; no other kind of input is shown
        if attr not in ("href", "src", "poster"):
            return value
        return _rewrite_url(element, attr, value, resolver, body, problems, unresolved)

    cleaned = _sanitise(html, rewrite)
    html, math_problems = mathml.insert(cleaned, env.get("math", []), env["nonce"])
    problems += [(message, _line_of(body, latex)) for message, latex in math_problems]
    if unresolved[0]:
        problems.append((f"{unresolved[0]} more links or images could not be used; "
                         f"the first {MAX_PROBLEMS} are listed", 1))
    if rest:
        line = body.count("\n") + 1
        problems.append((f"the card body is longer than {MAX_MARKDOWN:,} characters; from this line "
                         "on it is shown as plain text", line))
        html += f'<pre class="card-rest" tabindex="0">{escape(rest, quote=False)}</pre>\n'
    parts: list[str | None] = []
    for i, piece in enumerate(html.split(f"<p>{gallery}</p>")):
        parts += [None, piece] if i else [piece]
    return Body(tuple(parts), summary(tokens), list(dict.fromkeys(problems)))


def _sanitise(html: str, rewrite: Callable[[str, str, str], str | None]) -> str:
    """Clean the card's HTML with nh3, each attribute passed through `rewrite`. nh3 prints and
    swallows what its callback raises: the model's time limit (TimeLimit) or memory would be
    lost, and a bug would keep the attribute as written; it is raised here once nh3 returns."""
    raised: list[BaseException] = []

    def guarded(element: str, attr: str, value: str) -> str | None:
        if raised:
            return None
        try:
            return rewrite(element, attr, value)
        except BaseException as exc:  # noqa: BLE001 - raised again once nh3 returns
            raised.append(exc)
            return None

    cleaner = nh3.Cleaner(tags=TAGS, attributes=ATTRS, allowed_classes=CLASSES,
                          url_schemes={"http", "https", "mailto"}, attribute_filter=guarded,
                          link_rel="nofollow noopener noreferrer ugc", strip_comments=True,
                          id_prefix=ID_PREFIX, clean_content_tags={"script", "style"},
                          # One attribute per tag: nh3 adds several in random order and
                          # builds must be byte-identical; <meta name="referrer"> in the
                          # page already keeps remote image hosts from seeing the referrer.
                          # Every <input> is disabled (inert: no focus, no typing, no value)
                          # and a checkbox when it names a type: done here, in the sanitiser,
                          # as nh3 cannot remove an element by its attributes.
                          # tabindex: a code block or table that scrolls must be
                          # reachable from the keyboard.
                          set_tag_attribute_values={"input": {"disabled": ""},
                                                    "img": {"loading": "lazy"},
                                                    "pre": {"tabindex": "0"},
                                                    "table": {"tabindex": "0"}})
    cleaned = cleaner.clean(html)
    if raised:
        raise raised[0]
    return cleaned


def _place_galleries(tokens: list[Token], slot: str) -> list[tuple[str, int]]:
    """Put a slot where the card places <Gallery /> (on a line of its own it is an HTML block;
    in code it is text), the first MAX_GALLERIES times; report the placements left out."""
    placed = [tok for tok in tokens if tok.type == "html_block" and _GALLERY_TAG.match(tok.content)]
    for i, tok in enumerate(placed):
        tok.content = slot if i < MAX_GALLERIES else ""
    if len(placed) <= MAX_GALLERIES:
        return []
    first = placed[MAX_GALLERIES].map
    times = "once" if MAX_GALLERIES == 1 else f"{MAX_GALLERIES} times"
    return [(f"<Gallery /> is placed {len(placed):,} times and a page shows it {times}: the "
             f"{len(placed) - MAX_GALLERIES:,} placements from this line on are left out",
             (first[0] if first else 0) + 1)]


def _split_long(body: str) -> tuple[str, str]:
    """Cut a body past MAX_MARKDOWN characters at a line end: the rest is shown as text.
    markdown-it-py is linear but slow on hostile text (up to ~100 µs a character for deeply
    quoted lines): this bounds the time a card can take."""
    if len(body) <= MAX_MARKDOWN:
        return body, ""
    cut = body.rfind("\n", 0, MAX_MARKDOWN) + 1 or MAX_MARKDOWN
    return body[:cut], body[cut:]


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*)?(/?)>")
# Elements that never hold others open: void ones, and those a sibling or parent closes.
_NOT_NESTING = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                "param", "source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr", "td",
                "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "caption",
                "rb", "rt", "rtc", "rp", "html", "head", "body"}


def _raw_html(tokens: list[Token]) -> tuple[int | None, list[tuple[str, int]]]:
    """Read the card's raw HTML: the body line where it opens more than MAX_HTML_DEPTH
    elements at once (or None), and the lines of <script> and <style> elements, which the
    sanitiser removes with all they hold (an unclosed one, the rest of the card)."""
    depth = 0
    dropped: list[tuple[str, int]] = []
    for tok in tokens:
        if tok.type == "html_block":
            pieces = [(tok.content, tok.map)]
        elif tok.children:
            pieces = [(c.content, tok.map) for c in tok.children if c.type == "html_inline"]
        else:
            continue
        for content, where in pieces:
            for m in _TAG.finditer(content):
                name, line = m.group(2).lower(), (where[0] if where else 0) + 1
                if m.group(1):
                    depth = max(0, depth - 1) if name not in _NOT_NESTING else depth
                    continue
                if name in ("script", "style") and len(dropped) < 10:
                    dropped.append((f"<{name}> is removed with everything in it, up to its </{name}> "
                                    "or the end of the card", line))
                if name not in _NOT_NESTING and not m.group(3):
                    depth += 1
                    if depth > MAX_HTML_DEPTH:
                        return line, dropped
    return None, dropped


def _rewrite_url(element: str, attr: str, url: str, resolver: Resolver, body: str,
                 problems: list[tuple[str, int]], unresolved: list[int]) -> str | None:
    want = "image" if element == "img" or attr == "poster" else ""
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracketed host that is no IPv6 address
        _unusable(f"{'image' if want else 'link'} {url!r}: not a valid URL", body, url, problems, unresolved)
        return None
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
    try:
        asset = resolver.resolve(url, want)
    except AssetError as exc:
        _unusable(f"{'image' if want else 'link'} {url!r}: {exc}", body, url, problems, unresolved)
        return None
    return asset.url + (f"#{parts.fragment}" if parts.fragment else "")


def _unusable(message: str, body: str, url: str, problems: list[tuple[str, int]], unresolved: list[int]) -> None:
    """Note a link or image the page leaves out (past MAX_PROBLEMS, only count it)."""
    if len(problems) < MAX_PROBLEMS:
        problems.append((message, _line_of(body, url)))
    else:
        unresolved[0] += 1


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
