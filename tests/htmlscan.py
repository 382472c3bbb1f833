"""An output scanner for built pages: what a card must never get into a page.

`scan_page(html)` parses a page with html.parser (the way a browser tokenises it, not with a
regex) and returns every problem found: a script that is not one of the theme's own, an event
handler attribute, a `javascript:`/`vbscript:`/`data:text/html` URL, an element that embeds or
navigates (iframe, object, embed, form, base, meta refresh), a `style` attribute, SVG inside
the card, MathML outside the allowlist of sitegen.markdown.mathml, or a page without the strict
Content-Security-Policy. `scan_fragment(html)` checks sanitised card HTML the same way.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from sitegen.markdown.mathml import ATTRIBUTES as MATH_ATTRIBUTES
from sitegen.markdown.mathml import ELEMENTS as MATH_ELEMENTS

URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
             "cite", "longdesc", "manifest", "ping", "codebase", "dynsrc", "lowsrc", "srcset",
             "imagesrcset", "archive", "classid", "icon", "profile", "usemap", "itemtype"}
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "fencedframe",
         "template", "noscript", "xmp", "plaintext", "noembed", "noframes", "foreignobject",
         "animate", "set", "animatetransform", "animatemotion", "handler", "listener", "isindex",
         "textarea"}
CARD_NEVER = NEVER | {"button", "form", "svg", "style", "script", "meta", "link", "select", "option", "title"}
LINK_RELS = {"stylesheet", "icon", "canonical", "prev", "next"}  # the theme's own <link>s
SAFE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp)[;,]")
THEME_SCRIPT = re.compile(r"^(?:\.\./)*(?:static/[a-z-]+\.js|search-index\.js)$")
CSP_NEEDS = ("default-src 'none'", "script-src 'self'", "base-uri 'none'", "form-action 'none'")
# What the WHATWG URL parser ignores in a scheme: leading C0 controls and spaces, and any
# tab or newline anywhere.
_STRIP = re.compile(r"^[\x00-\x20]+")
_TABS = re.compile(r"[\t\n\r]")


def dangerous_url(value: str) -> str:
    """Return why a URL would run or load code in the page, or ''."""
    url = _TABS.sub("", _STRIP.sub("", value)).lower()
    for scheme in ("javascript:", "vbscript:", "livescript:", "mocha:", "data:text/html",
                   "data:application/xhtml", "data:image/svg", "data:text/xml", "data:application/xml",
                   "data:text/javascript", "data:application/javascript"):
        if url.startswith(scheme):
            return f"{scheme} URL"
    if url.startswith("data:") and not SAFE_DATA.match(url):
        return "data: URL that is not an image"
    return ""


class _Scanner(HTMLParser):
    def __init__(self, page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.problems: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, inside the card body)
        self.in_card = not page  # a fragment is card HTML throughout
        self.csp = ""
        self.script_open = False

    def problem(self, message: str) -> None:
        where = "card" if self.in_card else "page"
        self.problems.append(f"{where}: {message} (line {self.getpos()[0]})")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check(tag, attrs)
        if tag not in _VOID:
            card = self.in_card or (tag == "article" and "model-card" in (dict(attrs).get("class") or ""))
            self.stack.append((tag, self.in_card))
            self.in_card = card

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.script_open = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self.in_card = self.stack[i][1]
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.script_open and data.strip():
            self.problem(f"inline script {data.strip()[:60]!r}")

    def check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        never = CARD_NEVER if self.in_card else NEVER
        if tag in never:
            self.problem(f"<{tag}>")
        if tag == "script":
            self.script_open = True
            src, kind = values.get("src", ""), values.get("type", "")
            if self.in_card or not (THEME_SCRIPT.match(src) or kind == "application/json"):
                self.problem(f"<script src={src!r} type={kind!r}>")
        # A card's <input> is disabled, and a checkbox if it has a type: nh3 adds two forced
        # attributes in a random order, so the sanitiser forces only `disabled` (an <input>
        # with no type stays an empty, disabled text box).
        if tag == "input" and self.in_card and (values.get("type", "checkbox") != "checkbox"
                                                or "disabled" not in values or set(values) - INPUT_ATTRS):
            self.problem(f"<input> that is not a disabled checkbox: {values}")
        if tag == "link" and not self.in_card and values.get("rel") not in LINK_RELS:
            self.problem(f"<link rel={values.get('rel')!r}>")
        if tag == "form" and not self.in_card and "data-filters" not in values:
            self.problem("<form> that is not the index's filter form")
        if tag == "meta":
            equiv = values.get("http-equiv", "").lower()
            if equiv == "content-security-policy" and self.page:
                self.csp = self.csp or values.get("content", "")
            elif equiv:
                self.problem(f"<meta http-equiv={equiv!r}>")
        if self.in_card and tag == "math" or tag in MATH_ELEMENTS and self.in_card:
            for name in values:
                if name not in MATH_ATTRIBUTES and name not in ("xmlns", "tabindex"):
                    self.problem(f"MathML attribute {name}= on <{tag}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problem(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problem(f"style= on <{tag}>")
            if name in URL_ATTRS or name.endswith(":href"):
                for url in (value.split(",") if name.endswith("srcset") else [value]):
                    why = dangerous_url(url.strip().split(" ")[0] if name.endswith("srcset") else url)
                    if why:
                        self.problem(f"{why} in {name}= on <{tag}>: {value[:60]!r}")


INPUT_ATTRS = {"type", "checked", "disabled", "class", "id", "title", "lang", "dir"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen"}


def scan_page(html: str) -> list[str]:
    """Every problem of a built page, including a missing or weak Content-Security-Policy."""
    scanner = _Scanner(page=True)
    scanner.feed(html)
    scanner.close()
    problems = scanner.problems
    head = html.split("<head>", 1)[-1].lstrip()
    if not head.startswith("<meta charset") or "Content-Security-Policy" not in head.split("\n", 3)[1]:
        problems.append("page: the Content-Security-Policy is not the first thing in <head>")
    missing = [d for d in CSP_NEEDS if d not in scanner.csp]
    if missing or "unsafe-" in scanner.csp:
        problems.append(f"page: weak Content-Security-Policy {scanner.csp!r}")
    return problems


def scan_fragment(html: str) -> list[str]:
    """Every problem of sanitised card HTML (a card body, no page around it)."""
    scanner = _Scanner(page=False)
    scanner.feed(html)
    scanner.close()
    return scanner.problems
