"""Guard: widget and render code name no pipeline tag; what differs by task is a field of its Task row.

The default example inputs (widgets/defaults.py) are the one table keyed by tag, found by
convention (`DEFAULTS[language][task.tag]`): there a tag may only be a key of that table.
Templates take per-task facts from the task's fields, never by comparing or looking up `task.tag`.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import sitegen
from sitegen.hub.tasks import CHAT, RETIRED, TASKS
from sitegen.widgets.defaults import DEFAULTS

SRC = Path(sitegen.__file__).parent
TEMPLATES = SRC.parent / "themes" / "default" / "templates"
TAGS = set(TASKS) | {CHAT.tag} | set(RETIRED)
CHECKED = sorted(SRC.glob("widgets/*.py")) + [SRC / "render.py"]
TABLE_KEYED_BY_TAG = SRC / "widgets" / "defaults.py"
# `task.tag` compared (==, !=, in, not in) or used to look something up, in a template.
TAG_TEST = re.compile(r"\.tag\b\s*(?:==|!=|in\b|not\b)|\.get\([^)]*\.tag\b|\[[^\]]*\.tag\s*\]")


def tag_names(source: str, keys_allowed: bool = False) -> list[str]:
    """Every string constant in `source` that is a pipeline tag (line: tag), except, when
    `keys_allowed`, the keys of dict literals (a table keyed by tag)."""
    tree = ast.parse(source)
    keys = {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) and keys_allowed
            for k in node.keys if k is not None}
    return [f"{node.lineno}: {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in TAGS and id(node) not in keys]


def test_widget_and_render_code_name_no_tag() -> None:
    found = {path.name: tag_names(path.read_text("utf-8"), keys_allowed=path == TABLE_KEYED_BY_TAG)
             for path in CHECKED}
    assert len(found) >= 9  # the whole wing was read, not an empty glob
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_guard_catches_a_planted_special_case() -> None:
    planted = [
        'if task.tag == "conversational":\n    missing = ["messages"]\n',
        'if tag in {"reinforcement-learning", "robotics"}:\n    pass\n',
        'OUTPUT_MEDIA = {"text-to-image": "image"}\n',
        'media = resolver.resolve(src, {"text-to-speech": "audio"}.get(task.tag, ""))\n',
    ]
    for source in planted:
        assert tag_names(source), source
    # In the defaults table a key may be a tag, a comparison still may not.
    assert tag_names(planted[2], keys_allowed=True) == []
    assert tag_names(planted[0], keys_allowed=True) == ["1: conversational"]
    assert tag_names('label = "Text"\nif name == "text":\n    pass\n') == []


def test_default_inputs_are_keyed_by_tags_of_the_table() -> None:
    for language, table in DEFAULTS.items():
        assert set(table) <= TAGS, language


def test_templates_take_per_task_facts_from_fields() -> None:
    found = [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for path in sorted(TEMPLATES.rglob("*.html"))
             for m in TAG_TEST.finditer(path.read_text("utf-8"))]
    assert len(list(TEMPLATES.rglob("*.html"))) > 10
    assert found == []
    planted = ['{{ TEXT_LABELS.get(task.tag, "Text") }}', '{% if widget.task.tag == "fill-mask" %}',
               '{% if model.task.tag in ("translation", "summarization") %}', "{{ LABELS[task.tag] }}"]
    assert all(TAG_TEST.search(p) for p in planted)
    assert not TAG_TEST.search('<a href="{{ root }}tasks/{{ model.task.tag }}/index.html">')
    assert not TAG_TEST.search("{% for tag in meta.tags %}")
