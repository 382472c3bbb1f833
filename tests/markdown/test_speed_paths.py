"""The shortcuts of a cold build give the bytes the long way gives: parsers without the plugins
a card cannot use, code highlighted once per process, a page's snippets asked once."""
from __future__ import annotations

from pathlib import Path

import pytest
from pygments.lexers import BashLexer, PythonLexer

from sitegen.markdown import highlight as hl
from sitegen.markdown.parser import MD, MD_TEXT, parser_for

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real_cards"

SAMPLES = [
    "# Title\n\nPlain text, a [link](https://example.com) and `code`.\n",
    "Text with a note[^1].\n\n[^1]: The note.\n",
    "An inline note^[said here] in a line.\n",
    "- [ ] to do\n- [x] done\n- [X] done too\n",
    "Display math:\n\n$$\na^2 + b^2\n$$\n\nand inline \\\\(x_1\\\\) math.\n",
    "All of them: [^a] ^[b] - [ ] c $$d$$ \\\\(e\\\\)\n\n[^a]: note\n",
    "Brackets [ x] [^ ] ^ [ and $ alone, [x]y, $ $ and \\(x\\).\n",
]


@pytest.mark.parametrize("body", SAMPLES)
def test_a_gated_parser_renders_what_the_full_one_does(body: str) -> None:
    for html, full in ((True, MD), (False, MD_TEXT)):
        assert parser_for(body, html).render(body, {"nonce": "n"}) == full.render(body, {"nonce": "n"})


def test_a_card_without_triggers_gets_a_parser_without_those_plugins() -> None:
    rules = parser_for("# plain\n\ntext [link](x)\n").core.ruler.get_active_rules()
    assert "footnote_tail" not in rules and "github-tasklists" not in rules
    assert "math" not in parser_for("plain").inline.ruler.get_active_rules()
    assert parser_for("[^1] - [ ] $$x$$") is MD
    assert parser_for("note[^1]").core.ruler.get_active_rules().count("footnote_tail") == 1
    assert "math" in parser_for("\\\\(x\\\\)").inline.ruler.get_active_rules()


def _real_bodies(limit: int) -> list[str]:
    cards = sorted(REAL.glob("hub2024/*/README.md"))[:limit // 2] + sorted(REAL.glob("hub2022/repos/*/*/README.md"))[:limit // 2]
    return [p.read_text(encoding="utf-8", errors="replace") for p in cards]


@pytest.mark.skipif(not REAL.is_dir(), reason="no real cards here")
def test_real_cards_render_the_same_through_the_gated_parsers() -> None:
    bodies = _real_bodies(120)
    assert bodies
    for body in bodies:
        assert parser_for(body).render(body, {"nonce": "n"}) == MD.render(body, {"nonce": "n"})


def test_a_block_is_highlighted_once_and_as_a_new_lexer_would() -> None:
    hl._remembered.cache_clear()
    code = "pip install -U transformers  # same block, card after card\n"
    first = hl.highlight_block(code, BashLexer)
    assert first == hl.highlight(code, BashLexer())
    assert hl.highlight_block(code, BashLexer) == first
    assert hl._remembered.cache_info().hits == 1
    assert hl.highlight_block(code, PythonLexer) == hl.highlight(code, PythonLexer())  # keyed by lexer too
    assert hl._remembered.cache_info().misses == 2


def test_long_blocks_and_many_blocks_are_not_all_kept() -> None:
    hl._remembered.cache_clear()
    long = "x = 1\n" * (hl.MEMO_CHARS // 6 + 1)
    assert hl.highlight_block(long, PythonLexer) == hl.highlight(long, PythonLexer())
    assert hl._remembered.cache_info().currsize == 0
    for i in range(hl.MEMO_BLOCKS + 10):
        hl.highlight_block(f"echo {i}\n", BashLexer)
    assert hl._remembered.cache_info().currsize == hl.MEMO_BLOCKS
