"""relink.py: a page whose model tree alone changed has its tree section spliced in, not made
again; what cannot be spliced (links changed, no span known, too large, a page not as written)
is made again whole, as before. Either way the bytes are those of a page made with its tree known."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import card, make_repo
from test_incremental import assert_same_site, date_all

from sitegen import build as build_module
from sitegen import make, relink, render, tree
from sitegen.build import Result, build
from sitegen.config import Config

ROOT = Path(__file__).resolve().parents[1]
T0 = 1_600_000_000
HUGE = "x" * 96  # the longest name a Hub id may have


def catalog(src: Path, body: str = "# Model\n\nA small test model.\n") -> Path:
    """A base model with fine-tunes, an adapter and a grandchild, a model on a dataset, one alone."""
    make_repo(src, "acme/base", card("license: mit", body))
    for n in range(3):
        make_repo(src, f"acme/tune-{n}", card("base_model: acme/base", body))
    make_repo(src, "acme/adapter", card("base_model: acme/base\nbase_model_relation: adapter", body))
    make_repo(src, "lab/grandchild", card("base_model: acme/tune-0", body))
    make_repo(src, f"lab/{HUGE}", card("base_model: acme/tune-1\ndatasets: [glue]", body))
    make_repo(src, "solo", card("license: mit", body))
    date_all(src, T0)
    return src


def config(src: Path, out: Path, **options: Any) -> Config:
    # In-process (no limits, one job), so a patched make counts every page the workers make.
    return Config(source=src, output=out, jobs=1, model_seconds=0, model_memory=0, source_date_epoch=T0, **options)


@pytest.fixture
def makes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The id of each model made, as it is made."""
    made: list[str] = []
    real = make.make

    def counted(job: Any, repo_dir: Any, *rest: Any) -> Any:
        made.append(repo_dir.id)
        return real(job, repo_dir, *rest)

    monkeypatch.setattr(make, "make", counted)
    return made


def known_trees(monkeypatch: pytest.MonkeyPatch, result: Result) -> None:
    """Make the next build give each page its whole tree up front: nothing is left to relink."""
    given = tree.parent_trees(result.site.models, "https://huggingface.co")
    monkeypatch.setattr(build_module, "expected_trees", lambda *_: given)


def test_a_cold_build_makes_each_model_once_with_the_bytes_of_known_trees(
        tmp_path: Path, makes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    src = catalog(tmp_path / "src")
    cold = build(config(src, tmp_path / "cold"))
    assert sorted(makes) == sorted(set(makes)) and len(makes) == cold.models == 8 and cold.remade == 0
    spliced = [o for o in cold.outcomes if o.tree]
    assert {o.id for o in spliced} == {"acme/base", "acme/tune-0", "acme/tune-1", "lab/grandchild", f"lab/{HUGE}"}
    makes.clear()
    known_trees(monkeypatch, cold)
    known = build(config(src, tmp_path / "known"))
    assert len(makes) == 8 and known.remade == 0
    assert_same_site(tmp_path / "cold", tmp_path / "known")
    page = (tmp_path / "cold/models/acme/base/index.html").read_text(encoding="utf-8")
    assert "Fine-tunes" in page and "acme/tune-2" in page and "sitegen-tree-" not in page


def test_a_rebuild_splices_the_new_child_into_kept_pages(tmp_path: Path, makes: list[str]) -> None:
    """A fine-tune added to a fine-tune that has a child: the kept page of its base is spliced
    from the live site; only the new model is made; the site is the cold build's."""
    src = catalog(tmp_path / "src")
    cfg = config(src, tmp_path / "out")
    build(cfg)
    make_repo(src, "acme/tune-9", card("base_model: acme/tune-0"))
    date_all(src, T0)
    makes.clear()
    again = build(cfg)
    assert makes == ["acme/tune-9"] and again.remade == 0 and again.rebuilt == 2  # it, and tune-0 spliced
    build(config(src, tmp_path / "cold"))
    assert_same_site(tmp_path / "out", tmp_path / "cold")
    assert "acme/tune-9" in (tmp_path / "out/models/acme/tune-0/index.html").read_text(encoding="utf-8")


def test_a_card_whose_text_changed_draws_no_tree_and_one_whose_base_changed_does(
        tmp_path: Path, makes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A tree is made of ids, base models, relations and datasets: an edited description (its
    list entry changes) draws no tree, which at 10,000 models took a second; a changed base
    model draws them all. Either way the site is the cold build's."""
    src = catalog(tmp_path / "src")
    cfg = config(src, tmp_path / "out")
    build(cfg)
    drawn: list[int] = []
    real = relink._trees
    monkeypatch.setattr(relink, "_trees", lambda *a: (drawn.append(1), real(*a))[1])
    make_repo(src, "acme/tune-0", card("base_model: acme/base", "# Model\n\nA new description of this fine-tune.\n"))
    date_all(src, T0)
    makes.clear()
    again = build(cfg)
    assert makes == ["acme/tune-0"] and drawn == [] and again.changed > 1  # its page, and the lists
    assert "A new description" in (tmp_path / "out/index.html").read_text(encoding="utf-8")
    build(config(src, tmp_path / "cold"))
    assert_same_site(tmp_path / "out", tmp_path / "cold")
    drawn.clear()
    make_repo(src, "acme/tune-2", card("base_model: acme/tune-0"))
    date_all(src, T0)
    build(cfg)
    assert drawn == [1]
    build(config(src, tmp_path / "cold2"))
    assert_same_site(tmp_path / "out", tmp_path / "cold2")
    assert "acme/tune-2" in (tmp_path / "out/models/acme/tune-0/index.html").read_text(encoding="utf-8")


def test_what_cannot_be_spliced_is_made_again_whole(tmp_path: Path, makes: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A live page shorter than its span (changed since it was written), and a splice that
    would pass the page limit: both made again in the pool, with the same bytes."""
    src = catalog(tmp_path / "src")
    cfg = config(src, tmp_path / "out")
    build(cfg)
    base = tmp_path / "out/models/acme/base/index.html"
    base.write_bytes(base.read_bytes()[:100])
    make_repo(src, "acme/tune-9", card("base_model: acme/base"))
    make_repo(src, "lab/tune-10", card("base_model: acme/tune-0"))
    date_all(src, T0)
    # relink's limit only (a page made whole still fits): tune-0's page as it is, and no byte more
    monkeypatch.setattr(relink, "MAX_PAGE_BYTES", (tmp_path / "out/models/acme/tune-0/index.html").stat().st_size)
    makes.clear()
    again = build(cfg)
    assert sorted(makes) == ["acme/base", "acme/tune-0", "acme/tune-9", "lab/tune-10"] and again.remade == 2
    build(config(src, tmp_path / "cold"))
    assert_same_site(tmp_path / "out", tmp_path / "cold")


def test_a_changed_link_is_made_again_not_spliced(tmp_path: Path, makes: list[str]) -> None:
    """The base of a fine-tune comes into the catalog: its page now links to it and shows a
    chain it links, so it is made again whole."""
    src = tmp_path / "src"
    make_repo(src, "acme/tune", card("base_model: acme/base"))
    date_all(src, T0)
    cfg = config(src, tmp_path / "out")
    build(cfg)
    make_repo(src, "acme/base", card("license: mit"))
    date_all(src, T0)
    makes.clear()
    again = build(cfg)
    assert sorted(makes) == ["acme/base", "acme/tune"] and again.remade == 1
    build(config(src, tmp_path / "cold"))
    assert_same_site(tmp_path / "out", tmp_path / "cold")


PLACEMENTS = {
    "include": '{% include "tree.html" %}',  # an older override: it draws the tree itself
    "none": "",  # no tree at all
    "twice": "{{ tree_html }}<hr>{{ tree_html }}",
}


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_a_theme_that_does_not_place_the_section_once_is_made_again_whole(
        tmp_path: Path, makes: list[str], monkeypatch: pytest.MonkeyPatch, placement: str) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    default = (ROOT / "themes/default/templates/model.html").read_text(encoding="utf-8")
    assert default.count("{{- tree_html -}}") == 1
    (theme / "templates/model.html").write_text(default.replace("{{- tree_html -}}", PLACEMENTS[placement]),
                                                encoding="utf-8")
    src = catalog(tmp_path / "src")
    cold = build(config(src, tmp_path / "cold", theme=theme))
    assert not cold.report.errors and cold.remade == 5 and len(makes) == 8 + 5
    assert all(o.span is None for o in cold.outcomes)
    page = (tmp_path / "cold/models/acme/base/index.html").read_text(encoding="utf-8")
    assert page.count(">acme/tune-2<") == {"include": 1, "none": 0, "twice": 2}[placement]
    known_trees(monkeypatch, cold)
    build(config(src, tmp_path / "known", theme=theme))
    assert_same_site(tmp_path / "cold", tmp_path / "known")


def test_the_default_theme_page_is_the_one_an_include_makes(tmp_path: Path) -> None:
    """model.html's `tree_html` puts the section exactly where `{% include "tree.html" %}` did."""
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    default = (ROOT / "themes/default/templates/model.html").read_text(encoding="utf-8")
    (theme / "templates/model.html").write_text(
        default.replace("{{- tree_html -}}", '{% include "tree.html" %}'), encoding="utf-8")
    src = catalog(tmp_path / "src")
    build(config(src, tmp_path / "spliced"))
    build(config(src, tmp_path / "included", theme=theme))
    for page in (tmp_path / "spliced/models").rglob("index.html"):
        rel = page.relative_to(tmp_path / "spliced")
        assert page.read_bytes() == (tmp_path / "included" / rel).read_bytes(), rel


SLOT = "sitegen-tree-" + "0" * 32


@pytest.mark.parametrize("body", [
    f"Text {SLOT} and `{SLOT}` and <span>{SLOT}</span>\n\n```\n{SLOT}\n```\n",
    "{{ tree_html }} {% include 'tree.html' %} <section class=\"panel tree\">not a tree</section>\n",
    "sitegen-tree-" * 2000 + "\n",
], ids=["the-slot", "template-syntax", "many-prefixes"])
def test_a_card_cannot_break_the_splice(tmp_path: Path, makes: list[str], monkeypatch: pytest.MonkeyPatch,
                                        body: str) -> None:
    """A card that writes the slot's text (even the very slot, were it not random), template
    syntax or a fake tree section: every page is as it is when the trees are known."""
    src = catalog(tmp_path / "src", body)
    cold = build(config(src, tmp_path / "cold"))
    assert not cold.report.errors and cold.remade == 0 and len(makes) == 8
    # Were the slot a fixed text, a card writing it would be found twice: no span, made whole.
    with monkeypatch.context() as fixed_slot:
        fixed_slot.setattr(render.secrets, "token_hex", lambda n: "0" * 2 * n)
        fixed = build(config(src, tmp_path / "fixed"))
    assert fixed.remade == (5 if SLOT in body else 0)
    assert_same_site(tmp_path / "cold", tmp_path / "fixed")
    known_trees(monkeypatch, cold)
    build(config(src, tmp_path / "known"))
    assert_same_site(tmp_path / "cold", tmp_path / "known")


def test_the_span_is_the_tree_section(tmp_path: Path) -> None:
    src = catalog(tmp_path / "src")
    cold = build(config(src, tmp_path / "cold"))
    for o in cold.outcomes:
        data = (tmp_path / "cold" / o.entry.path).read_bytes()
        assert o.span is not None
        start, length = o.span
        section = data[start:start + length].decode("utf-8")
        assert section == "" or re.fullmatch(r'<section class="panel tree".*</section>\n', section, re.S), o.id
        assert bool(section) is (o.id != "solo")


@pytest.mark.parametrize("span", [[-1, 5], [1, 2, 3], ["1", 2], [1.0, 2], [True, 2], {"a": 1}, "0,5"])
def test_a_damaged_span_in_the_manifest_is_refused(span: Any) -> None:
    from sitegen import cache, columns, manifest
    record = cache.Record("a/b", (), "", "k", None, True, "d", (), ("models/a/b/index.html",), (), (), "", (10, 20))
    cols = manifest._columns({"a/b": record, "c/d": record._replace(span=None)})
    assert manifest._records(manifest.json.loads(manifest._dumps(cols))) == {"a/b": record,
                                                                               "c/d": record._replace(span=None)}
    cols[-1][0] = span
    with pytest.raises(columns.Damaged):
        manifest._records(manifest.json.loads(manifest._dumps(cols)))
