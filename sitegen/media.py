"""Media work: types sniffed from bytes, images opened safely and re-encoded, WAV waveforms."""
# File types sniffed from their bytes, images opened safely,
# re-encoded without metadata and thumbnailed, WAV durations and waveforms.
#
# Repo images are never copied as they are: re-encoding applies the EXIF orientation and
# drops EXIF/GPS, text chunks and bytes after the image (spec/security.md section 3.4).
# Encoder settings are fixed, so the same input bytes always give the same output bytes.
from __future__ import annotations

import io
import sys
import warnings
import wave
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, JpegImagePlugin

from .load.safeio import open_file  # noqa: F401 (media.open_file is the usual name)

FORMATS = ["PNG", "JPEG", "GIF", "WEBP"]
MAX_PIXELS = 40_000_000
MAX_FRAMES = 200
THUMB_SIZE = 384  # longest side of a thumbnail, in pixels
# Part of every image's name hash: change it when an encoder setting changes, so that
# browsers do not keep the files of an older build under the same name.
RECIPE = b"sitegen-media-1 webp80m4 jpeg85 384\n"
WAVE_POINTS = 120
WAVE_HEIGHT = 32
_ORIENTATION = 0x0112
_KEEP_INFO = ("transparency", "duration", "loop", "background")  # needed to draw the image
_UNSIGNED = bytes((b - 128) & 0xFF for b in range(256))


class MediaError(Exception):
    pass


@dataclass(frozen=True)
class ImageFacts:
    width: int  # as shown, after the EXIF orientation
    height: int
    animated: bool
    alpha: bool


def sniff(head: bytes) -> tuple[str, str]:
    """Return the media kind and file extension the first bytes show, or ('', '')."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "jpg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio", "wav"
    if head.startswith(b"fLaC"):
        return "audio", "flac"
    if head.startswith(b"OggS"):
        return "audio", "ogg"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio", "mp3"
    if head[4:8] == b"ftyp":
        return ("audio", "m4a") if head[8:11] in (b"M4A", b"M4B") else ("video", "mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "webm"
    return "", ""


@contextmanager
def open_image(path: Path) -> Iterator[Image.Image]:
    """Open an allowed image format under the pixel and frame caps; failures are MediaError."""
    try:
        with warnings.catch_warnings(), open_file(path) as fh:
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fh, formats=FORMATS) as im:
                width, height = im.size
                if width * height > MAX_PIXELS:
                    raise MediaError(f"{width}x{height} pixels, more than {MAX_PIXELS:,}")
                frames = getattr(im, "n_frames", 1)
                if frames > MAX_FRAMES or frames * width * height > 4 * MAX_PIXELS:
                    raise MediaError(f"{frames} frames of {width}x{height} pixels, too many to show")
                if _frames(im) > 1:
                    _check_frames(im)
                yield im
    except Image.UnidentifiedImageError:
        raise MediaError("not a readable image: not a PNG, JPEG, GIF or WebP file") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(f"not a readable image: more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - decoders fail on hostile bytes in many ways
        # (OSError, SyntaxError, EOFError, struct.error, IndexError from a cut GIF, ...):
        # every one of them means the file cannot be shown.
        raise MediaError(f"not a readable image: {exc}") from None


def _check_frames(im: Image.Image) -> None:
    """Read each frame's size before it is drawn, and draw them all (a broken frame fails
    here): a GIF frame may be larger than the first, and the picture grows to hold it."""
    total = 0
    for i in range(_frames(im)):
        im.seek(i)  # draws frame i - 1 (already checked), reads frame i's header
        width, height = im.size
        if width * height > MAX_PIXELS:
            raise MediaError(f"an animation whose frame {i + 1} is {width}x{height} pixels, "
                             f"more than {MAX_PIXELS:,}")
        total += width * height
        if total > 4 * MAX_PIXELS:
            raise MediaError(f"an animation of more than {4 * MAX_PIXELS:,} pixels in all frames, "
                             "too many to show")
    im.load()
    im.seek(0)


def inspect_image(path: Path) -> ImageFacts:
    """Decode every frame (a broken file fails here, at check time) and return its facts."""
    with open_image(path) as im:
        im.load()  # the first frame; open_image has drawn every frame of an animation
        width, height = im.size
        if im.getexif().get(_ORIENTATION) in (5, 6, 7, 8):
            width, height = height, width
        return ImageFacts(width, height, _frames(im) > 1, _has_alpha(im))


def _frames(im: Image.Image) -> int:
    """Frames shown: an MPO (a JPEG carrying more pictures, such as a depth map) shows its first."""
    return 1 if im.format == "MPO" else getattr(im, "n_frames", 1)


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def reencode(path: Path) -> bytes:
    """The image in its own format, turned upright, without metadata or trailing bytes."""
    out = io.BytesIO()
    with open_image(path) as im:
        fmt = "JPEG" if im.format == "MPO" else im.format or "PNG"
        options: dict[str, Any] = {}
        if im.info.get("icc_profile") and fmt != "GIF":
            options["icc_profile"] = im.info["icc_profile"]  # colours, not metadata
        if isinstance(im, JpegImagePlugin.JpegImageFile):
            options.update(qtables=im.quantization, optimize=True)  # the source's quality
            if JpegImagePlugin.get_sampling(im) >= 0:
                options["subsampling"] = JpegImagePlugin.get_sampling(im)
        elif fmt == "WEBP":
            options.update(quality=90, method=4)
        elif fmt == "PNG":
            options["optimize"] = True
        if _frames(im) > 1:
            im.info = {k: v for k, v in im.info.items() if k in _KEEP_INFO}
            im.save(out, fmt, save_all=True, **options)
        else:
            frame = upright(im)
            if fmt == "JPEG" and frame.mode not in ("L", "RGB", "CMYK"):
                frame = frame.convert("RGB")
            frame.save(out, fmt, **options)
    return out.getvalue()


def thumbnail(path: Path, fmt: str) -> bytes:
    """A copy at most THUMB_SIZE on its longest side, as WEBP, PNG or JPEG."""
    out = io.BytesIO()
    with open_image(path) as im:
        if im.format == "JPEG":
            im.draft("RGB", (THUMB_SIZE, THUMB_SIZE))  # decode at a reduced scale: faster
        small = upright(im)
    small.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    alpha = _has_alpha(small)
    if fmt == "JPEG" or not alpha:
        small = small.convert("RGB")
    elif small.mode != "RGBA":
        small = small.convert("RGBA")
    if fmt == "WEBP":
        small.save(out, "WEBP", quality=80, method=4)
    elif fmt == "JPEG":
        small.save(out, "JPEG", quality=85, optimize=True)
    else:
        small.save(out, "PNG", optimize=True)
    return out.getvalue()


def upright(im: Image.Image) -> Image.Image:
    """A loaded copy turned by its EXIF orientation (as browsers show it, and as `width` and
    `height` of an image Asset are), keeping only the info that drawing needs."""
    turned = ImageOps.exif_transpose(im)
    turned.info = {k: v for k, v in im.info.items() if k == "transparency"}
    return turned


def wav_summary(path: Path) -> tuple[float, str]:
    """Duration in seconds and a waveform (SVG path data) of a PCM WAV; (0, "") if unreadable."""
    try:
        with open_file(path) as fh, wave.open(fh, "rb") as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            data = w.readframes(w.getnframes())  # fewer than the header says if cut short
    except Exception:  # noqa: BLE001 - wave fails on hostile headers in many ways (wave.Error,
        return 0.0, ""  # EOFError, struct.error, RuntimeError from a chunk that runs past the end)
    frames = len(data) // (width * channels) if width and channels else 0
    if not rate or not frames:
        return 0.0, ""
    if width > 4:  # not PCM as we know it: the length is still right
        return frames / rate, ""
    # A file cut short can end inside a frame: only whole frames are drawn.
    return frames / rate, waveform(_samples(data[:frames * width * channels], width)[::channels])


def _samples(data: bytes, width: int) -> array[int]:
    """Samples as signed integers (for 24 and 32 bits, only their top 16 bits)."""
    if width == 1:
        return array("b", data.translate(_UNSIGNED))  # 8-bit WAV is unsigned
    if width in (3, 4):
        top = bytearray(len(data) // width * 2)
        top[0::2] = data[width - 2::width]
        top[1::2] = data[width - 1::width]
        data = bytes(top)
    samples = array("h", data[:len(data) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def waveform(samples: array[int]) -> str:
    """SVG path data: one vertical bar per point, its height the peak of that stretch,
    scaled to the loudest point, in a box WAVE_POINTS wide and WAVE_HEIGHT high."""
    n = len(samples)
    points = min(WAVE_POINTS, n)
    peaks = []
    for i in range(points):
        stretch = samples[i * n // points:(i + 1) * n // points]
        peaks.append(max(max(stretch), -min(stretch)))
    loudest = max(peaks) or 1
    bars = []
    for i, peak in enumerate(peaks):
        height = max(1, round(peak / loudest * WAVE_HEIGHT / 2)) * 2
        bars.append(f"M{i}.5 {(WAVE_HEIGHT - height) // 2}v{height}")
    return "".join(bars)


def blend_masks(image: Path, layers: list[tuple[bytes, str]], size: int) -> bytes:
    """Draw each mask (PNG bytes, colour) over the image, made at most `size` pixels on its
    longest side, in its colour at 60 %, and return the result as PNG.

    Raises ValueError when the image or a mask cannot be read.
    """
    try:
        with open_image(image) as im:  # turned upright, as the page shows it
            if im.format == "JPEG":
                im.draft("RGB", (size, size))  # decode at a reduced scale
            base = upright(im)
        base.thumbnail((size, size))
        base = base.convert("RGBA")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            for data, colour in layers:
                with Image.open(io.BytesIO(data), formats=["PNG"]) as m:
                    if m.size[0] * m.size[1] > MAX_PIXELS:
                        raise MediaError(f"a mask of {m.size[0]}x{m.size[1]} pixels, more than {MAX_PIXELS:,}")
                    mask = m.convert("L").resize(base.size)
                tint = Image.new("RGBA", base.size, colour)
                alpha = mask.point(lambda v: 153 if v >= 128 else 0)  # 60 % where the mask is on
                base = Image.composite(tint, base, alpha)
    except Exception as exc:  # noqa: BLE001 - any decoder failure on a mask means it cannot be drawn
        raise ValueError(f"cannot draw the masks: {exc}") from None
    out = io.BytesIO()
    base.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def published(source: Path, make: str, suffix: str) -> bytes:
    """The bytes of an image the site publishes: `image`, the image re-encoded; else its thumbnail,
    in the format the name's suffix says. MediaError if it cannot be read as it was."""
    if make == "image":
        return reencode(source)
    return thumbnail(source, {".webp": "WEBP", ".jpg": "JPEG"}.get(suffix, "PNG"))
