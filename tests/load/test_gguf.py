"""GGUF headers read with hard limits (load/gguf.py), and GGUF facts of a repo (load/facts.py)."""
from __future__ import annotations

import struct
from pathlib import Path

import pytest

from sitegen.load.gguf import GgufError, quant_label, read_gguf
from test_weights import facts
from weightfiles import gguf, pointer, steps

TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}"
KV = {"general.architecture": "llama", "general.name": "Tiny Llama", "general.file_type": 15,
      "llama.context_length": 4096, "tokenizer.ggml.tokens": ["<s>", "</s>", "a"] * 1000,
      "tokenizer.chat_template": TEMPLATE}
TENSORS = [("token_embd.weight", [64, 100], 12), ("blk.0.attn_q.weight", [64, 64], 14), ("output_norm.weight", [64], 0)]


def write(tmp_path: Path, data: bytes, name: str = "m.gguf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_header_facts(tmp_path: Path) -> None:
    g = read_gguf(write(tmp_path, gguf(KV, TENSORS, pad=20_000)))
    assert (g.architecture, g.name, g.params, g.context, g.quant, g.template, g.tensors) == (
        "llama", "Tiny Llama", 6400 + 4096 + 64, 4096, "Q4_K_M", TEMPLATE, 3)


def test_big_endian_and_version_2_are_read(tmp_path: Path) -> None:
    assert read_gguf(write(tmp_path, gguf({}, [], big_endian=True))).tensors == 0
    assert read_gguf(write(tmp_path, gguf({"general.architecture": "gpt2"}, [], version=2))).architecture == "gpt2"


@pytest.mark.parametrize(("data", "expected"), [
    (b"GGML" + bytes(20), "does not start with GGUF"),
    (gguf({}, [], version=4), "version 4"),
    (gguf({}, [], tensor_count=10**12), "a tensor count of 1,000,000,000,000"),
    (gguf({}, [], kv_count=1 << 40), "a key count of"),
    (gguf({}, [], kv_count=5), "past the end of the file"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1 << 40) + b"key", "a string length of 1,099,511,627,776"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 5_000_000) + b"key", "past the end of the file"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<I", 99), "type 99"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<IIQ", 9, 4, 10**9),
     "an array of 1,000,000,000"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<IIQ", 9, 9, 1)
     + struct.pack("<IQ", 9, 1) + struct.pack("<IQ", 9, 1) + struct.pack("<IQ", 4, 1) + bytes(4), "nested"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<IIQ", 9, 8, 2)
     + struct.pack("<Q", 1) + b"a" + struct.pack("<Q", 1 << 40), "a string length of 1,099,511,627,776"),
    (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<IIQ", 9, 8, 3)
     + struct.pack("<Q", 1) + b"a", "past the end of the file"),
    (gguf({}, [("t", [1] * 9, 0)]), "9 dimensions"),
    (gguf({}, [("t", [1 << 40, 2], 0)]), "a tensor dimension of"),
    (gguf({}, [("t", [1 << 32, 1 << 32], 0)], pad=10), "more than the file's"),
])
def test_hostile_headers_are_refused(tmp_path: Path, data: bytes, expected: str) -> None:
    with pytest.raises(GgufError, match=expected.replace("(", r"\(")):
        read_gguf(write(tmp_path, data))


def test_many_tensors_are_read_in_work_linear_in_their_count(tmp_path: Path) -> None:
    def tensors(n: int) -> list[tuple[str, list[int], int]]:
        return [(f"blk.{i}.w", [8, 8], 1) for i in range(n)]

    assert read_gguf(write(tmp_path, gguf({}, tensors(50_000), pad=10_000_000))).params == 3_200_000
    paths = [write(tmp_path, gguf({}, tensors(n), pad=1_000_000), f"{n}.gguf") for n in (2_000, 4_000)]
    small, large = (steps(lambda p=p: read_gguf(p)) for p in paths)
    assert large < 2.2 * small  # twice the tensors, twice the work: never a pass over all per tensor


@pytest.mark.parametrize(("name", "label"), [
    ("Llama-3-8B-Instruct-Q4_K_M.gguf", "Q4_K_M"), ("model.q8_0.gguf", "Q8_0"), ("m-IQ4_XS.gguf", "IQ4_XS"),
    ("m-UD-Q2_K_XL.gguf", "UD-Q2_K_XL"), ("m-bf16.gguf", "BF16"), ("m-f16-Q5_K_S.gguf", "Q5_K_S"),
    ("model.gguf", ""),
])
def test_quant_label_from_the_file_name(name: str, label: str) -> None:
    assert quant_label(name) == label


def test_repo_facts_from_gguf_files_and_pointers(tmp_path: Path) -> None:
    f, messages = facts(tmp_path, {
        "tiny-Q4_K_M.gguf": gguf(KV, TENSORS, pad=20_000),
        "tiny-Q8_0.gguf": pointer(9_000_000_000),
        "big-00001-of-00002.gguf": gguf({"general.file_type": 7}, [("a", [10, 10], 8)], pad=1000),
        "big-00002-of-00002.gguf": gguf({}, [("b", [10, 5], 8)], pad=1000),
        "broken-Q6_K.gguf": b"GGUF" + struct.pack("<IQQ", 3, 10**12, 0)})
    rows = {g.path: (g.quant, g.params, g.pointer, g.shards) for g in f.ggufs}
    assert rows == {"tiny-Q4_K_M.gguf": ("Q4_K_M", 10560, False, 1), "tiny-Q8_0.gguf": ("Q8_0", None, True, 1),
                    "big-00001-of-00002.gguf": ("Q8_0", 150, False, 2), "broken-Q6_K.gguf": ("Q6_K", None, False, 1)}
    assert f.params == 10560 and f.formats == ("GGUF",)
    assert [t.source for t in f.templates] == ["tiny-Q4_K_M.gguf"] and f.templates[0].text == TEMPLATE
    assert messages == ["m/broken-Q6_K.gguf: warning: a tensor count of 1,000,000,000,000; at most 100,000 are "
                        "read; its facts are not shown"]
