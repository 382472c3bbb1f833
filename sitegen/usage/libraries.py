"""One entry per library: when its code applies to a repo, and the snippets it writes."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .calls import PIPELINE_TASKS, messages, pipeline_call, value
from .facts import Facts, python_name
from .gguf import gguf_snippets
from .quote import Code, Where, py, sh

# task_type of a PEFT adapter -> the Auto class of its base model (spec section 6)
PEFT_CLASSES = {"CAUSAL_LM": "AutoModelForCausalLM", "SEQ_2_SEQ_LM": "AutoModelForSeq2SeqLM",
                "TOKEN_CLS": "AutoModelForTokenClassification", "SEQ_CLS": "AutoModelForSequenceClassification"}
NO_BASE = "fill-in-base-model"
# What a diffusers pipeline of a task returns: (the variable, the output's attribute)
DIFFUSERS_OUTPUTS = {"text-to-video": ("video", "frames"), "image-to-video": ("video", "frames"),
                     "text-to-audio": ("audio", "audios")}  # the Hub's placeholder when a card names no base model


Build = Callable[[Facts, Where], list[Code]]


def _py(label: str, where: Where, lines: list[str], note: str = "") -> Code:
    return Code(label, "python", tuple(where.python_head() + lines), note)


def _sh(label: str, where: Where, lines: list[str], note: str = "") -> Code:
    return Code(label, "bash", tuple(where.shell_head() + lines), note)


def transformers(f: Facts, w: Where) -> list[Code]:
    name, out = py(w.name(f.id)), []
    trust = ", trust_remote_code=True" if f.has("custom_code") else ""
    if f.task in PIPELINE_TASKS:
        out.append(_py("pipeline", w, ["# Use a pipeline as a high-level helper", "from transformers import pipeline", "",
                                       f"pipe = pipeline({py(f.task)}, model={name}{trust})"] + pipeline_call(f, w)))
    model = python_name(f.auto_class) or "AutoModel"
    proc = python_name(f.processor)
    var = "tokenizer" if proc == "AutoTokenizer" else "processor"
    lines = ["# Load model directly", f"from transformers import {', '.join(c for c in (proc, model) if c)}", ""]
    lines += [f"{var} = {proc}.from_pretrained({name}{trust})"] if proc else []
    lines.append(f"model = {model}.from_pretrained({name}, device_map=\"auto\"{trust})")
    if f.chat and f.chat_template and proc:
        lines += messages(f, w) + [
            f"inputs = {var}.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, "
            "return_dict=True, return_tensors=\"pt\").to(model.device)",
            "outputs = model.generate(**inputs, max_new_tokens=40)",
            f"print({var}.decode(outputs[0][inputs[\"input_ids\"].shape[-1]:]))"]
    out.append(_py("Auto class", w, lines))
    return out


def diffusers(f: Facts, w: Where) -> list[Code]:
    base = f.base_models[0] if f.base_models else NO_BASE
    given = (f.input("text") or f.input("prompt")) if f.own_example else ""
    prompt = given or f.instance_prompt or (value(f, "text", w) if f.inputs else "A lighthouse on a cliff at dusk")
    head = ["import torch", "from diffusers import DiffusionPipeline", ""]
    load = "dtype=torch.bfloat16, device_map=\"cuda\""
    if f.has("controlnet"):
        lines = ["import torch", "from diffusers import ControlNetModel, StableDiffusionControlNetPipeline", "",
                 f"controlnet = ControlNetModel.from_pretrained({py(w.name(f.id))})",
                 f"pipe = StableDiffusionControlNetPipeline.from_pretrained({py(w.name(base))}, controlnet=controlnet)"]
        return [_py("ControlNet", w, lines)]
    if f.has("lora") or f.has("textual_inversion"):
        method = "load_lora_weights" if f.has("lora") else "load_textual_inversion"
        lines = head + [f"pipe = DiffusionPipeline.from_pretrained({py(w.name(base))}, {load})",
                        f"pipe.{method}({py(w.name(f.id))})", "", f"prompt = {py(prompt)}",
                        "image = pipe(prompt).images[0]"]
        note = "" if f.base_models else f"The card names no base_model: replace {NO_BASE} with the model it was trained on."
        return [_py("LoRA" if f.has("lora") else "Textual inversion", w, lines, note)]
    if f.input("src") is not None:
        head.insert(2, "from diffusers.utils import load_image")
    lines = head + [f"pipe = DiffusionPipeline.from_pretrained({py(w.name(f.id))}, {load})", ""]
    return [_py("pipeline", w, lines + _diffusers_call(f, w, prompt))]


def _diffusers_call(f: Facts, w: Where, prompt: str) -> list[str]:
    """Prompt (and input image) in, the first image, video or audio out."""
    name, attr = DIFFUSERS_OUTPUTS.get(f.task, ("image", "images"))
    lines = [f"prompt = {py(prompt)}"]
    if f.input("src") is None:
        return lines + [f"{name} = pipe(prompt).{attr}[0]"]
    lines = [f"image = load_image({py(value(f, 'src', w))})"] + lines
    return lines + [f"{name} = pipe(prompt, image=image).{attr}[0]"]


def sentence_transformers(f: Facts, w: Where) -> list[Code]:
    name = py(w.name(f.id))
    if f.has("cross-encoder") or f.task == "text-ranking":
        query = value(f, "text", w) if f.input("source_sentence") is None else f.input("source_sentence")
        docs = f.input("sentences") or [value(f, "context", w)]
        lines = ["from sentence_transformers import CrossEncoder", "", f"model = CrossEncoder({name})",
                 "pairs = ["] + [f"    ({py(query)}, {py(d)})," for d in docs] + ["]", "scores = model.predict(pairs)"]
        return [_py("CrossEncoder", w, lines)]
    first = f.input("source_sentence")
    sentences = ([first] if first is not None else []) + (f.input("sentences") or [])
    sentences = sentences or [value(f, "text", w)]
    lines = ["from sentence_transformers import SentenceTransformer", "", f"model = SentenceTransformer({name})", "",
             "sentences = ["] + [f"    {py(s)}," for s in sentences] + [
             "]", "embeddings = model.encode(sentences)", "", "similarities = model.similarity(embeddings, embeddings)",
             "print(similarities.shape)"]
    return [_py("SentenceTransformer", w, lines)]


def timm(f: Facts, w: Where) -> list[Code]:
    scheme = "local-dir:" if w.local else "hf_hub:"
    return [_py("create_model", w, ["import timm", "", f"model = timm.create_model({py(scheme + w.name(f.id))}, pretrained=True)"])]


def peft(f: Facts, w: Where) -> list[Code]:
    base, kind = f.adapter or ("", "")
    base = base or (f.base_models[0] if f.base_models else NO_BASE)
    model = PEFT_CLASSES.get(kind, "AutoModel")
    lines = ["from peft import PeftModel", f"from transformers import {model}", "",
             f"base_model = {model}.from_pretrained({py(w.name(base))})",
             f"model = PeftModel.from_pretrained(base_model, {py(w.name(f.id))})"]
    note = "" if base != NO_BASE else f"Neither adapter_config.json nor the card names the base model: replace {NO_BASE}."
    return [_py("PeftModel", w, lines, note)]


def mlx(f: Facts, w: Where) -> list[Code]:
    name = w.name(f.id)
    lines = ["from mlx_lm import load, generate", "", f"model, tokenizer = load({py(name)})", ""]
    if f.chat:
        lines += messages(f, w) + ["prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True)"]
    else:
        lines.append(f"prompt = {py(value(f, 'text', w))}")
    lines.append("text = generate(model, tokenizer, prompt=prompt, verbose=True)")
    out = [_py("mlx-lm", w, lines)]
    if sh(name):
        shell = [f"mlx_lm.chat --model {sh(name)}"] if f.chat else []
        prompt = sh(str(value(f, "text", w))) or "Hello"
        shell.append(f"mlx_lm.generate --model {sh(name)} --prompt {prompt}")
        out.append(_sh("mlx-lm CLI", w, shell))
    return out


def spacy(f: Facts, w: Where) -> list[Code]:
    out = []
    for wheel in f.wheels[:1]:
        package = python_name(wheel.split("-", 1)[0])
        url = sh(w.file_url(f.id, wheel))
        if package and url:
            out.append(_sh("pip install", w, [f"pip install {url}"]))
            text = value(f, "text", w)
            out.append(_py("spacy.load", w, ["import spacy", "", f"nlp = spacy.load({py(package)})",
                                              f"doc = nlp({py(text)})"]))
    return out


def generic(f: Facts, w: Where) -> list[Code]:
    out = []
    if not w.local:
        out.append(_py("huggingface_hub", w, ["from huggingface_hub import snapshot_download", "",
                                                f"path = snapshot_download(repo_id={py(f.id)})"]))
    if sh(f.id):
        local = f" --local-dir {sh(w.name(f.id))}" if w.local else ""
        note = "On a machine that can reach the Hub; then copy the folder here." if w.local else ""
        out.append(Code("hf download", "bash", (f"hf download {sh(f.id)}{local}",), note))
    return out


@dataclass(frozen=True)
class Library:
    key: str  # shown as the snippet's group
    applies: Callable[[Facts], bool]
    build: Build


def _named(*names: str) -> Callable[[Facts], bool]:
    return lambda f: f.library in names


LIBRARIES = (
    Library("transformers", lambda f: f.library == "transformers" and f.adapter is None, transformers),
    Library("diffusers", _named("diffusers"), diffusers),
    Library("sentence-transformers", _named("sentence-transformers"), sentence_transformers),
    Library("timm", _named("timm"), timm),
    Library("peft", lambda f: f.library == "peft" or f.adapter is not None, peft),
    Library("gguf", lambda f: f.library == "gguf" or bool(f.gguf), gguf_snippets),
    # mlx-lm only: a vision model (image-text-to-text) needs mlx-vlm, whose code is not written here
    Library("mlx", lambda f: (f.library == "mlx" or f.has("mlx")) and f.task != "image-text-to-text", mlx),
    Library("spacy", lambda f: f.library == "spacy" and bool(f.wheels), spacy),
)
GENERIC = Library("huggingface_hub", lambda f: True, generic)


def codes(facts: Facts, where: Where) -> list[tuple[str, Code]]:
    """(library, snippet) for each library that applies; the generic download when none does."""
    out = [(lib.key, c) for lib in LIBRARIES if lib.applies(facts) for c in lib.build(facts, where)]
    return out or [(GENERIC.key, c) for c in GENERIC.build(facts, where)]
