"""The incremental build (Config(cache=True)): a rebuild into the same output re-renders only
what changed, moves it in through a committed journal, deletes what went away, and must give
exactly the bytes a cold build (cache=False) gives for the same source."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import card, formatted, make_repo, png_bytes

from sitegen import actions, cache, fingerprint, manifest, recovery, write
from sitegen.build import Result, build
from sitegen.config import Config
from sitegen.report import Report
from sitegen.theme import DEFAULT

DAY = 86_400
T0 = 1_704_067_200  # 2024-01-01 00:00 UTC: every source file starts dated this day
EPOCH = 1_600_000_000  # 2020-09-13: with source_date_epoch, no page shows a later day

BASE = card("""
pipeline_tag: text-classification
license: mit
tags: [nlp, english]
widget:
- text: I love it
  output: [{label: POSITIVE, score: 0.9}, {label: NEGATIVE, score: 0.1}]
""", "# Base\n\nThe base model everyone fine-tunes.\n\n## Details\n\nTrained on reviews.\n")
CHILD = card("""
pipeline_tag: text-classification
base_model: acme/base
tags: [nlp]
""", "# Child\n\nA fine-tune of the base model.\n")
VISION = card("""
pipeline_tag: image-classification
license: apache-2.0
tags: [vision]
widget:
- src: img.png
  output: [{label: cat, score: 0.8}, {label: dog, score: 0.2}]
""", "# Vision\n\nSees cats.\n")
GEN = card("pipeline_tag: text-generation\nlibrary_name: transformers",
           "# Generator\n\nWrites text.\n")
RARE = card("tags: [rare-tag, nlp]", "# Rare\n\nThe only model with a rare tag.\n")
PLAIN = card("license: cc-by-4.0", "# Plain\n\nNothing special.\n")
NEWER = card("new_version: acme/base\nbase_model: [acme/base, elsewhere/other]",
             "# Old one\n\nSuperseded.\n")
SOLO = card("pipeline_tag: fill-mask", "# Solo\n\nA model without an org.\n")


def make_source(src: Path) -> Path:
    """Eight small repos: tags, a base model and a new_version relation, an image widget, a
    config.json, a repo without an org; every file dated T0."""
    make_repo(src, "acme/base", BASE)
    make_repo(src, "acme/child", CHILD, {"config.json": json.dumps({"model_type": "bert"})})
    make_repo(src, "acme/vision", VISION, {"img.png": png_bytes(16, 12, (200, 30, 30))})
    make_repo(src, "acme/gen", GEN, {"config.json": json.dumps({"model_type": "gpt2", "n_layer": 2})})
    make_repo(src, "lab/rare", RARE)
    make_repo(src, "lab/plain", PLAIN)
    make_repo(src, "lab/old", NEWER)
    make_repo(src, "solo", SOLO)
    date_all(src, T0)
    return src


def date_all(folder: Path, when: float) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a site (hidden ones too) by its path inside it."""
    out = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def changed_paths(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The pages and files that changed; not the marker, which names the inputs of the whole
    site and so changes with any of them (carry.py; tests/test_carry.py)."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p) and p != ".sitegen-site"}


def assert_same_site(a: Path, b: Path) -> None:
    """The two folders hold the same files with the same bytes (and no empty folders differ)."""
    sa, sb = snapshot(a), snapshot(b)
    only_a, only_b = sorted(sa.keys() - sb.keys()), sorted(sb.keys() - sa.keys())
    differ = sorted(p for p in sa.keys() & sb.keys() if sa[p] != sb[p])
    assert (only_a, only_b, differ) == ([], [], []), \
        f"incremental vs cold: only incremental {only_a}, only cold {only_b}, different {differ}"
    dirs_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_dir()}
    dirs_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_dir()}
    assert dirs_a == dirs_b, f"folders: only incremental {sorted(dirs_a - dirs_b)}, only cold {sorted(dirs_b - dirs_a)}"
    assert {".nojekyll", ".sitegen-site", "index.html"} <= sa.keys()


def run(config: Config, **changes: object) -> Result:
    return build(dataclasses.replace(config, **changes))


def cold_equals(config: Config, out: Path, fresh: Path) -> Result:
    """Build cold into `fresh` and check `out` holds the same site; return the cold result."""
    cold = run(config, output=fresh, cache=False)
    assert_same_site(out, fresh)
    return cold


def page(out: Path, repo_id: str) -> str:
    return (out / "models" / repo_id / "index.html").read_text(encoding="utf-8")


def links_to(html: str, repo_id: str) -> bool:
    return re.search(rf'href="[./]*models/{re.escape(repo_id)}/index\.html"', html) is not None


# --- 1. the "done when" -------------------------------------------------------------------


def _edit_body(src: Path) -> None:
    readme = src / "lab/plain/README.md"
    readme.write_text(readme.read_text().replace("Nothing special.", "Nothing special at all, really."))


def _edit_tags(src: Path) -> None:
    readme = src / "acme/gen/README.md"
    readme.write_text(readme.read_text().replace("library_name: transformers",
                                                 "library_name: transformers\ntags: [nlp, fresh-tag]"))


def _add_repo(src: Path) -> None:
    make_repo(src, "lab/added", card("pipeline_tag: text-classification\ntags: [added]\nbase_model: solo",
                                     "# Added\n\nA new model.\n"))


def _remove_repo(src: Path) -> None:
    shutil.rmtree(src / "lab/rare")  # the only model tagged rare-tag


def _replace_image(src: Path) -> None:
    (src / "acme/vision/img.png").write_bytes(png_bytes(16, 12, (30, 200, 30)))


def _touch_same_day(src: Path) -> None:
    os.utime(src / "acme/child/README.md", (T0 + 3600, T0 + 3600))


def _touch_now(src: Path) -> None:
    os.utime(src / "lab/old/README.md")  # a new day on the page: lists show it too


def _remove_base(src: Path) -> None:
    (src / "acme/base").rename(src.parent / "base-aside")


def _add_base_back(src: Path) -> None:
    (src.parent / "base-aside").rename(src / "acme/base")


def _break_base(src: Path) -> None:
    readme = src / "acme/base/README.md"
    readme.write_text("---\nlicense: [unclosed\n---\n# Base\n")


def _fix_base(src: Path) -> None:
    (src / "acme/base/README.md").write_text(BASE)


def _change_config(src: Path) -> None:
    (src / "acme/gen/config.json").write_text(json.dumps({"model_type": "llama", "n_layer": 2}))


def _drop_image(src: Path) -> None:
    (src / "acme/vision/README.md").write_text(card("pipeline_tag: image-classification\ntags: [vision]",
                                                    "# Vision\n\nNo examples any more.\n"))
    (src / "acme/vision/img.png").unlink()


def _remove_solo(src: Path) -> None:  # lab/added names it as its base model
    (src / "solo/README.md").unlink()
    (src / "solo").rmdir()


def _add_grandchild(src: Path) -> None:  # a chain: lab/grand -> acme/child -> acme/base
    make_repo(src, "lab/grand", card("pipeline_tag: text-classification\nbase_model: acme/child\ndatasets: [glue]",
                                     "# Grand\n\nA fine-tune of a fine-tune.\n"))


def _rebase_child(src: Path) -> None:  # the base model's page loses it, acme/gen's gains it, lab/grand's chain moves
    readme = src / "acme/child/README.md"
    readme.write_text(readme.read_text().replace("base_model: acme/base", "base_model: acme/gen"))


def _child_as_adapter(src: Path) -> None:
    readme = src / "acme/child/README.md"
    readme.write_text(readme.read_text().replace("base_model: acme/gen", "base_model: acme/gen\nbase_model_relation: adapter"))


def _rename_base(src: Path) -> None:  # acme/child's base is now outside the catalog
    (src / "acme/gen").rename(src / "acme/gen-v2")


def _remove_child(src: Path) -> None:
    shutil.rmtree(src / "acme/child")


def _make_cycle(src: Path) -> None:  # lab/grand <-> lab/plain, and lab/rare names itself
    for name, base in (("lab/grand", "lab/plain"), ("lab/plain", "lab/grand")):
        readme = src / name / "README.md"
        text = re.sub(r"base_model: \S+\n", "", readme.read_text())
        readme.write_text(text.replace("---\n", f"---\nbase_model: {base}\n", 1))
    make_repo(src, "lab/rare", card("base_model: lab/rare\ndatasets: [glue, ../x, 'javascript:alert(1)']", "# Rare\n"))


STEPS = [_edit_body, _edit_tags, _add_repo, _remove_repo, _replace_image, _touch_same_day, _touch_now,
         _remove_base, _add_base_back, _break_base, _fix_base, _change_config, _drop_image, _remove_solo,
         _add_grandchild, _rebase_child, _child_as_adapter, _rename_base, _remove_child, _make_cycle]


@pytest.mark.parametrize("jobs,at_a_glance", [(1, False), (2, False), (1, True)])
def test_incremental_output_is_byte_identical_to_a_cold_build(tmp_path: Path, jobs: int, at_a_glance: bool,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the issue's "done when": after each of a sequence of edits, additions and
    removals, the incremental build's folder equals a cold build's, file for file and byte for
    byte (dot files included), with the same diagnostics; with and without worker processes.

    at_a_glance: folders and files are trusted from their stats as soon as the walk that saw
    them has begun (not two seconds later), so every build here takes the quick path that
    lists no unchanged folder."""
    if at_a_glance:
        monkeypatch.setattr(cache, "RACY_NS", 0)
    src = make_source(tmp_path / "src")
    out = tmp_path / "a"
    config = Config(source=src, output=out, jobs=jobs, cache=True, base_url="https://example.org/models")
    first = run(config)
    assert first.report.errors == 0, formatted(first)
    cold_equals(config, out, tmp_path / "b-0")
    for n, step in enumerate(STEPS, 1):
        step(src)
        warm = run(config)
        cold = cold_equals(config, out, tmp_path / f"b-{n}")
        assert formatted(warm) == formatted(cold), step.__name__
        assert [m.id for m in warm.site.models] == [m.id for m in cold.site.models], step.__name__
        # The size kept up to date from the files changed is what a walk of the site measures.
        assert (warm.size, cold.size) == (actions.site_size(out), actions.site_size(tmp_path / f"b-{n}")), \
            step.__name__
        if step is _touch_same_day:  # same bytes, same day on the page
            assert warm.changed == 0
        else:
            assert warm.changed > 0, f"{step.__name__}: nothing was written"
    again = run(config)
    assert again.changed == 0
    assert again.size == actions.site_size(out)


def date_tree(folder: Path, when: float) -> None:
    """Date every file and folder under (and including) `folder`."""
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (when, when))


def test_an_unchanged_tree_is_not_listed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the quick path of a rebuild: when no folder's mtime moved, discovery is not run
    and no repo is listed (a stat per folder and per file instead); an edited card has only its
    own repo listed, and a new repo makes discovery run again."""
    from sitegen import plan as plan_module
    src = make_source(tmp_path / "src")
    date_tree(src, T0)
    config = Config(source=src, output=tmp_path / "out", jobs=1)
    run(config)
    calls: list[str] = []
    real_list, real_discover = plan_module.list_files, plan_module.discover
    monkeypatch.setattr(plan_module, "list_files", lambda root, *a: calls.append(Path(root).name) or real_list(root, *a))
    monkeypatch.setattr(plan_module, "discover", lambda *a: calls.append("discover") or real_discover(*a))
    again = run(config)
    assert (calls, again.changed, len(again.site.models)) == ([], 0, 8)
    readme = src / "lab/plain/README.md"
    readme.write_text(readme.read_text().replace("Nothing special.", "Something special."))
    os.utime(readme, (T0 + DAY, T0 + DAY))  # not racy: the next build may trust its stat
    edited = run(config)
    assert calls == ["plain"] and edited.changed > 0
    assert "Something special." in page(config.output, "lab/plain")
    calls.clear()
    _add_repo(src)
    added = run(config)
    assert calls[0] == "discover" and "added" in calls and "plain" not in calls
    assert (config.output / "models/lab/added/index.html").is_file() and added.report.errors == 0


def test_a_rewrite_that_keeps_size_and_mtime_is_seen_while_racy(tmp_path: Path) -> None:
    """Protects the racy-entry rule: a file changed in the same mtime tick as the walk that saw
    it (here: rewritten with the same size and its old mtime put back) is not trusted from its
    stat by the next build, which reads its content and rebuilds the page."""
    src = tmp_path / "src"
    make_repo(src, "acme/fresh", card("license: mit", "# Fresh\n\nVersion AAAA.\n"))
    config = Config(source=src, output=tmp_path / "out", jobs=1)
    run(config)
    readme = src / "acme/fresh/README.md"
    st = readme.stat()
    readme.write_text(readme.read_text().replace("AAAA", "BBBB"))
    os.utime(readme, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert run(config).changed > 0
    assert "Version BBBB." in page(config.output, "acme/fresh")


# --- 2. a rebuild writes only what changed ---------------------------------------------------------


def test_a_rebuild_without_changes_writes_nothing(tmp_path: Path) -> None:
    """Protects the cheap no-change rebuild: nothing written or deleted, every output file keeps
    its mtime (a watcher or rsync sees no change)."""
    src = make_source(tmp_path / "src")
    config = Config(source=src, output=tmp_path / "out", jobs=1, source_date_epoch=EPOCH)
    assert run(config).changed > 0
    before, stamps = snapshot(tmp_path / "out"), mtimes(tmp_path / "out")
    time.sleep(0.01)
    result = run(config)
    assert result.changed == 0
    assert mtimes(tmp_path / "out") == stamps
    assert snapshot(tmp_path / "out") == before
    assert len(result.site.models) == 8 and result.report.errors == 0
    os.utime(src / "lab/plain/README.md")  # touched, not changed
    assert run(config).changed == 0
    assert mtimes(tmp_path / "out") == stamps


def test_a_body_edit_rewrites_only_that_page(tmp_path: Path) -> None:
    """Protects the point of the cache: an edit below the card's first paragraph (its summary
    in the lists) rewrites that model's page and nothing else; an edit of the summary also
    rewrites the pages that list the model, and no other model's page."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1, source_date_epoch=EPOCH)
    run(config)
    before = snapshot(out)
    readme = src / "acme/base/README.md"
    readme.write_text(readme.read_text().replace("Trained on reviews.", "Trained on many reviews."))
    result = run(config)
    after = snapshot(out)
    assert changed_paths(before, after) == {"models/acme/base/index.html"}
    assert result.changed == 1
    assert "Trained on many reviews." in after["models/acme/base/index.html"].decode()
    cold_equals(config, out, tmp_path / "cold-1")

    readme.write_text(readme.read_text().replace("everyone fine-tunes", "everyone builds on"))
    run(config)
    changed = changed_paths(after, snapshot(out))
    assert "models/acme/base/index.html" in changed
    assert {"index.html", "search-index.js", "tags/nlp/index.html", "tags/english/index.html",
            "tasks/text-classification/index.html"} <= changed
    assert not any(p.startswith("models/") and p != "models/acme/base/index.html" for p in changed), changed
    assert "tags/vision/index.html" not in changed  # a listing that does not show it
    cold_equals(config, out, tmp_path / "cold-2")


def test_a_childs_edit_rerenders_its_parents_and_nothing_else(tmp_path: Path) -> None:
    """Protects the model tree's dependency (issue 16): a base model's page lists its children
    and a model's page its ancestors, so editing a child's base_model makes again the pages of
    its old and new parents and of its own children (whose chain moved), and no other model's
    page; an edit of the child's body makes only its own page again."""
    src = make_source(tmp_path / "src")
    _add_grandchild(src)
    date_all(src, T0)
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1, source_date_epoch=EPOCH)
    run(config)
    assert links_to(page(out, "acme/base"), "acme/child") and links_to(page(out, "lab/grand"), "acme/base")
    before = snapshot(out)
    readme = src / "acme/child/README.md"
    readme.write_text(readme.read_text() + "\nMore words below the summary.\n")
    run(config)
    after = snapshot(out)
    assert changed_paths(before, after) == {"models/acme/child/index.html"}

    _rebase_child(src)
    run(config)
    changed = changed_paths(after, snapshot(out))
    models = {p for p in changed if p.startswith("models/")}
    assert models == {f"models/{m}/index.html" for m in ("acme/child", "acme/base", "acme/gen", "lab/grand")}
    assert {"bases/acme/base/index.html", "bases/acme/gen/index.html"} <= changed
    assert not links_to(page(out, "acme/base"), "acme/child") and links_to(page(out, "acme/gen"), "acme/child")
    assert links_to(page(out, "lab/grand"), "acme/gen") and not links_to(page(out, "lab/grand"), "acme/base")
    cold_equals(config, out, tmp_path / "cold")


# --- 3. removals -----------------------------------------------------------------------------------


def test_a_removed_model_and_its_last_tag_disappear(tmp_path: Path) -> None:
    """Protects deletion: a removed model's folder (with its widget files) leaves the site, a
    tag or task no model has any more loses its listing page, and no list links it."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    assert (out / "models/lab/rare/index.html").is_file() and (out / "tags/rare-tag/index.html").is_file()
    assert (out / "tasks/image-classification/index.html").is_file()
    assert any((out / "models/acme/vision").rglob("*.png"))
    shutil.rmtree(src / "lab/rare")
    shutil.rmtree(src / "acme/vision")  # the only image-classification model, and its image
    result = run(config)
    assert result.changed > 0
    assert not (out / "models/lab/rare").exists()
    assert not (out / "models/acme/vision").exists()
    assert not (out / "tags/rare-tag").exists()
    assert not (out / "tags/vision").exists()
    assert not (out / "tasks/image-classification").exists()
    assert (out / "tags/nlp/index.html").is_file()  # still has models
    index = (out / "index.html").read_text() + (out / "search-index.js").read_text()
    assert "lab/rare" not in index and "acme/vision" not in index
    cold_equals(config, out, tmp_path / "cold")
    shutil.rmtree(src / "solo")  # the last model without an org; lab/ still has two
    run(config)
    assert not (out / "models/solo").exists() and (out / "models/lab").is_dir()
    cold_equals(config, out, tmp_path / "cold-2")


# --- 4. site settings ------------------------------------------------------------------------------


def test_a_new_title_rebuilds_every_page(tmp_path: Path) -> None:
    """Protects the site key: the title is on every page, so a new one must reach them all,
    kept models included."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1, title="First Title")
    run(config)
    config = dataclasses.replace(config, title="Second Title")
    result = run(config)
    assert result.report.errors == 0
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 8
    for path in pages:
        text = path.read_text()
        assert "First Title" not in text, path
    for repo_id in ("acme/base", "acme/child", "acme/vision", "acme/gen", "lab/rare", "lab/plain",
                    "lab/old", "solo"):
        assert "Second Title" in page(out, repo_id), repo_id
    cold_equals(config, out, tmp_path / "cold")


def test_a_theme_change_rebuilds_every_page(tmp_path: Path) -> None:
    """Protects the site key: a user theme's template edited between builds (same theme
    folder, same Config) is seen by every page, and a static file added to it is copied."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    template = theme / "templates" / "base.html"
    default = (DEFAULT / "templates" / "base.html").read_text()
    assert "Made with sitegen." in default
    template.write_text(default)  # the same as the default, at first
    config = Config(source=src, output=out, jobs=1, theme=theme)
    run(config)
    first = snapshot(out)
    template.write_text(default.replace("Made with sitegen.", "Made with THEMED sitegen."))
    (theme / "static").mkdir()
    (theme / "static" / "extra.css").write_text("body { color: red }\n")
    result = run(config)
    assert result.report.errors == 0
    html = [p for p in out.rglob("*.html") if "Made with" in first[p.relative_to(out).as_posix()].decode()]
    assert len(html) > 8
    for path in html:
        assert "THEMED" in path.read_text(), path
    assert (out / "static/extra.css").read_text() == "body { color: red }\n"
    assert changed_paths(first, snapshot(out)) >= {f"models/{i}/index.html" for i in ("acme/base", "solo")}
    cold_equals(config, out, tmp_path / "cold")


# --- 5. when the manifest cannot be trusted --------------------------------------------------------


def test_the_manifest_is_ignored_after_the_output_was_replaced(tmp_path: Path) -> None:
    """Protects against a stale manifest: after a --no-cache build swapped in another site, the
    manifest of the build before must not be used (were it used, reverting the source to what
    it described would look like 'nothing changed' and keep the other site's page)."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    readme = src / "lab/plain/README.md"
    original = readme.read_bytes()
    readme.write_text(readme.read_text().replace("Nothing special.", "Replaced by a cold build."))
    run(config, cache=False)
    assert "Replaced by a cold build." in page(out, "lab/plain")
    readme.write_bytes(original)
    os.utime(readme, (T0, T0))  # exactly as the manifest saw it
    run(config)
    assert "Replaced by a cold build." not in page(out, "lab/plain")
    cold_equals(config, out, tmp_path / "cold")


def test_the_manifest_is_ignored_when_another_site_was_moved_into_the_output(tmp_path: Path) -> None:
    """Protects the marker check: a site built elsewhere and moved over the output (a CI
    artifact unpacked, a folder swapped by hand) leaves the manifest beside it describing the
    old site; reverting the source to what that manifest describes must not look like 'nothing
    changed'."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    manifest = cache.path_for(out).read_bytes()
    readme = src / "lab/plain/README.md"
    original = readme.read_bytes()
    readme.write_text(readme.read_text().replace("Nothing special.", "Built elsewhere."))
    run(config, output=tmp_path / "elsewhere", cache=False)
    shutil.rmtree(out)
    (tmp_path / "elsewhere").rename(out)
    assert cache.path_for(out).read_bytes() == manifest  # still the old site's
    readme.write_bytes(original)
    os.utime(readme, (T0, T0))
    run(config)
    assert "Built elsewhere." not in page(out, "lab/plain")
    cold_equals(config, out, tmp_path / "cold")


def test_the_manifest_is_ignored_after_another_source_was_built_into_the_output(tmp_path: Path) -> None:
    """Protects against a stale manifest: a cold build of another source into the same output
    in between, then an incremental build of the first source gives the first source's site."""
    src = make_source(tmp_path / "src")
    other = tmp_path / "other"
    make_repo(other, "zzz/alien", card("tags: [alien]", "# Alien\n\nFrom elsewhere.\n"))
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    run(config, source=other, cache=False)
    assert (out / "models/zzz/alien/index.html").is_file()
    run(config)
    assert not (out / "models/zzz/alien").exists()
    cold_equals(config, out, tmp_path / "cold")


@pytest.mark.parametrize("garbage", [b"", b"not json at all\x00\xff", b'{"format": 6, "site": "trunc',
                                     b'{"site": "x"}', b'[1, 2]', b"cut"])
def test_a_damaged_manifest_means_a_full_build(tmp_path: Path, garbage: bytes) -> None:
    """Protects the build from its own cache file: garbage, truncated JSON, another object,
    a manifest of other settings or one cut short is ignored, and the build is complete and
    correct."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    _edit_body(src)
    if garbage == b"cut":
        garbage = cache.path_for(out).read_bytes()[:-100]
    cache.path_for(out).write_bytes(garbage)
    result = run(config)
    assert result.report.errors == 0 and len(result.site.models) == 8
    assert "Nothing special at all, really." in page(out, "lab/plain")
    cold_equals(config, out, tmp_path / "cold")
    assert run(config).changed == 0  # and the manifest it wrote is good again


def test_a_deleted_output_is_built_whole_again(tmp_path: Path) -> None:
    """Protects the marker check's simplest case: the output folder removed by hand while its
    manifest stays beside it; the next build must write the whole site, not 'nothing changed'."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    shutil.rmtree(out)
    assert cache.path_for(out).is_file()
    result = run(config)
    assert result.changed > 8 and (out / "models/solo/index.html").is_file()
    cold_equals(config, out, tmp_path / "cold")


def test_deleting_the_manifest_forces_a_full_build(tmp_path: Path) -> None:
    """Protects the documented way out: without the manifest file the next build is a full one,
    so a page deleted by hand from the output comes back."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    manifest.forget(out)  # what a user does to force a full build
    (out / "models/solo/index.html").unlink()
    run(config)
    assert (out / "models/solo/index.html").is_file()


# --- 6. the journal ------------------------------------------------------------------------------


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    for _ in range(20):
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        if not recovery._alive(child.pid):
            return child.pid
    pytest.skip("could not find a free pid")


def recorded(out: Path, kind: str, pid: int) -> tuple[Path, Path]:
    """(a folder name beside `out` for a build of process `pid`, recorded as the build records
    it; the state folder)."""
    state = cache.state_dir(out)
    return recovery.sibling(out.absolute(), kind, state, recovery.marker_of(out), pid=pid), state


def test_recover_finishes_a_committed_update(tmp_path: Path) -> None:
    """Protects crash safety: a committed apply folder left by a dead build is rolled forward
    by recover(): its files are moved into the live site, the journal's paths deleted (and
    folders left empty with them), and the apply folder removed."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    run(Config(source=src, output=out, jobs=1))
    assert (out / "tags/rare-tag/index.html").is_file()
    committed, state = recorded(out, "apply", dead_pid())
    (committed / "models/lab/plain").mkdir(parents=True)
    (committed / "models/lab/plain/index.html").write_bytes(b"<p>new page</p>")
    (committed / "models/lab/brand-new").mkdir(parents=True)
    (committed / "models/lab/brand-new/index.html").write_bytes(b"<p>brand new</p>")
    (committed / recovery.JOURNAL).write_text("tags/rare-tag/index.html\nmodels/lab/rare/index.html\n")
    assert recovery.recover(out, state) == []
    assert (out / "models/lab/plain/index.html").read_bytes() == b"<p>new page</p>"
    assert (out / "models/lab/brand-new/index.html").read_bytes() == b"<p>brand new</p>"
    assert not (out / "tags/rare-tag").exists()
    assert not (out / "models/lab/rare").exists()
    assert not (out / recovery.JOURNAL).exists()
    assert not committed.exists() and not list((state / recovery.STAGED).iterdir())  # and its record is gone
    assert (out / "index.html").is_file() and (out / write.MARKER).is_file()


def test_recover_leaves_the_update_of_a_live_build(tmp_path: Path) -> None:
    """Protects a running build from another: an apply folder whose process is alive is not
    touched."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    run(Config(source=src, output=out, jobs=1))
    before = snapshot(out)
    live, state = recorded(out, "apply", os.getpid())
    (live / "models/lab/plain").mkdir(parents=True)
    (live / "models/lab/plain/index.html").write_bytes(b"half")
    (live / recovery.JOURNAL).write_text("index.html\n")
    assert recovery.recover(out, state) == []
    assert live.is_dir() and snapshot(out) == before


def test_a_build_killed_after_committing_is_finished_by_the_next(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects crash safety end to end: a build dies right after committing its update (the
    apply folder renamed, nothing moved yet); the next build rolls it forward and the site is
    then exactly a cold build's."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    _edit_tags(src)
    _remove_repo(src)

    class Killed(BaseException):
        pass

    def die(committed: Path, output: Path) -> None:
        raise Killed()

    monkeypatch.setattr(write, "roll_forward", die)
    with pytest.raises(Killed):
        run(config)
    monkeypatch.undo()
    [mine] = tmp_path.glob(f".out.sitegen-apply-{os.getpid()}-*")
    assert (mine / recovery.JOURNAL).is_file(), "the update was not committed before the crash"
    assert not cache.path_for(out).exists(), "the manifest must be dropped before the site changes"
    state = cache.state_dir(out)
    [record] = (state / recovery.STAGED).iterdir()
    assert record.name == mine.name  # recorded before it was made
    dead = mine.name.replace(f"-{os.getpid()}-", f"-{dead_pid()}-")  # as if this process had died
    mine.rename(tmp_path / dead)
    record.rename(record.with_name(dead))
    recovery.recover(out, state)
    assert not list(tmp_path.glob(".out.sitegen-apply-*"))
    cold_equals(config, out, tmp_path / "cold")
    run(config)  # and a build after it is a full one that agrees
    cold_equals(config, out, tmp_path / "cold-2")


# --- 7. serve --------------------------------------------------------------------------------------


def test_serve_rebuilds_through_the_incremental_build(tmp_path: Path) -> None:
    """Protects the preview: a card edit is picked up by Preview.rebuild() writing only a few
    files, and the page under the preview's root shows the edit."""
    from sitegen.serve import Preview

    src = make_source(tmp_path / "src")
    preview = Preview(Config(source=src, jobs=1))
    try:
        preview.rebuild()
        assert preview.result is not None and len(preview.result.site.models) == 8
        first = preview.result.changed
        target = preview.root / "models/lab/plain/index.html"
        assert "Nothing special." in target.read_text()
        preview.rebuild()
        assert preview.result.changed == 0
        _edit_body(src)
        line = preview.rebuild()
        assert "Nothing special at all, really." in target.read_text()
        assert 1 <= preview.result.changed <= 6 < first, line
        assert preview.problems == []
        assert cache.path_for(preview.root).is_file()
    finally:
        preview.close()
    assert not preview.root.exists()
    assert not cache.state_path(preview.root).exists()  # its state goes with it


def test_a_new_source_date_epoch_redates_the_pages(tmp_path: Path) -> None:
    """Protects reproducible dates: building again with SOURCE_DATE_EPOCH set (or changed) must
    give the pages the cold build gives, not the dates of the build before."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    assert "2024-01-01" in page(out, "solo")
    config = dataclasses.replace(config, source_date_epoch=EPOCH)
    run(config)
    assert "2020-09-13" in page(out, "solo")
    cold_equals(config, out, tmp_path / "cold")


def test_compiled_templates_are_kept_and_a_broken_template_cache_is_harmless(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the template bytecode cache: compiled templates land in $XDG_CACHE_HOME/sitegen,
    and a cache folder that cannot be made, or vanishes under a build (another sitegen version
    pruning it), never costs a model its page."""
    from sitegen import theme
    src = make_source(tmp_path / "src")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    theme._environment.cache_clear()
    assert run(Config(source=src, output=tmp_path / "a")).report.errors == 0
    assert list((tmp_path / "cache/sitegen").glob("templates-*/__jinja2_*.cache"))

    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    theme._environment.cache_clear()
    assert run(Config(source=src, output=tmp_path / "b")).report.errors == 0

    real = theme._bytecode_cache

    def vanishing() -> object:
        cache_ = real()
        shutil.rmtree(cache_.directory)
        return cache_
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache2"))
    monkeypatch.setattr(theme, "_bytecode_cache", vanishing)
    theme._environment.cache_clear()
    result = run(Config(source=src, output=tmp_path / "c"))
    assert result.report.errors == 0 and len(result.site.models) == 8
    assert_same_site(tmp_path / "a", tmp_path / "c")
    theme._environment.cache_clear()


def test_a_rebuild_after_one_edit_encodes_one_shard_of_the_manifest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the cheap manifest save: records kept from the last build are written back as
    the lines they were loaded from, so an edit encodes only the shard holding its repo (its
    records, and their entries apart; discovery, unchanged, is not encoded again; the head
    always is), and the manifest so written loads to the same records and entries."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # the test's files are seconds old: trust them
    src = make_source(tmp_path / "src")
    config = Config(source=src, output=tmp_path / "out", jobs=1)
    run(config)
    encoded: list[object] = []
    real = manifest._dumps
    monkeypatch.setattr(manifest, "_dumps", lambda obj: encoded.append(obj) or real(obj))
    _edit_body(src)
    run(config)
    edited = str(src / "lab/plain")
    assert len(encoded) == 3, "one shard's records and entries, and the head"
    columns, entries, head = encoded
    assert isinstance(columns, list) and isinstance(entries, dict) and isinstance(head, dict)
    assert edited in columns[0] and edited in entries and set(columns[0]) >= entries.keys()
    assert "format" in head
    monkeypatch.undo()
    loaded = manifest.load(config.output, fingerprint.site_key(config), src, Report())
    assert loaded is not None and sorted(loaded.records) == sorted(str(p.parent) for p in src.glob("**/README.md"))
    assert loaded.entry(edited).summary == "Nothing special at all, really."
    assert all(loaded.entry(shown).id == r.id for shown, r in loaded.records.items() if r.built)
    assert "Nothing special at all" in page(config.output, "lab/plain")
