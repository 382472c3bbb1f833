"""How an example's output sits on its inputs: marked text, predictions in place, masks drawn."""
# Entities and answers marked in the text,
# fill-mask predictions in their sentence, segmentation masks drawn over the image.
#
# Computed at build time so that templates only display.
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from . import regions
from ..assets import Asset, AssetError, Resolver
from ..media import blend_masks
from .outputs import Answer, Labels, Output
from .regions import Boxes, Masks
from .shapes import ShapeError
from .spans import MASK, Entities, Segment, answer_segments, entity_segments, filled

# Fill-mask shows the whole sentence once per prediction: past this many characters in all,
# only the predicted token (a card could list thousands of predictions over a long text).
MAX_SENTENCE_CHARS = 200_000


@dataclass(frozen=True)
class View:
    segments: tuple[Segment, ...] = ()  # the input text with entities or the answer marked
    sentences: tuple[tuple[Segment, ...], ...] = ()  # fill-mask: one per predicted token
    overlay: Asset | None = None  # masks drawn over the input image
    files: tuple[tuple[str, bytes], ...] = ()  # files made for the site: (site path, bytes)


def view(number: int, inputs: dict[str, Any], output: Output, key: str, resolver: Resolver,
         draw: bool = True) -> View:
    """Work out what the page shows of an output beyond the output itself; masks are drawn
    over their image only when `draw` (drawing costs a second or so a picture)."""
    text = inputs.get("text")
    if isinstance(output, Entities) and isinstance(text, str):
        return View(segments=entity_segments(text, output))
    if isinstance(output, Answer) and isinstance(inputs.get("context"), str) and output.items:
        first = output.items[0]
        return View(segments=answer_segments(inputs["context"], first.answer, first.start, first.end))
    mask = MASK.search(text) if isinstance(text, str) else None
    if isinstance(output, Labels) and isinstance(text, str) and (mask or any(i.sequence for i in output.items)):
        return View(sentences=tuple(
            filled(text, i.label, i.sequence, mask) if (n + 1) * (len(text) + len(i.sequence)) <= MAX_SENTENCE_CHARS
            else (Segment(i.label.strip(), "filled"),)
            for n, i in enumerate(output.items)))
    image = inputs.get("src")
    if isinstance(output, (Masks, Boxes)) and output.items and isinstance(image, Asset) and image.remote:
        # The build fetches nothing, so it knows neither the pixels nor the size of the image.
        drawn = "masks" if isinstance(output, Masks) else "boxes"
        resolver.notes.append((key, f"the {drawn} are listed, not drawn over the input image: it is remote "
                                    "and the build fetches nothing; put the image in the repo to see them drawn"))
        return View()
    if isinstance(output, Masks) and output.items and isinstance(image, Asset) and image.kind == "image" and draw:
        return _masks(number, image, output, key, resolver)
    return View()


def _masks(number: int, image: Asset, found: Masks, key: str, resolver: Resolver) -> View:
    layers = []
    for i, item in enumerate(found.items):
        k = f"{key}[{i}].mask"
        try:
            if regions.is_inline(item.src):
                data = regions.decode_inline(item.src)
            else:
                mask = resolver.resolve(item.src, "image")
                if mask.remote:
                    raise ShapeError(k, "a mask must be a PNG in the repo or base64 PNG data, not a URL")
                data = resolver.read(mask, regions.MAX_MASK_BYTES + 1)
        except (AssetError, ValueError, OSError) as exc:
            raise ShapeError(k, str(exc)) from None
        layers.append((data, item.colour))
    try:
        png = blend_masks(resolver.root / image.path, layers, regions.OVERLAY_SIZE)
    except ValueError as exc:
        raise ShapeError(key, str(exc)) from None
    name = f"views/example-{number}-masks.{hashlib.sha256(png).hexdigest()[:8]}.png"
    overlay = Asset(name, "image", path=image.path, thumb=name, width=image.width, height=image.height)
    return View(overlay=overlay, files=((f"{resolver.model_dir}/{name}", png),))
