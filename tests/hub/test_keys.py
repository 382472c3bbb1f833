"""The table of card keys and the near-miss finder: spellings, plurals, -/_, typos, no guesses."""
from __future__ import annotations

import pytest

from sitegen.hub.keys import ALIASES, BREAKS, INDEX, KEYS, TOP, check_keys, distance, near


def test_table_has_its_source_and_the_keys_of_the_spec() -> None:
    assert "hub-repos.md" in KEYS["source"] and "hub-widgets.md" in KEYS["source"]
    assert {"license", "pipeline_tag", "datasets", "model-index", "widget", "inference",
            "base_model_relation", "new_version", "co2_eq_emissions", "gated"} <= TOP
    assert {"verifyToken", "verified"} <= set(INDEX["metric"]) and "url" in INDEX["source"]
    assert set(ALIASES.values()) <= TOP and set(BREAKS) <= TOP


def test_distance_counts_a_swap_as_one() -> None:
    assert distance("tpye", "type") == 1
    assert distance("pipline_tag", "pipeline_tag") == 1
    assert distance("liscense", "license") == 1 and distance("lisence", "license") == 2
    assert distance("", "abc") == 3


@pytest.mark.parametrize("key, meant", [
    ("licence", "license"), ("Licence_Link", "license_link"), ("pipline_tag", "pipeline_tag"),
    ("pipeline-tag", "pipeline_tag"), ("dataset", "datasets"), ("languages", "language"),
    ("model_index", "model-index"), ("library_tag", "library_name"), ("Tags", "tags"),
    ("basemodel", "base_model")])
def test_near_misses_of_top_keys(key: str, meant: str) -> None:
    assert near(key, TOP) == meant


@pytest.mark.parametrize("key", ["quantized_by", "model_creator", "foo", "ab", "training_hours", "pinned"])
def test_no_guess_when_nothing_is_close(key: str) -> None:
    assert near(key, TOP) is None


def test_levels_and_what_each_says() -> None:
    said: list[tuple[str, str, str]] = []
    check_keys({"licence": "mit", "license_x": 1, "extra_gated_prompt": "hi", "extra-gated-fields": {},
                "widget": [{"text": "a", "exemple_title": "b", "unheard_of": 1}],
                "model-index": [{"name": "m", "resluts": []}]},
               lambda key, msg, level="warning", line_of="": said.append((key, level, msg)))
    by_key = {k: (lvl, m) for k, lvl, m in said}
    assert by_key["licence"][0] == "warning" and "this model would have no license" in by_key["licence"][1]
    assert "did you mean extra_gated_fields?" in by_key["extra-gated-fields"][1]
    assert "widget[0].exemple_title" in by_key and "widget[0].unheard_of" not in by_key  # the widget's note
    assert "did you mean results?" in by_key["model-index[0].resluts"][1]
    assert "extra_gated_prompt" not in by_key
    assert by_key["license_x"][0] == "warning"  # license_x is one edit from license
