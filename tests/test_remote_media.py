"""One remote-media policy: a page shows the https images, audio and video a card links, in
widgets and in the card body alike; offline_media (or plain http) makes each a plain link."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import build_site, card, formatted, make_repo, png_bytes

THEME = Path(__file__).resolve().parents[1] / "themes/default/templates"
ASR = """
pipeline_tag: automatic-speech-recognition
widget:
- src: https://cdn.example.com/clips/hello%20world.flac
  output: {text: hello world}
"""
T2I = """
pipeline_tag: text-to-image
widget:
- text: local
  output: {url: ok.png}
- text: remote
  output:
    url: https://cdn.example.com/out/tiger.jpg
"""
BODY = """# Model

![banner](https://img.example.com/banner.png)

[![badge](https://img.example.com/badge.png)](https://example.com/about)

<video src="https://vid.example.com/demo.mp4"></video>
"""
REMOTE_TAG = re.compile(r'<(img|audio|video|source)\b[^>]*(src|poster)="https?://[^"]*"[^>]*>')


def _site(tmp_path: Path, offline: bool = False) -> tuple[str, str, list[str]]:
    make_repo(tmp_path / "src", "t2i", card(T2I, BODY), {"ok.png": png_bytes()})
    make_repo(tmp_path / "src", "asr", card(ASR))
    out = tmp_path / "out"
    built = build_site(tmp_path / "src", out, offline_media=offline)
    read = [(out / "models" / m / "index.html").read_text(encoding="utf-8") for m in ("t2i", "asr")]
    return read[0], read[1], formatted(built)


def test_remote_https_media_is_shown_in_widgets_and_body(tmp_path: Path) -> None:
    t2i, asr, messages = _site(tmp_path)
    assert not [m for m in messages if "remote" in m], messages  # shown as linked: nothing to say
    widget_img = re.search(r'<img src="https://cdn\.example\.com/out/tiger\.jpg"[^>]*>', t2i)
    assert widget_img and 'referrerpolicy="no-referrer"' in widget_img.group(0)
    assert 'loading="lazy"' in widget_img.group(0)
    body_img = re.search(r'<img [^>]*src="https://img\.example\.com/banner\.png"[^>]*>', t2i)
    assert body_img and 'referrerpolicy="no-referrer"' in body_img.group(0) and 'loading="lazy"' in body_img.group(0)
    assert re.search(r'<video preload="none" src="https://vid\.example\.com/demo\.mp4" controls="">', t2i)
    # Audio from elsewhere is fetched only once played: its host sees no reader who does not play it.
    assert re.search(r'<audio controls preload="none" src="https://cdn\.example\.com/clips/hello%20world\.flac"', asr)
    assert 'class="remote-media"' not in t2i + asr


def test_offline_media_turns_every_remote_medium_into_a_link(tmp_path: Path) -> None:
    t2i, asr, messages = _site(tmp_path, offline=True)
    assert not REMOTE_TAG.search(t2i) and not REMOTE_TAG.search(asr), REMOTE_TAG.findall(t2i + asr)
    for html, url, text in ((t2i, "https://cdn.example.com/out/tiger.jpg", "tiger.jpg"),
                            (t2i, "https://img.example.com/banner.png", "banner.png"),
                            (t2i, "https://vid.example.com/demo.mp4", "demo.mp4"),
                            (asr, "https://cdn.example.com/clips/hello%20world.flac", "hello world.flac")):
        link = re.search(rf'<a class="remote-media" href="{re.escape(url)}"[^>]*>(.*?)</a>', html, re.S)
        assert link, url
        assert 'rel="nofollow noopener noreferrer"' in link.group(0) and text in link.group(1)
        assert "on " + url.split("/")[2] in link.group(1)
    # The badge sits in a link of its own: it becomes text there (no link inside a link).
    badge = re.search(r'<a [^>]*href="https://example\.com/about"[^>]*>(.*?)</a>', t2i, re.S)
    assert badge and '<span class="remote-media" title="https://img.example.com/badge.png">' in badge.group(1)
    assert "<a " not in badge.group(1)
    assert '<img src="files/ok.' in t2i  # the repo's own files are shown as ever
    assert not [m for m in messages if "remote" in m], messages  # the site's choice: no warning


def test_plain_http_media_is_a_link_with_a_warning_at_its_key(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: automatic-speech-recognition
widget:
- src: http://example.com/a.flac
  output: {text: hi}
""", "# M\n\n![x](http://example.com/x.png)\n"))
    built = build_site(tmp_path / "src", tmp_path / "out")
    html = (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")
    assert [m for m in formatted(built) if "remote" in m] == [
        f"{tmp_path / 'src/m/README.md'}:4: warning: widget[0].src: remote audio 'http://example.com/a.flac' "
        "is linked, not shown: only https media is shown in a page; use an https URL"]
    assert not REMOTE_TAG.search(html)  # the CSP would block it: a link instead
    assert '<a class="remote-media" href="http://example.com/x.png"' in html
    assert '<a class="remote-media" href="http://example.com/a.flac"' in html


def test_masks_over_a_remote_image_are_listed_with_a_note(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: image-segmentation
widget:
- src: https://cdn.example.com/cat.png
  output:
  - {label: cat, score: 0.9, mask: mask.png}
"""), {"mask.png": png_bytes()})
    built = build_site(tmp_path / "src", tmp_path / "out")
    html = (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")
    assert any(m.endswith("README.md:5: warning: widget[0].output: the masks are listed, not drawn over the "
                          "input image: it is remote and the build fetches nothing; put the image in the repo "
                          "to see them drawn") for m in formatted(built)), formatted(built)
    assert "The masks are listed, not drawn: the input image is remote" in html
    assert re.search(r'<img src="https://cdn\.example\.com/cat\.png"', html)


def test_hostile_remote_urls_stay_escaped(tmp_path: Path) -> None:
    body = ('# M\n\n<img src="https://e.example/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.png">\n\n'
            '<video src="https://e.example/v.mp4" poster="https://e.example/p.jpg"><source src="javascript:alert(1)">'
            '</video>\n\n<audio src="https://e.example/a.mp3"><img src="https://e.example/in.png"></audio>\n')
    make_repo(tmp_path / "src", "m", card("pipeline_tag: text-classification", body))
    for offline in (False, True):
        build_site(tmp_path / "src", tmp_path / f"out{offline}", offline_media=offline)
        html = (tmp_path / f"out{offline}/models/m/index.html").read_text(encoding="utf-8")
        main = html[html.index("<main"):html.index("</main>")]
        assert "<script" not in main and "javascript:" not in main
        assert main.count("<a ") == main.count("</a>")
    shown = (tmp_path / "outFalse/models/m/index.html").read_text(encoding="utf-8")
    assert '<img referrerpolicy="no-referrer" src="https://e.example/a&quot;&gt;&lt;script&gt;' in shown
    assert re.search(r'<video preload="none" src="https://e\.example/v\.mp4" poster="https://e\.example/p\.jpg" controls="">', shown)
    offline = (tmp_path / "outTrue/models/m/index.html").read_text(encoding="utf-8")
    assert '<span class="remote-name">script&gt;.png</span>' in offline  # the name, escaped
    assert "in.png" not in offline  # fallback content inside <audio> was never shown: it stays unlinked


def test_the_csp_allows_https_media_and_nothing_else_from_elsewhere() -> None:
    from sitegen.preview_pages import CSP

    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                     (THEME / "base.html").read_text(encoding="utf-8"))
    assert meta
    for policy in (meta.group(1), CSP):
        rules = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}
        assert "https:" in rules["img-src"] and "https:" in rules["media-src"]
        assert rules["default-src"] == ["'none'"] and rules["script-src"] == ["'self'"]
        assert not {"frame-src", "object-src", "child-src", "worker-src"} & rules.keys()  # default: none
        assert rules.get("connect-src", ["'self'"]) == ["'self'"]  # serve's reload: its own origin
        assert "http:" not in policy and "*" not in policy
