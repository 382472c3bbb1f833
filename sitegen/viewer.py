"""Viewer pages for a repo's text files: which files get one, their bytes, their lines highlighted."""
from __future__ import annotations

# A Hub user opens config.json, the LICENSE or a script and reads it in the browser. Each such
# file gets a page of its own (`blob/<path>.html` in the model's folder, as the Hub's blob view:
# the text escaped and highlighted, with line numbers) and a raw copy beside the other published
# files (`files/`, which never holds a page) whose extension makes every host serve it as text
# (`.json`, else `.txt`: GitHub Pages and file:// pick the type from the extension, and a `.py`,
# `.md` or extensionless file would be a download or worse). The bytes are read through the
# asset resolver, so a viewer refuses what a card's path is refused for, and bytes a browser
# could take for a page get no viewer, as they are never published.

import functools
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name

from .assets import AssetError, Resolver
from .load.lfs import looks_like
from .load.repo import RepoFile
from .markdown.highlight import highlight
from .published import MAX_NAME_BYTES, hashed_name, looks_like_markup, url_quote

MAX_VIEW_BYTES = 512 * 1024  # a larger file gets no viewer (tokenizer.json: a download)
MAX_VIEWERS = 200  # viewer pages of one model
MAX_VIEW_TOTAL = 8 << 20  # bytes of text one model's viewers show, all together
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"
UTF8_BOM = b"\xef\xbb\xbf"

# The Pygments lexer for each extension a viewer takes; names without an extension that are
# read as plain text (LICENSE and its kin). Markdown is shown as plain text: Pygments' lexer
# colours little of it and takes 8 ms a card (the real cards), more than the rest of a build.
LEXERS = {"json": "json", "md": "text", "txt": "text", "yaml": "yaml", "yml": "yaml", "py": "python"}
LABELS = {"md": "Markdown", "txt": "Plain text", "": "Plain text"}  # else the lexer's name
PLAIN_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")
# The card gets no viewer: the model page is its view, and a page of its source would show
# again what the card's own limits leave out of the page (long names, text past 256 KB).
CARD = "README.md"


@dataclass(frozen=True)
class Viewer:
    """A repo text file's viewer page: `page` and `raw` (its bytes as published) are site paths."""

    path: str  # in the repo
    size: int
    page: str
    raw: str
    language: str  # the lexer's name, as shown
    lines: tuple[str, ...]  # highlighted HTML, one item per line
    data: bytes  # the raw copy's bytes

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def prose(self) -> bool:
        """Text read as prose (a LICENSE, a README): its long lines wrap."""
        return self.language in ("Plain text", "Markdown")

    @property
    def href(self) -> str:
        """The page's URL relative to the model page."""
        return url_quote(f"blob/{self.path}.html")

    @property
    def raw_url(self) -> str:
        return url_quote(self.raw)


def lexer_name(path: str) -> str:
    """The lexer a viewer of this file uses; "" for a file that gets no viewer."""
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if dot and stem:
        return LEXERS.get(ext.lower(), "")
    return "text" if name.upper().startswith(PLAIN_NAMES) else ""


def viewers(files: Iterable[RepoFile], resolver: Resolver, directory: str) -> tuple[Viewer, ...]:
    """The viewers of a repo's text files (at most MAX_VIEWERS, MAX_VIEW_TOTAL bytes in all),
    each page in `directory`/blob/. The card, and a file that is too large, not UTF-8, binary
    (NUL bytes), markup, a Git LFS pointer, or refused by the resolver get none."""
    files = tuple(files)
    folders = {_folded("/".join(f.path.split("/")[:i])) for f in files for i in range(1, f.path.count("/") + 1)}
    out: list[Viewer] = []
    taken: set[str] = set()
    total = 0
    for f in files:
        lexer = lexer_name(f.path) if f.path != CARD else ""
        name = f.path.rsplit("/", 1)[-1] + ".html"
        folded = _folded(f.path + ".html")
        if not lexer or f.lfs is not None or f.size > MAX_VIEW_BYTES or total + f.size > MAX_VIEW_TOTAL or len(out) >= MAX_VIEWERS \
                or len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES or folded in taken | folders:
            continue  # folders: a page `a.json.html` cannot be written where a folder of that name is
        try:
            data = resolver.read_listed(f.path, MAX_VIEW_BYTES)
        except AssetError:
            continue
        viewer = make_viewer(f.path, data, directory, lexer)
        if viewer is not None:
            out.append(viewer)
            taken.add(folded)  # one page per name where case or Unicode form is not told apart
            total += len(data)
    return tuple(out)


def _folded(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


def make_viewer(path: str, data: bytes, directory: str, lexer: str) -> Viewer | None:
    """The viewer of one file's bytes, for the model whose site folder is `directory`; None
    when the bytes are no text to show."""
    if len(data) > MAX_VIEW_BYTES or data.startswith(LFS_POINTER) or looks_like(data) or b"\x00" in data \
            or looks_like_markup(data[:4096]):
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    cls = _lexer_class(lexer)
    # stripnl=False: Pygments would drop leading and trailing blank lines, and the numbers
    # would not be the file's. Every line of highlight()'s output ends with "\n".
    html = highlight(text, cls(stripnl=False, ensurenl=True)) if text else ""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    digest = hashlib.sha256(raw_bytes(data, ext)).hexdigest()[:8]
    raw = f"{directory}/files/{hashed_name(path if ext == 'json' else path + '.txt', digest)}"
    language = LABELS.get(ext, cls.name)
    return Viewer(path, len(data), f"{directory}/blob/{path}.html", raw, language,
                  tuple(html.split("\n")[:-1]), raw_bytes(data, ext))


def raw_bytes(data: bytes, ext: str) -> bytes:
    """The raw copy: the file's bytes, with a UTF-8 byte order mark before non-ASCII text that
    has none. A `.txt` served as `text/plain` with no charset (python's http.server, a default
    nginx) is read as windows-1252 by browsers, and a BOM outweighs any charset; JSON is always
    read as UTF-8 (and a BOM would trip JSON parsers)."""
    if ext == "json" or data.isascii() or data.startswith(UTF8_BOM):
        return data
    return UTF8_BOM + data


@functools.lru_cache(maxsize=16)
def _lexer_class(name: str) -> type[Lexer]:
    return find_lexer_class_by_name(name)
