"""Parameter counts from safetensors headers and index files, reading no tensor data."""
from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .lfs import MAX_POINTER_BYTES, pointer
from .safeio import open_file

# Limits (spec/hub-repos.md section 3): the Hub reads headers of at most 25 MB, dims of at most
# 2^32 and at most 10,000 shards. A repo reads at most MAX_READ header bytes and MAX_TENSORS
# tensor entries in all (the largest real models: about 30 MB and 150,000), so that a hostile
# one builds in its time limit: past them the index's totals stand in, else the count is unknown.
MAX_HEADER = 25_000_000
MAX_DIM = 1 << 32
MAX_DIMS = 8
MAX_SHARDS = 10_000
MAX_READ = 50_000_000
MAX_TENSORS = 300_000
MAX_INDEX_BYTES = 25_000_000

# dtype -> bits (the Rust Dtype, and the names huggingface.js also accepts).
DTYPE_BITS = {
    "F4": 4, "FP4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8,
    "F8_E8M0": 8, "E8M0": 8, "UE8": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16,
    "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "I64": 64, "U64": 64, "F64": 64, "C64": 64,
}
INTEGER = {"U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64"}
SCALE_ONLY = {"F8_E8M0", "E8M0", "UE8"}  # block scales, never parameters
_SHARD = re.compile(r"^(.*?[_-])(\d{5,6})-of-(\d{5,6})\.safetensors$")


class WeightError(ValueError):
    """A weight file that cannot be read as its format says: the message says what is wrong."""


@dataclass(frozen=True)
class Quant:
    """How config.json says the weights are quantised: the packing to undo when counting."""

    method: str  # quant_method, lower case ("" when config.json has no quantization_config)
    bits: int  # 0 when not given
    keep: tuple[str, ...] = ()  # modules_to_not_convert / ignore: stored unpacked


@dataclass
class Count:
    """Parameters counted in some safetensors files: per dtype, and whether packed integers were met."""

    dtypes: dict[str, int]
    packed: bool = False  # integer weights of a quantised model: counted unpacked where the method is known
    bad: int = 0  # tensors left out (a dtype or shape that makes no sense)

    @property
    def total(self) -> int:
        return sum(self.dtypes.values())

    def add(self, other: Count) -> None:
        for dtype, n in other.dtypes.items():
            self.dtypes[dtype] = self.dtypes.get(dtype, 0) + n
        self.packed |= other.packed
        self.bad += other.bad


def is_pointer(root: Path, path: str, size: int) -> int | None:
    """The real size of a repo file that is a Git LFS pointer, or None when it is not one."""
    if size >= MAX_POINTER_BYTES:
        return None
    try:
        with open_file(root / path) as f:
            found = pointer(f.read(MAX_POINTER_BYTES))
    except OSError:
        return None
    return found[1] if found else None


def read_header(full: Path, budget: list[int]) -> dict[str, Any]:
    """The JSON header of a safetensors file (never its tensors); WeightError when it is not one.
    `budget`: [header bytes, tensors] this repo may still read, lowered by what this one reads."""
    with open_file(full) as f:
        size = f.seek(0, 2)
        f.seek(0)
        head = f.read(8)
        if len(head) < 8:
            raise WeightError(f"the file is {len(head)} bytes long; a safetensors file starts with an 8-byte header length")
        (length,) = struct.unpack("<Q", head)
        if length > MAX_HEADER:
            raise WeightError(f"a header length of {length:,} bytes; at most {MAX_HEADER:,} are read")
        if length > size - 8:
            raise WeightError(f"a header length of {length:,} bytes, but the file has {size - 8:,} after it (truncated?)")
        if length > budget[0]:
            raise WeightError(f"the repo's headers together pass the limit of {MAX_READ:,} bytes")
        budget[0] -= length
        data = f.read(length)
    if len(data) < length:
        raise WeightError("the header is cut short")
    if data.count(b'"dtype"') > budget[1]:  # before parsing: no time spent on what is refused
        raise WeightError(f"the repo's headers together list more than {MAX_TENSORS:,} tensors")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise WeightError("the header is not UTF-8 text") from None
    except RecursionError:
        raise WeightError("the header's JSON is nested too deeply") from None
    except ValueError as exc:
        raise WeightError(f"the header is not JSON ({str(exc)[:80]})") from None
    if not isinstance(value, dict):
        raise WeightError("the header is not a JSON object")
    if len(value) > budget[1]:
        raise WeightError(f"the repo's headers together list more than {MAX_TENSORS:,} tensors")
    budget[1] -= len(value)
    return value


def count_header(header: dict[str, Any], quant: Quant) -> Count:
    """Count the parameters a header describes, per dtype, as the Hub does: scalars are
    skipped, block scales too, and packed quantised weights are counted unpacked."""
    out = Count({})
    for name, info in header.items():
        if name == "__metadata__":
            continue
        n = _elements(info)
        if n is None:
            out.bad += 1
            continue
        dtype = info["dtype"]
        factor = _factor(str(name), dtype, quant)
        if dtype in INTEGER and quant.method:
            out.packed = True
        if n and factor:
            out.dtypes[dtype] = out.dtypes.get(dtype, 0) + int(n * factor)
    return out


def metadata_total(header: dict[str, Any]) -> int | None:
    """`total_parameters` in a header's or an index's metadata, when it is a count."""
    meta = header.get("__metadata__", header.get("metadata"))
    value = meta.get("total_parameters") if isinstance(meta, dict) else None
    if isinstance(value, str) and value.isdigit() and len(value) < 20:
        value = int(value)
    return value if type(value) is int and 0 <= value < 1 << 60 else None


def _elements(info: Any) -> int | None:
    """The element count of one header entry (0 for a scalar); None when it makes no sense."""
    if not isinstance(info, dict) or info.get("dtype") not in DTYPE_BITS:
        return None
    shape = info.get("shape")
    if not isinstance(shape, list) or len(shape) > MAX_DIMS:
        return None
    n = 1
    for dim in shape:
        if type(dim) is not int or not 0 <= dim <= MAX_DIM:
            return None
        n *= dim
    return n if shape else 0


def _factor(name: str, dtype: str, quant: Quant) -> float:
    """How many parameters one stored element holds (0: not a parameter), by huggingface.js's
    corrections for packed quantised weights (spec/hub-repos.md section 3)."""
    if dtype in SCALE_ONLY:
        return 0
    method = quant.method
    if not method:
        return 1
    leaf = name.rsplit(".", 1)[-1]
    if leaf in ("qzeros", "g_idx", "scales", "absmax", "quant_map", "weight_scale", "weight_zero_point",
                "input_scale", "weight_shape", "SCB") or ".quant_state." in name or "nested_" in leaf \
            or name.endswith("_scales"):
        return 0
    if any(name.startswith(k + ".") or f".{k}." in name for k in quant.keep):
        return 1
    bits = quant.bits
    if method in ("gptq", "awq") and bits:
        return 32 / bits if dtype == "I32" and leaf == "qweight" else 8 / bits if dtype == "U8" else 1
    if method == "bitsandbytes" and bits == 4 and dtype == "U8":
        return 2
    if method == "compressed-tensors" and bits and dtype in INTEGER:
        return DTYPE_BITS[dtype] / bits
    if method == "mxfp4" and dtype == "U8" and name.endswith("_blocks"):
        return 2
    return 1


def index_shards(index: dict[str, Any]) -> list[str] | None:
    """The shard files an index's weight_map names, relative to its folder; None when the map
    is missing, too long, or names a file outside the folder (as the Hub checks them)."""
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict):
        return None
    shards = list(dict.fromkeys(v for v in weight_map.values() if isinstance(v, str)))
    if not shards or len(shards) > MAX_SHARDS or len(shards) < len(set(weight_map.values())):
        return None
    if any(".." in s or "://" in s or s.startswith("/") or "\\" in s for s in shards):
        return None
    return shards


def read_index(full: Path) -> dict[str, Any]:
    """A `*.safetensors.index.json` file as a dict; WeightError when it is not one."""
    with open_file(full) as f:
        data = f.read(MAX_INDEX_BYTES + 1)
    if len(data) > MAX_INDEX_BYTES:
        raise WeightError(f"the index is longer than {MAX_INDEX_BYTES:,} bytes; not read")
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        raise WeightError("the index is not JSON") from None
    if not isinstance(value, dict):
        raise WeightError("the index is not a JSON object")
    return value


def index_size(index: dict[str, Any]) -> int | None:
    """The index's metadata total_size (bytes), when it is one."""
    meta = index.get("metadata")
    value = meta.get("total_size") if isinstance(meta, dict) else None
    return value if type(value) is int and 0 <= value < 1 << 60 else None


def shard_group(name: str) -> str:
    """The name a shard shares with its siblings (`model-00001-of-00003.safetensors` -> `model`)."""
    found = _SHARD.match(name)
    return found.group(1)[:-1] if found else name.removesuffix(".safetensors")
