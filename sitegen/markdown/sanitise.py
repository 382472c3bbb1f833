"""The allowlist sanitiser: which tags, attributes and classes a card's HTML keeps, through nh3."""
from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from html import escape, unescape
from urllib.parse import unquote, urlsplit

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

    _current.rewrite = guarded
    try:
        cleaned = _cleaner().clean(html)
    finally:
        _current.rewrite = None
    if raised:
        raise raised[0]
    return cleaned


# The cleaner is made once per process (making one costs about as much as cleaning a short
# card); its attribute filter hands each attribute to the `rewrite` of the sanitise() call
# running in this thread.
_current = threading.local()


def _filter(element: str, attr: str, value: str) -> str | None:
    rewrite: Callable[[str, str, str], str | None] = _current.rewrite
    return rewrite(element, attr, value)


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags=TAGS, attributes=ATTRS, allowed_classes=CLASSES,
                       url_schemes={"http", "https", "mailto"}, attribute_filter=_filter,
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
                       # Audio and video get their controls: nothing else could start them.
                       set_tag_attribute_values={"input": {"disabled": ""},
                                                 "audio": {"controls": ""},
                                                 "video": {"controls": ""},
                                                 "img": {"loading": "lazy"},
                                                 "pre": {"tabindex": "0"},
                                                 "table": {"tabindex": "0"}})


# nh3's output is well formed (every element closed, attributes double-quoted and escaped), so
# these see each element whole: links (to know what is inside one), images, audio and video.
_ELEMENT = re.compile(r"<a\b[^>]*>|</a>|<img\b[^>]*>|<(video|audio)\b[^>]*>.*?</\1>", re.S)
_URL = re.compile(r'\s(src|poster)="([^"]*)"')


def remote_media(html: str, offline: bool) -> str:
    """Card HTML, after nh3, with its remote media as the site shows them: an https image
    loads lazily without a referrer, https audio and video only once played; with `offline`
    (the site's offline_media), or over plain http (which the pages' CSP blocks), each becomes
    a link naming its file and host, or that text alone inside a link."""
    depth = 0

    def one(m: re.Match[str]) -> str:
        nonlocal depth
        tag = m.group(0)
        if tag.startswith(("<a ", "<a>", "</a")):
            depth = max(0, depth - 1) if tag.startswith("</") else depth + 1
            return tag
        urls = [(attr, unescape(value)) for attr, value in _URL.findall(tag)]
        remote = [url for _, url in urls if url.lower().startswith(("http:", "https:"))]
        if not remote:
            return tag
        if not offline and all(url.lower().startswith("https:") for url in remote):
            return tag.replace("<img ", '<img referrerpolicy="no-referrer" ', 1) if m.group(1) is None \
                else tag.replace(f"<{m.group(1)}", f'<{m.group(1)} preload="none"', 1)
        kind = m.group(1) or "image"
        own = tag if m.group(1) is None else "".join(re.findall(r"^<[^>]*>|<source\b[^>]*>", tag))
        sources = [unescape(url) for attr, url in _URL.findall(own) if attr == "src"]
        if not any(url in remote for url in sources):  # only a remote poster: the video stays
            return re.sub(r'\sposter="[^"]*"', "", tag, count=1)
        return " ".join(_link(kind, url, depth > 0) for url in sources)

    return _ELEMENT.sub(one, html)


def _link(kind: str, url: str, inside_link: bool) -> str:
    """A remote medium as a link (or, inside a link, as text): its kind, file name and host."""
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or url
    text = (f'<span class="remote-icon" aria-hidden="true">&#8599;</span> {kind.capitalize()} '
            f'<span class="remote-name">{escape(name[:200])}</span>'
            + (f' <span class="remote-host">on {escape(parts.hostname)}</span>' if parts.hostname else "")
            + ' <span class="badge badge-remote">remote</span>')
    if inside_link:
        return f'<span class="remote-media" title="{escape(url)}">{text}</span>'
    return (f'<a class="remote-media" href="{escape(url)}" rel="nofollow noopener noreferrer" '
            f'title="{escape(url)}">{text}</a>')


_MEDIUM = re.compile(r"<img\b[^>]*>|<(video|audio)\b[^>]*>.*?</\1>", re.S)


def lfs_placeholders(html: str, marker: str, paths: list[str]) -> str:
    """Card HTML, after nh3, with each image, audio or video whose file is a Git LFS pointer
    (its src is `marker` and the index of its path in `paths`) as a placeholder naming it."""
    if not paths:
        return html
    marked = re.compile(r'\ssrc="' + re.escape(marker) + r'([0-9]+)"')

    def one(m: re.Match[str]) -> str:
        found = marked.search(m.group(0))
        if found is None or int(found.group(1)) >= len(paths):
            return m.group(0)
        return placeholder(paths[int(found.group(1))])

    return _MEDIUM.sub(one, html)


def placeholder(path: str) -> str:
    """A file in Git LFS, not downloaded, in place of the medium (as macros.html lfs_placeholder)."""
    return (f'<span class="lfs-placeholder" title="{escape(path[:300])}"><span class="lfs-placeholder-icon" '
            f'aria-hidden="true">&#9723;</span> <span class="lfs-placeholder-name">{escape(path.rsplit("/", 1)[-1][:200])}'
            "</span>: in Git LFS, not downloaded</span>")
