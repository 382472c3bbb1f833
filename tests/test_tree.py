"""The model tree (issue 16): a base model's page lists what the catalog derives from it, a
model's page its chain up to the root, listing pages per base model and per dataset, and ids
outside the catalog link to the Hub only when they have the shape of a Hub id."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import card, make_repo
from test_links import LinkChecker

from sitegen import relink, tree
from sitegen.aggregate import LISTING_PAGE, Entry, EntryMeta, Site
from sitegen.build import build
from sitegen.config import Config

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_IDS = ["../../etc/passwd", "javascript:alert(1)", "a b/c", "https://evil.example/x", "<script>x</script>",
               "org/name/extra", "-lead/x", "a..b", "x" * 97, '"onmouseover="alert(1)', "org//name"]


def rec(model_id: str, *bases: str, relation: str = "", datasets: tuple[str, ...] = ()) -> Any:
    """The fields of an Entry the tree reads."""
    return SimpleNamespace(id=model_id, path=f"models/{model_id}/index.html", bases=bases,
                           relation=relation or ("finetune" if bases else ""), datasets=datasets)


def entry(model_id: str, *bases: str, datasets: tuple[str, ...] = ()) -> Entry:
    return Entry(model_id, f"models/{model_id}/index.html", f"models/{model_id}", None, "",
                 EntryMeta("", (), (), False), "", "", "", bases=bases, relation="finetune" if bases else "",
                 datasets=datasets)


def html(out: Path, repo_id: str) -> str:
    return (out / "models" / repo_id / "index.html").read_text(encoding="utf-8")


def tree_panel(page: str) -> str:
    found = re.search(r'<section class="panel tree".*?</section>', page, re.S)
    return found.group(0) if found else ""


# --- ids and the Hub -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_IDS)
def test_a_value_not_shaped_like_a_hub_id_gets_no_url(text: str) -> None:
    assert not tree.hub_id(text)
    assert tree.hub_url(text, "model", "https://huggingface.co") == ""
    assert tree.hub_url(text, "dataset", "https://huggingface.co") == ""


def test_hub_urls_follow_the_setting() -> None:
    assert tree.hub_url("org/name", "model", "https://huggingface.co") == "https://huggingface.co/org/name"
    assert tree.hub_url("glue", "dataset", "https://hf-mirror.example/") == "https://hf-mirror.example/datasets/glue"
    assert tree.hub_url("org/name", "model", "") == ""  # an air-gapped site: plain text
    assert tree.hub_url("org/name", "model", "javascript:alert(1)//") == ""


# --- the tree from records -------------------------------------------------------------------------


def test_children_are_grouped_by_relation_and_capped() -> None:
    models = [rec("base"), *(rec(f"ft-{i:05}", "base") for i in range(10_000)),
              rec("lora", "base", relation="adapter"), rec("q4", "base", relation="quantized"),
              rec("mix", "base", "other", relation="merge")]
    got = tree.trees(models, "https://huggingface.co")["base"]
    assert [(g.relation, g.total, len(g.shown)) for g in got.groups] == [
        ("finetune", 10_000, tree.SHOWN), ("adapter", 1, 1), ("quantized", 1, 1), ("merge", 1, 1)]
    assert got.derived == 10_003 and got.listing == "bases/base/index.html" and got.chain == ()
    assert [n.path for n in got.groups[0].shown] == [f"models/ft-{i:05}/index.html" for i in range(tree.SHOWN)]
    assert len(repr(got)) < 5_000  # what the page gets does not grow with the children


def test_the_chain_goes_up_to_the_root_and_stops_at_a_cycle_or_its_depth() -> None:
    models = [rec("c", "b"), rec("b", "a", relation="adapter"), rec("a", "outside/root")]
    chain = tree.trees(models, "https://huggingface.co")["c"].chain
    assert [(n.text, n.path, n.url, n.relation) for n in chain] == [
        ("outside/root", "", "https://huggingface.co/outside/root", ""),
        ("a", "models/a/index.html", "", "finetune"), ("b", "models/b/index.html", "", "adapter")]
    cycle = tree.trees([rec("x", "y"), rec("y", "x")], "")
    assert [n.text for n in cycle["x"].chain] == ["y"] and [n.text for n in cycle["y"].chain] == ["x"]
    assert cycle["x"].derived == 1 and cycle["x"].chain[0].url == ""
    deep = [rec(f"m{i}", f"m{i + 1}") for i in range(200)]
    assert len(tree.trees(deep, "")["m0"].chain) == tree.MAX_DEPTH


def test_a_model_naming_itself_has_no_tree() -> None:
    assert tree.trees([rec("self", "self")], "") == {}
    assert tree.bases_of(rec("self", "self", "ok/base", "../x")) == ("ok/base",)


def test_the_parent_hands_a_page_only_what_the_page_cannot_draw() -> None:
    """A cold build makes a page again only if its tree needs other models' records."""
    models = [rec("top"), rec("leaf", "top"), rec("alone", "outside/y", datasets=("glue",)),
              rec("grand", "mid"), rec("mid", "outside/z")]
    given = tree.parent_trees(models, "https://huggingface.co")
    # top and mid have a child, grand's chain is two steps; leaf's and alone's are their own
    assert set(given) == {"top", "mid", "grand"}
    # a rebuild asks for the trees of the models it makes, and gets the same trees
    assert tree.parent_trees(models, "https://huggingface.co", only={"grand", "leaf"}) == {"grand": given["grand"]}
    every = tree.trees(models, "https://huggingface.co")
    assert tree.trees(models, "https://huggingface.co", only={"mid", "alone", "x"}) \
        == {"mid": every["mid"], "alone": every["alone"]}


def test_listing_pages_per_base_model_and_dataset_are_capped_per_model() -> None:
    many = tuple(f"set-{i}" for i in range(tree.MAX_DATASETS))
    models = (entry("base"), *(entry(f"ft-{i:04}", "base", datasets=("glue",)) for i in range(450)),
              entry("wide", "base", "outside/other", datasets=many))
    site = Site("T", "", tuple(sorted(models, key=lambda m: m.id.lower())))
    listings = [item for item in site.listings() if item.kind in ("base", "dataset")]
    derived = [item for item in listings if item.key == "base"]
    assert [(d.page, len(d.models)) for d in derived] == [(1, LISTING_PAGE), (2, LISTING_PAGE), (3, 51)]
    assert derived[0].key_path == "models/base/index.html" and derived[0].key_url == ""
    other = next(item for item in listings if item.key == "outside/other")
    assert other.key_url == "https://huggingface.co/outside/other" and other.path == "bases/outside/other/index.html"
    assert sum(1 for item in listings if item.kind == "dataset" and item.page == 1) == tree.MAX_DATASETS + 1


# --- the sample site --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree") / "site"
    result = build(Config(source=ROOT / "sample_repos", output=out, base_url="https://octo.github.io/models"))
    assert result.report.errors == 0
    return out


def test_tiny_bert_base_lists_the_models_derived_from_it(sample: Path) -> None:
    panel = tree_panel(html(sample, "acme-nlp/tiny-bert-base"))
    assert re.search(r"Fine-tunes <span class=\"tree-count\">4</span>", panel)
    for child in ("nano-embed-en", "tiny-bert-conll-ner", "tiny-bert-squad", "tiny-bert-sst2"):
        assert f'href="../../../models/acme-nlp/{child}/index.html"' in panel
    assert 'href="../../../bases/acme-nlp/tiny-bert-base/index.html"' in panel
    listing = (sample / "bases/acme-nlp/tiny-bert-base/index.html").read_text(encoding="utf-8")
    assert listing.count('class="card"') == 4 and "Derived from" in listing
    pico = tree_panel(html(sample, "acme-nlp/pico-lm-160m"))
    assert "Fine-tunes" in pico and "Quantised" in pico and "pico-lm-160m-gguf" in pico


def test_a_child_shows_its_chain_to_the_root(sample: Path) -> None:
    panel = tree_panel(html(sample, "lumen-vision/motionlite-i2v"))
    order = [panel.find(s) for s in ("https://huggingface.co/stable-diffusion-v1-5/stable-diffusion-v1-5",
                                     "models/lumen-vision/dreamlite-512/index.html",
                                     "models/lumen-vision/motionlite-t2v/index.html", "<strong>motionlite-i2v")]
    assert -1 not in order and order == sorted(order)
    assert 'href="../../../datasets/lumen-vision/flat-motion-60k/index.html"' in panel
    trained = (sample / "datasets/lumen-vision/flat-motion-60k/index.html").read_text(encoding="utf-8")
    assert trained.count('class="card"') == 2  # motionlite-t2v and -i2v
    assert 'href="https://huggingface.co/datasets/lumen-vision/flat-motion-60k"' in trained


def test_the_tree_pages_pass_the_link_checker(sample: Path) -> None:
    checker = LinkChecker(sample, "https://octo.github.io/models")
    failures = checker.check_site()
    assert not failures, failures
    pages = checker.pages()
    assert sum(p.startswith("bases/") for p in pages) >= 8 and sum(p.startswith("datasets/") for p in pages) >= 40


def test_a_cold_build_makes_no_page_twice_and_splices_the_trees_the_parent_draws(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again: list[str] = []
    real = relink.run

    def counted(job: Any, items: list[Any], *rest: Any) -> Any:
        again.extend(i[0].id for i in items)
        return real(job, items, *rest)

    monkeypatch.setattr(relink, "run", counted)
    result = build(Config(source=ROOT / "sample_repos", output=tmp_path / "site", jobs=1))
    given = tree.parent_trees(result.site.models, "https://huggingface.co")
    assert again == [] and result.remade == 0 and 0 < len(given) <= 10 < len(result.site.models)
    digests = {o.id: o.tree for o in result.outcomes}
    assert all(digests[i] == t.digest for i, t in given.items())  # their pages were given the parent's tree


# --- hostile cards --------------------------------------------------------------------------------


def test_hostile_ids_stay_plain_text_and_make_no_pages(tmp_path: Path) -> None:
    src = tmp_path / "src"
    listed = "\n".join(f"- {value!r}" for value in HOSTILE_IDS)
    make_repo(src, "evil/model", card(f"base_model:\n{listed}\ndatasets:\n{listed}\nnew_version: 'javascript:alert(1)'"))
    make_repo(src, "evil/loop-a", card("base_model: evil/loop-b"))
    make_repo(src, "evil/loop-b", card("base_model: evil/loop-a"))
    make_repo(src, "evil/narcissus", card("base_model: evil/narcissus"))
    out = tmp_path / "site"
    result = build(Config(source=src, output=out, jobs=1))
    assert not [d for d in result.report.items if d.level == "error"]
    page = html(out, "evil/model")
    for value in ("javascript:", "evil.example", "passwd"):
        assert not re.search(rf'(href|src)="[^"]*{re.escape(value)}', page), value
    assert "&lt;script&gt;" in page and "<script>x" not in page
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                  if p.relative_to(out).parts[0] in ("bases", "datasets"))
    assert made == ["bases/evil/loop-a/index.html", "bases/evil/loop-b/index.html"]
    loop = tree_panel(html(out, "evil/loop-a"))
    assert loop.count("<li") == 3  # loop-b above it, itself, loop-b again as its child
    assert tree_panel(html(out, "evil/narcissus")) == ""
    assert not LinkChecker(out, "").check_site()


def test_a_huge_datasets_list_is_capped(tmp_path: Path) -> None:
    src = tmp_path / "src"
    sets = "\n".join(f"- org/set-{i}" for i in range(5_000))
    make_repo(src, "big/model", card(f"datasets:\n{sets}"))
    out = tmp_path / "site"
    build(Config(source=src, output=out, jobs=1))
    assert len(list((out / "datasets/org").iterdir())) == tree.MAX_DATASETS
    assert tree_panel(html(out, "big/model")).count('class="chip chip-plain"') == tree.MAX_DATASETS


@pytest.mark.parametrize("hub,expected", [("", None), ("https://hf-mirror.example", "https://hf-mirror.example/up/base")])
def test_the_hub_setting_decides_the_links_outside_the_catalog(tmp_path: Path, hub: str, expected: str | None) -> None:
    src = tmp_path / "src"
    make_repo(src, "acme/child", card("base_model: up/base\ndatasets: [glue]"))
    out = tmp_path / "site"
    build(Config(source=src, output=out, jobs=1, hub_url=hub))
    page = html(out, "acme/child")
    assert "huggingface.co" not in page.split("<main", 1)[1]
    if expected:
        assert f'href="{expected}"' in page and 'href="https://hf-mirror.example/datasets/glue"' in page
    else:
        assert "hub-link" not in page


def test_entries_with_tree_fields_survive_the_manifest() -> None:
    from sitegen import columns, manifest
    import json
    e = entry("a/b", "c/d", datasets=("glue",))
    assert columns.entries({"x": json.loads(manifest._dumps(e))}) == {"x": e}
    bad = json.loads(manifest._dumps(e))
    bad[12] = "c/d"
    with pytest.raises(columns.Damaged):
        columns.entries({"x": bad})
    assert dataclasses.replace(e, bases=()).bases == ()


def test_a_body_edit_reads_no_entry_unless_its_page_was_given_a_tree(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the one-card rebuild's cost: the tree needs every model's record only when a
    record changed, or the edited page's tree came from the parent (it has children)."""
    from test_incremental import make_source, snapshot
    src = make_source(tmp_path / "src")
    config = Config(source=src, output=tmp_path / "out", jobs=1, source_date_epoch=1_600_000_000)
    build(config)
    reads: list[Any] = []  # trees made: each reads every model's record, and makes the trees asked for
    real = relink.parent_trees

    def counted(models: Any, hub: str, only: Any = None) -> Any:
        models = list(models)
        reads.append(only)
        return real(models, hub, only)

    monkeypatch.setattr(relink, "parent_trees", counted)
    for name, read in (("acme/child", False), ("acme/base", True)):
        before = snapshot(config.output)
        readme = src / name / "README.md"
        readme.write_text(readme.read_text() + "\n```\nx = 1\n```\n")  # not its summary: no list changes
        reads.clear()
        build(config)
        assert reads == ([{name}] if read else []), name  # the edited model's tree, not all 5
        changed = {p for p, data in snapshot(config.output).items() if before.get(p) != data} - {".sitegen-site"}
        assert changed == {f"models/{name}/index.html"}
