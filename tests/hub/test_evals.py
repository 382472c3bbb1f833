"""Evaluation results (evals.py, evals.html): the card's model-index and `.eval_results/*.yaml`,
checked through the resolved ModelPage and the built page."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from conftest import Built, build_site, card, formatted, make_repo
from sitegen.hub.evals import EvalRow
from sitegen.resolve import ModelPage


def build(tmp_path: Path, meta: str, files: dict[str, str | bytes] | None = None) -> Built:
    make_repo(tmp_path / "src", "m", card(meta), files)
    return build_site(tmp_path / "src", tmp_path / "out")


def page_of(result: Built) -> ModelPage:
    (page,) = result.model_pages
    return page


def html_of(tmp_path: Path) -> str:
    return (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")


def evals_panel(html: str) -> str:
    at = html.index('<section class="panel evals-panel" aria-labelledby="evals-title">')
    return html[at:html.index("</section>", at)]


def tables(html: str) -> list[str]:
    return re.findall(r'<table class="evals" data-sortable>.*?</table>', evals_panel(html), re.DOTALL)


def headers(table: str) -> list[str]:
    return re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)


def cells(table: str) -> list[list[str]]:
    """Each body row's cells as text (tags dropped, whitespace squeezed)."""
    body = table.split("<tbody>", 1)[1]
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def data_values(table: str) -> list[str]:
    return re.findall(r'<td class="num" data-value="([^"]*)"', table)


def warnings_for(result: Built, key: str) -> list[str]:
    return [d for d in formatted(result) if f": {key}:" in d]


ONE_MODEL = """
model-index:
- name: tiny-bert
  results:
  - task: {type: text-classification, name: Text Classification}
    dataset: {type: glue, name: GLUE, config: sst2, split: validation}
    metrics:
    - {type: accuracy, value: 91.2, name: Accuracy}
    - {type: f1, value: 0.9}
  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDb, split: test}
    metrics:
    - {type: accuracy, value: 88.0}
"""


def test_several_results_and_metrics_one_row_each(tmp_path: Path) -> None:
    result = build(tmp_path, ONE_MODEL)
    rows = page_of(result).evals
    assert [(r.task, r.dataset, r.config, r.split, r.metric, r.value) for r in rows] == [
        ("Text Classification", "GLUE", "sst2", "validation", "Accuracy", "91.2"),
        ("Text Classification", "GLUE", "sst2", "validation", "F1", "0.9"),
        ("Text Classification", "IMDb", "", "test", "Accuracy", "88.0"),
    ]
    assert [(r.task_id, r.metric_id) for r in rows] == [
        ("text-classification", "accuracy"), ("text-classification", "f1"), ("text-classification", "accuracy")]
    assert formatted(result) == []
    (table,) = tables(html_of(tmp_path))
    assert cells(table) == [  # task and split on the dataset's second line: three columns fit the sidebar
        ["GLUE (sst2) Text Classification · validation", "Accuracy", "91.2"],
        ["GLUE (sst2) Text Classification · validation", "F1", "0.9"],
        ["IMDb Text Classification · test", "Accuracy", "88.0"],
    ]
    assert '<span title="f1">F1</span>' in table  # the raw id stays in a title
    assert 'Evaluation results <span class="muted">3</span>' in html_of(tmp_path)


def test_one_model_has_no_model_column(tmp_path: Path) -> None:
    build(tmp_path, ONE_MODEL)
    (table,) = tables(html_of(tmp_path))
    assert headers(table) == ["Dataset", "Metric", "Value"]
    assert "tiny-bert" not in table


def test_several_models_get_a_model_column(tmp_path: Path) -> None:
    result = build(tmp_path, """
model-index:
- name: tiny-bert-small
  results:
  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDb}
    metrics:
    - {type: accuracy, value: 88.0}
- name: tiny-bert-large
  results:
  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDb}
    metrics:
    - {type: accuracy, value: 93.5}
    - {type: f1, value: 92.1}
""")
    assert [r.model for r in page_of(result).evals] == ["tiny-bert-small", "tiny-bert-large", "tiny-bert-large"]
    (table,) = tables(html_of(tmp_path))
    assert headers(table) == ["Dataset", "Metric", "Value"]
    assert [row[0] for row in cells(table)] == ["IMDb tiny-bert-small · Text Classification",
                                                "IMDb tiny-bert-large · Text Classification",
                                                "IMDb tiny-bert-large · Text Classification"]
    assert data_values(table) == ["88.0", "93.5", "92.1"]


@pytest.mark.parametrize("value,number,data", [
    ('"20.0 ± 1.2"', 20.0, "20.0"),
    ('"85.3%"', 85.3, "85.3"),
    ("0.5", 0.5, "0.5"),
    ("7", 7.0, "7.0"),
    ('"n/a"', None, ""),
])
def test_value_text_and_sort_key(tmp_path: Path, value: str, number: float | None, data: str) -> None:
    result = build(tmp_path, f"""
model-index:
- name: m
  results:
  - task: {{type: text-classification}}
    dataset: {{type: imdb, name: IMDb}}
    metrics:
    - {{type: accuracy, value: {value}}}
""")
    (row,) = page_of(result).evals
    assert row.number == number
    (table,) = tables(html_of(tmp_path))
    assert data_values(table) == [data]
    assert cells(table)[0][-1] == value.strip('"')  # shown as written


def test_verified_and_source(tmp_path: Path) -> None:
    result = build(tmp_path, """
model-index:
- name: m
  results:
  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDb}
    metrics:
    - {type: accuracy, value: 93.5, verified: true}
    - {type: f1, value: 92.0, verified: false}
    source: {name: Open LLM Leaderboard, url: "https://example.org/leaderboard?m=1&x=2"}
  - task: {type: text-classification}
    dataset: {type: sst2, name: SST-2}
    metrics:
    - {type: accuracy, value: 90.0}
    source: {name: Evil, url: "javascript:alert(1)"}
""")
    rows = page_of(result).evals
    assert [(r.verified, r.source_name, r.source_url) for r in rows] == [
        (True, "Open LLM Leaderboard", "https://example.org/leaderboard?m=1&x=2"),
        (False, "Open LLM Leaderboard", "https://example.org/leaderboard?m=1&x=2"),
        (False, "Evil", ""),
    ]
    (table,) = tables(html_of(tmp_path))
    tds = re.findall(r'<td class="num".*?</td>', table, re.DOTALL)
    assert 'title="Verified by the Hub">verified</span>' in tds[0]
    assert "verified</span>" not in tds[1] and "verified</span>" not in tds[2]
    link = ('<a class="badge" href="https://example.org/leaderboard?m=1&amp;x=2" '
            'rel="nofollow noopener noreferrer" title="Open LLM Leaderboard">source</a>')
    assert link in tds[0] and link in tds[1]
    assert "<a" not in tds[2] and "javascript" not in table


def test_values_are_escaped(tmp_path: Path) -> None:
    build(tmp_path, """
model-index:
- name: <b>m</b>
  results:
  - task: {type: text-classification}
    dataset: {type: imdb, name: "<script>alert(1)</script>"}
    metrics:
    - {type: accuracy, value: "<i>9</i>"}
""")
    table = tables(html_of(tmp_path))[0]
    assert "<script>" not in table and "<i>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table and "&lt;i&gt;9&lt;/i&gt;" in table


def test_no_results_no_panel(tmp_path: Path) -> None:
    result = build(tmp_path, "license: mit")
    assert page_of(result).evals == ()
    assert "evals-title" not in html_of(tmp_path)


# --- malformed model-index entries: no row, and the lint says so once -------------------------

GOOD_RESULT = """  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDb}
    metrics:
    - {type: accuracy, value: 88.0}
"""
MALFORMED = {
    "metric without value": (
        "  - task: {type: t}\n    dataset: {type: d, name: D}\n    metrics:\n    - {type: f1}\n",
        "model-index[0].results[1].metrics[0].value", "required, missing"),
    "metric not a mapping": (
        "  - task: {type: t}\n    dataset: {type: d, name: D}\n    metrics:\n    - just-a-string\n",
        "model-index[0].results[1].metrics[0]", "expected {type, value}, got 'just-a-string'"),
    "metric value null": (
        "  - task: {type: t}\n    dataset: {type: d, name: D}\n    metrics:\n    - {type: f1, value: null}\n",
        "model-index[0].results[1].metrics[0].value", "required, missing"),
    "metrics not a list": (
        "  - task: {type: t}\n    dataset: {type: d, name: D}\n    metrics: {type: f1, value: 3}\n",
        "model-index[0].results[1].metrics", "expected a list of {type, value}"),
    "result not a mapping": ("  - 42\n", "model-index[0].results[1]", "expected {task, dataset, metrics}"),
}


@pytest.mark.parametrize("bad,key,message", MALFORMED.values(), ids=MALFORMED)
def test_malformed_entry_skipped_and_linted_once(tmp_path: Path, bad: str, key: str, message: str) -> None:
    result = build(tmp_path, "model-index:\n- name: m\n  results:\n" + GOOD_RESULT + bad)
    assert [(r.dataset, r.value) for r in page_of(result).evals] == [("IMDb", "88.0")]
    hits = warnings_for(result, key)
    assert len(hits) == 1, formatted(result)
    assert message in hits[0] and "/m/README.md:" in hits[0]
    (table,) = tables(html_of(tmp_path))
    assert len(cells(table)) == 1


def test_malformed_models_skipped_and_linted_once(tmp_path: Path) -> None:
    result = build(tmp_path, """
model-index:
- just a string
- name: no-results
- name: results-not-a-list
  results: 3
- name: ok
  results:
""" + GOOD_RESULT)
    assert [r.model for r in page_of(result).evals] == ["ok"]
    assert len(warnings_for(result, "model-index[0]")) == 1
    assert len(warnings_for(result, "model-index[1].results")) == 1
    assert len(warnings_for(result, "model-index[2].results")) == 1
    assert len(formatted(result)) == 3


def test_model_index_not_a_list(tmp_path: Path) -> None:
    result = build(tmp_path, "model-index: {name: m}")
    assert page_of(result).evals == ()
    assert len(warnings_for(result, "model-index")) == 1
    assert "evals-title" not in html_of(tmp_path)


@pytest.mark.parametrize("value", ["[1, 2]", "{a: 1}", "true"])
def test_metric_value_of_the_wrong_type_is_not_a_row(tmp_path: Path, value: str) -> None:
    result = build(tmp_path, "model-index:\n- name: m\n  results:\n" + GOOD_RESULT
                   + f"    - {{type: f1, value: {value}}}\n")
    assert len(warnings_for(result, "model-index[0].results[0].metrics[1].value")) == 1
    assert [r.metric for r in page_of(result).evals] == ["Accuracy"]


# --- .eval_results/*.yaml ---------------------------------------------------------------------

GLUE_RESULTS = """\
- dataset:
    id: nyu-mll/glue
    task_id: sst2
  value: 0.912
  date: '2024-05-01'
  notes: 5-shot, no chat template
  source:
    name: Community eval
    url: https://example.org/evals/42
- dataset: {id: stanfordnlp/imdb}
  value: 0.88
  verifyToken: abc
"""


def test_eval_results_files_become_rows(tmp_path: Path) -> None:
    result = build(tmp_path, "license: mit", {".eval_results/glue.yaml": GLUE_RESULTS,
                                             ".eval_results/more.yml": "dataset: {id: x/y}\nvalue: 3\n"})
    assert formatted(result) == []
    rows = page_of(result).evals
    assert rows == (
        EvalRow("", "sst2", "nyu-mll/glue", "", "", "", "0.912", False, "Community eval",
                "https://example.org/evals/42", "2024-05-01", "5-shot, no chat template",
                ".eval_results/glue.yaml", "sst2"),
        EvalRow("", "", "stanfordnlp/imdb", "", "", "", "0.88", True, "", "", "", "",
                ".eval_results/glue.yaml"),
        EvalRow("", "", "x/y", "", "", "", "3", False, "", "", "", "", ".eval_results/more.yml"),
    )
    html = html_of(tmp_path)
    (table,) = tables(html)
    assert "From <code>.eval_results</code>" in evals_panel(html)
    assert headers(table) == ["Dataset", "Value"]
    assert cells(table) == [
        ["nyu-mll/glue sst2 · 2024-05-01 5-shot, no chat template Community eval", "0.912"],
        ["stanfordnlp/imdb", "0.88 verified"],
        ["x/y", "3"],
    ]
    assert ('<a class="badge" href="https://example.org/evals/42" rel="nofollow noopener noreferrer">'
            "Community eval</a>") in table
    assert data_values(table) == ["0.912", "0.88", "3.0"]


def test_model_index_and_eval_results_have_a_table_each(tmp_path: Path) -> None:
    result = build(tmp_path, ONE_MODEL, {".eval_results/glue.yaml": GLUE_RESULTS})
    assert [r.origin for r in page_of(result).evals] == ["model-index"] * 3 + [".eval_results/glue.yaml"] * 2
    first, second = tables(html_of(tmp_path))
    assert len(cells(first)) == 3 and len(cells(second)) == 2
    assert 'Evaluation results <span class="muted">5</span>' in html_of(tmp_path)


def test_broken_eval_results_file_reported_and_page_still_built(tmp_path: Path) -> None:
    result = build(tmp_path, ONE_MODEL, {
        ".eval_results/a-broken.yaml": "- dataset: {id: x/y\n  value: 1\n",
        ".eval_results/glue.yaml": GLUE_RESULTS,
    })
    broken = str(tmp_path / "src/m/.eval_results/a-broken.yaml")
    problems = formatted(result)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{broken}:1: warning: invalid YAML: the '{{' opened here is never closed")
    assert result.report.errors == 0
    assert [r.origin for r in page_of(result).evals].count(".eval_results/glue.yaml") == 2
    html = html_of(tmp_path)
    assert "nyu-mll/glue" in html and "GLUE" in html and "x/y" not in evals_panel(html)
    assert "<h1" in html and 'class="model-card' in html


def test_eval_results_entry_without_value_reported(tmp_path: Path) -> None:
    result = build(tmp_path, "license: mit", {
        ".eval_results/r.yaml": "- dataset: {id: a/b}\n  value: 1.5\n- dataset: {id: c/d}\n- 7\n"})
    assert [r.dataset for r in page_of(result).evals] == ["a/b"]
    shown = str(tmp_path / "src/m/.eval_results/r.yaml")
    problems = formatted(result)
    assert len(problems) == 2
    for problem in problems:
        assert problem.startswith(shown + ":")
        assert problem.endswith(": warning: expected a list of {dataset, value} results")


def test_eval_results_entry_without_value_names_its_line(tmp_path: Path) -> None:
    result = build(tmp_path, "license: mit", {
        ".eval_results/r.yaml": "- dataset: {id: a/b}\n  value: 1.5\n- dataset: {id: c/d}\n- 7\n"})
    shown = str(tmp_path / "src/m/.eval_results/r.yaml")
    assert [p.split(": warning:")[0] for p in formatted(result)] == [f"{shown}:3", f"{shown}:4"]


def test_eval_results_outside_the_folder_are_ignored(tmp_path: Path) -> None:
    result = build(tmp_path, "license: mit", {"eval_results/r.yaml": "- dataset: {id: a/b}\n  value: 1\n",
                                             ".eval_results/notes.txt": "value: 3\n"})
    assert page_of(result).evals == ()
