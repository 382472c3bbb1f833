"""GGUF headers read with hard limits: architecture, parameters, context length, quantisation, chat template."""
# Our own bounded reader, not the `gguf` package: that package is a new dependency (with
# numpy) that maps the whole file and trusts its counts; here every count, length and byte
# read is capped, as a hostile repo needs (spec/hub-repos.md section 4).
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .safeio import open_file

MAX_TENSORS = 100_000  # real files: a few thousand (the spec's reader allows 10^7; time is ours)
MAX_KV = 100_000
MAX_ARRAY = 1_000_000
MAX_STRING = 10_000_000
MAX_NESTING = 3
MAX_READ = 64 << 20  # bytes read from one file's header
CHUNK = 1 << 20  # arrays of strings are skipped a chunk at a time
MAX_TEMPLATE = 1 << 20  # of a chat template kept
MAX_DIMS = 8
MAX_DIM = 1 << 32

# general.file_type (llama_ftype) -> name.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 4: "Q4_1_SOME_F16", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M",
    18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S",
    25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
    36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0",
}
# ggml_type -> name (the type of one tensor).
TENSOR_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1", 10: "Q2_K",
    11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS",
    19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32",
    27: "I64", 28: "F64", 29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4", 40: "NVFP4",
    41: "Q1_0",
}
# The names a file name may carry: the llama_ftype names, MXFP4, and huggingface.js's Q2_0 and
# Unsloth's *_K_XL (what its GGUF_QUANT_RE looks for); the usage panel reads them here too.
_NAMES = sorted({*FILE_TYPES.values(), "MXFP4", "Q2_0", *(f"Q{n}_K_XL" for n in (2, 3, 4, 5, 6, 8))}
                - {"Q4_1_SOME_F16"}, key=lambda n: (-len(n), n))
_QUANT = re.compile(r"(UD-)?(" + "|".join(_NAMES) + r")(_([A-Z]+))?")
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
STRING, ARRAY = 8, 9
_ARCH = re.compile(r"[a-z0-9_]{1,64}")


class GgufError(ValueError):
    """A GGUF header that cannot be read: the message says what is wrong."""


@dataclass(frozen=True)
class Gguf:
    """What one GGUF file's header says."""

    architecture: str
    name: str  # general.name, cut to 200 characters
    params: int | None
    context: int | None
    quant: str  # general.file_type's name, else the file name's label
    template: str  # tokenizer.chat_template ("" if none)
    tensors: int


def quant_label(filename: str) -> str:
    """The quantisation a GGUF file name names (`model-Q4_K_M.gguf` -> Q4_K_M), or ""; the
    last match in the name wins, as on the Hub."""
    found = list(_QUANT.finditer(filename.upper()))
    if not found:
        return ""
    last = found[-1]
    return (last.group(1) or "") + last.group(2) + (f"_{last.group(4)}" if last.group(4) else "")


class _Reader:
    """Reads a header in order, refusing to pass the end of the file or the read budget."""

    def __init__(self, f: BinaryIO, size: int):
        self.f, self.size, self.pos, self.budget = f, size, 0, MAX_READ
        self.order, self.len_fmt = "<", "Q"

    def take(self, n: int) -> bytes:
        if n > self.size - self.pos:
            raise GgufError(f"the header asks for {n:,} bytes at offset {self.pos:,}, past the end of the file")
        if n > self.budget:
            raise GgufError(f"the header is longer than {MAX_READ:,} bytes; not read further")
        data = self.f.read(n)
        self.pos += n
        self.budget -= n
        return data

    def skip(self, n: int) -> None:
        if n > self.size - self.pos:
            raise GgufError(f"a value of {n:,} bytes at offset {self.pos:,} runs past the end of the file")
        self.f.seek(n, 1)
        self.pos += n

    def skip_strings(self, n: int) -> None:
        """Skip an array of n strings, reading their lengths a chunk at a time (a vocabulary
        holds 150,000 of them)."""
        fmt = self.order + self.len_fmt
        width = struct.calcsize(fmt)
        base, buf, at = self.pos, b"", 0
        for _ in range(n):
            if len(buf) - at < width:
                base += at
                if base > self.size or CHUNK > self.budget:
                    raise GgufError("an array of strings runs past the end of the file or the read limit")
                self.f.seek(base)
                buf, at = self.f.read(CHUNK), 0
                self.budget -= CHUNK
                if len(buf) < width:
                    raise GgufError("an array of strings runs past the end of the file")
            (length,) = struct.unpack_from(fmt, buf, at)
            if length > MAX_STRING:
                raise GgufError(f"a string length of {length:,}; at most {MAX_STRING:,} are read")
            at += width + length
        if base + at > self.size:
            raise GgufError("an array of strings runs past the end of the file")
        self.pos = base + at
        self.f.seek(self.pos)

    def scalar(self, fmt: str) -> Any:
        return struct.unpack(self.order + fmt, self.take(struct.calcsize(fmt)))[0]

    def count(self, what: str, limit: int) -> int:
        n = self.scalar(self.len_fmt)
        if n > limit:
            raise GgufError(f"{what} of {n:,}; at most {limit:,} are read")
        return int(n)

    def string(self, keep: bool) -> str:
        n = self.count("a string length", MAX_STRING)
        if not keep:
            self.skip(n)
            return ""
        return self.take(n).decode("utf-8", "replace")

    def value(self, kind: int, keep: bool, depth: int = 0) -> Any:
        if kind in _SCALARS:
            return self.scalar(_SCALARS[kind])
        if kind == STRING:
            return self.string(keep)
        if kind != ARRAY:
            raise GgufError(f"a value of type {kind}; expected 0 to 12")
        if depth >= MAX_NESTING:
            raise GgufError(f"arrays nested more than {MAX_NESTING} deep")
        inner = self.scalar("I")
        n = self.count("an array", MAX_ARRAY)
        if inner in _SCALARS:
            self.skip(n * struct.calcsize(_SCALARS[inner]))
        elif inner == STRING:
            self.skip_strings(n)
        else:
            for _ in range(n):
                self.value(inner, False, depth + 1)
        return None


def read_gguf(full: Path, max_tensors: int = MAX_TENSORS) -> Gguf:
    """Read a GGUF file's header (never its tensors); GgufError when it cannot be read."""
    with open_file(full) as f:
        size = f.seek(0, 2)
        f.seek(0)
        r = _Reader(f, size)
        if r.take(4) != b"GGUF":
            raise GgufError("the file does not start with GGUF")
        version = r.scalar("I")
        if version & 0xFFFF == 0:  # a big-endian file: nothing else says so
            r.order = ">"
            version = struct.unpack(">I", struct.pack("<I", version))[0]
        if version not in (1, 2, 3):
            raise GgufError(f"version {version}; versions 1 to 3 are read")
        r.len_fmt = "I" if version == 1 else "Q"
        tensors = r.count("a tensor count", max_tensors)
        kvs = r.count("a key count", MAX_KV)
        values = _read_kvs(r, kvs)
        params = _read_tensors(r, tensors)
    arch = values.get("general.architecture")
    arch = arch if isinstance(arch, str) and _ARCH.fullmatch(arch) else ""
    context = values.get(f"{arch}.context_length")
    file_type = values.get("general.file_type")
    template = values.get("tokenizer.chat_template")
    if params > size * 8:
        raise GgufError(f"the tensors claim {params:,} parameters, more than the file's {size * 8:,} bits")
    return Gguf(arch, str(values.get("general.name") or "")[:200], params,
                context if type(context) is int and 0 < context < 1 << 40 else None,
                FILE_TYPES.get(file_type, "") if type(file_type) is int else "",
                template[:MAX_TEMPLATE] if isinstance(template, str) else "", tensors)


_WANTED = ("general.architecture", "general.name", "general.file_type", "tokenizer.chat_template")


def _read_kvs(r: _Reader, count: int) -> dict[str, Any]:
    """The key-value pairs, keeping the values of the keys we show."""
    out: dict[str, Any] = {}
    for _ in range(count):
        key = r.string(True)
        kind = r.scalar("I")
        keep = key in _WANTED or key.endswith(".context_length")
        value = r.value(kind, keep)
        if keep and key not in out:
            out[key] = value
    return out


def _read_tensors(r: _Reader, count: int) -> int:
    """The parameter count: the product of each tensor's dims, summed."""
    total = 0
    for _ in range(count):
        r.string(False)
        n_dims = r.scalar("I")
        if n_dims > MAX_DIMS:
            raise GgufError(f"a tensor of {n_dims:,} dimensions; at most {MAX_DIMS}")
        dims = struct.unpack(r.order + r.len_fmt * n_dims, r.take(struct.calcsize(r.len_fmt) * n_dims))
        if any(d > MAX_DIM for d in dims):
            raise GgufError(f"a tensor dimension of {max(dims):,}; at most {MAX_DIM:,}")
        r.take(12)  # ggml type and offset
        n = 1
        for d in dims:
            n *= d
        total += n
    return total
