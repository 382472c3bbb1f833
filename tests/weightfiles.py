"""Small real weight files for tests: safetensors with known parameter counts, GGUF headers, LFS pointers."""
from __future__ import annotations

import json
import struct
import sys
from collections.abc import Callable
from typing import Any

BYTES = {"F32": 4, "F16": 2, "BF16": 2, "I32": 4, "U8": 1, "I8": 1, "F64": 8, "I64": 8}


def safetensors(tensors: dict[str, tuple[str, list[int]]], metadata: dict[str, str] | None = None) -> bytes:
    """A safetensors file holding zeroed tensors {name: (dtype, shape)}."""
    header: dict[str, Any] = {}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        n = 1
        for d in shape:
            n *= d
        size = n * BYTES[dtype]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    if metadata is not None:
        header["__metadata__"] = metadata
    data = json.dumps(header).encode()
    data += b" " * (-len(data) % 8)
    return struct.pack("<Q", len(data)) + data + bytes(offset)


def raw_header(header: bytes, length: int | None = None, tail: bytes = b"") -> bytes:
    """A file whose 8-byte length says `length` (default: the header's), then the header bytes."""
    return struct.pack("<Q", len(header) if length is None else length) + header + tail


def index(weight_map: dict[str, str], total_size: int | None = None, total_parameters: int | None = None) -> str:
    meta: dict[str, int] = {}
    if total_size is not None:
        meta["total_size"] = total_size
    if total_parameters is not None:
        meta["total_parameters"] = total_parameters
    return json.dumps({"metadata": meta, "weight_map": weight_map})


def pointer(size: int, oid: str = "a" * 64) -> str:
    """A Git LFS pointer file for an object of `size` bytes."""
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def _string(text: str | bytes, length: int | None = None) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(data) if length is None else length) + data


def gguf_value(value: Any) -> bytes:
    """A typed GGUF value: str -> string, int -> u32, list of str -> array of strings."""
    if isinstance(value, str):
        return struct.pack("<I", 8) + _string(value)
    if isinstance(value, int):
        return struct.pack("<II", 4, value)
    return struct.pack("<IIQ", 9, 8, len(value)) + b"".join(_string(v) for v in value)


def gguf(kv: dict[str, Any], tensors: list[tuple[str, list[int], int]], *, version: int = 3,
         tensor_count: int | None = None, kv_count: int | None = None, pad: int = 0,
         big_endian: bool = False) -> bytes:
    """A GGUF file: its header (kv, then tensor infos (name, dims, ggml type)), padding, and
    zeroed data, so that the file is large enough to hold what it claims."""
    o = ">" if big_endian else "<"
    out = [b"GGUF", struct.pack(o + "I", version),
           struct.pack(o + "QQ", len(tensors) if tensor_count is None else tensor_count,
                       len(kv) if kv_count is None else kv_count)]
    for key, value in kv.items():
        out += [_string(key), gguf_value(value)]
    for name, dims, kind in tensors:
        out += [_string(name), struct.pack("<I", len(dims)), b"".join(struct.pack("<Q", d) for d in dims),
                struct.pack("<IQ", kind, 0)]
    return b"".join(out) + bytes(pad)


def steps(fn: Callable[[], Any]) -> int:
    """How many Python lines `fn` runs (every frame traced): a count, not a time, so a test can
    check that work grows with its input in proportion and no faster, on a loaded machine too."""
    count = 0

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count
