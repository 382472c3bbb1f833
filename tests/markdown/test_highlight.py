"""sitegen.markdown.highlight gives the bytes of pygments.highlight(code, lexer, HtmlFormatter(nowrap=True)).

It reads Pygments' internals (a RegexLexer's compiled rules and its state changes): this test
runs every installed lexer on a few samples, so a Pygments upgrade that changes them fails
here instead of changing pages silently.

One difference is ours on purpose: quotes in code are always written as &quot; and &#39;, as
Pygments up to 2.20 wrote them (2.21 leaves them bare), so a page does not change with the
Pygments version installed. The comparison reads quotes either way."""
from __future__ import annotations

import pytest
from pygments import highlight as pyg_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import find_lexer_class_by_name, get_all_lexers

from sitegen.markdown import highlight as module
from sitegen.markdown.highlight import highlight

FORMATTER = HtmlFormatter(nowrap=True)
SAMPLES = ["", "\n", "a", "a\n\n\n", "\n\nx", "x\r\ny\r", "\ttab\t\n", "<&>\"'", "  \n  \n",
           "def f(x):\n    return f'<{x!r}>'  # done\n\n\n",
           "cat <<EOF\n$HOME `ls` ${x:-y}\nEOF\necho 'a' \"b\" | grep -i c\n",
           "@article{k, title={A & B}, year=2024}\n", '{"a": [1, 2.5, null, "x\\n"]}\n',
           "SELECT * FROM t WHERE a < 3;\n", "<div class=\"x\">&amp;</div>\n", "# Title\n*x* `y`\n"]
NAMES = sorted({aliases[0] for _, aliases, _, _ in get_all_lexers() if aliases})


def _result(fn, code, lexer_class):
    try:
        return fn(code, lexer_class()).replace("&quot;", '"').replace("&#39;", "'")
    except Exception as exc:  # noqa: BLE001 - a lexer that fails must fail the same way
        return type(exc)


def test_quotes_are_escaped_whatever_the_pygments_version() -> None:
    assert highlight("x = \"a\" + 'b'\n", find_lexer_class_by_name("python")()) == (
        '<span class="n">x</span> <span class="o">=</span> <span class="s2">&quot;a&quot;</span> '
        '<span class="o">+</span> <span class="s1">&#39;b&#39;</span>\n')


@pytest.mark.parametrize("joined", [True, False], ids=["joined", "rule-by-rule"])
@pytest.mark.parametrize("name", NAMES)
def test_same_bytes_as_pygments(name: str, joined: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways of lexing: each state's rules joined in one regex (after JOIN_AFTER characters
    of code), and each rule on its own (before)."""
    monkeypatch.setattr(module, "JOIN_AFTER", -1 if joined else 1 << 60)
    monkeypatch.setattr(module, "_STATES", {})
    lexer_class = find_lexer_class_by_name(name)
    for code in SAMPLES:
        assert _result(highlight, code, lexer_class) == \
            _result(lambda c, lx: pyg_highlight(c, lx, FORMATTER), code, lexer_class), code


def test_a_lexer_joins_its_rules_once_it_has_lexed_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the cheap start: a lexer's joined regexes (a costly compile) are made only after
    JOIN_AFTER characters of code, and the bytes are the same before and after."""
    monkeypatch.setattr(module, "JOIN_AFTER", 100)
    monkeypatch.setattr(module, "_STATES", {})
    lexer_class = find_lexer_class_by_name("python")
    code = "def f(x):\n    return f'<{x!r}>'  # done\n"  # 41 characters
    first = highlight(code, lexer_class())
    states = module._STATES[lexer_class]
    assert not states.joined and all(type(which) is not list for _, which in states["root"])
    outputs = [highlight(code, lexer_class()) for _ in range(3)]  # 164 characters in all
    assert states.joined and any(type(which) is list for _, which in states["root"])
    assert outputs == [first] * 3


def test_only_pygments_own_lexers_are_used_and_plugins_are_never_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    import pygments.lexers
    from pygments.lexer import RegexLexer
    from pygments.token import Keyword

    from sitegen.markdown import parser

    class Planted(RegexLexer):  # what an installed package could register as a plugin
        name, aliases = "Planted", ["planted", "python"]
        tokens = {"root": [(r".+\n?", Keyword)]}

    asked = []

    def plugins():
        asked.append(1)
        yield Planted

    # pygments.lexers is a module object of its own: its functions read the names of the original's dict
    monkeypatch.setitem(pygments.lexers.find_lexer_class.__globals__, "find_plugin_lexers", plugins)
    parser._lexer_class.cache_clear()
    parser._aliases.cache_clear()
    try:
        html = parser.MD.render("```planted\nx = 1\n```\n\n```python\nx = 1\n```\n\n```nosuchlanguage\nx\n```\n")
    finally:
        parser._lexer_class.cache_clear()
        parser._aliases.cache_clear()
    assert asked == []
    assert '<code class="language-planted">x = 1' in html and '<span class="k">' not in html  # not Planted's
    assert '<span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>' in html  # Python's own
    assert '<code class="language-nosuchlanguage">x' in html
