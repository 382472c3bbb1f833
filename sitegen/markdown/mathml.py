"""Math in cards to MathML at build time (no JavaScript), as the Hub reads it."""
# `$$...$$` for display math and `\\(...\\)` (as typed in the markdown) for inline math.
#
# latex2mathml writes the MathML; its output is then rebuilt from an allowlist of MathML
# elements and attributes, because `\text{...}` passes raw markup through.
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

MATHML = "http://www.w3.org/1998/Math/MathML"
ELEMENTS = {"math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
            "mstyle", "merror", "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover",
            "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd",
            "menclose", "semantics", "annotation"}
ATTRIBUTES = {"display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
              "accent", "accentunder", "movablelimits", "columnalign", "rowalign", "displaystyle",
              "scriptlevel", "width", "height", "depth", "linethickness", "notation", "symmetric",
              "largeop", "form", "minsize", "maxsize", "columnspan", "rowspan", "columnlines",
              "rowlines", "frame", "columnspacing", "rowspacing", "encoding"}
_OPENERS = (("$$", "$$", "block"), ("\\\\(", "\\\\)", "inline"))
MAX_LATEX = 4000
MAX_BLOCK_LINES = 200  # lines a `$$` block with blank lines may span
MAX_FORMULAS = 2000  # per card; more are shown as their LaTeX source (each costs ~0.1 ms)
# Text-mode commands (\text, \textbf, \mbox, \hbox, ...), content with one level of braces.
_TEXT = re.compile(r"(\\(?:text[a-z]*|mbox|hbox)\s*\{)([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


def math_plugin(md: MarkdownIt) -> None:
    """Recognise math spans; each renders as a placeholder that `insert` fills in."""
    md.inline.ruler.before("escape", "math", _math_rule)
    md.block.ruler.before("paragraph", "math_block", _math_block, {"alt": ["paragraph"]})
    md.add_render_rule("math", _render_placeholder)
    md.add_render_rule("math_block", _render_block)


def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Display math from a line that starts with `$$` over a blank line to a line that ends
    with `$$`: a blank line ends a paragraph, so the inline rule never sees such a formula
    whole. One closed before any blank line is left to the inline rule, as ever. A `$$`
    block never closed is noted (env["math_problems"]: message, body line) and stays text."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("$$", pos) or "$$" in state.src[pos + 2:state.eMarks[start]]:
        return False
    parts, blank, line = [state.src[pos + 2:state.eMarks[start]]], False, start + 1
    while line < end and line - start <= MAX_BLOCK_LINES and sum(map(len, parts)) <= MAX_LATEX:
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        at = text.find("$$")
        if at < 0 or not blank:
            blank = blank or state.isEmpty(line)
            parts.append("" if state.isEmpty(line) else text)
            line += 1
            if at < 0:
                continue
            return False  # closed within its paragraph: the inline rule's
        if text[at + 2:].strip():
            return _unclosed(state, silent, start, "a `$$` block with a blank line inside must end "
                             "with `$$` at the end of a line")
        latex = "\n".join(parts + [text[:at]]).strip()
        if not latex:
            return False
        if not silent:
            token = state.push("math_block", "", 0)
            token.content, token.info, token.map = latex, "block", [start, line + 1]
        state.line = line + 1
        return True
    return _unclosed(state, silent, start, "`$$` opens display math that is never closed (a blank "
                     "line ends a paragraph; close the formula with `$$`)")


def _unclosed(state: StateBlock, silent: bool, start: int, message: str) -> bool:
    if not silent:
        found = state.env.setdefault("math_problems", [])
        if len(found) < 10:
            found.append((message + "; shown as text", start + 1))
    return False


def _math_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    for opener, closer, display in _OPENERS:
        if not src.startswith(opener, pos):
            continue
        end = _next(state, closer, pos + len(opener))
        body = src[pos + len(opener):end]
        if end < 0 or not body.strip() or len(body) > MAX_LATEX:
            return False
        if not silent:
            token = state.push("math", "", 0)
            token.content = body.strip()
            token.info = display
        state.pos = end + len(closer)
        return True
    return False


def _next(state: StateInline, closer: str, start: int) -> int:
    """Where `closer` next occurs from `start`, or -1. The answer of the last search is kept:
    a text full of openers and no closer would otherwise be searched to its end each time."""
    cache: dict[Any, Any] = state.cache
    known = cache.get(("math", closer))
    if known is not None and known[0] <= start and (known[1] < 0 or start <= known[1]):
        return int(known[1])
    found = state.src.find(closer, start)
    cache[("math", closer)] = (start, found)
    return found


def _render_placeholder(self, tokens, idx, options, env):
    formulas = env.setdefault("math", [])
    formulas.append((tokens[idx].content, tokens[idx].info))
    return f"<span>sitegen-math-{env.get('nonce', '')}-{len(formulas) - 1}</span>"


def _render_block(self, tokens, idx, options, env):
    return f"<p>{_render_placeholder(self, tokens, idx, options, env)}</p>\n"


def insert(html: str, formulas: list[tuple[str, str]], nonce: str = "") -> tuple[str, list[tuple[str, str]]]:
    """Replace the placeholders of sanitised HTML with MathML; return it and the problems
    as (message, the LaTeX it is about)."""
    problems = []
    shown: dict[str, str] = {}
    for i, (latex, display) in enumerate(formulas):
        mathml = to_mathml(latex, display) if i < MAX_FORMULAS else None
        if mathml is None:
            if i < MAX_FORMULAS:
                problems.append((f"math {latex[:40]!r} could not be read as LaTeX; shown as source", latex))
            mathml = f'<code class="math-source">{escape(latex)}</code>'
        shown[str(i)] = mathml
    if len(formulas) > MAX_FORMULAS:
        problems.append((f"{len(formulas):,} formulas, more than {MAX_FORMULAS:,}: the rest are shown "
                         "as LaTeX source", formulas[MAX_FORMULAS][0]))
    if not formulas:  # nothing to fill in: the page stays as it is
        return html, problems
    # One pass over the page: replacing each placeholder in turn took quadratic time.
    # The nonce (hex digits) is checked in fill(), not compiled into a pattern per card.
    placeholder = _PLACEHOLDER if _HEX.fullmatch(nonce) else \
        re.compile(f"<span>sitegen-math-({re.escape(nonce)})-([0-9]+)</span>")
    used: set[str] = set()

    def fill(m: re.Match[str]) -> str:
        if m.group(1) != nonce or m.group(2) in used or m.group(2) not in shown:
            return m.group(0)
        used.add(m.group(2))
        return shown[m.group(2)]

    return placeholder.sub(fill, html), problems


_HEX = re.compile("[0-9a-f]*")
_PLACEHOLDER = re.compile("<span>sitegen-math-([0-9a-f]*)-([0-9]+)</span>")


def to_mathml(latex: str, display: str = "inline") -> str | None:
    """Convert LaTeX to safe MathML, or None when it cannot be read."""
    # latex2mathml copies \text{...} into the MathML as it is: escape it first.
    latex = _TEXT.sub(lambda m: m.group(1) + escape(m.group(2), quote=False) + "}", latex)
    latex = "\n".join(line for line in latex.split("\n") if line.strip())  # blank lines mean nothing in math
    import latex2mathml.converter  # here: 40 ms to load, and most cards have no math
    try:
        raw = latex2mathml.converter.convert(latex, display=display)
        root = ET.fromstring(raw)
    except Exception:  # latex2mathml raises many kinds; any of them means "not readable"
        return None
    return _clean(root)


def _clean(node: ET.Element) -> str:
    tag = node.tag.split("}", 1)[-1]
    inner = escape(node.text or "", quote=False) + "".join(
        _clean(child) + escape(child.tail or "", quote=False) for child in node)
    if tag not in ELEMENTS:  # e.g. HTML that \text{} let through: keep its text only
        return inner
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in sorted(node.attrib.items()) if k in ATTRIBUTES)
    if tag == "math":
        # A wide formula scrolls; keyboard readers must be able to reach it.
        focus = ' tabindex="0"' if node.attrib.get("display") == "block" else ""
        attrs = f' xmlns="{MATHML}"' + attrs + focus
    return f"<{tag}{attrs}>{inner}</{tag}>"
