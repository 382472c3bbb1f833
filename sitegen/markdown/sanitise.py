"""The allowlist sanitiser: which tags, attributes and classes a card's HTML keeps, through nh3."""
from __future__ import annotations

from collections.abc import Callable

import nh3
from pygments.token import STANDARD_TYPES

ID_PREFIX = "user-content-"

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


def sanitise(html: str, rewrite: Callable[[str, str, str], str | None]) -> str:
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
