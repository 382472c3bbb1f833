"""Generate every media file that the demo catalog in ``sample_repos/`` refers to.

Run from the repository root::

    python scripts/make_sample_media.py

Needs:

- Pillow (any recent version; drawings only, no fonts beyond ``ImageFont.load_default()``),
- espeak-ng on PATH (Debian package ``espeak-ng``) for the speech clips,
- ffmpeg on PATH (Debian package ``ffmpeg``, with libx264) for the MP4 videos,
- PyYAML (a dependency of sitegen) for the final check of the cards.

Tones and noise are synthesised with the standard library (``wave``, ``math`` and a seeded
``random.Random``), speech is espeak-ng resampled to 16 kHz (8 kHz for the speech-enhancement
model) mono 16-bit in pure Python. Pictures are Pillow drawings; the annotated scenes are lists of
shapes, so the same shapes also give the object boxes, the segmentation masks and the depth maps.
Videos are frames drawn the same way, encoded by ffmpeg (H.264, single-threaded, bit-exact
flags). Every random source is seeded, so two runs write byte-identical files.

The script overwrites existing files and then checks two things: that each file is between 2 KB
and 100 KB (binary masks compress far better, so their floor is 256 bytes), and that the boxes and
masks stored in the cards are the ones the drawings give (``--print-outputs`` prints them in the
cards' format, ready to paste).
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TypeGuard, cast

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent / "sample_repos"
MIN_BYTES = 2 * 1024
MAX_BYTES = 100 * 1024
MIN_MASK_BYTES = 256  # binary masks compress to well under 1 KB
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
# scenes: one list of shapes draws the picture, and also its masks, boxes and depth map
# ---------------------------------------------------------------------------

# A fill is a colour or a top-to-bottom gradient of (position, colour) stops over the shape.
Stops = tuple[tuple[float, Color], ...]
# Depth (0 far .. 1 near) of a thing: constant, or ("v", y0, d0, y1, d1) / ("h", x0, d0, x1, d1),
# a linear ramp along y or x between two image coordinates (clamped beyond them).
Depth = float | tuple[str, float, float, float, float]
Ink = int | tuple[int, ...]  # what Pillow paints with: a colour, or a value in an L image


@dataclass(frozen=True)
class Shape:
    """One drawing primitive in image pixels (floats); drawn `scale` times larger."""

    kind: str  # rect rrect ellipse polygon line ring arc pie chord text
    xy: tuple[float, ...]
    fill: Color | Stops
    width: float = 0.0  # line/ring/arc width, rrect radius, text size
    angles: tuple[float, float] = (0.0, 360.0)
    text: str = ""  # what a text shape says
    anchor: str = "la"  # Pillow's text anchor


@dataclass(frozen=True)
class Thing:
    """An object or a region of stuff: its shapes share one mask, one box and one depth."""

    label: str
    shapes: tuple[Shape, ...]
    depth: Depth = 0.5
    score: float = 0.0  # what the card's model says about it
    detect: bool = True  # a countable object (gets a box); False for sky, road, walls


@dataclass(frozen=True)
class Scene:
    size: tuple[int, int]
    things: tuple[Thing, ...]  # back to front
    scale: int = 2


def _flat(points: Sequence[tuple[float, float]]) -> tuple[float, ...]:
    return tuple(v for p in points for v in p)


def rect(x0: float, y0: float, x1: float, y1: float, fill: Color | Stops) -> Shape:
    return Shape("rect", (x0, y0, x1, y1), fill)


def rrect(x0: float, y0: float, x1: float, y1: float, radius: float, fill: Color | Stops) -> Shape:
    return Shape("rrect", (x0, y0, x1, y1), fill, radius)


def oval(x0: float, y0: float, x1: float, y1: float, fill: Color | Stops) -> Shape:
    return Shape("ellipse", (x0, y0, x1, y1), fill)


def disc(cx: float, cy: float, r: float, fill: Color | Stops) -> Shape:
    return Shape("ellipse", (cx - r, cy - r, cx + r, cy + r), fill)


def poly(points: Sequence[tuple[float, float]], fill: Color | Stops) -> Shape:
    return Shape("polygon", _flat(points), fill)


def stroke(points: Sequence[tuple[float, float]], width: float, fill: Color) -> Shape:
    """A polyline with round ends and joints (limbs, leashes, poles)."""
    return Shape("line", _flat(points), fill, width)


def ring(cx: float, cy: float, r: float, width: float, fill: Color) -> Shape:
    return Shape("ring", (cx - r, cy - r, cx + r, cy + r), fill, width)


def arc(box: tuple[float, float, float, float], start: float, end: float, width: float,
        fill: Color) -> Shape:
    return Shape("arc", box, fill, width, (start, end))


def pie(box: tuple[float, float, float, float], start: float, end: float, fill: Color) -> Shape:
    return Shape("pie", box, fill, 0.0, (start, end))


def chord(box: tuple[float, float, float, float], start: float, end: float, fill: Color) -> Shape:
    return Shape("chord", box, fill, 0.0, (start, end))


def lettering(x: float, y: float, words: str, size: float, fill: Color, anchor: str = "la") -> Shape:
    return Shape("text", (x, y), fill, size, text=words, anchor=anchor)


def _is_stops(fill: Color | Stops) -> TypeGuard[Stops]:
    return isinstance(fill[0], tuple)


def _draw_shape(d: ImageDraw.ImageDraw, sh: Shape, s: int, fill: Ink) -> None:
    """Draw one shape at scale `s` with `fill` (a colour, or an integer for L images)."""
    v = [c * s for c in sh.xy]
    pts = list(zip(v[::2], v[1::2], strict=True))
    w = max(1, round(sh.width * s))
    if sh.kind == "rect":
        d.rectangle(pts, fill=fill)
    elif sh.kind == "rrect":
        d.rounded_rectangle(pts, radius=sh.width * s, fill=fill)
    elif sh.kind == "ellipse":
        d.ellipse(pts, fill=fill)
    elif sh.kind == "polygon":
        d.polygon(pts, fill=fill)
    elif sh.kind == "line":
        d.line(pts, fill=fill, width=w, joint="curve")
        r = sh.width * s / 2
        for x, y in (pts[0], pts[-1]):
            d.ellipse([x - r, y - r, x + r, y + r], fill=fill)
    elif sh.kind == "ring":
        d.ellipse(pts, outline=fill, width=w)
    elif sh.kind == "arc":
        d.arc(pts, *sh.angles, fill=fill, width=w)
    elif sh.kind == "pie":
        d.pieslice(pts, *sh.angles, fill=fill)
    elif sh.kind == "chord":
        d.chord(pts, *sh.angles, fill=fill)
    elif sh.kind == "text":
        d.text(pts[0], sh.text, font=ImageFont.load_default(size=sh.width * s), fill=fill, anchor=sh.anchor)
    else:
        raise ValueError(f"unknown shape kind {sh.kind!r}")


def _ramp(size: tuple[int, int], along: str, a: float, va: float, b: float, vb: float,
          mode: str, colour: Callable[[float], Ink]) -> Image.Image:
    """A full-size image whose value changes linearly from `a` to `b` along x or y."""
    n = size[1] if along == "v" else size[0]
    line = Image.new(mode, (1, n) if along == "v" else (n, 1))
    for i in range(n):
        t = (i - a) / (b - a) if b != a else 0.0
        value = colour(va + (vb - va) * min(1.0, max(0.0, t)))
        line.putpixel((0, i) if along == "v" else (i, 0), value)
    return line.resize(size, Image.Resampling.NEAREST)


def _stops_at(stops: Stops, pos: float) -> Color:
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if p0 <= pos <= p1:
            return mix(c0, c1, (pos - p0) / max(p1 - p0, 1e-9))
    return stops[-1][1] if pos > stops[-1][0] else stops[0][1]


def _shape_mask(size: tuple[int, int], shapes: Sequence[Shape], s: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    d = ImageDraw.Draw(mask)
    for sh in shapes:
        _draw_shape(d, sh, s, 255)
    return mask


def render(scene: Scene) -> Image.Image:
    """The picture: every thing back to front, supersampled."""
    s = scene.scale
    big = Image.new("RGB", (scene.size[0] * s, scene.size[1] * s), "white")
    d = ImageDraw.Draw(big)
    for thing in scene.things:
        for sh in thing.shapes:
            fill = sh.fill
            if _is_stops(fill):
                mask = _shape_mask(big.size, [sh], s)
                box = mask.getbbox()
                if box:
                    grad = _ramp(big.size, "v", box[1], 0.0, box[3], 1.0, "RGB", partial(_stops_at, fill))
                    big.paste(grad, mask=mask)
            else:
                _draw_shape(d, sh, s, cast(Color, fill))
    return big.resize(scene.size, Image.Resampling.LANCZOS)


def _label_map(scene: Scene) -> Image.Image:
    """Which thing (1-based index) is visible at each supersampled pixel; 0 for none."""
    s = scene.scale
    labels = Image.new("L", (scene.size[0] * s, scene.size[1] * s), 0)
    d = ImageDraw.Draw(labels)
    for i, thing in enumerate(scene.things, 1):
        for sh in thing.shapes:
            if sh.kind != "text":  # text sits on its own thing
                _draw_shape(d, sh, s, i)
    return labels


def masks(scene: Scene, groups: Sequence[Sequence[int]]) -> list[Image.Image]:
    """One binary mask (L, 0 or 255, image size) per group of thing indices: what is visible."""
    labels = _label_map(scene)
    out = []
    for group in groups:
        wanted = {i + 1 for i in group}
        big = labels.point(lambda v, w=wanted: 255 if v in w else 0)
        small = big.resize(scene.size, Image.Resampling.BOX)
        out.append(small.point(lambda v: 255 if v >= 128 else 0))
    return out


def boxes(scene: Scene, indices: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """Pixel boxes (xmin, ymin, xmax, ymax; max exclusive) of the visible part of each thing."""
    found = []
    for mask in masks(scene, [[i] for i in indices]):
        box = mask.getbbox()
        if box is None:
            raise ValueError("a thing with a box is hidden completely")
        found.append(box)
    return found


def depth_map(scene: Scene) -> Image.Image:
    """Relative inverse depth as a grayscale image: near is bright, the sky is black."""
    s = scene.scale
    big = Image.new("L", (scene.size[0] * s, scene.size[1] * s), 0)
    d = ImageDraw.Draw(big)
    for thing in scene.things:
        shapes = [sh for sh in thing.shapes if sh.kind != "text"]
        if isinstance(thing.depth, (int, float)):
            for sh in shapes:
                _draw_shape(d, sh, s, round(255 * thing.depth))
        else:
            along, a, va, b, vb = thing.depth
            grad = _ramp(big.size, along, a * s, va, b * s, vb, "L", lambda t: round(255 * t))
            big.paste(grad, mask=_shape_mask(big.size, shapes, s))
    small = big.resize(scene.size, Image.Resampling.BOX)
    return small.filter(ImageFilter.GaussianBlur(1.5))


# ---------------------------------------------------------------------------
# things to put in scenes (side views; x, y in image pixels, y grows downwards)
# ---------------------------------------------------------------------------

SKIN = ((241, 194, 160), (198, 134, 92), (141, 85, 54), (224, 172, 130))
HAIR = ((50, 34, 24), (20, 20, 20), (150, 96, 44), (200, 170, 110))


def person(cx: float, feet: float, h: float, shirt: Color, trousers: Color, skin: Color = SKIN[0],
           hair: Color = HAIR[0], arms: tuple[float, float] = (12, 12),
           legs: tuple[float, float] = (5, 5), shoes: Color = (40, 40, 46)) -> tuple[Shape, ...]:
    """A standing person; arm and leg angles are degrees away from hanging straight down,
    measured outwards on each side (180 = arm straight up)."""
    def limb(x: float, y: float, angle: float, length: float, side: int) -> tuple[float, float]:
        a = math.radians(angle)
        return x + side * length * math.sin(a), y + length * math.cos(a)

    head_r = h * 0.085
    head_y = feet - h + head_r
    hip_y = feet - h * 0.47
    shoulder_y = feet - h * 0.79
    leg_w, arm_w = h * 0.085, h * 0.06
    out: list[Shape] = []
    for side, angle in ((-1, legs[0]), (1, legs[1])):
        hip = (cx + side * h * 0.045, hip_y)
        foot = limb(*hip, angle, h * 0.45, side)
        out.append(stroke([hip, foot], leg_w, trousers))
        out.append(oval(foot[0] - h * 0.05 + side * h * 0.01, foot[1] - h * 0.015,
                        foot[0] + h * 0.05 + side * h * 0.01, foot[1] + h * 0.03, shoes))
    out.append(rrect(cx - h * 0.105, shoulder_y - h * 0.03, cx + h * 0.105, hip_y + h * 0.03,
                     h * 0.05, shirt))
    for side, angle in ((-1, arms[0]), (1, arms[1])):
        shoulder = (cx + side * h * 0.085, shoulder_y + h * 0.01)
        hand = limb(*shoulder, angle, h * 0.33, side)
        out.append(stroke([shoulder, hand], arm_w, shirt))
        out.append(disc(hand[0], hand[1], h * 0.032, skin))
    out.append(rect(cx - h * 0.03, head_y + head_r * 0.6, cx + h * 0.03, shoulder_y, skin))
    out.append(disc(cx, head_y, head_r, skin))
    out.append(chord((cx - head_r * 1.04, head_y - head_r * 1.08, cx + head_r * 1.04,
                      head_y + head_r * 0.9), 180, 360, hair))
    return tuple(out)


def hand_of(cx: float, feet: float, h: float, angle: float, side: int) -> tuple[float, float]:
    """Where person()'s hand is, for leashes, strings and umbrellas."""
    a = math.radians(angle)
    return cx + side * h * 0.085 + side * h * 0.33 * math.sin(a), feet - h * 0.78 + h * 0.33 * math.cos(a)


def car(x0: float, ground: float, length: float, body: Color, facing: int = 1) -> tuple[Shape, ...]:
    """The side-view car of draw_car(), scaled so that its body is `length` long."""
    k = length / 188

    def p(x: float, y: float) -> tuple[float, float]:
        if facing < 0:
            x = 224 - x
        return x0 + (x - 18) * k, ground + (y - 192) * k

    def box(xa: float, ya: float, xb: float, yb: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = p(xa, ya), p(xb, yb)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    shade = mix(body, (0, 0, 0), 0.3)
    glass = (180, 220, 245)
    out = [
        rrect(*box(18, 110, 206, 168), 18 * k, body),
        poly([p(58, 112), p(84, 74), p(150, 74), p(180, 112)], body),
        poly([p(70, 110), p(90, 82), p(114, 82), p(114, 110)], glass),
        poly([p(122, 110), p(122, 82), p(146, 82), p(168, 110)], glass),
        rect(*box(24, 137, 200, 140), shade),
        rect(*box(190, 120, 206, 132), (255, 236, 150)),
        rect(*box(18, 122, 28, 134), (255, 120, 90)),
    ]
    for cx in (62, 166):
        out.append(oval(*box(cx - 24, 144, cx + 24, 192), (28, 28, 30)))
        out.append(oval(*box(cx - 11, 157, cx + 11, 179), (190, 192, 198)))
    return tuple(out)


def dog(cx: float, feet: float, size: float, coat: Color, facing: int = 1,
        tail_up: bool = True) -> tuple[Shape, ...]:
    """A side-view dog about `size` long from tail to nose."""
    f, z = facing, size
    dark = mix(coat, (0, 0, 0), 0.35)

    def p(x: float, y: float) -> tuple[float, float]:
        return cx + f * x * z, feet - y * z

    def box(xa: float, ya: float, xb: float, yb: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = p(xa, ya), p(xb, yb)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    out = [stroke([p(-0.3, 0.5), p(-0.45, 0.72 if tail_up else 0.4)], 0.06 * z, coat)]
    for x in (-0.25, -0.15, 0.17, 0.27):
        out.append(rect(*box(x - 0.04, 0.0, x + 0.04, 0.4), coat if abs(x) > 0.2 else dark))
    out += [
        oval(*box(-0.35, 0.28, 0.35, 0.62), coat),
        oval(*box(0.22, 0.5, 0.5, 0.82), coat),  # head
        oval(*box(0.4, 0.52, 0.6, 0.68), mix(coat, (255, 255, 255), 0.25)),  # muzzle
        disc(*p(0.59, 0.63), 0.035 * z, (25, 20, 20)),  # nose
        disc(*p(0.39, 0.71), 0.025 * z, (25, 20, 20)),  # eye
        poly([p(0.25, 0.78), p(0.33, 0.8), p(0.3, 0.56), p(0.22, 0.62)], dark),  # ear
        rect(*box(0.16, 0.5, 0.24, 0.6), (200, 40, 40)),  # collar
    ]
    return tuple(out)


def traffic_light(x: float, ground: float, h: float, lit: str = "red") -> tuple[Shape, ...]:
    pole = (70, 74, 80)
    housing = (36, 38, 42)
    w = h * 0.17
    top = ground - h
    out = [rect(x - h * 0.022, top + h * 0.3, x + h * 0.022, ground, pole),
           rrect(x - w / 2, top, x + w / 2, top + h * 0.38, h * 0.03, housing)]
    lamps = {"red": (235, 50, 40), "amber": (250, 180, 40), "green": (60, 210, 90)}
    for i, name in enumerate(("red", "amber", "green")):
        colour = lamps[name] if name == lit else mix(lamps[name], housing, 0.75)
        out.append(disc(x, top + h * (0.07 + 0.12 * i), h * 0.045, colour))
    return tuple(out)


def tree(x: float, ground: float, h: float, seed: int, greens: Sequence[Color] = (
        (52, 120, 52), (70, 146, 60), (90, 164, 70), (60, 132, 56))) -> tuple[Shape, ...]:
    rng = random.Random(seed)
    out = [poly([(x - h * 0.05, ground), (x - h * 0.025, ground - h * 0.55),
                 (x + h * 0.025, ground - h * 0.55), (x + h * 0.05, ground)], (112, 74, 44))]
    cy = ground - h * 0.68
    for _ in range(14):
        ox, oy = rng.uniform(-0.2, 0.2) * h, rng.uniform(-0.22, 0.14) * h
        r = rng.uniform(0.1, 0.16) * h
        out.append(disc(x + ox, cy + oy, r, rng.choice(list(greens))))
    return tuple(out)


def building(x0: float, x1: float, top: float, ground: float, wall: Color, seed: int,
             lit: float = 0.0) -> tuple[Shape, ...]:
    rng = random.Random(seed)
    out = [rect(x0, top, x1, ground, wall), rect(x0, top, x1, top + 4, mix(wall, (0, 0, 0), 0.25))]
    dark, warm = mix(wall, (30, 40, 60), 0.6), (255, 214, 120)
    y = top + 12
    while y + 14 < ground - 24:
        x = x0 + 8
        while x + 10 < x1 - 6:
            out.append(rect(x, y, x + 10, y + 13, warm if rng.random() < lit else dark))
            x += 18
        y += 24
    door = (x0 + x1) / 2
    out.append(rect(door - 8, ground - 24, door + 8, ground, mix(wall, (0, 0, 0), 0.5)))
    return tuple(out)


def bicycle(x: float, ground: float, size: float, frame: Color) -> tuple[Shape, ...]:
    r = size * 0.22
    rear, front = (x + r, ground - r), (x + size - r, ground - r)
    crank = (x + size * 0.45, ground - r)
    seat = (x + size * 0.38, ground - r - size * 0.36)
    bars = (x + size * 0.72, ground - r - size * 0.4)
    tire, w = (30, 30, 32), size * 0.035
    return (ring(*rear, r, size * 0.04, tire), ring(*front, r, size * 0.04, tire),
            stroke([rear, crank, seat, rear], w, frame),
            stroke([crank, (bars[0] - size * 0.04, bars[1] + size * 0.06), seat], w, frame),
            stroke([front, bars], w, frame),
            stroke([(seat[0] - size * 0.06, seat[1] - size * 0.02),
                    (seat[0] + size * 0.05, seat[1] - size * 0.02)],
                   size * 0.045, (40, 30, 30)),
            stroke([(bars[0] - size * 0.06, bars[1]), (bars[0] + size * 0.03, bars[1] - size * 0.02)],
                   size * 0.03, (40, 30, 30)))


def bench(x0: float, ground: float, w: float) -> tuple[Shape, ...]:
    wood, iron = (150, 96, 52), (50, 52, 56)
    h = w * 0.45
    out = [rect(x0 + w * 0.08, ground - h * 0.5, x0 + w * 0.12, ground, iron),
           rect(x0 + w * 0.88, ground - h * 0.5, x0 + w * 0.92, ground, iron),
           rect(x0 + w * 0.08, ground - h, x0 + w * 0.12, ground - h * 0.5, iron),
           rect(x0 + w * 0.88, ground - h, x0 + w * 0.92, ground - h * 0.5, iron)]
    for i in range(3):
        y = ground - h + i * h * 0.14
        out.append(rect(x0, y, x0 + w, y + h * 0.09, wood))
    out.append(rect(x0 - w * 0.02, ground - h * 0.55, x0 + w * 1.02, ground - h * 0.45, wood))
    return tuple(out)


def apple(cx: float, cy: float, r: float, skin: Color = (208, 36, 40)) -> tuple[Shape, ...]:
    return (disc(cx - r * 0.35, cy, r * 0.8, skin), disc(cx + r * 0.35, cy, r * 0.8, skin),
            disc(cx, cy + r * 0.1, r * 0.88, skin),
            disc(cx - r * 0.35, cy - r * 0.3, r * 0.18, mix(skin, (255, 255, 255), 0.45)),
            stroke([(cx, cy - r * 0.6), (cx + r * 0.1, cy - r * 1.05)], r * 0.1, (90, 60, 30)),
            poly([(cx + r * 0.1, cy - r * 0.9), (cx + r * 0.55, cy - r * 1.15),
                  (cx + r * 0.3, cy - r * 0.8)], (80, 150, 50)))


def orange_fruit(cx: float, cy: float, r: float) -> tuple[Shape, ...]:
    return (disc(cx, cy, r, (245, 140, 30)), disc(cx - r * 0.35, cy - r * 0.35, r * 0.2, (252, 190, 110)),
            disc(cx + r * 0.1, cy - r * 0.92, r * 0.1, (90, 120, 40)))


def banana(box: tuple[float, float, float, float], start: float, end: float) -> tuple[Shape, ...]:
    """A banana along the lower rim of an ellipse, from angle start to end."""
    w = (box[2] - box[0]) * 0.12
    x0, y0, x1, y1 = box
    cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2

    def at(a: float) -> tuple[float, float]:
        return cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a))

    return (arc(box, start, end, w, (246, 214, 60)),
            arc((x0 + w * 0.3, y0 + w * 0.3, x1 - w * 0.3, y1 - w * 0.3), start + 6, end - 6, w * 0.25,
                (250, 232, 130)),
            disc(*at(start), w * 0.3, (110, 80, 40)), disc(*at(end), w * 0.3, (110, 80, 40)))
# ---------------------------------------------------------------------------
# annotated scenes (object detection, segmentation, mask generation, depth)
# ---------------------------------------------------------------------------

DAY_SKY: Stops = ((0.0, (112, 170, 230)), (1.0, (214, 234, 248)))
GRASS: Stops = ((0.0, (150, 196, 110)), (1.0, (88, 146, 60)))
WOOD: Stops = ((0.0, (184, 130, 80)), (1.0, (140, 92, 52)))


def coffee_cup(cx: float, base: float, w: float) -> tuple[Shape, ...]:
    """A white cup of coffee on a saucer; `base` is the bottom of the saucer."""
    white, rim, coffee = (246, 244, 240), (214, 210, 204), (92, 58, 36)
    top = base - w * 1.0
    return (oval(cx - w * 0.75, base - w * 0.22, cx + w * 0.75, base, rim),
            oval(cx - w * 0.7, base - w * 0.24, cx + w * 0.7, base - w * 0.04, white),
            ring(cx + w * 0.56, top + w * 0.42, w * 0.2, w * 0.08, white),
            poly([(cx - w / 2, top), (cx + w / 2, top), (cx + w * 0.42, base - w * 0.14),
                  (cx - w * 0.42, base - w * 0.14)], white),
            oval(cx - w / 2, top - w * 0.1, cx + w / 2, top + w * 0.1, rim),
            oval(cx - w * 0.44, top - w * 0.07, cx + w * 0.44, top + w * 0.07, coffee))


@cache
def scene_street_crossing() -> Scene:
    W = 640
    things = [Thing("sky", (rect(0, 0, W, 240, DAY_SKY),), 0.0, detect=False)]
    rng = random.Random(21)
    walls = [(196, 120, 100), (222, 200, 160), (150, 160, 178), (210, 170, 130), (170, 140, 150)]
    x = -10
    for i, w in enumerate((130, 110, 150, 120, 150)):
        things.append(Thing("building", building(x, x + w - 6, rng.randint(40, 120), 238, walls[i], i, 0.15),
                            0.1, detect=False))
        x += w
    things.append(Thing("sidewalk",
                        (rect(0, 236, W, 264, (200, 196, 188)), rect(0, 260, W, 264, (150, 150, 150))),
                        ("v", 236, 0.18, 264, 0.24), detect=False))
    road = [rect(0, 263, W, 424, ((0.0, (96, 98, 104)), (1.0, (70, 72, 78))))]
    road += [rect(x, 338, x + 34, 342, (236, 210, 100)) for x in range(0, W, 60) if not 180 < x < 460]
    for k in range(7):
        road.append(poly([(250 + k * 26, 265), (264 + k * 26, 265), (242 + k * 36, 422),
                          (222 + k * 36, 422)],
                         (236, 236, 232)))
    things.append(Thing("road", tuple(road), ("v", 263, 0.24, 424, 0.72), detect=False))
    things.append(Thing("sidewalk",
                        (rect(0, 420, W, 480, (206, 200, 190)), rect(0, 420, W, 426, (150, 150, 150))),
                        ("v", 420, 0.72, 480, 0.9), detect=False))
    things.append(Thing("traffic light", traffic_light(566, 252, 150, "red"), 0.2, 0.874))
    things.append(Thing("car", car(30, 318, 180, (214, 36, 44)), 0.34, 0.981))
    things.append(Thing("person", person(372, 344, 118, (226, 120, 40), (50, 60, 90), SKIN[1], HAIR[1],
                                          arms=(10, 28), legs=(12, 6)), 0.44, 0.962))
    things.append(Thing("dog", dog(432, 346, 54, (120, 84, 50)), 0.45, 0.917))
    collar = (432 + 0.2 * 54, 346 - 0.55 * 54)
    things.append(Thing("leash", (stroke([hand_of(372, 344, 118, 28, 1), collar], 1.6, (40, 40, 40)),),
                        0.45, detect=False))
    things.append(Thing("person", person(292, 392, 136, (40, 110, 200), (60, 60, 70), SKIN[0], HAIR[2],
                                          arms=(18, 14), legs=(14, 8)), 0.58, 0.974))
    things.append(Thing("car", car(448, 408, 186, (40, 96, 176), facing=-1), 0.66, 0.968))
    return Scene((640, 480), tuple(things))


@cache
def scene_park_walk() -> Scene:
    things = [Thing("sky", (rect(0, 0, 640, 240, DAY_SKY),), 0.0, detect=False),
              Thing("vegetation", (poly([(0, 240), (0, 200), (120, 176), (260, 206), (400, 180), (540, 198),
                                         (640, 186), (640, 240)], (96, 140, 96)),), 0.06, detect=False),
              Thing("grass", (rect(0, 230, 640, 480, GRASS),), ("v", 230, 0.1, 480, 0.95), detect=False),
              Thing("path", (poly([(300, 232), (340, 232), (430, 480), (170, 480)], (214, 196, 160)),),
                    ("v", 230, 0.1, 480, 0.95), detect=False),
              Thing("tree", tree(568, 262, 120, 3), 0.18, detect=False),
              Thing("tree", tree(86, 300, 230, 4), 0.3, detect=False),
              Thing("bench", bench(446, 318, 140), 0.34, 0.893),
              Thing("person", person(338, 262, 54, (200, 60, 90), (40, 50, 80), SKIN[2], HAIR[1],
                                     legs=(8, 8)), 0.2, 0.842),
              Thing("bicycle", bicycle(150, 356, 124, (30, 140, 120)), 0.45, 0.911),
              Thing("person", person(286, 444, 196, (240, 200, 60), (70, 80, 110), SKIN[3], HAIR[0],
                                     arms=(10, 30), legs=(12, 10)), 0.85, 0.987),
              Thing("dog", dog(404, 446, 88, (40, 36, 34)), 0.85, 0.958)]
    collar = (404 + 0.2 * 88, 446 - 0.55 * 88)
    things.append(Thing("leash", (stroke([hand_of(286, 444, 196, 30, 1), collar], 2.2, (190, 40, 40)),),
                        0.85,
                        detect=False))
    return Scene((640, 480), tuple(things))


@cache
def scene_breakfast() -> Scene:
    grain = [stroke([(0, y), (220, y + 6), (420, y - 4), (640, y + 3)], 1.5, (150, 100, 60))
             for y in range(200, 480, 37)]
    croissant = []
    for k in range(5):  # overlapping lobes along an arc, largest in the middle
        a = math.radians(200 + k * 35)
        r = 26 - abs(k - 2) * 6
        croissant.append(disc(190 + 44 * math.cos(a), 318 + 40 * math.sin(a), r,
                              (214, 150, 64) if k % 2 else (196, 128, 48)))
    glass = (226, 236, 242)
    things = [Thing("wall", (rect(0, 0, 640, 180, ((0.0, (244, 236, 218)), (1.0, (226, 214, 190)))),),
                    0.05, detect=False),
              Thing("table", (rect(0, 170, 640, 480, WOOD), *grain), ("v", 170, 0.2, 480, 1.0),
                    detect=False),
              Thing("plate",
                    (oval(70, 250, 310, 352, (214, 214, 220)), oval(84, 258, 296, 344, (248, 248, 250))),
                    0.6, detect=False),
              Thing("croissant", tuple(croissant), 0.62, 0.934),
              Thing("glass of orange juice", (poly([(488, 150), (560, 150), (552, 302), (496, 302)], glass),
                                              poly([(492, 182), (556, 182), (549, 296), (499, 296)],
                                                   (246, 160, 40)),
                                              oval(488, 143, 560, 157, (206, 218, 226)),
                                              oval(492, 176, 556, 188, (250, 186, 80))), 0.45, 0.887),
              Thing("coffee cup", coffee_cup(404, 304, 88), 0.55, 0.953),
              Thing("banana", banana((64, 300, 300, 460), 20, 160), 0.9, 0.921),
              Thing("apple", apple(452, 402, 34), 0.85, 0.946)]
    return Scene((640, 480), tuple(things))


@cache
def scene_garden() -> Scene:
    fence = []
    for x in range(-6, 640, 44):
        fence.append(poly([(x, 300), (x, 130), (x + 19, 112), (x + 38, 130), (x + 38, 300)],
                          (196, 160, 120)))
    fence += [rect(0, 160, 640, 172, (170, 134, 96)), rect(0, 250, 640, 262, (170, 134, 96))]
    flowers = [stroke([(555, 340), (540 + 14 * k, 282 - 8 * (k % 2))], 3, (60, 130, 50)) for k in range(3)]
    flowers += [disc(540 + 14 * k, 280 - 8 * (k % 2), 10, c)
                for k, c in enumerate([(230, 80, 120), (250, 200, 60), (180, 90, 200)])]
    things = [Thing("sky", (rect(0, 0, 640, 200, DAY_SKY),), 0.0, detect=False),
              Thing("fence", tuple(fence), 0.15, detect=False),
              Thing("grass", (rect(0, 290, 640, 480, GRASS),), ("v", 290, 0.2, 480, 0.95), detect=False),
              Thing("bird", (poly([(452, 108), (440, 116), (446, 104)], (70, 80, 110)),
                             oval(448, 98, 486, 118, (90, 110, 150)), disc(486, 98, 10, (90, 110, 150)),
                             poly([(494, 96), (504, 100), (494, 102)], (240, 170, 40)),
                             oval(454, 104, 472, 116, (220, 120, 80)), disc(489, 96, 2, (10, 10, 10))),
                    0.16, 0.811),
              Thing("flower pot",
                    (*flowers, poly([(512, 336), (598, 336), (588, 430), (522, 430)], (196, 100, 60)),
                                   rect(506, 330, 604, 346, (176, 86, 50))), 0.62, 0.873),
              Thing("watering can", (arc((436, 334, 484, 380), 180, 360, 7, (40, 140, 90)),
                                     poly([(428, 394), (432, 378), (392, 344), (386, 350)], (40, 140, 90)),
                                     disc(386, 345, 8, (30, 120, 76)),
                                     rrect(426, 358, 494, 432, 8, (50, 160, 100)),
                                     rect(426, 380, 494, 386, (36, 126, 80))), 0.72, 0.889),
              Thing("ball",
                    (disc(360, 412, 24, (220, 40, 40)),
                     arc((338, 390, 382, 434), 200, 340, 3, (250, 250, 250)),
                             disc(352, 403, 6, (246, 140, 140))), 0.8, 0.902),
              Thing("dog", dog(200, 432, 150, (214, 160, 90)), 0.78, 0.946)]
    return Scene((640, 480), tuple(things))


@cache
def scene_city_street() -> Scene:
    things = [Thing("sky", (rect(0, 0, 512, 220, DAY_SKY),), 0.0, 0.994, detect=False)]
    walls = [(186, 110, 96), (214, 196, 160), (140, 150, 170), (200, 160, 120)]
    for i, (x0, x1, top) in enumerate([(0, 120, 60), (126, 250, 30), (256, 380, 90), (386, 512, 50)]):
        things.append(Thing("building", building(x0, x1, top, 216, walls[i], 10 + i, 0.1), 0.1, 0.962,
                            False))
    things += [Thing("sidewalk",
                     (rect(0, 212, 512, 240, (204, 198, 188)), rect(0, 236, 512, 240, (150, 150, 150))),
                     ("v", 212, 0.2, 240, 0.26), 0.871, False),
               Thing("road", (rect(0, 240, 512, 384, ((0.0, (98, 100, 106)), (1.0, (70, 72, 78)))),
                              *[rect(x, 316, x + 30, 320, (240, 240, 236)) for x in range(10, 512, 64)]),
                     ("v", 240, 0.26, 384, 0.9), 0.957, False),
               Thing("tree", tree(430, 236, 170, 12), 0.3, 0.928, False),
               Thing("person",
                     person(300, 238, 92, (90, 160, 90), (50, 50, 60), SKIN[2], HAIR[1], legs=(10, 6)),
                     0.27, 0.903, False),
               Thing("person",
                     person(470, 246, 100, (200, 70, 70), (40, 60, 100), SKIN[0], HAIR[3], legs=(6, 12)),
                     0.3, 0.903, False),
               Thing("car", car(54, 344, 210, (236, 188, 40)), 0.6, 0.948, False)]
    return Scene((512, 384), tuple(things))


@cache
def scene_beach() -> Scene:
    waves = [stroke([(x, y), (x + 30, y - 2), (x + 60, y)], 2, (170, 214, 236))
             for y in (186, 204, 224) for x in range((y * 7) % 90 - 60, 512, 110)]
    fronds = []
    top = (112, 112)
    for k in range(7):  # fronds arch up from the crown and droop at the tips
        dx = math.cos(math.radians(-165 + k * 25))
        tip = (top[0] + 86 * dx, top[1] + 34 * abs(dx) - 8)
        mid = (top[0] + 48 * dx, top[1] - 16 + 4 * abs(dx))
        fronds.append(poly([top, (mid[0], mid[1] - 7), tip, (mid[0], mid[1] + 8)],
                           (46, 130, 60) if k % 2 else (62, 150, 70)))
    canopy = [pie((232, 190, 372, 270), 180 + 30 * k, 210 + 30 * k,
                  (236, 70, 60) if k % 2 else (250, 244, 236))
              for k in range(6)]
    things = [Thing("sky", (rect(0, 0, 512, 172, ((0.0, (96, 164, 230)), (1.0, (206, 232, 248)))),
                            disc(420, 60, 24, (255, 240, 190))), 0.0, 0.991, False),
              Thing("sea", (rect(0, 170, 512, 250, ((0.0, (40, 120, 180)), (1.0, (80, 176, 200)))), *waves),
                    ("v", 170, 0.05, 250, 0.3), 0.973, False),
              Thing("boat", (poly([(328, 196), (404, 196), (392, 212), (340, 212)], (150, 70, 40)),
                             stroke([(364, 196), (364, 140)], 2.5, (90, 60, 40)),
                             poly([(366, 142), (366, 192), (398, 192)], (250, 250, 246)),
                             poly([(362, 150), (362, 192), (340, 192)], (236, 120, 60))), 0.1, 0.884, False),
              Thing("sand", (poly([(0, 248), (120, 240), (260, 250), (400, 238), (512, 246), (512, 384),
                                   (0, 384)], ((0.0, (238, 214, 160)), (1.0, (222, 190, 130)))),),
                    ("v", 240, 0.3, 384, 0.95), 0.966, False),
              Thing("palm",
                    (stroke([(70, 330), (86, 250), (100, 170), (112, 112)], 13, (140, 100, 60)), *fronds),
                    0.62, 0.912, False),
              Thing("umbrella", (stroke([(302, 332), (302, 224)], 4, (90, 90, 96)), *canopy), 0.55, 0.897,
                    False),
              Thing("person", person(214, 348, 126, (248, 248, 244), (40, 140, 200), SKIN[1], HAIR[0],
                                     arms=(20, 14), legs=(6, 6)), 0.7, 0.936, False)]
    return Scene((512, 384), tuple(things))


@cache
def scene_fruit_bowl() -> Scene:
    pear = (disc(338, 196, 30, (170, 196, 70)), disc(344, 160, 20, (170, 196, 70)),
            stroke([(346, 140), (350, 128)], 4, (100, 70, 30)))
    things = [Thing("wall", (rect(0, 0, 512, 200, ((0.0, (236, 230, 240)), (1.0, (214, 206, 222)))),), 0.1,
                    detect=False),
              Thing("table", (rect(0, 190, 512, 384, WOOD), rect(0, 190, 512, 196, (120, 80, 44))),
                    ("v", 190, 0.3, 384, 1.0), 0.874, False),
              Thing("bowl", (oval(126, 196, 386, 246, (70, 110, 150)),), 0.6, 0.0, False),
              Thing("orange", orange_fruit(282, 190, 42), 0.6, 0.961, False),
              Thing("pear", pear, 0.6, 0.944, False),
              Thing("apple", apple(196, 204, 40), 0.62, 0.972, False),
              Thing("banana", banana((150, 120, 330, 236), 30, 150), 0.64, 0.927, False),
              Thing("bowl", (chord((126, 120, 386, 330), 0, 180, (60, 130, 190)),
                             arc((126, 120, 386, 330), 20, 160, 3, (100, 170, 220)),
                             oval(206, 322, 306, 338, (40, 96, 150))), 0.65, 0.983, False)]
    return Scene((512, 384), tuple(things))


@cache
def scene_toy_blocks() -> Scene:
    things = [Thing("wall", (rect(0, 0, 512, 170, ((0.0, (204, 226, 244)), (1.0, (182, 208, 232)))),), 0.1,
                    detect=False),
              Thing("floor", (rect(0, 160, 512, 384, ((0.0, (206, 170, 120)), (1.0, (170, 128, 80)))),
                              *[stroke([(0, y), (512, y + 4)], 1.5, (150, 110, 70))
                                for y in range(190, 384, 40)]),
                    ("v", 160, 0.3, 384, 1.0), 0.862, False),
              Thing("pyramid", (poly([(332, 300), (392, 168), (404, 300)], (250, 214, 60)),
                                poly([(404, 300), (392, 168), (452, 288)], (214, 176, 40))),
                    0.5, 0.951, False),
              Thing("cube", (rect(70, 200, 170, 300, (214, 50, 50)),
                             poly([(70, 200), (100, 176), (200, 176), (170, 200)], (240, 100, 90)),
                             poly([(170, 200), (200, 176), (200, 276), (170, 300)], (170, 36, 40))),
                    0.55, 0.978, False),
              Thing("ball", (disc(272, 262, 42, (50, 100, 210)), disc(258, 246, 11, (140, 180, 240))), 0.55,
                    0.969, False),
              Thing("cylinder",
                    (oval(160, 338, 222, 362, (40, 130, 70)), rect(160, 290, 222, 350, (60, 160, 90)),
                                 oval(160, 278, 222, 302, (120, 200, 140))), 0.75, 0.957, False)]
    return Scene((512, 384), tuple(things))


@cache
def scene_corridor() -> Scene:
    def top(x: float) -> float:
        return x * 130 / 196

    def bottom(x: float) -> float:
        return 384 - x * 154 / 196

    left_doors, right_doors = [], []
    for xa, xb in ((40, 96), (140, 164)):
        door = [(xa, bottom(xa)), (xa, bottom(xa) - 0.62 * (bottom(xa) - top(xa))),
                (xb, bottom(xb) - 0.62 * (bottom(xb) - top(xb))), (xb, bottom(xb))]
        left_doors.append(poly(door, (150, 100, 60)))
        right_doors.append(poly([(512 - x, y) for x, y in door], (60, 110, 150)))
    lights = [poly([(256 - w, y), (256 + w, y), (256 + w * 0.8, y + h), (256 - w * 0.8, y + h)],
                   (255, 250, 220))
              for w, y, h in ((60, 18, 14), (34, 72, 8), (20, 102, 5))]
    plant = (poly([(404, 298), (462, 298), (454, 350), (412, 350)], (190, 96, 60)),
             *[oval(400 + 16 * k - 10, 226 + 12 * (k % 2), 400 + 16 * k + 12, 300, (60, 140, 70))
               for k in range(4)])
    things = [Thing("far wall", (rect(196, 130, 316, 230, (210, 204, 190)),
                                 rect(236, 150, 276, 230, (120, 90, 60))), 0.1, detect=False),
              Thing("ceiling", (poly([(0, 0), (512, 0), (316, 130), (196, 130)], (238, 236, 230)), *lights),
                    ("v", 0, 0.8, 130, 0.12), detect=False),
              Thing("floor", (poly([(0, 384), (512, 384), (316, 230), (196, 230)], WOOD),),
                    ("v", 230, 0.12, 384, 1.0), detect=False),
              Thing("wall", (poly([(0, 0), (196, 130), (196, 230), (0, 384)], (226, 214, 186)), *left_doors),
                    ("h", 0, 1.0, 196, 0.12), detect=False),
              Thing("wall",
                    (poly([(512, 0), (316, 130), (316, 230), (512, 384)], (214, 202, 176)), *right_doors),
                    ("h", 512, 1.0, 316, 0.12), detect=False),
              Thing("ball", (disc(232, 270, 13, (220, 50, 50)), disc(228, 266, 4, (246, 150, 150))), 0.42,
                    detect=False),
              Thing("plant", plant, 0.8, detect=False)]
    return Scene((512, 384), tuple(things))


@cache
def scene_country_road() -> Scene:
    def ground_depth(y: float) -> float:
        return 0.07 + (y - 168) / 216 * 0.93

    dashes = []
    for k in range(7):
        y0 = 176 + 30 * k * (1 + k * 0.2)
        y1 = y0 + 8 + 4 * k
        if y0 < 384:
            half0, half1 = 1 + 0.02 * (y0 - 170), 1 + 0.02 * (y1 - 170)
            dashes.append(poly([(256 - half0, y0), (256 + half0, y0), (256 + half1, y1), (256 - half1, y1)],
                               (240, 240, 236)))
    barn = (rect(400, 160, 450, 190, (170, 50, 40)),
            poly([(396, 162), (425, 144), (454, 162)], (120, 40, 36)),
            rect(418, 174, 432, 190, (240, 230, 220)))
    things = [Thing("sky", (rect(0, 0, 512, 172, ((0.0, (110, 160, 220)), (1.0, (224, 236, 246)))),
                            oval(60, 40, 150, 70, (250, 250, 252)), oval(100, 30, 180, 62, (250, 250, 252)),
                            oval(330, 60, 430, 86, (246, 248, 252))), 0.0, detect=False),
              Thing("mountain", (poly([(0, 172), (0, 130), (90, 100), (170, 140), (260, 96), (360, 136),
                                       (440, 110), (512, 140), (512, 172)], (130, 150, 180)),),
                    0.05, detect=False),
              Thing("field", (rect(0, 168, 512, 384, GRASS),), ("v", 168, 0.07, 384, 1.0), detect=False),
              Thing("road",
                    (poly([(248, 168), (264, 168), (430, 384), (82, 384)], (110, 110, 116)), *dashes),
                    ("v", 168, 0.07, 384, 1.0), detect=False),
              Thing("barn", barn, ground_depth(190), detect=False)]
    for x, ground, h, seed in ((300, 186, 30, 5), (200, 192, 42, 6), (392, 244, 96, 7), (62, 330, 210, 8)):
        things.append(Thing("tree", tree(x, ground, h, seed), ground_depth(ground), detect=False))
    return Scene((512, 384), tuple(things))


# ---------------------------------------------------------------------------
# pictures for image-to-image, captioning, visual QA, chat and zero-shot classification
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Palette:
    """The colours of one version of the cottage picture."""

    sky: Stops
    ground: Stops
    hills: Color
    wall: Color
    roof: Color
    window: Color
    leaves: tuple[Color, ...]


COTTAGE = {
    "summer": Palette(sky=((0.0, (110, 170, 232)), (1.0, (220, 238, 250))), ground=GRASS,
                   hills=(120, 170, 100), wall=(242, 222, 180), roof=(196, 58, 48), window=(160, 210, 240),
                   leaves=((52, 120, 52), (70, 146, 60), (90, 164, 70), (60, 132, 56))),
    "winter": Palette(sky=((0.0, (170, 186, 206)), (1.0, (226, 232, 240))),
                   ground=((0.0, (236, 240, 246)), (1.0, (206, 216, 232))), hills=(214, 222, 236),
                   wall=(232, 214, 176), roof=(176, 62, 52), window=(150, 190, 220),
                   leaves=((226, 232, 240), (200, 214, 226), (240, 244, 250), (150, 170, 160))),
    "night": Palette(sky=((0.0, (10, 16, 44)), (1.0, (40, 52, 100))),
                  ground=((0.0, (30, 56, 40)), (1.0, (14, 30, 24))),
                  hills=(24, 40, 48), wall=(96, 90, 96), roof=(70, 30, 40), window=(255, 210, 110),
                  leaves=((20, 50, 36), (26, 60, 40), (30, 70, 46), (18, 44, 32))),
    "autumn": Palette(sky=((0.0, (140, 176, 220)), (1.0, (244, 228, 200))),
                   ground=((0.0, (190, 170, 90)), (1.0, (140, 110, 60))), hills=(176, 140, 80),
                   wall=(242, 222, 180), roof=(196, 58, 48), window=(160, 210, 240),
                   leaves=((220, 110, 40), (236, 160, 50), (200, 70, 40), (246, 196, 70))),
}


@cache
def scene_cottage(season: str) -> Scene:
    p = COTTAGE[season]
    sky: list[Shape] = [rect(0, 0, 512, 250, p.sky)]
    if season == "night":
        rng = random.Random(17)
        sky += [disc(rng.randint(0, 511), rng.randint(0, 200), rng.choice((0.8, 1.1, 1.5)), (250, 250, 230))
                for _ in range(90)]
        sky += [poly(crescent((420, 70), 26, (434, 60), 23), (250, 244, 210))]
    elif season != "winter":
        sky += [disc(420, 70, 30, (255, 226, 110)), oval(60, 50, 170, 84, (250, 250, 252)),
                oval(110, 36, 200, 72, (250, 250, 252))]
    x0, x1, base = 150, 330, 300
    roof_snow = []
    if season == "winter":
        roof_snow = [poly([(136, 204), (240, 128), (344, 204), (334, 204), (240, 140), (146, 204)],
                          (250, 252, 255)),
                     poly([(200, 162), (240, 128), (280, 162), (260, 156), (240, 140), (220, 156)],
                          (250, 252, 255))]
    lit = p.window
    house = [rect(x0, 200, x1, base, p.wall), poly([(130, 206), (240, 126), (350, 206)], p.roof),
             *roof_snow,
             rect(284, 130, 306, 176, (140, 70, 50)), rect(222, 236, 258, base, (120, 72, 40))]
    for wx in (168, 276):
        house += [rect(wx, 224, wx + 36, 260, lit), rect(wx + 16, 224, wx + 20, 260, (250, 250, 250)),
                  rect(wx, 240, wx + 36, 244, (250, 250, 250))]
    if season == "winter":
        house += [rect(282, 126, 308, 132, (250, 252, 255))]
    ground: list[Shape] = [rect(0, 240, 512, 384, p.ground),
                           poly([(222, base), (258, base), (300, 384), (190, 384)],
                                (200, 190, 170) if season != "night" else (60, 62, 66))]
    rng = random.Random(23)
    if season == "autumn":
        ground += [disc(rng.randint(0, 511), rng.randint(300, 383), 3, rng.choice(p.leaves))
                   for _ in range(80)]
    fence = [rect(x, 300, x + 8, 340, (226, 214, 196) if season != "night" else (70, 70, 74))
             for x in range(360, 512, 22)]
    fence += [rect(356, 310, 512, 316, (210, 196, 176) if season != "night" else (60, 60, 64))]
    things = [Thing("sky", tuple(sky), 0.0, detect=False),
              Thing("hills",
                    (poly([(0, 250), (0, 200), (140, 170), (300, 214), (420, 180), (512, 196), (512, 250)],
                                   p.hills),), 0.1, detect=False),
              Thing("ground", tuple(ground), 0.5, detect=False),
              Thing("house", tuple(house), 0.4, detect=False),
              Thing("tree", tree(80, 330, 230, 31, p.leaves), 0.6, detect=False),
              Thing("fence", tuple(fence), 0.6, detect=False)]
    if season == "winter":
        flakes = [disc(rng.randint(0, 511), rng.randint(0, 383), rng.choice((1.2, 1.6, 2.2)),
                       (255, 255, 255)) for _ in range(140)]
        things.append(Thing("snow", tuple(flakes), 0.5, detect=False))
    return Scene((512, 384), tuple(things))


@cache
def scene_kite_beach() -> Scene:
    kite = (poly([(250, 40), (282, 80), (250, 132), (218, 80)], (220, 40, 50)),
            poly([(250, 40), (282, 80), (250, 80)], (246, 90, 80)),
            stroke([(250, 132), (240, 150), (256, 166), (242, 184), (254, 200)], 1.5, (60, 60, 60)),
            *[poly([(x - 6, y - 4), (x + 6, y - 4), (x, y + 5)], (250, 200, 40))
              for x, y in ((240, 150), (256, 166), (242, 184))])
    h = 86
    return Scene((384, 288), (
        Thing("sky", (rect(0, 0, 384, 170, DAY_SKY), oval(30, 40, 110, 64, (250, 250, 252))), 0.0),
        Thing("sea", (rect(0, 160, 384, 200, ((0.0, (40, 120, 180)), (1.0, (90, 180, 206)))),), 0.1),
        Thing("sand", (poly([(0, 196), (200, 190), (384, 198), (384, 288), (0, 288)],
                            ((0.0, (238, 214, 160)), (1.0, (222, 190, 130)))),), 0.5),
        Thing("string", (stroke([hand_of(120, 262, h, 150, 1), (250, 110)], 1.2, (70, 70, 70)),), 0.5),
        Thing("kite", kite, 0.3),
        Thing("person", person(120, 262, h, (240, 120, 40), (60, 80, 140), SKIN[0], HAIR[2], arms=(14, 150),
                               legs=(8, 8)), 0.7)))


@cache
def scene_bicycle_wall() -> Scene:
    bricks = [rect(x + (y // 20 % 2) * 20, y, x + (y // 20 % 2) * 20 + 38, y + 18, (238, 196, 70))
              for y in range(0, 214, 20) for x in range(-40, 384, 40)]
    return Scene((384, 288), (
        Thing("wall", (rect(0, 0, 384, 220, (222, 178, 56)), *bricks), 0.3),
        Thing("pavement", (rect(0, 214, 384, 288, ((0.0, (176, 172, 166)), (1.0, (140, 136, 130)))),
                           *[rect(x, 214, x + 2, 288, (150, 146, 140)) for x in range(30, 384, 64)]), 0.5),
        Thing("plant", (poly([(300, 188), (344, 188), (338, 230), (306, 230)], (190, 96, 60)),
                        *[oval(296 + 12 * k, 120 + 10 * (k % 2), 312 + 12 * k, 192, (60, 140, 70))
                          for k in range(4)]),
              0.5),
        Thing("bicycle", bicycle(70, 246, 200, (40, 100, 200)), 0.6)))


@cache
def scene_coffee_book() -> Scene:
    grain = [stroke([(0, y), (140, y + 5), (384, y - 3)], 1.2, (150, 100, 60)) for y in range(120, 288, 26)]
    page = (250, 246, 236)
    lines = [rect(x0, y, x0 + 66, y + 2, (170, 166, 160)) for x0 in (44, 128) for y in range(150, 226, 10)]
    return Scene((384, 288), (
        Thing("wall", (rect(0, 0, 384, 110, ((0.0, (90, 110, 120)), (1.0, (70, 88, 98)))),), 0.1),
        Thing("table", (rect(0, 100, 384, 288, WOOD), *grain), 0.5),
        Thing("book",
              (poly([(30, 140), (118, 132), (202, 140), (206, 244), (118, 236), (26, 244)], (120, 40, 40)),
                       poly([(36, 138), (118, 128), (118, 232), (34, 238)], page),
                       poly([(118, 128), (198, 138), (200, 238), (118, 232)], page),
                       stroke([(118, 128), (118, 232)], 1.5, (200, 190, 176)), *lines), 0.6),
        Thing("cup", coffee_cup(290, 232, 80), 0.7)))


@cache
def scene_picnic() -> Scene:
    checks = [rect(x, y, x + 20, y + 14, (220, 60, 60))
              for x in range(100, 300, 40) for y in range(222, 276, 28)]
    checks += [rect(x + 20, y + 14, x + 40, y + 28, (220, 60, 60))
               for x in range(100, 300, 40) for y in range(222, 262, 28)]
    return Scene((384, 288), (
        Thing("sky", (rect(0, 0, 384, 150, DAY_SKY),), 0.0),
        Thing("grass", (rect(0, 140, 384, 288, GRASS),), 0.5),
        Thing("tree", tree(330, 170, 140, 41), 0.2),
        Thing("blanket", (rect(100, 222, 300, 276, (250, 244, 236)), *checks), 0.6),
        Thing("basket", (rrect(200, 200, 250, 232, 6, (170, 120, 60)), arc((204, 180, 246, 220), 180, 360, 4,
                                                                          (140, 96, 46))), 0.6),
        Thing("person", person(70, 250, 110, (60, 120, 200), (50, 50, 60), SKIN[0], HAIR[2], arms=(20, 12)),
              0.6),
        Thing("person", person(160, 230, 96, (240, 200, 60), (80, 60, 50), SKIN[2], HAIR[1], arms=(12, 40)),
              0.6),
        Thing("person",
              person(326, 262, 104, (200, 80, 150), (40, 60, 90), SKIN[1], HAIR[0], arms=(40, 12)), 0.6)))


@cache
def scene_rainy_day() -> Scene:
    rng = random.Random(29)
    rain = [stroke([(x, y), (x - 4, y + 14)], 1.2, (200, 210, 226))
            for x, y in ((rng.randint(0, 400), rng.randint(-10, 280)) for _ in range(110))]
    h, cx, feet = 130, 180, 262
    hand = hand_of(cx, feet, h, 40, 1)
    umbrella = [stroke([hand, (hand[0], 110)], 3, (60, 60, 60)),
                chord((hand[0] - 90, 70, hand[0] + 90, 150), 180, 360, (246, 204, 40)),
                *[pie((hand[0] - 90, 70, hand[0] + 90, 150), a, a + 15, (226, 180, 30))
                  for a in (195, 240, 285, 330)],
                stroke([(hand[0], 70), (hand[0], 62)], 3, (60, 60, 60))]
    puddles = [oval(40, 266, 120, 278, (150, 160, 176)), oval(240, 250, 330, 262, (150, 160, 176))]
    return Scene((384, 288), (
        Thing("sky", (rect(0, 0, 384, 180, ((0.0, (120, 128, 140)), (1.0, (176, 182, 190)))),), 0.0),
        Thing("buildings",
              (rect(0, 110, 90, 190, (110, 110, 120)), rect(280, 90, 384, 190, (124, 120, 128))), 0.1),
        Thing("street", (rect(0, 186, 384, 288, ((0.0, (110, 112, 118)), (1.0, (80, 82, 88)))), *puddles),
              0.5),
        Thing("person", person(cx, feet, h, (40, 70, 120), (40, 40, 50), SKIN[0], HAIR[0], arms=(10, 40),
                               shoes=(150, 40, 40)), 0.6),
        Thing("umbrella", tuple(umbrella), 0.6),
        Thing("rain", tuple(rain), 0.9)))


@cache
def scene_dog_frisbee() -> Scene:
    return Scene((384, 288), (
        Thing("sky", (rect(0, 0, 384, 150, DAY_SKY),), 0.0),
        Thing("hedge", (rect(0, 110, 384, 160, (70, 120, 60)),
                        *[disc(x, 114, 16, (80, 134, 66)) for x in range(0, 400, 26)]), 0.2),
        Thing("grass", (rect(0, 150, 384, 288, GRASS),), 0.5),
        Thing("dog", dog(170, 250, 170, (236, 226, 210)), 0.6),
        Thing("frisbee",
              (oval(246, 136, 304, 160, (230, 50, 60)), oval(254, 140, 296, 152, (246, 100, 100))), 0.6)))


@cache
def scene_fruit_stand() -> Scene:
    return Scene((448, 336), (
        Thing("wall", (rect(0, 0, 448, 170, ((0.0, (244, 240, 226)), (1.0, (228, 220, 200)))),), 0.1),
        Thing("table", (rect(0, 160, 448, 336, WOOD),), 0.5),
        Thing("banana", banana((310, 170, 440, 290), 30, 150), 0.5),
        Thing("orange", orange_fruit(246, 232, 30), 0.6),
        Thing("orange", orange_fruit(300, 256, 30), 0.6),
        Thing("apple", apple(90, 236, 34), 0.6),
        Thing("apple", apple(170, 226, 34, (190, 40, 44)), 0.6),
        Thing("apple", apple(132, 282, 34, (214, 60, 40)), 0.7)))


@cache
def scene_shop_sign() -> Scene:
    bricks = [rect(x + (y // 16 % 2) * 16, y, x + (y // 16 % 2) * 16 + 30, y + 13, (176, 96, 70))
              for y in range(0, 336, 16) for x in range(-32, 448, 32)]
    return Scene((448, 336), (
        Thing("wall", (rect(0, 0, 448, 336, (150, 80, 60)), *bricks), 0.2),
        Thing("sign", (rrect(64, 30, 384, 96, 10, (40, 70, 60)), rrect(70, 36, 378, 90, 8, (50, 90, 76)),
                       lettering(224, 64, "BAKERY", 36, (246, 226, 170), "mm")), 0.3),
        Thing("window", (rect(40, 120, 250, 300, (60, 70, 80)), rect(48, 128, 242, 292, (170, 200, 214)),
                         *[disc(90 + 50 * k, 250, 18, (210, 160, 90)) for k in range(3)],
                         rect(48, 262, 242, 272, (150, 110, 70))), 0.3),
        Thing("door", (rect(290, 130, 380, 320, (90, 60, 40)), rect(302, 146, 368, 230, (170, 200, 214)),
                       rect(300, 160, 370, 200, (250, 250, 244)),
                       lettering(335, 172, "OPEN", 15, (40, 120, 60), "mm"),
                       lettering(335, 190, "7:00 - 18:00", 12, (40, 40, 40), "mm"),
                       disc(372, 240, 4, (220, 190, 90))), 0.3),
        Thing("pavement", (rect(0, 316, 448, 336, (150, 146, 140)),), 0.6)))


def draw_sales_chart() -> Image.Image:
    W, H = 448, 336
    img = Image.new("RGB", (W, H), (252, 252, 254))
    d = ImageDraw.Draw(img)
    font, small = ImageFont.load_default(size=16), ImageFont.load_default(size=12)
    d.text((W / 2, 20), "Monthly sales (units)", font=font, fill=(30, 30, 40), anchor="mm")
    x0, y0, x1, y1 = 56, 48, 430, 290
    top = 1600
    for v in range(0, top + 1, 400):
        y = y1 - (y1 - y0) * v / top
        d.line([(x0, y), (x1, y)], fill=(226, 228, 234), width=1)
        d.text((x0 - 6, y), f"{v:,}", font=small, fill=(90, 90, 100), anchor="rm")
    d.line([(x0, y0), (x0, y1), (x1, y1)], fill=(80, 80, 90), width=2)
    slot = (x1 - x0) / len(SALES)
    for i, (month, value) in enumerate(SALES):
        bx = x0 + slot * i + slot * 0.18
        by = y1 - (y1 - y0) * value / top
        d.rectangle([bx, by, bx + slot * 0.64, y1 - 1],
                    fill=(64, 120, 200) if value != max(v for _, v in SALES)
                    else (230, 120, 40))
        d.text((bx + slot * 0.32, by - 4), f"{value:,}", font=small, fill=(40, 40, 50), anchor="md")
        d.text((bx + slot * 0.32, y1 + 8), month, font=small, fill=(60, 60, 70), anchor="mt")
    return img


SALES = (("Jan", 820), ("Feb", 940), ("Mar", 1180), ("Apr", 1050), ("May", 1420), ("Jun", 1310))


def draw_lighthouse() -> Image.Image:
    stripes = []
    for k in range(5):
        ya, yb = 60 + k * 24, 72 + k * 24
        wa, wb = 14 + (ya - 60) * 0.1, 14 + (yb - 60) * 0.1
        stripes.append(poly([(112 - wa, ya), (112 + wa, ya), (112 + wb, yb), (112 - wb, yb)], (210, 40, 40)))
    scene = Scene((224, 224), (
        Thing("sky", (rect(0, 0, 224, 160, ((0.0, (120, 180, 236)), (1.0, (220, 236, 250)))),
                      poly([(112, 44), (224, 20), (224, 44)], (255, 250, 200)),
                      poly([(112, 44), (0, 22), (0, 42)], (255, 250, 200))), 0.0),
        Thing("sea", (rect(0, 150, 224, 224, ((0.0, (40, 110, 170)), (1.0, (30, 80, 140)))),
                      *[stroke([(x, y), (x + 16, y)], 1.5, (150, 200, 230)) for x, y in
                        ((10, 170), (150, 180), (40, 200), (170, 206), (90, 214))]), 0.3),
        Thing("rocks",
              (poly([(40, 190), (70, 150), (150, 146), (190, 176), (200, 200), (30, 204)], (100, 96, 92)),
                        poly([(70, 150), (110, 140), (150, 146), (120, 170)], (130, 124, 118))), 0.5),
        Thing("lighthouse", (poly([(98, 60), (126, 60), (134, 160), (90, 160)], (250, 250, 246)), *stripes,
                             rect(94, 40, 130, 60, (60, 60, 70)), rect(100, 44, 124, 58, (255, 236, 140)),
                             poly([(92, 40), (112, 24), (132, 40)], (200, 40, 40)),
                             rect(88, 58, 136, 62, (60, 60, 70)), rect(106, 130, 118, 160, (90, 60, 40))),
              0.5)))
    return render(scene)


def draw_birthday_cake() -> Image.Image:
    candles = []
    for k, x in enumerate((78, 98, 118, 138, 158)):
        candles += [rect(x - 3, 64, x + 3, 96, ((240, 120, 160), (120, 170, 240), (250, 210, 80))[k % 3]),
                    oval(x - 4, 48, x + 4, 64, (255, 190, 60)), oval(x - 2, 54, x + 2, 63, (255, 246, 200))]
    dots = [disc(70 + 18 * k, 130 + 22 * (k % 2), 3, ((230, 60, 100), (60, 160, 220), (250, 200, 50))[k % 3])
            for k in range(6)]
    return render(Scene((224, 224), (
        Thing("wall", (rect(0, 0, 224, 224, ((0.0, (250, 228, 236)), (1.0, (236, 200, 214)))),), 0.0),
        Thing("table", (rect(0, 170, 224, 224, (200, 150, 110)),), 0.5),
        Thing("plate", (oval(34, 168, 190, 196, (240, 240, 246)),), 0.5),
        Thing("cake", (rect(50, 104, 174, 182, (246, 222, 180)), oval(50, 172, 174, 192, (236, 206, 160)),
                       rect(50, 96, 174, 116, (252, 250, 250)), oval(50, 86, 174, 106, (255, 255, 255)),
                       *[disc(56 + 14 * k, 116, 7, (255, 255, 255)) for k in range(9)],
                       rect(50, 140, 174, 148, (230, 90, 120)), *dots, *candles), 0.6))))


def draw_balloon() -> Image.Image:
    envelope = [chord((58, 20, 166, 150), 180, 360, (230, 70, 60)),
                pie((58, 20, 166, 150), 0, 180, (230, 70, 60)),
                poly([(64, 100), (160, 100), (130, 156), (94, 156)], (230, 70, 60))]
    envelope += [pie((58, 20, 166, 150), a, a + 20, (250, 200, 60)) for a in (200, 250, 300)]
    envelope += [poly([(80, 100), (98, 100), (104, 156), (96, 156)], (250, 200, 60)),
                 poly([(126, 100), (144, 100), (128, 156), (120, 156)], (250, 200, 60))]
    return render(Scene((224, 224), (
        Thing("sky", (rect(0, 0, 224, 224, ((0.0, (90, 150, 220)), (1.0, (240, 214, 190)))),
                      oval(150, 40, 214, 60, (250, 250, 252)), oval(10, 150, 70, 170, (250, 250, 252))),
              0.0),
        Thing("hills", (poly([(0, 224), (0, 200), (80, 186), (160, 204), (224, 192), (224, 224)],
                             (90, 140, 80)),), 0.1),
        Thing("balloon", (*envelope, stroke([(96, 156), (100, 176)], 1.5, (70, 50, 30)),
                          stroke([(128, 156), (124, 176)], 1.5, (70, 50, 30)),
                          rrect(98, 174, 126, 194, 3, (150, 100, 50))), 0.5))))


# ---------------------------------------------------------------------------
# videos: frames drawn like the pictures, encoded by ffmpeg
# ---------------------------------------------------------------------------

def frame_of(scene: Scene, size: tuple[int, int] | None = None) -> Image.Image:
    img = render(scene)
    return img if size is None or img.size == size else img.resize(size, Image.Resampling.LANCZOS)


def t2v_bouncing_ball(t: float) -> Image.Image:
    x = 18 + 92 * t
    bounce = abs(math.cos(math.pi * 2.5 * t))  # 1 at the top, 0 on the floor
    height = 70 * bounce * (1 - 0.45 * t)
    y = 94 - 10 - height
    ball = disc(x, y, 10, (214, 40, 44)) if height > 3 else oval(x - 12, 94 - 17, x + 12, 94, (214, 40, 44))
    return frame_of(Scene((128, 128), (
        Thing("wall", (rect(0, 0, 128, 96, ((0.0, (200, 220, 236)), (1.0, (236, 240, 244)))),
                       rect(0, 90, 128, 96, (240, 240, 240))), 0.0),
        Thing("floor", (rect(0, 96, 128, 128, WOOD),
                        *[stroke([(0, y0), (128, y0 + 2)], 0.8, (150, 100, 60)) for y0 in (104, 114, 124)]),
              0.5),
        Thing("shadow", (oval(x - 12 + height * 0.05, 92, x + 12 - height * 0.05, 98, (130, 96, 66)),), 0.5),
        Thing("ball", (ball,
                       disc(x - 3, y - 4, 3, (246, 150, 150))), 0.6)), scale=3))


def t2v_paper_boat(t: float) -> Image.Image:
    x = 20 + 80 * t
    bob = 1.5 * math.sin(2 * math.pi * 2 * t)
    ripples = [arc((cx - r, cy - r * 0.3, cx + r, cy + r * 0.3), 0, 360, 0.8, (150, 200, 226))
               for cx, cy, r0 in ((30, 100, 6), (90, 84, 10), (60, 118, 4))
               for r in (r0 + 14 * ((t * 2 + r0 / 20) % 1),)]
    boat = (poly([(x - 16, 80 + bob), (x + 16, 80 + bob), (x + 10, 88 + bob), (x - 10, 88 + bob)],
                 (250, 250, 246)),
            poly([(x - 2, 60 + bob), (x - 2, 80 + bob), (x - 14, 80 + bob)], (236, 236, 230)),
            poly([(x, 56 + bob), (x, 80 + bob), (x + 14, 80 + bob)], (252, 252, 250)),
            oval(x - 18, 86 + bob, x + 18, 92 + bob, (60, 120, 160)))
    return frame_of(Scene((128, 128), (
        Thing("bank", (rect(0, 0, 128, 40, ((0.0, (120, 170, 90)), (1.0, (90, 140, 70)))),
                       *[disc(10 + 24 * k, 30, 12, (70, 130, 60)) for k in range(6)]), 0.0),
        Thing("pond", (rect(0, 38, 128, 128, ((0.0, (60, 130, 170)), (1.0, (40, 100, 150)))), *ripples,
                       pie((92, 104, 120, 116), 30, 330, (70, 150, 70)),
                       pie((8, 56, 30, 66), 210, 150, (70, 150, 70))),
              0.5),
        Thing("boat", boat, 0.6)), scale=3))


def t2v_sunrise(t: float) -> Image.Image:
    sun_y = 100 - 70 * t
    top = mix((20, 30, 80), (90, 150, 220), t)
    low = mix((120, 70, 90), (250, 210, 160), t)
    return frame_of(Scene((128, 128), (
        Thing("sky", (rect(0, 0, 128, 100, ((0.0, top), (1.0, low))),
                      disc(84, sun_y, 20, mix((250, 160, 80), (255, 236, 170), t)),
                      disc(84, sun_y, 14, mix((255, 200, 120), (255, 250, 220), t))), 0.0),
        Thing("hills", (poly([(0, 128), (0, 84), (40, 70), (80, 92), (128, 76), (128, 128)],
                             mix((30, 50, 50), (90, 150, 80), t)),
                        poly([(0, 128), (0, 104), (60, 92), (128, 110), (128, 128)],
                             mix((20, 40, 36), (70, 130, 60), t))), 0.5)), scale=3))


def i2v_windmill(t: float) -> Scene:
    angle = 90 * t
    hub = (150, 70)
    sails = []
    for k in range(4):
        a = math.radians(angle + 90 * k)
        ux, uy = math.cos(a), math.sin(a)
        px, py = -uy, ux
        p0 = (hub[0] + 8 * ux, hub[1] + 8 * uy)
        p1 = (hub[0] + 60 * ux, hub[1] + 60 * uy)
        sails.append(stroke([hub, p1], 2.5, (90, 70, 50)))
        sails.append(poly([p0, p1, (p1[0] + 12 * px, p1[1] + 12 * py), (p0[0] + 12 * px, p0[1] + 12 * py)],
                          (246, 242, 230)))
    return Scene((256, 192), (
        Thing("sky", (rect(0, 0, 256, 140, DAY_SKY), oval(20, 30, 90, 50, (250, 250, 252))), 0.0),
        Thing("field", (rect(0, 132, 256, 192, ((0.0, (200, 190, 90)), (1.0, (150, 150, 60)))),
                        *[stroke([(x, 192), (128 + (x - 128) * 0.2, 134)], 1.2, (170, 160, 70))
                          for x in range(-200, 460, 40)]), 0.5),
        Thing("windmill", (poly([(134, 160), (140, 76), (160, 76), (166, 160)], (226, 214, 190)),
                           poly([(132, 80), (150, 56), (168, 80)], (150, 80, 60)),
                           rect(144, 136, 156, 160, (110, 70, 40)), *sails, disc(*hub, 5, (80, 60, 40))),
              0.5)))


def i2v_sailboat(t: float) -> Scene:
    x = 70 + 60 * t
    bob = 1.5 * math.sin(2 * math.pi * 1.5 * t)
    waves = [stroke([(x0 - 60 * t % 40 + k * 40, y), (x0 - 60 * t % 40 + k * 40 + 16, y - 2),
                     (x0 - 60 * t % 40 + k * 40 + 32, y)], 1.5, (170, 210, 236))
             for y, x0 in ((130, 0), (150, 20), (172, 8)) for k in range(-1, 8)]
    boat = (poly([(x - 34, 126 + bob), (x + 38, 126 + bob), (x + 26, 140 + bob), (x - 26, 140 + bob)],
                 (150, 60, 40)),
            stroke([(x, 126 + bob), (x, 52 + bob)], 2.5, (90, 60, 40)),
            poly([(x + 3, 56 + bob), (x + 3, 122 + bob), (x + 40, 122 + bob)], (250, 250, 246)),
            poly([(x - 3, 64 + bob), (x - 3, 122 + bob), (x - 30, 122 + bob)], (236, 120, 60)))
    return Scene((256, 192), (
        Thing("sky", (rect(0, 0, 256, 120, ((0.0, (96, 164, 230)), (1.0, (226, 236, 246)))),
                      disc(210, 40, 16, (255, 240, 190))), 0.0),
        Thing("island", (poly([(170, 121), (200, 104), (240, 110), (256, 121)], (90, 120, 80)),), 0.1),
        Thing("sea", (rect(0, 120, 256, 192, ((0.0, (40, 120, 180)), (1.0, (30, 90, 150)))), *waves), 0.5),
        Thing("boat", boat, 0.6)))


def i2v_campfire(t: float) -> Scene:
    rng = random.Random(int(t * 24) + 100)
    flames = []
    tongues = ((-14, 44, (230, 80, 30)), (12, 40, (230, 90, 30)), (0, 58, (246, 140, 40)),
               (-4, 36, (252, 200, 70)), (6, 30, (255, 236, 150)))
    for dx, h, colour in tongues:
        sway = rng.uniform(-5, 5)
        hh = h * rng.uniform(0.85, 1.1)
        w = 10 + h * 0.18
        flames.append(poly([(128 + dx - w, 150), (128 + dx + sway - w * 0.5, 150 - hh * 0.5),
                            (128 + dx + sway, 150 - hh), (128 + dx + sway + w * 0.5, 150 - hh * 0.5),
                            (128 + dx + w, 150)], colour))
    sparks = [disc(128 + rng.uniform(-20, 20), 150 - rng.uniform(60, 110), 1.2, (255, 210, 120))
              for _ in range(6)]
    glow_r = 70 + rng.uniform(-4, 4)
    rng2 = random.Random(5)
    stars = [disc(rng2.randint(0, 255), rng2.randint(0, 90), 0.8, (240, 240, 220)) for _ in range(40)]
    return Scene((256, 192), (
        Thing("sky", (rect(0, 0, 256, 120, ((0.0, (8, 12, 36)), (1.0, (30, 36, 70)))), *stars), 0.0),
        Thing("trees", tuple(poly([(x - 16, 124), (x, 60 + (x * 7) % 30), (x + 16, 124)], (14, 26, 24))
                             for x in range(-10, 270, 26)), 0.1),
        Thing("ground", (rect(0, 120, 256, 192, ((0.0, (40, 36, 30)), (1.0, (24, 20, 18)))),
                         oval(128 - glow_r, 136, 128 + glow_r, 176, (92, 60, 34))), 0.5),
        Thing("fire", (*[disc(128 + 30 * math.cos(a), 156 + 10 * math.sin(a), 7, (110, 104, 98))
                         for a in (i * math.pi / 5 for i in range(10))],
                       stroke([(100, 160), (156, 146)], 9, (110, 70, 40)),
                       stroke([(100, 146), (156, 160)], 9, (96, 60, 34)),
                       *flames, *sparks), 0.6)))


def athlete_room(figure: Sequence[Shape], extra: Sequence[Shape] = ()) -> Image.Image:
    return frame_of(Scene((128, 128), (
        Thing("wall", (rect(0, 0, 128, 92, ((0.0, (226, 232, 240)), (1.0, (206, 214, 226)))),
                       rect(84, 20, 116, 50, (170, 200, 220)), rect(86, 22, 114, 48, (200, 226, 240))), 0.0),
        Thing("floor", (rect(0, 90, 128, 128, ((0.0, (180, 140, 100)), (1.0, (150, 110, 76)))),
                        rect(30, 104, 98, 124, (70, 110, 160))), 0.5),
        Thing("person", tuple(figure), 0.6),
        Thing("props", tuple(extra), 0.6)), scale=3))


def vc_jumping_jacks(t: float) -> Image.Image:
    open_ = (1 - math.cos(2 * math.pi * 2 * t)) / 2  # two jumps per clip
    hop = 6 * math.sin(math.pi * ((2 * t * 2) % 1))
    return athlete_room(person(64, 116 - hop, 80, (220, 60, 60), (50, 60, 90), SKIN[1], HAIR[1],
                               arms=(12 + 150 * open_, 12 + 150 * open_),
                               legs=(4 + 16 * open_, 4 + 16 * open_)))


def vc_juggling(t: float) -> Image.Image:
    balls = []
    colours = ((230, 60, 60), (60, 120, 220), (250, 200, 40))
    for k in range(3):
        phase = (t * 3 + k / 3) % 1  # each ball: a throw from one hand to the other
        direction = 1 if (int(t * 3 + k / 3) + k) % 2 == 0 else -1
        x = 64 + direction * (-22 + 44 * phase)
        y = 72 - 48 * 4 * phase * (1 - phase)
        balls.append(disc(x, y, 4.5, colours[k]))
    return athlete_room(person(64, 116, 80, (60, 160, 110), (50, 50, 60), SKIN[0], HAIR[2], arms=(40, 40)),
                        balls)


def vc_skipping_rope(t: float) -> Image.Image:
    turns = 3
    phase = (t * turns) % 1
    hop = 7 * max(0.0, math.sin(2 * math.pi * phase - math.pi / 2)) if 0.25 < phase < 0.75 else 0.0
    feet = 116 - hop
    left, right = hand_of(64, feet, 80, 35, -1), hand_of(64, feet, 80, 35, 1)
    sag = math.cos(2 * math.pi * phase)  # 1: rope over the head, -1: under the feet
    low = (64, feet - 40 + 46 * -sag) if sag < 0 else (64, feet - 40 - 52 * sag)
    rope = [left]
    for i in range(1, 12):
        u = i / 12
        rope.append(((1 - u) ** 2 * left[0] + 2 * u * (1 - u) * low[0] + u * u * right[0],
                     (1 - u) ** 2 * left[1] + 2 * u * (1 - u) * (2 * low[1] - (left[1] + right[1]) / 2)
                     + u * u * right[1]))
    rope.append(right)
    return athlete_room(person(64, feet, 80, (240, 160, 40), (40, 60, 110), SKIN[2], HAIR[0], arms=(35, 35),
                               legs=(5, 5)), [stroke(rope, 1.3, (40, 40, 40))])


def vc_waving(t: float) -> Image.Image:
    wave = 155 + 18 * math.sin(2 * math.pi * 3 * t)
    return athlete_room(person(64, 116, 80, (120, 80, 200), (60, 60, 70), SKIN[3], HAIR[3], arms=(10, wave)))


def rl_lunar_lander(t: float) -> Image.Image:
    """LunarLander-v2 as the gym renders it: a purple lander settling between two flags."""
    s = min(1.0, t / 0.8)  # descends for 80% of the clip, then rests
    ease = 1 - (1 - s) ** 2
    x = 34 + (64 - 34) * ease + 3 * math.sin(6 * s) * (1 - s)
    y = 14 + (66 - 14) * ease
    tilt = 0.35 * math.sin(5 * s) * (1 - s)
    terrain = poly([(0, 96), (0, 70), (16, 62), (32, 74), (48, 76), (80, 76), (96, 66), (112, 72), (128, 58),
                    (128, 96)], (236, 236, 236))

    def p(dx: float, dy: float) -> tuple[float, float]:
        return x + dx * math.cos(tilt) - dy * math.sin(tilt), y + dx * math.sin(tilt) + dy * math.cos(tilt)

    body = [poly([p(-7, -5), p(7, -5), p(9, 3), p(-9, 3)], (128, 102, 230)),
            stroke([p(-7, 2), p(-11, 9)], 1.5, (77, 77, 128)),
            stroke([p(7, 2), p(11, 9)], 1.5, (77, 77, 128)),
            rect(*p(-13, 8.5), *p(-9, 10), (77, 77, 128)), rect(*p(9, 8.5), *p(13, 10), (77, 77, 128))]
    flame: list[Shape] = []
    if s < 1.0:
        n = 4 + 3 * math.sin(40 * t)
        flame = [poly([p(-3, 4), p(3, 4), p(0, 4 + n + 4 * (1 - s))], (255, 160, 40))]
    flags = []
    for fx in (48, 80):
        flags += [stroke([(fx, 76), (fx, 62)], 1, (230, 230, 230)),
                  poly([(fx, 62), (fx + 6, 64), (fx, 66)], (204, 204, 0))]
    return frame_of(Scene((128, 96), (
        Thing("sky", (rect(0, 0, 128, 96, (0, 0, 0)),), 0.0),
        Thing("moon", (terrain, *flags), 0.5),
        Thing("lander", (*flame, *body), 0.6)), scale=3))


def write_mp4(path: Path, frames: Sequence[Image.Image], fps: int) -> None:
    """Encode RGB frames as H.264 in MP4 (yuv420p, plays in every browser), byte-reproducibly."""
    exe = shutil.which("ffmpeg")
    if exe is None:
        sys.exit("ffmpeg not found: install it (Debian: apt-get install ffmpeg)")
    w, h = frames[0].size
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [exe, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps),
           "-i", "-", "-c:v", "libx264", "-preset", "slow", "-crf", "20", "-pix_fmt", "yuv420p",
           "-threads", "1", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
           "-movflags", "+faststart", str(path)]
    subprocess.run(cmd, input=b"".join(f.convert("RGB").tobytes() for f in frames), check=True)


# ---------------------------------------------------------------------------
# documents for document question answering
# ---------------------------------------------------------------------------

RECEIPT_ITEMS = (("Bananas 1.2 kg", 2.34), ("Whole milk 1 L", 1.49), ("Sourdough loaf", 3.95),
                 ("Free-range eggs x12", 4.29), ("Cheddar 200 g", 3.80), ("Coffee beans 250 g", 6.50))


def draw_receipt() -> Image.Image:
    W, H = 360, 560
    img = Image.new("RGB", (W, H), (246, 244, 238))
    d = ImageDraw.Draw(img)
    big, font, small = (ImageFont.load_default(size=n) for n in (22, 15, 12))
    ink, grey = (34, 34, 38), (110, 110, 116)
    d.text((W / 2, 34), "GREEN LEAF MARKET", font=big, fill=ink, anchor="mm")
    d.text((W / 2, 60), "12 Orchard Road, Springfield", font=small, fill=grey, anchor="mm")
    d.text((W / 2, 76), "Tel. 555-0142", font=small, fill=grey, anchor="mm")
    d.text((24, 104), "Date: 14/03/2025", font=font, fill=ink)
    d.text((W - 24, 104), "18:42", font=font, fill=ink, anchor="ra")
    d.text((24, 124), "Till 3   Receipt #20931", font=small, fill=grey)
    y = 150
    d.line([(24, y), (W - 24, y)], fill=grey, width=1)
    y += 12
    for name, price in RECEIPT_ITEMS:
        d.text((24, y), name, font=font, fill=ink)
        d.text((W - 24, y), f"{price:.2f}", font=font, fill=ink, anchor="ra")
        y += 26
    subtotal = round(sum(p for _, p in RECEIPT_ITEMS), 2)
    tax = round(subtotal * 0.05 + 1e-9, 2)
    d.line([(24, y + 4), (W - 24, y + 4)], fill=grey, width=1)
    y += 16
    for label, value in (("Subtotal", subtotal), ("VAT 5%", tax)):
        d.text((24, y), label, font=font, fill=ink)
        d.text((W - 24, y), f"{value:.2f}", font=font, fill=ink, anchor="ra")
        y += 26
    d.text((24, y + 6), "TOTAL", font=big, fill=ink)
    d.text((W - 24, y + 6), f"${subtotal + tax:.2f}", font=big, fill=ink, anchor="ra")
    y += 50
    d.text((24, y), "Paid by card  **** 4821", font=small, fill=grey)
    d.text((W / 2, H - 40), "Thank you for shopping with us!", font=small, fill=grey, anchor="mm")
    for x in range(40, W - 40, 3):  # barcode
        if (x * 7919) % 5 < 3:
            d.line([(x, H - 26), (x, H - 12)], fill=ink, width=1)
    return img


INVOICE_LINES = (("Logo redesign", 1, 1200.00), ("Menu layout (per page)", 8, 85.00),
                 ("Business cards, print run", 500, 0.18))


def draw_invoice() -> Image.Image:
    W, H = 560, 620
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    title, big, font, small = (ImageFont.load_default(size=n) for n in (30, 18, 14, 12))
    ink, grey, accent = (30, 32, 40), (110, 112, 120), (40, 90, 150)
    d.rectangle([0, 0, W, 10], fill=accent)
    d.text((40, 40), "Northwind Design Studio", font=big, fill=accent)
    for i, line in enumerate(("48 Mill Lane, Bristol BS1 4QT", "hello@northwind.example",
                              "VAT no. GB 294 1187 03")):
        d.text((40, 68 + 18 * i), line, font=small, fill=grey)
    d.text((W - 40, 40), "INVOICE", font=title, fill=ink, anchor="ra")
    for i, (label, value) in enumerate((("Invoice no.", "INV-2025-0417"), ("Date", "April 2, 2025"),
                                        ("Due date", "April 30, 2025"))):
        d.text((W - 180, 86 + 20 * i), label, font=font, fill=grey, anchor="ra")
        d.text((W - 40, 86 + 20 * i), value, font=font, fill=ink, anchor="ra")
    d.text((40, 170), "Bill to", font=font, fill=grey)
    for i, line in enumerate(("Harbour Line Cafe", "3 Quay Street", "Bristol BS1 5AB")):
        d.text((40, 190 + 18 * i), line, font=font, fill=ink)
    y = 270
    d.rectangle([40, y, W - 40, y + 26], fill=(232, 238, 246))
    for x, label, anchor in ((50, "Description", "la"), (340, "Qty", "ra"), (430, "Unit price", "ra"),
                             (W - 50, "Amount", "ra")):
        d.text((x, y + 6), label, font=font, fill=ink, anchor=anchor)
    y += 36
    subtotal = 0.0
    for name, qty, unit in INVOICE_LINES:
        amount = qty * unit
        subtotal += amount
        for x, value, anchor in ((50, name, "la"), (340, f"{qty}", "ra"), (430, f"{unit:,.2f}", "ra"),
                                 (W - 50, f"{amount:,.2f}", "ra")):
            d.text((x, y), value, font=font, fill=ink, anchor=anchor)
        y += 26
    d.line([(40, y + 4), (W - 40, y + 4)], fill=(200, 204, 210), width=1)
    y += 18
    vat = subtotal * 0.2
    for caption, number in (("Subtotal", subtotal), ("VAT 20%", vat)):
        d.text((430, y), caption, font=font, fill=grey, anchor="ra")
        d.text((W - 50, y), f"{number:,.2f}", font=font, fill=ink, anchor="ra")
        y += 24
    d.rectangle([300, y + 4, W - 40, y + 38], fill=(232, 238, 246))
    d.text((314, y + 12), "Total due", font=big, fill=ink)
    d.text((W - 50, y + 12), f"EUR {subtotal + vat:,.2f}", font=big, fill=ink, anchor="ra")
    y += 80
    d.text((40, y), "Payment terms: 28 days. Please quote the invoice number with your payment.", font=small,
           fill=grey)
    d.text((40, y + 20), "IBAN GB33 BUKB 2020 1555 5555 55   BIC BUKBGB22", font=small, fill=grey)
    d.text((W / 2, H - 30), "Thank you for your business!", font=font, fill=accent, anchor="mm")
    return img


# ---------------------------------------------------------------------------
# generated sounds (text-to-audio) and noisy speech (audio-to-audio)
# ---------------------------------------------------------------------------

ENHANCE_RATE = 8_000  # the speech-enhancement model works at 8 kHz, like the WHAM! recordings


def lowpass(samples: Sequence[float], a: float, passes: int = 1) -> list[float]:
    """Cascaded one-pole low-pass filter; `a` in (0, 1], smaller is darker."""
    out = list(samples)
    for _ in range(passes):
        y = 0.0
        for i, x in enumerate(out):
            y += a * (x - y)
            out[i] = y
    return out


def sound_church_bell() -> list[float]:
    """Two strikes of a tuned bell: hum, prime, minor-third tierce, quint and nominal partials."""
    out = [0.0] * int(RATE * 2.2)
    partials = ((0.5, 1.0, 1.6), (1.0, 0.8, 1.1), (1.2, 0.55, 0.7), (1.5, 0.35, 0.5), (2.0, 0.6, 0.45),
                (2.51, 0.25, 0.25), (3.0, 0.18, 0.18))
    for start, f0, gain in ((0.03, 392.0, 1.0), (1.1, 392.0, 0.8)):
        begin = int(RATE * start)
        for i in range(len(out) - begin):
            t = i / RATE
            attack = min(1.0, t / 0.003)
            out[begin + i] += gain * attack * sum(
                amp * math.exp(-t / decay) * math.sin(2 * math.pi * f0 * ratio * t + ratio)
                for ratio, amp, decay in partials)
    return fade(out, 30)


def sound_rain_on_tin_roof(seed: int = 12) -> list[float]:
    """Hiss plus many hard droplets that ring like thin metal."""
    rng = random.Random(seed)
    n = int(RATE * 2.0)
    hiss = lowpass([rng.uniform(-1, 1) for _ in range(n)], 0.5)
    out = [0.25 * v for v in hiss]
    for _ in range(260):
        at = rng.randint(0, n - 900)
        amp = rng.uniform(0.15, 0.8)
        modes = [(rng.uniform(2400, 5200), rng.uniform(0.3, 1.0)) for _ in range(3)]
        decay = rng.choice((90, 140, 220))
        for i in range(800):
            out[at + i] += amp * math.exp(-i / decay) * sum(
                g * math.sin(2 * math.pi * f * i / RATE) for f, g in modes) / 2
    rumble = lowpass([rng.uniform(-1, 1) for _ in range(n)], 0.02, 2)
    return fade([v + 6 * r for v, r in zip(out, rumble, strict=True)], 60)


def sound_birdsong(seed: int = 8) -> list[float]:
    """Two birds: quick rising chirps and a slower two-note whistle, over a faint breeze."""
    rng = random.Random(seed)
    n = int(RATE * 2.0)
    out = [0.04 * v for v in lowpass([rng.uniform(-1, 1) for _ in range(n)], 0.1, 2)]

    def chirp(at: float, f0: float, f1: float, length: float, amp: float) -> None:
        phase, begin, m = 0.0, int(RATE * at), int(RATE * length)
        for i in range(min(m, n - begin)):
            u = i / m
            f = f0 + (f1 - f0) * u + 300 * math.sin(2 * math.pi * 30 * u * length)
            phase += 2 * math.pi * f / RATE
            out[begin + i] += amp * math.sin(math.pi * u) ** 2 * math.sin(phase)

    t = 0.08
    while t < 1.85:  # bird one: bursts of 3-5 chirps
        for _ in range(rng.randint(3, 5)):
            chirp(t, rng.uniform(3200, 3800), rng.uniform(4800, 5600), 0.05, 0.8)
            t += 0.075
        t += rng.uniform(0.25, 0.4)
    for at in (0.35, 1.2):  # bird two: a descending two-note whistle
        chirp(at, 2900, 2700, 0.16, 0.6)
        chirp(at + 0.2, 2300, 2200, 0.22, 0.6)
    return fade(out, 20)


def sound_thunder(seed: int = 3) -> list[float]:
    """A crack followed by a long rolling rumble."""
    rng = random.Random(seed)
    n = int(RATE * 2.4)
    noise = [rng.uniform(-1, 1) for _ in range(n)]
    rumble = lowpass(noise, 0.015, 3)
    crack = lowpass(noise, 0.35)
    out = []
    for i in range(n):
        t = i / RATE
        roll = min(1.0, t / 0.15) * math.exp(-t / 0.9) * (1 + 0.5 * math.sin(2 * math.pi * 1.7 * t + 1))
        out.append(60 * rumble[i] * roll + crack[i] * 0.6 * math.exp(-t / 0.05))
    return fade(out, 40)


def noise_cafe(n: int, seed: int = 31) -> list[float]:
    """Babble-like noise: speech-band noise with a syllable-rate flutter, and cup clinks."""
    rng = random.Random(seed)
    r = ENHANCE_RATE
    band = lowpass([rng.uniform(-1, 1) for _ in range(n)], 0.25, 2)
    hp = [band[i] - 0.95 * band[i - 1] if i else 0.0 for i in range(n)]
    out = [v * (0.7 + 0.3 * math.sin(2 * math.pi * 4.3 * i / r) * math.sin(2 * math.pi * 0.9 * i / r))
           for i, v in enumerate(hp)]
    for _ in range(3):
        at, f = rng.randint(0, n - 1200), rng.uniform(2400, 3400)
        for i in range(1200):
            out[at + i] += 0.4 * math.exp(-i / 250) * math.sin(2 * math.pi * f * i / r)
    return out


def noise_traffic(n: int, seed: int = 32) -> list[float]:
    """Road noise: a low rumble and an idling engine's harmonics."""
    rng = random.Random(seed)
    r = ENHANCE_RATE
    rumble = lowpass([rng.uniform(-1, 1) for _ in range(n)], 0.04, 2)
    return [12 * rumble[i] + 0.5 * sum(math.sin(2 * math.pi * 31 * k * i / r) / k for k in (1, 2, 3, 4))
            * (0.8 + 0.2 * math.sin(2 * math.pi * 0.7 * i / r)) for i in range(n)]


def noise_fan(n: int, seed: int = 33) -> list[float]:
    """A desk fan: steady broadband whoosh with a 100 Hz motor hum."""
    rng = random.Random(seed)
    r = ENHANCE_RATE
    whoosh = lowpass([rng.uniform(-1, 1) for _ in range(n)], 0.3)
    return [whoosh[i] + 0.25 * math.sin(2 * math.pi * 100 * i / r)
            + 0.1 * math.sin(2 * math.pi * 200 * i / r) for i in range(n)]


@cache
def enhancement_parts(name: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The clean speech and the noise of one noisy recording, at 8 kHz, noise at about 3 dB SNR."""
    sentence, voice, make_noise = ENHANCE[name]
    speech = resample(speak(sentence, voice, 165), RATE, ENHANCE_RATE)
    noise = make_noise(len(speech))
    rms = lambda xs: math.sqrt(sum(v * v for v in xs) / len(xs))  # noqa: E731
    scale = rms(speech) / rms(noise) / math.sqrt(10 ** (3 / 10))
    return tuple(speech), tuple(v * scale for v in noise)


def enhance_noisy(name: str) -> list[float]:
    speech, noise = enhancement_parts(name)
    return fade([s + n for s, n in zip(speech, noise, strict=True)], 20)


def enhance_speech(name: str) -> list[float]:
    """The model's speech estimate: the clean speech with a little residual noise."""
    speech, noise = enhancement_parts(name)
    return fade([s + 0.04 * n for s, n in zip(speech, noise, strict=True)], 20)


def enhance_noise(name: str) -> list[float]:
    """The model's noise estimate: the noise with a faint leak of the speech."""
    speech, noise = enhancement_parts(name)
    return fade([n + 0.03 * s for s, n in zip(speech, noise, strict=True)], 20)


# ---------------------------------------------------------------------------
# what goes where
# ---------------------------------------------------------------------------

VIT = "lumen-vision/tiny-vit-everyday-objects"
DIFF = "lumen-vision/dreamlite-512"
ASR = "sonora-audio/whisper-mini-en"
AUD = "sonora-audio/ast-urban-sounds"
TTS = "sonora-audio/vits-lite-en"
FOLEY = "sonora-audio/foley-lite"
SEPF = "sonora-audio/sepformer-lite-enhance"
DETR = "lumen-vision/detr-lite-coco"
OWL = "lumen-vision/owl-lite-detector"
SEGF = "lumen-vision/segformer-lite-outdoor"
SAM = "lumen-vision/segment-lite"
DPT = "lumen-vision/dpt-lite-depth"
EDIT = "lumen-vision/instruct-edit-lite"
BLIP = "lumen-vision/blip-lite-captions"
VLM = "lumen-vision/lumen-vl-mini-chat"
VQA = "lumen-vision/vilt-lite-vqa"
CLIP = "lumen-vision/clip-lite-b32"
T2V = "lumen-vision/motionlite-t2v"
I2V = "lumen-vision/motionlite-i2v"
VMAE = "lumen-vision/videomae-lite-workouts"
DOCQA = "tabula-ai/layoutlm-lite-docvqa"
PPO = "orbit-robotics/ppo-lunarlander-v2"


def rendered(make: Callable[[], Scene]) -> Callable[[], Image.Image]:
    return lambda: render(make())


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
    f"{DETR}/images/street-crossing.jpg": rendered(scene_street_crossing),
    f"{DETR}/images/park-walk.jpg": rendered(scene_park_walk),
    f"{OWL}/images/breakfast.jpg": rendered(scene_breakfast),
    f"{OWL}/images/garden.jpg": rendered(scene_garden),
    f"{SEGF}/images/city-street.png": rendered(scene_city_street),
    f"{SEGF}/images/beach.png": rendered(scene_beach),
    f"{SAM}/images/fruit-bowl.png": rendered(scene_fruit_bowl),
    f"{SAM}/images/toy-blocks.png": rendered(scene_toy_blocks),
    f"{DPT}/images/corridor.png": rendered(scene_corridor),
    f"{DPT}/images/country-road.png": rendered(scene_country_road),
    f"{DPT}/images/street-crossing.jpg": rendered(scene_street_crossing),
    f"{EDIT}/images/cottage.png": lambda: render(scene_cottage("summer")),
    f"{EDIT}/outputs/cottage-winter.png": lambda: render(scene_cottage("winter")),
    f"{EDIT}/outputs/cottage-night.png": lambda: render(scene_cottage("night")),
    f"{EDIT}/outputs/cottage-autumn.png": lambda: render(scene_cottage("autumn")),
    f"{BLIP}/images/kite-beach.png": rendered(scene_kite_beach),
    f"{BLIP}/images/bicycle-wall.png": rendered(scene_bicycle_wall),
    f"{BLIP}/images/coffee-book.png": rendered(scene_coffee_book),
    f"{VLM}/images/sales-chart.png": draw_sales_chart,
    f"{VLM}/images/fruit-stand.png": rendered(scene_fruit_stand),
    f"{VLM}/images/bakery.png": rendered(scene_shop_sign),
    f"{VQA}/images/picnic.png": rendered(scene_picnic),
    f"{VQA}/images/rainy-day.png": rendered(scene_rainy_day),
    f"{VQA}/images/dog-frisbee.png": rendered(scene_dog_frisbee),
    f"{DOCQA}/documents/receipt.png": draw_receipt,
    f"{DOCQA}/documents/invoice.png": draw_invoice,
    f"{CLIP}/images/lighthouse.png": draw_lighthouse,
    f"{CLIP}/images/birthday-cake.png": draw_birthday_cake,
    f"{CLIP}/images/hot-air-balloon.png": draw_balloon,
    f"{I2V}/images/windmill.png": lambda: render(i2v_windmill(0.0)),
    f"{I2V}/images/sailboat.png": lambda: render(i2v_sailboat(0.0)),
    f"{I2V}/images/campfire.png": lambda: render(i2v_campfire(0.0)),
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
    f"{FOLEY}/samples/church-bell.wav": sound_church_bell,
    f"{FOLEY}/samples/rain-on-tin-roof.wav": sound_rain_on_tin_roof,
    f"{FOLEY}/samples/birdsong.wav": sound_birdsong,
    f"{FOLEY}/samples/thunder.wav": sound_thunder,
}

# name -> (sentence, espeak-ng voice, noise); written as audio/<name>-noisy.wav plus the two
# separated sources the card shows, separated/<name>-speech.wav and separated/<name>-noise.wav.
ENHANCE: dict[str, tuple[str, str, Callable[[int], list[float]]]] = {
    "cafe": ("Can you hear me clearly now?", "en-us", noise_cafe),
    "street": ("I will call you back after lunch.", "en-gb+f3", noise_traffic),
    "office-fan": ("The package arrived this morning.", "en-us+m3", noise_fan),
}

# path -> (frame at time t in [0, 1), number of frames, frames per second)
VIDEOS: dict[str, tuple[Callable[[float], Image.Image], int, int]] = {
    f"{T2V}/videos/bouncing-ball.mp4": (t2v_bouncing_ball, 24, 12),
    f"{T2V}/videos/paper-boat.mp4": (t2v_paper_boat, 24, 12),
    f"{T2V}/videos/sunrise.mp4": (t2v_sunrise, 24, 12),
    f"{I2V}/videos/windmill.mp4": (lambda t: frame_of(i2v_windmill(t), (128, 96)), 24, 12),
    f"{I2V}/videos/sailboat.mp4": (lambda t: frame_of(i2v_sailboat(t), (128, 96)), 24, 12),
    f"{I2V}/videos/campfire.mp4": (lambda t: frame_of(i2v_campfire(t), (128, 96)), 24, 12),
    f"{VMAE}/clips/jumping-jacks.mp4": (vc_jumping_jacks, 16, 8),
    f"{VMAE}/clips/juggling.mp4": (vc_juggling, 16, 8),
    f"{VMAE}/clips/skipping-rope.mp4": (vc_skipping_rope, 16, 8),
    f"{VMAE}/clips/waving.mp4": (vc_waving, 16, 8),
    f"{PPO}/replay.mp4": (rl_lunar_lander, 45, 15),
}

# Cards whose stored outputs are computed from the drawing: repo, src in the card, scene.
DETECTION = [(DETR, "images/street-crossing.jpg", scene_street_crossing),
             (DETR, "images/park-walk.jpg", scene_park_walk),
             (OWL, "images/breakfast.jpg", scene_breakfast), (OWL, "images/garden.jpg", scene_garden)]
SEGMENTATION = [(SEGF, "images/city-street.png", scene_city_street), (SEGF, "images/beach.png", scene_beach)]
MASK_GENERATION = [(SAM, "images/fruit-bowl.png", scene_fruit_bowl),
                   (SAM, "images/toy-blocks.png", scene_toy_blocks)]
# Mask generation also finds some wholes made of parts: (labels, score) per scene.
MASK_UNIONS: dict[str, list[tuple[tuple[str, ...], float]]] = {
    "images/fruit-bowl.png": [(("bowl", "apple", "orange", "pear", "banana"), 0.951)],
}
DEPTH = [(DPT, "images/corridor.png", scene_corridor), (DPT, "images/country-road.png", scene_country_road),
         (DPT, "images/street-crossing.jpg", scene_street_crossing)]


def detection_output(scene: Scene) -> list[dict[str, object]]:
    """[{label, score, box}] of every detectable thing, by falling score."""
    idx = [i for i, t in enumerate(scene.things) if t.detect]
    found = [{"label": scene.things[i].label, "score": scene.things[i].score,
              "box": dict(zip(("xmin", "ymin", "xmax", "ymax"), b, strict=True))}
             for i, b in zip(idx, boxes(scene, idx), strict=True)]
    return sorted(found, key=lambda o: -float(o["score"]))  # type: ignore[arg-type]


def _label_groups(scene: Scene) -> list[tuple[str, float, list[int]]]:
    """One group per label with a score (first appearance order): label, best score, indices."""
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(scene.things):
        groups.setdefault(t.label, []).append(i)
    return [(label, max(scene.things[i].score for i in idx), idx) for label, idx in groups.items()
            if max(scene.things[i].score for i in idx) > 0]


def segmentation_output(scene: Scene, src: str) -> tuple[list[dict[str, object]], list[Image.Image]]:
    """[{label, score, mask}] per label (semantic segmentation) and the mask images."""
    stem = Path(src).stem
    groups = sorted(_label_groups(scene), key=lambda g: -g[1])
    images = masks(scene, [idx for _, _, idx in groups])
    out = [{"label": label, "score": score, "mask": f"masks/{stem}-{label.replace(' ', '-')}.png"}
           for label, score, _ in groups]
    return out, images


def mask_generation_output(scene: Scene, src: str) -> tuple[list[dict[str, object]], list[Image.Image]]:
    """[{score, mask}] for every thing with a score and every union, by falling score; no labels."""
    groups = [(score, idx) for _, score, idx in _label_groups(scene)]
    for labels, score in MASK_UNIONS.get(src, []):
        groups.append((score, [i for i, t in enumerate(scene.things) if t.label in labels]))
    groups.sort(key=lambda g: -g[0])
    stem = Path(src).stem
    out = [{"score": score, "mask": f"masks/{stem}-{n}.png"} for n, (score, _) in enumerate(groups, 1)]
    return out, masks(scene, [idx for _, idx in groups])


def expected_outputs() -> list[tuple[str, str, object]]:
    """(repo, src, output) for every card output that the drawings decide."""
    found: list[tuple[str, str, object]] = []
    for repo, src, make in DETECTION:
        found.append((repo, src, detection_output(make())))
    for repo, src, make in SEGMENTATION:
        found.append((repo, src, segmentation_output(make(), src)[0]))
    for repo, src, make in MASK_GENERATION:
        found.append((repo, src, mask_generation_output(make(), src)[0]))
    for repo, src, _ in DEPTH:
        found.append((repo, src, {"url": f"depth/{Path(src).stem}.png"}))
    return found


def _yaml_output(output: object) -> str:
    """The output as it is written in the cards (boxes in flow style)."""
    if isinstance(output, dict):
        return "  output:\n" + "".join(f"    {k}: {v}\n" for k, v in output.items())
    lines = ["  output:"]
    for item in output:  # type: ignore[attr-defined]
        first = True
        for k, v in item.items():
            if isinstance(v, dict):
                v = "{" + ", ".join(f"{a}: {b}" for a, b in v.items()) + "}"
            lines.append(f"  {'- ' if first else '  '}{k}: {v}")
            first = False
    return "\n".join(lines) + "\n"


def check_cards(root: Path, show: bool) -> int:
    """Compare the drawn outputs with the cards' stored outputs; return the number of mismatches."""
    import yaml  # sitegen's own dependency; only this check needs it

    bad = 0
    for repo, src, output in expected_outputs():
        if show:
            print(f"# {repo}  src: {src}\n{_yaml_output(output)}")
        card = root / repo / "README.md"
        if not card.exists():
            print(f"{card}: missing; expected an example with src {src}")
            bad += 1
            continue
        front = re.match(r"---\n(.*?)\n---[ \t]*\n", card.read_text(encoding="utf-8"), re.S)
        meta = yaml.safe_load(front.group(1)) if front else {}
        stored = [ex.get("output") for ex in meta.get("widget", []) if ex.get("src") == src]
        if stored != [output]:
            print(f"{card}: the output of the example with src {src} does not match the drawing; "
                  f"write:\n{_yaml_output(output)}")
            bad += 1
    return bad


def save_image(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".jpg":
        img.save(path, "JPEG", quality=85, optimize=True)
    else:
        img.save(path, "PNG", optimize=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="sample_repos folder (default: %(default)s)")
    parser.add_argument("--print-outputs", action="store_true",
                        help="print the card outputs computed from the drawings (boxes, masks)")
    args = parser.parse_args(argv)
    root: Path = args.root
    written: list[Path] = []

    def keep(rel: str) -> Path:
        written.append(root / rel)
        return root / rel

    for rel, draw in IMAGES.items():
        save_image(draw(), keep(rel))
    for repo, src, make in SEGMENTATION:
        for item, mask in zip(*segmentation_output(make(), src), strict=True):
            save_image(mask, keep(f"{repo}/{item['mask']}"))
    for repo, src, make in MASK_GENERATION:
        for item, mask in zip(*mask_generation_output(make(), src), strict=True):
            save_image(mask, keep(f"{repo}/{item['mask']}"))
    for repo, src, make in DEPTH:
        save_image(depth_map(make()), keep(f"{repo}/depth/{Path(src).stem}.png"))
    for rel, sound in SOUNDS.items():
        write_wav(keep(rel), sound())
    for rel, (text, voice, speed) in SPEECH.items():
        write_wav(keep(rel), speak(text, voice, speed))
    for name in ENHANCE:
        write_wav(keep(f"{SEPF}/audio/{name}-noisy.wav"), enhance_noisy(name), ENHANCE_RATE)
        write_wav(keep(f"{SEPF}/separated/{name}-speech.wav"), enhance_speech(name), ENHANCE_RATE)
        write_wav(keep(f"{SEPF}/separated/{name}-noise.wav"), enhance_noise(name), ENHANCE_RATE)
    for rel, (frame, count, fps) in VIDEOS.items():
        write_mp4(keep(rel), [frame(i / count) for i in range(count)], fps)
    bad = 0
    for path in written:
        size = path.stat().st_size
        low = MIN_MASK_BYTES if path.parent.name == "masks" else MIN_BYTES
        flag = "" if low <= size <= MAX_BYTES else f"  <-- outside {low / 1024:g}-100 KB"
        bad += bool(flag)
        print(f"{size / 1024:7.1f} KB  {path.relative_to(root)}{flag}")
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} files, {total / 1024:.1f} KB")
    bad += check_cards(root, args.print_outputs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
