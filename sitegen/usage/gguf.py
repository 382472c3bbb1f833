"""GGUF code: llama.cpp, Ollama and llama-cpp-python, with the quantisation read from file names."""
from __future__ import annotations

import re

from ..load.gguf import quant_label
from .calls import messages, value
from .facts import Facts
from .quote import HUB, Code, Where, py, sh

SHARD_RE = re.compile(r"^(.*?)-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
DEFAULT = "Q4_K_M"  # what Ollama takes when the tag is left out and the repo has it
MAX_LISTED = 12  # other quantisations named under the code


def choices(files: tuple[str, ...]) -> dict[str, str]:
    """{label: the file to load} in listing order; a sharded model by its first shard."""
    out: dict[str, str] = {}
    for path in files:
        shard = SHARD_RE.match(path.rsplit("/", 1)[-1])
        if shard and int(shard.group(2)) != 1:
            continue
        label = quant_label(path.rsplit("/", 1)[-1])
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
