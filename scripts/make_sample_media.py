"""Generate every media file that the demo catalog in ``sample_repos/`` refers to.

Run from the repository root::

    python scripts/make_sample_media.py

Needs:

- Pillow (any recent version; drawings only, no fonts beyond ``ImageFont.load_default()``),
- espeak-ng on PATH (Debian package ``espeak-ng``) for the speech clips.

Tones and noise are synthesised with the standard library (``wave``, ``math`` and a seeded
``random.Random``), speech is espeak-ng resampled to 16 kHz mono 16-bit in pure Python. Every
random source is seeded, so two runs write byte-identical files. The script overwrites existing
files and finishes by checking that each file is between 2 KB and 100 KB.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent / "sample_repos"
MIN_BYTES = 2 * 1024
MAX_BYTES = 100 * 1024
RATE = 16_000  # every WAV we write: 16 kHz, mono, 16-bit

Color = tuple[int, int, int]

# ---------------------------------------------------------------------------
# drawing helpers
# ---------------------------------------------------------------------------


def mix(a: Color, b: Color, t: float) -> Color:
    """Blend two colours; t=0 gives a, t=1 gives b."""
    t = min(1.0, max(0.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def vertical_gradient(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int],
                      stops: Sequence[tuple[float, Color]]) -> None:
    """Fill a box with a top-to-bottom gradient through (position, colour) stops."""
    x0, y0, x1, y1 = box
    height = max(1, y1 - y0)
    for y in range(y0, y1):
        pos = (y - y0) / height
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if p0 <= pos <= p1:
                draw.line([(x0, y), (x1, y)], fill=mix(c0, c1, (pos - p0) / max(p1 - p0, 1e-9)))
                break


def glow(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int,
         inner: Color, outer: Color, rings: int = 40) -> None:
    """Paint concentric discs fading from `inner` at the centre to `outer` at `radius`."""
    cx, cy = centre
    for i in range(rings, 0, -1):
        r = radius * i / rings
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=mix(inner, outer, i / rings))


def crescent(moon: tuple[float, float], r_moon: float, bite: tuple[float, float],
             r_bite: float, steps: int = 180) -> list[tuple[float, float]]:
    """Outline of the moon disc minus the bite disc, as one polygon."""
    (mx, my), (bx, by) = moon, bite
    start = math.atan2(by - my, bx - mx)
    rim = [(mx + r_moon * math.cos(a), my + r_moon * math.sin(a))
           for a in (start + 2 * math.pi * k / steps for k in range(steps + 1))]
    rim = [p for p in rim if math.dist(p, bite) >= r_bite]
    towards = math.atan2(my - by, mx - bx)
    edge = [(bx + r_bite * math.cos(a), by + r_bite * math.sin(a))
            for a in (towards - math.pi + 2 * math.pi * k / steps for k in range(steps + 1))]
    edge = [p for p in edge if math.dist(p, moon) <= r_moon]
    if math.dist(edge[0], rim[-1]) > math.dist(edge[-1], rim[-1]):
        edge.reverse()
    return rim + edge


def supersampled(size: tuple[int, int], scale: int,
                 paint: Callable[[ImageDraw.ImageDraw, int], None]) -> Image.Image:
    """Draw at `scale` times the size, then shrink, which gives smooth anti-aliased edges."""
    big = Image.new("RGB", (size[0] * scale, size[1] * scale), "white")
    paint(ImageDraw.Draw(big), scale)
    return big.resize(size, Image.Resampling.LANCZOS)


# ---------------------------------------------------------------------------
# image-classification samples (about 224x224, recognisable objects)
# ---------------------------------------------------------------------------


def draw_cat() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        vertical_gradient(d, (0, 0, 224 * s, 224 * s), [(0, (196, 226, 244)), (1, (240, 248, 252))])
        orange, dark, pink = (232, 148, 62), (176, 98, 34), (244, 170, 180)
        d.polygon([(52 * s, 98 * s), (62 * s, 28 * s), (106 * s, 70 * s)], fill=orange)
        d.polygon([(172 * s, 98 * s), (162 * s, 28 * s), (118 * s, 70 * s)], fill=orange)
        d.polygon([(64 * s, 84 * s), (68 * s, 44 * s), (94 * s, 70 * s)], fill=pink)
        d.polygon([(160 * s, 84 * s), (156 * s, 44 * s), (130 * s, 70 * s)], fill=pink)
        d.ellipse([40 * s, 56 * s, 184 * s, 196 * s], fill=orange)
        for i, dx in enumerate((-22, 0, 22)):  # tabby stripes on the forehead
            d.line([((112 + dx) * s, 62 * s), ((112 + dx * 0.7) * s, (86 + 4 * (i == 1)) * s)],
                   fill=dark, width=6 * s)
        d.ellipse([58 * s, 120 * s, 166 * s, 190 * s], fill=(248, 214, 170))  # muzzle
        for cx in (84, 140):
            d.ellipse([(cx - 15) * s, 100 * s, (cx + 15) * s, 128 * s], fill=(120, 190, 80))
            d.ellipse([(cx - 4) * s, 101 * s, (cx + 4) * s, 127 * s], fill=(20, 20, 20))
            d.ellipse([(cx + 3) * s, 105 * s, (cx + 8) * s, 110 * s], fill="white")
        d.polygon([(102 * s, 138 * s), (122 * s, 138 * s), (112 * s, 150 * s)], fill=(214, 96, 120))
        d.arc([90 * s, 140 * s, 112 * s, 162 * s], 20, 160, fill=(90, 50, 30), width=3 * s)
        d.arc([112 * s, 140 * s, 134 * s, 162 * s], 20, 160, fill=(90, 50, 30), width=3 * s)
        for dy in (-6, 2, 10):
            d.line([(86 * s, 148 * s), (28 * s, (146 + dy * 2) * s)], fill=(70, 50, 40), width=2 * s)
            d.line([(138 * s, 148 * s), (196 * s, (146 + dy * 2) * s)], fill=(70, 50, 40), width=2 * s)
    return supersampled((224, 224), 3, paint)


def draw_car() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        vertical_gradient(d, (0, 0, 224 * s, 150 * s), [(0, (120, 180, 235)), (1, (214, 234, 248))])
        d.rectangle([0, 150 * s, 224 * s, 224 * s], fill=(96, 98, 104))
        for x in range(0, 224, 40):
            d.rectangle([x * s, 196 * s, (x + 22) * s, 201 * s], fill=(236, 220, 120))
        red, shade = (214, 36, 44), (160, 20, 30)
        d.rounded_rectangle([18 * s, 110 * s, 206 * s, 168 * s], radius=18 * s, fill=red)
        d.polygon([(58 * s, 112 * s), (84 * s, 74 * s), (150 * s, 74 * s), (180 * s, 112 * s)], fill=red)
        d.polygon([(70 * s, 110 * s), (90 * s, 82 * s), (114 * s, 82 * s), (114 * s, 110 * s)],
                  fill=(180, 220, 245))
        d.polygon([(122 * s, 110 * s), (122 * s, 82 * s), (146 * s, 82 * s), (168 * s, 110 * s)],
                  fill=(180, 220, 245))
        d.line([(24 * s, 138 * s), (200 * s, 138 * s)], fill=shade, width=3 * s)
        d.rectangle([190 * s, 120 * s, 206 * s, 132 * s], fill=(255, 236, 150))
        d.rectangle([18 * s, 122 * s, 28 * s, 134 * s], fill=(255, 120, 90))
        for cx in (62, 166):
            d.ellipse([(cx - 24) * s, 144 * s, (cx + 24) * s, 192 * s], fill=(28, 28, 30))
            d.ellipse([(cx - 11) * s, 157 * s, (cx + 11) * s, 179 * s], fill=(190, 192, 198))
    return supersampled((224, 224), 3, paint)


def draw_house() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        vertical_gradient(d, (0, 0, 224 * s, 170 * s), [(0, (150, 200, 240)), (1, (230, 242, 250))])
        glow(d, (186 * s, 36 * s), 26 * s, (255, 226, 90), (255, 200, 60), rings=8)
        vertical_gradient(d, (0, 170 * s, 224 * s, 224 * s), [(0, (110, 180, 80)), (1, (70, 140, 50))])
        d.rectangle([140 * s, 52 * s, 158 * s, 96 * s], fill=(140, 70, 50))  # chimney
        d.rectangle([48 * s, 104 * s, 176 * s, 184 * s], fill=(242, 222, 180))
        d.polygon([(34 * s, 108 * s), (112 * s, 44 * s), (190 * s, 108 * s)], fill=(196, 58, 48))
        d.rectangle([98 * s, 138 * s, 126 * s, 184 * s], fill=(120, 72, 40))
        d.ellipse([119 * s, 160 * s, 123 * s, 164 * s], fill=(240, 200, 80))
        for x in (60, 140):
            d.rectangle([x * s, 122 * s, (x + 26) * s, 148 * s], fill=(160, 210, 240),
                        outline=(255, 255, 255), width=3 * s)
            d.line([((x + 13) * s, 122 * s), ((x + 13) * s, 148 * s)], fill="white", width=2 * s)
            d.line([(x * s, 135 * s), ((x + 26) * s, 135 * s)], fill="white", width=2 * s)
        d.polygon([(98 * s, 184 * s), (126 * s, 184 * s), (140 * s, 224 * s), (84 * s, 224 * s)],
                  fill=(200, 190, 170))
    return supersampled((224, 224), 3, paint)


def draw_tree() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        vertical_gradient(d, (0, 0, 224 * s, 176 * s), [(0, (176, 214, 240)), (1, (236, 244, 236))])
        vertical_gradient(d, (0, 176 * s, 224 * s, 224 * s), [(0, (130, 176, 90)), (1, (96, 140, 64))])
        d.polygon([(98 * s, 196 * s), (104 * s, 110 * s), (120 * s, 110 * s), (128 * s, 196 * s)],
                  fill=(112, 74, 44))
        d.line([(112 * s, 130 * s), (80 * s, 100 * s)], fill=(112, 74, 44), width=8 * s)
        d.line([(114 * s, 124 * s), (148 * s, 96 * s)], fill=(112, 74, 44), width=8 * s)
        rng = random.Random(7)
        greens = [(52, 120, 52), (70, 146, 60), (90, 164, 70), (60, 132, 56)]
        for _ in range(26):
            cx, cy = rng.randint(58, 166), rng.randint(34, 118)
            r = rng.randint(18, 30)
            d.ellipse([(cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s], fill=rng.choice(greens))
        for _ in range(9):
            cx, cy = rng.randint(66, 158), rng.randint(44, 112)
            d.ellipse([(cx - 5) * s, (cy - 5) * s, (cx + 5) * s, (cy + 5) * s], fill=(210, 40, 40))
    return supersampled((224, 224), 3, paint)


# ---------------------------------------------------------------------------
# text-to-image outputs (512x512 "generated" pictures)
# ---------------------------------------------------------------------------


def draw_mountain_sunset() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        W = 512 * s
        vertical_gradient(d, (0, 0, W, 300 * s), [(0, (58, 40, 110)), (0.55, (222, 104, 96)),
                                                  (1, (252, 196, 120))])
        glow(d, (330 * s, 250 * s), 90 * s, (255, 244, 200), (246, 170, 110))
        ranges = [
            ((120, 74, 120), [(0, 300), (70, 190), (140, 250), (220, 150), (300, 240), (380, 170),
                              (450, 230), (512, 200), (512, 300)]),
            ((76, 50, 96), [(0, 300), (40, 240), (120, 210), (200, 270), (260, 220), (350, 280),
                            (430, 215), (512, 260), (512, 300)]),
        ]
        for colour, pts in ranges:
            d.polygon([(x * s, y * s) for x, y in pts], fill=colour)
        d.polygon([(212 * s, 158 * s), (220 * s, 150 * s), (232 * s, 164 * s), (224 * s, 170 * s)],
                  fill=(250, 236, 240))
        vertical_gradient(d, (0, 300 * s, W, 512 * s), [(0, (240, 150, 120)), (1, (40, 40, 90))])
        rng = random.Random(11)
        for _ in range(60):  # sun ripples on the lake
            y = rng.randint(304, 470)
            half = rng.randint(6, 40) * (1 - (y - 300) / 300)
            d.line([((330 - half) * s, y * s), ((330 + half) * s, y * s)], fill=(255, 220, 170),
                   width=2 * s)
        d.polygon([(0, 512 * s), (0, 430 * s), (150 * s, 470 * s), (260 * s, 512 * s)], fill=(30, 30, 50))
    return supersampled((512, 512), 2, paint)


def draw_geometric() -> Image.Image:
    palette = [(38, 70, 83), (42, 157, 143), (233, 196, 106), (244, 162, 97), (231, 111, 81)]

    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        rng = random.Random(3)
        cell = 64 * s
        for row in range(8):
            for col in range(8):
                x0, y0 = col * cell, row * cell
                bg, fg = rng.sample(palette, 2)
                d.rectangle([x0, y0, x0 + cell, y0 + cell], fill=bg)
                kind = rng.randint(0, 3)
                if kind == 0:
                    d.pieslice([x0 - cell, y0 - cell, x0 + cell, y0 + cell], 0, 90, fill=fg)
                elif kind == 1:
                    d.polygon([(x0, y0 + cell), (x0 + cell, y0 + cell), (x0 + cell, y0)], fill=fg)
                elif kind == 2:
                    m = cell // 5
                    d.ellipse([x0 + m, y0 + m, x0 + cell - m, y0 + cell - m], fill=fg)
                    d.ellipse([x0 + 2 * m, y0 + 2 * m, x0 + cell - 2 * m, y0 + cell - 2 * m], fill=bg)
                else:
                    d.rectangle([x0, y0 + cell // 3, x0 + cell, y0 + 2 * cell // 3], fill=fg)
    return supersampled((512, 512), 2, paint)


def draw_night_sky() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        W = 512 * s
        vertical_gradient(d, (0, 0, W, 512 * s), [(0, (6, 10, 36)), (0.7, (28, 44, 100)),
                                                  (1, (60, 70, 130))])
        rng = random.Random(42)
        for _ in range(260):
            x, y = rng.randint(0, 511), rng.randint(0, 380)
            r = rng.choice((0.6, 0.8, 1.0, 1.0, 1.4, 2.0))
            b = rng.randint(160, 255)
            d.ellipse([(x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s], fill=(b, b, min(255, b + 20)))
        glow(d, (390 * s, 110 * s), 80 * s, (70, 80, 132), (13, 20, 56), rings=30)
        d.polygon([(x * s, y * s) for x, y in crescent((390, 110), 40, (412, 96), 36)],
                  fill=(250, 244, 210))
        d.polygon([(x * s, y * s) for x, y in
                   [(0, 512), (0, 400), (90, 370), (200, 410), (300, 380), (420, 420), (512, 390),
                    (512, 512)]], fill=(14, 22, 40))
        d.line([(120 * s, 400 * s), (120 * s, 330 * s)], fill=(8, 12, 24), width=6 * s)
        for k in range(5):  # a small pine silhouette
            w = 10 + k * 7
            d.polygon([((120 - w) * s, (350 + k * 10 - 30) * s), ((120 + w) * s, (350 + k * 10 - 30) * s),
                       (120 * s, (300 + k * 10 - 30) * s)], fill=(8, 12, 24))
    return supersampled((512, 512), 2, paint)


def draw_skyline() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        W = 512 * s
        vertical_gradient(d, (0, 0, W, 400 * s), [(0, (40, 30, 90)), (0.6, (200, 90, 130)),
                                                  (1, (255, 170, 110))])
        rng = random.Random(5)
        x = 0
        while x < 512:
            w = rng.randint(34, 70)
            top = rng.randint(150, 330)
            shade = rng.randint(30, 60)
            d.rectangle([x * s, top * s, (x + w - 4) * s, 400 * s], fill=(shade, shade - 10, shade + 30))
            if rng.random() < 0.3:
                d.line([((x + w // 2) * s, (top - 30) * s), ((x + w // 2) * s, top * s)],
                       fill=(shade, shade, shade + 30), width=3 * s)
            for wy in range(top + 10, 390, 16):
                for wx in range(x + 6, x + w - 10, 11):
                    if rng.random() < 0.45:
                        d.rectangle([wx * s, wy * s, (wx + 5) * s, (wy + 7) * s], fill=(255, 214, 120))
            x += w
        vertical_gradient(d, (0, 400 * s, W, 512 * s), [(0, (70, 50, 100)), (1, (20, 20, 40))])
        for _ in range(90):  # broken reflections on the river
            y = rng.randint(404, 505)
            x0 = rng.randint(0, 500)
            d.line([(x0 * s, y * s), ((x0 + rng.randint(4, 24)) * s, y * s)], fill=(230, 170, 120),
                   width=2 * s)
    return supersampled((512, 512), 2, paint)


def draw_flower() -> Image.Image:
    def paint(d: ImageDraw.ImageDraw, s: int) -> None:
        W = 512 * s
        vertical_gradient(d, (0, 0, W, 512 * s), [(0, (196, 230, 214)), (1, (120, 180, 150))])
        rng = random.Random(9)
        for _ in range(24):  # soft bokeh
            x, y, r = rng.randint(0, 512), rng.randint(0, 512), rng.randint(14, 46)
            d.ellipse([(x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s],
                      fill=mix((196, 230, 214), (250, 250, 230), rng.random() * 0.6))
        d.line([(256 * s, 250 * s), (240 * s, 512 * s)], fill=(60, 120, 50), width=10 * s)
        d.ellipse([150 * s, 380 * s, 246 * s, 420 * s], fill=(70, 140, 60))
        d.ellipse([250 * s, 330 * s, 350 * s, 370 * s], fill=(70, 140, 60))
        cx, cy = 256 * s, 220 * s
        for ring, (length, width, colour) in enumerate([(150, 46, (236, 110, 150)),
                                                        (110, 40, (246, 150, 180))]):
            n = 12
            for k in range(n):
                a = 2 * math.pi * (k + ring * 0.5) / n
                tip = (cx + math.cos(a) * length * s, cy + math.sin(a) * length * s)
                side = (math.cos(a + math.pi / 2) * width / 2 * s, math.sin(a + math.pi / 2) * width / 2 * s)
                mid = (cx + math.cos(a) * length * 0.5 * s, cy + math.sin(a) * length * 0.5 * s)
                d.polygon([(cx, cy), (mid[0] + side[0], mid[1] + side[1]), tip,
                           (mid[0] - side[0], mid[1] - side[1])], fill=colour)
        glow(d, (cx, cy), 46 * s, (250, 210, 80), (200, 120, 40), rings=16)
        for k in range(40):  # seed dots in a sunflower spiral
            a, dist = k * 2.39996, 6 * math.sqrt(k) * s
            px, py = cx + math.cos(a) * dist, cy + math.sin(a) * dist
            d.ellipse([px - 2 * s, py - 2 * s, px + 2 * s, py + 2 * s], fill=(130, 70, 30))
    return supersampled((512, 512), 2, paint)


# ---------------------------------------------------------------------------
# architecture diagram for the image-classification card
# ---------------------------------------------------------------------------


def draw_architecture() -> Image.Image:
    W, H = 880, 260
    img = Image.new("RGB", (W, H), (250, 250, 252))
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=12)
    title = ImageFont.load_default(size=18)
    d.text((20, 14), "tiny-vit-everyday-objects: forward pass", font=title, fill=(30, 30, 40))
    boxes = [
        ("Image", "224 x 224 RGB", (226, 236, 250)),
        ("Patch embedding", "16 x 16 -> 196 tokens", (222, 244, 228)),
        ("Encoder", "6 blocks, dim 192", (252, 238, 214)),
        ("[CLS] token", "LayerNorm", (240, 228, 250)),
        ("Classifier", "linear -> 24 labels", (252, 224, 224)),
    ]
    bw, bh, gap, top = 140, 86, 36, 90
    for i, (name, detail, fill) in enumerate(boxes):
        x = 20 + i * (bw + gap)
        d.rounded_rectangle([x, top, x + bw, top + bh], radius=10, fill=fill, outline=(70, 80, 100), width=2)
        d.text((x + bw / 2, top + 30), name, font=font, fill=(20, 20, 30), anchor="mm")
        d.text((x + bw / 2, top + 58), detail, font=small, fill=(70, 70, 90), anchor="mm")
        if i < len(boxes) - 1:
            ax0, ax1, ay = x + bw + 4, x + bw + gap - 4, top + bh / 2
            d.line([(ax0, ay), (ax1 - 6, ay)], fill=(70, 80, 100), width=3)
            d.polygon([(ax1, ay), (ax1 - 10, ay - 6), (ax1 - 10, ay + 6)], fill=(70, 80, 100))
    enc_x = 20 + 2 * (bw + gap)
    d.arc([enc_x + 30, top + bh - 6, enc_x + bw - 30, top + bh + 40], 0, 180, fill=(200, 120, 40), width=2)
    d.text((enc_x + bw / 2, top + bh + 52), "x6 (repeat)", font=small, fill=(160, 90, 30), anchor="mm")
    d.text((20, H - 24), "Patch size, depth and width are those of the released checkpoint.",
           font=small, fill=(110, 110, 120))
    return img


# ---------------------------------------------------------------------------
# audio helpers
# ---------------------------------------------------------------------------


def write_wav(path: Path, samples: Sequence[float], rate: int = RATE) -> None:
    """Write floats in [-1, 1] as 16-bit mono PCM, peak-normalised to -1 dBFS."""
    peak = max(1e-9, max(abs(v) for v in samples))
    gain = 0.89 / peak
    frames = struct.pack(f"<{len(samples)}h", *(int(round(v * gain * 32767)) for v in samples))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)


def fade(samples: list[float], ms: float = 8.0) -> list[float]:
    """Ramp both ends to avoid clicks."""
    n = min(len(samples) // 2, int(RATE * ms / 1000))
    for i in range(n):
        g = i / n
        samples[i] *= g
        samples[-1 - i] *= g
    return samples


def resample(samples: Sequence[float], src_rate: int, dst_rate: int, taps: int = 16) -> list[float]:
    """Windowed-sinc resampling; the cutoff sits below the lower Nyquist to avoid aliasing."""
    if src_rate == dst_rate:
        return list(samples)
    ratio = src_rate / dst_rate
    cutoff = 0.92 * min(1.0, dst_rate / src_rate)
    out = []
    n_src = len(samples)
    for j in range(int(n_src / ratio)):
        centre = j * ratio
        base = int(centre)
        acc = 0.0
        for k in range(base - taps + 1, base + taps + 1):
            if 0 <= k < n_src:
                x = centre - k
                window = 0.5 + 0.5 * math.cos(math.pi * x / taps) if abs(x) < taps else 0.0
                sinc = cutoff if x == 0 else math.sin(math.pi * cutoff * x) / (math.pi * x)
                acc += samples[k] * sinc * window
        out.append(acc)
    return out


def speak(text: str, voice: str, speed: int = 175) -> list[float]:
    """Return espeak-ng's rendering of `text` at 16 kHz with trimmed silence and short padding."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        sys.exit("espeak-ng not found: install it (Debian: apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speech.wav"
        subprocess.run([exe, "-v", voice, "-s", str(speed), "-w", str(out), text], check=True)
        with wave.open(str(out), "rb") as w:
            if w.getnchannels() != 1 or w.getsampwidth() != 2:
                sys.exit(f"unexpected espeak-ng output format: {w.getparams()}")
            rate = w.getframerate()
            raw = w.readframes(w.getnframes())
    pcm = [v / 32768 for v in struct.unpack(f"<{len(raw) // 2}h", raw)]
    loud = [i for i, v in enumerate(pcm) if abs(v) > 0.01]
    if loud:
        pcm = pcm[max(0, loud[0] - rate // 50): loud[-1] + rate // 20]
    pad = [0.0] * (RATE // 10)
    return pad + resample(pcm, rate, RATE) + pad


def tone_bark(seed: int = 1) -> list[float]:
    """Three rough, falling-pitch bursts with a noisy edge: reads as a dog bark."""
    rng = random.Random(seed)
    out = [0.0] * int(RATE * 1.3)
    for start, f0 in ((0.05, 620.0), (0.45, 560.0), (0.80, 600.0)):
        length = int(RATE * 0.22)
        phase = 0.0
        for i in range(length):
            t = i / RATE
            f = f0 * (1 - 0.45 * t / 0.22)
            phase += 2 * math.pi * f / RATE
            env = min(1.0, t / 0.012) * math.exp(-t / 0.07)
            voiced = sum(math.sin(h * phase) / h for h in range(1, 7))
            out[int(RATE * start) + i] += env * (0.8 * voiced + 0.35 * rng.uniform(-1, 1))
    return fade(out)


def tone_siren() -> list[float]:
    """A wailing siren: the pitch swings between about 650 and 1350 Hz twice a second."""
    out, phase = [], 0.0
    for i in range(int(RATE * 1.6)):
        t = i / RATE
        f = 1000 + 350 * math.sin(2 * math.pi * 1.25 * t)
        phase += 2 * math.pi * f / RATE
        out.append(math.sin(phase) + 0.3 * math.sin(2 * phase) + 0.12 * math.sin(3 * phase))
    return fade(out, 30)


def tone_doorbell() -> list[float]:
    """Ding-dong: E5 then C5, bell-like partials with long decays."""
    out = [0.0] * int(RATE * 1.5)
    for start, f in ((0.02, 659.25), (0.55, 523.25)):
        begin = int(RATE * start)
        for i in range(len(out) - begin):
            t = i / RATE
            env = min(1.0, t / 0.004) * math.exp(-t / 0.35)
            out[begin + i] += env * (math.sin(2 * math.pi * f * t)
                                     + 0.4 * math.sin(2 * math.pi * 2.01 * f * t) * math.exp(-t / 0.12)
                                     + 0.2 * math.sin(2 * math.pi * 3.0 * f * t) * math.exp(-t / 0.06))
    return fade(out)


def tone_rain(seed: int = 4) -> list[float]:
    """Band-limited hiss with scattered droplet ticks: steady rain on a roof."""
    rng = random.Random(seed)
    out, low, high_prev, prev_in = [], 0.0, 0.0, 0.0
    for _ in range(int(RATE * 1.5)):
        x = rng.uniform(-1, 1)
        low += 0.35 * (x - low)  # one-pole low-pass
        high_prev = 0.96 * (high_prev + low - prev_in)  # one-pole high-pass
        prev_in = low
        out.append(0.5 * high_prev)
    for _ in range(70):
        at = rng.randint(0, len(out) - 400)
        amp = rng.uniform(0.3, 0.9)
        f = rng.uniform(1800, 4200)
        for i in range(300):
            out[at + i] += amp * math.exp(-i / 45) * math.sin(2 * math.pi * f * i / RATE)
    return fade(out, 40)


# ---------------------------------------------------------------------------
# what goes where
# ---------------------------------------------------------------------------

VIT = "lumen-vision/tiny-vit-everyday-objects"
DIFF = "lumen-vision/dreamlite-512"
ASR = "sonora-audio/whisper-mini-en"
AUD = "sonora-audio/ast-urban-sounds"
TTS = "sonora-audio/vits-lite-en"

IMAGES: dict[str, Callable[[], Image.Image]] = {
    f"{VIT}/samples/cat.png": draw_cat,
    f"{VIT}/samples/red-car.jpg": draw_car,
    f"{VIT}/samples/house.png": draw_house,
    f"{VIT}/samples/tree.png": draw_tree,
    f"{VIT}/assets/architecture.png": draw_architecture,
    f"{DIFF}/images/mountain-lake-sunset.png": draw_mountain_sunset,
    f"{DIFF}/images/geometric-tiles.png": draw_geometric,
    f"{DIFF}/images/night-sky.png": draw_night_sky,
    f"{DIFF}/images/city-skyline.png": draw_skyline,
    f"{DIFF}/images/pink-flower.png": draw_flower,
}

# (text, espeak-ng voice, words per minute); the card's output text must match the spoken text.
SPEECH: dict[str, tuple[str, str, int]] = {
    f"{ASR}/audio/quick-fox.wav": ("The quick brown fox jumps over the lazy dog.", "en-us", 175),
    f"{ASR}/audio/kitchen-lights.wav": ("Please turn off the lights in the kitchen.", "en-gb", 175),
    f"{ASR}/audio/meeting.wav": ("The meeting starts at ten tomorrow.", "en-us+f2", 170),
    f"{TTS}/samples/welcome.wav": ("Welcome to the Sonora speech demo.", "en-us", 170),
    f"{TTS}/samples/weather.wav": ("Good morning! Today will be sunny and warm.", "en-gb+f3", 175),
    f"{TTS}/samples/train.wav": ("The next train leaves from platform four.", "en-gb-scotland", 175),
}

SOUNDS: dict[str, Callable[[], list[float]]] = {
    f"{AUD}/audio/dog-bark.wav": tone_bark,
    f"{AUD}/audio/siren.wav": tone_siren,
    f"{AUD}/audio/doorbell.wav": tone_doorbell,
    f"{AUD}/audio/rain.wav": tone_rain,
}


def save_image(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".jpg":
        img.save(path, "JPEG", quality=85, optimize=True)
    else:
        img.save(path, "PNG", optimize=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="sample_repos folder (default: %(default)s)")
    args = parser.parse_args(argv)
    root: Path = args.root
    written: list[Path] = []
    for rel, draw in IMAGES.items():
        save_image(draw(), root / rel)
        written.append(root / rel)
    for rel, make in SOUNDS.items():
        write_wav(root / rel, make())
        written.append(root / rel)
    for rel, (text, voice, speed) in SPEECH.items():
        write_wav(root / rel, speak(text, voice, speed))
        written.append(root / rel)
    bad = 0
    for path in written:
        size = path.stat().st_size
        flag = "" if MIN_BYTES <= size <= MAX_BYTES else "  <-- outside 2-100 KB"
        bad += bool(flag)
        print(f"{size / 1024:7.1f} KB  {path.relative_to(root)}{flag}")
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} files, {total / 1024:.1f} KB")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
