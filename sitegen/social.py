"""Social-preview images: one 1200x630 PNG per model for Open Graph and Twitter cards."""
# Drawn with the font inside Pillow (no system fonts, no network). That font covers ASCII and a few
# symbols: accents are folded away, other characters show as its missing-glyph box.
from __future__ import annotations

import io
import re
import unicodedata
from functools import lru_cache
from itertools import accumulate
from typing import cast

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT, MARGIN, STRIPE = 1200, 630, 80, 16  # MARGIN: text inset at left and right
TEXT_WIDTH = WIDTH - 2 * MARGIN
NAME_TOP, NAME_BOTTOM, OWNER_STEP = 112, 456, 60  # owner and name are centred in this span
BAND_TOP = 486  # top of the footer band that holds the chips
# (font size, lines that fit between NAME_TOP and NAME_BOTTOM), tried until the name fits
NAME_SIZES = ((104, 2), (88, 2), (72, 3), (60, 3), (50, 3))
LEADING = 1.15  # line height over font size
BREAK_AFTER = re.compile(r"(?<=[-_./ ])")
WHITE, BAND, INDIGO = (255, 255, 255), (245, 246, 251), (67, 56, 202)
INK, MUTED, SOFT = (17, 24, 39), (107, 114, 128), (199, 210, 254)
# Drawn straight into palette indices: exact colours and under half an RGB PNG's bytes, without
# a 65 ms adaptive quantize. Ramp r, indices 16r..16r+15, runs from its ground to its ink.
RAMPS = ((WHITE, INK), (WHITE, MUTED), (WHITE, INDIGO), (INDIGO, WHITE))
TEXT, OWNER, TITLE, ON_INDIGO = range(4)  # the ramp each kind of text is drawn with
I_WHITE, I_INDIGO, I_BAND, I_SOFT = 0, 48, 64, 65  # flat fills
_PALETTE = [round(g + (i - g) * step / 15) for ground, ink in RAMPS for step in range(16)
            for g, i in zip(ground, ink)] + [*BAND, *SOFT]
_LUTS = [[16 * ramp + (alpha * 15 + 127) // 255 for alpha in range(256)] for ramp in range(4)]
_INKED = [0] + [255] * 255


@lru_cache(maxsize=None)  # each call decodes and parses the embedded font again
def _font(size: int) -> ImageFont.FreeTypeFont:
    # Given a size, Pillow >= 10.1 returns its scalable font, never the old bitmap one.
    return cast(ImageFont.FreeTypeFont, ImageFont.load_default(size=size))


def _clean(text: str) -> str:
    """Return text with accents folded away, controls dropped and spaces collapsed."""
    # The font has ASCII and little more: "é" -> "e", "ﬁ" -> "fi"; "日" shows as a box.
    kept = (" " if ch.isspace() else ch for ch in unicodedata.normalize("NFKD", text)
            if ch.isspace() or unicodedata.category(ch)[0] not in "CM")
    return " ".join(unicodedata.normalize("NFKC", "".join(kept)).split())


@lru_cache(maxsize=8192)
def _advance(ch: str, size: int) -> float:
    # Advances add up to the drawn width: the built-in font has no kerning (checked, Pillow 13).
    return _font(size).getlength(ch)


def _length(text: str, size: int) -> float:
    return sum(_advance(ch, size) for ch in text)


def _fit(text: str, size: int, width: float) -> int:
    """Return how many leading characters of text fit in width (at least one)."""
    ends = accumulate(_advance(ch, size) for ch in text)
    return max(1, sum(1 for end in ends if end <= width))


def _ellipsize(text: str, size: int, width: float) -> str:
    """Return text, cut and ended with an ellipsis if it does not fit in width."""
    if _length(text, size) <= width:
        return text
    return text[: _fit(text, size, width - _advance("…", size))].rstrip(" -_.") + "…"


def _wrap(text: str, size: int, width: float) -> list[str]:
    """Break text into lines that fit width: after '-', '_', '.', '/' or a space, else anywhere."""
    lines = [""]
    for chunk in filter(None, BREAK_AFTER.split(text)):
        if lines[-1] and _length((lines[-1] + chunk).rstrip(), size) > width:
            lines.append("")
        while _length(chunk.rstrip(), size) > width:  # longer than a line: cut it anywhere
            n = _fit(chunk, size, width)
            lines[-1:], chunk = [chunk[:n], ""], chunk[n:]
        lines[-1] += chunk
    return lines  # unstripped, so that "".join(lines) gives the text back


def _layout_name(name: str) -> tuple[int, int, list[str]]:
    """Return the font size, stroke and lines of the largest size that fits the name."""
    for size, room in NAME_SIZES:
        stroke = max(1, size // 40)  # the font has no bold; a stroke in the ink thickens it
        lines = _wrap(name, size, TEXT_WIDTH - 2 * stroke)
        if len(lines) <= room:
            return size, stroke, [line.rstrip() for line in lines]
    last = _ellipsize("".join(lines[room - 1 :]), size, TEXT_WIDTH - 2 * stroke)
    return size, stroke, [line.rstrip() for line in lines[: room - 1]] + [last]


def _text(canvas: Image.Image, xy: tuple[int, int], text: str, size: int, ramp: int,
          anchor: str = "ls", stroke: int = 0) -> None:
    """Draw anti-aliased text into the index canvas, its edges taken from one ramp."""
    font = _font(size)
    left, top, right, bottom = map(int, font.getbbox(text, anchor=anchor, stroke_width=stroke))
    mask = Image.new("L", (right - left, bottom - top))
    ImageDraw.Draw(mask).text((-left, -top), text, 255, font, anchor, stroke_width=stroke)
    # Only the inked pixels are pasted, so a box that overlaps a neighbour does not erase it.
    canvas.paste(mask.point(_LUTS[ramp]), (xy[0] + left, xy[1] + top), mask.point(_INKED))


def _chip(canvas: Image.Image, x: int, text: str, filled: bool) -> int:
    """Draw one rounded label at x in the footer band and return the x after it."""
    top, bottom, pad = BAND_TOP + 44, BAND_TOP + 100, 24
    text = _ellipsize(text, 28, WIDTH - MARGIN - x - 2 * pad)
    right = x + 2 * pad + round(_length(text, 28))
    fill, outline = (I_INDIGO, I_INDIGO) if filled else (I_WHITE, I_SOFT)
    ImageDraw.Draw(canvas).rounded_rectangle((x, top, right, bottom), 28, fill, outline, 2)
    _text(canvas, (x + pad, (top + bottom) // 2), text, 28, ON_INDIGO if filled else TITLE, "lm")
    return right + 20


def social_card(name: str, owner: str, task: str, license: str, site_title: str) -> bytes:
    """Draw the 1200x630 PNG shown when a model page is shared."""
    canvas = Image.new("L", (WIDTH, HEIGHT), I_WHITE)
    ImageDraw.Draw(canvas).rectangle((0, BAND_TOP, WIDTH, HEIGHT), I_BAND)
    ImageDraw.Draw(canvas).rectangle((0, 0, STRIPE - 1, HEIGHT), I_INDIGO)
    _text(canvas, (MARGIN, 72), _ellipsize(_clean(site_title), 30, TEXT_WIDTH), 30, TITLE)
    size, stroke, lines = _layout_name(_clean(name) or "model")
    owner, step = _clean(owner), round(size * LEADING)
    y = (NAME_TOP + NAME_BOTTOM - len(lines) * step - (OWNER_STEP if owner else 0)) // 2
    if owner:
        _text(canvas, (MARGIN, y + 40), _ellipsize(owner + "/", 40, TEXT_WIDTH), 40, OWNER)
        y += OWNER_STEP
    for line in lines:
        _text(canvas, (MARGIN, y + round(step * 0.8)), line, size, TEXT, stroke=stroke)
        y += step
    x = MARGIN
    for text, filled in ((_clean(task), True), (_clean(license), False)):
        if text and x < WIDTH - MARGIN - 120:  # else no room left for even a short chip
            x = _chip(canvas, x, text, filled)
    canvas.putpalette(_PALETTE)  # the indices become a "P" image
    out = io.BytesIO()
    canvas.save(out, "PNG")  # zlib level 6: 7 ms; level 9 saves a fifth of the bytes for 50 ms
    return out.getvalue()
