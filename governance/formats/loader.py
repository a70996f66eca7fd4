"""From a file to a validated model, with every error placed (file, line, column, field)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from governance.errors import FundgovError, InputError, Problem
from governance.formats.proposal import FollowUpReport, Proposal, proposal_facts
from governance.formats.yamlsource import Source, dotted, load_file, parse_text

M = TypeVar("M", bound=BaseModel)

INPUT_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Loaded:
    """A validated document, where it came from, and (for proposals) its fields as flat facts."""

    file: str
    model: Any
    source: Source
    facts: dict = field(default_factory=dict)


def did_you_mean(word: str, choices) -> str | None:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last element of ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Optional[list[X]] -> X; Annotated[...] -> base."""
    while True:
        origin = get_origin(annotation)
        if origin is None:
            return annotation
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin is Literal:
            return annotation
        if not args:
            return annotation
        annotation = args[0]


def _allowed(model: type[BaseModel] | None, field: str) -> list[str] | None:
    if model is None or field not in model.model_fields:
        return None
    ann = model.model_fields[field].annotation
    # find a Literal inside
    stack = [ann]
    while stack:
        a = stack.pop()
        if get_origin(a) is Literal:
            return [str(x) for x in get_args(a)]
        stack.extend(get_args(a))
    return None


def validation_problems(exc: ValidationError, source: Source, model: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        msg = err["msg"]
        hint = None
        holder = _model_at(model, loc) if loc else model
        if kind == "extra_forbidden":
            name = loc[-1]
            known = list(holder.model_fields) if holder else []
            hint = did_you_mean(name, known) or (f"known keys: {', '.join(known)}" if known else None)
            problems.append(source.problem(loc, f"unknown key '{name}'", hint, key=True))
            continue
        if kind == "missing":
            problems.append(source.problem(loc, "required field is missing"))
            continue
        if kind == "literal_error":
            allowed = _allowed(holder, str(loc[-1])) if loc and not isinstance(loc[-1], int) else None
            given = err.get("input")
            hint = did_you_mean(given, allowed or []) if allowed else None
            msg = f"'{given}' is not allowed; allowed: {', '.join(allowed)}" if allowed else msg
        elif kind == "bool_type" and isinstance(err.get("input"), str):
            hint = "write true or false"
            msg = f"{msg}, got {err['input']!r}"
        elif kind == "value_error":
            msg = msg.removeprefix("Value error, ")
        else:
            given = err.get("input")
            if not isinstance(given, (dict, list)):
                msg = f"{msg}, got {given!r}"
        problems.append(source.problem(loc, msg, hint))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def validate(source: Source, model: type[M], error: type[FundgovError] = InputError) -> M:
    if not isinstance(source.data, dict):
        raise error(source.problem((), f"expected a mapping of fields at the top level, found {type(source.data).__name__}"))
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise error(validation_problems(exc, source, model)) from None


def load_checked(path: Path, model: type[M], error: type[FundgovError], problems: list[Problem]
                 ) -> tuple[Source, M] | None:
    """Load and validate a project file (policy, rules, labels); its problems are added to
    ``problems`` so that one broken file never hides the problems of the others."""
    try:
        source = load_file(path, error)
        return source, validate(source, model, error)
    except error as exc:
        problems.extend(exc.problems)
        return None


def _check_format(source: Source, expected: str) -> None:
    data = source.data
    if isinstance(data, dict) and "format" in data and data["format"] != expected:
        fmt = data["format"]
        hint = "this looks like a follow-up report" if fmt == "follow-up/1" else f"expected '{expected}'"
        raise InputError(source.problem(("format",), f"unsupported format '{fmt}'", hint))


def load_proposal(path: str | Path) -> Loaded:
    """Read, parse and validate one proposal file."""
    return _proposal(load_file(path))


def parse_proposal(text: str, name: str = "<text>") -> Loaded:
    return _proposal(parse_text(text, name))


def _proposal(source: Source) -> Loaded:
    _check_format(source, "proposal/1")
    model = validate(source, Proposal)
    return Loaded(source.file, model, source, proposal_facts(model))


def load_report(path: str | Path) -> Loaded:
    return _report(load_file(path))


def parse_report(text: str, name: str = "<text>") -> Loaded:
    return _report(parse_text(text, name))


def _report(source: Source) -> Loaded:
    _check_format(source, "follow-up/1")
    return Loaded(source.file, validate(source, FollowUpReport), source)


def expand_paths(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, and the input files in folders named (sorted); missing paths are problems."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES)
            if not found:
                problems.append(Problem("no *.yaml, *.yml or *.json files in this folder", str(raw)))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem("no such file or folder", str(raw)))
    return files, problems


__all__ = ["Loaded", "load_proposal", "parse_proposal", "load_report", "parse_report", "expand_paths", "did_you_mean", "dotted"]
