"""GGUF code: llama.cpp, Ollama and llama-cpp-python, with the quantisation read from file names."""
from __future__ import annotations

import re

from .calls import messages, value
from .facts import Facts
from .quote import HUB, Code, Where, py, sh

# The llama_ftype names (spec section 4), MXFP4, and huggingface.js's Q2_0 and Unsloth *_K_XL: what huggingface.js GGUF_QUANT_RE looks for,
# longest first so that a name is never cut short by another it starts with.
QUANTS = sorted("""F32 F16 BF16 Q4_0 Q4_1 Q4_1_SOME_F16 Q8_0 Q5_0 Q5_1 Q2_K Q3_K_S Q3_K_M Q3_K_L Q4_K_S
Q4_K_M Q5_K_S Q5_K_M Q6_K IQ2_XXS IQ2_XS Q2_K_S IQ3_XS IQ3_XXS IQ1_S IQ4_NL IQ3_S IQ3_M IQ2_S IQ2_M IQ4_XS
IQ1_M TQ1_0 TQ2_0 MXFP4_MOE NVFP4 Q1_0 MXFP4 Q2_0 Q2_K_XL Q3_K_XL Q4_K_XL Q5_K_XL Q6_K_XL Q8_K_XL""".split(), key=lambda n: (-len(n), n))
QUANT_RE = re.compile(r"(UD-)?(" + "|".join(QUANTS) + r")(_[A-Z]+)?")
SHARD_RE = re.compile(r"^(.*?)-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
DEFAULT = "Q4_K_M"  # what Ollama takes when the tag is left out and the repo has it
MAX_LISTED = 12  # other quantisations named under the code


def quant_label(path: str) -> str:
    """The filename's quantisation label (the last match in the upper-cased name), or ""."""
    name = path.rsplit("/", 1)[-1].upper()
    found = list(QUANT_RE.finditer(name))
    return "".join(g or "" for g in found[-1].groups()) if found else ""


def choices(files: tuple[str, ...]) -> dict[str, str]:
    """{label: the file to load} in listing order; a sharded model by its first shard."""
    out: dict[str, str] = {}
    for path in files:
        shard = SHARD_RE.match(path.rsplit("/", 1)[-1])
        if shard and int(shard.group(2)) != 1:
            continue
        label = quant_label(path)
        if label:
            out.setdefault(label, path)
    return out


def gguf_snippets(f: Facts, w: Where) -> list[Code]:
    found = choices(f.gguf)
    label = DEFAULT if DEFAULT in found else next(iter(found), "")
    path = found.get(label) or (f.gguf[0] if f.gguf else "")
    others = [q for q in found if q != label]
    note = ("Other quantisations in this repo: " + ", ".join(others[:MAX_LISTED])
            + (f" and {len(others) - MAX_LISTED} more" if len(others) > MAX_LISTED else "") + "."
            if others else "")
    out = []
    ident = sh(f.id + (":" + label if label else ""))
    local = sh(w.file_url(f.id, path)) if path else ""
    if w.local and local:
        out.append(Code("llama.cpp", "bash", tuple(w.shell_head() + [f"llama-server -m {local}", f"llama-cli -m {local}"]), note))
    elif ident:
        out.append(Code("llama.cpp", "bash", tuple(w.shell_head() + [f"llama-server -hf {ident}", f"llama-cli -hf {ident}"]), note))
    if w.hub_url.rstrip("/") == HUB and ident:  # Ollama pulls from hf.co itself: no mirror, no folder
        out.append(Code("Ollama", "bash", (f"ollama run hf.co/{ident}",), note))
    if path:
        out.append(Code("llama-cpp-python", "python", tuple(w.python_head() + _python(f, w, path)), note))
    return out


def _python(f: Facts, w: Where, path: str) -> list[str]:
    if w.local:
        lines = ["from llama_cpp import Llama", "", f"llm = Llama(model_path={py(w.file_url(f.id, path))})"]
    else:
        lines = ["from llama_cpp import Llama", "", f"llm = Llama.from_pretrained(repo_id={py(f.id)}, filename={py(path)})"]
    if f.chat or f.task == "image-text-to-text":
        return lines + [""] + messages(f, w) + ["llm.create_chat_completion(messages=messages)"]
    return lines + ["", f"output = llm({py(value(f, 'text', w))}, max_tokens=512, echo=True)", "print(output)"]
