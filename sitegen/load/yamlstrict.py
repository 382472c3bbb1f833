"""A strict YAML reader for untrusted card metadata that keeps the line of every key."""
from __future__ import annotations

# PyYAML composes the node graph (libyaml when available); the values are built here so
# that every rule of spec/security.md section 2 holds: YAML 1.2 booleans only (`no` stays
# a string), no timestamps, sets, binaries or application tags, finite floats, no duplicate
# keys, and a budget on alias expansion so a billion-laughs document fails in microseconds.

import math
import re
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 250_000  # expanded nodes; real model-index blocks stay far below
# Expanded text, counted as if every alias were written out: a page shows each copy, so aliases
# may make a document no bigger than the largest front matter written out (card.py's
# MAX_FRONT_MATTER); the most a real card expands to is 329,402.
MAX_CHARS = 2 * 1024 * 1024
MAX_DEPTH = 64  # levels of nesting; real cards use at most 7
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

# How the Hub reads a plain scalar (PyYAML's YAML 1.1 rules): a key must be a string there too.
_HUB_RESOLVER: Any = yaml.SafeLoader("")

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


def load(text: str, first_line: int = 1,
         front_matter: bool = False) -> tuple[Any, dict[str, int], list[YamlError]]:
    """Parse one YAML document; return the value, a map of key path -> line (1-based),
    and notes about values that were kept in another form.

    Lines are relative to the YAML text; `first_line` is where it starts in its file, for
    messages that name a second line. For `front_matter`, an error on line 0 is on the
    opening '---' line.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _explained(text, exc, front_matter, first_line) from None
        except yaml.reader.ReaderError as exc:  # NUL or control characters: no mark, a position
            line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
            char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
            raise YamlError(f"invalid YAML: character U+{char:04X} is not allowed in YAML "
                            "(write control characters as escapes in a quoted string)", line) from None
        except yaml.YAMLError as exc:
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


def _explained(text: str, exc: yaml.MarkedYAMLError, front_matter: bool, first_line: int) -> YamlError:
    """The parser's error in the author's words when a rule in yamlhints knows the slip."""
    from . import yamlhints
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or exc.context or "invalid YAML"
    spot = (mark.line, mark.column) if mark else None
    context = exc.context_mark
    hint = yamlhints.explain(text, problem, exc.context or "", spot,
                             (context.line, context.column) if context else None, front_matter,
                             first_line)
    if hint is None:
        return YamlError(f"invalid YAML: {problem}", line)
    return YamlError(f"invalid YAML: {hint[1]} (the YAML parser said: {problem})", hint[0])


def _check_size(root: yaml.Node) -> None:
    """Reject documents nested past MAX_DEPTH, whose aliases would expand past MAX_NODES
    values or MAX_CHARS characters, and alias cycles."""
    sizes: dict[int, tuple[int, int]] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line = node.start_mark.line + 1
        if key in on_path:
            raise YamlError("an alias refers to itself (recursive YAML)", line)
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML is nested more than {MAX_DEPTH} levels deep", line)
        on_path.add(key)
        nodes, chars = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else []
        for child in children:
            n, c = size(child, depth + 1)
            nodes, chars = nodes + n, chars + c
        on_path.discard(key)
        if nodes > MAX_NODES:
            raise YamlError(f"YAML expands to more than {MAX_NODES:,} values (alias bomb?)", line)
        if chars > MAX_CHARS:
            raise YamlError(f"YAML expands to more than {MAX_CHARS:,} characters (alias bomb?)", line)
        sizes[key] = (nodes, chars)
        return nodes, chars

    try:
        size(root, 0)
    except RecursionError:  # only when called from deep in the stack already
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
                if "<<" in seen:
                    raise YamlError(f"duplicate key '<<' (first defined on line {seen['<<'] + self.offset}); "
                                    "merge several mappings with <<: [*a, *b]", line, path)
                seen["<<"] = line
                for src in self.merge_sources(value_node, path):
                    for k, v in src.items():
                        merged.setdefault(k, v)
                continue
            name = self.key(key_node, path)
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

    def key(self, node: yaml.Node, path: str) -> str:
        """A mapping key: a string here and for the Hub, whose YAML 1.1 reader turns `1`,
        `yes`, `null` or a date into something else, and `1` and `true` into one key."""
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.ScalarNode):
            raise YamlError("mapping keys must be plain strings, found a "
                            f"{'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}", line, path)
        hub = _HUB_RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False)) \
            if node.style is None else _STR
        if node.tag != _STR or hub != _STR:
            tag = node.tag if node.tag != _STR else hub
            if tag not in _SCALAR_TAGS and tag != "tag:yaml.org,2002:timestamp":
                raise YamlError(f"YAML tag {node.tag!r} is not allowed", line, path)
            what = tag.rsplit(":", 1)[-1].replace("timestamp", "date").replace("null", "null value")
            raise YamlError(f"mapping keys must be strings, found the {what} {node.value!r}; "
                            f"put it in quotes: '{node.value}'", line, path)
        self.scalar(node, path)  # the same checks as any string
        return str(node.value)

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
