"""Tag chips collapsed past a handful, parameter counts on index cards, dataset names that wrap at case changes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_site, card, make_repo
from sitegen.theme import wbr, wbr_case
from weightfiles import index, safetensors


def _tags(n: int) -> str:
    return "tags:\n" + "".join(f"- tag-{i:03d}\n" for i in range(n))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("polish")
    src = root / "src"
    make_repo(src, "acme/many-tags", card("pipeline_tag: fill-mask\n" + _tags(40)
                                          + "- <b>bold</b>\n- arxiv:2101.00001\n", "# Many\n"))
    make_repo(src, "acme/eight-tags", card("pipeline_tag: fill-mask\n" + _tags(8), "# Eight\n"))
    make_repo(src, "acme/nine-tags", card("pipeline_tag: fill-mask\n" + _tags(9), "# Nine\n"))
    # 3 x 4 + 5 = 17 parameters in one file; 7,241,748,480 said by a sharded index (pointers).
    make_repo(src, "acme/small", card("pipeline_tag: fill-mask\ntags:\n- tiny", "# Small\n"),
              {"model.safetensors": safetensors({"w": ("F32", [3, 4]), "b": ("F32", [5])})})
    make_repo(src, "acme/big", card("pipeline_tag: text-generation\ntags:\n- tiny", "# Big\n"),
              {"model.safetensors.index.json": index({"w": "model-00001-of-00001.safetensors"},
                                                     total_size=14_483_496_960, total_parameters=7_241_748_480)})
    make_repo(src, "acme/evals", card("""
pipeline_tag: sentence-similarity
model-index:
- name: evals
  results:
  - task:
      type: Classification
    dataset:
      name: MTEB AmazonCounterfactualClassification (en)
      type: mteb/amazon_counterfactual
    metrics:
    - type: accuracy
      value: 75.1
""", "# Evals\n"))
    build_site(src, root / "site")
    return root / "site"


def _head(page: str) -> str:
    start = page.index('<header class="model-head">')
    return page[start:page.index("</header>", start)]


def test_tags_past_a_handful_collapse_into_details(site: Path) -> None:
    head = _head((site / "models/acme/many-tags/index.html").read_text())
    shown, more = head.split('<details class="tags-more">')
    assert re.findall(r'class="chip chip-tag"', shown) == ['class="chip chip-tag"'] * 6
    assert '<span class="if-closed">+36 tags</span>' in more  # 40 + <b> + the paper - 6
    assert len(re.findall(r'class="chip chip-tag"', more)) == 36  # every tag stays reachable, no script
    assert "arxiv:2101.00001" in more and "&lt;b&gt;bold&lt;/b&gt;" in head and "<b>" not in head
    assert '<div class="chips">' in head and '<p class="chips">' not in head  # a <details> cannot sit in a <p>


def test_a_few_tags_stay_as_they_are(site: Path) -> None:
    eight = _head((site / "models/acme/eight-tags/index.html").read_text())
    assert "tags-more" not in eight and eight.count('class="chip chip-tag"') == 8
    nine = _head((site / "models/acme/nine-tags/index.html").read_text())
    assert nine.count('class="chip chip-tag"') == 9 and "+3 tags" in nine  # never "+1 tags"


def test_index_cards_show_the_parameter_count(site: Path) -> None:
    page = (site / "index.html").read_text()
    cards = {m.group(1): m.group(0) for m in
             re.finditer(r'<li class="card">.*?href="models/acme/([^/]+)/index.html".*?</li>', page, re.S)}
    assert '<span class="card-params" title="17 parameters">17 params</span>' in cards["small"]
    assert '<span class="card-params" title="7,241,748,480 parameters">7.24B params</span>' in cards["big"]
    assert "card-params" not in cards["eight-tags"]  # unknown: nothing said
    listing = (site / "tags/tiny/index.html").read_text()
    assert "7.24B params" in listing and "17 params" in listing


def test_dataset_names_wrap_at_case_changes(site: Path) -> None:
    page = (site / "models/acme/evals/index.html").read_text()
    assert "MTEB Amazon<wbr>Counterfactual<wbr>Classification (en)" in page
    assert "AmazonCounterfactualClassification" not in page.split("<main")[1].split("</main>")[0] \
        .replace("MTEB AmazonCounterfactualClassification (en)", "")  # only in attributes, if at all


def test_the_case_filter_escapes_first() -> None:
    assert str(wbr_case("MTEBAmazon<Script>")) == "MTEB<wbr>Amazon&lt;Script&gt;"
    assert str(wbr_case("HTMLParser")) == "HTML<wbr>Parser"
    assert str(wbr_case("NFCorpus SciFact CQADupstack")) == "NF<wbr>Corpus Sci<wbr>Fact CQA<wbr>Dupstack"
    assert str(wbr_case("IMDb mBERT ArxivClusteringP2P")) == "IMDb mBERT Arxiv<wbr>ClusteringP2P"
    assert str(wbr("a_b/CamelCase")) == "a_<wbr>b/<wbr>CamelCase"  # no case breaks unless asked
    assert str(wbr_case("nyu-mll/glue")) == "nyu-mll/glue"  # ids as they are
    assert str(wbr_case("it's&Co")) == "it&#39;s&amp;Co"  # never inside an entity
