"""Output is bounded by input: each limit of README "Untrusted input" (the table of what one
card can make) has a test here that builds a repo past it and looks at what was written and
said. Each of these failed before the limit existed (issue 20, item 3)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import card, make_repo, png_bytes
from sitegen import render
from sitegen.build import Result, build
from sitegen.load.card import MAX_README_BYTES
from sitegen.cli import main
from sitegen.config import Config
from sitegen.hub.lint import LANGUAGES
from sitegen.markdown.body import MAX_PROBLEMS
from sitegen.hub.metadata import MAX_BASE_MODELS, MAX_DATASETS, MAX_LANGUAGES, MAX_NAME, MAX_PAPERS, MAX_TAGS
from sitegen.report import MAX_PER_FILE, MAX_PER_MODEL
from sitegen.resolve import MAX_GALLERY_SLOTS
from sitegen.widgets.inputs import MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS


def _build(tmp_path: Path, readmes: dict[str, str], files: dict[str, bytes | str] | None = None) -> tuple[Result, Path]:
    src, out = tmp_path / "src", tmp_path / "site"
    for name, readme in readmes.items():
        make_repo(src, name, readme, files)
    return build(Config(source=src, output=out, jobs=1)), out


def _said(result: Result, level: str = "warning") -> list[str]:
    return [d.format().split("/src/", 1)[1] for d in result.report.sorted() if d.level == level]


def _page(out: Path, name: str = "m") -> str:
    return (out / "models" / name / "index.html").read_text(encoding="utf-8")


def test_gallery_is_placed_once_with_at_most_100_slots(tmp_path: Path) -> None:
    # 120 examples of one image, placed three times: before, 360 gallery items.
    items = "".join(f"- text: prompt {i}\n  output: {{url: a.png}}\n" for i in range(120))
    body = "# G\n\n<Gallery />\n\ntext\n\n<Gallery />\n\n<Gallery />\n"
    result, out = _build(tmp_path, {"m": card(f"pipeline_tag: text-to-image\nwidget:\n{items}", body)},
                         {"a.png": png_bytes()})
    html = _page(out)
    assert html.count('<li class="gallery-item" id="gallery-') == MAX_GALLERY_SLOTS == 100
    assert html.count('<ul class="gallery gallery-card"') == 1
    second = 3 + 240 + 1 + 7  # ---, pipeline_tag, widget:; two lines an example; ---; its body line
    assert _said(result) == [
        "m/README.md:3: warning: widget: <Gallery /> shows the first 100 of the 120 examples with an image "
        "or video output; the widget shows them all",
        f"m/README.md:{second}: warning: <Gallery /> is placed 3 times and a page shows it once: "
        "the 2 placements from this line on are left out"]


@pytest.mark.parametrize("form, cells, more", [
    # 150 one-cell columns and one of 300: padded, 151 x 300 = 45,300 cells; 100 x 100 shown
    ("columns", 10_000, "51 more columns and 200 more rows"),
    # the legacy list of rows: 151 columns x 300 rows as written
    ("rows", 10_000, "51 more columns and 200 more rows"),
    # two columns of 1,500 cells: 1,000 rows shown
    ("long", 2_000, "500 more rows")])
def test_a_table_is_cut_after_padding(tmp_path: Path, form: str, cells: int, more: str) -> None:
    long = "[" + ",".join(["1"] * 300) + "]"
    table = {"columns": "".join(f"    c{i}: [x]\n" for i in range(150)) + f"    z: {long}\n",
             "rows": "".join(f"    - [{','.join(['1'] * 151)}]\n" for _ in range(301)),
             "long": "".join(f"    {c}: [{','.join(['1'] * 1500)}]\n" for c in "ab")}[form]
    meta = f"pipeline_tag: table-question-answering\nwidget:\n- text: how many?\n  table:\n{table}"
    result, out = _build(tmp_path, {"m": card(meta)})
    html = _page(out)
    assert html.count("<td") == cells <= MAX_TABLE_CELLS
    assert html.count('<th scope="col">') == min(MAX_TABLE_COLUMNS, 151 if form != "long" else 2)
    assert html.count("<tr>") - 1 <= MAX_TABLE_ROWS
    assert f"{more} not shown." in html
    assert _said(result) == [
        "m/README.md:5: warning: widget[0].table: a table shows at most 100 columns, 1,000 rows and 10,000 "
        f"cells (after padding its columns to the longest): {more} are left out"]


def test_tags_per_model_bound_its_listing_pages(tmp_path: Path) -> None:
    tags = "".join(f"- t{i:04d}x\n" for i in range(150))
    result, out = _build(tmp_path, {"m": card(f"license: mit\ntags:\n{tags}")})
    listed = sorted(p.name for p in (out / "tags").iterdir() if p.is_dir())
    assert len(listed) == MAX_TAGS == 100
    assert listed[-1] == "t0099x"
    index = (out / "search-index.js").read_text()
    assert "t0099x" in index and "t0100x" not in index
    assert "t0100x" not in _page(out)
    assert _said(result) == ["m/README.md:104: warning: tags[100]: a model keeps at most 100 tags: "
                             "the first 100 are kept, 50 more are left out"]


@pytest.mark.parametrize("key, limit, noun", [("language", MAX_LANGUAGES, "language"),
                                              ("datasets", MAX_DATASETS, "dataset"),
                                              ("base_model", MAX_BASE_MODELS, "base model")])
def test_lists_kept_per_model(tmp_path: Path, key: str, limit: int, noun: str) -> None:
    # Valid values (languages: real ISO 639 codes), so the only warning is the limit's.
    values = sorted(LANGUAGES)[:limit + 3] if key == "language" else [f"org/v{i:05d}x" for i in range(limit + 3)]
    result, out = _build(tmp_path, {"m": card(f"license: mit\n{key}:\n" + "".join(f"- {v}\n" for v in values))})
    html = _page(out)
    if key == "language":
        assert html.count('class="chip chip-lang"') == 3  # the head names a few, the details list all
        assert f">+{limit - 3:,} languages</a>" in html and f'<summary><span class="if-closed">+{limit - 6:,} more</span>' in html
        assert f"({values[limit - 1]})" in html and f"({values[limit]})" not in html
        index = json.loads((out / "search-index.js").read_text().split(" = ", 1)[1].rstrip(";\n"))
        assert len(index["models"][0][index["fields"].index("languages")]) == limit
    else:
        assert values[limit - 1] in html and values[limit] not in html
    assert _said(result) == [f"m/README.md:{limit + 4}: warning: {key}[{limit}]: a model keeps at most {limit:,} "
                             f"{noun}s: the first {limit:,} are kept, 3 more are left out"]


def test_long_names_are_left_out_of_the_lists(tmp_path: Path) -> None:
    long = "L" * (MAX_NAME + 1)
    meta = f"license: {long}a\nlibrary_name: {long}b\ntags: [ok, {long}c]\nlanguage: [en, {long}d]"
    result, out = _build(tmp_path, {"m": card(meta)})
    site = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".js"))
    assert long not in site
    assert (out / "tags" / "ok" / "index.html").is_file()
    said = _said(result)
    assert "m/README.md:2: warning: license: a value of 202 characters is left out; at most 200 are read" in said
    assert "m/README.md:3: warning: library_name: a library name of 202 characters is left out; at most 200 " \
           "are read" in said
    assert "m/README.md:4: warning: tags[1]: 1 tag of more than 200 characters left out; a value is at most " \
           "200 characters" in said
    assert "m/README.md:5: warning: language[1]: 1 language of more than 200 characters left out; a value " \
           "is at most 200 characters" in said


def test_papers_listed_per_model(tmp_path: Path) -> None:
    body = "# P\n\n" + "".join(f"See https://arxiv.org/abs/2101.{i:05d}\n\n" for i in range(MAX_PAPERS + 5))
    result, out = _build(tmp_path, {"m": card("license: mit", body)})
    html = _page(out)
    assert html.count(">arxiv:") == MAX_PAPERS == 100
    assert _said(result) == ["m/README.md:206: warning: the body links to 105 arXiv papers; the first 100 "
                             "are listed, 5 more are not"]


def test_diagnostics_kept_per_file(tmp_path: Path) -> None:
    # 110 bad languages (warnings, lines 3-112), then 60 examples without text (errors).
    langs = "".join(f"- zz{i}\n" for i in range(110))
    examples = "".join("- example_title: no text\n" for _ in range(60))
    result, out = _build(tmp_path, {"m": card(f"language:\n{langs}pipeline_tag: text-classification\n"
                                              f"widget:\n{examples}")})
    mine = [d for d in result.report.items if d.path.endswith("m/README.md")]
    assert len(mine) == MAX_PER_FILE + 1 == 101
    assert [d.line for d in mine[:MAX_PER_FILE]] == list(range(3, 103))
    last = mine[-1]
    assert (last.level, last.line) == ("error", 103)  # as severe as the worst it stands for
    assert last.message == "… and 70 more problems in this file (60 errors, 10 warnings)"
    assert result.report.errors == 1
    assert main(["check", "-q", str(tmp_path / "src")]) == 1  # the errors still fail `check`


def test_diagnostics_kept_per_model(tmp_path: Path) -> None:
    # 12 result files of 101 bad entries each: 10 files fill the model's budget, 2 are summed up.
    bad = "- 1\n" * 101
    files: dict[str, bytes | str] = {f".eval_results/r{i:02d}.yaml": bad for i in range(12)}
    result, out = _build(tmp_path, {"m": card("license: mit")}, files)
    mine = [d for d in result.report.items if "/m/" in d.path]
    assert len(mine) == 10 * (MAX_PER_FILE + 1) + 1 <= MAX_PER_MODEL + MAX_PER_FILE + 1
    assert mine[-1].format().endswith("m/.eval_results/r10.yaml:1: warning: … and 202 more problems in 2 more "
                                      "files (202 warnings)")


def test_a_page_past_the_backstop_is_that_models_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MAX_PAGE_BYTES", 40_000)
    big = card("license: mit", "# Big\n\n" + "A line of the card that makes the page long.\n\n" * 1000)
    result, out = _build(tmp_path, {"big": big, "small": card("license: mit")})
    assert not (out / "models" / "big").exists()
    assert (out / "models" / "small" / "index.html").is_file()
    assert [m.id for m in result.site.models] == ["small"]
    assert _said(result, "error") == ["big/README.md:1: error: skipped: its page grows past 0 MB; the card makes "
                                      "too much (see the limits in the README's Untrusted input section)"]


def test_the_hostile_examples_of_the_issue_stay_small(tmp_path: Path) -> None:
    """Issue 20's own numbers, scaled down: 99 galleries over 1,000 examples (was 133 MB), a
    table padded column by column (was 81 MB), 20,000 tags (was 22,000 listing files)."""
    items = "".join(f"- text: p{i}\n  output: {{url: a.png}}\n" for i in range(1000))
    gallery = card(f"pipeline_tag: text-to-image\nwidget:\n{items}", "# G\n\n" + "<Gallery />\n\n" * 99)
    table = "".join(f"    c{i}: [x]\n" for i in range(600)) + "    z: [" + ",".join(["1"] * 2000) + "]\n"
    padded = card(f"pipeline_tag: table-question-answering\nwidget:\n- text: q\n  table:\n{table}")
    tags = card("tags:\n" + "".join(f"- t{i}\n" for i in range(20_000)))
    result, out = _build(tmp_path, {"gallery": gallery, "table": padded, "tags": tags}, {"a.png": png_bytes()})
    sizes = {name: (out / "models" / name / "index.html").stat().st_size for name in ("gallery", "table", "tags")}
    assert sizes["gallery"] < 2_000_000 and sizes["table"] < 200_000, sizes
    assert sum(1 for _ in out.rglob("*") if _.is_file()) < 200
    assert result.report.errors == 0



def test_readme_past_its_size(tmp_path: Path) -> None:
    src = tmp_path / "src"
    root = make_repo(src, "big", None)
    with open(root / "README.md", "wb") as f:  # sparse: 5 MB and a byte on paper
        f.write(card("license: mit").encode())
        f.truncate(MAX_README_BYTES + 1)
    make_repo(src, "small", card("license: mit"))
    result = build(Config(source=src, output=tmp_path / "site", jobs=1))
    assert [m.id for m in result.site.models] == ["small"]
    assert _said(result, "error") == ["big/README.md: error: file is 5,242,881 bytes, more than the 5,242,880 allowed"]


def test_link_problems_past_100_are_counted(tmp_path: Path) -> None:
    body = "# L\n\n" + "".join(f"[x](missing-{i}.txt)\n\n" for i in range(MAX_PROBLEMS + 5))
    result, out = _build(tmp_path, {"m": card("license: mit", body)})
    said = _said(result)
    assert len(said) == MAX_PROBLEMS + 1
    assert said[0] == "m/README.md:4: warning: 5 more links or images could not be used; the first 100 are listed"
    assert said[-1] == "m/README.md:204: warning: link 'missing-99.txt': file 'missing-99.txt' is not in the repo"


def test_aliases_expand_no_further_than_a_written_out_front_matter(tmp_path: Path) -> None:
    # 20 KB of text shown by 110 examples through one anchor: before, a 2.2 MB page from 3 KB
    # (a 31 KB card made a 20 MB one).
    text = "word " * 4000
    items = f"- text: &a '{text}'\n" + "- text: *a\n" * 109
    result, out = _build(tmp_path, {"m": card(f"pipeline_tag: text-classification\nwidget:\n{items}")})
    assert not (out / "models" / "m").exists()
    assert _said(result, "error") == ["m/README.md:4: error: YAML expands to more than 2,097,152 characters "
                                      "(alias bomb?)"]
