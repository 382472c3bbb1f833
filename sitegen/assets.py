"""Repo files a page shows: one resolver for every path a card names, and the copy plan."""
from __future__ import annotations

# Every `src`, `output.url`, markdown image or link goes through `resolve`, which refuses
# anything that could leave the repo (spec/security.md section 3.1) and sniffs media types
# from the bytes, so no HTML, SVG or script from a repo is ever published. Published names
# carry a hash of the content (`files/<dir>/<stem>.<hash>.<ext>`): a changed file gets a new
# name, so browsers and caches never show a stale one, and an unchanged file keeps its name.

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from . import media
from .load.lfs import MAX_POINTER_BYTES, Pointer, broken as lfs_broken, looks_like, not_fetched, note, pointer
from .load.safeio import MAX_MEDIA_BYTES, blob_of  # kept there: the cache reads it without media
from .media import THUMB_SIZE, MediaError, sniff
from .published import (MAX_PATH_BYTES, MEDIA_EXT, document_problem, content_digest, hashed_name, kind_of_extension,
                        published_path, url_quote)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HUB_FILE = re.compile(r"^https?://huggingface\.co/([^/]+(?:/[^/]+)?)/(?:resolve|blob|raw)/[^/]+/(.+)$")

# Hidden folders are tool state (.git holds remotes, sometimes with a token); only the Hub's
# eval results are read, as the repo listing does.
HIDDEN_OK = {".eval_results"}


class AssetError(Exception):
    pass


class PointerError(AssetError):
    """A repo file that is a Git LFS pointer: a page shows a placeholder naming it (kind "lfs")."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.placeholder = Asset("", "lfs", path=path)


@dataclass(frozen=True)
class Asset:
    """A file or URL a page shows: `url` is relative to the model page."""

    url: str
    kind: str  # image, audio, video, file; "lfs": a Git LFS pointer, shown as a placeholder
    remote: bool = False
    path: str = ""  # in the repo, for local files
    thumb: str = ""  # relative to the model page, images only: PNG or JPEG (or the image)
    width: int = 0  # images: as shown, after the EXIF orientation
    height: int = 0
    thumb_webp: str = ""  # the thumbnail as WebP, offered first through <picture>
    duration: float = 0.0  # seconds; WAV only (other formats are not guessed)
    waveform: str = ""  # SVG path data in a box of `waveform_box`; WAV only
    poster: str = ""  # video: a still frame with the same stem next to it in the repo
    linked: bool = False  # remote, shown as a plain link: offline_media, or not https

    @property
    def waveform_box(self) -> str:
        return f"0 0 {media.WAVE_POINTS} {media.WAVE_HEIGHT}"

    @property
    def duration_text(self) -> str:
        """`m:ss`, whole seconds cut off as the browsers' players show a length (2.6 s is
        0:02), so the label and the player beside it agree."""
        minutes, seconds = divmod(int(self.duration), 60)
        return f"{minutes}:{seconds:02d}"

    @property
    def host(self) -> str:
        """The site a remote asset lives on."""
        return (urlsplit(self.url).hostname or "") if self.remote else ""

    @property
    def name(self) -> str:
        """The file name, for link text."""
        return unquote(urlsplit(self.url).path.rstrip("/").rsplit("/", 1)[-1]) or self.url


@dataclass(frozen=True)
class Copy:
    """One file to place in the site: source on disk -> site path, and how to make it:
    "copy" the bytes, re-encode an "image", or make a "thumb" (format from dest's extension)."""

    source: Path
    dest: str
    make: str = "copy"


class Resolver:
    """Resolves card paths for one repo and records which files to copy.

    `notes` collects (key, message) for remote media resolved with a key that the page can only
    link (plain http): the caller (widgets/examples.py) turns them into warnings at that key's line.
    `offline`: the site's offline_media, every remote medium is linked, not shown.
    """

    def __init__(self, repo_id: str, root: Path, model_dir: str, files: frozenset[str], offline: bool = False):
        self.repo_id = repo_id
        self.offline = offline
        self.root = root
        self.real_root = root.resolve()
        self.model_dir = model_dir
        self.files = files
        self.copies: dict[str, Copy] = {}
        self.cache: dict[str, Asset] = {}
        self.notes: list[tuple[str, str]] = []

    def resolve(self, src: str, want: str = "", key: str = "") -> Asset:
        """Resolve a card reference to an Asset, or raise AssetError saying why not."""
        if not isinstance(src, str) or not src.strip():
            raise AssetError(f"expected a file path or https URL, got {src!r}")
        src = src.strip()
        hub = _HUB_FILE.match(src)
        if hub and hub.group(1) == self.repo_id and unquote(hub.group(2)) in self.files:
            # A link to this repo on the Hub: the file itself, decoded once (not once more below).
            return self._file(self.check_decoded(unquote(hub.group(2))), want)
        if _CONTROL.search(src):
            raise AssetError("path holds control characters")
        try:
            parts = urlsplit(src)
            host = parts.hostname
        except ValueError:  # a bracketed host that is no IPv6 address
            raise AssetError(f"{src[:80]!r} is not a valid URL") from None
        if parts.scheme or parts.netloc:
            return self._remote(src, parts.scheme, host, want, key)
        return self._file(self.check_path(src), want)

    def _remote(self, src: str, scheme: str, host: str | None, want: str, key: str) -> Asset:
        if scheme not in ("http", "https"):
            raise AssetError(f"only http and https URLs are allowed, got {scheme or 'a protocol-relative'} URL")
        if not host:
            raise AssetError(f"{src[:80]!r} names no host")
        kind = kind_of_extension(urlsplit(src).path) or want or "file"
        # Never fetched at build time (offline, private, deterministic): the reader's browser
        # loads it, https only (the pages' CSP allows no other), unless the site is offline.
        shown = kind in MEDIA_EXT and scheme == "https" and not self.offline
        if key and kind in MEDIA_EXT and scheme != "https" and not self.offline:
            self.notes.append((key, f"remote {kind} {src[:200]!r} is linked, not shown: only https "
                                    "media is shown in a page; use an https URL"))
        return Asset(src, kind, remote=True, linked=not shown)

    def _file(self, path: str, want: str) -> Asset:
        key = f"{want}:{path}"
        if key not in self.cache:
            self.cache[key] = self._local(path, want)
        return self.cache[key]

    def _local(self, path: str, want: str) -> Asset:
        real = self._contained(path)
        try:
            with media.open_file(real) as fh:  # a regular file, or an error: never a FIFO or device
                size = os.fstat(fh.fileno()).st_size
                head = fh.read(4096) if size <= MAX_MEDIA_BYTES else b""
        except OSError:
            raise AssetError(f"{path!r} is not a regular file") from None
        if size > MAX_MEDIA_BYTES:
            raise AssetError(f"{path!r} is {size:,} bytes, more than {MAX_MEDIA_BYTES:,}")
        met = pointer(head) if size < MAX_POINTER_BYTES else None
        if met:  # never published as the file it stands for; `sitegen lfs-files` hears of it
            if note(Pointer(path, real, want, *met)) and kind_of_extension(path) == "video":
                self._poster(path)  # the still frame it will show once fetched
            raise PointerError(not_fetched(path, met[1]), path)
        if looks_like(head if size < MAX_POINTER_BYTES else b""):
            raise AssetError(lfs_broken(path))
        kind, ext = sniff(head)
        problem = "" if kind else document_problem(path, head)
        if problem:
            raise AssetError(problem)
        kind = kind or "file"
        if want and kind != want and not (want == "video" and kind == "image"):
            raise AssetError(f"expected {want}, {path!r} is {kind}")
        if kind == "image":
            return self._image(real, path, hashed_name(path, content_digest(real, media.RECIPE), ext))
        url = self._plan(real, "files/" + hashed_name(published_path(path, kind, ext), content_digest(real)))
        if kind == "audio" and ext == "wav":
            duration, waveform = media.wav_summary(real)
            return Asset(url, kind, path=path, duration=duration, waveform=waveform)
        if kind == "video":
            return Asset(url, kind, path=path, poster=self._poster(path))
        return Asset(url, kind, path=path)

    def _contained(self, path: str) -> Path:
        """The real file a repo path names: inside the repo once every link is followed (or a
        Hugging Face cache snapshot's link to its own blobs/, safeio.blob_of), and not hidden."""
        full = self.root / path
        try:
            real = full.resolve(strict=True)
        except (OSError, RuntimeError):
            raise AssetError(f"file {path!r} is not in the repo") from None
        if real.is_relative_to(self.real_root):
            if _hidden(real.relative_to(self.real_root).parts):
                raise AssetError(f"{path!r} leads into a hidden folder (symlink); hidden files are not published")
            return real
        blob = blob_of(full)  # `path` itself was checked: not hidden, no `..`
        if blob is None or Path(blob) != real:
            raise AssetError(f"{path!r} leads outside the repo (symlink)")
        return real

    def _image(self, real: Path, path: str, name: str) -> Asset:
        """Plan the re-encoded image and its thumbnails: always WebP; PNG or JPEG for browsers
        without WebP (and for `thumb` users) only when the image itself is too big for that."""
        try:
            facts = media.inspect_image(real)
        except MediaError as exc:
            raise AssetError(f"{path!r} is {exc}") from None
        url = self._plan(real, f"files/{name}", "image")
        width, height = facts.width, facts.height
        if facts.animated:  # a thumbnail would stop it; shown as it is
            return Asset(url, "image", path=path, thumb=url, width=width, height=height)
        stem = name.rsplit(".", 1)[0]
        webp = self._plan(real, f"thumbs/{stem}.webp", "thumb")
        thumb = url
        if max(width, height) > 2 * THUMB_SIZE:
            thumb = self._plan(real, f"thumbs/{stem}.{'png' if facts.alpha else 'jpg'}", "thumb")
        return Asset(url, "image", path=path, thumb=thumb, width=width, height=height, thumb_webp=webp)

    def _plan(self, source: Path, name: str, make: str = "copy") -> str:
        """Plan a file in the model's folder; return its URL relative to the model page."""
        dest = f"{self.model_dir}/{name}"
        self.copies[dest] = Copy(source, dest, make)
        return url_quote(name)

    def read(self, asset: Asset, limit: int) -> bytes:
        """The first `limit` bytes of a repo file this resolver gave (a regular file, as resolved)."""
        if asset.remote or not asset.path:
            raise AssetError(f"{asset.url[:80]!r} is not a file in the repo")
        with media.open_file(self.root / asset.path) as fh:
            return fh.read(limit)

    def read_listed(self, path: str, limit: int) -> bytes:
        """Up to `limit` + 1 bytes of a listed repo file (a viewer page shows it), refused as a
        card's path would be: outside the repo, through a symlink, hidden, not a regular file."""
        clean = self.check_decoded(path)
        self._contained(clean)
        try:
            with media.open_file(self.root / clean) as fh:  # never through a symlink (but to a blob), never a FIFO
                return fh.read(limit + 1)
        except (OSError, RuntimeError):
            raise AssetError(f"{path!r} is not a regular file in the repo") from None

    def _poster(self, path: str) -> str:
        """A still frame for a video: `clip.jpg`, `.png` or `.webp` beside `clip.mp4`."""
        stem = path.rsplit(".", 1)[0]
        for ext in ("jpg", "jpeg", "png", "webp"):
            if f"{stem}.{ext}" in self.files:
                try:
                    return self._file(f"{stem}.{ext}", "image").url
                except AssetError:
                    return ""  # not a usable image: the video simply has no poster
        return ""

    @staticmethod
    def check_path(src: str) -> str:
        """Validate a repo-relative path as written; return it normalised (decoded once)."""
        if "\\" in src:
            raise AssetError("backslashes are not allowed in paths; use '/'")
        return Resolver.check_decoded(unquote(urlsplit(src).path))

    @staticmethod
    def check_decoded(path: str) -> str:
        """Validate a decoded repo-relative path; return it normalised."""
        if "\x00" in path:
            raise AssetError("path holds a NUL character")
        if _CONTROL.search(path):
            raise AssetError("path holds control characters")
        if "\\" in path:  # %5C: a separator on Windows
            raise AssetError("backslashes are not allowed in paths; use '/'")
        pure = PurePosixPath(path)
        if pure.is_absolute():
            raise AssetError("absolute paths are not allowed; write the path inside the repo")
        if _DRIVE.match(path):
            raise AssetError("drive letters are not allowed in paths; write the path inside the repo")
        if any(p == ".." for p in pure.parts):
            raise AssetError("'..' is not allowed in paths; the file must be inside the repo")
        clean = "/".join(p for p in pure.parts if p != ".")
        if not clean:
            raise AssetError("empty path")
        if len(clean.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
            raise AssetError(f"path is {len(clean.encode('utf-8', 'surrogatepass')):,} bytes long, more than "
                             f"the {MAX_PATH_BYTES:,} a published file may have")
        if _hidden(tuple(clean.split("/"))):
            raise AssetError(f"{clean!r} is in a hidden folder or is a hidden file; those are not published")
        return clean


_DRIVE = re.compile(r"^[A-Za-z]:")


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") and p not in HIDDEN_OK for p in parts)
