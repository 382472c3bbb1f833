"""Repo files a page shows: one resolver for every path a card names, and the copy plan.

Every `src`, `output.url`, markdown image or link goes through `resolve`, which refuses
anything that could leave the repo (spec/security.md section 3.1) and sniffs media types
from the bytes, so no HTML, SVG or script from a repo is ever published.
"""
from __future__ import annotations

import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from PIL import Image

MAX_MEDIA_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIZE = 384  # longest side of a thumbnail; made for images over twice that

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HUB_FILE = re.compile(r"^https?://huggingface\.co/([^/]+(?:/[^/]+)?)/(?:resolve|blob|raw)/[^/]+/(.+)$")

# Extensions we publish, by kind. Anything else in a repo stays out of the site.
MEDIA_EXT = {
    "image": {"png", "jpg", "jpeg", "gif", "webp"},
    "audio": {"wav", "flac", "ogg", "mp3", "m4a", "oga", "opus"},
    "video": {"mp4", "webm", "mov"},
}
ACTIVE_EXT = {"html", "htm", "xhtml", "shtml", "svg", "svgz", "js", "mjs", "css", "xml", "xsl", "xslt"}
DOC_EXT = {"txt", "md", "json", "yaml", "yml", "csv", "tsv", "pdf", "jsonl"}


class AssetError(Exception):
    pass


@dataclass(frozen=True)
class Asset:
    """A file or URL a page shows: `url` is relative to the model page."""

    url: str
    kind: str  # image, audio, video, file
    remote: bool = False
    path: str = ""  # in the repo, for local files
    thumb: str = ""  # relative to the model page, images only
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Copy:
    """One file to place in the site: source on disk -> site path, maybe as a thumbnail."""

    source: Path
    dest: str
    thumbnail: bool = False


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


def published_path(path: str, kind: str, sniffed_ext: str) -> str:
    """The repo path a file is published under: its own name when its extension fits what
    its bytes are, else with the right extension added (so `x.html` holding a PNG is
    served as `x.html.png`, never as a page)."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if kind == "file":
        return path if ext in DOC_EXT or not ext else f"{path}.txt"
    return path if ext in MEDIA_EXT.get(kind, set()) else f"{path}.{sniffed_ext}"


def kind_of_extension(path: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    for kind, exts in MEDIA_EXT.items():
        if ext in exts:
            return kind
    return "file" if ext in DOC_EXT else ""


def site_path(model_dir: str, path: str) -> str:
    """Where a repo file lands in the site, relative to the site root."""
    return f"{model_dir}/files/{path}"


def url_quote(path: str) -> str:
    return quote(path, safe="/")


class Resolver:
    """Resolves card paths for one repo and records which files to copy."""

    def __init__(self, repo_id: str, root: Path, model_dir: str, files: frozenset[str]):
        self.repo_id = repo_id
        self.root = root
        self.real_root = root.resolve()
        self.model_dir = model_dir
        self.files = files
        self.copies: dict[str, Copy] = {}
        self.cache: dict[str, Asset] = {}

    def resolve(self, src: str, want: str = "") -> Asset:
        """Resolve a card reference to an Asset, or raise AssetError saying why not."""
        if not isinstance(src, str) or not src.strip():
            raise AssetError(f"expected a file path or https URL, got {src!r}")
        src = src.strip()
        hub = _HUB_FILE.match(src)
        if hub and hub.group(1) == self.repo_id and unquote(hub.group(2)) in self.files:
            src = unquote(hub.group(2))
        elif _CONTROL.search(src):
            raise AssetError("path holds control characters")
        else:
            parts = urlsplit(src)
            if parts.scheme or parts.netloc:
                return self._remote(src, parts.scheme, want)
        key = f"{want}:{src}"
        if key not in self.cache:
            self.cache[key] = self._local(src, want)
        return self.cache[key]

    def _remote(self, src: str, scheme: str, want: str) -> Asset:
        if scheme not in ("http", "https"):
            raise AssetError(f"only http and https URLs are allowed, got {scheme or 'a protocol-relative'} URL")
        kind = kind_of_extension(urlsplit(src).path) or want or "file"
        return Asset(src, kind, remote=True)

    def _local(self, src: str, want: str) -> Asset:
        path = self.check_path(src)
        full = self.root / path
        try:
            real = full.resolve(strict=True)
        except (OSError, RuntimeError):
            raise AssetError(f"file {path!r} is not in the repo") from None
        if not real.is_relative_to(self.real_root):
            raise AssetError(f"{path!r} leads outside the repo (symlink)")
        st = os.stat(real)
        if not stat.S_ISREG(st.st_mode):
            raise AssetError(f"{path!r} is not a regular file")
        if st.st_size > MAX_MEDIA_BYTES:
            raise AssetError(f"{path!r} is {st.st_size:,} bytes, more than {MAX_MEDIA_BYTES:,}")
        with open(real, "rb") as fh:
            head = fh.read(4096)
        kind, ext = sniff(head)
        kind = kind or _document_kind(path, head)
        if want and kind != want and not (want == "video" and kind == "image"):
            raise AssetError(f"expected {want}, {path!r} is {kind}")
        published = published_path(path, kind, ext)
        dest = site_path(self.model_dir, published)
        self.copies[dest] = Copy(real, dest)
        url = "files/" + url_quote(published)
        if kind != "image":
            return Asset(url, kind, path=path)
        width, height = _image_size(real, path)
        thumb = url
        if max(width, height) > 2 * THUMB_SIZE and ext != "gif":
            thumb_dest = f"{self.model_dir}/thumbs/{published}"
            self.copies[thumb_dest] = Copy(real, thumb_dest, thumbnail=True)
            thumb = "thumbs/" + url_quote(published)
        return Asset(url, kind, path=path, thumb=thumb, width=width, height=height)

    @staticmethod
    def check_path(src: str) -> str:
        """Validate a repo-relative path as written; return it normalised (decoded once)."""
        if "\\" in src:
            raise AssetError("backslashes are not allowed in paths; use '/'")
        path = unquote(urlsplit(src).path)
        if "\x00" in path:
            raise AssetError("path holds a NUL character")
        pure = PurePosixPath(path)
        if pure.is_absolute():
            raise AssetError("absolute paths are not allowed; write the path inside the repo")
        if any(p == ".." for p in pure.parts):
            raise AssetError("'..' is not allowed in paths; the file must be inside the repo")
        clean = "/".join(p for p in pure.parts if p != ".")
        if not clean:
            raise AssetError("empty path")
        return clean


def _document_kind(path: str, head: bytes) -> str:
    """Return "file" for a text or document file we may publish, else raise why not."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if ext in ACTIVE_EXT:
        raise AssetError(f"{path!r} is not published: {ext.upper()} files can run scripts in the site")
    if not head:
        raise AssetError(f"{path!r} is empty")
    if ext in DOC_EXT or (b"\x00" not in head and _is_utf8(head)):
        return "file"  # published as .txt unless its extension is a known document type
    raise AssetError(f"{path!r} is not an image, audio, video or text file (its bytes say otherwise)")


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return True


def _image_size(real: Path, path: str) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(real, formats=["PNG", "JPEG", "GIF", "WEBP"]) as im:
                width, height = im.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise AssetError(f"{path!r} is not a readable image: {exc}") from None
    if width * height > MAX_PIXELS:
        raise AssetError(f"{path!r} is {width}x{height} pixels, more than {MAX_PIXELS:,}")
    return width, height


def write_copy(copy: Copy, dest: Path) -> None:
    """Copy one planned file into the site (a thumbnail is re-encoded by Pillow)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not copy.thumbnail:
        with open(copy.source, "rb") as src, open(dest, "wb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)
        return
    with Image.open(copy.source, formats=["PNG", "JPEG", "WEBP"]) as im:
        fmt = im.format or "PNG"
        im.thumbnail((THUMB_SIZE, THUMB_SIZE))
        if fmt == "JPEG":
            im.convert("RGB").save(dest, "JPEG", quality=82, optimize=True)
        else:
            im.save(dest, fmt)
