"""Published names of repo files: the extensions a site takes and the hashed file names it writes."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

from . import media

# Extensions we publish, by kind. Anything else in a repo stays out of the site.
MEDIA_EXT = {
    "image": {"png", "jpg", "jpeg", "gif", "webp"},
    "audio": {"wav", "flac", "ogg", "mp3", "m4a", "oga", "opus"},
    "video": {"mp4", "webm", "mov"},
}
DOC_EXT = {"txt", "md", "json", "yaml", "yml", "csv", "tsv", "pdf", "jsonl"}


def published_path(path: str, kind: str, sniffed_ext: str) -> str:
    """The repo path a non-image file is published under (before the hash): its own name
    when its extension fits what its bytes are, else with the right extension added (so
    `x.html` holding MP3 is served as `x.html.mp3`, never as a page). Images always take
    the extension of their sniffed format."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if kind == "file":
        return path if ext in DOC_EXT else f"{path}.txt"  # LICENSE: served as text, not as a download
    return path if ext in MEDIA_EXT.get(kind, set()) else f"{path}.{sniffed_ext}"


def kind_of_extension(path: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    for kind, exts in MEDIA_EXT.items():
        if ext in exts:
            return kind
    return "file" if ext in DOC_EXT else ""


# The longest file name published, in bytes: a repo's own name may take the file system's
# 255, and the digest and extension added to it must not make a name no file system can hold
# (the build would fail on it where `check` does not).
MAX_NAME_BYTES = 200
# And the longest repo path published: the site's folder and the build's temp folder come
# before it, and the whole must stay within what the system takes (4,096 bytes on Linux).
MAX_PATH_BYTES = 1024


def hashed_name(path: str, digest: str, ext: str = "") -> str:
    """`dir/stem.ext` -> `dir/stem.<digest>.<ext>`, with `ext` replacing the old one if given
    (a stem too long for MAX_NAME_BYTES is cut: the digest keeps the name apart)."""
    folder, _, name = path.rpartition("/")
    stem, dot, old = name.rpartition(".")
    if not dot or not stem:
        stem, old = name, ""
    ext = ext or old
    room = MAX_NAME_BYTES - len(f".{digest}.{ext}".encode("utf-8", "surrogatepass"))
    if len(stem.encode("utf-8", "surrogatepass")) > room:
        stem = stem.encode("utf-8", "surrogatepass")[:max(room, 1)].decode("utf-8", "ignore") or "file"
    name = f"{stem}.{digest}" + (f".{ext}" if ext else "")
    return f"{folder}/{name}" if folder else name


def content_digest(real: Path, recipe: bytes = b"") -> str:
    """Eight hex digits of the file's SHA-256 (after `recipe`, for files we re-encode)."""
    digest = hashlib.sha256(recipe)
    with media.open_file(real) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:8]


def url_quote(path: str) -> str:
    return quote(path, safe="/")


# The starts by which a browser takes bytes for HTML or XML (WHATWG MIME Sniffing, 7.1): a
# text file that a server or an old browser might show as a page is never published.
_MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*(?:<(?:!doctype html|html|head|script|iframe|h1|div|font|"
                     rb"table|a|style|title|b|body|br|p|svg|math|object|embed|meta|link|base|form|img)"
                     rb"[ >/\t\n\x0c\r]|<!--|<\?xml)", re.IGNORECASE)


def looks_like_markup(head: bytes) -> bool:
    """Whether a browser could take these bytes for HTML or XML (never published as a file)."""
    return bool(_MARKUP.match(head))


def is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return True


ACTIVE_EXT = {"html", "htm", "xhtml", "shtml", "svg", "svgz", "js", "mjs", "css", "xml", "xsl", "xslt"}


def document_problem(path: str, head: bytes) -> str:
    """Why a file that is no medium may not be published as a text or document file ('' if it may)."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if ext in ACTIVE_EXT:
        return f"{path!r} is not published: {ext.upper()} files can run scripts in the site"
    if not head:
        return f"{path!r} is empty"
    if ext == "pdf":
        return "" if head.startswith(b"%PDF-") else f"{path!r} is not a PDF (its bytes say otherwise)"
    if looks_like_markup(head):
        return f"{path!r} is not published: its bytes are HTML, SVG or XML"
    if b"\x00" not in head and is_utf8(head):
        return ""  # published as .txt unless its extension is a known document type
    return f"{path!r} is not an image, audio, video or text file (its bytes say otherwise)"
