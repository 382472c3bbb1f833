"""Front matter and strict YAML: fixture cards as data, each with what it must produce."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import build_site, card, make_repo
from sitegen.load.card import Card, parse_card
from sitegen.load.discover import RepoDir
from sitegen.load.repo import load_repo
from sitegen.report import CardError, Report


@dataclass
class Loaded:
    card: Card | None
    report: Report
    error: str = ""  # the formatted CardError, "" when the card loaded

    @property
    def warnings(self) -> list[str]:
        return [d.format() for d in self.report.items if d.level == "warning"]


def load(tmp_path: Path, data: bytes) -> Loaded:
    """Write README.md as raw bytes and load it the way a build does."""
    root = make_repo(tmp_path, "m", data)
    report = Report()
    try:
        repo = load_repo(RepoDir("m", root, "m"), report)
    except CardError as exc:
        return Loaded(None, report, exc.diagnostic.format())
    return Loaded(repo.card, report)


@dataclass
class Good:
    id: str
    data: bytes
    metadata: dict[str, Any]
    body: str
    body_line: int
    warnings: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


GOOD = [
    Good("normal", b"---\nlicense: mit\ntags:\n- a\n- b\n---\n# Hi\n",
         {"license": "mit", "tags": ["a", "b"]}, "# Hi\n", 7,
         lines={"license": 2, "tags": 3, "tags[0]": 4, "tags[1]": 5}),
    Good("no-front-matter", b"# Hi\n\nJust text.\n", {}, "# Hi\n\nJust text.\n", 1,
         warnings=["m/README.md:1: warning: no YAML front matter"]),
    Good("utf8-bom", b"\xef\xbb\xbf---\nlicense: mit\n---\nbody\n", {"license": "mit"}, "body\n", 4),
    Good("crlf", b"---\r\nlicense: mit\r\nlanguage: en\r\n---\r\nbody\r\nmore\r\n",
         {"license": "mit", "language": "en"}, "body\nmore\n", 5, lines={"language": 3}),
    Good("bom-and-crlf", b"\xef\xbb\xbf---\r\nlicense: mit\r\n---\r\nbody\r\n",
         {"license": "mit"}, "body\n", 4),
    Good("doubled-cr", b"---\r\r\nlicense: mit\r\r\nlanguage: en\r\r\n---\r\r\nbody\r\r\nmore\r\r\n",
         {"license": "mit", "language": "en"}, "body\nmore\n", 5, lines={"language": 3}),
    Good("empty-block", b"---\n---\nbody\n", {}, "body\n", 3),
    Good("language-no-stays-string", b"---\nlanguage: [en, no]\nflag: yes\nreal: true\n---\n",
         {"language": ["en", "no"], "flag": "yes", "real": True}, "", 6),
    Good("dates-stay-strings", b"---\ndate: 2024-01-02\nwhen: 2001-12-14t21:59:43.10-05:00\n---\n",
         {"date": "2024-01-02", "when": "2001-12-14t21:59:43.10-05:00"}, "", 5),
    Good("nan-becomes-text", b"---\nlicense: mit\nscore: .nan\nbig: -.inf\n---\n",
         {"license": "mit", "score": ".nan", "big": "-.inf"}, "", 6,
         warnings=["m/README.md:3: warning: score: '.nan' is not a finite number; shown as text",
                   "m/README.md:4: warning: big: '-.inf' is not a finite number; shown as text"]),
    Good("merge-key", b"---\nbase: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n---\n",
         {"base": {"x": 1}, "m": {"y": 2, "x": 1}}, "", 7),
]


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c.id)
def test_card_loads(tmp_path: Path, case: Good) -> None:
    got = load(tmp_path, case.data)
    assert got.error == ""
    assert got.card is not None
    assert got.card.metadata == case.metadata
    assert got.card.body == case.body
    assert got.card.body_line == case.body_line
    for key, line in case.lines.items():
        assert got.card.lines[key] == line, key
    assert len(got.warnings) == len(case.warnings), got.warnings
    for expected, found in zip(case.warnings, got.warnings):
        assert expected in found


@dataclass
class Bad:
    id: str
    data: bytes
    expected: str  # substring of the formatted diagnostic, from the line number on
    seconds: float = 1.0


def _bomb(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return ("---\n" + "\n".join(lines) + "\n---\nbody\n").encode()


BAD = [
    Bad("unclosed", b"---\nlicense: mit\n# Title\n\nbody\n",
        "m/README.md:1: error: front matter is never closed"),
    Bad("unclosed-after-blank-lines", b"\n\n---\nlicense: mit\nbody\n",
        "m/README.md:3: error: front matter is never closed"),
    # a problem on the 2nd YAML line is on README line 3
    Bad("yaml-does-not-parse", b"---\nlicense: mit\nfoo: bar: baz\n---\nbody\n",
        "m/README.md:3: error: invalid YAML: the value of 'foo' contains ': '; put the value in quotes"),
    Bad("yaml-unclosed-flow", b"---\nlicense: mit\ntags: [a, b\nfoo: 1\n---\nbody\n",
        "m/README.md:3: error: invalid YAML: the '[' opened here is never closed"),
    Bad("yaml-crlf-line", b"---\r\nlicense: mit\r\nfoo: bar: baz\r\n---\r\n",
        "m/README.md:3: error: invalid YAML"),
    Bad("metadata-is-a-list", b"---\n- a\n- b\n---\nbody\n",
        "m/README.md:2: error: front matter must be a mapping of keys, got a list"),
    Bad("metadata-is-a-string", b"---\njust text\n---\nbody\n",
        "m/README.md:2: error: front matter must be a mapping of keys, got a string"),
    # both lines are README lines
    Bad("duplicate-key", b"---\nlicense: mit\ntags: [a]\nlicense: apache-2.0\n---\n",
        "m/README.md:4: error: duplicate key 'license' (first defined on line 2)"),
    Bad("duplicate-nested-key", b"---\nwidget:\n- text: a\n  text: b\n---\n",
        "m/README.md:4: error: widget[0]: duplicate key 'text'"),
    Bad("billion-laughs", _bomb(), "error: YAML expands to more than", seconds=0.5),
    Bad("recursive-alias", b"---\nlicense: mit\na: &a [*a]\n---\n",
        "m/README.md:3: error: an alias refers to itself"),
    Bad("python-object-tag", b"---\nlicense: mit\nx: !!python/object:os.system {}\n---\n",
        "m/README.md:3: error: x: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    Bad("python-apply-tag", b"---\nx: !!python/object/apply:os.system [echo hi]\n---\n",
        "m/README.md:2: error: x: YAML tag"),
    Bad("binary-tag", b"---\nx: !!binary aGVsbG8=\n---\n", "m/README.md:2: error: x: YAML tag"),
    Bad("non-utf8", b"---\nlicense: mit\n---\nfine\nbad \xff byte\n",
        "m/README.md:5: error: not valid UTF-8 (byte 0xff)"),
    Bad("non-utf8-crlf", b"---\r\nlicense: mit\r\n---\r\nbad \xc3\x28\r\n",
        "m/README.md:4: error: not valid UTF-8 (byte 0xc3)"),
    # a lone CR ends a line for the card parser, so it does for the byte's line too
    Bad("non-utf8-cr-only", b"---\rlicense: mit\r---\rline4\rbad \xff here\r",
        "m/README.md:5: error: not valid UTF-8 (byte 0xff)"),
    Bad("utf16", "---\nlicense: mit\n---\n".encode("utf-16"), "m/README.md:1: error: file is UTF-16"),
]


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_card_rejected(tmp_path: Path, case: Bad) -> None:
    start = time.perf_counter()
    got = load(tmp_path, case.data)
    elapsed = time.perf_counter() - start
    assert got.card is None, "the card should not load"
    assert case.expected in got.error
    assert elapsed < case.seconds


def test_opening_line_with_trailing_space_is_explained(tmp_path: Path) -> None:
    got = load(tmp_path, b"--- \nlicense: mit\n---\nbody\n")
    found = [got.error] if got.error else got.warnings
    assert found and found[0].startswith("m/README.md:1: ")
    assert "never closed" not in found[0]


def test_bomb_is_not_expanded_even_when_small_on_disk(tmp_path: Path) -> None:
    data = _bomb(levels=6)  # 9**7 ~ 4.8 million values
    assert len(data) < 1000
    got = load(tmp_path, data)
    assert "alias bomb" in got.error


def test_card_without_front_matter_still_renders(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "plain", "# Plain model\n\nNo metadata here at all.\n")
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == 0
    assert any("no YAML front matter" in d.message for d in result.report.items)
    html = (tmp_path / "out/models/plain/index.html").read_text()
    assert "No metadata here at all." in html


WIDGET_CARD = card("""
pipeline_tag: text-classification
widget:
- text: first
  output:
  - label: a
    score: 1
- text: second
  example_title: Second
  output:
  - label: b
    score: 0.5
""")


@pytest.mark.parametrize("key,line", [
    ("pipeline_tag", 2),
    ("widget", 3),
    ("widget[0]", 4),
    ("widget[1]", 8),
    ("widget[1].output", 10),
    ("widget[1].output[0].score", 12),
    ("widget[1].output[0].nothing_here", 11),  # nearest parent
    ("widget[7].output", 3),  # missing index: falls back to `widget`
    ("no_such_key", None),
])
def test_locate(key: str, line: int | None) -> None:
    parsed = parse_card(WIDGET_CARD, "README.md", Report())
    assert parsed.locate(key) == line


def test_body_line_counts_front_matter() -> None:
    parsed = parse_card(WIDGET_CARD, "README.md", Report())
    assert parsed.body_line == 14
    assert WIDGET_CARD.splitlines()[parsed.body_line - 1] == parsed.body.splitlines()[0]
