"""No card can end the build (issue 20): any failure while building one model becomes that
model's located error, and the rest of the site builds; `check` meets the same failures.

The property test builds catalogs of fuzzed cards (every metadata key the code reads, given odd
values of every YAML type) through the command line, `build` and `check`, and asserts that no
exception escapes, that every model has a page or an error located at its README.md, and that
sitegen never fails on a card ("please report it": a bug, each found one fixed at its root).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, card, make_repo

import sitegen.render
import sitegen.resolve


def _bug_on(name: str, exc: BaseException) -> Any:
    """A stand-in for eval_rows that fails on the repo `name` (a bug met on one card)."""
    real = sitegen.resolve.eval_rows

    def eval_rows(repo: Any, report: Any) -> Any:
        if repo.id == name:
            raise exc
        return real(repo, report)
    return eval_rows


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("write", [True, False])
def test_a_bug_met_on_one_card_skips_only_that_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    jobs: int, write: bool) -> None:
    for name in ("good", "bad", "bad-render"):
        make_repo(tmp_path / "src", name, card("license: mit"))
    monkeypatch.setattr(sitegen.resolve, "eval_rows", _bug_on("bad", ValueError("boom\nsecond line")))
    real_page = sitegen.render._page

    def page(env: Any, site: Any, path: str, template: str, **context: Any) -> bytes:
        if path.startswith("models/bad-render/"):
            raise TypeError("cannot render")
        return real_page(env, site, path, template, **context)
    monkeypatch.setattr(sitegen.render, "_page", page)
    out = tmp_path / "out" if write else None
    result = build_site(tmp_path / "src", out, jobs=jobs)
    errors = {d.path: d.message for d in result.report.items if d.level == "error"}
    src = tmp_path / "src"
    assert errors == {
        f"{src}/bad/README.md": "skipped: sitegen failed on this card (ValueError: boom second line); please report it",
        f"{src}/bad-render/README.md": "skipped: sitegen failed on this card (TypeError: cannot render); "
                                       "please report it"}
    assert {o.id for o in result.outcomes if o.entry} == {"good"}
    if out:
        assert (out / "models/good/index.html").is_file() and not (out / "models/bad-render").exists()


def test_an_interrupt_still_ends_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_repo(tmp_path / "src", "bad", card("license: mit"))
    monkeypatch.setattr(sitegen.resolve, "eval_rows", _bug_on("bad", KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build_site(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["index.html", "INDEX.HTML", "page-2.html", "404.html", "search-index.js",
                                  "sitemap.xml", "robots.txt", "CNAME", "social.png"])
def test_a_name_sitegen_gives_its_own_files_never_names_a_folder(name: str) -> None:
    from sitegen.discover import site_dir
    from sitegen.site import tag_path
    assert tag_path(name).split("/")[1].casefold() != name.casefold()
    assert site_dir(f"org/{name}").split("/")[2].casefold() != name.casefold()
    assert tag_path("vision") == "tags/vision/index.html" and site_dir("org/index.htm") == "models/org/index.htm"


def test_a_huge_integer_is_not_a_number() -> None:
    from sitegen.shapes import ShapeError, number
    with pytest.raises(ShapeError, match="expected a number, got a 401-digit integer"):
        number(10 ** 400, "score")
    assert number(10 ** 300, "score") == 1e300
