"""Use this model (sitegen/usage): one small repo per library of spec/hub-repos.md section 6; every
Python snippet is parsed with `ast` and its imports, calls, id and inputs checked, under each
`hub_url` form (the Hub, a mirror, an air-gapped catalog); hostile card text stays a string."""
from __future__ import annotations

import ast
import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import card, make_repo, png_bytes, resolve_repo
from sitegen.usage.facts import auto_class
from sitegen.usage.gguf import choices, quant_label
from sitegen.usage.panel import Snippet
from sitegen.usage.quote import py

HUB = "https://huggingface.co"
MIRROR = "https://hf-mirror.example.org"
ID = "acme/model"


def snippets(tmp_path: Path, meta: str, files: dict[str, str | bytes] | None = None,
             hub_url: str = HUB, repo_id: str = ID) -> list[Snippet]:
    name = f"repo{len(list(tmp_path.iterdir()))}"
    root = make_repo(tmp_path, name, card(meta), files)
    page = resolve_repo(root, repo_id).page
    assert page is not None and page.usage is not None
    return list(page.usage.snippets(hub_url))


@dataclass
class Call:
    name: str  # dotted: "AutoModelForCausalLM.from_pretrained", "pipe.load_lora_weights"
    args: list[Any]
    kwargs: dict[str, Any]


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return type(node).__name__


def _value(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)  # a name or expression: its source


@dataclass
class Parsed:
    tree: ast.Module
    imports: set[str]  # "transformers.pipeline", "torch", ...
    calls: list[Call]
    assigned: dict[str, Any]  # name = literal

    def call(self, name: str) -> Call:
        found = [c for c in self.calls if c.name == name]
        assert found, f"no call of {name} in {[c.name for c in self.calls]}"
        return found[0]


def parse(snippet: Snippet) -> Parsed:
    assert snippet.lang == "python"
    tree = ast.parse(snippet.code)
    imports: set[str] = set()
    calls: list[Call] = []
    assigned: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imports |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Call):
            calls.append(Call(_dotted(node.func), [_value(a) for a in node.args],
                              {k.arg or "**": _value(k.value) for k in node.keywords}))
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = _value(node.value)
    return Parsed(tree, imports, calls, assigned)


def by_label(found: list[Snippet], label: str) -> Snippet:
    matches = [s for s in found if s.label == label]
    assert matches, f"no snippet {label!r} in {[s.label for s in found]}"
    return matches[0]


def check_all_python(found: list[Snippet]) -> None:
    for s in found:
        if s.lang == "python":
            parse(s)
        else:
            for line in s.code.splitlines():
                if line and not line.startswith("#"):
                    shlex.split(line, comments=True)


# --- transformers -------------------------------------------------------------------------------

CHAT_TEMPLATE = json.dumps({"chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"})
CAUSAL = json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"})


def test_transformers_pipeline_and_auto_class(tmp_path: Path) -> None:
    found = snippets(tmp_path, "pipeline_tag: question-answering\nwidget:\n- text: Who?\n  context: Ada did.",
                     {"config.json": json.dumps({"architectures": ["BertForQuestionAnswering"]})})
    assert [s.library for s in found] == ["transformers", "transformers"]
    pipe = parse(by_label(found, "pipeline"))
    assert "transformers.pipeline" in pipe.imports
    assert pipe.call("pipeline").args == ["question-answering"]
    assert pipe.call("pipeline").kwargs == {"model": ID}
    assert pipe.call("pipe").kwargs == {"question": "Who?", "context": "Ada did."}
    auto = parse(by_label(found, "Auto class"))
    assert {"transformers.AutoTokenizer", "transformers.AutoModelForQuestionAnswering"} <= auto.imports
    assert auto.call("AutoTokenizer.from_pretrained").args == [ID]
    load = auto.call("AutoModelForQuestionAnswering.from_pretrained")
    assert load.args == [ID] and load.kwargs == {"device_map": "auto"}


def test_chat_model_gets_messages_and_the_chat_template_calls(tmp_path: Path) -> None:
    found = snippets(tmp_path, "pipeline_tag: text-generation\nlibrary_name: transformers\nwidget:\n"
                     "- messages:\n  - role: user\n    content: Name three rivers.",
                     {"config.json": CAUSAL, "tokenizer_config.json": CHAT_TEMPLATE})
    pipe = parse(by_label(found, "pipeline"))
    messages = [{"role": "user", "content": "Name three rivers."}]
    assert pipe.assigned["messages"] == messages
    assert pipe.call("pipe").args == ["messages"]
    auto = parse(by_label(found, "Auto class"))
    assert auto.assigned["messages"] == messages
    template = auto.call("tokenizer.apply_chat_template")
    assert template.args == ["messages"]
    assert template.kwargs == {"add_generation_prompt": True, "tokenize": True, "return_dict": True,
                               "return_tensors": "pt"}
    assert auto.call("model.generate").kwargs == {"**": "inputs", "max_new_tokens": 40}
    assert auto.call("AutoModelForCausalLM.from_pretrained").kwargs == {"device_map": "auto"}


def test_image_text_to_text_pipeline_takes_text_messages(tmp_path: Path) -> None:
    found = snippets(tmp_path, "pipeline_tag: image-text-to-text\ntags: [conversational]\nwidget:\n"
                     "- text: What is shown?\n  src: https://example.com/cat.png",
                     {"config.json": json.dumps({"architectures": ["LlavaForConditionalGeneration"]})})
    pipe = parse(by_label(found, "pipeline"))
    assert pipe.call("pipe").kwargs == {"text": "messages"}
    assert pipe.assigned["messages"] == [{"role": "user", "content": [
        {"type": "image", "url": "https://example.com/cat.png"}, {"type": "text", "text": "What is shown?"}]}]
    assert "transformers.AutoProcessor" in parse(by_label(found, "Auto class")).imports


def test_custom_code_trusts_remote_code_and_loads_its_auto_map_class(tmp_path: Path) -> None:
    config = {"architectures": ["OddForCausalLM"], "auto_map": {"AutoConfig": "odd.OddConfig",
                                                                  "AutoModelForCausalLM": "odd.OddForCausalLM"}}
    found = snippets(tmp_path, "pipeline_tag: text-generation", {"config.json": json.dumps(config)})
    assert parse(by_label(found, "pipeline")).call("pipeline").kwargs == {"model": ID, "trust_remote_code": True}
    load = parse(by_label(found, "Auto class")).call("AutoModelForCausalLM.from_pretrained")
    assert load.kwargs == {"device_map": "auto", "trust_remote_code": True}


@pytest.mark.parametrize("config, expected", [
    ({"architectures": ["BertForMaskedLM"]}, "AutoModelForMaskedLM"),
    ({"architectures": ["WhisperForConditionalGeneration"]}, "AutoModelForSpeechSeq2Seq"),
    ({"architectures": ["Wav2Vec2ForCTC"]}, "AutoModelForCTC"),
    ({"architectures": ["VitsModel"]}, "AutoModelForTextToWaveform"),
    ({"architectures": ["OwlViTForObjectDetection"]}, "AutoModelForZeroShotObjectDetection"),
    ({"architectures": ["SegformerForSemanticSegmentation"]}, "AutoModelForSemanticSegmentation"),
    ({"architectures": ["NoSuchThing"]}, ""),
    ({"architectures": [["not", "a", "string"]]}, ""),
    ({"architectures": ["X"], "auto_map": {"AutoModel": "m.X", "AutoModelForCausalLM": "m.Y"}}, "AutoModel"),
    ({"auto_map": {"AutoModel": "m.X", "AutoModelForCausalLM": "m.Y"}}, "AutoModelForCausalLM"),
    (None, ""),
])
def test_auto_class_from_the_class_table(config: dict[str, Any] | None, expected: str) -> None:
    assert auto_class(config) == expected


def test_every_sample_repo_gives_parseable_code() -> None:
    root = Path(__file__).resolve().parent.parent / "sample_repos"
    for folder in sorted(root.glob("*/*/")):
        page = resolve_repo(folder, f"{folder.parent.name}/{folder.name}").page
        assert page is not None and page.usage is not None
        for hub_url in (HUB, MIRROR, ""):
            found = list(page.usage.snippets(hub_url))
            assert found, page.id
            check_all_python(found)


# --- diffusers ------------------------------------------------------------------------------------

def test_diffusers_pipeline(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: diffusers\npipeline_tag: text-to-image\nwidget:\n- text: a red fox",
                     {"model_index.json": json.dumps({"_class_name": "StableDiffusionPipeline"})})
    code = parse(by_label(found, "pipeline"))
    assert {"torch", "diffusers.DiffusionPipeline"} <= code.imports
    load = code.call("DiffusionPipeline.from_pretrained")
    assert load.args == [ID] and load.kwargs == {"dtype": "torch.bfloat16", "device_map": "cuda"}
    assert code.assigned["prompt"] == "a red fox"
    assert code.call("pipe").args == ["prompt"]
    assert "image = pipe(prompt).images[0]" in by_label(found, "pipeline").code


def test_diffusers_lora_loads_onto_its_base_model(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: diffusers\npipeline_tag: text-to-image\ntags: [lora]\n"
                     "base_model: acme/sdxl-base\ninstance_prompt: a photo of TOK dog")
    code = parse(by_label(found, "LoRA"))
    assert code.call("DiffusionPipeline.from_pretrained").args == ["acme/sdxl-base"]
    assert code.call("pipe.load_lora_weights").args == [ID]
    assert code.assigned["prompt"] == "a photo of TOK dog"  # no widget text: the instance prompt
    assert by_label(found, "LoRA").note == ""


def test_diffusers_lora_without_base_model_gets_the_placeholder_and_says_so(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: diffusers\ntags: [lora]")
    code = parse(by_label(found, "LoRA"))
    assert code.call("DiffusionPipeline.from_pretrained").args == ["fill-in-base-model"]
    assert "fill-in-base-model" in by_label(found, "LoRA").note


# --- sentence-transformers, timm, PEFT, MLX, spaCy, generic ------------------------------------

def test_sentence_transformers_encode_and_similarity(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: sentence-transformers\npipeline_tag: sentence-similarity\nwidget:\n"
                     "- source_sentence: A cat.\n  sentences: [A dog., A kitten.]")
    code = parse(by_label(found, "SentenceTransformer"))
    assert "sentence_transformers.SentenceTransformer" in code.imports
    assert code.call("SentenceTransformer").args == [ID]
    assert code.assigned["sentences"] == ["A cat.", "A dog.", "A kitten."]
    assert code.call("model.encode").args == ["sentences"]
    assert code.call("model.similarity").args == ["embeddings", "embeddings"]


def test_cross_encoder_predicts_pairs(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: sentence-transformers\npipeline_tag: text-ranking\n"
                     "tags: [cross-encoder]")
    code = parse(by_label(found, "CrossEncoder"))
    assert code.call("CrossEncoder").args == [ID]
    assert code.call("model.predict").args == ["pairs"]
    assert isinstance(code.assigned["pairs"], list) and len(code.assigned["pairs"][0]) == 2


def test_timm_create_model(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: timm\npipeline_tag: image-classification",
                     {"config.json": json.dumps({"architecture": "resnet50"})})
    code = parse(by_label(found, "create_model"))
    assert "timm" in code.imports
    call = code.call("timm.create_model")
    assert call.args == [f"hf_hub:{ID}"] and call.kwargs == {"pretrained": True}


def test_peft_adapter_loads_its_base_model_then_the_adapter(tmp_path: Path) -> None:
    adapter = {"peft_type": "LORA", "base_model_name_or_path": "acme/base-7b", "task_type": "CAUSAL_LM"}
    found = snippets(tmp_path, "library_name: peft\npipeline_tag: text-generation",
                     {"adapter_config.json": json.dumps(adapter)})
    assert [s.library for s in found] == ["peft"]
    code = parse(by_label(found, "PeftModel"))
    assert {"peft.PeftModel", "transformers.AutoModelForCausalLM"} <= code.imports
    assert code.call("AutoModelForCausalLM.from_pretrained").args == ["acme/base-7b"]
    assert code.call("PeftModel.from_pretrained").args == ["base_model", ID]


@pytest.mark.parametrize("task_type, cls", [("SEQ_2_SEQ_LM", "AutoModelForSeq2SeqLM"),
                                            ("TOKEN_CLS", "AutoModelForTokenClassification"),
                                            ("SEQ_CLS", "AutoModelForSequenceClassification"),
                                            (None, "AutoModel")])
def test_peft_task_type_picks_the_base_auto_class(tmp_path: Path, task_type: str | None, cls: str) -> None:
    adapter = {"peft_type": "LORA", "task_type": task_type}
    found = snippets(tmp_path, "base_model: acme/base", {"adapter_config.json": json.dumps(adapter)})
    code = parse(by_label(found, "PeftModel"))
    assert code.call(f"{cls}.from_pretrained").args == ["acme/base"]  # the card's base_model


def test_mlx_load_and_generate(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: mlx\npipeline_tag: text-generation\ntags: [mlx]\nwidget:\n- text: Once")
    code = parse(by_label(found, "mlx-lm"))
    assert {"mlx_lm.load", "mlx_lm.generate"} <= code.imports
    assert code.call("load").args == [ID]
    assert code.assigned["prompt"] == "Once"
    assert code.call("generate").args == ["model", "tokenizer"]
    assert code.call("generate").kwargs == {"prompt": "prompt", "verbose": True}
    assert by_label(found, "mlx-lm CLI").code == f"mlx_lm.generate --model {ID} --prompt Once\n"


def test_mlx_chat_applies_the_chat_template(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: mlx\npipeline_tag: text-generation\ntags: [mlx, conversational]")
    code = parse(by_label(found, "mlx-lm"))
    assert code.call("tokenizer.apply_chat_template").kwargs == {"add_generation_prompt": True}
    assert by_label(found, "mlx-lm CLI").code.startswith(f"mlx_lm.chat --model {ID}\n")


def test_mlx_vision_models_get_no_mlx_lm_code(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: mlx\npipeline_tag: image-text-to-text\ntags: [mlx]")
    assert {s.library for s in found} == {"huggingface_hub"}


def test_spacy_installs_the_wheel_and_loads_the_package(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: spacy\npipeline_tag: token-classification\nwidget:\n- text: Ada",
                     {"en_core_acme_sm-any-py3-none-any.whl": b"PK", "config.cfg": "[nlp]\n"})
    assert by_label(found, "pip install").code == \
        f"pip install {HUB}/{ID}/resolve/main/en_core_acme_sm-any-py3-none-any.whl\n"
    code = parse(by_label(found, "spacy.load"))
    assert code.call("spacy.load").args == ["en_core_acme_sm"]
    assert code.call("nlp").args == ["Ada"]


def test_other_libraries_get_the_generic_download(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: stable-baselines3\npipeline_tag: reinforcement-learning")
    assert {s.library for s in found} == {"huggingface_hub"}
    code = parse(by_label(found, "huggingface_hub"))
    assert code.call("snapshot_download").kwargs == {"repo_id": ID}
    assert by_label(found, "hf download").code == f"hf download {ID}\n"


# --- GGUF ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, label", [
    ("pico.Q4_K_M.gguf", "Q4_K_M"), ("model-q8_0.gguf", "Q8_0"), ("m-IQ2_XXS.gguf", "IQ2_XXS"),
    ("m-IQ2_XS.gguf", "IQ2_XS"), ("x/m-UD-Q4_K_XL.gguf", "UD-Q4_K_XL"), ("m-BF16.gguf", "BF16"),
    ("m-F16.gguf", "F16"), ("Q8_0/m-Q4_0.gguf", "Q4_0"), ("model.gguf", ""),
    ("m-Q2_K_S.gguf", "Q2_K_S"), ("m-MXFP4_MOE.gguf", "MXFP4_MOE"),
])
def test_quant_label_from_the_file_name(name: str, label: str) -> None:
    assert quant_label(name) == label


def test_quant_choices_keep_first_shards_only() -> None:
    files = ("m-Q8_0-00001-of-00002.gguf", "m-Q8_0-00002-of-00002.gguf", "m-Q4_K_M.gguf")
    assert choices(files) == {"Q8_0": "m-Q8_0-00001-of-00002.gguf", "Q4_K_M": "m-Q4_K_M.gguf"}


GGUF = {"m-Q8_0.gguf": b"GGUF", "m-Q4_K_M.gguf": b"GGUF", "m-Q2_K.gguf": b"GGUF"}


def test_gguf_llama_cpp_ollama_and_llama_cpp_python(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: gguf\npipeline_tag: text-generation\nwidget:\n- text: Hi", GGUF)
    assert [s.label for s in found] == ["llama.cpp", "Ollama", "llama-cpp-python"]
    assert by_label(found, "llama.cpp").code == (f"llama-server -hf {ID}:Q4_K_M\nllama-cli -hf {ID}:Q4_K_M\n")
    assert by_label(found, "Ollama").code == f"ollama run hf.co/{ID}:Q4_K_M\n"
    assert by_label(found, "Ollama").note == "Other quantisations in this repo: Q2_K, Q8_0."
    code = parse(by_label(found, "llama-cpp-python"))
    assert "llama_cpp.Llama" in code.imports
    assert code.call("Llama.from_pretrained").kwargs == {"repo_id": ID, "filename": "m-Q4_K_M.gguf"}
    assert code.call("llm").args == ["Hi"] and code.call("llm").kwargs == {"max_tokens": 512, "echo": True}


def test_gguf_without_q4_k_m_takes_the_first_and_chat_models_chat(tmp_path: Path) -> None:
    found = snippets(tmp_path, "pipeline_tag: text-generation\ntags: [conversational]",
                     {"m-Q8_0.gguf": b"GGUF", "m-Q5_K_S.gguf": b"GGUF"})
    assert by_label(found, "Ollama").code == f"ollama run hf.co/{ID}:Q5_K_S\n"  # listing order
    code = parse(by_label(found, "llama-cpp-python"))
    assert code.call("llm.create_chat_completion").kwargs == {"messages": "messages"}
    assert code.assigned["messages"][0]["role"] == "user"


# --- hub_url: a mirror, an air-gapped catalog ------------------------------------------------------

def _head_sets_endpoint(code: Parsed) -> None:
    first = code.tree.body[:2]
    assert ast.unparse(first[0]) == "import os"
    assert ast.unparse(first[1]) == f"os.environ['HF_ENDPOINT'] = {MIRROR!r}"


def test_a_mirror_keeps_the_id_and_sets_hf_endpoint_first(tmp_path: Path) -> None:
    found = snippets(tmp_path, "pipeline_tag: text-generation\nwidget:\n- text: Hi",
                     {"config.json": CAUSAL, **GGUF}, hub_url=MIRROR + "/")
    for s in found:
        if s.lang == "python":
            code = parse(s)
            _head_sets_endpoint(code)
        else:
            assert s.code.startswith(f"export HF_ENDPOINT={MIRROR}  #")
    assert parse(by_label(found, "pipeline")).call("pipeline").kwargs == {"model": ID}
    assert "Ollama" not in [s.label for s in found]  # it pulls from hf.co itself
    assert f"llama-server -hf {ID}:Q4_K_M" in by_label(found, "llama.cpp").code


def test_air_gapped_code_reads_a_local_folder(tmp_path: Path) -> None:
    local = f"./models/{ID}"
    found = snippets(tmp_path, "library_name: timm\npipeline_tag: image-classification\nwidget:\n- src: cat.png",
                     {"config.json": json.dumps({"architecture": "resnet50"}), "cat.png": png_bytes()}, hub_url="")
    assert parse(by_label(found, "create_model")).call("timm.create_model").args == [f"local-dir:{local}"]
    found = snippets(tmp_path, "pipeline_tag: image-classification\nwidget:\n- src: cat.png",
                     {"config.json": json.dumps({"architectures": ["ViTForImageClassification"]}), "cat.png": png_bytes()},
                     hub_url="")
    pipe = parse(by_label(found, "pipeline"))
    assert pipe.call("pipeline").kwargs == {"model": local}
    assert pipe.call("pipe").args == [f"{local}/cat.png"]
    assert by_label(found, "pipeline").code.startswith("# ./models/<owner>/<name>: ")
    found = snippets(tmp_path, "pipeline_tag: text-generation", GGUF, hub_url="")
    assert [s.label for s in found] == ["llama.cpp", "llama-cpp-python"]
    assert f"llama-server -m {local}/m-Q4_K_M.gguf" in by_label(found, "llama.cpp").code
    assert parse(by_label(found, "llama-cpp-python")).call("Llama").kwargs == {"model_path": f"{local}/m-Q4_K_M.gguf"}
    found = snippets(tmp_path, "library_name: sklearn", hub_url="")
    assert [s.code.splitlines()[-1] for s in found] == [f"hf download {ID} --local-dir {local}"]


def test_repo_files_in_examples_become_hub_urls(tmp_path: Path) -> None:
    found = snippets(tmp_path, "pipeline_tag: image-classification\nwidget:\n- src: img/cat.png",
                     {"config.json": json.dumps({"architectures": ["ViTForImageClassification"]}),
                      "img/cat.png": png_bytes()})
    assert parse(by_label(found, "pipeline")).call("pipe").args == [f"{HUB}/{ID}/resolve/main/img/cat.png"]


# --- hostile values --------------------------------------------------------------------------------

NASTY = 'He said "hi" \\ \'\'\' """ end\nimport os; os.system("rm -rf /")  # \u202e \x00 \ud800'


@pytest.mark.parametrize("text", [NASTY, '"""', "\\", "\\\n", "'", "a\r\nb", "\u2028", "\U0001f600"])
def test_py_literals_read_back_as_the_value(text: str) -> None:
    literal = py(text)
    tree = ast.parse(f"x = {literal}")
    assert len(tree.body) == 1 and ast.literal_eval(literal) == text
    assert "\n" not in literal and "\u202e" not in literal


def test_hostile_card_text_and_id_stay_strings(tmp_path: Path) -> None:
    hostile_id = 'acme/x"); import os; os.system("id'
    meta = "pipeline_tag: text-generation\nwidget:\n- text: " + json.dumps(NASTY.replace("\x00", "").replace("\ud800", ""))
    found = snippets(tmp_path, meta, {"config.json": CAUSAL, **GGUF}, repo_id=hostile_id)
    check_all_python(found)
    pipe = parse(by_label(found, "pipeline"))
    assert pipe.call("pipeline").kwargs == {"model": hostile_id}
    assert pipe.call("pipe").args == [NASTY.replace("\x00", "").replace("\ud800", "")]
    assert len(pipe.tree.body) == 3  # the import, pipe = ..., pipe(...): nothing injected
    assert all(c.name in ("pipeline", "pipe") for c in pipe.calls)
    for s in found:
        if s.lang == "bash":
            words = [shlex.split(line) for line in s.code.splitlines()]
            assert all(len(w) == 3 for w in words), words  # program, flag, one argument
            assert all(w[2].startswith(hostile_id) or w[2].startswith("hf.co/" + hostile_id) for w in words)


def test_unprintable_ids_get_no_shell_code(tmp_path: Path) -> None:
    found = snippets(tmp_path, "library_name: sklearn", repo_id="acme/bad\x1b[2Jname")
    assert [s.lang for s in found] == ["python"]


def test_long_inputs_are_cut_and_lists_capped(tmp_path: Path) -> None:
    sentences = json.dumps([f"s{i}" for i in range(500)])
    found = snippets(tmp_path, "library_name: sentence-transformers\npipeline_tag: sentence-similarity\n"
                     f"widget:\n- source_sentence: {'x' * 50_000}\n  sentences: {sentences}")
    code = parse(by_label(found, "SentenceTransformer"))
    assert len(code.assigned["sentences"]) == 11  # the source sentence and 10 of the 500
    assert code.assigned["sentences"][0] == "x" * 999 + "…"
    assert len(by_label(found, "SentenceTransformer").code) < 2000


def test_the_largest_inputs_give_a_bounded_panel(tmp_path: Path) -> None:
    long = "y" * 2000  # past each cap: characters, items, messages, parts, rows and columns
    messages = json.dumps([{"role": "user" * 100, "content": [{"type": "text", "text": long}] * 12}] * 12)
    table = json.dumps({f"c{i}" + "z" * 500: [long] * 12 for i in range(12)})  # YAML keys: < 1024
    for meta in (f"pipeline_tag: image-text-to-text\nwidget:\n- messages: {messages}",
                 f"pipeline_tag: table-question-answering\nwidget:\n- text: {long}\n  table: {table}"):
        found = snippets(tmp_path, meta, {"config.json": CAUSAL})
        check_all_python(found)
        assert sum(len(s.code) for s in found) < 40_000, [len(s.code) for s in found]


def test_many_gguf_files_give_a_bounded_note(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"m{i:03d}-Q4_0.gguf": b"" for i in range(300)}
    files.update({f"a-{q}.gguf": b"" for q in ("Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q5_0", "Q5_1", "Q4_1",
                                               "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q2_K", "IQ4_XS", "IQ3_M", "F16", "BF16")})
    found = snippets(tmp_path, "library_name: gguf", files)
    assert found[0].note.endswith("and 3 more.")


# --- the panel on the page ----------------------------------------------------------------------

def _built(tmp_path: Path, hub_url: str) -> str:
    from sitegen.build import build
    from sitegen.config import Config

    src = tmp_path / f"src{len(list(tmp_path.iterdir()))}"
    make_repo(src, "acme/chat", card("pipeline_tag: text-generation\nwidget:\n- text: " + json.dumps('say "<b>hi</b>" & \\ bye')),
              {"config.json": CAUSAL})
    out = src.parent / (src.name + "-site")
    result = build(Config(source=src, output=out, hub_url=hub_url))
    assert result.report.errors == 0
    return (out / "models/acme/chat/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("hub_url, model", [(HUB, "acme/chat"), (MIRROR, "acme/chat"), ("", "./models/acme/chat")])
def test_page_shows_each_snippet_highlighted_with_its_code_to_copy(tmp_path: Path, hub_url: str, model: str) -> None:
    import html as htmllib
    import re

    page = _built(tmp_path, hub_url)
    panel = page[page.index('<section class="panel usage"'):]
    panel = panel[:panel.index("</section>")]
    blocks = re.findall(r'<pre class="highlight usage-code" data-lang="(\w+)" data-copy="([^"]*)"><code>(.*?)</code></pre>',
                        panel, re.S)
    assert [lang for lang, _, _ in blocks] == ["python", "python"]
    assert panel.count("<details") == 2 and panel.count("<details class=\"usage-snippet\" open>") == 1
    for _, copy, shown in blocks:
        code = htmllib.unescape(copy)
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", shown.replace('</span><span class="usage-line">', "\n")))
        assert [line.rstrip(" ") for line in text.split("\n")] == code[:-1].split("\n")  # shown as copied
        assert "<b>" not in shown and "<b>" not in copy  # escaped, never markup
        parse(Snippet("", "", "python", code, ""))
    first = htmllib.unescape(blocks[0][1])
    assert f'model="{model}"' in first
    assert ("HF_ENDPOINT" in first) == (hub_url == MIRROR)
    assert ("HF_ENDPOINT" in panel) == (hub_url == MIRROR)
