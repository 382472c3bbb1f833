"""Guard: every row of the task table renders a synthetic example, so no task breaks unseen.

One source folder holds one repo per task (plus the chat widget); the site is built once per
module and each task is checked on its own page.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Built, SHARED, formatted, build_site, png_bytes, requires_shared, wav_bytes
from sitegen.hub.tasks import CHAT, TASKS, Task

ALL = [*TASKS.values(), CHAT]
_RAW_OUTPUT = re.compile(r'<details class="raw-output">.*?</details>', re.S)
# A tiny MP4 header: enough for the sniffer to see a video, not a playable file.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free"
MEDIA_FILE = {"image": ("in.png", png_bytes()), "audio": ("in.wav", wav_bytes()),
              "video": ("in.mp4", MP4), "": ("in.png", png_bytes())}
MASK = png_bytes(8, 6, (255, 255, 255))
OUT_FILE = {"image": ("out.png", png_bytes(4, 4, (0, 90, 200))), "audio": ("out.wav", wav_bytes(400)),
            "video": ("out.mp4", MP4), "": ("out.png", png_bytes(4, 4, (0, 90, 200)))}


def _input(task: Task, name: str, n: int) -> Any:
    if name == "src":
        return MEDIA_FILE[task.media][0]
    if name in ("table", "structured_data"):
        return {"column_a": [f"cell-{task.tag}-{n}", "2"], "column_b": ["3", "4"]}
    if name == "candidate_labels":
        return "alpha, beta"
    if name == "multi_class":
        return True
    if name == "sentences":
        return [f"sentence one {n}", f"sentence two {n}"]
    if name == "messages":
        return [{"role": "user", "content": f"hello-{task.tag}-{n}"}]
    return f"input-{name}-{task.tag}-{n}"


def _output(task: Task, n: int) -> tuple[Any, str]:
    """The synthetic output of the task's kind, and a string its rendering must contain."""
    marker = f"{task.output}-{task.tag}-{n}"
    if task.output == "labels":
        return [{"label": marker, "score": 0.875}, {"label": "other", "score": 0.125}], marker
    if task.output == "answer":
        return {"answer": marker, "score": 0.5}, marker
    if task.output == "text":
        return {"text": marker}, marker
    if task.output == "media":
        name = OUT_FILE[task.output_media][0]
        return {"url": name, "label": marker}, f"files/{name.rsplit('.', 1)[0]}."  # name.<hash>.ext
    if task.output == "scores":
        return [0.25, 0.75], "0.750"
    if task.output == "entities":
        return [{"entity_group": marker, "word": "input", "start": 0, "end": 5, "score": 0.9}], marker
    if task.output == "boxes":
        return [{"label": marker, "score": 0.9, "box": {"xmin": 1, "ymin": 1, "xmax": 5, "ymax": 4}}], marker
    if task.output == "masks":
        return [{"label": marker, "score": 0.9, "mask": "mask.png"}], marker
    if task.output == "embedding":
        return [0.5, -0.25, 0.125], "3 dimensions"
    if task.output == "predictions":
        return [marker, "second"], f'<td class="prediction">{marker}</td>'
    return {"result": marker, "values": [1, 2]}, marker


def _example(task: Task, n: int, optional: bool) -> tuple[dict[str, Any], str]:
    names = list(task.inputs)
    if task is CHAT:
        names = ["messages"]
    if optional:  # the second example also carries every optional input but messages
        names += [o for o in task.optional if o != "messages" and o not in names]
    example = {name: _input(task, name, n) for name in names}
    example["example_title"] = f"title-{task.tag}-{n}"
    example["output"], marker = _output(task, n)
    return example, marker


def _repo_name(task: Task) -> str:
    return task.tag


def _card(task: Task) -> tuple[dict[str, Any], list[str]]:
    meta: dict[str, Any] = {"pipeline_tag": task.tag, "license": "mit"}
    if task is CHAT:
        meta.update(pipeline_tag="text-generation", tags=["conversational"])
    examples, markers = zip(*(_example(task, n, optional=n == 2) for n in (1, 2)))
    meta["widget"] = list(examples)
    return meta, list(markers)


@pytest.fixture(scope="module")
def guard_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built, dict[str, list[str]]]:
    base = tmp_path_factory.mktemp("guard")
    markers: dict[str, list[str]] = {}
    for task in ALL:
        root = base / "src" / _repo_name(task)
        root.mkdir(parents=True)
        meta, markers[task.tag] = _card(task)
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" \
               f"# {task.name}\n\nA synthetic model for the {task.tag} guard.\n"
        (root / "README.md").write_text(text, encoding="utf-8")
        for name, data in [*MEDIA_FILE.values(), *OUT_FILE.values(), ("mask.png", MASK)]:
            (root / name).write_bytes(data)
    result = build_site(base / "src", base / "out")
    return base / "out", result, markers


@pytest.mark.parametrize("task", ALL, ids=lambda t: t.tag)
def test_task_renders(guard_site: tuple[Path, Built, dict[str, list[str]]], task: Task) -> None:
    out, result, markers = guard_site
    name = _repo_name(task)
    unknown = "no output shape is known"
    problems = [m for m in formatted(result) if f"/{name}/" in m and ": info: " not in m]
    assert [m for m in problems if unknown not in m] == []
    # A task without a known output shape shows its outputs as data and says so in check.
    assert len([m for m in problems if unknown in m]) == (2 if task.output == "json" else 0)
    page = next(p for p in result.model_pages if p.id == name)
    assert page.widget is not None
    assert page.widget.task.tag == task.tag
    assert len(page.widget.examples) == 2
    assert all(e.output is not None for e in page.widget.examples)
    html_path = out / "models" / name / "index.html"
    assert html_path.is_file()
    html = html_path.read_text(encoding="utf-8")
    shown = _RAW_OUTPUT.sub("", html)  # the output as written is echoed there; look past it
    for marker in markers[task.tag]:
        assert marker in shown, f"{marker!r} not rendered on the page"
    if "text" in task.inputs:
        assert f"input-text-{task.tag}-1" in html
    for ex in page.widget.examples:
        for _, asset in ex.media:
            assert (out / page.dir / asset.url).is_file()


def test_every_task_has_a_distinct_page(guard_site: tuple[Path, Built, dict[str, list[str]]]) -> None:
    out, result, _ = guard_site
    assert result.report.errors == 0
    assert len(result.site.models) == len(ALL)
    index = (out / "index.html").read_text(encoding="utf-8")
    for task in ALL:
        assert f"models/{_repo_name(task)}/index.html" in index


@requires_shared("spec")
def test_spec_tasks_are_all_in_the_table() -> None:
    spec = yaml.safe_load((SHARED / "spec" / "tasks.yaml").read_text(encoding="utf-8"))
    rows = {row["name"]: row for row in spec["tasks"]}
    assert rows, "tasks.yaml lists no tasks"
    missing = sorted(set(rows) - set(TASKS))
    assert missing == []
    for name, row in rows.items():
        task = TASKS[name]
        assert (task.name, task.modality, task.hidden) == \
               (row["label"], row["modality"], bool(row["hide_in_models"])), name


def test_table_is_consistent() -> None:
    from sitegen.widgets.outputs import NORMALISERS
    from sitegen.hub.tasks import MODALITIES, ORDER, RETIRED
    for tag, task in TASKS.items():
        assert task.tag == tag
        assert task.output in NORMALISERS, tag
        assert task.modality in MODALITIES, tag
        assert tag in ORDER, tag
        assert not set(task.inputs) & set(task.optional), tag
        if task.media:  # `other` takes a src of any kind, so no media there
            assert "src" in task.inputs + task.optional, tag
    assert all(new in TASKS for new in RETIRED.values())
