"""sitegen.hub.infer: one small repo per rule of spec/hub-widgets.md section 1, with its reason."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import card, make_repo
from sitegen.load.discover import RepoDir
from sitegen.data import DATA
from sitegen.hub.infer import Decision, Inference, infer
from sitegen.load.repo import load_repo
from sitegen.report import Report
from sitegen.hub.tasks import RETIRED, TASKS


def inferred(tmp_path: Path, meta: str | None = None, files: dict[str, str | bytes] | None = None) -> Inference:
    """Infer a repo made of a card with `meta` as front matter (None: no README) and files."""
    name = f"model{len(list(tmp_path.iterdir()))}"  # a fresh folder per call
    root = make_repo(tmp_path, name, card(meta) if meta is not None else None, files)
    return infer(load_repo(RepoDir("acme/model", root, str(root)), Report()))


def config(*architectures: object, **more: object) -> str:
    return json.dumps({"architectures": list(architectures), **more})


# --- task precedence --------------------------------------------------------------------------

def test_pipeline_tag_wins_over_architecture(tmp_path: Path) -> None:
    got = inferred(tmp_path, "pipeline_tag: fill-mask", {"config.json": config("BertForSequenceClassification")})
    assert (got.task.value, got.task.source) == ("fill-mask", "from the card's pipeline_tag")


def test_architecture_lookup(tmp_path: Path) -> None:
    got = inferred(tmp_path, "license: mit", {"config.json": config("BertForSequenceClassification")})
    assert got.task.value == "text-classification"
    assert got.task.source == "from config.json architectures[0] BertForSequenceClassification"
    assert got.library.value == "transformers"


@pytest.mark.parametrize("arch, task", [
    ("Wav2Vec2ForSequenceClassification", "audio-classification"),  # not text-classification
    ("LayoutLMv3ForQuestionAnswering", "document-question-answering"),
    ("OwlViTForObjectDetection", "zero-shot-object-detection"),
    ("WhisperForConditionalGeneration", "automatic-speech-recognition"),
    ("LlavaForConditionalGeneration", "image-text-to-text"),
    ("CLIPModel", "zero-shot-image-classification"),
    ("TFBertForQuestionAnswering", "question-answering"),  # TF classes of the old release
    ("QDQBertForMaskedLM", "fill-mask"),  # a class only transformers 4.17 has
])
def test_architecture_table_resolves_ambiguous_class_names(tmp_path: Path, arch: str, task: str) -> None:
    assert inferred(tmp_path, None, {"config.json": config(arch)}).task.value == task


def test_only_the_first_architecture_counts(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"config.json": config("BertForMaskedLM", "BertForSequenceClassification")})
    assert got.task.value == "fill-mask"


def test_auto_map_of_custom_code(tmp_path: Path) -> None:
    auto_map = {"AutoConfig": "configuration_my.MyConfig", "AutoModel": "modeling_my.MyModel",
                "AutoModelForCausalLM": "modeling_my.MyForCausalLMish"}
    got = inferred(tmp_path, None, {"config.json": config("MyModel", auto_map=auto_map)})
    assert (got.task.value, got.task.source) == ("feature-extraction", "from config.json auto_map AutoModel")
    got = inferred(tmp_path, None, {"config.json": config("Custom", auto_map=auto_map)})
    assert (got.task.value, got.task.source) == ("text-generation", "from config.json auto_map AutoModelForCausalLM")


def test_suffix_fallback_only_for_unambiguous_endings(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"config.json": config("MyOwnForMaskedLM")})
    assert got.task.value == "fill-mask"
    assert got.task.source == "from config.json architectures[0] MyOwnForMaskedLM (ends in ForMaskedLM)"
    # ForSequenceClassification is text or audio depending on the model: no guess
    assert inferred(tmp_path, None, {"config.json": config("MyOwnForSequenceClassification")}).task.value == ""


def test_tags_in_the_hubs_order(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [fill-mask, my-tag, text-classification]")
    assert (got.task.value, got.task.source) == ("text-classification", "from the tag text-classification")
    assert got.library.value == ""


def test_architecture_wins_over_a_tag(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [token-classification]", {"config.json": config("BertForSequenceClassification")})
    assert got.task.value == "text-classification"


def test_tag_refines_a_generic_architecture(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [translation]", {"config.json": config("MarianMTModel")})
    assert got.task.value == "translation"
    assert got.task.source == ("from the tag translation, which refines text2text-generation "
                               "from config.json architectures[0] MarianMTModel")
    assert got.tags == ()
    got = inferred(tmp_path, "tags: [summarization]", {"config.json": config("T5Model")})
    assert got.task.value == "summarization"


def test_architecture_is_read_for_transformers_only(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [sentence-transformers, sentence-similarity]",
                   {"config.json": config("BertModel")})
    assert (got.library.value, got.task.value) == ("sentence-transformers", "sentence-similarity")


def test_no_task(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [my-tag]")
    assert got.task.value == ""
    assert got.task.source == "no pipeline_tag, no known architecture and no tag names a task"


def test_architecture_that_is_not_a_hub_task(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"config.json": config("BertForPreTraining")})
    assert got.task.value == ""
    assert got.task.source == ("no pipeline_tag, architecture BertForPreTraining gives pretraining "
                               "(not a Hub task) and no tag names a task")
    got = inferred(tmp_path, "tags: [fill-mask]", {"config.json": config("BertForPreTraining")})
    assert (got.task.value, got.task.source) == ("fill-mask", "from the tag fill-mask")


def test_unknown_pipeline_tag_falls_through(tmp_path: Path) -> None:
    got = inferred(tmp_path, "pipeline_tag: speech-segmentation\ntags: [audio-classification]")
    assert got.task.value == "audio-classification"
    got = inferred(tmp_path, "pipeline_tag: speech-segmentation")
    assert got.task.source.startswith("pipeline_tag 'speech-segmentation' is not a Hub task")


# --- retired names ------------------------------------------------------------------------------

def test_retired_text2text_pipeline_tag(tmp_path: Path) -> None:
    got = inferred(tmp_path, "pipeline_tag: text2text-generation")
    assert got.task == Decision(
        "text-generation", "from the card's pipeline_tag text2text-generation (retired name, now text-generation)")
    assert got.tags == ("text2text-generation",)
    assert not got.chat


def test_retired_conversational_pipeline_tag(tmp_path: Path) -> None:
    got = inferred(tmp_path, "pipeline_tag: conversational")
    assert got.task.value == "text-generation"
    assert got.tags == ("conversational",)
    assert got.chat


def test_text2text_architecture_is_text_generation(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"config.json": config("T5ForConditionalGeneration")})
    assert got.task.value == "text-generation"
    assert got.task.source == ("from config.json architectures[0] T5ForConditionalGeneration "
                               "(text2text-generation, now text-generation)")
    assert got.tags == ("text2text-generation",)


def test_retired_name_as_a_tag(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [conversational]", {"config.json": "{}"})
    assert got.task.value == "text-generation"
    assert got.task.source == "from the tag conversational (retired name, now text-generation)"
    assert got.chat and got.tags == ()


# --- task_specific_params -----------------------------------------------------------------------

def test_task_specific_params_become_tags_not_the_task(tmp_path: Path) -> None:
    params: dict[str, dict[str, str]] = {
        "summarization": {}, "translation_en_to_de": {}, "translation_en_to_fr": {}, "my_own": {}}
    got = inferred(tmp_path, "tags: [summarization]",
                   {"config.json": config("T5ForConditionalGeneration", task_specific_params=params)})
    assert got.task.value == "summarization"  # the card's tag refines text2text-generation
    assert got.tags == ("translation",)
    got = inferred(tmp_path, None, {"config.json": config("T5ForConditionalGeneration", task_specific_params=params)})
    assert got.task.value == "text-generation"
    assert got.tags == ("text2text-generation", "summarization", "translation")


# --- the conversational switch ------------------------------------------------------------------

TEMPLATE = "{% for m in messages %}{{ m['content'] }}{% endfor %}"


@pytest.mark.parametrize("path, content", [
    ("tokenizer_config.json", json.dumps({"chat_template": TEMPLATE})),
    ("tokenizer_config.json", json.dumps({"chat_template": [{"name": "default", "template": TEMPLATE}]})),
    ("chat_template.jinja", TEMPLATE),
    ("chat_template.json", json.dumps({"chat_template": TEMPLATE})),
    ("processor_config.json", json.dumps({"chat_template": TEMPLATE})),
])
def test_chat_template_makes_a_chat_model(tmp_path: Path, path: str, content: str) -> None:
    got = inferred(tmp_path, None, {"config.json": config("LlamaForCausalLM"), path: content})
    assert got.task.value == "text-generation"
    assert got.tags == ("conversational",)
    assert got.chat


def test_chat_for_image_text_to_text(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"config.json": config("LlavaForConditionalGeneration"),
                                    "chat_template.json": json.dumps({"chat_template": TEMPLATE})})
    assert got.task.value == "image-text-to-text" and got.chat


def test_conversational_tag_makes_a_chat_model(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: [conversational]", {"config.json": config("GPT2LMHeadModel")})
    assert got.chat and got.tags == ()


@pytest.mark.parametrize("content", [
    json.dumps({"chat_template": ""}), json.dumps({"chat_template": 3}), "{broken", "[1, 2]",
    b"\xff\xfe{}", json.dumps({"other": TEMPLATE}),
])
def test_no_chat_template(tmp_path: Path, content: str | bytes) -> None:
    got = inferred(tmp_path, None, {"config.json": config("GPT2LMHeadModel"), "tokenizer_config.json": content,
                                    "chat_template.jinja": "  \n"})
    assert (got.tags, got.chat) == ((), False)


def test_oversized_template_file_is_not_read(tmp_path: Path) -> None:
    big = json.dumps({"chat_template": TEMPLATE, "pad": "x" * (1024 * 1024)})
    got = inferred(tmp_path, None, {"config.json": config("GPT2LMHeadModel"), "tokenizer_config.json": big})
    assert not got.chat


def test_template_on_a_task_without_chat(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"config.json": config("BertForSequenceClassification"),
                                    "chat_template.jinja": TEMPLATE})
    assert got.tags == ("conversational",) and not got.chat


# --- library ------------------------------------------------------------------------------------

@pytest.mark.parametrize("meta, files, library, source", [
    ("library_name: keras", {"config.json": "{}"}, "keras", "from the card's library_name"),
    ("tags: [flair, token-classification]", {"config.json": "{}"}, "flair", "from the tag flair"),
    (None, {"model.nemo": ""}, "nemo", "from the file model.nemo"),
    (None, {"Model.mlmodel": ""}, "coreml", "from the file Model.mlmodel"),
    (None, {"model_index.json": '{"_class_name": "StableDiffusionPipeline"}'}, "diffusers",
     "from the file model_index.json (it holds _class_name)"),
    (None, {"config.json": "{}", "config_sentence_transformers.json": "{}", "modules.json": "[]"},
     "sentence-transformers", "from the file config_sentence_transformers.json"),
    (None, {"adapter_config.json": '{"peft_type": "LORA"}', "adapter_model.safetensors": ""}, "peft",
     "from the file adapter_config.json (it holds peft_type)"),
    (None, {"adapter_config.json": "{}", "pytorch_adapter.bin": ""}, "adapter-transformers",
     "from the files adapter_config.json and pytorch_adapter.bin"),
    (None, {"adapter_config.json": "{}"}, "peft", "from the file adapter_config.json"),
    (None, {"config.json": '{"architecture": "resnet50", "num_classes": 1000}'}, "timm",
     "from the file config.json (it holds architecture)"),
    (None, {"hyperparams.yaml": "a: 1\n"}, "speechbrain", "from the file hyperparams.yaml"),
    (None, {"en_x-any-py3-none-any.whl": "", "config.cfg": ""}, "spacy",
     "from the files en_x-any-py3-none-any.whl and config.cfg"),
    (None, {"meta.yaml": "", "exp/config.yaml": ""}, "espnet", "from the files meta.yaml and exp/config.yaml"),
    (None, {"training.log": "", "loss.tsv": "", "pytorch_model.bin": ""}, "flair",
     "from the files training.log and loss.tsv"),
    (None, {"models/default.zip": ""}, "stanza", "from the file models/default.zip"),
    # the 2022 Hub kept a repo with modules.json and config.json `transformers`
    (None, {"config.json": "{}", "modules.json": "[]"}, "transformers", None),
    (None, {"modules.json": "[]"}, "sentence-transformers", "from the file modules.json"),
    (None, {"config.json": "{}"}, "transformers", None),
    ("tags: [my-tag]", {"weights.bin": ""}, "",
     "no library_name, no tag names a library and no file or config.json shows one"),
])
def test_library(tmp_path: Path, meta: str | None, files: dict[str, str | bytes], library: str,
                 source: str | None) -> None:
    got = inferred(tmp_path, meta, files)
    assert got.library.value == library
    if source:
        assert got.library.source == source
    if library == "transformers":
        assert got.library.source.startswith("from config.json")


def test_library_name_wins_over_tags_and_files(tmp_path: Path) -> None:
    got = inferred(tmp_path, "library_name: timm\ntags: [flair]", {"model.nemo": "", "config.json": "{}"})
    assert got.library.value == "timm"
    got = inferred(tmp_path, "tags: [flair]", {"model.nemo": ""})
    assert got.library.value == "flair"


def test_diffusers_needs_a_class_name(tmp_path: Path) -> None:
    assert inferred(tmp_path, None, {"model_index.json": '{"other": 1}'}).library.value == ""


# --- odd input never raises ---------------------------------------------------------------------

@pytest.mark.parametrize("meta, config_json", [
    ("pipeline_tag: 3", config("BertForMaskedLM")),
    ("pipeline_tag: [text-classification]", "{}"),
    ("pipeline_tag: null\ntags: text-classification", "{}"),
    ("tags: [1, null, {a: b}, [x], '  fill-mask  ']", '{"architectures": "BertForMaskedLM"}'),
    ("tags: {a: b}\nlibrary_name: [x]", '{"architectures": []}'),
    ("library_name: 7", '{"architectures": [3, "BertForMaskedLM"]}'),
    ("widget: 3", '{"architectures": [null], "auto_map": ["AutoModel"], "task_specific_params": [1]}'),
    ("tags: []", '{"auto_map": {"AutoModelForCausalLM": 3, "3": null}, "task_specific_params": {"x": 1}}'),
    ("tags: []", '{"auto_map": {"AutoModelForCausalLM": ["a.B", null]}}'),
    ("tags: []", "[1, 2]"),  # not an object: load_repo warns and drops it
    ("tags: []", '"just a string"'),
])
def test_odd_input_does_not_raise(tmp_path: Path, meta: str, config_json: str) -> None:
    got = inferred(tmp_path, meta, {"config.json": config_json, "tokenizer_config.json": "[",
                                    "chat_template.json": "[]", "processor_config.json": "null",
                                    "model_index.json": "{{", "adapter_config.json": "\x00"})
    assert got.task.value == "" or got.task.value in TASKS
    assert got.task.source and got.library.source
    assert isinstance(got.tags, tuple) and all(isinstance(t, str) for t in got.tags)


def test_no_readme_and_no_config(tmp_path: Path) -> None:
    got = inferred(tmp_path, None, {"weights.safetensors": b""})
    assert (got.task.value, got.library.value, got.tags, got.chat) == ("", "", (), False)


def test_tag_string_instead_of_list(tmp_path: Path) -> None:
    got = inferred(tmp_path, "tags: text-classification")
    assert got.task.value == "text-classification"


# --- the generated data -------------------------------------------------------------------------

def test_data_files_are_sorted_and_name_known_tags() -> None:
    data = json.loads((DATA / "class_tasks.json").read_text(encoding="utf-8"))
    classes = data["classes"]
    assert list(classes) == sorted(classes) and len(classes) > 1500
    not_hub = {"pretraining", "next-sentence-prediction", "audio-frame-classification", "audio-xvector",
               "keypoint-matching"}
    assert set(classes.values()) <= set(TASKS) | set(RETIRED) | not_hub
    assert data["auto_classes"]["AutoModelForCausalLM"] == "text-generation"
    keys = (DATA / "library_keys.txt").read_text(encoding="utf-8").splitlines()
    assert keys == sorted(set(keys)) and {"transformers", "diffusers", "nemo", "flair"} <= set(keys)
