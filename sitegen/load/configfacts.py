"""What config.json, the file names and the side files say of a model: shape, formats, chat templates."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

MAX_TEMPLATES = 20  # named templates shown
MAX_TEMPLATE_CHARS = 200_000  # of one template shown
MAX_NAME = 100

# config.json keys, first found wins (models name the same thing in several ways); a
# multimodal model keeps its language model's in text_config.
CONFIG_KEYS = (
    ("Context length", ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length",
                        "n_ctx", "max_seq_len")),
    ("Layers", ("num_hidden_layers", "n_layer", "num_layers", "n_layers")),
    ("Hidden size", ("hidden_size", "n_embd", "d_model", "dim")),
    ("Vocabulary", ("vocab_size",)),
)

# Weight formats by file name, in the order a page lists them; the first pattern that matches
# a file's name (lower case) names its format. Training state (optimizer, scheduler, random
# state, arguments) is pickled too but holds no weights.
FORMATS = (
    ("Safetensors", r".*\.safetensors"),
    ("GGUF", r".*\.gguf"),
    ("PyTorch", r"(pytorch_model|diffusion_pytorch_model|adapter_model|.*lora.*|learned_embeds).*\.bin"
                r"|(?!(optimizer|scheduler|rng_state|scaler|training_args)).*\.(pt|pth|ckpt)"),
    ("ONNX", r".*\.onnx(_data|\.data)?"),
    ("TensorFlow", r"tf_model.*\.h5|saved_model\.pbt?"),
    ("Keras", r".*\.keras|(?!tf_model).*\.h5"),
    ("Flax", r"flax_model.*\.msgpack"),
    ("TFLite", r".*\.tflite"),
    ("Core ML", r".*\.mlmodel"),
    ("OpenVINO", r"openvino_model\.(bin|xml)"),
    ("Rust", r"rust_model\.ot"),
    ("NeMo", r".*\.nemo"),
    ("Joblib", r".*\.joblib"),
)
_FORMATS = [(name, re.compile(pattern)) for name, pattern in FORMATS]
_ORDER = {name: i for i, (name, _) in enumerate(FORMATS)}


@dataclass(frozen=True)
class Template:
    """One chat template as a file holds it: shown as source, never run."""

    name: str  # "default", or the name tokenizer_config.json gives it
    source: str  # the repo file it is in
    text: str
    cut: bool = False  # longer than MAX_TEMPLATE_CHARS: the page shows the start


def weight_format(path: str) -> str:
    """The weight format a repo file is in, by its name, or ""."""
    name = posixpath.basename(path).lower()
    return next((fmt for fmt, pattern in _FORMATS if pattern.fullmatch(name)), "")


def sort_formats(formats: set[str]) -> tuple[str, ...]:
    return tuple(sorted(formats, key=lambda f: _ORDER.get(f, len(_ORDER))))


def config_facts(config: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """(label, value) of what config.json says of the model's shape, in the order a page shows them."""
    if not config:
        return ()
    text = config.get("text_config")
    layers = [config, text] if isinstance(text, dict) else [config]
    out = []
    arch = config.get("architectures")
    name = arch[0] if isinstance(arch, list) and arch else config.get("model_type")
    if isinstance(name, str) and name.strip():
        out.append(("Architecture", name.strip()[:MAX_NAME]))
    for label, keys in CONFIG_KEYS:
        value = next((c[k] for c in layers for k in keys if _count(c.get(k))), None)
        if value is not None:
            out.append((label, f"{value:,}"))
    quant = quant_config(config)
    if quant:
        out.append(("Quantization", quant))
    return tuple(out)


def quant_config(config: dict[str, Any] | None) -> str:
    """`method, N-bit` from config.json's quantization_config, or ""."""
    method, bits = quant_method(config)
    if not method:
        return ""
    return f"{method}, {bits}-bit" if bits else method


def quant_method(config: dict[str, Any] | None) -> tuple[str, int]:
    """(quant_method in lower case, bits or 0) of config.json's quantization_config, or ("", 0)."""
    q = (config or {}).get("quantization_config")
    if not isinstance(q, dict):
        return "", 0
    method = q.get("quant_method")
    method = method.strip().lower()[:40] if isinstance(method, str) and method.strip() else "unknown"
    bits = q.get("bits", q.get("num_bits", q.get("w_bit")))
    if not _count(bits):
        bits = 4 if q.get("load_in_4bit") is True else 8 if q.get("load_in_8bit") is True else None
    if bits is None:  # compressed-tensors keeps them per group of modules
        groups = q.get("config_groups")
        for group in groups.values() if isinstance(groups, dict) else ():
            weights = group.get("weights") if isinstance(group, dict) else None
            found = weights.get("num_bits") if isinstance(weights, dict) else None
            if _count(found):
                bits = found
                break
    return method, bits if type(bits) is int and 0 < bits <= 64 else 0


def keep_unpacked(config: dict[str, Any] | None) -> tuple[str, ...]:
    """The modules quantization_config leaves unquantised (modules_to_not_convert / ignore)."""
    q = (config or {}).get("quantization_config")
    names = []
    for key in ("modules_to_not_convert", "ignore"):
        value = q.get(key) if isinstance(q, dict) else None
        names += [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []
    return tuple(names[:1000])


def templates(side: dict[str, Any], gguf: tuple[tuple[str, str], ...] = ()) -> tuple[Template, ...]:
    """The chat templates of the repo's side files and GGUF headers ((path, template) pairs),
    each text once, in the order the files are read by the libraries."""
    found: list[tuple[str, str, Any]] = []
    for path, key in (("tokenizer_config.json", "chat_template"), ("chat_template.jinja", ""),
                      ("chat_template.json", "chat_template"), ("processor_config.json", "chat_template")):
        value = side.get(path)
        if key:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, list):  # several named templates: [{"name": ..., "template": ...}]
            found += [(str(v.get("name"))[:MAX_NAME], path, v.get("template")) for v in value
                      if isinstance(v, dict) and isinstance(v.get("name"), str)]
        else:
            found.append(("default", path, value))
    found += [("default", path, text) for path, text in gguf]
    out: list[Template] = []
    seen: set[str] = set()
    for name, path, text in found:
        if isinstance(text, str) and text.strip() and text not in seen and len(out) < MAX_TEMPLATES:
            seen.add(text)
            out.append(Template(name, path, text[:MAX_TEMPLATE_CHARS], len(text) > MAX_TEMPLATE_CHARS))
    return tuple(out)


def _count(value: Any) -> bool:
    return type(value) is int and 0 < value < 1 << 40
