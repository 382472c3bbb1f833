"""Widget examples through resolve_model and build, on real temp repos."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import Resolved, build_site, card, make_repo, png_bytes, resolve_repo
from sitegen.widgets.outputs import Label, Labels, Text
from sitegen.widgets.inputs import Message, Part, Table


def resolved(tmp_path: Path, meta: str, files: dict[str, str | bytes] | None = None,
             name: str = "m") -> Resolved:
    return resolve_repo(make_repo(tmp_path / "src", name, card(meta), files), name)


def examples(r: Resolved) -> list:
    assert r.page is not None and r.page.widget is not None
    return list(r.page.widget.examples)


def test_titles_default_to_example_n(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: text-classification
widget:
- text: one
- text: two
  example_title: Second one
- three
- text: four
  example_title: ""
""")
    assert [e.title for e in examples(r)] == ["Example 1", "Second one", "Example 3", "Example 4"]
    assert [e.input("text") for e in examples(r)] == ["one", "two", "three", "four"]
    assert r.errors == []


def test_groups_keep_first_appearance_order(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: text-classification
widget:
- text: a
  group: Zeta
- text: b
  group: Alpha
- text: c
  group: Zeta
- text: d
  group: Mid
""")
    assert r.page is not None and r.page.widget is not None
    groups = [(name, [e.input("text") for e in exs]) for name, exs in r.page.widget.groups]
    assert groups == [("Zeta", ["a", "c"]), ("Alpha", ["b"]), ("Mid", ["d"])]


def test_no_groups_when_no_example_has_one(tmp_path: Path) -> None:
    r = resolved(tmp_path, "pipeline_tag: text-classification\nwidget:\n- text: a\n- text: b\n")
    assert r.page is not None and r.page.widget is not None
    assert r.page.widget.groups == ()


def test_example_without_output_is_kept(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: text-classification
widget:
- text: no output here
- text: with output
  output:
  - label: POSITIVE
    score: 0.75
""")
    ex = examples(r)
    assert len(ex) == 2
    assert ex[0].output is None and ex[0].raw_output == ""
    assert ex[1].output == Labels((Label("POSITIVE", 0.75),))
    assert r.page is not None and r.page.widget is not None
    assert r.page.widget.with_output == 1
    assert r.errors == []


def test_wrong_shape_output_dropped_others_remain(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: text-classification
widget:
- text: good one
  output:
  - label: a
    score: 0.5
- text: bad one
  output:
  - label: b
    score: 0.2
  - label: c
    score: high
- text: good two
""")
    assert [e.input("text") for e in examples(r)] == ["good one", "good two"]
    assert [e.number for e in examples(r)] == [1, 2]
    assert len(r.errors) == 1
    err = r.errors[0]
    assert err.startswith(f"{tmp_path / 'src/m/README.md'}:13: error: ")
    assert "widget[1].output[1].score: expected a number, got 'high'" in err
    assert "example not shown" in err


def test_missing_required_inputs_reported(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: question-answering
widget:
- text: Where?
  example_title: no context
- text: Where?
  context: In Paris.
- example_title: nothing
""")
    assert [e.input("context") for e in examples(r)] == ["In Paris."]
    assert len(r.errors) == 2
    assert ":4: error: widget[0]: missing context; a question-answering example needs text, context" in r.errors[0]
    assert ":8: error: widget[2]: missing text, context" in r.errors[1]


def test_example_that_is_not_a_mapping(tmp_path: Path) -> None:
    r = resolved(tmp_path, "pipeline_tag: text-classification\nwidget:\n- [a, b]\n- text: ok\n")
    assert [e.input("text") for e in examples(r)] == ["ok"]
    assert ":4: error: widget[0]: expected an example mapping" in r.errors[0]


@pytest.mark.parametrize("src,message", [
    ("../outside.png", "widget[0].src: '..' is not allowed in paths"),
    ("/etc/passwd", "widget[0].src: absolute paths are not allowed"),
    ("samples/../../outside.png", "widget[0].src: '..' is not allowed in paths"),
    ("%2e%2e/outside.png", "widget[0].src: '..' is not allowed in paths"),
    ("samples\\..\\..\\outside.png", "widget[0].src: backslashes are not allowed"),
    ("file:///etc/passwd", "widget[0].src: only http and https URLs are allowed"),
    ("javascript:alert(1)", "widget[0].src: only http and https URLs are allowed"),
    ("link.png", "widget[0].src: 'link.png' leads outside the repo (symlink)"),
    ("samples/missing.png", "widget[0].src: file 'samples/missing.png' is not in the repo"),
])
def test_src_outside_repo_refused(tmp_path: Path, src: str, message: str) -> None:
    (tmp_path / "outside.png").write_bytes(png_bytes())
    root = make_repo(tmp_path / "src", "m", card(f"""
pipeline_tag: image-classification
widget:
- src: '{src}'
- src: samples/ok.png
"""), {"samples/ok.png": png_bytes()})
    os.symlink(tmp_path / "outside.png", root / "link.png")
    r = resolve_repo(root, "m")
    assert len(r.errors) == 1, r.messages
    assert f"README.md:4: error: {message}" in r.errors[0]
    kept = examples(r)
    assert [e.input("src").path for e in kept] == ["samples/ok.png"]
    assert r.page is not None
    # Only ok.png is published (re-encoded, plus its WebP thumbnail), under hashed names.
    assert [re.sub(r"\.[0-9a-f]{8}\.", ".", c.dest) for c in r.page.copies] == [
        "models/m/files/samples/ok.png", "models/m/thumbs/samples/ok.webp"]


def test_symlinked_file_is_not_copied_into_the_site(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    root = make_repo(tmp_path / "src", "m", card("pipeline_tag: image-classification\nwidget:\n- src: s.png\n"))
    os.symlink(secret, root / "s.png")
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == 1
    assert not (tmp_path / "out/models/m/files/s.png").exists()


@pytest.mark.parametrize("value,labels", [
    ('"sports, politics ,  ,cooking"', ("sports", "politics", "cooking")),
    ("[sports, politics]", ("sports", "politics")),
    ("single", ("single",)),
])
def test_candidate_labels(tmp_path: Path, value: str, labels: tuple[str, ...]) -> None:
    r = resolved(tmp_path, f"""
pipeline_tag: zero-shot-classification
widget:
- text: I like pasta
  candidate_labels: {value}
""")
    assert examples(r)[0].input("candidate_labels") == labels
    assert r.errors == []


def test_table_column_dict_and_list_of_rows(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: table-question-answering
widget:
- text: How many stars?
  table:
    Repository: [Transformers, Datasets, Tokenizers]
    Stars: [36542, 4512]
- text: Who is older?
  table:
  - [Name, Age]
  - [Ann, 3]
  - [Bob, null]
  output:
    answer: Ann
    cells: [Ann]
- text: broken
  table: just text
""")
    ex = examples(r)
    assert ex[0].input("table") == Table(("Repository", "Stars"),
                                        (("Transformers", "36542"), ("Datasets", "4512"), ("Tokenizers", "")))
    assert ex[1].input("table") == Table(("Name", "Age"), (("Ann", "3"), ("Bob", "")))
    assert len(ex) == 2
    assert "widget[2].table: expected a table" in r.errors[0]


def test_structured_data_table(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: tabular-classification
widget:
- structured_data:
    fixed_acidity: [7.4, 7.8]
    alcohol: [9.4, 9.8]
  output: [1, 0]
""")
    ex = examples(r)[0]
    assert ex.input("structured_data") == Table(("fixed_acidity", "alcohol"), (("7.4", "9.4"), ("7.8", "9.8")))
    assert r.errors == []


def test_chat_messages(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: image-text-to-text
tags: [conversational]
widget:
- messages:
  - role: system
    content: Be brief.
  - role: user
    content:
    - type: image_url
      image_url:
        url: cat.png
    - type: text
      text: What is this?
  output:
    text: A cat.
- messages:
  - role: user
- messages: not a list
""", {"cat.png": png_bytes()})
    assert r.page is not None and r.page.widget is not None
    assert r.page.widget.task.tag == "conversational"
    ex = examples(r)
    assert len(ex) == 1
    messages = ex[0].input("messages")
    assert messages[0] == Message("system", (Part(text="Be brief."),))
    assert messages[1].role == "user"
    assert messages[1].parts[0].image is not None and re.fullmatch(r"files/cat\.[0-9a-f]{8}\.png", messages[1].parts[0].image.url)
    assert messages[1].parts[1] == Part(text="What is this?")
    assert ex[0].output == Text("A cat.")
    assert len(r.errors) == 2
    assert "widget[1].messages[0]: expected {role, content}" in r.errors[0]
    assert "widget[2].messages: expected a list of {role, content} messages" in r.errors[1]


@pytest.mark.parametrize("tags", ["", "tags: [conversational]"])
def test_text_generation_with_messages_uses_chat_widget(tmp_path: Path, tags: str) -> None:
    make_repo(tmp_path / "src", "m", card(f"""
pipeline_tag: text-generation
{tags}
widget:
- messages:
  - role: user
    content: Say hello, chat model
  output:
    text: Hello from the stored reply
"""))
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == 0
    page = result.model_pages[0]
    assert page.task is not None and page.task.tag == "text-generation"
    assert page.widget is not None and page.widget.task.tag == "conversational"
    html = (tmp_path / "out/models/m/index.html").read_text()
    assert "Chat examples" in html
    assert "Say hello, chat model" in html
    assert "Hello from the stored reply" in html
    assert "bubble-assistant" in html


def test_text_generation_without_messages_uses_text_widget(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: text-generation
widget:
- text: Once upon a time
  output:
    text: there was a model
"""))
    result = build_site(tmp_path / "src", tmp_path / "out")
    page = result.model_pages[0]
    assert page.widget is not None and page.widget.task.tag == "text-generation"
    html = (tmp_path / "out/models/m/index.html").read_text()
    assert "Chat examples" not in html
    assert '<mark class="continuation">there was a model</mark>' in html


def test_widget_without_task_warns(tmp_path: Path) -> None:
    r = resolved(tmp_path, "license: mit\nwidget:\n- text: hello\n")
    assert r.page is not None and r.page.widget is None
    assert any(":3: warning: widget: the card has widget examples but no task" in m for m in r.messages)


def test_unknown_input_key_is_an_info_not_an_error(tmp_path: Path) -> None:
    r = resolved(tmp_path, "pipeline_tag: text-classification\nwidget:\n- text: a\n  src: x.png\n")
    assert r.errors == []
    assert [d.key for d in r.report.items if d.level == "info"] == ["widget[0].src"]
    assert [f.name for f in examples(r)[0].inputs] == ["text"]


def test_sentence_similarity_score_count_must_match(tmp_path: Path) -> None:
    r = resolved(tmp_path, """
pipeline_tag: sentence-similarity
widget:
- source_sentence: a
  sentences: [b, c]
  output: [0.5, 0.25]
- source_sentence: a
  sentences: [b, c, d]
  output: [0.5]
""")
    assert len(examples(r)) == 1
    assert "widget[1].output: expected 3 scores, one per sentence, got 1" in r.errors[0]


def test_bad_example_does_not_stop_the_page(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("""
pipeline_tag: image-classification
widget:
- src: nowhere.png
  example_title: Lost
- src: ok.png
  example_title: Found it
  output:
  - label: tabby cat
    score: 0.9
"""), {"ok.png": png_bytes()})
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == 1
    html = (tmp_path / "out/models/m/index.html").read_text()
    assert "Found it" in html and "tabby cat" in html
    assert "Lost" not in html
    assert len(list((tmp_path / "out/models/m/files").glob("ok.*.png"))) == 1


def test_metadata_and_widget_text_are_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    make_repo(tmp_path / "src", "m", card(f"""
license: '{evil}'
tags: ['{evil}']
pipeline_tag: text-classification
widget:
- text: '{evil} text'
  example_title: '{evil} title'
  group: '{evil} group'
  parameters:
    top_k: '{evil}'
  output:
  - label: '{evil} label'
    score: 0.5
"""))
    result = build_site(tmp_path / "src", tmp_path / "out")
    assert result.report.errors == 0
    for page in ("models/m/index.html", "index.html"):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
    html = (tmp_path / "out/models/m/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; label" in html


def test_model_without_examples_says_so_in_one_line(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("pipeline_tag: image-classification"))  # no defaults
    build_site(tmp_path / "src", tmp_path / "out")
    html = (tmp_path / "out/models/m/index.html").read_text()
    widget = html[html.index('class="panel widget"'):html.index("</section>")]
    assert "This model card has no widget examples." in widget
    assert "with a stored output" not in widget and "<select" not in widget


def test_card_without_widget_gets_default_inputs_in_its_language(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("pipeline_tag: fill-mask\nlanguage: [xx, fr]"),
              {"config.json": '{"model_type": "camembert"}'})
    result = build_site(tmp_path / "src", tmp_path / "out")
    widget = result.model_pages[0].widget
    assert widget is not None and widget.defaults == "fr"
    assert all(e.output is None for e in widget.examples)
    assert "<mask>" in widget.examples[0].input("text")  # camembert's mask token
    html = (tmp_path / "out/models/m/index.html").read_text()
    assert "default inputs (fr)" in html and "No output is stored" not in html


def test_default_inputs_fall_back_to_english_and_use_the_tokenizer_mask(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("pipeline_tag: fill-mask\nlanguage: ja"),
              {"tokenizer_config.json": '{"mask_token": {"content": "[MSK]"}}'})
    widget = build_site(tmp_path / "src", tmp_path / "out").model_pages[0].widget
    assert widget is not None and widget.defaults == "en"
    assert "[MSK]" in widget.examples[0].input("text")


def test_empty_widget_list_gets_no_defaults(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("pipeline_tag: fill-mask\nwidget: []"))
    widget = build_site(tmp_path / "src", tmp_path / "out").model_pages[0].widget
    assert widget is not None and widget.examples == () and widget.defaults == ""


def test_inference_false_and_parameters_in_the_footer(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "a", card("pipeline_tag: summarization\ninference: false\nwidget:\n- text: hi"))
    make_repo(tmp_path / "src", "b", card("pipeline_tag: summarization\ninference:\n  parameters:\n"
                                          "    temperature: 0.7\nwidget:\n- text: hi"))
    build_site(tmp_path / "src", tmp_path / "out")
    a = (tmp_path / "out/models/a/index.html").read_text()
    b = (tmp_path / "out/models/b/index.html").read_text()
    assert "inference: false" in a and "Inference parameters" not in a
    assert "<dt>temperature</dt><dd>0.7</dd>" in b


def test_pages_say_how_many_examples_were_left_out(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "all-bad", card("pipeline_tag: text-classification\nwidget:\n"
                                                 "- text: hi\n  output: {label: x}\n"))
    make_repo(tmp_path / "src", "one-bad", card("pipeline_tag: text-classification\nwidget:\n"
                                                 "- text: hi\n  output: {label: x}\n- text: ok\n"))
    build_site(tmp_path / "src", tmp_path / "out")
    all_bad = (tmp_path / "out/models/all-bad/index.html").read_text()
    one_bad = (tmp_path / "out/models/one-bad/index.html").read_text()
    assert "None of the card's 1 widget example could be shown" in all_bad
    assert "no widget examples" not in all_bad
    assert "1 more example could not be shown" in one_bad


def test_missing_output_file_keeps_the_example_without_its_output(tmp_path: Path) -> None:
    make_repo(tmp_path / "src", "m", card("pipeline_tag: text-to-image\nwidget:\n"
                                          "- text: a lighthouse at dusk\n  output:\n    url: images/gone.png\n"))
    result = build_site(tmp_path / "src", tmp_path / "out")
    (error,) = [d.format() for d in result.report.items if d.level == "error"]
    assert "widget[0].output.url: file 'images/gone.png' is not in the repo; the example is shown without its output" in error
    (example,) = result.model_pages[0].widget.examples
    assert example.output is None and "not in the repo" in example.missing
    html = (tmp_path / "out/models/m/index.html").read_text()
    assert "a lighthouse at dusk" in html and "Image not in the repo" in html
