"""What the page shows beside the card (metadata.py and its templates), on real temp repos:
model tree relation and links, license, CO2, gating, not-for-all-audiences, papers, and the
--show-checks panel."""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from conftest import Built, build_site, card, formatted, make_repo, png_bytes
from sitegen.resolve import ModelPage


def build(tmp_path: Path, repos: dict[str, tuple[str, dict[str, str | bytes] | None]],
          **options: object) -> Built:
    """Build `{id: (readme, files)}` from tmp_path/src into tmp_path/out."""
    for repo_id, (readme, files) in repos.items():
        make_repo(tmp_path / "src", repo_id, readme, files)
    return build_site(tmp_path / "src", tmp_path / "out", **options)


def model(result: Built, repo_id: str) -> ModelPage:
    return next(m for m in result.model_pages if m.id == repo_id)


def page(tmp_path: Path, repo_id: str) -> str:
    return (tmp_path / "out/models" / repo_id / "index.html").read_text(encoding="utf-8")


def between(html: str, start: str, end: str) -> str:
    """The text from `start` up to the first `end` after it."""
    at = html.index(start)
    return html[at:html.index(end, at + len(start))]


def details(html: str) -> str:
    return between(html, 'id="details-title"', "</section>")


def derived(html: str) -> str:
    return between(html, '<details class="derived">', "</details>")


# --- model tree: relation to the base model ---------------------------------------------------

RELATION_CASES = {
    "explicit wins over several bases": (
        "base_model: [a/x, b/y]\nbase_model_relation: adapter", {}, "adapter",
        "from the card's base_model_relation"),
    "explicit wins over gguf files": (
        "base_model: a/x\nbase_model_relation: finetune", {"model.Q4_K_M.gguf": "GGUF"}, "finetune",
        "from the card's base_model_relation"),
    "two bases are a merge": ("base_model:\n- a/x\n- b/y", {}, "merge", "several base models"),
    "adapter_config.json": ("base_model: a/x", {"adapter_config.json": "{}"}, "adapter",
                            "adapter_config.json is present"),
    "a gguf file": ("base_model: a/x", {"weights/model.Q4_K_M.gguf": "GGUF"}, "quantized",
                    "quantized weights or quantization_config"),
    "quantization_config": (
        "base_model: a/x", {"config.json": json.dumps({"quantization_config": {"bits": 4}})},
        "quantized", "quantized weights or quantization_config"),
    "a gguf tag": ("base_model: a/x\ntags: [GGUF]", {}, "quantized", "quantized weights"),
    "a gptq tag": ("base_model: a/x\ntags: [gptq]", {}, "quantized", "quantized weights"),
    "an awq tag": ("base_model: a/x\ntags: [awq]", {}, "quantized", "quantized weights"),
    "plain weights": ("base_model: a/x", {"model.safetensors": "weights"}, "finetune",
                      "one base model and full weights"),
    "unknown relation is inferred": ("base_model: a/x\nbase_model_relation: merged",
                                     {"adapter_config.json": "{}"}, "adapter",
                                     "adapter_config.json is present"),
}


@pytest.mark.parametrize("meta,files,relation,reason", RELATION_CASES.values(), ids=RELATION_CASES)
def test_relation_to_base_model(tmp_path: Path, meta: str, files: dict[str, str | bytes], relation: str,
                                reason: str) -> None:
    result = build(tmp_path, {"org/m": (card(meta), files)})
    m = model(result, "org/m")
    assert m.meta.relation == relation and m.meta.relation_reason.startswith(reason)
    note = derived(page(tmp_path, "org/m"))
    assert f"Relation to the base model: {relation}, {m.meta.relation_reason}" in note.replace("&#39;", "'")
    assert f'<span class="chip chip-plain" title="{m.meta.relation_reason}">{relation}</span>' \
        in details(page(tmp_path, "org/m")).replace("&#39;", "'")


def test_no_base_model_no_relation(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("license: mit"), {"adapter_config.json": "{}"})})
    assert (model(result, "m").meta.relation, model(result, "m").meta.relation_reason) == ("", "")
    html = page(tmp_path, "m")
    assert "Relation to the base model" not in html and "Base model" not in html


def test_unknown_relation_is_linted(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("base_model: a/x\nbase_model_relation: merged"), None)})
    hits = [d for d in formatted(result) if "base_model_relation" in d]
    assert len(hits) == 1 and "README.md:3: warning:" in hits[0] and "did you mean merge?" in hits[0]


def test_base_model_links_in_site_only(tmp_path: Path) -> None:
    result = build(tmp_path, {
        "acme/base": (card("license: mit"), None),
        "acme/child": (card("base_model: [acme/base, elsewhere/other]"), None),
    })
    bases = model(result, "acme/child").meta.base_models
    assert [(b.text, b.path) for b in bases] == [("acme/base", "models/acme/base/index.html"),
                                                 ("elsewhere/other", "")]
    dl = details(page(tmp_path, "acme/child"))
    assert "<dt>Base models</dt>" in dl
    assert '<a href="../../../models/acme/base/index.html">acme/base</a>' in dl
    assert "elsewhere/other" in dl and 'href="../../../models/elsewhere' not in dl
    # outside the site: its page on the Hub (issue 16), never a page of the site
    assert re.search(r'<a class="hub-link" href="https://huggingface.co/elsewhere/other"[^>]*>elsewhere/other</a>', dl)
    # the link works: it names a page that was written
    assert (tmp_path / "out/models/acme/base/index.html").is_file()


def test_new_version_banner_links_in_site(tmp_path: Path) -> None:
    build(tmp_path, {
        "acme/v1": (card("new_version: acme/v2"), None),
        "acme/v2": (card("license: mit"), None),
        "acme/old": (card("new_version: other/newer"), None),
    })
    banner = between(page(tmp_path, "acme/v1"), '<p class="banner banner-info"', "</p>")
    assert "A newer version of this model is available" in banner
    assert '<a href="../../../models/acme/v2/index.html">acme/v2</a>' in banner
    outside = between(page(tmp_path, "acme/old"), '<p class="banner banner-info"', "</p>")
    assert "other/newer" in outside and 'href="https://huggingface.co/other/newer"' in outside  # the Hub's page
    assert "banner-info" not in page(tmp_path, "acme/v2")


# --- license ----------------------------------------------------------------------------------

def test_license_other_links_the_repo_license_file(tmp_path: Path) -> None:
    text = "ACME model license 1.0\n\nYou may use this model for good.\n"
    result = build(tmp_path, {"m": (card(
        "license: other\nlicense_name: acme-license-1.0\nlicense_link: LICENSE"), {"LICENSE": text})})
    link = model(result, "m").meta.license_link
    assert link is not None and link.url == "blob/LICENSE.html"  # its viewer page, as on the Hub
    viewer = (tmp_path / "out/models/m" / link.url).read_text(encoding="utf-8")
    raw = re.search(r'class="file-raw" href="[./]*(models/m/files/LICENSE\.[0-9a-f]{8}\.txt)"', viewer)
    assert raw and (tmp_path / "out" / raw.group(1)).read_text(encoding="utf-8") == text  # and the file, as text
    html = page(tmp_path, "m")
    assert f'<dt>License</dt><dd><a href="{link.url}">acme-license-1.0</a></dd>' in details(html)
    assert "License: acme-license-1.0" in html  # the chip names the license, not "other"
    assert not [d for d in formatted(result) if "license" in d]


def test_license_https_link_is_kept(tmp_path: Path) -> None:
    url = "https://example.org/licenses/acme-1.0.html"
    result = build(tmp_path, {"m": (card(
        f"license: other\nlicense_name: acme-1.0\nlicense_link: {url}"), None)})
    link = model(result, "m").meta.license_link
    assert link is not None and link.url == url
    assert f'<a href="{url}" rel="nofollow noopener noreferrer">acme-1.0</a>' in details(page(tmp_path, "m"))
    assert not (tmp_path / "out/models/m/files").exists()


def test_license_link_to_a_missing_file_shows_the_name_unlinked(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card(
        "license: other\nlicense_name: acme-1.0\nlicense_link: LICENSE.md"), None)})
    dl = details(page(tmp_path, "m"))
    assert "<dt>License</dt><dd>acme-1.0</dd>" in dl
    hits = [d for d in formatted(result) if "license_link" in d]
    assert len(hits) == 1 and "'LICENSE.md' is neither an http(s) URL nor a file in the repo" in hits[0]


def test_known_license_with_a_name_shows_both(tmp_path: Path) -> None:
    build(tmp_path, {"m": (card("license: apache-2.0\nlicense_name: Apache License 2.0"), None)})
    assert "<dd>Apache License 2.0 <span class=\"muted\">(apache-2.0)</span></dd>" in details(page(tmp_path, "m"))


# --- CO2, gating ------------------------------------------------------------------------------

def test_co2_as_a_number(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("co2_eq_emissions: 149.2"), None)})
    emissions = model(result, "m").meta.emissions
    assert emissions is not None and emissions.grams == "149.2" and emissions.source == ""
    assert "<dt>CO₂ emitted</dt><dd>149.2 g</dd>" in details(page(tmp_path, "m"))


def test_co2_as_a_mapping(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("""
co2_eq_emissions:
  emissions: 12.5
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Paris, France
  hardware_used: 1 x A100
"""), None)})
    emissions = model(result, "m").meta.emissions
    assert emissions is not None
    assert (emissions.grams, emissions.source, emissions.training_type, emissions.location,
            emissions.hardware) == ("12.5", "CodeCarbon", "fine-tuning", "Paris, France", "1 x A100")
    co2 = between(details(page(tmp_path, "m")), "<dt>CO₂ emitted</dt>", "</dd>")
    assert "12.5 g" in co2
    for shown in ("source: CodeCarbon", "training: fine-tuning", "location: Paris, France",
                  "hardware: 1 x A100"):
        assert shown in co2


@pytest.mark.parametrize("value", ["true", "{source: CodeCarbon}", "[1, 2]"])
def test_co2_of_the_wrong_shape_is_reported_and_left_out(tmp_path: Path, value: str) -> None:
    result = build(tmp_path, {"m": (card(f"license: mit\nco2_eq_emissions: {value}"), None)})
    assert model(result, "m").meta.emissions is None
    assert "CO₂" not in page(tmp_path, "m")
    hits = [d for d in formatted(result) if "co2_eq_emissions" in d]
    assert len(hits) == 1 and "README.md:3: warning: co2_eq_emissions: expected grams of CO2" in hits[0]


def test_gated_notice(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("""
extra_gated_heading: Request access to ACME-7B
extra_gated_prompt: You agree to share your contact information.
extra_gated_fields:
  Company: text
  Country: country
  I agree to the terms: checkbox
"""), None)})
    gate = model(result, "m").meta.gate
    assert gate is not None and gate.fields == ("Company", "Country", "I agree to the terms")
    notice = between(page(tmp_path, "m"), '<aside class="banner banner-gate"', "</aside>")
    assert "<strong>Request access to ACME-7B.</strong>" in notice
    assert "You agree to share your contact information." in notice
    assert "The Hub asks for: Company, Country, I agree to the terms." in notice


def test_gated_notice_without_heading_has_a_default_one(tmp_path: Path) -> None:
    build(tmp_path, {"m": (card("extra_gated_prompt: Tell us who you are."), None),
                     "open": (card("license: mit"), None)})
    notice = between(page(tmp_path, "m"), '<aside class="banner banner-gate"', "</aside>")
    assert "Access to this model is gated on the Hub." in notice
    assert "Tell us who you are." in notice and "The Hub asks for" not in notice
    assert "banner-gate" not in page(tmp_path, "open")


# --- not for all audiences --------------------------------------------------------------------

ADULT = card("""
pipeline_tag: text-classification
tags: [not-for-all-audiences]
widget:
- text: WIDGETSECRET input
  output:
  - label: CARDLABEL
    score: 0.9
""", "# Spicy model\n\nBODYSECRET first sentence of the card. More text.\n")


def test_adult_card_and_widget_are_behind_a_closed_details(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (ADULT, None)})
    assert model(result, "m").meta.adult
    html = page(tmp_path, "m")
    gate = between(html, '<details class="adult-gate">', "</main>")
    assert html.count('class="adult-gate"') == 1
    assert re.search(r'<details class="adult-gate"\s*>', html)  # closed: no open attribute
    summary = between(gate, "<summary>", "</summary>")
    assert "not for all audiences" in summary
    for secret in ("BODYSECRET", "WIDGETSECRET", "CARDLABEL", "Spicy"):
        assert secret not in summary
        assert secret in gate.split("</summary>", 1)[1]  # the card and widget are inside
    assert gate.rstrip().endswith("</details>")
    outside = html[:html.index('<details class="adult-gate">')] + html[html.index("</main>"):]
    for secret in ("BODYSECRET", "WIDGETSECRET", "CARDLABEL", "Spicy"):
        assert secret not in outside  # not before the gate, not even in <meta name="description">


def test_other_models_have_no_adult_gate(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("tags: [nlp]"), None)})
    assert not model(result, "m").meta.adult
    assert "adult-gate" not in page(tmp_path, "m")


def test_adult_model_thumbnail_not_on_the_index(tmp_path: Path) -> None:
    build(tmp_path, {"m": (card("""
pipeline_tag: text-to-image
tags: [not-for-all-audiences]
widget:
- text: something
  output:
    url: out.png
"""), {"out.png": png_bytes()})})
    index = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "card-thumb" not in index
    assert "models/m/files/" not in index and "models/m/thumbs/" not in index


def test_adult_model_summary_not_on_the_index(tmp_path: Path) -> None:
    build(tmp_path, {"m": (ADULT, None)})
    index = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "BODYSECRET" not in index


# --- papers -----------------------------------------------------------------------------------

def test_arxiv_papers_deduplicated_without_version(tmp_path: Path) -> None:
    body = ("# M\n\nBased on [LoRA](https://arxiv.org/abs/2106.09685v2) and the PDF "
            "https://arxiv.org/pdf/2106.09685 and [BERT](https://arxiv.org/abs/1810.04805).\n\n"
            "Again: <https://arxiv.org/abs/2106.09685v1>.\n")
    result = build(tmp_path, {"m": (card("license: mit", body), None)})
    assert model(result, "m").meta.papers == ("2106.09685", "1810.04805")
    dl = details(page(tmp_path, "m"))
    assert ('<dt>Papers</dt><dd><a href="https://arxiv.org/abs/2106.09685" rel="nofollow noopener '
            'noreferrer">arXiv:2106.09685</a>, <a href="https://arxiv.org/abs/1810.04805" '
            'rel="nofollow noopener noreferrer">arXiv:1810.04805</a></dd>') in dl
    assert "2106.09685v" not in dl


def test_no_papers_no_papers_row(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (card("license: mit", "# M\n\nSee arxiv for nothing.\n"), None)})
    assert model(result, "m").meta.papers == ()
    assert "<dt>Papers</dt>" not in page(tmp_path, "m")


# --- --show-checks ----------------------------------------------------------------------------

CHECKED = card("""
license: apache2
language: [en, English]
base_model: https://huggingface.co/acme/base
""")


def checks_panel(html: str) -> str:
    return between(html, '<section class="panel checks"', "</section>")


def test_show_checks_lists_diagnostics_with_line_and_key(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (CHECKED, None)}, show_checks=True)
    checks = model(result, "m").checks
    assert [(d.line, d.key) for d in checks] == [(2, "license"), (3, "language[1]"), (4, "base_model")]
    panel = checks_panel(page(tmp_path, "m"))
    assert 'Checks on this card <span class="muted">3</span>' in panel
    items = re.findall(r'<li class="check check-(\w+)">(.*?)</li>', panel, re.DOTALL)
    assert len(items) == 3
    assert all(level == "warning" for level, _ in items)
    assert "line 2 · <code>license</code>" in items[0][1] and "did you mean apache-2.0?" in items[0][1]
    assert "line 3 · <code>language[1]</code>" in items[1][1]
    assert "line 4 · <code>base_model</code>" in items[2][1] and "write the id acme/base" in items[2][1]


def test_without_show_checks_there_is_no_panel(tmp_path: Path) -> None:
    result = build(tmp_path, {"m": (CHECKED, None)})
    assert model(result, "m").checks == ()
    assert len(formatted(result)) == 3  # the problems are still reported
    html = page(tmp_path, "m")
    assert "panel checks" not in html and "Checks on this card" not in html


def test_clean_card_with_show_checks_has_no_panel(tmp_path: Path) -> None:
    build(tmp_path, {"m": (card("license: mit"), None)}, show_checks=True)
    assert "panel checks" not in page(tmp_path, "m")


def test_check_output_and_panel_agree(tmp_path: Path, run_cli) -> None:
    src = tmp_path / "src"
    make_repo(src, "m", CHECKED + "\n![missing](nope.png)\n")
    make_repo(src, "ok", card("license: mit"))
    built = run_cli(["build", src, "-o", tmp_path / "out", "--show-checks"])
    checked = run_cli(["check", src])
    assert built.code == checked.code == 0
    readme = str(src / "m" / "README.md")
    listed = [line for line in checked.out.splitlines() if line.startswith(readme + ":")]
    assert len(listed) == 4
    panel = checks_panel(page(tmp_path, "m"))
    items = re.findall(r'<li class="check check-(\w+)"><span class="check-level">\w+</span> '
                       r'<span class="check-where">line (\d+)(?: · <code>(.*?)</code>)?</span> (.*?)</li>',
                       panel, re.DOTALL)
    shown = [f"{readme}:{line}: {level}: {unescape(key) + ': ' if key else ''}{unescape(message)}"
             for level, line, key, message in items]
    assert shown == listed
    assert "panel checks" not in page(tmp_path, "ok")


def test_show_checks_names_the_file_of_a_diagnostic_outside_the_card(tmp_path: Path) -> None:
    build(tmp_path, {"m": (card("license: mit"), {".eval_results/x.yaml": "- dataset: {id: a\n  value: 1\n"})},
          show_checks=True)
    panel = checks_panel(page(tmp_path, "m"))
    assert "invalid YAML" in panel
    assert ".eval_results/x.yaml" in panel
