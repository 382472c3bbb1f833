"""The facts panel of a model page: the load wing's ModelFacts in words, chat templates highlighted."""
from __future__ import annotations

from dataclasses import dataclass

from pygments.lexers.templates import DjangoLexer

from .load.facts import Component, GgufFile, ModelFacts
from .markdown.highlight import highlight
from .sizes import short_count

# Methods whose packing load/weights.py undoes when counting (huggingface.js's table).
UNPACKED = ("gptq", "awq", "bitsandbytes", "compressed-tensors", "mxfp4")


@dataclass(frozen=True)
class ShownTemplate:
    name: str
    source: str
    html: str  # highlighted Jinja source, never rendered
    cut: bool
    lines: int


@dataclass(frozen=True)
class FactsView:
    """What facts.html shows."""

    headline: tuple[str, ...]  # "7.24B params", "BF16", "Safetensors"
    rows: tuple[tuple[str, str], ...]  # (label, value)
    dtypes: tuple[tuple[str, str, str], ...]  # (dtype, count, share)
    components: tuple[tuple[str, str, str], ...]  # (folder, parameters, how known)
    ggufs: tuple[tuple[str, str, str, str, bool], ...]  # (file, quantisation, size, parameters, in Git LFS)
    notes: tuple[str, ...]
    templates: tuple[ShownTemplate, ...]
    params: int  # 0: unknown (the index sorts and filters by it)
    formats: tuple[str, ...]

    @property
    def more(self) -> str:
        """The title of the tables' fold: "Tensor types and GGUF files"."""
        parts = [name for name, shown in (("tensor types", self.dtypes), ("components", self.components),
                                          ("GGUF files", self.ggufs)) if shown]
        text = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
        return text[:1].upper() + text[1:]


def facts_view(facts: ModelFacts | None) -> FactsView | None:
    """The panel of a model's facts, or None when there is nothing to say."""
    if facts is None or facts.empty:
        return None
    headline = []
    if facts.params:
        headline.append(f"{short_count(facts.params)} params")
    if facts.dtypes:
        headline.append(facts.dtypes[0][0])
    headline += facts.formats
    rows = list(facts.config) + _gguf_rows(facts)
    if facts.params:
        rows.insert(0, ("Parameters", f"{facts.params:,}"))
    if facts.weight_bytes:
        rows.append(("Weights", _filesize(facts.weight_bytes) + (f" · {facts.pointers} file{'s' if facts.pointers > 1 else ''}"
                                                                  " in Git LFS, not downloaded" if facts.pointers else "")))
    total = sum(n for _, n in facts.dtypes) or 1
    dtypes = tuple((d, f"{n:,}", f"{100 * n / total:.1f}%") for d, n in facts.dtypes if d)
    return FactsView(tuple(headline), tuple(rows), dtypes if len(dtypes) > 1 else (),
                     _components(facts.components), tuple(_gguf(g) for g in facts.ggufs), _notes(facts),
                     tuple(_template(t.name, t.source, t.text, t.cut) for t in facts.templates),
                     facts.params or 0, facts.formats)


def _gguf_rows(facts: ModelFacts) -> list[tuple[str, str]]:
    """Architecture and context length from a GGUF header, where config.json does not say them."""
    said = {label for label, _ in facts.config}
    arch = next((g.architecture for g in facts.ggufs if g.architecture), "")
    context = next((g.context for g in facts.ggufs if g.context), None)
    return [row for row in (("Architecture", arch), ("Context length", f"{context:,}" if context else ""))
            if row[1] and row[0] not in said]


def _components(components: tuple[Component, ...]) -> tuple[tuple[str, str, str], ...]:
    if len(components) < 2:
        return ()
    how = {"headers": "headers", "index": "index", "": "unknown"}
    return tuple((c.folder or "(root)", f"{c.params:,}" if c.params is not None else "unknown", how[c.source])
                 for c in components)


def _gguf(g: GgufFile) -> tuple[str, str, str, str, bool]:
    size = _filesize(g.size) + (f" in {g.shards} shards" if g.shards > 1 else "")
    return g.path, g.quant or "unknown", size, short_count(g.params) if g.params else "unknown", g.pointer


def _notes(facts: ModelFacts) -> tuple[str, ...]:
    notes = [n[0].upper() + n[1:] + "." for n in facts.notes]
    if facts.packed:
        notes.append(f"Packed {facts.packed} weights: counted as unpacked parameters, as the Hub counts them."
                     if facts.packed in UNPACKED else
                     "Integer weights of a quantised model (method unknown): counted as stored, so the count "
                     "may be off.")
    return tuple(notes)


def _template(name: str, source: str, text: str, cut: bool) -> ShownTemplate:
    return ShownTemplate(name, source, highlight(text, DjangoLexer()), cut, text.count("\n") + 1)


def _filesize(size: int) -> str:
    """Bytes in decimal units, as the Hub writes them (15.2 GB)."""
    for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} B"
