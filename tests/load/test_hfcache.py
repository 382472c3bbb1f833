"""A Hugging Face cache folder as the source: models--org--name at refs/main, blob links followed and contained."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from conftest import build_site, card, formatted, png_bytes
from weightfiles import safetensors
from sitegen.load.discover import discover
from sitegen.load.repo import list_files
from sitegen.load.safeio import blob_of, open_file
from sitegen.report import Report

REV = "a" * 40
OLD = "b" * 40


def cached_model(hub: Path, folder: str, files: dict[str, bytes | str], rev: str = REV,
                 ref: bytes | None = None) -> Path:
    """A repo folder in the real layout: blobs/<sha256>, snapshots/<rev>/<path> a relative link
    to ../../blobs/<sha256> (one more ../ per subfolder), refs/main holding `rev` (no newline)."""
    repo = hub / folder
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        raw = data.encode() if isinstance(data, str) else data
        etag = hashlib.sha256(raw).hexdigest()
        (repo / "blobs" / etag).write_bytes(raw)
        link = repo / "snapshots" / rev / path
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to("../" * (path.count("/") + 2) + "blobs/" + etag)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_bytes(rev.encode() if ref is None else ref)
    return repo / "snapshots" / rev


def hub_cache(tmp_path: Path) -> Path:
    hub = tmp_path / "hub"
    cached_model(hub, "models--acme--vision", {
        "README.md": card("pipeline_tag: image-classification\nwidget:\n- src: images/cat.png\n",
                          "# Vision\n\n![cat](images/cat.png)\n"),
        "config.json": '{"model_type": "vit"}', "images/cat.png": png_bytes()})
    cached_model(hub, "models--gpt2", {"README.md": card("license: mit"), "model.safetensors": safetensors({"w": ("F32", [10, 50])})})
    cached_model(hub, "datasets--acme--data", {"README.md": card("license: mit")})
    cached_model(hub, "spaces--acme--demo", {"README.md": card("sdk: gradio")})
    (hub / ".locks" / "models--gpt2").mkdir(parents=True)
    (hub / "version.txt").write_text("1")
    (hub / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
    return hub


def ids(source: Path) -> tuple[list[str], list[str]]:
    report = Report()
    found = discover(source, report)
    return [r.id for r in found], [d.format() for d in report.sorted()]


def test_each_cached_model_is_one_model_at_refs_main(tmp_path: Path) -> None:
    hub = hub_cache(tmp_path)
    found, messages = ids(hub)
    assert found == ["acme/vision", "gpt2"]
    assert any("datasets--acme--data: info: a Hugging Face cache's dataset folder; skipped" in m for m in messages)
    assert any("spaces--acme--demo: info: a Hugging Face cache's space folder" in m for m in messages)
    assert not any("nested deeper" in m for m in messages)
    root = discover(hub, Report())[0].root
    assert root == hub / "models--acme--vision" / "snapshots" / REV
    # One model's folder as the source works too.
    assert ids(hub / "models--gpt2")[0] == ["gpt2"]


def test_the_site_shows_the_cached_files(tmp_path: Path) -> None:
    hub = hub_cache(tmp_path)
    built = build_site(hub, tmp_path / "site")
    assert not [m for m in formatted(built) if ": error:" in m or ": warning:" in m], formatted(built)
    page = (tmp_path / "site/models/acme/vision/index.html").read_text()
    assert "images/cat.png" in page and '<img src="files/images/cat.' in page
    published = list((tmp_path / "site/models/acme/vision/files/images").glob("cat.*.png"))
    assert len(published) == 1 and published[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gpt2 = (tmp_path / "site/models/gpt2/index.html").read_text()
    assert "model.safetensors" in gpt2 and "500 params" in gpt2  # its header read through the blob link


def test_the_newest_snapshot_without_refs_main(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    cached_model(hub, "models--acme--m", {"README.md": card("license: mit", "# Old\n")}, rev=OLD)
    old = hub / "models--acme--m" / "snapshots" / OLD
    os.utime(old, (time.time() - 1000, time.time() - 1000))
    cached_model(hub, "models--acme--m", {"README.md": card("license: mit", "# New\n")}, rev=REV)
    (hub / "models--acme--m" / "refs" / "main").unlink()
    report = Report()
    assert discover(hub, report)[0].root.name == REV
    assert any("newest" in d.message for d in report.items)


def test_hostile_refs(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    cases = {"models--a--dots": b"../../x", "models--a--slash": b"aaaa/bbbb",
             "models--a--huge": b"a" * 10_000_000, "models--a--gone": b"c" * 40}
    for folder, ref in cases.items():
        cached_model(hub, folder, {"README.md": card("license: mit")}, ref=ref)
    outside = tmp_path / "x"
    (outside / "snapshots").mkdir(parents=True)
    report = Report()
    found = discover(hub, report)
    # Each falls back to its one real snapshot, with a warning at refs/main.
    assert sorted(r.id for r in found) == ["a/dots", "a/gone", "a/huge", "a/slash"]
    assert all(r.root.parent.parent.name.startswith("models--a--") and r.root.name == REV for r in found)
    warned = [d.format() for d in report.items if d.level == "warning"]
    assert len(warned) == 4 and all("refs/main:1: warning:" in w for w in warned), warned
    assert any("has no folder in snapshots/" in w for w in warned)
    assert all(len(w) < 500 for w in warned)


def test_a_refs_main_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    cached_model(hub, "models--a--b", {"README.md": card("license: mit")})
    secret = tmp_path / "secret"
    secret.write_text(OLD)
    ref = hub / "models--a--b" / "refs" / "main"
    ref.unlink()
    ref.symlink_to(secret)
    report = Report()
    assert discover(hub, report)[0].root.name == REV
    assert any("not a regular file" in d.message for d in report.items)


def test_only_links_into_the_own_blobs_are_followed(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    snap = cached_model(hub, "models--acme--m", {"README.md": card("license: mit"), "ok.txt": "fine\n"})
    other = cached_model(hub, "models--acme--other", {"README.md": card("license: mit"), "theirs.txt": "x\n"})
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n")
    own_blob = next((hub / "models--acme--m" / "blobs").iterdir())
    their_blob = os.readlink(other / "theirs.txt").rsplit("/", 1)[1]
    links = {
        "absolute.txt": str(own_blob),  # into blobs/, but absolute
        "escape.txt": "../../../../secret.txt",
        "other_repo.txt": f"../../../models--acme--other/blobs/{their_blob}",
        "folder": "../../blobs",
        "loop.txt": "loop.txt",
        "chain.txt": "ok.txt",  # one hop only
        "dangling.txt": "../../blobs/" + "0" * 64,
    }
    for name, target in links.items():
        (snap / name).symlink_to(target)
    (snap / "sub").mkdir()
    (snap / "sub" / "linked_dir").symlink_to("../../../blobs")
    for name in [*links, "sub/linked_dir"]:
        assert blob_of(snap / name) is None, name
    assert blob_of(snap / "ok.txt") is not None
    with open_file(snap / "ok.txt") as fh:
        assert fh.read() == b"fine\n"
    listed = [f.path for f in list_files(snap)]
    assert listed == ["README.md", "ok.txt"]
    built = build_site(hub, tmp_path / "site")
    messages = formatted(built)
    for name in [*links, "sub/linked_dir"]:
        assert any(f"{snap}/{name}: warning: a symbolic link that does not lead to a file in this model's blobs/"
                   in m for m in messages), (name, messages)
    site = tmp_path / "site"
    assert not any(b"secret" in p.read_bytes() for p in site.rglob("*") if p.is_file())


def test_a_blob_link_elsewhere_than_a_cache_is_refused(tmp_path: Path) -> None:
    """A folder laid out like a snapshot but not under models--…/snapshots/: no exception."""
    repo = tmp_path / "src" / "acme" / "m"
    (repo / "blobs").mkdir(parents=True)
    (repo / "blobs" / "x").write_text("x\n")
    (repo / "README.md").write_text(card("license: mit"))
    (repo / "x.txt").symlink_to("blobs/x")
    assert blob_of(repo / "x.txt") is None
    assert [f.path for f in list_files(repo)] == ["README.md", "blobs/x"]


def test_a_card_link_to_a_blob_outside_is_refused(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    snap = cached_model(hub, "models--acme--m", {"README.md": card("license: mit", "# M\n\n![s](s.png)\n")})
    (tmp_path / "s.png").write_bytes(png_bytes())
    (snap / "s.png").symlink_to("../../../../s.png")
    built = build_site(hub, tmp_path / "site")
    assert any("README.md:" in m and "'s.png' leads outside the repo" in m for m in formatted(built))
    assert not list((tmp_path / "site/models/acme/m").glob("files/s.*"))


def test_a_model_in_a_clone_and_in_the_cache(tmp_path: Path) -> None:
    src = tmp_path / "src"
    cached_model(src, "models--acme--m", {"README.md": card("license: mit", "# From the cache\n")})
    clone = src / "acme" / "m"
    clone.mkdir(parents=True)
    (clone / "README.md").write_text(card("license: mit", "# From the clone\n"))
    report = Report()
    found = discover(src, report)
    assert [(r.id, r.root) for r in found] == [("acme/m", clone)]
    assert any("is also in" in d.message and "ordinary folder wins" in d.message for d in report.items)


def test_hidden_tool_folders_are_not_listed(tmp_path: Path) -> None:
    """`hf download --local-dir` keeps .cache/huggingface/, a clone .git/: neither is the repo's."""
    repo = tmp_path / "m"
    (repo / ".cache" / "huggingface" / "download").mkdir(parents=True)
    (repo / ".cache" / "huggingface" / "download" / "model.safetensors.metadata").write_text(f"{REV}\netag\n1.0\n")
    (repo / ".cache" / "huggingface" / ".gitignore").write_text("*")
    (repo / ".git" / "lfs" / "objects").mkdir(parents=True)
    (repo / ".git" / "config").write_text("[remote]\n url = https://user:token@example.com\n")
    (repo / "README.md").write_text(card("license: mit"))
    (repo / "model.safetensors").write_bytes(b"\0" * 300)
    assert [f.path for f in list_files(repo)] == ["README.md", "model.safetensors"]
    assert ids(tmp_path)[0] == ["m"]


def test_the_folder_above_the_cache_says_where_it_is(tmp_path: Path) -> None:
    hf_home = tmp_path / "huggingface"
    cached_model(hf_home / "hub", "models--gpt2", {"README.md": card("license: mit")})
    found, messages = ids(hf_home)
    assert found == []
    assert messages == [f"{hf_home}/hub: warning: a Hugging Face cache, skipped: give it as the source itself "
                        f"(sitegen build {hf_home}/hub)"]


def _age(folders: list[Path], when: float) -> None:
    for folder in folders:
        os.utime(folder, (when, when))


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_a_rebuild_reads_the_snapshot_refs_main_now_names(tmp_path: Path, how: str) -> None:
    """huggingface_hub rewrites refs/main in place (`Path.write_text`), which leaves the mtime of
    refs/ as it was; another tool may replace the file, which changes it. Both are seen."""
    hub = tmp_path / "hub"
    repo = hub / "models--acme--m"
    cached_model(hub, "models--acme--m", {"README.md": card("license: mit", "# First revision\n")}, rev=OLD)
    past = time.time() - 100  # not racy: the folders changed well before the builds
    quiet = [hub, repo, repo / "blobs", repo / "snapshots", repo / "snapshots" / OLD]
    _age([*quiet, repo / "refs"], past)
    build_site(hub, tmp_path / "site")
    assert "First revision" in (tmp_path / "site/models/acme/m/index.html").read_text()
    cached_model(hub, "models--acme--m", {"README.md": card("license: mit", "# Second revision\n")}, rev=REV)
    if how == "in place":
        (repo / "refs" / "main").write_text(REV)
    else:
        (repo / "refs" / "main.tmp").write_text(REV)
        os.replace(repo / "refs" / "main.tmp", repo / "refs" / "main")
    _age(quiet, past)  # only refs/ (replaced) or refs/main (in place) is seen to change
    _age([repo / "refs", repo / "snapshots" / REV], past + 50 if how == "replaced" else past)
    build_site(hub, tmp_path / "site")
    page = (tmp_path / "site/models/acme/m/index.html").read_text()
    assert "Second revision" in page and "First revision" not in page


def test_a_snapshot_folder_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    cached_model(hub, "models--acme--m", {"config.json": "{}"}, rev=OLD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "README.md").write_text(card("license: mit", "# Not from the cache\n"))
    (hub / "models--acme--m" / "snapshots" / REV).symlink_to(elsewhere)
    (hub / "models--acme--m" / "refs" / "main").write_text(REV)
    report = Report()
    found = discover(hub, report)
    assert [r.root.name for r in found] == [OLD]  # the real snapshot, never the linked one
    assert any("refs/main:1: warning: refs/main names commit" in d.format() for d in report.items)


def test_one_snapshot_as_the_source_keeps_the_model_id(tmp_path: Path) -> None:
    snap = cached_model(tmp_path / "hub", "models--acme--m", {"README.md": card("license: mit")})
    assert ids(snap) == (["acme/m"], [])
    assert [f.path for f in list_files(snap)] == ["README.md"]
