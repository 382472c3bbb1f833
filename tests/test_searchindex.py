"""The search index in shards and the paged no-script list: every model exactly once, in name
order, in files of bounded size; a changed model rewrites its own shard only; incremental
builds of a sharded site give the bytes of a cold build."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from conftest import card, make_repo
from test_incremental import assert_same_site, mtimes, snapshot

from sitegen import searchindex
from sitegen.aggregate import Site
from sitegen.build import build, collect
from sitegen.config import Config
from sitegen.render import aggregates, entry_digest, render_site
from sitegen.report import Report

EPOCH = 1_600_000_000
SAMPLE = Path(__file__).resolve().parents[1] / "sample_repos"


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shard and page sizes for a site of a few hundred models."""
    monkeypatch.setattr(searchindex, "FIRST", 80)
    monkeypatch.setattr(searchindex, "SHARD_MIN", 15)
    monkeypatch.setattr(searchindex, "SHARD_SPREAD", 10)
    monkeypatch.setattr(searchindex, "SHARD_MAX", 60)
    monkeypatch.setattr(searchindex, "ROWS_PAGE", 50)


def records(n: int) -> Site:
    """A site of n model records varied from the sample catalog's."""
    site, _ = collect(Config(source=SAMPLE), Report())
    out = []
    for i in range(n):
        base = site.models[i % len(site.models)]
        name = f"org{i % 7}/model-{i:04d}"
        out.append(dataclasses.replace(base, id=name, path=f"models/{name}/index.html", dir=f"models/{name}",
                                       thumbnail="", updated=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    return Site("Catalog", "", tuple(sorted(out, key=lambda e: e.id.lower())))


def read_script(text: str) -> dict:  # type: ignore[type-arg]
    """The data of search-index.js or of a shard."""
    found = re.fullmatch(r'(?:window\.SITEGEN_INDEX|\(window\.SITEGEN_SHARDS = window\.SITEGEN_SHARDS \|\| \{\}\)'
                         r'\["[0-9a-f]{16}"\]) = (.*);\n', text, re.S)
    assert found, text[:200]
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def index_ids(files: dict[str, bytes]) -> list[str]:
    """Every model id of the search index, first file and shards in the order search.js joins them."""
    first = read_script(files["search-index.js"].decode())
    ids = [row[0] for row in first["models"]]
    for name in first.get("shards", []):
        part = read_script(files[f"search/{name}.js"].decode())
        assert len(part["models"]) <= searchindex.SHARD_MAX
        ids += [row[0] for row in part["models"]]
    return ids


def test_a_long_index_is_split_and_holds_every_model_once_in_order(small_shards: None) -> None:
    site = records(300)
    files = render_site(site, [], None)
    first = read_script(files["search-index.js"].decode())
    assert len(first["models"]) == 80 and first["total"] == 300 and len(first["shards"]) >= 4
    assert index_ids(files) == [m.id for m in site.models]
    assert {p for p in files if p.startswith("search/")} == {f"search/{n}.js" for n in first["shards"]}
    # each shard resolves its own strings
    last = read_script(files[f"search/{first['shards'][-1]}.js"].decode())
    assert all(0 <= row[3] < len(last["strings"]) for row in last["models"])


def test_a_small_index_is_one_file_as_before() -> None:
    files = render_site(records(30), [], None)
    data = read_script(files["search-index.js"].decode())
    assert "shards" not in data and "total" not in data and len(data["models"]) == 30
    assert not any(p.startswith(("search/", "list/")) for p in files)


def _shard_files(site: Site) -> dict[str, str]:
    return {path: digest for path, digest, _ in aggregates(None, site, entry_digest) if path.startswith("search/")}


def test_a_changed_model_rewrites_its_own_shard_only(small_shards: None) -> None:
    site = records(300)
    before = _shard_files(site)
    i = 200
    changed = dataclasses.replace(site.models[i], summary="Something else entirely.")
    after = _shard_files(dataclasses.replace(site, models=site.models[:i] + (changed,) + site.models[i + 1:]))
    assert len(before.keys() - after.keys()) == 1 and len(after.keys() - before.keys()) == 1
    added = dataclasses.replace(site.models[i], id="org3/model-0200a", path="models/org3/model-0200a/index.html",
                                dir="models/org3/model-0200a")
    grown = dataclasses.replace(site, models=tuple(sorted(site.models + (added,), key=lambda e: e.id.lower())))
    assert len(_shard_files(grown).keys() - before.keys()) <= 2  # its shard, split in two at most


def test_the_no_script_list_links_every_model_exactly_once(small_shards: None) -> None:
    site = records(220)
    files = render_site(site, [], None)
    pages = ["index.html"] + [f"list/page-{k}.html" for k in range(2, 6)]
    assert set(p for p in files if p.startswith("list/")) == set(pages[1:])
    linked = []
    for k, path in enumerate(pages, 1):
        html = files[path].decode()
        body = html.split('<ul class="rows">', 1)[1].split("</ul>", 1)[0]
        linked += re.findall(r'<li><a href="(?:\.\./)?(models/[^"]+/index\.html)">', body)
        assert f"Page {k} of 5" in html
        assert ('rel="next"' in html) == (k < 5) and ('rel="prev"' in html) == (k > 1)
        assert html.count('aria-current="page"') == 1
    assert linked == [m.path for m in site.models]


def test_a_hostile_id_stays_data_in_a_shard(small_shards: None) -> None:
    site = records(100)
    evil = '</script><script>alert(1)</script>"];window.x=1;//\u2028'
    models = list(site.models)
    models[-1] = dataclasses.replace(models[-1], summary=evil)
    files = render_site(dataclasses.replace(site, models=tuple(models)), [], None)
    first = read_script(files["search-index.js"].decode())
    text = files[f"search/{first['shards'][-1]}.js"].decode()
    assert text.isascii() and text.count('"];window') == text.count('\\"];window') == 1  # its quote escaped
    assert read_script(text)["models"][-1][7] == evil


def _source(root: Path, n: int) -> Path:
    for i in range(n):
        make_repo(root, f"org{i % 3}/m{i:03d}", card("pipeline_tag: fill-mask\ntags: [t]",
                                                     f"# M{i}\n\nModel number {i}.\n"))
    return root


def test_incremental_builds_of_a_sharded_site_match_a_cold_build(tmp_path: Path, small_shards: None) -> None:
    src = _source(tmp_path / "src", 200)
    config = Config(source=src, output=tmp_path / "out", jobs=1, source_date_epoch=EPOCH)
    build(config)
    out = tmp_path / "out"
    shards_before = {p: s for p, s in mtimes(out).items() if p.startswith("search/")}
    assert len(shards_before) >= 3 and (out / "list/page-3.html").is_file()
    before = snapshot(out)
    readme = src / "org1/m100/README.md"
    readme.write_text(readme.read_text().replace("Model number 100.", "Model number one hundred."))
    build(config)
    stamps = mtimes(out)
    kept = [p for p in shards_before if stamps.get(p) == shards_before[p]]
    assert len(kept) == len(shards_before) - 1  # the other shards were not written again
    changed = {p for p in before.keys() | snapshot(out).keys() if before.get(p) != snapshot(out).get(p)}
    assert "search-index.js" in changed and not any(p.startswith("list/") for p in changed), changed
    build(dataclasses.replace(config, output=tmp_path / "cold", cache=False))
    assert_same_site(out, tmp_path / "cold")


def test_a_catalog_that_shrinks_below_one_file_leaves_no_shards_behind(tmp_path: Path, small_shards: None) -> None:
    import shutil

    src = _source(tmp_path / "src", 120)
    config = Config(source=src, output=tmp_path / "out", jobs=1, source_date_epoch=EPOCH)
    build(config)
    assert (tmp_path / "out/search").is_dir() and (tmp_path / "out/list/page-2.html").is_file()
    for i in range(60, 120):
        shutil.rmtree(src / f"org{i % 3}/m{i:03d}")
    build(config)
    assert not (tmp_path / "out/search").exists() and not (tmp_path / "out/list").exists()
    build(dataclasses.replace(config, output=tmp_path / "cold", cache=False))
    assert_same_site(tmp_path / "out", tmp_path / "cold")
