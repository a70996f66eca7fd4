"""Safe YAML/JSON loading that remembers where every value came from.

The document is built from libyaml's parser events (no node graph, no recursion). A quick
pass (``_quick``) makes the data of a valid file; whatever it would refuse, and any anchor,
sends the file to the full pass (``_Builder``), which keeps every position and places the
problem. Both passes refuse the same things, so that:

* only plain data is made: every explicit tag (``!!str``, ``!!python/object``, ``!x``) and
  merge key is refused;
* duplicate keys are refused with both lines named;
* scalars resolve as in YAML 1.2's core schema: ``yes``/``no``/``on``/``off`` stay text,
  and dates stay strings so that pydantic reports ``2025-02-30`` with its line; a number
  too large to be meant (over 20 digits, or beyond a float's range) is refused;
* no file can exhaust memory or the stack: depth, values (aliases counted as what they
  stand for), list lengths and alias uses are bounded (``governance.formats.limits``);
* every value's line and column is kept in a map keyed by its path
  (``("applicant", "partners", 1, "kind")``).

JSON is read by the same code (JSON is YAML flow syntax), so JSON inputs get placed
errors too. Files are read by ``governance.formats.files``: regular files only, never
more than the size limit.
"""
from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from governance.errors import InputError, Problem, display_path
from governance.i18n import N_, _
from governance.terminal import printable
from governance.formats.files import read_input
from governance.formats.limits import Limits, current as current_limits

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where present: the same events, faster

Path_ = tuple  # a path into the document: tuple of str keys and int indexes

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass
class Source:
    """A loaded document: its data and where each part of it stands.

    The positions are found when they are first asked for (to place an error): a document
    that is valid never pays for them. ``text`` is what they are found in again."""

    file: str
    data: Any
    _marks: dict[Path_, tuple[int, int]] | None = None
    _key_marks: dict[Path_, tuple[int, int]] | None = None
    text: str | None = None
    limits: Any = None

    @property
    def marks(self) -> dict[Path_, tuple[int, int]]:
        if self._marks is None:
            self._place()
        return self._marks

    @property
    def key_marks(self) -> dict[Path_, tuple[int, int]]:
        if self._key_marks is None:
            self._place()
        return self._key_marks

    def _place(self) -> None:
        if self.text is None:
            self._marks, self._key_marks = {}, {}
            return
        builder = _Builder(self.file, self.limits or current_limits())
        parser = _LOADER(self.text)
        try:
            builder.run(parser)
        finally:
            parser.dispose()
        self._marks, self._key_marks = builder.marks, builder.key_marks

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


_MAX_DIGITS = 20  # whole kronor up to 10^20: far beyond any budget, far below a number that costs time


def _scalar(value: str, style: str | None) -> Any:
    """A scalar's value under YAML 1.2's core schema (quoted and block scalars are text)."""
    if style:  # quoted or block scalar (libyaml gives "" for plain)
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        digits = value.lstrip("+-").replace("_", "")
        if len(digits) > _MAX_DIGITS:
            raise _ScalarError(_("the number has {digits} digits: too large to be meant").format(digits=len(digits)))
        return int(value.replace("_", ""))
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        number = float(value.replace("_", ""))
        if not math.isfinite(number):
            shown = value if len(value) <= 24 else f"{value[:12]}…{value[-8:]}"  # never the whole of a runaway number
            raise _ScalarError(_("the number {value} is too large to be meant").format(value=shown))
        return number
    return value  # .inf and .nan stay text: never numbers in this project


class _ScalarError(Exception):
    pass


_MAPPING, _SEQUENCE = 0, 1


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = ("kind", "value", "path", "key", "seen", "start", "size", "anchor")

    def __init__(self, kind: int, value: Any, path: Path_, start: int, anchor: str | None):
        self.kind = kind
        self.value = value
        self.path = path
        self.key: str | None = None  # a mapping's key waiting for its value
        self.seen: dict[str, int] = {}  # keys given so far, with their lines
        self.start = start  # values counted before this one opened (for its size as an anchor)
        self.size = 0
        self.anchor = anchor


class _Builder:
    """Plain values and positions from parser events, with every limit checked as it goes
    (``_quick`` reads a valid file faster; this pass places what is wrong)."""

    def __init__(self, file: str, limits: Limits):
        self.file = file
        self.limits = limits
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.key_marks: dict[Path_, tuple[int, int]] = {}
        self.count = 0  # values made so far, aliases counted as what they stand for
        self.aliases = 0
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, how many values it holds)

    def fail(self, event, path: Path_, message: str, hint: str | None = None) -> InputError:
        mark = event.start_mark
        return InputError(Problem(message, self.file, mark.line + 1, mark.column + 1, dotted(path) or None, hint))

    def run(self, parser) -> tuple[Any, bool]:
        """The document's value, and whether there was a document at all."""
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        limits = self.limits
        marks = self.marks
        path: Path_ = ()
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:  # placed where the second document's content starts
                    at = parser.get_event() if parser.check_event() else event
                    empty = type(at) is yaml.ScalarEvent and at.value == "" and not at.style and at.tag is None
                    raise InputError(Problem(_("one document per file: found a second one"), self.file,
                                             event.start_mark.line + 1 if empty else at.start_mark.line + 1, 1,
                                             hint=_("a line '---' starts an empty second document: "
                                                    "remove it") if empty else None))
                continue
            if kind in _IGNORED:
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, self.count - frame.start)
                if not stack:
                    root = frame.value
                continue
            parent = stack[-1] if stack else None
            if parent is not None and parent.kind == _MAPPING and parent.key is None:
                self._key(event, kind, parent)
                continue
            if parent is not None and parent.kind == _SEQUENCE:
                path = parent.path + (parent.size,)
                parent.size += 1
                if parent.size > limits.list_items:
                    raise self.fail(event, parent.path, _("the list has more than {n} items").format(n=limits.list_items),
                                    _("a limit against runaway files: raise it with --limit list-items=N"))
            else:
                path = () if parent is None else parent.path + (parent.key,)
            if kind is yaml.AliasEvent:
                value = self._alias(event, path)
            else:
                if getattr(event, "tag", None) is not None:
                    tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                    raise self.fail(event, path, _("YAML tags such as {tag} are not allowed: plain data only").format(
                        tag=tag),
                                    _("remove the tag; write the value itself"))
                self.count += 1
                if self.count > limits.values:
                    raise self.fail(event, path, _("the file holds more than {values} values").format(values=limits.values),
                                    _("a limit against runaway files: raise it with --limit values=N"))
                mark = event.start_mark
                marks[path] = (mark.line + 1, mark.column + 1)
                if kind is yaml.ScalarEvent:
                    try:
                        value = _scalar(event.value, event.style)
                    except _ScalarError as exc:
                        raise self.fail(event, path, str(exc)) from None
                    if event.anchor is not None:
                        self.anchors[event.anchor] = (value, 1)
                else:
                    if len(stack) >= limits.depth:
                        raise self.fail(event, path, _("the values are nested more than {depth} levels deep").format(
                            depth=limits.depth),
                                        _("a limit against runaway files: raise it with --limit depth=N"))
                    container: Any = {} if kind is yaml.MappingStartEvent else []
                    stack.append(_Frame(_MAPPING if kind is yaml.MappingStartEvent else _SEQUENCE, container, path,
                                        self.count - 1, event.anchor))
                    value = container
            if parent is None:
                root = value
            elif parent.kind == _MAPPING:
                parent.value[parent.key] = value
                parent.key = None
            else:
                parent.value.append(value)
        return root, documents > 0

    def _key(self, event, kind, frame: _Frame) -> None:
        if kind is not yaml.ScalarEvent:
            raise self.fail(event, frame.path, _("a key must be a plain name"))
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(event, frame.path, _("YAML tags such as {tag} are not allowed: plain data only").format(tag=tag),
                            _("remove the tag; write the value itself"))
        key = event.value
        if key == "<<" and not event.style:
            raise self.fail(event, frame.path, _("merge keys (<<) are not allowed"),
                            _("write the fields out in full; an alias (*name) may stand for a whole value"))
        line = event.start_mark.line + 1
        if key in frame.seen:
            raise self.fail(event, frame.path + (key,), _("duplicate key '{key}' (first given on line {line})").format(
                key=key, line=frame.seen[key]))
        frame.seen[key] = line
        self.key_marks[frame.path + (key,)] = (line, event.start_mark.column + 1)
        frame.key = key

    def _alias(self, event, path: Path_) -> Any:
        self.aliases += 1
        if self.aliases > self.limits.aliases:
            raise self.fail(event, path, _("the file uses aliases (*name) more than {n} times").format(
                n=self.limits.aliases),
                            _("a limit against runaway files: raise it with --limit aliases=N"))
        if event.anchor not in self.anchors:
            raise self.fail(event, path, _("the alias *{anchor} refers to an anchor that is not complete here").format(
                anchor=event.anchor))
        value, size = self.anchors[event.anchor]
        self.count += size
        if self.count > self.limits.values:
            raise self.fail(event, path, _("the file holds more than {values} values once its aliases are expanded").format(
                values=self.limits.values), _("a limit against runaway files: raise it with --limit values=N"))
        mark = event.start_mark
        self.marks[path] = (mark.line + 1, mark.column + 1)
        return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


_IGNORED = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)


class _NotJson(ValueError):
    pass


def _not_json(name: str):
    raise _NotJson(name)


#: Python's json's words for what it met, marked here to be translated (``_`` finds them)
_JSON_WORDS = (
    N_("Expecting value"), N_("Expecting property name enclosed in double quotes"), N_("Expecting ',' delimiter"),
    N_("Expecting ':' delimiter"), N_("Extra data"), N_("Unterminated string starting at"),
    N_("Invalid control character at"), N_("Invalid \\escape"))
_JSON_HINTS = {
    "Expecting property name enclosed in double quotes": N_(
        "a comma after the last field? JSON allows none; a name in JSON is written in double quotes"),
    "Expecting value": N_("a comma after the last value of a list? JSON allows none"),
    "Extra data": N_("one JSON document per file: something follows its end"),
}
_YAML_BREAK = re.compile("[\x85\u2028\u2029]")
_CONSTANT = re.compile(r"[:\[,]\s*(-?(?:NaN|Infinity))\s*[,\]}]")


def _check_json(text: str, file: str, error: type) -> None:
    """JSON files must be JSON: YAML would accept a trailing comma or a comment."""
    try:  # a byte-order mark (Windows and Excel exports) is no part of the JSON; YAML reads past it too
        json.loads(text[1:] if text.startswith("\ufeff") else text, parse_constant=_not_json)
    except _NotJson as exc:  # Python's json reads NaN and Infinity, which JSON (RFC 8259) has not
        found = _CONSTANT.search(text)
        line, column = _line_column(text, found.start(1)) if found else (None, None)
        raise error(Problem(_("not valid JSON: {name} is not a JSON number").format(name=exc.args[0]), file, line,
                            column, hint=_("write the number, or leave the field out"))) from None
    except json.JSONDecodeError as exc:
        hint = _JSON_HINTS.get(exc.msg)
        raise error(Problem(_("not valid JSON: {msg}").format(msg=_(exc.msg)), file,
                            exc.lineno, exc.colno, hint=_(hint) if hint else None)) from None
    except RecursionError:
        raise error(Problem(_("the values are nested too deeply to be read"), file, 1, 1,
                            hint=_("a limit against runaway files"))) from None
    except ValueError:
        pass  # a number of thousands of digits: the YAML pass below refuses it with its place
    found = _YAML_BREAK.search(text)
    if found:  # JSON keeps it in its string, the YAML reader below would make it a line break
        raise error(Problem(_("the character {char} is a line break to YAML but not to JSON").format(
            char=printable(found.group())), file, *_line_column(text, found.start()),
            hint=_("remove it: a text cannot hold it")))


def _line_column(text: str, at: int) -> tuple[int, int]:
    """The line and column (1-based) of the character at index ``at``."""
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def parse_text(text: str, file: str, error: type = InputError, limits: Limits | None = None) -> Source:
    """Parse one YAML or JSON document held in ``text`` (JSON when ``file`` ends in .json)."""
    limits = limits or current_limits()
    if len(text) > limits.file_size:
        raise error(Problem(_("the text is larger than {limit} bytes").format(limit=limits.file_size), file,
                            hint=_("a limit against runaway files: raise it with --limit file-size=N")))
    if file.lower().endswith(".json"):
        _check_json(text, file, error)
    try:
        data, any_document = _quick(text, limits)
    except (_Again, _ScalarError, yaml.YAMLError):
        data, any_document = _build(text, file, limits, error)  # placed, where it fails
    if not any_document or data is None:
        raise error(Problem(_("the file is empty"), file, 1, 1))
    return Source(file, data, text=text, limits=limits)


class _Again(Exception):
    """The quick pass met something it leaves to the full one: a problem to place, an anchor."""


def _quick(text: str, limits: Limits) -> tuple[Any, bool]:
    """The document's value without positions, every limit and refusal of ``_Builder`` checked;
    whatever it would refuse, and any anchor or alias, raises ``_Again`` (or libyaml's own
    error) so that the full pass finds it again and places it. A valid file, the common case,
    is read once, for about a third less than the full pass."""
    max_values, max_items, max_depth = limits.values, limits.list_items, limits.depth
    parser = _LOADER(text)
    check, get = parser.check_event, parser.get_event
    stack: list = []  # the open mappings and lists
    keys: list = []  # for each open one: the key waiting for its value (None: a key comes next)
    root: Any = None
    documents = values = 0
    try:
        while check():
            event = get()
            kind = type(event)
            if kind is _END_MAP or kind is _END_SEQ:
                stack.pop()
                keys.pop()
                continue
            if kind is _SCALAR:
                if event.tag is not None or event.anchor is not None:
                    raise _Again
                if stack and keys[-1] is None and type(stack[-1]) is dict:  # a key
                    key = event.value
                    if key in stack[-1] or (key == "<<" and not event.style):
                        raise _Again
                    keys[-1] = key
                    continue
                value = event.value
                if not event.style:  # a plain scalar: most are words and numbers met before
                    known = _RESOLVED.get(value, _RESOLVED)
                    value = _resolve_plain(value) if known is _RESOLVED else known
            elif kind is _START_MAP or kind is _START_SEQ:
                if event.tag is not None or event.anchor is not None or len(stack) >= max_depth or (
                        stack and keys[-1] is None and type(stack[-1]) is dict):  # a mapping or list as a key
                    raise _Again
                value = {} if kind is _START_MAP else []
            elif kind is _START_DOC:
                documents += 1
                if documents > 1:
                    raise _Again
                continue
            elif kind is _ALIAS:
                raise _Again
            else:  # the stream's start and end, a document's end
                continue
            values += 1
            if values > max_values:
                raise _Again
            if not stack:
                root = value
            else:
                parent = stack[-1]
                if type(parent) is dict:
                    parent[keys[-1]] = value
                    keys[-1] = None
                else:
                    if len(parent) >= max_items:
                        raise _Again
                    parent.append(value)
            if kind is not _SCALAR:
                stack.append(value)
                keys.append(None)
        return root, documents > 0
    finally:
        parser.dispose()


#: plain scalars resolved so far that are codes (one lower-case word: "municipal", "rct",
#: "true") or small numbers ("2026", "450000"): not names, dates, addresses or identity
#: numbers from a file, which a long-running workplace would otherwise keep; at most
#: _RESOLVED_MOST of them, emptied when full
_RESOLVED: dict[str, Any] = {}
_RESOLVED_MOST = 4096
_KEPT = re.compile(r"[a-z][a-z0-9_]{0,39}|[-+]?[0-9]{1,7}(\.[0-9]{1,4})?")


def _resolve_plain(value: str) -> Any:
    resolved = _scalar(value, None)  # raises _ScalarError: never kept
    if _KEPT.fullmatch(value):
        if len(_RESOLVED) >= _RESOLVED_MOST:
            _RESOLVED.clear()
        _RESOLVED[value] = resolved
    return resolved


_SCALAR, _ALIAS, _START_DOC = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_START_MAP, _END_MAP, _START_SEQ, _END_SEQ = (yaml.MappingStartEvent, yaml.MappingEndEvent, yaml.SequenceStartEvent,
                                              yaml.SequenceEndEvent)


#: libyaml's words for what it met, marked here to be translated (``_`` finds them)
_YAML_WORDS = (
    N_("while parsing a block mapping"), N_("while parsing a block collection"), N_("while parsing a flow mapping"),
    N_("while parsing a flow sequence"), N_("while scanning a simple key"), N_("while scanning a quoted scalar"),
    N_("while scanning a plain scalar"), N_("while parsing a flow node"), N_("while parsing a block node"),
    N_("mapping values are not allowed in this context"), N_("did not find expected key"),
    N_("found character that cannot start any token"), N_("found unexpected end of stream"),
    N_("could not find expected ':'"), N_("did not find expected node content"),
    N_("did not find expected ',' or ']'"), N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"))
#: what to do about the mistakes people make most often when they write YAML by hand
_YAML_HINTS = {
    "mapping values are not allowed in this context": N_(
        "a colon and a space inside a text start a new key: put the text in quotes, such as "
        "title: \"Projekt: steg 2\""),
    "did not find expected key": N_(
        "a text that begins with [, {, \", ' or * is read as something else: put the whole text in quotes; or "
        "the line is indented differently from the lines around it"),
    "found character that cannot start any token": N_("a text that begins with @ or ` must be put in quotes"),
    "found unexpected end of stream": N_("a quotation mark or bracket that is never closed"),
    "could not find expected ':'": N_("a key needs a space after its colon: write fund: model, not fund:model"),
}


def _build(text: str, file: str, limits: Limits, error: type = InputError) -> tuple[Any, bool]:
    """The full pass: the document's value, or its first problem placed (as ``error``)."""
    builder = _Builder(file, limits)
    parser = _LOADER(text)
    try:
        return builder.run(parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem == "found unexpected end of stream" and exc.context_mark is not None:
            mark = exc.context_mark  # where the unclosed quote or bracket began, not the end of the file
        msg = ": ".join(_(part) for part in (exc.context, exc.problem) if part)
        if mark is not None and "\t" in _line(text, mark.line)[:mark.column + 1]:
            raise error(Problem(_("tab character: YAML is indented with spaces only"), file, mark.line + 1,
                                _line(text, mark.line).index("\t") + 1, hint=_("indent with spaces"))) from None
        hint = _YAML_HINTS.get(exc.problem or "")
        raise error(Problem(_("not valid YAML: {msg}").format(msg=msg), file,
                            mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None, hint=_(hint) if hint else None)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise error(Problem(_("not valid YAML: {exc}").format(exc=exc), file)) from None
    except InputError as exc:
        raise error(exc.problems) from None
    finally:
        parser.dispose()


def read_text(path: str | Path, error: type = InputError, limits: Limits | None = None) -> str:
    """A file's text: a regular file only, within the size limit, UTF-8 (placed errors otherwise)."""
    raw = read_input(path, error, limits)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(Problem(_("the file is not UTF-8 text"), display_path(path), line,
                            hint=_("save it as UTF-8 (Latin-1 and Windows-1252 are not read)"))) from None


def load_file(path: str | Path, error: type = InputError, limits: Limits | None = None) -> Source:
    """Read and parse a YAML or JSON file: a regular file only, within the size limit, UTF-8."""
    return parse_text(read_text(path, error, limits), display_path(path), error, limits)
