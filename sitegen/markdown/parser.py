"""The markdown-it parser a card body is read with: plugins, highlighting, quick linkify, limits."""
from __future__ import annotations

import functools
import logging
import re
import sys
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class, get_all_lexers

from . import mathml, rules
from .highlight import highlight_block

MAX_NESTING = 32  # markdown-it levels (a list item is two); real cards reach 9


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""
    lexer_class = _lexer_class(lang.split()[0].lower())
    if lexer_class is None:
        return ""
    # A new lexer for each block, as get_lexer_by_name gives: some lexers keep state.
    # highlight() writes what pygments.highlight(..., HtmlFormatter(nowrap=True)) does.
    return f'<pre class="highlight"><code>{highlight_block(code, lexer_class)}</code></pre>'


@functools.lru_cache(maxsize=1024)
def _lexer_class(name: str) -> type[Lexer] | None:
    """The lexer class of a language name among Pygments' own lexers, or None. Never a plugin's:
    what another installed package registers (IPython's `ipython` lexer) would make a card's
    page depend on the machine that built it, and finding plugins reads every installed
    package's entry points (0.6 s of CPU in each worker on the real cards)."""
    lexer_name = _aliases().get(name)
    return find_lexer_class(lexer_name) if lexer_name else None


@functools.cache
def _aliases() -> dict[str, str]:
    """Each alias of Pygments' own lexers -> its lexer's name; the first lexer that has it, as
    find_lexer_class_by_name walks them."""
    found: dict[str, str] = {}
    for name, aliases, _, _ in get_all_lexers(plugins=False):
        for alias in aliases:
            found.setdefault(alias, name)
    return found


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


@functools.lru_cache(maxsize=None)
def _make_parser(html: bool = True, footnotes: bool = True, tasks: bool = True, math: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "linkify": True, "highlight": _highlight,
                                   "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    _quick_linkify(md.linkify)
    # A pure function of the URL (mdurl parse, punycode, encode), asked again for the same
    # badge and Hub URLs card after card.
    md.normalizeLink = functools.lru_cache(maxsize=4096)(md.normalizeLink)  # type: ignore[method-assign]
    if footnotes:
        md.use(footnote_plugin)
    if tasks:
        md.use(rules.tasklists)
    md.use(rules.anchors)
    if math:
        md.use(mathml.math_plugin)
    md.use(rules.keep_deep_text)
    return md


def parser_for(text: str, html: bool = True) -> MarkdownIt:
    """A parser that reads `text` as MD (or MD_TEXT) does, without the plugins it cannot use.
    Each of these can only act where the text holds its trigger (footnotes: `[^` or `^[`; task
    lists: `[ ]`, `[x]` or `[X]`; math: `$$` or `\\\\(`), and costs time on every line or
    bracket of a card that has none: most cards are read by a parser without them. The parsers
    are made once per process."""
    return _make_parser(html, "[^" in text or "^[" in text,
                        "[ ]" in text or "[x]" in text or "[X]" in text,
                        "$$" in text or "\\\\(" in text)


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
MD = _make_parser(True, True, True, True)
MD_TEXT = _make_parser(False, True, True, True)  # for cards whose raw HTML nests too deep to sanitise
