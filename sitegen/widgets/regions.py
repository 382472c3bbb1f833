"""Regions of an image: boxes from object detection and masks from segmentation."""
# Boxes are drawn by the page (an SVG over the image, in the image's own pixel units).
# Masks are blended over the image at build time (media.blend_masks): the page shows one
# picture with a legend and keeps the plain image one click away.
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from .shapes import ShapeError, describe, mapping, nonempty_list, number, string

# The Hub's box colours, in order (red, green, yellow, blue, orange, purple, cyan, lime).
COLOURS = ("#ef4444", "#22c55e", "#eab308", "#3b82f6", "#f97316", "#a855f7", "#06b6d4", "#84cc16")
MAX_MASK_BYTES = 8 * 1024 * 1024
MAX_MASKS = 100  # per example; a segmentation model finds tens
OVERLAY_SIZE = 1600  # longest side of a drawn overlay: enough for the page, quick to encode


@dataclass(frozen=True)
class Box:
    label: str
    score: float | None
    xmin: float
    ymin: float
    xmax: float
    ymax: float
    colour: str = COLOURS[0]

    @property
    def width(self) -> float:
        return self.xmax - self.xmin

    @property
    def height(self) -> float:
        return self.ymax - self.ymin

    @property
    def shown(self) -> str:
        return "" if self.score is None else f"{self.score:.3f}"


@dataclass(frozen=True)
class Boxes:
    kind = "boxes"
    items: tuple[Box, ...]

    @property
    def drawn(self) -> list[tuple[int, Box]]:
        """Larger boxes first, so small ones stay on top and can be pointed at."""
        return sorted(enumerate(self.items), key=lambda p: -(p[1].width * p[1].height))


def boxes(value: Any, key: str) -> Boxes:
    shape = "a list of {label, score, box: {xmin, ymin, xmax, ymax}}"
    if value == []:
        return Boxes(())
    found = []
    for i, entry in enumerate(nonempty_list(value, key, shape)):
        k = f"{key}[{i}]"
        entry = mapping(entry, k, "{label, score, box}")
        box = mapping(entry.get("box"), f"{k}.box", "{xmin, ymin, xmax, ymax}")
        xmin, ymin, xmax, ymax = (number(box.get(n), f"{k}.box.{n}") for n in ("xmin", "ymin", "xmax", "ymax"))
        if xmax <= xmin or ymax <= ymin:
            raise ShapeError(f"{k}.box", f"expected xmin < xmax and ymin < ymax, got {describe(box)}")
        score = number(entry["score"], f"{k}.score") if entry.get("score") is not None else None
        found.append(Box(string(entry.get("label", ""), f"{k}.label"), score, xmin, ymin, xmax, ymax,
                         COLOURS[i % len(COLOURS)]))
    return Boxes(tuple(found))


@dataclass(frozen=True)
class MaskItem:
    label: str
    score: float | None
    src: str  # a PNG in the repo, or base64 PNG data
    colour: str = COLOURS[0]

    @property
    def shown(self) -> str:
        return "" if self.score is None else f"{self.score:.3f}"


@dataclass(frozen=True)
class Masks:
    kind = "masks"
    items: tuple[MaskItem, ...]


def masks(value: Any, key: str) -> Masks:
    shape = "a list of {label, score, mask}"
    if value == []:
        return Masks(())
    found = []
    if isinstance(value, list) and len(value) > MAX_MASKS:
        raise ShapeError(key, f"expected at most {MAX_MASKS} masks, got {len(value)}")
    for i, entry in enumerate(nonempty_list(value, key, shape)):
        k = f"{key}[{i}]"
        entry = mapping(entry, k, "{label, score, mask}")
        if "mask" not in entry:
            raise ShapeError(k, f"expected {{label, score, mask}}, got {describe(entry)}")
        score = number(entry["score"], f"{k}.score") if entry.get("score") is not None else None
        label = string(entry["label"], f"{k}.label") if entry.get("label") is not None else f"Mask {i + 1}"
        found.append(MaskItem(label, score, string(entry["mask"], f"{k}.mask"), COLOURS[i % len(COLOURS)]))
    return Masks(tuple(found))


def is_inline(src: str) -> bool:
    """Whether a mask is base64 data rather than a file path."""
    return src.startswith("data:") or (len(src) > 200 and "/" not in src[:40])


def decode_inline(src: str) -> bytes:
    """The PNG bytes of a base64 mask (with or without a data: prefix)."""
    data = src.split(",", 1)[1] if src.startswith("data:") else src
    try:
        raw = base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError):
        raise ValueError("the mask is not valid base64 data") from None
    if len(raw) > MAX_MASK_BYTES or not raw.startswith(b"\x89PNG"):
        raise ValueError("the mask is not a PNG image")
    return raw
