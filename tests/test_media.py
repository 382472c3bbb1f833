"""Media done properly: images re-encoded upright without metadata, hashed names, WebP
thumbnails, WAV duration and waveform, video posters, lightbox markup (remote media: test_remote_media.py)."""
from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pytest
from PIL import Image

from conftest import build_site, card, formatted, make_repo, png_bytes, resolve_repo, wav_bytes
from sitegen import media
from sitegen.assets import Asset
from sitegen.published import hashed_name
from sitegen.media import sniff

GPS = 0x8825


def exif_jpeg() -> bytes:
    """60x40 JPEG, left half blue, EXIF orientation 6 (shown turned 90° clockwise), GPS
    position, a comment and bytes after the image."""
    im = Image.new("RGB", (60, 40), (250, 0, 0))
    im.paste((0, 0, 250), (0, 0, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[GPS] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 0.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, quality=90, comment=b"shot at home")
    return buf.getvalue() + b"<script>alert(1)</script>"


def text_png() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone@example.com")
    buf = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 128, 0, 128)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue() + b"PK\x03\x04 a zip after IEND"


def site_files(out: Path, model: str = "m") -> dict[str, bytes]:
    base = out / "models" / model
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def only(files: dict[str, bytes], pattern: str) -> tuple[str, bytes]:
    found = [(k, v) for k, v in files.items() if re.fullmatch(pattern, k)]
    assert len(found) == 1, (pattern, sorted(files))
    return found[0]


def page(out: Path, model: str = "m") -> str:
    return (out / "models" / model / "index.html").read_text(encoding="utf-8")


T2I = """
pipeline_tag: text-to-image
widget:
- text: a photo
  output: {url: photos/cam.jpg}
- text: a badge
  output: {url: art/badge.png}
"""


def test_exif_orientation_is_applied_and_metadata_stripped(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card(T2I), {"photos/cam.jpg": exif_jpeg(), "art/badge.png": text_png()})
    r = resolve_repo(tmp_path / "src/m")
    assert r.page is not None and r.page.widget is not None
    photo = r.page.widget.examples[0].media[0][1]
    assert (photo.width, photo.height) == (40, 60)  # as shown, not as stored
    assert build_site(tmp_path / "src", tmp_path / "out").report.errors == 0
    files = site_files(tmp_path / "out")
    name, data = only(files, r"files/photos/cam\.[0-9a-f]{8}\.jpg")
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (40, 60)
        assert dict(im.getexif()) == {} and "exif" not in im.info and "comment" not in im.info
        top, bottom = im.convert("RGB").getpixel((20, 5)), im.convert("RGB").getpixel((20, 55))
    assert top[2] > 200 and top[0] < 60  # the blue left half is on top once turned clockwise
    assert bottom[0] > 200 and bottom[2] < 60
    assert b"<script>" not in data and data.endswith(b"\xff\xd9")
    assert b"Exif\x00\x00" not in data and b"shot at home" not in data
    _, png = only(files, r"files/art/badge\.[0-9a-f]{8}\.png")
    assert b"someone@example.com" not in png and b"PK\x03\x04" not in png and png.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(png)) as im:
        assert im.mode == "RGBA" and im.getpixel((0, 0)) == (0, 128, 0, 128)
    html = page(tmp_path / "out")
    assert f'href="{name}"' in html and 'width="40" height="60"' in html


def test_reencoding_is_deterministic(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card(T2I), {"photos/cam.jpg": exif_jpeg(), "art/badge.png": text_png()})
    source = tmp_path / "src/m/photos/cam.jpg"
    assert media.reencode(source) == media.reencode(source)
    assert media.thumbnail(source, "WEBP") == media.thumbnail(source, "WEBP")
    build_site(tmp_path / "src", tmp_path / "one")
    build_site(tmp_path / "src", tmp_path / "two")
    assert site_files(tmp_path / "one") == site_files(tmp_path / "two")


def test_names_carry_a_content_hash(tmp_path: Path) -> None:
    meta = T2I + "- text: notes\n  output: {url: photos/cam2.jpg}\n"
    make_repo(tmp_path / "src", "m", card(meta), {"photos/cam.jpg": exif_jpeg(), "art/badge.png": text_png(),
                                                  "photos/cam2.jpg": exif_jpeg()})
    build_site(tmp_path / "src", tmp_path / "one")
    (tmp_path / "src/m/art/badge.png").write_bytes(png_bytes(30, 30))
    build_site(tmp_path / "src", tmp_path / "two")
    one, two = set(site_files(tmp_path / "one")), set(site_files(tmp_path / "two"))
    cam = only(site_files(tmp_path / "one"), r"files/photos/cam\.[0-9a-f]{8}\.jpg")[0]
    assert cam in two  # unchanged: same name in both builds
    assert {n for n in one - two if n != "index.html"} and all("badge" in n for n in one ^ two)
    new_badge = only(site_files(tmp_path / "two"), r"files/art/badge\.[0-9a-f]{8}\.png")[0]
    assert new_badge not in one and new_badge in page(tmp_path / "two")
    # Same bytes under two names: each keeps its own name, with the same hash.
    cam2 = only(site_files(tmp_path / "one"), r"files/photos/cam2\.[0-9a-f]{8}\.jpg")[0]
    assert cam.split(".")[1] == cam2.split(".")[1]


def test_hashed_name_keeps_folder_and_takes_the_sniffed_extension() -> None:
    assert hashed_name("a/b/photo.jpeg", "0123abcd", "jpg") == "a/b/photo.0123abcd.jpg"
    assert hashed_name("LICENSE", "0123abcd") == "LICENSE.0123abcd"
    assert hashed_name("x.tar.gz", "0123abcd") == "x.tar.0123abcd.gz"
    assert hashed_name(".hidden", "0123abcd") == ".hidden.0123abcd"


def test_webp_thumbnail_with_fallback(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: text-to-image
widget:
- text: big
  output: {url: big.png}
- text: small
  output: {url: small.png}
"""), {"big.png": png_bytes(1000, 800), "small.png": png_bytes(200, 100)})
    r = resolve_repo(tmp_path / "src/m")
    assert r.page is not None and r.page.widget is not None
    big, small = (e.media[0][1] for e in r.page.widget.examples)
    assert big.thumb_webp.startswith("thumbs/big.") and big.thumb_webp.endswith(".webp")
    assert big.thumb.startswith("thumbs/big.") and big.thumb.endswith(".jpg")  # opaque: JPEG
    assert small.thumb == small.url and small.thumb_webp.endswith(".webp")  # small: itself
    build_site(tmp_path / "src", tmp_path / "out")
    files = site_files(tmp_path / "out")
    for thumb, size in ((big.thumb_webp, (384, 307)), (big.thumb, (384, 307)), (small.thumb_webp, (200, 100))):
        with Image.open(io.BytesIO(files[thumb])) as im:
            assert im.size == size
    assert sniff(files[big.thumb_webp]) == ("image", "webp")
    assert sniff(files[big.thumb]) == ("image", "jpg")
    html = page(tmp_path / "out")
    assert (f'<picture><source type="image/webp" srcset="{big.thumb_webp}"><img src="{big.thumb}" '
            f'alt="big" width="1000" height="800"') in html


def test_every_widget_image_has_its_size(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: image-classification
widget:
- src: cat.png
  output: [{label: cat, score: 0.9}]
"""), {"cat.png": png_bytes(64, 48)})
    build_site(tmp_path / "src", tmp_path / "out")
    imgs = re.findall(r"<img [^>]*>", page(tmp_path / "out"))
    widget_imgs = [i for i in imgs if "files/" in i or "thumbs/" in i]
    assert widget_imgs and all('width="64" height="48"' in i for i in widget_imgs)


def test_wav_duration_and_waveform(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: text-to-speech
widget:
- text: hello
  output: {url: hello.wav}
- text: lossless
  output: {url: hello.flac}
"""), {"hello.wav": wav_bytes(frames=12_000, rate=8000), "hello.flac": b"fLaC" + bytes(64)})
    r = resolve_repo(tmp_path / "src/m")
    assert r.page is not None and r.page.widget is not None
    wav, flac = (e.media[0][1] for e in r.page.widget.examples)
    assert wav.duration == pytest.approx(1.5) and wav.duration_text == "0:01"  # cut, as the player shows it
    bars = re.findall(r"M(\d+)\.5 (\d+)v(\d+)", wav.waveform)
    assert len(bars) == media.WAVE_POINTS
    assert all(int(y) + int(h) <= media.WAVE_HEIGHT for _, y, h in bars)
    assert max(int(h) for _, _, h in bars) == media.WAVE_HEIGHT  # scaled to the loudest stretch
    assert (flac.duration, flac.waveform) == (0.0, "")  # not WAV: no guess
    build_site(tmp_path / "src", tmp_path / "out")
    html = page(tmp_path / "out")
    assert html.count('preload="metadata"') == 2 and 'preload="none"' not in html
    assert '<time datetime="PT1.50S">0:01</time>' in html and html.count("<svg class=\"waveform\"") == 1


def test_unreadable_wav_gets_no_duration(tmp_path: Path) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + bytes(8))
    assert media.wav_summary(path) == (0.0, "")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(wav_bytes(frames=8000, rate=8000)[:44 + 4000])  # header says 1 s, 0.25 s there
    assert media.wav_summary(cut)[0] == pytest.approx(0.25)


def test_video_poster_is_picked_up(tmp_path: Path) -> None:
    mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(64)
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: text-to-video
widget:
- text: a run
  output: {url: clips/run.mp4}
- text: a walk
  output: {url: clips/walk.mp4}
"""), {"clips/run.mp4": mp4, "clips/run.jpg": exif_jpeg(), "clips/walk.mp4": mp4 + b"\x01"})
    r = resolve_repo(tmp_path / "src/m")
    assert r.page is not None and r.page.widget is not None
    run, walk = (e.media[0][1] for e in r.page.widget.examples)
    assert re.fullmatch(r"files/clips/run\.[0-9a-f]{8}\.jpg", run.poster) and walk.poster == ""
    build_site(tmp_path / "src", tmp_path / "out")
    html = page(tmp_path / "out")
    assert f'<video controls preload="metadata" src="{run.url}" poster="{run.poster}"></video>' in html
    assert (tmp_path / "out/models/m" / run.poster).is_file()


def test_decompression_bomb_warning_is_an_error(tmp_path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    # Header only: 10 000 x 10 000 is over Pillow's warning threshold, under its error one.
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 10_000, 10_000, 8, 2, 0, 0, 0))
    make_repo(tmp_path / "src", "m", card("pipeline_tag: image-classification\nwidget:\n- src: bomb.png\n"),
              {"bomb.png": bomb + chunk(b"IEND", b"")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out as a mere warning
        r = resolve_repo(tmp_path / "src/m")
    assert len(r.errors) == 1 and "widget[0].src: 'bomb.png' is" in r.errors[0], r.messages
    assert r.page is not None and r.page.copies == ()


def test_truncated_image_fails_at_check_time(tmp_path: Path) -> None:
    data = png_bytes(300, 300, (10, 20, 30))
    make_repo(tmp_path / "src", "m", card("pipeline_tag: image-classification\nwidget:\n- src: cut.png\n"),
              {"cut.png": data[: len(data) // 2]})
    r = resolve_repo(tmp_path / "src/m")
    assert len(r.errors) == 1 and "not a readable image" in r.errors[0], r.messages


def test_animated_gif_stays_animated_without_its_comment(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (12, 12), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=b"private note")
    make_repo(tmp_path / "src", "m", card("pipeline_tag: text-to-image\nwidget:\n- text: x\n  output: {url: a.gif}\n"),
              {"a.gif": buf.getvalue() + b"trailing"})
    r = resolve_repo(tmp_path / "src/m")
    assert r.page is not None and r.page.widget is not None
    gif = r.page.widget.examples[0].media[0][1]
    assert gif.thumb == gif.url and gif.thumb_webp == ""  # a thumbnail would stop the animation
    build_site(tmp_path / "src", tmp_path / "out")
    _, data = only(site_files(tmp_path / "out"), r"files/a\.[0-9a-f]{8}\.gif")
    assert b"private note" not in data and not data.endswith(b"trailing")
    with Image.open(io.BytesIO(data)) as im:
        assert im.n_frames == 3
        durations = []
        for i in range(3):
            im.seek(i)
            durations.append(im.info["duration"])
    assert durations == [100, 200, 300]


def test_gallery_thumbnails_open_a_lightbox(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: text-to-image
widget:
- text: one
  output: {url: a.png}
- text: two
  output: {url: b.png}
- text: three
  output: {url: https://example.com/c.png}
""", "# Model\n\n<Gallery />\n"), {"a.png": png_bytes(10, 10, (1, 1, 1)), "b.png": png_bytes(10, 10, (2, 2, 2))})
    build_site(tmp_path / "src", tmp_path / "out")
    html = page(tmp_path / "out")
    assert html.count('class="lightbox-open" href="#view-') == 2
    assert html.count('class="lightbox-open" href="#gallery-view-') == 2
    for prefix, back in (("view-", "example-"), ("gallery-view-", "gallery-")):
        for n, prev, nxt, example in ((1, 2, 2, 1), (2, 1, 1, 2)):
            view = re.search(rf'<div class="lightbox" id="{prefix}{n}".*?\n</div>', html, re.DOTALL)
            assert view, (prefix, n)
            assert f'href="#{prefix}{prev}" data-prev' in view.group(0)
            assert f'href="#{prefix}{nxt}" data-next' in view.group(0)
            assert f'href="#{back}{example}" data-close' in view.group(0)
            assert f'id="{back}{example}"' in html
    assert 'src="../../static/lightbox.js"' in html


def test_asset_defaults_keep_old_callers_working() -> None:
    asset = Asset("files/x.png", "image", path="x.png", thumb="files/x.png", width=2, height=1)
    assert (asset.thumb_webp, asset.duration, asset.waveform, asset.poster) == ("", 0.0, "", "")
    remote = Asset("https://example.com/a/b%20c.wav", "audio", remote=True)
    assert (remote.host, remote.name) == ("example.com", "b c.wav")


def test_mpo_is_published_as_its_first_picture(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (52.0, 22.0, 1.0)}
    buf = io.BytesIO()  # a JPEG with a second picture inside, as some cameras write them
    Image.new("RGB", (30, 20), (255, 0, 0)).save(buf, "MPO", save_all=True, exif=exif,
                                                 append_images=[Image.new("RGB", (30, 20), (0, 255, 0))])
    make_repo(tmp_path / "src", "m", card("pipeline_tag: text-to-image\nwidget:\n- text: x\n  output: {url: a.jpg}\n"),
              {"a.jpg": buf.getvalue()})
    r = resolve_repo(tmp_path / "src/m")
    assert r.page is not None and r.page.widget is not None
    photo = r.page.widget.examples[0].media[0][1]
    assert photo.thumb_webp  # a still image, so it gets a thumbnail
    build_site(tmp_path / "src", tmp_path / "out")
    _, data = only(site_files(tmp_path / "out"), r"files/a\.[0-9a-f]{8}\.jpg")
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG" and getattr(im, "n_frames", 1) == 1 and dict(im.getexif()) == {}
        assert im.convert("RGB").getpixel((5, 5))[0] > 200


def test_a_page_with_50_examples_and_20_images_stays_light(tmp_path: Path) -> None:
    """Issue target: 50 examples and 20 images, HTML under 300 KB, every image lazy."""
    files: dict[str, str | bytes] = {}
    for i in range(20):
        buf = io.BytesIO()
        Image.new("RGB", (900, 600), (i * 12, 80, 200 - i * 8)).save(buf, "PNG")
        files[f"images/out-{i}.png"] = buf.getvalue()
    widget = "".join(f"- example_title: Prompt {i}\n  text: a picture number {i} of a quiet harbour at dawn\n"
                     f"  output:\n    url: images/out-{i % 20}.png\n" for i in range(50))
    make_repo(tmp_path / "src", "m", f"---\npipeline_tag: text-to-image\nlicense: mit\nwidget:\n{widget}---\n# M\n", files)
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == 0
    html = (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")
    size = len(html.encode("utf-8"))
    print(f"50 examples, 20 images: {size / 1000:.1f} KB of HTML")
    assert size < 300_000
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert len(imgs) >= 50
    assert all('loading="lazy"' in tag for tag in imgs if "favicon" not in tag)


def _gif_frame(im: Image.Image) -> tuple[bytes, bytes]:
    """A one-frame GIF of `im` cut in two: everything before its image descriptor, and the
    descriptor with its picture data (without the trailer)."""
    buf = io.BytesIO()
    im.save(buf, "GIF", interlace=False)
    data = buf.getvalue()
    start = data.index(b",", 13 + 3 * (2 << (data[10] & 7)))  # after the header and colour table
    return data[:start], data[start:-1]


@pytest.fixture(scope="module")
def growing_gif() -> bytes:
    """A 10x10 animation whose second frame is 7000x7000: a GIF frame may be larger than the
    screen the header declares, and Pillow grows the picture to hold it (49 MP, drawn RGBA)."""
    head, first = _gif_frame(Image.new("P", (10, 10), 0))
    _, big = _gif_frame(Image.new("P", (7000, 7000), 0))
    return head + first + big + b";"


def test_a_later_frame_larger_than_the_cap_is_refused(tmp_path: Path, growing_gif: bytes) -> None:
    with Image.open(io.BytesIO(growing_gif)) as im:
        assert im.size == (10, 10) and im.n_frames == 2  # what a check of the first frame sees
    make_repo(tmp_path / "src", "m", card("pipeline_tag: text-to-image\nwidget:\n- text: x\n"
                                          "  output: {url: grow.gif}\n"), {"grow.gif": growing_gif})
    r = resolve_repo(tmp_path / "src/m")
    assert len(r.errors) == 1, r.messages
    assert re.search(r"README\.md:5: error: widget\[0\]\.output\.url: 'grow\.gif' is an animation whose "
                     r"frame 2 is 7000x7000 pixels, more than 40,000,000", r.errors[0]), r.errors
    assert r.page is not None and r.page.copies == ()


def test_frames_are_capped_in_number_and_in_pixels_in_all(tmp_path: Path) -> None:
    frames = [Image.new("L", (4, 4), i * 37 % 256) for i in range(media.MAX_FRAMES + 1)]
    many = io.BytesIO()
    frames[0].save(many, "GIF", save_all=True, append_images=frames[1:])
    (tmp_path / "many.gif").write_bytes(many.getvalue())
    with pytest.raises(media.MediaError, match="201 frames"):
        media.inspect_image(tmp_path / "many.gif")
    # Five frames of 30 MP, each under the cap: 150 MP in all, drawn one after the other.
    head, first = _gif_frame(Image.new("P", (10, 10), 0))
    _, frame = _gif_frame(Image.new("P", (6000, 5000), 0))
    (tmp_path / "long.gif").write_bytes(head + first + frame * 6 + b";")
    with pytest.raises(media.MediaError, match="pixels in all frames"):
        media.inspect_image(tmp_path / "long.gif")
