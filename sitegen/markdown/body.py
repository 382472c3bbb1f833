"""Render a card body: markdown-it-py, Pygments, then an allowlist sanitiser (nh3)."""
# Raw HTML in cards is common and welcome; everything that leaves here has been through
# nh3, and every relative link or image went through the repo's asset resolver.
#
# Cards are written by strangers, so every step costs time in proportion to the card: heading
# anchors and task lists come from the linear rules of rules.py, raw HTML nested past
# MAX_HTML_DEPTH (which nh3 parses in quadratic time) is shown as text, and text nested past
# markdown-it's limit, which it would drop, is kept as a plain paragraph (rules.py).
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from . import mathml
from ..assets import AssetError, PointerError, Resolver
from .parser import MAX_NESTING, parser_for
from .sanitise import ID_PREFIX, lfs_placeholders, remote_media, sanitise
from .summary import summary

HUB = "https://huggingface.co"

GALLERY = "sitegen-gallery-slot"
MAX_HTML_DEPTH = 100  # raw HTML elements open at once; real cards stay below 20
MAX_PROBLEMS = 100  # links and images reported per card; the rest are counted
MAX_MARKDOWN = 256 * 1024  # characters read as markdown; real card bodies stay below 100 KB
# <Gallery /> placements expanded: each shows every widget example with an image output, under
# the same element ids, so a second one adds nothing but bytes (real cards place it once).
MAX_GALLERIES = 1
_ALIGN_STYLE = re.compile(r'style="text-align:(left|right|center)"')
_GALLERY_TAG = re.compile(r"^\s*<Gallery\s*/>\s*$")


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
    md = parser_for(body)
    tokens = md.parse(body, env)
    deep_html, problems = _raw_html(tokens)
    if deep_html is not None:
        problems = [(f"raw HTML nested more than {MAX_HTML_DEPTH} elements deep; "
                     "the card's HTML is shown as text", deep_html)]
        env = {"nonce": env["nonce"]}
        md = parser_for(body, html=False)
        tokens = md.parse(body, env)
    gallery = f"{GALLERY}-{env['nonce']}"
    problems += _place_galleries(tokens, f"<p>{gallery}</p>\n")
    problems += [(f"text nested more than {MAX_NESTING} levels deep is shown as plain text", line)
                 for line in env.get("deep", [])[:1]]
    problems += env.get("math_problems", [])  # `$$` blocks never closed
    # markdown-it aligns table cells with style=, which the sanitiser drops: use align=.
    html = _ALIGN_STYLE.sub(r'align="\1"', md.renderer.render(tokens, md.options, env))
    unresolved = [0]
    # A medium whose file is a Git LFS pointer gets this src (and its path's index), then a
    # placeholder naming it; a card cannot spell the marker out, as it holds the body's digest.
    pointers: list[str] = []
    marker = f"sitegen-lfs-{env['nonce']}-"

    def rewrite(element: str, attr: str, value: str) -> str | None:
        if element == "input" and attr == "type":
            return "checkbox"  # task lists need checkboxes; no other kind of input is shown
        if attr not in ("href", "src", "poster"):
            return value
        try:
            return _rewrite_url(element, attr, value, resolver, body, problems, unresolved)
        except PointerError as exc:
            if attr != "src" or element not in ("img", "video", "audio", "source"):
                return None  # a link or a poster: left out, as any file the page cannot use
            pointers.append(exc.placeholder.path)
            return f"{marker}{len(pointers) - 1}"

    cleaned = lfs_placeholders(remote_media(sanitise(html, rewrite), resolver.offline), marker, pointers)
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
    label = "image" if want else {"video": "video", "audio": "audio", "source": "media"}.get(element, "link")  # named so for a pointer only
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
    except PointerError as exc:
        _unusable(f"{label} {url!r}: {exc}"
                  + ("; the page shows a placeholder in its place" if attr == "src" else ""),
                  body, url, problems, unresolved)
        raise
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
