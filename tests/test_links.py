"""Every link in the sample site resolves: built plain and under a project-site base URL.

A relative URL must name an existing file inside the output (an explicit `index.html`: a link
to a folder opens a directory listing on file://), a URL under the base URL (canonical, social
tags, sitemap) must map to a file, a root-absolute URL is allowed only in 404.html (served at any
depth), and a `#fragment` must name an id in its target page. No browser: html.parser only.
"""
from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from sitegen.build import build
from sitegen.config import Config

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "https://octo.github.io/models"

URL_ATTRS = {"href", "src", "poster", "data", "action", "formaction", "cite", "background", "longdesc"}
SRCSET_ATTRS = {"srcset", "imagesrcset"}
SOCIAL_URL_META = {"og:url", "og:image", "og:image:url", "og:image:secure_url", "og:audio", "og:video",
                   "twitter:image", "twitter:url"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
INLINE_SCHEMES = {"data"}  # carries its own content; nothing to resolve


@dataclass
class ParsedPage:
    urls: list[tuple[str, str]] = field(default_factory=list)  # (attribute, url as written)
    anchors: set[str] = field(default_factory=set)  # ids, and names of <a>
    # Controls a `#key=value` state fragment can set: element id -> accepted values (None: any).
    controls: dict[str, set[str] | None] = field(default_factory=dict)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._options: set[str] | None = None  # of the <select> being read
        self._option_text: list[str] | None = None  # of an <option> without a value

    def handle_data(self, data: str) -> None:
        if self._option_text is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("option", "select"):
            self._end_option()
        if tag == "select":
            self._options = None

    def _end_option(self) -> None:
        if self._option_text is not None and self._options is not None:
            self._options.add("".join(self._option_text).strip())
        self._option_text = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.page.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.anchors.add(values["name"])
        self._control(tag, values)
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS or name == "xlink:href":
                self.page.urls.append((name, value.strip()))
            elif name in SRCSET_ATTRS:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.page.urls.append((name, candidate.split()[0]))
        if tag == "meta" and "content" in values:
            kind = values.get("property") or values.get("name") or ""
            if kind.lower() in SOCIAL_URL_META:
                self.page.urls.append((f"meta[{kind}]", values["content"].strip()))

    handle_startendtag = handle_starttag

    def _control(self, tag: str, values: dict[str, str]) -> None:
        ident = values.get("id", "")
        if tag == "select":
            self._options = set()
            for key in (ident.removeprefix("filter-") if ident.startswith("filter-") else "", values.get("data-facet")):
                if key:
                    self.page.controls[key] = self._options
        elif tag == "option" and self._options is not None:
            self._end_option()  # </option> is optional
            if "value" in values:
                self._options.add(values["value"])
            else:
                self._option_text = []
        elif tag in ("input", "textarea") and ident.startswith("filter-"):
            self.page.controls[ident.removeprefix("filter-")] = None


def parse_html(text: str) -> ParsedPage:
    """Collect the URLs and fragment targets of one HTML page."""
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.page


class LinkChecker:
    """Check the links of every page of a built site; failures read `page: attr=url: reason`."""

    def __init__(self, site: Path, base_url: str = "") -> None:
        self.site = site
        self.base_url = base_url.rstrip("/")
        self._parsed: dict[str, ParsedPage] = {}

    def parsed(self, rel: str) -> ParsedPage:
        if rel not in self._parsed:
            self._parsed[rel] = parse_html((self.site / rel).read_text(encoding="utf-8"))
        return self._parsed[rel]

    def noindex(self, page: str) -> bool:
        """Whether a page asks search engines not to index it (a file's viewer page): no sitemap lists it."""
        return '<meta name="robots" content="noindex">' in (self.site / page).read_text(encoding="utf-8")

    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html"))

    def check_site(self) -> list[str]:
        failures: list[str] = []
        for rel in self.pages():
            for attr, url in self.parsed(rel).urls:
                reason = self.check_url(rel, url)
                if reason:
                    failures.append(f"{rel}: {attr}={url}: {reason}")
        failures += self.check_sitemap()
        return failures

    def check_url(self, page: str, url: str) -> str | None:
        """Return why `url` on `page` (a path in the site) is broken, or None."""
        if url == "":
            return None  # the page itself
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in INLINE_SCHEMES:
            return None
        if scheme in ("http", "https") and self.base_url and (url == self.base_url or url.startswith(self.base_url + "/")):
            return self._check_target(url[len(self.base_url):].lstrip("/"), parts.fragment, folder_ok=True)
        if scheme in EXTERNAL_SCHEMES:
            return None
        if scheme:
            return f"unexpected URL scheme {scheme!r}"
        if parts.netloc:
            return "protocol-relative URL (breaks on file://)"
        path = unquote(parts.path)
        if path.startswith("/"):
            if page != "404.html":
                return "root-absolute URL (breaks under a /<repo>/ project site and on file://)"
            return self._check_target(path.lstrip("/"), parts.fragment, folder_ok=True)
        if page == "404.html" and path:
            return "relative URL in 404.html (it is served at any depth); use the base URL"
        if not path:
            return self._check_target(page, parts.fragment, folder_ok=False)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target == ".." or target.startswith("../"):
            return "points outside the site"
        return self._check_target(target, parts.fragment, folder_ok=False)

    def _check_target(self, target: str, fragment: str, folder_ok: bool) -> str | None:
        target = unquote(target)
        where = self.site / target if target not in ("", ".") else self.site
        if where.is_dir():
            if not folder_ok:
                return "links to a folder (a directory listing on file://); link to its index.html"
            where, target = where / "index.html", "index.html" if where == self.site else f"{target.rstrip('/')}/index.html"
        if not where.is_file():
            return f"no such file: {target}"
        if not fragment or not target.endswith(".html"):
            return None  # media fragments (#t=...) and the bare "#" are fine
        parsed = self.parsed(target)
        if unquote(fragment) in parsed.anchors:
            return None
        if "=" not in fragment:
            return f"no id {unquote(fragment)!r} in {target}"
        # A view state such as #task=fill-mask&q=bert, read by the page's script into its
        # filter controls (id filter-<key> or data-facet=<key>); a value the control lacks is dropped.
        for key, value in parse_qsl(fragment, keep_blank_values=True):
            if key not in parsed.controls:
                return f"no filter control for {key!r} in {target}"
            accepted = parsed.controls[key]
            if accepted is not None and value not in accepted:
                return f"the {key!r} filter of {target} has no option {value!r}"
        return None

    def check_sitemap(self) -> list[str]:
        """Check sitemap.xml and the Sitemap line of robots.txt, when the build wrote them."""
        failures: list[str] = []
        sitemap = self.site / "sitemap.xml"
        if sitemap.is_file():
            root = ET.parse(sitemap).getroot()
            locs = [(el.text or "").strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc"]
            if not locs:
                failures.append("sitemap.xml: no <loc> entries")
            for loc in locs:
                if not (self.base_url and loc.startswith(self.base_url + "/")):
                    failures.append(f"sitemap.xml: loc={loc}: not an absolute URL under {self.base_url or 'the base URL'}")
                elif reason := self.check_url("sitemap.xml", loc):
                    failures.append(f"sitemap.xml: loc={loc}: {reason}")
                elif loc.endswith("/404.html"):
                    failures.append(f"sitemap.xml: loc={loc}: the not-found page is no content")
            listed = {loc[len(self.base_url) + 1:] for loc in locs if self.base_url and loc.startswith(self.base_url + "/")}
            failures += [f"sitemap.xml: {page} is not listed" for page in self.pages()
                         if page != "404.html" and page not in listed and not self.noindex(page)]
        robots = self.site / "robots.txt"
        if robots.is_file():
            for line in robots.read_text(encoding="utf-8").splitlines():
                key, _, value = line.partition(":")
                if key.strip().lower() == "sitemap":
                    loc = value.strip()
                    if not (self.base_url and loc.startswith(self.base_url + "/")):
                        failures.append(f"robots.txt: Sitemap={loc}: not an absolute URL under the base URL")
                    elif reason := self.check_url("robots.txt", loc):
                        failures.append(f"robots.txt: Sitemap={loc}: {reason}")
        return failures


def _report(failures: list[str]) -> str:
    return f"{len(failures)} broken link(s):\n" + "\n".join(failures)


@pytest.fixture(scope="module", params=["", BASE_URL], ids=["no-base-url", "project-site"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> LinkChecker:
    out = tmp_path_factory.mktemp("links") / "site"
    result = build(Config(source=ROOT / "sample_repos", output=out, base_url=request.param))
    assert result.report.errors == 0
    return LinkChecker(out, request.param)


def test_every_link_resolves(built: LinkChecker) -> None:
    failures = built.check_site()
    assert not failures, _report(failures)


def test_the_checker_saw_the_whole_site(built: LinkChecker) -> None:
    pages = built.pages()
    models = [p for p in pages if p.startswith("models/") and p.endswith("/index.html")]
    assert "index.html" in pages and "404.html" in pages and len(models) >= 30
    urls = [u for p in pages for _, u in built.parsed(p).urls]
    assert sum("#" in u for u in urls) > len(models)  # skip links, pickers, lightboxes
    assert any(a == "srcset" for p in pages for a, _ in built.parsed(p).urls)
    if built.base_url:  # canonical links are absolute and were checked against the output
        assert all(any(u.startswith(BASE_URL + "/") for _, u in built.parsed(p).urls) for p in models)
        back = [u for _, u in built.parsed("404.html").urls]
        assert back and all(u.startswith(BASE_URL + "/") for u in back), "404.html links home through the base URL"


# The checker itself: a hand-made site with one broken link of each kind.

BROKEN_PAGE = """<!doctype html><html><head>
<link rel="canonical" href="https://octo.github.io/models/gone/index.html">
<meta property="og:image" content="https://octo.github.io/models/static/missing.png">
<link rel="stylesheet" href="static/style.css"></head><body id="top">
<a href="#top">ok: same page</a> <a href="#nowhere">bad fragment</a>
<a href="models/a/index.html#x">ok: other page</a> <a href="models/a/index.html#y">bad fragment elsewhere</a>
<a href="models/a/index.html#task=fill-mask&amp;q=bert">ok: view state</a> <a href="models/a/index.html#task=nope">bad state value</a>
<a href="models/a/index.html#lang=en">bad state key</a> <a href="models/a/">folder</a> <a href="/static/style.css">root-absolute</a>
<a href="models/b/index.html">missing page</a> <a href="../outside.html">outside</a>
<a href="https://example.com/x">ok: external</a> <a href="mailto:a@b.c">ok: mail</a>
<a href="javascript:alert(1)">script</a> <a href="//cdn.example.com/x.js">protocol-relative</a>
<picture><source srcset="img/a%20b.png 1x, img/missing.png 2x"><img src="img/a b.png" alt=""></picture>
<video poster="img/no-poster.png" src="img/a%20b.png"></video>
<img src="data:image/png;base64,AAAA" alt="">
</body></html>"""


def _tiny_site(tmp_path: Path, sitemap: str | None = None) -> Path:
    site = tmp_path / "site"
    (site / "models/a").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "img").mkdir()
    (site / "index.html").write_text(BROKEN_PAGE, encoding="utf-8")
    (site / "models/a/index.html").write_text(
        '<p id="x"><a name="n" href="../../index.html#top">up</a></p><input id="filter-q">'
        '<select id="filter-task" data-facet="task"><option value="">All<option>fill-mask</select>',
        encoding="utf-8")
    (site / "static/style.css").write_text("", encoding="utf-8")
    (site / "img/a b.png").write_bytes(b"")
    (site / "404.html").write_text('<a href="https://octo.github.io/models/index.html">ok</a> <a href="index.html">relative</a>',
                                   encoding="utf-8")
    if sitemap is not None:
        (site / "sitemap.xml").write_text(sitemap, encoding="utf-8")
        (site / "robots.txt").write_text(f"User-agent: *\nSitemap: {BASE_URL}/sitemap.xml\n", encoding="utf-8")
    return site


def test_the_checker_finds_each_kind_of_broken_link(tmp_path: Path) -> None:
    failures = LinkChecker(_tiny_site(tmp_path), BASE_URL).check_site()
    expected = {
        "index.html: href=https://octo.github.io/models/gone/index.html: no such file: gone/index.html",
        "index.html: meta[og:image]=https://octo.github.io/models/static/missing.png: no such file: static/missing.png",
        "index.html: href=#nowhere: no id 'nowhere' in index.html",
        "index.html: href=models/a/index.html#y: no id 'y' in models/a/index.html",
        "index.html: href=models/a/index.html#task=nope: the 'task' filter of models/a/index.html has no option 'nope'",
        "index.html: href=models/a/index.html#lang=en: no filter control for 'lang' in models/a/index.html",
        "index.html: href=models/a/: links to a folder (a directory listing on file://); link to its index.html",
        "index.html: href=/static/style.css: root-absolute URL (breaks under a /<repo>/ project site and on file://)",
        "index.html: href=models/b/index.html: no such file: models/b/index.html",
        "index.html: href=../outside.html: points outside the site",
        "index.html: href=javascript:alert(1): unexpected URL scheme 'javascript'",
        "index.html: href=//cdn.example.com/x.js: protocol-relative URL (breaks on file://)",
        "index.html: srcset=img/missing.png: no such file: img/missing.png",
        "index.html: poster=img/no-poster.png: no such file: img/no-poster.png",
        "404.html: href=index.html: relative URL in 404.html (it is served at any depth); use the base URL",
    }
    assert set(failures) == expected, _report(failures)


def test_the_checker_reads_the_sitemap(tmp_path: Path) -> None:
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    sitemap = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{ns}">'
               f"<url><loc>{BASE_URL}/index.html</loc></url><url><loc>{BASE_URL}/models/a/index.html</loc></url>"
               f"<url><loc>{BASE_URL}/models/zz/index.html</loc></url><url><loc>https://elsewhere.org/x.html</loc></url>"
               "</urlset>")
    site = _tiny_site(tmp_path, sitemap)
    (site / "unlisted.html").write_text("<p>", encoding="utf-8")
    (site / "noindex.html").write_text('<meta name="robots" content="noindex"><p>', encoding="utf-8")  # need not be
    (site / "robots.txt").write_text("Sitemap: https://octo.github.io/sitemap.xml\n", encoding="utf-8")
    assert LinkChecker(site, BASE_URL).check_sitemap() == [
        f"sitemap.xml: loc={BASE_URL}/models/zz/index.html: no such file: models/zz/index.html",
        f"sitemap.xml: loc=https://elsewhere.org/x.html: not an absolute URL under {BASE_URL}",
        "sitemap.xml: unlisted.html is not listed",
        "robots.txt: Sitemap=https://octo.github.io/sitemap.xml: not an absolute URL under the base URL",
    ]
