"""Render the Site through the theme into {site path: bytes}. No I/O but reading the theme."""
from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit
from html import escape

from .aggregate import Entry, Site
from .searchindex import rows_pages, search_index, shards
from .theme import PageTooLarge, environment, render, static_bytes, template

if TYPE_CHECKING:
    import jinja2

    from .resolve import ModelPage
    from .widgets.examples import Widget

# A backstop behind the caps on what one card makes: a model page past this is that model's
# error, and rendering stops there (the largest page of the real cards is 1.3 MB).
MAX_PAGE_BYTES = 32 << 20


def widget_template(env: jinja2.Environment, widget: Widget) -> str:
    """`widgets/<tag>.html` when the theme has one, else the generic widget."""
    import jinja2

    name = f"widgets/{widget.task.tag}.html"
    try:
        template(env, name)
    except jinja2.TemplateNotFound:
        return "widgets/generic.html"
    return name


def render_site(site: Site, pages: list[ModelPage], theme: Path | None) -> dict[str, bytes]:
    """Render every page of a site held in memory, with the theme's static files."""
    env = environment(theme)
    out: dict[str, bytes] = {}
    for model in pages:
        out.update(model_files(env, site, model)[0])
    for path, _, make in aggregates(theme, site, entry_digest):
        out[path] = make()
    out.update(static_bytes(theme))
    return out


def _page(env: jinja2.Environment | Path | None, site: Site, path: str, template: str, *,
          max_bytes: int = 0, **context: Any) -> bytes:
    """Render a page; `env` may be given as the theme folder (None: the default theme).
    With max_bytes, stop with PageTooLarge as soon as the page grows past it."""
    if env is None or isinstance(env, Path):
        env = environment(env)
    root = "../" * path.count("/")
    data = render(env, template, max_bytes, site=site, root=root, path=path, **context).encode("utf-8")
    if max_bytes and len(data) > max_bytes:
        raise PageTooLarge(f"its page is {len(data) / 2**20:.1f} MB, more than {max_bytes >> 20} MB")
    return data


Span = tuple[int, int]  # where a page's tree section lies in its bytes: offset, length


class TreeOf(NamedTuple):
    """What tree.html is given as `model`: it is rendered on its own, so that a page whose tree
    alone changed has the new section put in place of the old one (relink.py)."""

    id: str
    name: str
    tree: Any  # tree.Tree | None


def tree_section(env: jinja2.Environment, site: Site, path: str, model_id: str, tree: Any) -> str:
    """A model page's tree section (tree.html), as its page at `path` places it. The worker
    that makes the page and the parent that brings its tree up to date both call this."""
    root = "../" * path.count("/")
    return render(env, "tree.html", 0, site=site, root=root, path=path,
                  model=TreeOf(model_id, model_id.rsplit("/", 1)[-1], tree))


def model_files(env: jinja2.Environment, site: Site, model: ModelPage) -> tuple[dict[str, bytes], Span | None]:
    """A model's page, its widget's files, its evaluations page (for more results than its page
    shows), its text files' viewer pages (with their raw copies) and its social image; and where
    the page's tree section lies in it. A page depends on nothing of the site but its settings
    (it is rendered without the site's model list), so it can be rendered on its own, in any
    process, and kept while its repo does not change."""
    from .hub.evals import summarise
    from .hub.languages import SHOWN, languages
    settings = dataclasses.replace(site, models=())
    evals = summarise(model.evals)  # a large set: a summary on the page, the whole on a page of its own
    page, span = _model_page(env, settings, model, languages=languages(model.meta.languages), languages_shown=SHOWN,
                             widget_template=widget_template(env, model.widget) if model.widget else "",
                             evals_summary=evals)
    out = {model.path: page}
    if evals is not None:
        path = f"{model.dir}/evaluations.html"
        out[path] = _page(env, settings, path, "evaluations.html", max_bytes=MAX_PAGE_BYTES, model=model,
                          evals_summary=evals)
    out.update(model.widget.files if model.widget else ())
    copied = {c.dest for c in model.copies}  # a raw copy the card links to is copied already
    for viewer in model.viewers:
        out[viewer.page] = _page(env, settings, viewer.page, "file.html", max_bytes=MAX_PAGE_BYTES, model=model,
                                 viewer=viewer)
        if viewer.raw not in copied:
            out[viewer.raw] = viewer.data
    if site.base_url:  # a social image is only of use where an absolute URL can name it
        from .social import social_card
        out[model.social] = social_card(model.name, model.owner, model.task.name if model.task else "",
                                        model.meta.license, site.title)
    return out, span


def _model_page(env: jinja2.Environment, site: Site, model: ModelPage, **context: Any) -> tuple[bytes, Span | None]:
    """A model's page (model.html), and where its tree section lies in it: model.html places
    `tree_html`, which is rendered as a slot no card can write (128 random bits, new for each
    page) and the section put in its place. A theme whose model.html does not place it once
    gives no span: such a page is made again whole when its tree changes."""
    from markupsafe import Markup
    slot = f"sitegen-tree-{secrets.token_hex(16)}"
    # The page's limit, met by the page with the section in place of the slot (checked below).
    parts = _page(env, site, model.path, "model.html", max_bytes=MAX_PAGE_BYTES + len(slot), model=model,
                  tree_html=Markup(slot), **context).split(slot.encode())
    text = tree_section(env, site, model.path, model.id, model.tree) if len(parts) > 1 else ""
    if len(parts) > 2:  # placed more than once: rendered whole
        parts = [_page(env, site, model.path, "model.html", max_bytes=MAX_PAGE_BYTES, model=model,
                       tree_html=Markup(text), **context)]
    section = text.encode("utf-8")
    data = section.join(parts)
    if len(data) > MAX_PAGE_BYTES:
        raise PageTooLarge(f"its page is {len(data) / 2**20:.1f} MB, more than {MAX_PAGE_BYTES >> 20} MB")
    return data, (len(parts[0]), len(section)) if len(parts) == 2 else None


def entry_digest(model: Entry) -> str:
    """A digest of what the lists show of a model."""
    return hashlib.sha256(repr(model).encode()).hexdigest()


Aggregate = tuple[str, str, Callable[[], bytes]]


def _head(site: Site, models: int) -> str:
    return repr((site.title, site.base_url, site.logo, site.links, models))


def site_digest(site: Site, digests: list[str]) -> str:
    """A digest of everything the lists show: while it holds, no aggregate page changes.
    `digests`: each model's entry digest in the site's order (the site's own models are not
    read, so a rebuild can ask before it reads any Entry)."""
    return hashlib.sha256("\n".join([_head(site, len(digests)), *digests]).encode()).hexdigest()


def aggregates(env: Path | None, site: Site, digest: Callable[[Any], str]) -> list[Aggregate]:
    """The pages made from the list of models (index, browse pages, listings, search index,
    sitemap), each as (path, digest of everything it shows, a function that renders it): a
    rebuild renders only those whose digest changed. `env` is the theme folder: templates are
    loaded only when a page is rendered."""
    head = _head(site, len(site.models))
    digests = [digest(m) for m in site.models]
    everything = site_digest(site, digests)
    rows = rows_pages(site)
    out: list[Aggregate] = [
        ("index.html", everything, lambda: _page(env, site, "index.html", "index.html",
                                                 rows=rows[0] if rows else None)),
        ("404.html", everything, lambda: with_style_hash(_page(env, site, "404.html", "404.html"))),
    ]
    listings = site.listings()
    for kind in ("task", "tag"):
        firsts = [item for item in listings if item.kind == kind and item.page == 1]
        out.append((f"{kind}s/index.html", everything,
                    functools.partial(_page, env, site, f"{kind}s/index.html", "browse.html", kind=kind,
                                      listings=firsts)))
    position = {m.id: i for i, m in enumerate(site.models)}
    for listing in listings:
        shown = "\n".join(digests[position[m.id]] for m in listing.models)
        key = repr((head, listing.title, listing.kind, listing.key, listing.page, listing.total, listing.key_path,
                    listing.key_url))
        out.append((listing.this_path, hashlib.sha256(f"{key}\n{shown}".encode()).hexdigest(),
                    functools.partial(_page, env, site, listing.this_path, listing.template, listing=listing)))
    for page in rows[1:]:  # the no-script list past its first page (which is in index.html)
        shown = "\n".join(digests[position[m.id]] for m in page.models)
        key = repr((head, page.page, page.starts))
        out.append((page.this_path, hashlib.sha256(f"{key}\n{shown}".encode()).hexdigest(),
                    functools.partial(_page, env, site, page.this_path, "rows.html", rows=page)))
    parts = shards(site, lambda m: digests[position[m.id]])
    out.append(("search-index.js", everything, lambda: search_index(site, parts)))
    out.extend((part.path, part.digest, part.render) for part in parts)
    if site.base_url:
        pages = [m.path for m in site.models] + [path for path, _, _ in out
                                                 if path.endswith(".html") and path != "404.html"]
        out.append(("sitemap.xml", everything, lambda: sitemap(site, pages)))
        if urlsplit(site.base_url).path in ("", "/"):  # crawlers read robots.txt at a host's root only
            robots = f"User-agent: *\nAllow: /\nSitemap: {site.base_url}/sitemap.xml\n".encode()
            out.append(("robots.txt", everything, lambda: robots))
    return out


def with_style_hash(html: bytes) -> bytes:
    """Give the 404 page (served at any depth, so it inlines its style) a strict CSP that
    allows exactly its own <style> block by hash."""
    found = re.search(rb"<style>(.*?)</style>", html, re.S)
    if not found or b"Content-Security-Policy" in html:
        return html
    digest = base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode()
    csp = (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'self'; script-src 'self'; "
           "base-uri 'none'; form-action 'none'")
    meta = f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{csp}">'
    return html.replace(b'<meta charset="utf-8">', meta.encode(), 1)


def sitemap(site: Site, pages: list[str]) -> bytes:
    """List every page for search engines, with the day each model last changed."""
    dated = {m.path: m.updated for m in site.models}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(pages):
        lastmod = f"<lastmod>{dated[path]}</lastmod>" if dated.get(path) else ""
        lines.append(f"<url><loc>{escape(site.base_url + '/' + path, quote=False)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()
