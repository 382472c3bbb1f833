"""Social-preview cards: a small, deterministic 1200x630 PNG whose text stays on the canvas."""
from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageChops

import conftest  # noqa: F401  (puts the repo root on sys.path)
from sitegen import social
from sitegen.social import BAND, BAND_TOP, INDIGO, INK, MARGIN, MUTED, STRIPE, WHITE, social_card

LONG = "x" * 60 + "-".join(f"segment{i}_part.v2" for i in range(8))  # ~200 chars, no spaces
FIELDS = {"name": "tiny-bert-sst2", "owner": "acme-nlp", "task": "Text Classification",
          "license": "apache-2.0", "site_title": "Acme models"}


def card(**changes: str) -> bytes:
    return social_card(**{**FIELDS, **changes})


def pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def colours(image: Image.Image, box: tuple[int, int, int, int]) -> set[object]:
    return {rgb for _, rgb in image.crop(box).getcolors(4096) or []}


def ink_rows(image: Image.Image) -> list[range]:
    """Return the runs of rows between the title and the band that hold name ink."""
    off = ImageChops.difference(image, Image.new("RGB", image.size, INK)).split()
    exact = ImageChops.lighter(ImageChops.lighter(off[0], off[1]), off[2]).point(lambda v: v == 0)
    runs: list[range] = []
    for y in (y for y in range(100, BAND_TOP) if exact.crop((0, y, 1200, y + 1)).getbbox()):
        if runs and runs[-1].stop == y:
            runs[-1] = range(runs[-1].start, y + 1)
        else:
            runs.append(range(y, y + 1))
    return runs


def chunks(data: bytes) -> list[bytes]:
    names, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        names.append(data[at + 4 : at + 8])
        at += 12 + length
    return names


def test_a_small_1200x630_png_without_transparency() -> None:
    data = card()
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert image.mode in ("P", "RGB") and "transparency" not in image.info
    assert len(data) < 40_000


def test_same_input_same_bytes_and_no_metadata_chunks() -> None:
    assert card(name=LONG) == card(name=LONG)
    assert chunks(card()) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]


def test_colours_are_exact() -> None:
    image = pixels(card())
    assert image.getpixel((1199, 0)) == WHITE
    assert image.getpixel((1199, 629)) == BAND
    assert image.getpixel((0, 300)) == INDIGO


@pytest.mark.parametrize("text", [LONG, "a" * 200, "W" * 200, "word " * 40, "-" * 200],
                         ids=["segments", "a", "W", "words", "dashes"])
def test_long_text_stays_inside_the_margins(text: str) -> None:
    image = pixels(social_card(text, text, text, text, text))
    right = colours(image, (1200 - MARGIN + 5, 0, 1200, BAND_TOP))
    left = colours(image, (STRIPE, 0, MARGIN - 5, BAND_TOP))
    assert right == left == {WHITE}
    assert colours(image, (1200 - MARGIN + 5, BAND_TOP, 1200, 630)) == {BAND}
    assert 1 <= len(ink_rows(image)) <= 3


def test_long_names_wrap_and_shrink() -> None:
    short = ink_rows(pixels(card(name="tiny-bert")))
    medium = ink_rows(pixels(card(name="Meta-Llama-3.1-70B-Instruct-GPTQ-INT4")))
    long = ink_rows(pixels(card(name="tiny-bert-" * 20)))
    assert (len(short), len(medium), len(long)) == (1, 2, 3)
    assert len(short[0]) > 1.5 * len(long[0])  # same letters, drawn at half the size


def test_empty_fields_are_left_out() -> None:
    full, bare = pixels(card()), pixels(card(owner="", task="", license="", site_title=""))
    assert INDIGO in colours(full, (STRIPE, BAND_TOP, 1200, 630))
    assert colours(bare, (STRIPE, BAND_TOP, 1200, 630)) == {BAND}
    assert MUTED in colours(full, (STRIPE, 0, 1200, BAND_TOP))
    assert MUTED not in colours(bare, (STRIPE, 0, 1200, BAND_TOP))
    assert colours(bare, (STRIPE, 0, 1200, 100)) == {WHITE}
    assert INK in colours(bare, (STRIPE, 0, 1200, BAND_TOP))


@pytest.mark.parametrize("text", [
    "日本語モデル", "Zürich-Modèle", "مرحبا", "emoji-😀-👩‍💻", "a\u0301\u0302", "\ud800x",
    "tab\there\nnew\x00line", " ", "", "\u200b\u200f",
])
def test_any_text_draws(text: str) -> None:
    image = pixels(social_card(text, text, text, text, text))
    assert image.size == (1200, 630)


def test_accents_fold_to_the_letters_the_font_has() -> None:
    assert card(name="café-modèle", owner="Ｚürich") == card(name="cafe-modele", owner="Zurich")


@pytest.mark.parametrize("size", [28, 50, 104])
def test_widths_add_up_as_the_layout_assumes(size: int) -> None:
    """Line breaks sum per-character advances; a font with kerning would break that."""
    font = social._font(size)
    for text in ["AVATAR To Ty", "tiny-bert-sst2", "W.V,y.-_", "Text Classification…"]:
        assert font.getlength(text) == social._length(text, size)


def test_different_names_give_different_images() -> None:
    assert card(name="tiny-bert-sst2") != card(name="tiny-bert-sst5")
    assert card(owner="acme-nlp") != card(owner="acme-cv")
