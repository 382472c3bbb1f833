"""What a site needs to be published: safe unique paths for any folder name, listing pages,
the search index as a script, and with --base-url the sitemap, robots.txt and social tags."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import build
from sitegen.config import Config
from sitegen.load.discover import discover, site_dir, slug
from sitegen.report import Report

CARD = """---
pipeline_tag: {task}
license: mit
language: [en, fr]
tags: [{tags}]
---
# {name}

{name} is a small model for tests.
"""


def _repo(root: Path, rel: str, task: str = "text-classification", tags: str = "demo") -> Path:
    repo = root / rel
    repo.mkdir(parents=True)
    (repo / "README.md").write_text(CARD.format(task=task, tags=tags, name=rel.rsplit("/", 1)[-1]),
                                    encoding="utf-8")
    return repo


@pytest.mark.parametrize("name", ["my model", "100%", "a#b", "what?", "café", "-lead", "trail.",
                                  "CON", "日本語", "x" * 150])
def test_awkward_folder_names_get_plain_unique_paths(name: str) -> None:
    part = slug(name)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", part) and not part.endswith(".")
    assert len(part) <= 100 and part != name


def test_plain_names_keep_their_path() -> None:
    assert site_dir("acme/bert-base.v2") == "models/acme/bert-base.v2"
    assert slug("my model") != slug("my-model") != slug("my_model")


def test_awkward_ids_build_with_a_warning_and_links_that_resolve(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for name in ("my model", "100%", "a#b", "what?", "café", "-lead"):
        _repo(src, f"acme/{name}")
    result = build(Config(source=src, output=tmp_path / "out"))
    assert result.report.errors == 0
    assert len(result.site.models) == 6
    assert sum("is not a valid Hub repo name" in d.message for d in result.report.items) == 6
    index = (tmp_path / "out" / "index.html").read_text()
    for model in result.site.models:
        assert (tmp_path / "out" / model.path).is_file()
        assert f'href="{model.path}"' in index
    assert {m.id for m in result.site.models} >= {"acme/café", "acme/my model"}


def test_ids_that_meet_after_encoding_are_an_error(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _repo(src, "Acme/bert")
    _repo(src, "acme/BERT")
    report = Report()
    found = discover(src, report)
    assert len(found) == 1
    assert [d.level for d in report.items] == ["error"]
    assert "differs only in case" in report.items[0].message


def test_listing_pages_for_tasks_and_tags(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _repo(src, "a/one", tags="demo, NER")
    _repo(src, "a/two", task="fill-mask", tags="demo, ner")
    result = build(Config(source=src, output=tmp_path / "out"))
    out = tmp_path / "out"
    listing = (out / "tasks" / "fill-mask" / "index.html").read_text()
    assert "models/a/two/index.html" in listing and "models/a/one/index.html" not in listing
    demo = (out / "tags" / "demo" / "index.html").read_text()
    assert "models/a/one/index.html" in demo and "models/a/two/index.html" in demo
    assert (out / "tags" / "ner" / "index.html").is_file()  # NER and ner share one page
    assert sorted(p.name for p in (out / "tags").iterdir()) == ["demo", "index.html", "ner"]
    page = (out / "models" / "a" / "one" / "index.html").read_text()
    assert 'href="../../../tasks/text-classification/index.html"' in page
    assert 'href="../../../tags/demo/index.html"' in page
    assert 'href="../../../index.html#language=fr"' in page
    assert result.pages == 2 + 2 + 2 + 2 + 2  # index, 404, two overviews, two tasks, two tags, two models


def decode_index(text: str) -> tuple[dict, list[dict]]:  # type: ignore[type-arg]
    """Read search-index.js back into one dict per model, its strings resolved."""
    prefix = "window.SITEGEN_INDEX = "
    assert text.startswith(prefix) and text.endswith(";\n")
    data = json.loads(text[len(prefix):-2])
    strings = data["strings"]
    rows = []
    for row in data["models"]:
        r = dict(zip(data["fields"], row))
        for key in ("library", "license"):
            r[key] = strings[r[key]]
        for key in ("languages", "tags"):
            r[key] = [strings[i] for i in r[key]]
        r["path"] = (r["dir"] or "models/" + r["id"]) + "/index.html"
        rows.append(r)
    return data, rows


def test_search_index_is_a_script_with_every_model(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _repo(src, "a/one")
    _repo(src, "b/two", task="fill-mask")
    _repo(src, "b/my model")
    build(Config(source=src, output=tmp_path / "out", source_date_epoch=1767225600))
    data, rows = decode_index((tmp_path / "out" / "search-index.js").read_text())
    assert [r["id"] for r in rows] == ["a/one", "b/my model", "b/two"]
    assert rows[0]["path"] == "models/a/one/index.html" and rows[0]["dir"] == ""
    assert rows[1]["path"] == f"models/b/{slug('my model')}/index.html"
    assert (tmp_path / "out" / rows[1]["path"]).is_file()
    assert rows[0]["languages"] == ["en", "fr"] and rows[0]["license"] == "mit"
    assert rows[0]["tags"] == ["demo"]
    assert data["strings"].count("mit") == 1  # stored once
    assert rows[0]["updated"] == "2026-01-01"  # clamped to SOURCE_DATE_EPOCH
    assert data["tasks"]["fill-mask"] == ["Fill-Mask", "nlp"]
    index = (tmp_path / "out" / "index.html").read_text()
    assert '<script src="search-index.js" defer></script>' in index


def _many(tmp_path: Path, n: int):  # type: ignore[no-untyped-def]
    import dataclasses

    from sitegen.build import collect

    _repo(tmp_path / "src", "a/one")
    site, _ = collect(Config(source=tmp_path / "src"), Report())
    one = site.models[0]  # the lists are made from Entry records alone
    return dataclasses.replace(site, models=tuple(
        dataclasses.replace(one, id=f"a/m{i:04d}", path=f"models/a/m{i:04d}/index.html", dir=f"models/a/m{i:04d}")
        for i in range(n)))


def test_long_catalogs_list_plain_rows_for_readers_without_javascript(tmp_path: Path) -> None:
    from sitegen.render import render_site

    files = render_site(_many(tmp_path, 1001), [], None)
    index = files["index.html"].decode()
    assert '<ul class="cards" id="models"></ul>\n<noscript>\n' in index
    assert index.count('class="card"') == 0 and index.count('<li><a href="models/a/m') == 1000  # a page of them
    assert '<a href="list/page-2.html" rel="next">Next</a>' in index
    assert files["list/page-2.html"].decode().count('<li><a href="../models/a/m1000/index.html">') == 1
    few = render_site(_many(tmp_path / "few", 1000), [], None)["index.html"].decode()
    assert "<noscript>" not in few and few.count('<li class="card">') == 1000


def test_listings_are_paged(tmp_path: Path) -> None:
    from sitegen.render import render_site
    from sitegen.resolve import LISTING_PAGE

    files = render_site(_many(tmp_path, 2 * LISTING_PAGE + 1), [], None)
    first = files["tasks/text-classification/index.html"].decode()
    second = files["tasks/text-classification/page-2.html"].decode()
    third = files["tasks/text-classification/page-3.html"].decode()
    assert "tasks/text-classification/page-4.html" not in files
    assert first.count('<li class="card">') == second.count('<li class="card">') == LISTING_PAGE
    assert third.count('<li class="card">') == 1 and "a/m0400" in third
    assert f"{2 * LISTING_PAGE + 1:,} models" in second
    assert '<a href="../../tasks/text-classification/page-2.html" rel="next">Next</a>' in first
    assert '<a href="../../tasks/text-classification/page-2.html" rel="prev">Previous</a>' in third
    assert "rel=\"prev\"" not in first and "rel=\"next\"" not in third
    browse = files["tasks/index.html"].decode()
    assert browse.count("tasks/text-classification/") == 1  # the overview links the first page only


def test_no_base_url_no_absolute_links(tmp_path: Path) -> None:
    _repo(tmp_path / "src", "a/one")
    build(Config(source=tmp_path / "src", output=tmp_path / "out"))
    out = tmp_path / "out"
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()
    assert not list(out.rglob("social.png"))
    assert "og:" not in (out / "models/a/one/index.html").read_text()


def test_base_url_gives_sitemap_robots_canonical_and_social_tags(tmp_path: Path) -> None:
    _repo(tmp_path / "src", "a/one")
    base = "https://octo.github.io/models"
    build(Config(source=tmp_path / "src", output=tmp_path / "out", base_url=base + "/"))
    out = tmp_path / "out"
    sitemap = (out / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert f"{base}/index.html" in locs and f"{base}/models/a/one/index.html" in locs
    assert all((out / loc[len(base) + 1:]).is_file() for loc in locs)
    assert not (out / "robots.txt").exists()  # a project site's robots.txt is never read
    page = (out / "models/a/one/index.html").read_text()
    assert f'<link rel="canonical" href="{base}/models/a/one/index.html">' in page
    assert f'<meta property="og:image" content="{base}/models/a/one/social.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta property="og:description" content="one is a small model for tests.">' in page
    with Image.open(out / "models/a/one/social.png") as image:
        assert image.size == (1200, 630) and image.format == "PNG"
    not_found = (out / "404.html").read_text()
    assert f'href="{base}/index.html"' in not_found


def test_robots_txt_only_at_a_domain_root(tmp_path: Path) -> None:
    _repo(tmp_path / "src", "a/one")
    build(Config(source=tmp_path / "src", output=tmp_path / "out", base_url="https://models.example.com/"))
    robots = (tmp_path / "out" / "robots.txt").read_text()
    assert robots == "User-agent: *\nAllow: /\nSitemap: https://models.example.com/sitemap.xml\n"


def test_cname_logo_and_links_from_the_config(tmp_path: Path) -> None:
    _repo(tmp_path / "src", "a/one")
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "red").save(logo)
    build(Config(source=tmp_path / "src", output=tmp_path / "out", cname="models.example.com",
                 logo=logo, links=(("GitHub", "https://github.com/acme"), ("Tasks", "tasks/index.html"))))
    out = tmp_path / "out"
    assert (out / "CNAME").read_text() == "models.example.com\n"
    assert (out / "static" / "logo.png").read_bytes() == logo.read_bytes()
    page = (out / "models/a/one/index.html").read_text()
    assert '<img src="../../../static/logo.png" alt="">' in page
    assert '<a href="https://github.com/acme">GitHub</a>' in page
    assert '<a href="../../../tasks/index.html">Tasks</a>' in page
