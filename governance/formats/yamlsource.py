"""Safe YAML/JSON loading that remembers where every value came from.

PyYAML's composer gives nodes with positions; we build plain Python values ourselves so
that:

* only plain data is made (no tags, no objects: safe loading);
* duplicate keys are refused with both lines named;
* scalars resolve as in YAML 1.2's core schema: ``yes``/``no``/``on``/``off`` stay text,
  and dates stay strings so that pydantic reports ``2025-02-30`` with its line;
* every value's line and column is kept in a map keyed by its path
  (``("applicant", "partners", 1, "kind")``).

JSON is read by the same code (JSON is YAML flow syntax), so JSON inputs get placed
errors too.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from governance.errors import InputError, Problem, display_path

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where present: same nodes, faster

Path_ = tuple  # a path into the document: tuple of str keys and int indexes

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in
               ("str", "int", "float", "bool", "null", "timestamp", "value", "map", "seq", "merge")}
_FALSE = {"false", "False", "FALSE"}


@dataclass
class Source:
    """A loaded document: its data and where each part of it stands."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``path``, or of its nearest parent."""
        path = tuple(path)
        table = self.key_marks if key else self.marks
        if path in table:
            return table[path]
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (None, None))

    def problem(self, path: Path_, message: str, hint: str | None = None, *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(message, self.file, line, column, dotted(path) or None, hint)


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style not in (None, ""):  # quoted or block scalar: always text (libyaml gives "" for plain)
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value.replace("_", ""))
    if value in {".inf", "+.inf", "-.inf", ".nan", ".NaN"}:
        return value  # kept as text: never a number in this project
    return value


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.key_marks: dict[Path_, tuple[int, int]] = {}

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self._error(node, path, f"YAML tags such as {tag} are not allowed: plain data only")
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            seen: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._error(key_node, path, "merge keys (<<) are not allowed")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._error(key_node, path, "a key must be a plain name")
                key = key_node.value
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    raise self._error(key_node, path + (key,),
                                      f"duplicate key '{key}' (first given on line {first})")
                seen[key] = key_node
                self.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, path + (key,))
            return result
        raise self._error(node, path, "unsupported YAML node")  # pragma: no cover

    def _error(self, node: yaml.Node, path: Path_, message: str) -> InputError:
        return InputError(Problem(message, self.file, node.start_mark.line + 1,
                                  node.start_mark.column + 1, dotted(path) or None))


def _check_json(text: str, file: str, error: type) -> None:
    """JSON files must be JSON: YAML would accept a trailing comma or a comment."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(Problem(f"not valid JSON: {exc.msg}", file, exc.lineno, exc.colno)) from None


def parse_text(text: str, file: str, error: type = InputError) -> Source:
    """Parse one YAML or JSON document held in ``text`` (JSON when ``file`` ends in .json)."""
    if file.lower().endswith(".json"):
        _check_json(text, file, error)
    try:
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(part for part in (exc.context, exc.problem) if part)
        raise error(Problem(f"not valid YAML: {msg}", file,
                            mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise error(Problem(f"not valid YAML: {exc}", file)) from None
    if not nodes or nodes[0] is None:
        raise error(Problem("the file is empty", file, 1, 1))
    if len(nodes) > 1:
        second = nodes[1]
        raise error(Problem("one document per file: found a second one", file,
                            second.start_mark.line + 1, 1))
    builder = _Builder(file)
    try:
        data = builder.build(nodes[0], ())
    except InputError as exc:
        raise error(exc.problems) from None
    return Source(file, data, builder.marks, builder.key_marks)


def load_file(path: str | Path, error: type = InputError) -> Source:
    """Read and parse a YAML or JSON file; unreadable files are placed errors too."""
    name = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise error(Problem(f"cannot read the file: {exc.strerror}", name)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(Problem("the file is not UTF-8 text", name, line,
                            hint="save it as UTF-8 (Latin-1 and Windows-1252 are not read)")) from None
    return parse_text(text, name, error)
