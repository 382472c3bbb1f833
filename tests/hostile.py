"""Hostile repos that cannot be stored in git (symlinks, FIFOs, devices, huge or binary files,
file names that are not UTF-8, folders that differ only in case), made from a table.

Each maker builds one repo under `source` (and may plant files beside it, in `outside`) and
the table holds the diagnostics that repo must produce, in the format of
hostile_repos/*/expect.txt. test_hostile.py builds these and the stored repos as one site.
"""
from __future__ import annotations

import io
import os
import random
import stat
import struct
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import make_repo, png_bytes, wav_bytes
from PIL import Image

CANARY = b"HOSTILE-CANARY-8d1f0c2e: this file lives outside every repo\n"
TOKEN = "HOSTILE-TOKEN-ghp_5b7e2a9c"
CARD = "---\nlicense: mit\n---\n# Model\n\nA hostile test model for sitegen.\n"


@dataclass(frozen=True)
class Made:
    name: str  # the repo's id (org/name for nested ones); its folder is source/<name>
    make: Callable[[Path, Path], None]  # (source, outside)
    expect: str  # expect.txt lines
    kind: str = ""  # the category, when the name cannot start with it


def _card(meta: str, body: str = "# Model\n\nA hostile test model for sitegen.\n") -> str:
    return f"---\n{meta.strip()}\n---\n{body}"


def _png_header(width: int, height: int) -> bytes:
    """A PNG that is only its header: claims a size, holds no pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
        + chunk(b"IEND", b"")


def _png_text_bomb() -> bytes:
    """A real 4x4 PNG with a zTXt chunk that inflates to 100 MB."""
    png = png_bytes(4, 4)
    data = b"Comment\x00\x00" + zlib.compress(b"\x00" * 100_000_000, 9)
    chunk = struct.pack(">I", len(data)) + b"zTXt" + data + struct.pack(">I", zlib.crc32(b"zTXt" + data))
    return png[:-12] + chunk + png[-12:]


def _jpeg_with_gps() -> bytes:
    im = Image.new("RGB", (16, 12), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010E] = "HOSTILE-EXIF-CANARY description"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, comment=b"HOSTILE-JPEG-COMMENT")
    return buf.getvalue()


def _gif(frames: int) -> bytes:
    images = [Image.new("RGB", (2, 2), (i % 256, i // 256, 7)) for i in range(frames)]
    buf = io.BytesIO()
    images[0].save(buf, "GIF", save_all=True, append_images=images[1:], duration=10)
    return buf.getvalue()


def _growing_gif() -> bytes:
    """A 2x2 animation whose second frame is one pixel at (6999, 6999): the picture grows to
    7000x7000 (49 MP) to hold it, from a file of a hundred bytes."""
    def cut(im: Image.Image) -> tuple[bytes, bytes]:
        buf = io.BytesIO()
        im.save(buf, "GIF")
        data = buf.getvalue()
        start = data.index(b",", 13 + 3 * (2 << (data[10] & 7)))
        return data[:start], data[start:-1]
    head, first = cut(Image.new("P", (2, 2), 0))
    _, pixel = cut(Image.new("P", (1, 1), 0))
    return head + first + pixel[:1] + struct.pack("<HH", 6999, 6999) + pixel[5:] + b";"


def _wav_header(channels: int, rate: int, width: int, frames: int, data: bytes) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width, width * 8)
    return b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt \
        + b"data" + struct.pack("<I", min(frames * max(channels * width, 1), 2**32 - 1)) + data


def _src_card(task: str, *srcs: str, body: str = "") -> str:
    items = "".join(f"- src: '{s}'\n" for s in srcs)
    return _card(f"license: mit\npipeline_tag: {task}\nwidget:\n{items}", body or "# Model\n\nHostile.\n")


# ---------------- files ----------------

def files_symlink_out(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-symlink-out", _src_card("image-classification", "samples/link.png",
                     body="# Link\n\n![l](samples/link.png)\n[t](notes.txt)\n"), {"samples/ok.png": png_bytes()})
    os.symlink(outside / "canary.png", root / "samples/link.png")
    os.symlink(outside / "canary.txt", root / "notes.txt")


def files_symlink_sibling_prefix(source: Path, outside: Path) -> None:
    # files-prefix-evil/ starts with the repo's own name: a string-prefix check would pass it.
    root = make_repo(source, "files-prefix", _card("license: mit", "# Prefix\n\n[s](s.txt) ![i](i.png)\n"))
    evil = source / "files-prefix-evil"
    evil.mkdir()
    (evil / "secret.txt").write_bytes(CANARY)
    (evil / "secret.png").write_bytes((outside / "canary.png").read_bytes())
    os.symlink("../files-prefix-evil/secret.txt", root / "s.txt")
    os.symlink("../files-prefix-evil/secret.png", root / "i.png")


def files_fifo(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-fifo", _src_card("audio-classification", "clip.wav",
                     body="# FIFO\n\n[clip](clip.wav) ![img](pic.png)\n"))
    os.mkfifo(root / "clip.wav")
    os.mkfifo(root / "pic.png")
    os.mkfifo(root / "tokenizer_config.json")


def files_readme_fifo(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-readme-fifo", None, {"config.json": '{"model_type": "bert"}'})
    os.mkfifo(root / "README.md")


def files_devices(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-devices", _src_card("audio-classification", "rand.wav",
                     body="# Devices\n\n![z](zero.png)\n"))
    os.symlink("/dev/zero", root / "zero.png")
    os.symlink("/dev/urandom", root / "rand.wav")


def files_device_node(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-device-node", _src_card("image-classification", "zero.png",
                     body="# Device\n\n[z](zero.png)\n"))
    try:  # /dev/zero's numbers; only root may make a device node: a FIFO stands in otherwise
        os.mknod(root / "zero.png", stat.S_IFCHR | 0o644, os.makedev(1, 5))
    except (PermissionError, AttributeError):
        os.mkfifo(root / "zero.png")


def files_too_big(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-too-big", _src_card("image-classification", "big.png"))
    with open(root / "big.png", "wb") as f:  # sparse: 21 MB on paper, nothing on disk
        f.write(png_bytes()[:16])
        f.truncate(21 * 1024 * 1024)


def files_hidden_git(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-hidden-git", _card("license: mit", "# Git\n\n[cfg](.git/config) "
                     "![i](.git/logo.png) [env](.env) [link](cfg.txt) [ok](.eval_results/r.yaml)\n"), {
        ".git/config": f'[remote "origin"]\n\turl = https://user:{TOKEN}@huggingface.co/x/y\n',
        ".git/logo.png": png_bytes(), ".env": f"HF_TOKEN={TOKEN}\n",
        ".eval_results/r.yaml": "- dataset: {id: glue}\n  value: 0.5\n"})
    os.symlink(".git/config", root / "cfg.txt")


def files_readme_symlink(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-readme-symlink", None, {"config.json": '{"model_type": "bert"}'})
    os.symlink(outside / "canary.txt", root / "README.md")


def files_config_symlink(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-config-symlink", CARD)
    os.symlink(outside / "canary.json", root / "config.json")


def files_symlink_loop(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-symlink-loop", _src_card("image-classification", "a.png"))
    os.symlink("b.png", root / "a.png")
    os.symlink("a.png", root / "b.png")


def files_undecodable_names(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-undecodable-names", CARD, {"ok.txt": "fine\n"})
    os.makedirs(os.fsencode(root) + b"/d\xff\xfe", exist_ok=True)
    with open(os.fsencode(root) + b"/\xff.bin", "wb") as f:
        f.write(b"x")
    with open(os.fsencode(root) + b"/d\xff\xfe/x.txt", "wb") as f:
        f.write(b"x")


def files_deep_folders(source: Path, outside: Path) -> None:
    root = make_repo(source, "files-deep-folders", _card("license: mit", "# Deep\n\n[f](" + "d/" * 60 + "f.txt)\n"))
    (root / ("d/" * 60)).mkdir(parents=True)
    (root / ("d/" * 60) / "f.txt").write_text("deep\n")


# ---------------- images ----------------

def _image_repo(name: str, files: dict[str, bytes], *srcs: str, body: str = "") -> Callable[[Path, Path], None]:
    def make(source: Path, outside: Path) -> None:
        make_repo(source, name, _src_card("image-classification", *srcs, body=body), dict(files))
    return make


def _truncated_png() -> bytes:
    im = Image.effect_noise((64, 64), 50).convert("RGB")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def _polyglot_png() -> bytes:
    return png_bytes() + b"<script>alert('HOSTILE-TAIL-CANARY')</script>"


# ---------------- audio ----------------

def _audio_repo(name: str, files: dict[str, bytes], *srcs: str) -> Callable[[Path, Path], None]:
    def make(source: Path, outside: Path) -> None:
        make_repo(source, name, _src_card("audio-classification", *srcs), dict(files))
    return make


# ---------------- layout ----------------

def layout_case(source: Path, outside: Path) -> None:
    make_repo(source, "Layout-Case", CARD)
    make_repo(source, "layout-case", CARD)


def layout_unicode_forms(source: Path, outside: Path) -> None:
    make_repo(source, unicodedata.normalize("NFC", "layout-café"), CARD)
    make_repo(source, unicodedata.normalize("NFD", "layout-café"), CARD)


def layout_nested_prefix(source: Path, outside: Path) -> None:
    make_repo(source, "layout-nest", CARD)
    make_repo(source / "Layout-Nest", "inner", CARD)


def layout_too_deep(source: Path, outside: Path) -> None:
    make_repo(source / "layout-org" / "team", "model", CARD)


def layout_awkward_names(source: Path, outside: Path) -> None:
    make_repo(source, "layout awk#ward?name", CARD)
    make_repo(source, "index.html", CARD)
    make_repo(source, "CON", CARD)


def layout_skipped_folders(source: Path, outside: Path) -> None:
    make_repo(source, ".layout-hidden", CARD)  # tool state and drafts are never models
    make_repo(source, "_layout-draft", CARD)


def widget_masks(source: Path, outside: Path) -> None:
    svg = "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"
    many = "".join(f"  - {{label: m{i}, score: 0.5, mask: mask.png}}\n" for i in range(101))
    make_repo(source, "widget-masks", _card(f"""license: mit
pipeline_tag: image-segmentation
widget:
- src: photo.png
  output:
  - {{label: svg, score: 0.5, mask: '{svg}'}}
- src: photo.png
  output:
  - {{label: html, score: 0.5, mask: page.png}}
- src: photo.png
  output:
  - {{label: bomb, score: 0.5, mask: bomb.png}}
- src: photo.png
  output:
{many}- src: photo.png
  output:
  - {{label: ok, score: 0.5, mask: mask.png}}
"""), {"photo.png": png_bytes(32, 24), "mask.png": png_bytes(32, 24, (255, 255, 255)),
        "page.png": b"<html><script>alert('HOSTILE-MASK')</script></html>",
        "bomb.png": _png_header(9000, 9000)})


def _body_repo(name: str, body: str) -> Callable[[Path, Path], None]:
    def make(source: Path, outside: Path) -> None:
        make_repo(source, name, "---\nlicense: mit\n---\n" + body)
    return make


def yaml_huge_front_matter(source: Path, outside: Path) -> None:
    make_repo(source, "yaml-huge-front-matter", "---\nlicense: mit\nnotes: |\n" + "  padding line\n" * 170_000 + "---\n# Big\n")


def widget_too_many_examples(source: Path, outside: Path) -> None:
    items = "".join(f"- text: example {i}\n" for i in range(1001))
    make_repo(source, "widget-too-many-examples", _card("license: mit\npipeline_tag: text-classification\nwidget:\n" + items))


# ---------------- amplification: what one card can make (issue 20) ----------------

def md_gallery_repeated(source: Path, outside: Path) -> None:
    items = "".join(f"- text: p{i}\n  output: {{url: a.png}}\n" for i in range(120))
    make_repo(source, "md-gallery-repeated", _card("license: mit\npipeline_tag: text-to-image\nwidget:\n" + items,
              "# G\n\n" + "<Gallery />\n\n" * 50), {"a.png": png_bytes()})


def widget_table_padded(source: Path, outside: Path) -> None:
    columns = "".join(f"    c{i}: [x]\n" for i in range(400)) + "    z: [" + ",".join(["1"] * 1000) + "]\n"
    make_repo(source, "widget-table-padded", _card("license: mit\npipeline_tag: table-question-answering\n"
                                                   f"widget:\n- text: q\n  table:\n{columns}"))


def yaml_many_tags(source: Path, outside: Path) -> None:
    tags = "".join(f"- hostile-tag-{i}\n" for i in range(5000))
    make_repo(source, "yaml-many-tags", _card(f"license: mit\ntags:\n{tags}"))


def yaml_many_languages(source: Path, outside: Path) -> None:
    languages = "".join(f"- zz{i}\n" for i in range(5000))
    make_repo(source, "yaml-many-languages", _card(f"license: mit\nlanguage:\n{languages}"))


def config_utf16(source: Path, outside: Path) -> None:
    make_repo(source, "config-utf16", CARD, {"config.json": '{"model_type": "bert"}'.encode("utf-16")})


def config_too_big(source: Path, outside: Path) -> None:
    make_repo(source, "config-too-big", CARD, {"config.json": '{"pad": "' + "x" * (1024 * 1024) + '"}'})


def plant_outside(outside: Path) -> None:
    """Files beside the source folder that symlinks point at: none may reach the site."""
    (outside / "canary.txt").write_bytes(CANARY)
    (outside / "canary.json").write_bytes(b'{"model_type": "' + CANARY.strip() + b'"}')
    im = Image.new("RGB", (8, 8), (1, 2, 3))
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=_text_info(CANARY.decode()))
    (outside / "canary.png").write_bytes(buf.getvalue())


def _text_info(text: str) -> object:
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return info


rng = random.Random(6)
E = "README.md"
MADE: list[Made] = [
    Made("files-symlink-out", files_symlink_out, f"""
{E}:5: error: widget[0].src: 'samples/link.png' leads outside the repo (symlink)
{E}:9: warning: image 'samples/link.png': 'samples/link.png' leads outside the repo (symlink)
{E}:10: warning: link 'notes.txt': 'notes.txt' leads outside the repo (symlink)"""),
    Made("files-prefix", files_symlink_sibling_prefix, f"""
{E}:6: warning: link 's.txt': 's.txt' leads outside the repo (symlink)
{E}:6: warning: image 'i.png': 'i.png' leads outside the repo (symlink)"""),
    Made("files-fifo", files_fifo, f"""
{E}:5: error: widget[0].src: 'clip.wav' is not a regular file
{E}:9: warning: link 'clip.wav': 'clip.wav' is not a regular file
{E}:9: warning: image 'pic.png': 'pic.png' is not a regular file"""),
    Made("files-readme-fifo", files_readme_fifo, """
: warning: no README.md"""),
    Made("files-devices", files_devices, f"""
{E}:5: error: widget[0].src: 'rand.wav' leads outside the repo (symlink)
{E}:9: warning: image 'zero.png': 'zero.png' leads outside the repo (symlink)"""),
    Made("files-device-node", files_device_node, f"""
{E}:5: error: widget[0].src: 'zero.png' is not a regular file
{E}:9: warning: link 'zero.png': 'zero.png' is not a regular file"""),
    Made("files-too-big", files_too_big, f"""
{E}:5: error: widget[0].src: 'big.png' is 22,020,096 bytes, more than 20,971,520"""),
    Made("files-hidden-git", files_hidden_git, f"""
{E}:6: warning: link '.git/config': '.git/config' is in a hidden folder
{E}:6: warning: image '.git/logo.png': '.git/logo.png' is in a hidden folder
{E}:6: warning: link '.env': '.env' is in a hidden folder
{E}:6: warning: link 'cfg.txt': 'cfg.txt' leads into a hidden folder (symlink)"""),
    Made("files-readme-symlink", files_readme_symlink, """
: warning: no README.md"""),
    Made("files-config-symlink", files_config_symlink, """
config.json: warning: config.json is a symlink; ignored"""),
    Made("files-symlink-loop", files_symlink_loop, f"""
{E}:5: error: widget[0].src: file 'a.png' is not in the repo"""),
    Made("files-undecodable-names", files_undecodable_names, ""),
    # listed only 32 folders deep, but a card may still link the file: it is in the repo
    Made("files-deep-folders", files_deep_folders, ""),
    Made("image-decompression-bomb", _image_repo("image-decompression-bomb", {"bomb.png": _png_header(100_000, 100_000)}, "bomb.png"),
         f"{E}:5: error: widget[0].src: 'bomb.png' is not a readable image"),
    Made("image-over-pixel-cap", _image_repo("image-over-pixel-cap", {"big.png": _png_header(7000, 7000)}, "big.png"),
         f"{E}:5: error: widget[0].src: 'big.png' is 7000x7000 pixels, more than 40,000,000"),
    Made("image-truncated", _image_repo("image-truncated", {"cut.png": _truncated_png()}, "cut.png",
                                        body="# Cut\n\n![cut](cut.png)\n"),
         f"""{E}:5: error: widget[0].src: 'cut.png' is not a readable image
{E}:9: warning: image 'cut.png': 'cut.png' is not a readable image"""),
    Made("image-random-bytes", _image_repo("image-random-bytes", {
        "noise.png": b"\x89PNG\r\n\x1a\n" + rng.randbytes(3000), "noise.jpg": b"\xff\xd8\xff" + rng.randbytes(3000),
        "noise.gif": b"GIF89a" + rng.randbytes(500)}, "noise.png", "noise.jpg", "noise.gif"),
         f"""{E}:5: error: widget[0].src: 'noise.png' is not a readable image
{E}:6: error: widget[1].src: 'noise.jpg' is not a readable image
{E}:7: error: widget[2].src: 'noise.gif' is not a readable image"""),
    # JPEG bytes named .png: published as what they are
    Made("image-content-decides", _image_repo("image-content-decides", {"photo.png": _jpeg_with_gps()}, "photo.png"),
         "shows: files/photo.13ea469a.jpg"),
    Made("image-exif-stripped", _image_repo("image-exif-stripped", {"gps.jpg": _jpeg_with_gps()}, "gps.jpg"), ""),
    Made("image-polyglot-tail", _image_repo("image-polyglot-tail", {"tail.png": _polyglot_png()}, "tail.png"), ""),
    Made("image-too-many-frames", _image_repo("image-too-many-frames", {"anim.gif": _gif(201)}, "anim.gif"),
         f"{E}:5: error: widget[0].src: 'anim.gif' is 201 frames of 2x2 pixels, too many to show"),
    Made("image-growing-gif", _image_repo("image-growing-gif", {"grow.gif": _growing_gif()}, "grow.gif"),
         f"{E}:5: error: widget[0].src: 'grow.gif' is an animation whose frame 2 is 7000x7000 pixels, "
         "more than 40,000,000"),
    Made("image-empty", _image_repo("image-empty", {"empty.png": b""}, "empty.png"),
         f"{E}:5: error: widget[0].src: 'empty.png' is empty"),
    Made("image-text-chunk-bomb", _image_repo("image-text-chunk-bomb", {"zt.png": _png_text_bomb()}, "zt.png"),
         f"{E}:5: error: widget[0].src: 'zt.png' is not a readable image"),
    Made("audio-fake-wav", _audio_repo("audio-fake-wav", {"speech.wav": b"<script>alert('HOSTILE-AUDIO')</script>\n"}, "speech.wav"),
         f"{E}:5: error: widget[0].src: 'speech.wav' is not published: its bytes are HTML, SVG or XML"),
    Made("audio-truncated-wav", _audio_repo("audio-truncated-wav", {"cut.wav": wav_bytes(8000)[:3000]}, "cut.wav"), ""),
    Made("audio-broken-headers", _audio_repo("audio-broken-headers", {
        "zero-channels.wav": _wav_header(0, 8000, 2, 100, b"\x00" * 200),
        "zero-rate.wav": _wav_header(1, 0, 2, 100, b"\x00" * 200),
        "huge-frames.wav": _wav_header(1, 8000, 2, 2**31 - 1, b"\x01\x00" * 50),
        "wide.wav": _wav_header(1, 8000, 7, 10, b"\x00" * 70)},
        "zero-channels.wav", "zero-rate.wav", "huge-frames.wav", "wide.wav"), ""),
    # MP3 bytes (an ID3 tag) are audio, whatever follows: published as .mp3, never as a page
    Made("audio-mp3-polyglot", _audio_repo("audio-mp3-polyglot", {"song.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00<html><script>alert('HOSTILE-MP3')</script>"}, "song.mp3"),
         "shows: <audio controls preload=\"metadata\" src=\"files/song."),
    Made("audio-html-named-ogg", _audio_repo("audio-html-named-ogg", {"a.ogg": b"<html><body onload=alert(1)>HOSTILE-OGG</body></html>"}, "a.ogg"),
         f"{E}:5: error: widget[0].src: 'a.ogg' is not published: its bytes are HTML, SVG or XML"),
    Made("layout-skipped-folders", layout_skipped_folders, "no page"),
    # Each of these took minutes before (quadratic anchors, task lists, nh3 on nested HTML).
    Made("md-repeated-headings", _body_repo("md-repeated-headings", "# Results\n" * 5_000), "shows: results-4999"),
    Made("md-long-task-list", _body_repo("md-long-task-list", "- [x] done\n" * 5_000 + "\nTail.\n"), "shows: Tail."),
    Made("html-very-deep", _body_repo("html-very-deep", "<div>" * 20_000 + "deep\n"),
         f"{E}:4: warning: raw HTML nested more than 100 elements deep; the card's HTML is shown as text"),
    Made("md-long-body", _body_repo("md-long-body", "Some text.\n" * 30_000 + "<script>TAIL-OF-A-LONG-CARD</script>\n"),
         f"""{E}:23835: warning: the card body is longer than 262,144 characters; from this line on it is shown as plain text
shows: &lt;script&gt;TAIL-OF-A-LONG-CARD&lt;/script&gt;"""),
    Made("widget-masks", widget_masks, f"""
{E}:7: error: widget[0].output[0].mask: the mask is not a PNG image; example not shown
{E}:10: error: widget[1].output[0].mask: 'page.png' is not published: its bytes are HTML, SVG or XML; example not shown
{E}:13: error: widget[2].output[0].mask: 'bomb.png' is 9000x9000 pixels, more than 40,000,000; example not shown
{E}:15: error: widget[3].output: expected at most 100 masks, got 101 (an image-segmentation output); example not shown"""),
    Made("yaml-huge-front-matter", yaml_huge_front_matter, f"""
{E}:2: error: front matter is 2,550,021 characters, more than the 2,097,152 allowed
no page"""),
    Made("widget-too-many-examples", widget_too_many_examples, f"""
{E}:4: error: widget: 1001 examples, only the first 1000 are shown"""),
    Made("md-gallery-repeated", md_gallery_repeated, f"""
{E}:4: warning: widget: <Gallery /> shows the first 100 of the 120 examples with an image or video output
{E}:250: warning: <Gallery /> is placed 50 times and a page shows it once: the 49 placements from this line on
hides: <Gallery"""),
    Made("widget-table-padded", widget_table_padded, f"""
{E}:6: warning: widget[0].table: a table shows at most 100 columns, 1,000 rows and 10,000 cells (after padding its columns to the longest): 301 more columns and 900 more rows are left out
shows: 301 more columns and 900 more rows not shown."""),
    Made("yaml-many-tags", yaml_many_tags, f"""
{E}:104: warning: tags[100]: a model keeps at most 100 tags: the first 100 are kept, 4,900 more are left out
shows: hostile-tag-99<
hides: hostile-tag-100<"""),
    Made("yaml-many-languages", yaml_many_languages, f"""
# one warning each for the first 100 bad codes; one for the next 1,900 (codes past the first
# 2,000 are left out unread) and the cap on languages
: warning: language[
{E}:104: warning: … and 1,901 more problems in this file (1,901 warnings)"""),
    Made("config-utf16", config_utf16, """
config.json:1: error: file is UTF-16, expected UTF-8
no page"""),
    Made("config-too-big", config_too_big, """
config.json: error: file is 1,048,587 bytes, more than the 1,048,576 allowed
no page"""),
    Made("Layout-Case", layout_case, ""),
    Made("layout-case", lambda s, o: None, """
: error: model id differs only in case from
no page"""),
    # The NFD spelling sorts first (e + U+0301 < é), so it is the one kept.
    Made(unicodedata.normalize("NFD", "layout-café"), layout_unicode_forms, """
: warning: folder name 'layout-café' is not a valid Hub repo name"""),
    Made(unicodedata.normalize("NFC", "layout-café"), lambda s, o: None, """
: warning: folder name 'layout-café' is not a valid Hub repo name
: error: model id is the same name (in another Unicode form) as
no page"""),
    Made("layout-nest", layout_nested_prefix, ""),
    Made("Layout-Nest/inner", lambda s, o: None, """
: error: model id would be published inside the folder of
no page"""),
    Made("layout-org/team", layout_too_deep, """
: warning: a model repo is nested deeper than org/name, skipped
no page"""),
    Made("layout awk#ward?name", layout_awkward_names, """
: warning: folder name 'layout awk#ward?name' is not a valid Hub repo name""", "layout"),
    Made("index.html", lambda s, o: None, "", "layout"),  # a name sitegen gives its pages: published at models/index.html-<digest>/
    Made("CON", lambda s, o: None, "", "layout"),  # a Windows device name: published at models/CON-<digest>/
]
