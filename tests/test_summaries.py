"""Index summaries: the first sentence of the first real paragraph, on made-up and real cards."""
from __future__ import annotations

import re

import pytest

from conftest import SHARED, requires_shared
from sitegen.markdown.parser import MD
from sitegen.markdown.summary import summary


def of(body: str) -> str:
    return summary(MD.parse(body, {"nonce": "n"}))


@pytest.mark.parametrize("body", [
    # a table of contents, as the Hub's model card template writes it
    "# Model Card for Foo\n\n## Table of Contents\n- [Model Details](#model-details)\n"
    "- [Bias, Risks, and Limitations](#bias-risks-and-limitations)\n\n## Model Details\n\n"
    "Foo classifies movie reviews by sentiment. It is small.\n",
    # badges, an image, a link-only line, a comment, a bold pseudo-heading
    "[![CI](https://x.test/ci.svg)](https://x.test) ![logo](https://x.test/l.png)\n\n"
    "[GitHub](https://g.test) | [Demo](https://d.test) | [Paper](https://p.test)\n\n"
    "<!-- Provide a quick summary of what the model is/does. -->\n\n**Model Details**\n\n"
    "Foo classifies movie reviews by sentiment. It is small.\n",
    # a key-value list before the prose, and a boilerplate section name as a paragraph
    "- Main Page: [Fengshenbang](https://f.test)\n- source languages: fr\n\nModel Description\n\n"
    "Foo classifies movie reviews by sentiment.\n",
    # a sentence in a list item counts
    "## Model Details\n\n- Foo classifies movie reviews by sentiment. It is small.\n\nLater text here, long.\n",
])
def test_summary_skips_what_is_not_a_sentence(body: str) -> None:
    assert of(body) == "Foo classifies movie reviews by sentiment."


def test_summary_drops_an_alert_marker() -> None:
    assert of("> [!IMPORTANT]\n> This repository is a quantized version of Foo.\n") == \
        "This repository is a quantized version of Foo."


def test_summary_keeps_links_inside_a_sentence() -> None:
    assert of("Foo is a [BERT](https://b.test) model fine-tuned on [IMDB](https://i.test).\n") == \
        "Foo is a BERT model fine-tuned on IMDB."


def test_summary_falls_back_to_a_list_item_and_to_nothing() -> None:
    assert of("### opus-mt-fr-hr\n\n* source languages: fr\n* target languages: hr\n") == "source languages: fr"
    assert of("# Title\n\n## Table of Contents\n\n[GitHub](https://g.test)\n") == ""


REAL = SHARED / "real_cards"
BOILERPLATE = {"bias, risks, and limitations", "how to get started with the model", "table of contents",
               "model details", "base model performance"}


@requires_shared("real_cards")
def test_real_cards_summaries_are_no_section_names() -> None:
    cards = sorted(REAL.glob("hub2024/*/README.md")) + sorted(REAL.glob("hub2022/repos/*/*/README.md"))
    bad, seen = [], 0
    for path in cards:
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.startswith("---") and (end := text.find("\n---", 3)) > 0:
            text = text[end + 4:]
        got = of(text[:256 * 1024])
        seen += bool(got)
        if got.lower().rstrip(".:") in BOILERPLATE or re.fullmatch(r"\S*://\S*|.*\|.*\|.*", got):
            bad.append((path, got))
    assert seen > 1000
    assert bad == []
