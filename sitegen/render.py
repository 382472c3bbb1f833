"""Render the Site through the theme into {site path: bytes}. No I/O but reading the theme."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .resolve import Site
from .theme import environment, static_files
from .widgets import Widget


def widget_template(env: jinja2.Environment, widget: Widget) -> str:
    """`widgets/<tag>.html` when the theme has one, else the generic widget."""
    name = f"widgets/{widget.task.tag}.html"
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return "widgets/generic.html"
    return name


def render_site(site: Site, theme: Path | None) -> dict[str, bytes]:
    """Render every page of the site and collect the theme's static files."""
    env = environment(theme)
    out: dict[str, bytes] = {}

    def page(path: str, template: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(site=site, root=root, path=path, **context)
        out[path] = html.encode("utf-8")

    page("index.html", "index.html")
    page("404.html", "404.html")
    for model in site.models:
        page(model.path, "model.html", model=model,
             widget_template=widget_template(env, model.widget) if model.widget else "")
        out.update(model.widget.files if model.widget else ())
    for path, source in static_files(theme).items():
        out[path] = source.read_bytes()
    return out


