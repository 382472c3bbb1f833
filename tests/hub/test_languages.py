"""Languages by name (hub/languages.py, details.html, the model page's chips): "English (en)",
unknown codes as given, a list that collapses past a handful."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_site, card, make_repo
from sitegen.data import table
from sitegen.hub.languages import SHOWN, language_name, languages


@pytest.mark.parametrize("code, name", [
    ("en", "English"), ("fr", "French"), ("el", "Greek"), ("ms", "Malay"), ("yue", "Cantonese"),
    ("ckb", "Central Kurdish"), ("pt-BR", "Portuguese"), ("zh_Hans", "Chinese"), ("EN", "English"),
    ("abe", "Western Abnaki"),  # not in our table: the lint's ISO table names it
    ("multilingual", ""), ("code", ""), ("xx", ""), ("", ""), ("<b>", ""),
])
def test_codes_get_names(code: str, name: str) -> None:
    assert language_name(code) == name


def test_the_table_has_every_iso_639_1_code_once() -> None:
    rows = [line.split("\t") for line in table("language_names.txt").splitlines()
            if line and not line.startswith("#")]
    assert all(len(row) == 2 and row[1].strip() == row[1] and row[1] for row in rows)
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes))
    two_letter = {c for c in codes if len(c) == 2}
    assert len(two_letter) >= 184
    iso = {line.split("\t")[0] for line in table("languages.txt").splitlines()}
    assert set(codes) - iso <= {"sh", "ajp"}, set(codes) - iso  # real codes (these two retired, still met)


def details(html: str) -> str:
    at = html.index('<dd class="languages" id="languages">')
    return html[at:html.index("</dd>", at)]


def build_with(tmp_path: Path, codes: list[str]) -> str:
    make_repo(tmp_path / "src", "m", card("license: mit\nlanguage:\n" + "".join(f"- '{c}'\n" for c in codes)))
    build_site(tmp_path / "src", tmp_path / "out")
    return (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")


def test_a_few_languages_by_name_with_their_code(tmp_path: Path) -> None:
    html = build_with(tmp_path, ["en", "fr", "zz-unknown"])
    shown = re.sub(r"<[^>]+>", "", details(html))
    assert shown == "English (en), French (fr), zz-unknown"
    assert "<details" not in details(html) and "<dt>Languages</dt>" in html
    chips = re.findall(r'<a class="chip chip-lang"[^>]*title="([^"]*)">([^<]*)</a>', html)
    assert chips == [("All models in English (en)", "English"), ("All models in French (fr)", "French"),
                     ("All models in zz-unknown", "zz-unknown")]
    assert 'href="../../index.html#language=zz-unknown"' in html


def test_one_language_is_singular(tmp_path: Path) -> None:
    html = build_with(tmp_path, ["de"])
    assert "<dt>Language</dt>" in html and "German <span class=\"muted\">(de)</span>" in html


def test_many_languages_collapse_into_a_details_and_the_chips_into_a_count(tmp_path: Path) -> None:
    codes = ["multilingual"] + [line.split("\t")[0] for line in table("language_names.txt").splitlines()
                                if line and not line.startswith("#")][:99]
    html = build_with(tmp_path, codes)
    listed = details(html)
    visible, hidden = listed.split("<details", 1)
    assert visible.count("(") == SHOWN - 1 and "multilingual" in visible  # the unknown one as given
    assert f'<summary><span class="if-closed">+{100 - SHOWN} more</span>' in hidden
    assert all(f"({c})" in hidden for c in codes[SHOWN:])  # every one reachable without JavaScript
    assert html.count('class="chip chip-lang"') == 3
    assert '<a class="chip chip-plain chip-more" href="#languages"' in html and ">+97 languages</a>" in html


def test_seven_or_eight_languages_are_not_collapsed(tmp_path: Path) -> None:
    html = build_with(tmp_path, ["en", "fr", "de", "es", "it", "pt", "nl", "pl"])
    assert "<details" not in details(html) and "Polish (pl)" in re.sub(r"<[^>]+>", "", details(html))


def test_hostile_codes_are_escaped(tmp_path: Path) -> None:
    html = build_with(tmp_path, ["<script>alert(1)</script>", '"><img src=x>'])
    assert "<script>alert" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in details(html)
