"""`sitegen serve`: the server answers only with the built site, rebuilds what changed, and
tells open pages to reload or to show the build's errors."""
from __future__ import annotations

import contextlib
import dataclasses
import http.client
import json
import socket
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.config import Config
from sitegen import make as make_module
from sitegen.serve import Preview, watch
from sitegen.server import Limits, allowed_hosts, make_server

CARD = """---
pipeline_tag: text-classification
license: mit
widget:
- text: I love it
  output:
  - label: POSITIVE
    score: 0.9
---
# {title}

A small classifier.
"""


class Live:
    def __init__(self, preview: Preview, port: int):
        self.preview, self.port = preview, port
        self.url = f"http://127.0.0.1:{port}/"

    def get(self, path: str, host: str | None = None, method: str = "GET", **headers: str
            ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        sent = {"Host": host if host is not None else f"127.0.0.1:{self.port}"}
        sent.update({name.replace("_", "-"): value for name, value in headers.items()})
        conn.request(method, path, headers=sent)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, dict(response.getheaders()), body

    def wait_for_version(self, after: int, timeout: float = 10) -> float:
        start = time.perf_counter()
        while self.preview.version <= after:
            if time.perf_counter() - start > timeout:
                raise AssertionError("no rebuild after the change")
            time.sleep(0.01)
        return time.perf_counter() - start


@contextlib.contextmanager
def running(tmp_path: Path, config: Config | None = None, limits: Limits = Limits(),
            card: str = CARD.format(title="Classifier")) -> Iterator[Live]:
    """A preview of one classifier, served and watched, until the block ends."""
    source = tmp_path / "repos"
    (source / "acme" / "clf").mkdir(parents=True)
    (source / "acme" / "clf" / "README.md").write_text(card)
    (tmp_path / "outside.txt").write_text("secret")
    preview = Preview(dataclasses.replace(config or Config(), source=source))
    preview.rebuild()
    assert preview.result is not None
    server = make_server(preview, "127.0.0.1", 0, limits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, stop), kwargs={"report": lambda _: None},
                               daemon=True)
    watcher.start()
    time.sleep(0.3)  # let the watcher start
    try:
        yield Live(preview, server.server_address[1])
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        preview.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with running(tmp_path) as server:
        yield server


def test_serves_the_site_with_the_reload_script(live: Live) -> None:
    status, headers, body = live.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'src="/__sitegen/reload.js?v=1"' in body
    assert b"connect-src 'self'" in body  # the page's own CSP must let it listen for events
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, _, body = live.get("/models/acme/clf/index.html")
    assert status == 200 and b"reload.js" in body
    assert live.get("/models/acme/clf/")[0] == 200  # a folder serves its index.html


def test_the_built_files_never_carry_the_reload_script(live: Live) -> None:
    for path in live.preview.root.rglob("*.html"):
        assert b"__sitegen" not in path.read_bytes(), path


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/%5c..%5c..%5cetc%5cpasswd", "/index.html%00", "/..%2f..%2foutside.txt", "/%ff", "/static/",
    "/models/", "//etc/passwd",
])
def test_nothing_outside_the_site_and_no_listings(live: Live, path: str) -> None:
    status, _, body = live.get(path)
    assert status == 404 and b"secret" not in body and b"root:" not in body


def test_a_symlink_out_of_the_site_is_not_followed(live: Live, tmp_path: Path) -> None:
    os.symlink(tmp_path / "outside.txt", live.preview.root / "leak.txt")
    status, _, body = live.get("/leak.txt")
    assert status == 404 and b"secret" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", ""])
def test_other_host_names_are_refused(live: Live, host: str) -> None:
    assert live.get("/", host=host)[0] == 403


def test_localhost_names_are_served(live: Live) -> None:
    for host in (f"localhost:{live.port}", f"127.0.0.1:{live.port}", f"[::1]:{live.port}"):
        assert live.get("/", host=host)[0] == 200


def test_only_get_and_head(live: Live) -> None:
    status, headers, _ = live.get("/", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    assert live.get("/", method="DELETE")[0] == 405
    status, headers, body = live.get("/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_a_missing_page_gets_the_site_404(live: Live) -> None:
    status, _, body = live.get("/models/nope/index.html")
    assert status == 404 and b"Page not found" in body


BROKEN = CARD.replace("license: mit", "license: [mit")  # an unclosed list: the card does not parse


def test_a_card_that_stops_parsing_keeps_its_last_good_page(live: Live) -> None:
    readme = live.preview.config.source / "acme" / "clf" / "README.md"
    version = live.preview.version
    readme.write_text(BROKEN.format(title="Broken"))
    live.wait_for_version(version)
    assert live.preview.result is not None and live.preview.result.models == 0  # the build skipped it
    assert not (live.preview.root / "models/acme/clf/index.html").exists()
    assert any("README.md:" in p for p in live.preview.problems), live.preview.problems
    for path in ("/models/acme/clf/index.html", "/models/acme/clf/", "/models/acme/clf"):
        status, headers, body = live.get(path)
        assert status == 200 and b">Classifier <a" in body and b"reload.js" in body, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert live.get("/models/acme/clf/nothing.html")[0] == 404  # only the files it had
    version = live.preview.version
    readme.write_text(CARD.format(title="Fixed"))
    live.wait_for_version(version)
    assert live.preview.problems == []
    status, _, body = live.get("/models/acme/clf/")
    assert status == 200 and b">Fixed <a" in body


def test_a_removed_repo_that_was_failing_is_not_served(live: Live) -> None:
    import shutil
    readme = live.preview.config.source / "acme" / "clf" / "README.md"
    version = live.preview.version
    readme.write_text(BROKEN.format(title="Broken"))
    live.wait_for_version(version)
    assert live.get("/models/acme/clf/")[0] == 200
    version = live.preview.version
    shutil.rmtree(readme.parent)
    live.wait_for_version(version)
    status, _, body = live.get("/models/acme/clf/")
    assert status == 404 and b"Classifier" not in body
    assert not list((live.preview.base / "kept").rglob("*.html"))


def test_the_404_page_may_use_its_own_style_and_the_overlays(live: Live) -> None:
    import base64
    import hashlib
    import re
    status, headers, body = live.get("/nowhere.html")
    assert status == 404 and b"Page not found" in body
    style = re.search(rb"<style>(.*?)</style>", body, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1)).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}';" in headers["Content-Security-Policy"]  # the header's
    assert f"style-src 'self' 'sha256-{digest}';".encode() in body  # and the page's own
    assert b'<link rel="stylesheet" href="/__sitegen/overlay.css">' in body
    assert live.get("/")[1]["Content-Security-Policy"].count("sha256") == 0  # other pages: no inline style


def test_a_repo_that_never_built_shows_what_to_fix(tmp_path: Path) -> None:
    with running(tmp_path, card=BROKEN.format(title="<b>x</b>")) as live:
        assert live.preview.result is not None and live.preview.result.models == 0
        assert live.preview.start_page() == "models/acme/clf/index.html"
        for path in ("/models/acme/clf/index.html", "/models/acme/clf/", "/models/acme/clf/files.html"):
            status, headers, body = live.get(path)
            assert status == 404 and b"<h1>acme/clf could not be built</h1>" in body, path
            assert re.search(rb"acme/clf/README\.md:\d+: error: ", body), body
            assert b'href="/__sitegen/overlay.css"' in body and b"reload.js" in body
            assert "<style" not in body.decode() and "sha256" not in headers["Content-Security-Policy"]
        assert b"could not be built" not in live.get("/nowhere.html")[2]  # other paths: the site's 404


def test_hosts_allowed_on_loopback_and_open_to_the_network() -> None:
    assert "localhost:8000" in (allowed_hosts("127.0.0.1", 8000) or set())
    assert "evil.example:8000" not in (allowed_hosts("127.0.0.1", 8000) or set())
    assert allowed_hosts("0.0.0.0", 8000) is None


def test_editing_a_card_rebuilds_only_that_page(live: Live) -> None:
    readme = live.preview.config.source / "acme" / "clf" / "README.md"
    page = live.preview.root / "models" / "acme" / "clf" / "index.html"
    style = live.preview.root / "static" / "style.css"
    before = style.stat().st_mtime_ns
    version = live.preview.version
    readme.write_text(CARD.format(title="Renamed classifier"))
    live.wait_for_version(version)
    assert "Renamed classifier" in page.read_text()
    assert style.stat().st_mtime_ns == before  # unchanged files are not written again


def test_errors_are_streamed_and_cleared(live: Live) -> None:
    readme = live.preview.config.source / "acme" / "clf" / "README.md"
    version = live.preview.version
    readme.write_text(CARD.format(title="x").replace("score: 0.9", "score: high"))
    live.wait_for_version(version)
    assert any("README.md:8: error:" in p and "score" in p for p in live.preview.problems), live.preview.problems
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
    conn.request("GET", "/__sitegen/events", headers={"Host": f"127.0.0.1:{live.port}"})
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    first = json.loads(response.fp.readline().decode().removeprefix("data: "))
    conn.close()
    assert first["version"] == live.preview.version and first["problems"] == live.preview.problems
    version = live.preview.version
    readme.write_text(CARD.format(title="fixed"))
    live.wait_for_version(version)
    assert live.preview.problems == []


def test_a_new_repo_appears_and_a_removed_one_goes(live: Live) -> None:
    source = live.preview.config.source
    version = live.preview.version
    (source / "acme" / "second").mkdir()
    (source / "acme" / "second" / "README.md").write_text(CARD.format(title="Second"))
    live.wait_for_version(version)
    deadline = time.time() + 5
    while not (live.preview.root / "models/acme/second/index.html").exists() and time.time() < deadline:
        time.sleep(0.05)
    assert (live.preview.root / "models/acme/second/index.html").exists()
    version = live.preview.version
    (source / "acme" / "second" / "README.md").unlink()
    (source / "acme" / "second").rmdir()
    live.wait_for_version(version)
    deadline = time.time() + 5
    while (live.preview.root / "models/acme/second/index.html").exists() and time.time() < deadline:
        time.sleep(0.05)
    assert not (live.preview.root / "models/acme/second/index.html").exists()
    assert live.get("/models/acme/second/index.html")[0] == 404


def test_a_broken_theme_keeps_the_last_good_site(tmp_path: Path) -> None:
    source = tmp_path / "repos"
    (source / "clf").mkdir(parents=True)
    (source / "clf" / "README.md").write_text(CARD.format(title="Classifier"))
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    preview = Preview(Config(source=source, theme=theme))
    try:
        preview.rebuild()
        good = (preview.root / "index.html").read_bytes()
        (theme / "templates" / "index.html").write_text("{% extends 'default/index.html' %}\n{% block main %\n")
        preview.rebuild()
        assert len(preview.problems) == 1 and "index.html:2: error: template:" in preview.problems[0]
        assert (preview.root / "index.html").read_bytes() == good
    finally:
        preview.close()
    assert not preview.root.exists()  # the private folder goes with the server


def test_editing_the_config_file_rebuilds_with_it(tmp_path: Path) -> None:
    from sitegen.config import load_config, merge

    source = tmp_path / "repos"
    (source / "clf").mkdir(parents=True)
    (source / "clf" / "README.md").write_text(CARD.format(title="Classifier"))
    config_file = tmp_path / "sitegen.yaml"
    config_file.write_text("title: First title\nsource: repos\n")

    def reconfigure() -> Config:
        return merge(load_config(config_file), {})

    preview = Preview(reconfigure(), reconfigure)
    stop = threading.Event()
    try:
        preview.rebuild()
        assert "First title" in (preview.root / "index.html").read_text()
        threading.Thread(target=watch, args=(preview, stop, config_file), kwargs={"report": lambda _: None},
                         daemon=True).start()
        time.sleep(0.3)
        version = preview.version
        config_file.write_text("title: Second title\nsource: repos\n")
        Live(preview, 0).wait_for_version(version)
        assert "Second title" in (preview.root / "index.html").read_text()
        version = preview.version
        config_file.write_text("title: [not, a, string]\nsource: repos\n")
        Live(preview, 0).wait_for_version(version)
        assert preview.problems and "sitegen.yaml:1: error: title: expected a string" in preview.problems[0]
        assert "Second title" in (preview.root / "index.html").read_text()  # the last good site stays
    finally:
        stop.set()
        preview.close()


# --- issue 20: limits hold in rebuilds; only the preview's own pages are answered -----------------

_real_make_keyed = make_module.make_keyed


def slow_make_keyed(job, item):  # type: ignore[no-untyped-def]
    """make_keyed, but a card that says `sleep forever` takes minutes. Module level: serve's
    workers come from a fork server, which imports this module to run it."""
    if "sleep forever" in (item[0].root / "README.md").read_text():
        time.sleep(300)
    return _real_make_keyed(job, item)


def test_a_slow_card_is_stopped_and_later_rebuilds_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects serve from one slow card (issue 20: a rebuild ran on the watcher thread, where
    the time limit is a no-op, so the card pinned a core for minutes and blocked every later
    rebuild): it ends with that model's located error, the site stays served, and the next
    save rebuilds."""
    monkeypatch.setattr(make_module, "make_keyed", slow_make_keyed)
    with running(tmp_path, Config(model_seconds=3)) as live:
        readme = live.preview.config.source / "acme" / "clf" / "README.md"
        version, start = live.preview.version, time.monotonic()
        readme.write_text(CARD.format(title="Slow") + "\nsleep forever\n")
        live.wait_for_version(version, timeout=20)
        assert time.monotonic() - start < 20
        [problem] = live.preview.problems
        assert f"{os.path.join('acme', 'clf', 'README.md')}: error:" in problem, problem
        assert "took longer than 3 s" in problem
        assert live.get("/")[0] == 200
        version = live.preview.version
        readme.write_text(CARD.format(title="Fast again"))
        live.wait_for_version(version, timeout=20)
        assert live.preview.problems == []
        assert b"Fast again" in live.get("/models/acme/clf/index.html")[2]


CROSS = [{"Sec_Fetch_Site": "cross-site"}, {"Sec_Fetch_Site": "same-site"}, {"Origin": "http://evil.example"},
         {"Origin": "null"}, {"Origin": "http://127.0.0.1:1"},
         {"Sec_Fetch_Site": "same-origin", "Origin": "http://evil.example"}]


@pytest.mark.parametrize("headers", CROSS)
def test_other_sites_cannot_read_the_preview(live: Live, headers: dict[str, str]) -> None:
    """Protects the private catalog while previewing (issue 20: any page the user visited could
    include /search-index.js as a script and read it); a page on another localhost port is
    same-site, and refused too."""
    for path in ("/search-index.js", "/", "/models/acme/clf/index.html", "/__sitegen/events", "/nope"):
        status, got, body = live.get(path, **headers)
        assert status == 403 and got["Content-Type"].startswith("text/plain"), (path, status)
        assert b"acme" not in body and len(body) < 100


def test_its_own_pages_the_address_bar_and_curl_are_answered(live: Live) -> None:
    own = f"127.0.0.1:{live.port}"
    for headers in ({}, {"Sec_Fetch_Site": "same-origin"}, {"Sec_Fetch_Site": "none"},
                    {"Origin": f"http://{own}", "Sec_Fetch_Site": "same-origin"}):
        status, _, body = live.get("/search-index.js", **headers)
        assert status == 200 and b"acme/clf" in body, headers
    assert live.get("/", host=f"localhost:{live.port}", Origin=f"http://localhost:{live.port}")[0] == 200


def test_every_answer_says_same_origin_only(live: Live) -> None:
    """Protects the second line of defence: a browser that sends no Sec-Fetch-Site still keeps
    other sites from embedding an answer (Cross-Origin-Resource-Policy)."""
    answers = [live.get("/"), live.get("/search-index.js"), live.get("/nope"), live.get("/", method="HEAD"),
               live.get("/", method="POST"), live.get("/", Sec_Fetch_Site="cross-site"), live.get("/", host="evil")]
    assert [a[0] for a in answers] == [200, 200, 404, 200, 405, 403, 403]
    for _, headers, _ in answers:
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff" and "default-src 'none'" in headers["Content-Security-Policy"]
    conn, response = open_stream(live)
    assert response.getheader("Cross-Origin-Resource-Policy") == "same-origin"
    conn.close()


def open_stream(live: Live) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """An event stream as a page opens it, its first message read."""
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
    conn.request("GET", "/__sitegen/events", headers={"Host": f"127.0.0.1:{live.port}"})
    response = conn.getresponse()
    assert response.fp.readline().startswith(b"data: ")
    return conn, response


def closed_within(sock: socket.socket, seconds: float, drip: bool = False) -> float | None:
    """Seconds until the server closes this connection (None if it did not in time); with
    drip, send a header line every 0.1 s meanwhile."""
    start = time.monotonic()
    sock.settimeout(0.1)
    while time.monotonic() - start < seconds:
        try:
            if drip:
                sock.sendall(b"X-Drip: 1\r\n")
            if sock.recv(100) == b"":
                return time.monotonic() - start
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - start
    return None


def test_a_connection_that_sends_nothing_or_drips_is_closed(tmp_path: Path) -> None:
    """Protects the server's threads from clients that never finish their request (issue 20):
    silent, or dripping a header line at a time, they have head_seconds in all."""
    with running(tmp_path, limits=Limits(head_seconds=0.5)) as live:
        silent = socket.create_connection(("127.0.0.1", live.port))
        took = closed_within(silent, 5)
        assert took is not None and took < 3
        dripping = socket.create_connection(("127.0.0.1", live.port))
        dripping.sendall(b"GET / HTTP/1.0\r\n")
        took = closed_within(dripping, 5, drip=True)
        assert took is not None and took < 3
        assert live.get("/")[0] == 200


def get_or_refused(live: Live) -> int:
    try:
        return live.get("/")[0]
    except ConnectionError:  # refused with a 503 the client had no time to read
        return 503


def test_too_many_idle_connections_wait_their_timeout(tmp_path: Path) -> None:
    """Protects the thread cap: past `requests` connections a new one is turned away at once
    (not given a thread), and once the idle ones time out, requests are answered again."""
    with running(tmp_path, limits=Limits(head_seconds=1.0, requests=4)) as live:
        idle = [socket.create_connection(("127.0.0.1", live.port)) for _ in range(6)]
        time.sleep(0.2)
        assert get_or_refused(live) == 503
        time.sleep(1.5)
        assert get_or_refused(live) == 200
        for sock in idle:
            sock.close()


def test_event_streams_have_their_own_cap(tmp_path: Path) -> None:
    """Protects open tabs and page requests from each other: streams do not count against the
    request cap, and past their own cap the oldest is told `bye` and closed."""
    with running(tmp_path, limits=Limits(requests=2, streams=2)) as live:
        streams = [open_stream(live) for _ in range(3)]
        rest = streams[0][1].read()  # until the server closes it
        assert b"event: bye" in rest
        for _ in range(3):
            assert live.get("/")[0] == 200  # two streams open, yet both request places free
        assert live.preview.listeners == 2
        for conn, _ in streams:
            conn.close()


def test_the_preview_server_preloads_modules_that_exist() -> None:
    """serve.PRELOAD names modules that exist (the fork server skips a missing one silently)."""
    import importlib.util

    from sitegen.serve import PRELOAD
    assert PRELOAD and all(importlib.util.find_spec(name) for name in PRELOAD), PRELOAD
