"""Evaluations at any size (evals.py summarise, evals.html, evaluations.html): a card with more
results than the panel shows gets a bounded summary on its page and every row on a page of its
own; the names of tasks and metrics; the MTEB cards of real_cards/hub2024."""
from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from conftest import SHARED, build_site, card, formatted, make_repo, requires_shared
from sitegen.build import build
from sitegen.config import Config
from sitegen.hub import evals
from sitegen.hub.evalnames import headline, metric_name, task_name

TASKS = ("Classification", "Retrieval", "STS", "Clustering", "Reranking", "PairClassification",
         "BitextMining", "Summarization", "InstructionRetrieval", "MyOwnTask")
METRICS = {"Classification": ("accuracy", "ap", "f1"), "Retrieval": ("map_at_10", "ndcg_at_10", "recall_at_100"),
           "STS": ("cos_sim_pearson", "cos_sim_spearman"), "PairClassification": ("cos_sim_accuracy", "cos_sim_ap")}


def mteb_card(results: int, tasks: tuple[str, ...] = TASKS) -> str:
    """A model-index of `results` datasets spread over `tasks`, MTEB-style (several metrics each)."""
    lines = ["model-index:", "- name: e5", "  results:"]
    for i in range(results):
        task = tasks[i % len(tasks)]
        lines += [f"  - task: {{type: {task}}}",
                  f"    dataset: {{type: mteb/d{i}, name: MTEB Dataset{i:05d}, config: default, split: test}}",
                  "    metrics:"]
        lines += [f"    - {{type: {m}, value: {i}.{j}123456789}}" for j, m in enumerate(METRICS.get(task, ("score",)))]
    return card("\n".join(lines))


def build_one(tmp_path: Path, text: str, name: str = "m") -> tuple[Path, object]:
    make_repo(tmp_path / "src", name, text)
    out = tmp_path / "out"
    return out, build_site(tmp_path / "src", out)


def body_rows(html: str, table: str = "evals-full") -> int:
    at = html.index(f'class="evals {table}"')
    return html[at:html.index("</table>", at)].count("<tr") - 1  # less the header row


# --- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("metric_id, name", [
    ("accuracy", "Accuracy"), ("f1", "F1"), ("exact_match", "Exact match"), ("ndcg_at_10", "nDCG@10"),
    ("map_at_1000", "MAP@1000"), ("cos_sim_spearman", "Cosine Spearman"), ("v_measure", "V-measure"),
    ("max_ap", "Max AP"), ("recall_at_1", "Recall@1"), ("rougeL", "ROUGE-L"), ("wer", "WER"),
    ("main_score", "Main score"), ("pass@1", "pass@1"), ("mean_reward", "Mean reward"), ("", ""),
    ("Already Named", "Already Named"),
])
def test_metric_ids_read_as_names(metric_id: str, name: str) -> None:
    assert metric_name(metric_id) == name


@pytest.mark.parametrize("task_id, name", [
    ("text-classification", "Text Classification"), ("automatic-speech-recognition", "Automatic Speech Recognition"),
    ("STS", "Semantic textual similarity"), ("PairClassification", "Pair classification"),
    ("Retrieval", "Retrieval"), ("question_answering", "Question answering"), ("", ""),
])
def test_task_ids_read_as_names(task_id: str, name: str) -> None:
    assert task_name(task_id) == name


def test_headline_metric_main_score_first_then_the_task_types_then_the_first() -> None:
    assert headline("Retrieval", ["map_at_10", "ndcg_at_10", "main_score"]) == 2
    assert headline("Retrieval", ["map_at_10", "ndcg_at_10"]) == 1
    assert headline("STS", ["cos_sim_pearson", "cos_sim_spearman"]) == 1
    assert headline("Unknown", ["b", "a"]) == 0


def test_names_shown_with_the_raw_id_kept(tmp_path: Path) -> None:
    out, result = build_one(tmp_path, card("""
model-index:
- name: m
  results:
  - task: {type: Retrieval}
    dataset: {type: mteb/scifact, name: MTEB SciFact, split: test}
    metrics:
    - {type: ndcg_at_10, value: 51.7}
    - {type: mean_reward, name: mean_reward, value: 3}
"""))
    rows = result.model_pages[0].evals  # type: ignore[attr-defined]
    assert [(r.task, r.metric, r.metric_id) for r in rows] == [
        ("Retrieval", "nDCG@10", "ndcg_at_10"), ("Retrieval", "Mean reward", "mean_reward")]
    html = (out / "models/m/index.html").read_text()
    assert '<span title="ndcg_at_10">nDCG@10</span>' in html


@pytest.mark.parametrize("value, shown", [
    ("73.79104477611939", "73.79"), ("0.912345", "0.9123"), ("0.000001234", "0.000001234"),
    ("22.545", "22.545"), ("20.0 ± 1.2", "20.0 ± 1.2"), ("-3.1415926", "-3.14"), ("n/a", "n/a"),
])
def test_long_decimals_are_rounded_for_the_eye_only(value: str, shown: str) -> None:
    row = evals.EvalRow("", "", "d", "", "", "m", value, False, "", "")
    assert row.shown == shown
    assert row.value == value  # sorting and the title keep what the card wrote


# --- a few results: the panel shows them all ------------------------------------------------------

def test_up_to_the_inline_limit_the_panel_holds_every_row_and_there_is_no_page(tmp_path: Path) -> None:
    out, _ = build_one(tmp_path, mteb_card(4, ("Classification",)))  # 4 datasets x 3 metrics = 12 rows
    html = (out / "models/m/index.html").read_text()
    assert html.count("<tr") == 12 + 1 and "evals-summary" not in html
    assert not (out / "models/m/evaluations.html").exists()


# --- many results: a bounded summary and a page of their own --------------------------------------

def test_a_large_set_gets_a_summary_and_its_own_page_with_every_row(tmp_path: Path) -> None:
    out, result = build_one(tmp_path, mteb_card(40))
    assert formatted(result) == []
    rows = result.model_pages[0].evals  # type: ignore[attr-defined]
    page = (out / "models/m/index.html").read_text()
    full = (out / "models/m/evaluations.html").read_text()
    assert body_rows(full) == len(rows) == 4 * 3 + 4 * 3 + 4 * 2 + 4 * 2 + 24  # every row
    assert '<a href="evaluations.html">All 64 results, sortable and filterable</a>' in page
    summary = page[page.index('class="evals evals-summary"'):page.index("</table>", page.index("evals-summary"))]
    # per task, in the card's order, at most SUMMARY_TASKS tasks of SUMMARY_ROWS results each
    groups = re.findall(r'<th scope="rowgroup" colspan="3">([^<]*)<', summary)
    assert [g.strip() for g in groups] == ["Classification", "Retrieval", "Semantic textual similarity",
                                           "Clustering", "Reranking", "Pair classification", "Bitext mining",
                                           "Summarization"]
    assert "and 2 more tasks" in page
    assert summary.count("<td") == 8 * 3 * 3
    # the headline metric of each result: accuracy, nDCG@10, cosine Spearman...
    assert "MTEB Dataset00000" in summary and ">Accuracy<" in summary and ">nDCG@10<" in summary
    assert "Cosine Spearman" in summary and "ap<" not in summary and "MAP@10" not in summary
    assert 'title="0.0123456789">0.0123<' in summary
    # the full page: readable without JavaScript, a filter form that JavaScript shows
    assert "data-evals-filter hidden" in full and 'src="../../static/evals.js"' in full
    assert 'data-task="Semantic textual similarity"' in full and '<span class="eval-id">cos_sim_spearman</span>' in full
    assert full.count("<option>") == len(TASKS)


def test_the_model_page_grows_by_a_bounded_amount(tmp_path: Path) -> None:
    sizes = []
    for n in (30, 300, 3000):
        out, _ = build_one(tmp_path / str(n), mteb_card(n))
        sizes.append((out / "models/m/index.html").stat().st_size)
        assert body_rows((out / "models/m/evaluations.html").read_text()) > n
    assert sizes[2] - sizes[0] < 2000, sizes  # counts grow a digit or two, nothing else


def test_the_row_cap_is_counted_in_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evals, "MAX_ROWS", 50)
    out, result = build_one(tmp_path, mteb_card(40))
    (warning,) = formatted(result)
    assert "README.md:2: warning: model-index: 14 evaluation results past the first 50 are not shown" in warning
    assert body_rows((out / "models/m/evaluations.html").read_text()) == 50


def test_hostile_names_are_escaped_on_both_pages(tmp_path: Path) -> None:
    out, _ = build_one(tmp_path, card("model-index:\n- name: m\n  results:\n" + "".join(
        f"  - task: {{type: '<script>t{i}</script>'}}\n"
        f"    dataset: {{type: d, name: '<img src=x onerror=alert(1)>', config: '\"><b>'}}\n"
        f"    metrics:\n    - {{type: '<i>m</i>', value: '<b>{i}</b>'}}\n" for i in range(20))))
    for name in ("index.html", "evaluations.html"):
        html = (out / "models/m" / name).read_text()
        assert "<script>t" not in html and "<img src=x" not in html and "<i>m</i>" not in html
        assert "<b>" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_incremental_rebuild_adds_and_removes_the_page(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", mteb_card(40))
    out = tmp_path / "out"
    config = Config(source=tmp_path / "src", output=out, cache=True)
    build(config)
    assert (out / "models/m/evaluations.html").is_file()
    (tmp_path / "src/m/README.md").write_text(mteb_card(2), encoding="utf-8")
    build(config)
    assert not (out / "models/m/evaluations.html").exists()
    cold = tmp_path / "cold"
    build(dataclasses.replace(config, output=cold, cache=False))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == \
        sorted(p.relative_to(cold).as_posix() for p in cold.rglob("*.html"))
    (tmp_path / "src/m/README.md").write_text(mteb_card(41), encoding="utf-8")
    build(config)
    assert body_rows((out / "models/m/evaluations.html").read_text()) == 64 + 3


# --- the MTEB cards of real_cards/hub2024 ---------------------------------------------------------

HUB2024 = SHARED / "real_cards" / "hub2024"


@requires_shared("real_cards/hub2024")
def test_mteb_cards_build_to_small_pages_with_every_row_reachable(tmp_path: Path) -> None:
    slugs = sorted(p.parent.name for p in HUB2024.glob("*/README.md")
                   if "mteb" in p.read_text(encoding="utf-8", errors="replace").lower())
    assert "intfloat_multilingual-e5-small" in slugs
    for slug in slugs:
        (tmp_path / "src" / slug).mkdir(parents=True)
        shutil.copy(HUB2024 / slug / "README.md", tmp_path / "src" / slug / "README.md")
    result = build_site(tmp_path / "src", tmp_path / "out")
    for page in result.model_pages:
        html = tmp_path / "out" / page.path
        assert html.stat().st_size < 300_000, (page.id, html.stat().st_size)
        full = html.parent / "evaluations.html"
        if len(page.evals) > evals.INLINE_ROWS:
            text = full.read_text(encoding="utf-8")
            assert sum(body_rows(text[at:]) for at in [m.start() for m in re.finditer('class="evals evals-full"', text)]) \
                == len(page.evals), page.id
        else:
            assert not full.exists()
    big = next(p for p in result.model_pages if p.id == "intfloat_multilingual-e5-small")
    assert len(big.evals) == 5331
