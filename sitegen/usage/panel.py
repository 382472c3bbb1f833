"""The Use-this-model panel of a page: its facts, and its snippets written and highlighted."""
from __future__ import annotations

from dataclasses import dataclass

from pygments.lexer import Lexer

from ..hub.infer import Inference, chat_template
from ..hub.tasks import Task
from ..load.repo import ModelRepo
from ..markdown.highlight import highlight_block
from ..widgets.examples import Widget
from .facts import Facts, read_facts
from .libraries import codes
from .quote import Where


@dataclass(frozen=True)
class Snippet:
    library: str
    label: str
    lang: str  # python or bash
    code: str  # what a copy button copies
    html: str  # the code highlighted (escaped), one <span class="usage-line"> a line, for <pre><code>
    note: str = ""


@dataclass(frozen=True)
class Usage:
    facts: Facts

    def snippets(self, hub_url: str) -> tuple[Snippet, ...]:
        """The snippets for the site's `hub_url` (the Hub, a mirror, or "" for local folders).
        A page asks twice (its jump links, then the panel): the last answer is kept."""
        last = _LAST[0]
        if last is not None and last[0] is self.facts and last[1] == hub_url:
            return last[2]
        found = _snippets(self.facts, hub_url)
        _LAST[0] = (self.facts, hub_url, found)
        return found


_LAST: list[tuple[Facts, str, tuple[Snippet, ...]] | None] = [None]  # the last snippets() asked, by facts


def _snippets(facts: Facts, hub_url: str) -> tuple[Snippet, ...]:
    out = []
    for library, code in codes(facts, Where(hub_url)):
        text = "\n".join(code.lines) + "\n"
        lines = highlight_block(text, _lexer(code.lang)).split("\n")[:-1]  # every line ends with "\n"
        # A blank line holds a space: an empty block would take no line when the code is selected.
        html = "".join(f'<span class="usage-line">{line or " "}</span>' for line in lines)
        out.append(Snippet(library, code.label, code.lang, text, html, code.note))
    return tuple(out)


def _lexer(lang: str) -> type[Lexer]:
    from pygments.lexers import BashLexer, PythonLexer

    return PythonLexer if lang == "python" else BashLexer


def make_usage(repo: ModelRepo, decided: Inference, task: Task | None, library: str,
               tags: tuple[str, ...], base_models: tuple[str, ...], widget: Widget | None) -> Usage:
    """The panel of one repo, from what load read of it and what resolve decided."""
    return Usage(read_facts(repo, library, task.tag if task else "", task.modality if task else "",
                            decided.chat, bool(chat_template(repo)), tags, base_models, widget))
