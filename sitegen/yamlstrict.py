"""A strict YAML reader for untrusted card metadata that keeps the line of every key.

PyYAML composes the node graph (libyaml when available); the values are built here so
that every rule of spec/security.md section 2 holds: YAML 1.2 booleans only (`no` stays
a string), no timestamps, sets, binaries or application tags, finite floats, no duplicate
keys, and a budget on alias expansion so a billion-laughs document fails in microseconds.
"""
from __future__ import annotations

import math
import re
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 250_000  # expanded nodes; real model-index blocks stay far below
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Loader(_Base):
    pass


# YAML 1.2 core booleans only, and no timestamps: dates stay strings.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL_RE, list("tTfF"))

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


class YamlError(Exception):
    """A YAML problem at a line of the YAML text (1-based)."""

    def __init__(self, message: str, line: int | None, key: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.key = key


def load(text: str, first_line: int = 1) -> tuple[Any, dict[str, int], list[YamlError]]:
    """Parse one YAML document; return the value, a map of key path -> line (1-based),
    and notes about values that were kept in another form.

    Lines are relative to the YAML text; `first_line` is where it starts in its file, for
    messages that name a second line.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            raise YamlError(f"invalid YAML: {problem}", line) from None
        except yaml.YAMLError as exc:  # ReaderError: NUL or control characters
            raise YamlError(f"invalid YAML: {exc}", None) from None
        except RecursionError:
            raise YamlError("invalid YAML: nested too deeply", None) from None
        if node is None:
            return None, {}, []
        _check_size(node)
        builder = _Builder(loader, first_line - 1)
        return builder.build(node, ""), builder.lines, builder.notes
    finally:
        loader.dispose()


def _check_size(root: yaml.Node) -> None:
    """Reject documents whose aliases would expand past MAX_NODES, and alias cycles."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise YamlError("an alias refers to itself (recursive YAML)", node.start_mark.line + 1)
        on_path.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        on_path.discard(key)
        if total > MAX_NODES:
            raise YamlError(f"YAML expands to more than {MAX_NODES} values (alias bomb?)",
                            node.start_mark.line + 1)
        sizes[key] = total
        return total

    try:
        size(root)
    except RecursionError:
        raise YamlError("YAML is nested too deeply", root.start_mark.line + 1) from None


class _Builder:
    def __init__(self, loader: Any, offset: int):
        self.loader = loader
        self.offset = offset
        self.lines: dict[str, int] = {}
        self.notes: list[YamlError] = []
        self.memo: dict[int, Any] = {}

    def build(self, node: yaml.Node, path: str) -> Any:
        key = id(node)
        if key in self.memo:  # an alias: same value, lines stay at the anchor
            return self.memo[key]
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node, path)
        elif isinstance(node, yaml.SequenceNode):
            self.expect_tag(node, "tag:yaml.org,2002:seq", path)
            value = []
            for i, child in enumerate(node.value):
                child_path = f"{path}[{i}]"
                self.lines.setdefault(child_path, child.start_mark.line + 1)
                value.append(self.build(child, child_path))
        elif isinstance(node, yaml.MappingNode):
            self.expect_tag(node, "tag:yaml.org,2002:map", path)
            value = self.mapping(node, path)
        else:
            raise YamlError("unexpected YAML node", node.start_mark.line + 1, path)
        self.memo[key] = value
        return value

    def expect_tag(self, node: yaml.Node, tag: str, path: str) -> None:
        if node.tag != tag:
            raise YamlError(f"YAML tag {node.tag!r} is not allowed", node.start_mark.line + 1, path)

    def mapping(self, node: yaml.MappingNode, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                for src in self.merge_sources(value_node, path):
                    for k, v in src.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("mapping keys must be plain strings, found a "
                                f"{'list' if isinstance(key_node, yaml.SequenceNode) else 'mapping'}",
                                line, path)
            # Numbers, booleans and null as keys keep their text, as a JSON reader would.
            name = key_node.value
            if name in seen:
                raise YamlError(f"duplicate key {name!r} (first defined on line {seen[name] + self.offset})",
                                line, path)
            seen[name] = line
            child_path = f"{path}.{name}" if path else name
            self.lines.setdefault(child_path, line)
            out[name] = self.build(value_node, child_path)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def merge_sources(self, node: yaml.Node, path: str) -> list[dict[str, Any]]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for n in nodes:
            value = self.build(n, path)
            if not isinstance(value, dict):
                raise YamlError("a merge key '<<' needs a mapping", n.start_mark.line + 1, path)
            out.append(value)
        return out

    def scalar(self, node: yaml.ScalarNode, path: str) -> Any:
        tag, text, line = node.tag, node.value, node.start_mark.line + 1
        if tag not in _SCALAR_TAGS:
            raise YamlError(f"YAML tag {tag!r} is not allowed", line, path)
        if tag == _STR:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise YamlError("string holds an invalid character (lone surrogate escape)",
                                line, path) from None
            return text
        if tag.endswith(":null"):
            return None
        if tag.endswith(":bool"):
            if text.lower() not in ("true", "false"):
                raise YamlError(f"expected true or false, got {text!r}", line, path)
            return text.lower() == "true"
        try:
            if tag.endswith(":int"):
                return self.loader.construct_yaml_int(node)
            value = self.loader.construct_yaml_float(node)
        except ValueError as exc:
            raise YamlError(f"number {text[:40]!r} cannot be read: {exc}", line, path) from None
        if not math.isfinite(value):
            # JSON has no NaN or infinity: keep what the author wrote, as text.
            self.notes.append(YamlError(f"{text!r} is not a finite number; shown as text", line, path))
            return text
        return value
