"""markdown-it rules whose cost grows with the card, not with its square."""
# mdit-py-plugins' task lists look for each item's list by walking back from the item, and its
# anchors try `title-1`, `title-2`, ... from 1 for every repeated heading: a card of many
# items or headings took minutes. These rules draw the same HTML in one pass (a property test
# compares them). And past maxNesting markdown-it drops the rest of a block without a word;
# `keep_deep_text` keeps it as a plain paragraph and notes the line in env["deep"].
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify


def keep_deep_text(md: MarkdownIt) -> None:
    """Past maxNesting, markdown-it skips the rest of a block without a word; keep it as a
    plain paragraph instead, and note its line for a warning."""
    tokenize = md.block.tokenize

    def guarded(state: StateBlock, start: int, end: int) -> None:
        if state.level < state.md.options.maxNesting:
            tokenize(state, start, end)
            return
        first, line = None, start
        while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
            if first is None and not state.isEmpty(line):
                first = line
            line += 1
        if first is not None:
            state.env.setdefault("deep", []).append(first + 1)
            state.push("paragraph_open", "p", 1).map = [first, line]
            inline = state.push("inline", "", 0)
            inline.content = state.getLines(first, line, state.blkIndent, False).strip()
            inline.map, inline.children = [first, line], []
            state.push("paragraph_close", "p", -1)
        state.line = line

    md.block.tokenize = guarded  # type: ignore[method-assign,assignment]


def tasklists(md: MarkdownIt) -> None:
    """Task lists (`- [ ] item`), drawn as mdit-py-plugins' tasklists_plugin(label=True) does."""
    md.core.ruler.after("inline", "github-tasklists", _tasklists)


def anchors(md: MarkdownIt) -> None:
    """Heading ids and `#` permalinks on h1-h4, as mdit-py-plugins' anchors_plugin(min_level=1,
    max_level=4, permalink=True, permalinkSymbol="#") makes them."""
    md.core.ruler.push("anchor", _anchors)


def _tasklists(state: StateCore) -> None:
    """GitHub task lists, as mdit-py-plugins draws them with label=True, in one pass (the
    plugin looks for each item's list from the item back: a long list took quadratic time)."""
    tokens = state.tokens
    latest: dict[int, int] = {}  # level -> index of the last token seen at that level
    parents: dict[int, int] = {}  # list item -> its list
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            parents[i] = latest.get(tok.level - 1, last)
        latest[tok.level] = i
        if tok.type != "inline" or i < 2 or i == last or tokens[i - 1].type != "paragraph_open" \
                or tokens[i - 2].type != "list_item_open" or not _TODO.match(tok.content):
            continue
        checked = "" if tok.content.startswith("[ ]") else 'checked="checked" '
        box = Token("html_inline", "", 0)
        box.content = f'<input class="task-list-item-checkbox" {checked}disabled="disabled" type="checkbox">'
        assert tok.children is not None
        tok.children.insert(0, box)
        tok.children[1].content = tok.children[1].content[3:]
        tok.content = tok.content[3:]
        # label=True of the plugin: the whole item is the checkbox's label
        tok.children.insert(0, Token("html_inline", "", 0, content="<label>"))
        tok.children.append(Token("html_inline", "", 0, content="</label>"))
        tokens[i - 2].attrSet("class", "task-list-item")
        tokens[parents[i - 2]].attrSet("class", "contains-task-list")


_TODO = re.compile(r"\[[ xX]][ \t\n\v\f\r]+")


def _anchors(state: StateCore) -> None:
    """Heading ids and `#` permalinks, as mdit-py-plugins' anchors make them (`title`,
    `title-1`, ...), without its quadratic search for a free name."""
    taken: set[str] = set()
    tried: dict[str, int] = {}  # slug -> the suffix to try next
    for i, tok in enumerate(state.tokens):
        if tok.type != "heading_open" or int(tok.tag[1]) > 4:
            continue
        inline = state.tokens[i + 1]
        assert inline.children is not None
        base = slugify("".join(c.content for c in inline.children if c.type in ("text", "code_inline")))
        slug, n = base, tried.get(base, 1)
        if slug in taken:
            while f"{base}-{n}" in taken:
                n += 1
            slug = f"{base}-{n}"
            tried[base] = n + 1
        taken.add(slug)
        tok.attrSet("id", slug)
        link = Token("link_open", "a", 1)
        link.attrSet("class", "header-anchor")
        link.attrSet("href", f"#{slug}")
        inline.children.extend([Token("text", "", 0, content=" "), link,
                                Token("html_block", "", 0, content="#"), Token("link_close", "a", -1)])
