"""Code to HTML: the bytes Pygments would write for a code block, in less time."""
# The bytes of pygments.highlight(code, lexer, HtmlFormatter(nowrap=True)),
# in less time (checked byte for byte against it on every code block of the real and
# synthetic cards, and on a sample of blocks with every lexer). Quotes are always escaped,
# as Pygments up to 2.20 did (2.21 leaves them bare): a page does not change with the
# Pygments version installed.
#
# - The HTML is written in one loop instead of the formatter's chain of line generators.
# - A RegexLexer tries its state's rules in turn, one Python call per rule (about 30 per
#   token). Here a state's rules are joined into one regex, `(?:rule0)()|(?:rule1)()|...`,
#   which picks the same rule (Python's re tries alternatives in order and takes the first
#   that matches) in one call; the empty group that matched says which rule it was, and that
#   rule's own regex is then run for the match the lexer's callbacks expect. A rule that
#   refers to its groups by number starts a new joined regex (its numbers stay right only
#   there); a state whose rules differ in other flags than i, m, s, x is run rule by rule,
#   and any lexer that changes how lexing is done runs as Pygments runs it.
# - Joining costs a compile (0.05 s for Python's lexer, more than lexing a card's code): a
#   lexer runs rule by rule until it has lexed JOIN_AFTER characters in this process. A
#   rebuild after one edit never pays it; a full build pays it once per lexer and worker.
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import STANDARD_TYPES, Error, Whitespace, _TokenType

_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#39;"}
_OPENERS: dict[_TokenType, str] = {}  # token type -> its <span class="..."> or ""
JOIN_AFTER = 20_000  # characters a lexer lexes rule by rule before its rules are joined
# Real catalogs repeat the same install, usage and citation blocks card after card: a block
# seen before in this process is written once. Bounded: at most MEMO_BLOCKS blocks of at most
# MEMO_CHARS characters each (a few MB), least recently used first out.
MEMO_BLOCKS = 1024
MEMO_CHARS = 4096


def _css_class(ttype: _TokenType) -> str:
    """HtmlFormatter's class for one type: its short name, or its nearest standard
    ancestor's followed by the rest of the type's name (`n-Foo-Bar`)."""
    name = STANDARD_TYPES.get(ttype)
    suffix = ""
    while name is None:
        suffix = "-" + ttype[-1] + suffix
        ttype = ttype.parent  # type: ignore[assignment]
        name = STANDARD_TYPES.get(ttype)
    return name + suffix


def _opener(ttype: _TokenType) -> str:
    """HtmlFormatter's span opener: the classes of the type and of each ancestor up to
    the first standard one, outermost first."""
    cls = _css_class(ttype)
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent  # type: ignore[assignment]
        cls = _css_class(ttype) + " " + cls
    return f'<span class="{cls}">' if cls else ""


def highlight(code: str, lexer: Lexer) -> str:
    """Lex and write `code` as HtmlFormatter(nowrap=True) does: consecutive text of the
    same class in one span, no span crosses a line end, and every line ends with "\\n"."""
    out: list[str] = []
    append = out.append
    openers = _OPENERS
    span: str | None = None  # the opener of the run open on this line; None: line empty
    for ttype, value in _tokens(lexer, code):
        try:
            opener = openers[ttype]
        except KeyError:
            opener = openers[ttype] = _opener(ttype)
        value = value.translate(_ESCAPE)
        for i, part in enumerate(value.split("\n") if "\n" in value else (value,)):
            if i:  # a line ends: close its span
                if span:
                    append("</span>")
                append("\n")
                span = None
            if part:
                if opener != span:
                    if span:
                        append("</span>")
                    append(opener)
                    span = opener
                append(part)
    if span is not None:
        if span:
            append("</span>")
        append("\n")
    return "".join(out)


def highlight_block(code: str, lexer_class: type[Lexer]) -> str:
    """highlight(code, lexer_class()) (a new lexer with its default options for each block, as
    some lexers keep state), remembered for blocks up to MEMO_CHARS characters."""
    if len(code) > MEMO_CHARS:
        return highlight(code, lexer_class())
    return _remembered(code, lexer_class)


@functools.lru_cache(maxsize=MEMO_BLOCKS)
def _remembered(code: str, lexer_class: type[Lexer]) -> str:
    return highlight(code, lexer_class())


def _tokens(lexer: Lexer, code: str) -> Iterator[tuple[_TokenType, str]]:
    """lexer.get_tokens(code) (for a RegexLexer: its input preparation, then our loop)."""
    cls = type(lexer)
    if cls.get_tokens is not Lexer.get_tokens or lexer.filters or "_tokens" not in cls.__dict__ \
            or cls.get_tokens_unprocessed is not RegexLexer.get_tokens_unprocessed:
        return lexer.get_tokens(code)
    states = _STATES.get(cls)
    if states is None:
        states = _STATES[cls] = _States(cls._tokens)  # type: ignore[attr-defined]
    states.count(len(code))
    return _regex_tokens(lexer, lexer._preprocess_lexer_input(code), states)  # type: ignore[attr-defined]


Rule = tuple[Callable[..., Any], Any, Any]  # (regex match, action, new state) as Pygments keeps them
# (match, the rule of each group number) for rules joined in one regex, or (match, rule)
Segment = tuple[Callable[..., Any], Any]
# A rule that refers to its own groups by number can only come first in a joined regex.
_NUMBERED = re.compile(r"\\[1-9]|\(\?\(")
_GLOBAL_FLAGS = re.compile(r"\A(?:\(\?[aiLmsux]+\))+")  # (?i) at the start: for the whole regex
_LETTERS = (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE))
_SCOPED = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE  # flags a (?flags:...) group can set


class _States(dict[str, list[Segment]]):
    """A RegexLexer's states, each as the segments to try in turn: each rule alone until the
    lexer has lexed JOIN_AFTER characters, then joined."""

    def __init__(self, tokendefs: dict[str, list[Rule]]) -> None:
        super().__init__()
        self.tokendefs = tokendefs
        self.lexed = 0
        self.joined = False

    def __missing__(self, name: str) -> list[Segment]:
        rules = self.tokendefs[name]
        self[name] = _segments(rules) if self.joined else [(rule[0], rule) for rule in rules]
        return self[name]

    def count(self, characters: int) -> None:
        """Note code about to be lexed; join the states once there has been enough."""
        self.lexed += characters
        if not self.joined and self.lexed > JOIN_AFTER:
            self.joined = True
            self.clear()  # (a lexing loop still running keeps the segments it holds)


_STATES: dict[type, _States] = {}


def _segments(rules: list[Rule]) -> list[Segment]:
    """A state's rules joined into as few regexes as keep their meaning; each rule alone
    where they cannot be joined."""
    patterns = [getattr(rule[0], "__self__", None) for rule in rules]
    alone = [(rule[0], rule) for rule in rules]
    if not all(isinstance(p, re.Pattern) and isinstance(p.pattern, str) for p in patterns):
        return alone
    flags = [p.flags for p in patterns]  # type: ignore[union-attr]
    base = max(set(flags), key=flags.count)
    groups: list[tuple[list[str], list[Rule | None]]] = []
    for rule, p in zip(rules, patterns):
        text = _GLOBAL_FLAGS.sub("", p.pattern)  # type: ignore[union-attr]
        if (p.flags ^ base) & ~_SCOPED:  # type: ignore[union-attr]
            return alone
        if p.flags & re.VERBOSE:  # type: ignore[union-attr]
            text += "\n"  # ends a trailing comment
        on, off = _letters(p.flags & ~base), _letters(base & ~p.flags)  # type: ignore[union-attr]
        text = f"(?{on}{off and '-' + off}:{text})()" if on or off else f"(?:{text})()"
        if not groups or _NUMBERED.search(p.pattern):  # type: ignore[union-attr]
            groups.append(([], [None]))
        groups[-1][0].append(text)
        groups[-1][1].extend([rule] * (p.groups + 1))  # type: ignore[union-attr]
    try:
        return [(re.compile("|".join(texts), base).match, which) for texts, which in groups]
    except (re.error, OverflowError, RecursionError):
        return alone


def _letters(flags: int) -> str:
    return "".join(c for c, f in _LETTERS if flags & f)


def _regex_tokens(lexer: Lexer, text: str, states: _States) -> Iterator[tuple[_TokenType, str]]:
    """RegexLexer.get_tokens_unprocessed(text) without the positions, rule by joined regex."""
    pos = 0
    stack = ["root"]
    segments = states["root"]
    while True:
        m = None
        for find, which in segments:
            m = find(text, pos)
            if m is not None:
                if type(which) is list:  # joined: run the rule that matched on its own
                    rule = which[m.lastindex]
                    m = rule[0](text, pos)
                else:
                    rule = which
                break
        if m is not None:
            _, action, new_state = rule
            if action is not None:
                if type(action) is _TokenType:
                    yield action, m.group()
                else:
                    for _, ttype, value in action(lexer, m):
                        yield ttype, value
            pos = m.end()
            if new_state is not None:
                if isinstance(new_state, tuple):
                    for state in new_state:
                        if state == "#pop":
                            if len(stack) > 1:
                                stack.pop()
                        elif state == "#push":
                            stack.append(stack[-1])
                        else:
                            stack.append(state)
                elif isinstance(new_state, int):  # pop, but keep at least one state
                    if abs(new_state) >= len(stack):
                        del stack[1:]
                    else:
                        del stack[new_state:]
                elif new_state == "#push":
                    stack.append(stack[-1])
                else:
                    raise AssertionError(f"wrong state def: {new_state!r}")
                segments = states[stack[-1]]
            continue
        if pos >= len(text):
            break
        if text[pos] == "\n":  # at a line end no rule matched: back to "root"
            stack = ["root"]
            segments = states["root"]
            yield Whitespace, "\n"
        else:
            yield Error, text[pos]
        pos += 1
