"""Model facts read from the repo's files without loading a model: parameters, formats, GGUF, templates."""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import configfacts, weights
from .configfacts import Template
from . import gguf
from .gguf import GgufError, quant_label, read_gguf
from .weights import Count, Quant, WeightError
from ..report import Report

MAX_GGUF_FILES = 200  # headers read per repo
MAX_GGUF_TENSORS = 300_000  # tensor infos read per repo, over all its GGUF files
_GGUF_SHARD = re.compile(r"^(.*?)-(\d{5})-of-(\d{5})\.gguf$")
_CHECKPOINT = re.compile(r"(^|/)(checkpoint|global_step|epoch)[-_]?\d+(/|$)")


@dataclass(frozen=True)
class Component:
    """The safetensors weights of one folder (a diffusers component; "" for the repo root)."""

    folder: str
    params: int | None  # None: unknown
    dtypes: tuple[tuple[str, int], ...]  # parameters per dtype, most first ((): unknown)
    files: int
    source: str  # "headers", "index" (its total_parameters) or "" (unknown)


@dataclass(frozen=True)
class GgufFile:
    """One GGUF model file (its shards taken together)."""

    path: str
    size: int  # bytes, of every shard
    pointer: bool  # a Git LFS pointer: only its name and size are known
    quant: str
    params: int | None
    architecture: str = ""
    context: int | None = None
    shards: int = 1


@dataclass(frozen=True)
class ModelFacts:
    """What the weights, config.json and side files say of a model."""

    params: int | None
    dtypes: tuple[tuple[str, int], ...]
    components: tuple[Component, ...]
    formats: tuple[str, ...]
    weight_bytes: int
    pointers: int  # weight files that are Git LFS pointers
    ggufs: tuple[GgufFile, ...]
    config: tuple[tuple[str, str], ...]  # (label, value) from config.json
    templates: tuple[Template, ...]
    packed: str = ""  # the quantisation method whose packed integer weights were counted unpacked
    notes: tuple[str, ...] = ()  # what the page says of counts left out or unknown

    @property
    def empty(self) -> bool:
        return not (self.params or self.formats or self.config or self.templates)


def read_facts(root: Path, shown: str, files: Any, config: dict[str, Any] | None,
               side: dict[str, Any], report: Report) -> ModelFacts:
    """Read the facts of a repo listing (RepoFile items); a file that cannot be read gets a
    located warning and leaves its part unknown."""
    formats: set[str] = set()
    total, pointers, notes = 0, 0, []
    weight_files = []
    for f in files:
        fmt = configfacts.weight_format(f.path)
        if not fmt:
            continue
        formats.add(fmt)
        real = weights.is_pointer(root, f.path, f.size)
        pointers += real is not None
        total += f.size if real is None else real
        weight_files.append((f.path, f.size, real))
    method, bits = configfacts.quant_method(config)
    quant = Quant(method if method != "unknown" else "?", bits, configfacts.keep_unpacked(config))
    reader = _Safetensors(root, shown, report, quant)
    indexes: list[tuple[str, int, int | None]] = [(f.path, f.size, None) for f in files
                                                  if f.path.endswith(".safetensors.index.json")]
    components = reader.components([w for w in weight_files if w[0].endswith(".safetensors")] + indexes,
                                   isinstance(side.get("model_index.json"), dict))
    notes += reader.notes
    ggufs, gguf_templates = _ggufs(root, shown, [w for w in weight_files if w[0].endswith(".gguf")], report)
    known = [c for c in components if c.params is not None]
    params: int | None = sum(c.params or 0 for c in known) if known else None
    dtypes: dict[str, int] = {}
    for c in known:
        for dtype, n in c.dtypes:
            dtypes[dtype] = dtypes.get(dtype, 0) + n
    if len(known) < len(components):
        notes.append("the parameters in " + ", ".join(f"{c.folder or 'the root'}" for c in components
                                                       if c.params is None)
                     + " are unknown (Git LFS pointers with no index that counts them, or unreadable)")
    if params is None:
        params = max((g.params for g in ggufs if g.params), default=None)
    templates = configfacts.templates(side, tuple(gguf_templates[:1]))
    return ModelFacts(params, tuple(sorted(dtypes.items(), key=lambda kv: (-kv[1], kv[0]))), tuple(components),
                      configfacts.sort_formats(formats), total, pointers, tuple(ggufs),
                      configfacts.config_facts(config), templates,
                      quant.method if reader.packed else "", tuple(notes))


class _Safetensors:
    """Counts the safetensors weights of a repo, folder by folder, within one read budget."""

    def __init__(self, root: Path, shown: str, report: Report, quant: Quant):
        self.root, self.shown, self.report, self.quant = root, shown, report, quant
        self.budget = [weights.MAX_READ, weights.MAX_TENSORS]
        self.notes: list[str] = []
        self.packed = False

    def warn(self, path: str, message: str) -> None:
        self.report.warning(message, os.path.join(self.shown, path))

    def components(self, found: list[tuple[str, int, int | None]], diffusers: bool) -> list[Component]:
        """One Component per folder holding safetensors weights (training checkpoints left out)."""
        folders: dict[str, dict[str, tuple[int, int | None]]] = {}
        for path, size, real in found:
            if not _CHECKPOINT.search(path):
                folders.setdefault(posixpath.dirname(path), {})[posixpath.basename(path)] = (size, real)
        if not diffusers and "" in folders:
            folders = {"": folders[""]}  # beside root weights, subfolders hold other things
        return [c for folder in sorted(folders) for c in [self._folder(folder, folders[folder])] if c]

    def _folder(self, folder: str, names: dict[str, tuple[int, int | None]]) -> Component | None:
        """Count the main weights of one folder: an index's shards, else the files by shard group;
        of several groups (fp16 copies, EMA weights) the first whose name is the usual one, else
        the largest, and the others are noted."""
        groups: dict[str, list[str]] = {}
        indexes: dict[str, dict[str, Any]] = {}
        for name in sorted(names):
            if name.endswith(".safetensors.index.json"):
                index = self._index(posixpath.join(folder, name))
                shards = weights.index_shards(index) if index is not None else None
                if index is not None and shards is None:
                    self.warn(posixpath.join(folder, name), "expected a weight_map of at most "
                              f"{weights.MAX_SHARDS:,} files in its folder (no '..', '/' or '://'); ignored")
                elif index is not None and shards is not None:
                    group = name.removesuffix(".safetensors.index.json")
                    indexes[group] = index
                    groups[group] = shards
        claimed = {s for shards in groups.values() for s in shards}
        for name in sorted(names):
            if name.endswith(".safetensors") and name not in claimed:
                group = weights.shard_group(name)
                groups.setdefault(name if group in indexes else group, []).append(name)
        counted = {g: self._group(folder, names, members, indexes.get(g)) for g, members in groups.items()}
        if not counted:
            return None
        usual = [g for g in ("model", "diffusion_pytorch_model") if g in counted]
        main = usual[0] if usual else max(counted, key=lambda g: (counted[g].params or -1, g == min(counted)))
        others = [g for g in counted if g != main]
        if others:
            self.notes.append(f"in {folder or 'the root'}, {main} is counted; {', '.join(others[:5])}"
                              f"{' …' if len(others) > 5 else ''} (other copies of the weights) not added")
        return counted[main]

    def _index(self, path: str) -> dict[str, Any] | None:
        try:
            return weights.read_index(self.root / path)
        except (OSError, WeightError) as exc:
            self.warn(path, f"{exc}; its shards are read without it" if isinstance(exc, WeightError)
                      else f"cannot be read ({exc.strerror})")
            return None

    def _group(self, folder: str, names: dict[str, tuple[int, int | None]], members: list[str],
               index: dict[str, Any] | None) -> Component:
        """Count one group of shards from their headers; where a header is missing or a pointer,
        from the index's total_parameters, else unknown."""
        stated = weights.metadata_total(index) if index is not None else None
        count, complete = Count({}), bool(members)
        for name in members:
            path = posixpath.join(folder, name)
            if name not in names:
                self.warn(path, "named by the index but not in the repo")
                complete = False
            elif names[name][1] is not None:
                complete = False  # a Git LFS pointer
            else:
                one = self._header(path)
                complete &= one is not None
                if one is not None:
                    count.add(one)
        if complete:
            total = min(stated, count.total) if stated is not None else count.total
            return Component(folder, total, _ordered(count.dtypes), len(members), "headers")
        if stated is not None:
            return Component(folder, stated, (), len(members), "index")
        return Component(folder, None, (), len(members), "")

    def _header(self, path: str) -> Count | None:
        try:
            header = weights.read_header(self.root / path, self.budget)
        except WeightError as exc:
            self.warn(path, f"{exc}; its parameters are not counted")
            return None
        except OSError as exc:
            self.warn(path, f"cannot be read ({exc.strerror}); its parameters are not counted")
            return None
        count = weights.count_header(header, self.quant)
        if count.bad:
            self.warn(path, f"{count.bad:,} tensor{'s' if count.bad > 1 else ''} with a dtype or shape that "
                      "makes no sense (expected a safetensors dtype and a list of at most 8 dims of 0 to 2^32); "
                      "not counted")
        self.packed |= count.packed
        return count


def _ordered(dtypes: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((d, n) for d, n in dtypes.items() if n), key=lambda kv: (-kv[1], kv[0])))


def _ggufs(root: Path, shown: str, found: list[tuple[str, int, int | None]],
           report: Report) -> tuple[list[GgufFile], list[tuple[str, str]]]:
    """One GgufFile per GGUF model file, its shards taken together, headers read for at most
    MAX_GGUF_FILES files; and the (path, chat template) of those that hold one."""
    out: dict[str, GgufFile] = {}
    templates: list[tuple[str, str]] = []
    budget = MAX_GGUF_TENSORS
    for n, (path, size, real) in enumerate(found):
        shard = _GGUF_SHARD.match(path)
        key = shard.group(1) if shard else path
        label = quant_label(posixpath.basename(path))
        if real is not None or n >= MAX_GGUF_FILES:
            one = GgufFile(path, real if real is not None else size, real is not None, label, None)
        else:
            try:
                g = read_gguf(root / path, min(gguf.MAX_TENSORS, budget))
                budget -= g.tensors
            except (GgufError, OSError) as exc:
                report.warning(f"{exc if isinstance(exc, GgufError) else exc.strerror}; its facts are not shown",
                               os.path.join(shown, path))
                one = GgufFile(path, size, False, label, None)
            else:
                one = GgufFile(path, size, False, g.quant or label, g.params, g.architecture, g.context)
                if g.template:
                    templates.append((path, g.template))
        if key in out:
            prev = out[key]
            params = prev.params + one.params if prev.params is not None and one.params is not None else None
            one = GgufFile(prev.path, prev.size + one.size, prev.pointer or one.pointer, prev.quant or one.quant,
                           params, prev.architecture or one.architecture, prev.context or one.context, prev.shards + 1)
        out[key] = one
    return list(out.values()), templates
