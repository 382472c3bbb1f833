"""Holes a red-team review of issue 20 found after the fixes were merged: each test builds the
hostile repo it describes in a tmp dir and fails on the code before its fix."""
from __future__ import annotations

import http.client
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import build_site, card, formatted, make_repo, png_bytes

import sitegen.build
import sitegen.make
import sitegen.fingerprint
import sitegen.markdown.body
import sitegen.theme
from sitegen.config import Config
from sitegen.server import make_server


def test_long_file_names_build_as_they_check(tmp_path: Path) -> None:
    """A repo file whose name takes most of the file system's 255 bytes passes `check`; the
    digest the build adds to its published name must not push it past what a file system
    holds (the build skipped the model, 'sitegen failed on this card')."""
    image, doc, bare = "a" * 245 + ".png", "b" * 248 + ".txt", "c" * 250
    make_repo(tmp_path / "src", "m", card("license: mit", f"# M\n\n![x]({image})\n\n[t]({doc}) [u]({bare})\n"),
              {image: png_bytes(4, 4), doc: "hello", bare: "plain"})
    checked = build_site(tmp_path / "src")
    built = build_site(tmp_path / "src", tmp_path / "out")
    assert formatted(checked) == formatted(built) == []
    published = [p for p in (tmp_path / "out" / "models" / "m").rglob("*") if p.is_file()]
    names = sorted(p.name for p in published if p.parent.name in ("files", "thumbs"))
    assert len(names) == 4 and all(len(n.encode()) <= 210 for n in names)
    page = (tmp_path / "out" / "models" / "m" / "index.html").read_text(encoding="utf-8")
    linked = [p.name for p in published if p.parent.name == "files"]
    assert len(linked) == 3 and all(f"files/{n}" in page for n in linked)


def _get(port: int, host: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/", headers={"Host": host})
    status = conn.getresponse().status
    conn.close()
    return status


def test_a_preview_open_to_the_network_answers_no_other_site_by_dns_rebinding(tmp_path: Path) -> None:
    """`sitegen serve --host 0.0.0.0` (in a container, a VM) answered any Host: a web page at
    evil.example whose name is pointed at this machine read the preview as its own page."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><head></head>models</html>")
    preview = SimpleNamespace(root=tmp_path / "site", version=1)
    server = make_server(preview, "0.0.0.0", 0)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", "", "localhost.evil",
                     f"127.0.0.1:{port}@evil.example"):
            assert _get(port, host) == 403, host
        own = socket.gethostname()
        for host in (f"127.0.0.1:{port}", f"192.168.1.5:{port}", f"[::1]:{port}", "[fe80::1]",
                     f"localhost:{port}", f"{own}:{port}", f"{own}.local:{port}"):
            assert _get(port, host) == 200, host
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("code", ["{{ 1/0 }}", "{{ 10**5000 }}", "{{ 'a' - 1 }}"])
def test_a_theme_that_fails_is_the_themes_located_error(tmp_path: Path, run_cli: Any, command: str,
                                                        code: str) -> None:
    """A theme's own code failing (a theme a cloned site repo ships) ended sitegen with a
    traceback: a number too long to print fails while Jinja compiles, `1/0` while it renders."""
    make_repo(tmp_path / "src", "m", card("license: mit"))
    templates = tmp_path / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "index.html").write_text('{% extends "default/index.html" %}{% block main %}'
                                          + code + "{% endblock %}")
    out = ["-o", tmp_path / "out"] if command == "build" else []
    (tmp_path / "site.yaml").write_text("theme: theme\n")  # `check` has no --theme
    run = run_cli([command, tmp_path / "src", "--config", tmp_path / "site.yaml", "-j", "1", *out])
    assert run.code == 2 and "Traceback" not in run.err
    assert "index.html" in run.err and ": error: template: " in run.err, run.err


def test_a_found_settings_file_does_not_dress_a_catalog_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  run_cli: Any) -> None:
    """Standing in a cloned folder whose sitegen.yaml names a theme beside it (its own source is
    a subfolder, so the file was read) and building one's own catalog elsewhere
    (`sitegen build ~/models -o ~/site`) published the clone's theme, title and CNAME."""
    make_repo(tmp_path / "mine", "m", card("license: mit"))
    clone = tmp_path / "clone"
    make_repo(clone / "models", "x", card("license: mit"))
    (clone / "theme" / "templates").mkdir(parents=True)
    (clone / "theme" / "templates" / "index.html").write_text(
        '{% extends "default/index.html" %}{% block main %}<script>steal()</script>{% endblock %}')
    (clone / "sitegen.yaml").write_text("source: models\ntheme: theme\ntitle: Cloned\ncname: evil.example\n")
    monkeypatch.chdir(clone)
    run = run_cli(["build", tmp_path / "mine", "-o", tmp_path / "site", "-j", "1"])
    assert run.code == 0, run.err
    assert "sitegen.yaml: warning: ignored: the source" in run.err and "pass --config sitegen.yaml" in run.err
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "steal()" not in index and "Cloned" not in index and not (tmp_path / "site" / "CNAME").exists()
    assert run_cli(["build", "-j", "1"]).code == 0  # the clone's own catalog still reads it
    assert "steal()" in (clone / "_site" / "index.html").read_text(encoding="utf-8")


def test_a_deep_file_builds_as_it_checks(tmp_path: Path) -> None:
    """A file whose path is within what the system opens in the repo, but not once the build's
    temp folder and the site's folders come before it: check passed, the build skipped the
    model. Past 1,024 bytes a path is not published, in both."""
    folders = "/".join(["d" * 240] * 16)
    root = tmp_path / "src" / "m"
    name = "x" * (4090 - len(f"{root}/{folders}/.png")) + ".png"  # the whole path: 4,090 bytes
    deep = f"{folders}/{name}"
    make_repo(tmp_path / "src", "m", card("license: mit", f"# M\n\n![x]({deep})\n"), {deep: png_bytes(4, 4)})
    checked = build_site(tmp_path / "src")
    built = build_site(tmp_path / "src", tmp_path / "out")
    assert formatted(checked) == formatted(built)
    assert [d.message for d in built.report.items] == \
        [f"image '{deep}': path is {len(deep):,} bytes long, more than the 1,024 a published file may have"]
    assert (tmp_path / "out" / "models" / "m" / "index.html").is_file()


def test_a_model_stopped_while_writing_leaves_nothing_in_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    """A model out of time while its images were written (its page already was) was reported
    skipped, yet its page and files were published: a page the lists do not know."""
    def slow(copy: Any, dest: Path) -> None:
        time.sleep(30)
    monkeypatch.setattr(sitegen.make, "write_copy", slow)  # the workers are forked from here
    make_repo(tmp_path / "src", "slow", card("license: mit", "# Slow\n\n![x](x.png)\n"), {"x.png": png_bytes(4, 4)})
    make_repo(tmp_path / "src", "ok", card("license: mit"))
    result = build_site(tmp_path / "src", tmp_path / "out", model_seconds=1, jobs=1)
    assert [d.message for d in result.report.items if d.level == "error"] == \
        ["skipped: building this model took longer than 1 s (a model may take at most 1 s and 1024 MB)"]
    assert (tmp_path / "out" / "models" / "ok" / "index.html").is_file()
    assert not (tmp_path / "out" / "models" / "slow").exists()


def test_the_time_limit_holds_inside_the_sanitisers_callback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """nh3 swallows what its attribute callback raises (it prints "Exception ignored"): a model
    out of time while its links were resolved went on, 40 images at 3 s each."""
    real = sitegen.markdown.body._rewrite_url

    def slow(*args: Any) -> Any:
        time.sleep(3)
        return real(*args)
    monkeypatch.setattr(sitegen.markdown.body, "_rewrite_url", slow)
    body = "# Slow\n\n" + "".join(f"[l{i}](https://example.com/{i})\n" for i in range(40))
    make_repo(tmp_path / "src", "slow", card("license: mit", body))
    start = time.monotonic()
    config = Config(source=tmp_path / "src", model_seconds=1, jobs=1)
    result = sitegen.build.build(config, write=False)  # (build_site would build it again, in here)
    assert [d.message for d in result.report.items] == \
        ["skipped: building this model took longer than 1 s (a model may take at most 1 s and 1024 MB)"]
    assert time.monotonic() - start < 8  # not the kill after the grace of 10 s


def test_the_preview_installs_no_service_worker(tmp_path: Path) -> None:
    """A theme's JavaScript (a cloned site's theme: sandboxed in Jinja, not in the browser) could
    register a service worker on http://localhost:8000, which would outlive the preview and
    read every later preview served on that port. Browsers mark the script's request."""
    (tmp_path / "site" / "static").mkdir(parents=True)
    (tmp_path / "site" / "static" / "sw.js").write_text("self.onfetch = () => {};")
    preview = SimpleNamespace(root=tmp_path / "site", version=1)
    server = make_server(preview, "127.0.0.1", 0)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        def get(**headers: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/static/sw.js", headers={"Host": f"localhost:{port}", **headers})
            status = conn.getresponse().status
            conn.close()
            return status
        assert get() == 200
        assert get(**{"Service-Worker": "script", "Sec-Fetch-Site": "same-origin"}) == 403
    finally:
        server.shutdown()
        server.server_close()


def test_compiled_templates_are_never_read_from_a_folder_others_may_write(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja loads its bytecode cache as code (marshal): in a cache folder another user made or
    may write to (XDG_CACHE_HOME on a shared disk), that user's file would run as ours."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert sitegen.theme._bytecode_cache() is not None
    folder = next((tmp_path / "sitegen").glob("templates-*"))
    folder.chmod(0o777)
    assert sitegen.theme._bytecode_cache() is None
    folder.chmod(0o700)
    assert sitegen.theme._bytecode_cache() is not None


def test_the_theme_key_reads_no_file_through_a_symlink_out_of_the_theme(tmp_path: Path) -> None:
    """The site key hashed every file of the theme folder through symlinks: a theme's
    `static/x` leading to /proc/kcore was read whole, to another user's file ended the build."""
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"one")
    (tmp_path / "theme" / "static").mkdir(parents=True)
    (tmp_path / "theme" / "static" / "x.css").symlink_to(outside)
    config = Config(source=tmp_path, theme=tmp_path / "theme")
    before = sitegen.fingerprint.site_key(config)
    outside.write_bytes(b"two")  # not a file the theme publishes or renders: not part of the key
    assert sitegen.fingerprint.site_key(config) == before


def test_an_output_folder_turned_into_a_symlink_is_replaced_by_the_next_build(tmp_path: Path) -> None:
    """A folder of the output replaced by a symlink between builds (a `_site/` a repo tracks, and
    a pull): the incremental build rightly wrote nothing through it, but said nothing, kept its
    state, and every later build left the site without the page."""
    src, out, outside = tmp_path / "src", tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    make_repo(src, "m", card("license: mit", "# One\n\nThe first text.\n"))
    assert build_site(src, out).report.items == []
    (out / "models").rename(tmp_path / "moved")
    (out / "models").symlink_to(outside)
    make_repo(src, "m", card("license: mit", "# Two\n\nThe second text.\n"))
    second = build_site(src, out)
    assert [d.message.split(":")[0] for d in second.report.items] == ["1 of the changed files could not be written"]
    assert list(outside.iterdir()) == []  # nothing through the link
    assert build_site(src, out).report.items == []
    assert "The second text." in (out / "models" / "m" / "index.html").read_text(encoding="utf-8")
    assert not (out / "models").is_symlink()
