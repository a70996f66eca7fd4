"""From a file to a validated model, with every error placed (file, line, column, field)."""
from __future__ import annotations

import difflib
import re
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from governance.errors import FundgovError, InputError, Problem, display_path
from governance.i18n import N_, _
from governance.formats.proposal import FollowUpReport, Proposal, proposal_facts
from governance.formats.files import INPUT_SUFFIXES, expand_paths  # noqa: F401  (part of the loader's API)
from governance.formats.yamlsource import Source, dotted, load_file, parse_text, read_text

M = TypeVar("M", bound=BaseModel)



@dataclass(frozen=True)
class Loaded:
    """A validated document, where it came from, and (for proposals) its fields as flat facts."""

    file: str
    model: Any
    source: Source
    facts: dict = field(default_factory=dict)


def did_you_mean(word: str, choices) -> str | None:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return _("did you mean '{name}'?").format(name=close[0]) if close else None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last element of ``loc`` (through lists and through
    mappings, whose keys are names the author chose: ``parameters.<name>.values.1``)."""
    current: Any = model
    parts = list(loc[:-1])
    i = 0
    while i < len(parts):
        part = parts[i]
        i += 1
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current, keyed = _unwrap(info.annotation)
        if keyed:
            i += 1  # the mapping's key
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Optional[list[X]] -> X; dict[str, X] -> X (and True: a key comes first); Annotated[...] -> base."""
    keyed = False
    while True:
        origin = get_origin(annotation)
        if origin is None:
            return annotation, keyed
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin is Literal or not args:
            return annotation, keyed
        if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
            keyed = True
            annotation = args[-1]
            continue
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


def _shown(value: Any) -> str:
    """A value from the input as a message quotes it: texts in quotes, the rest as written."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return _("a mapping") if isinstance(value, dict) else _("a list")
    return str(value)


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else str(value)


#: pydantic's error types -> the project's message (translated), given the error's context
_MESSAGES: dict[str, str] = {
    "bool_type": N_("must be true or false, got {value}"),
    "bool_parsing": N_("must be true or false, got {value}"),
    "int_type": N_("must be a whole number, got {value}"),
    "int_parsing": N_("must be a whole number, got {value}"),
    "int_from_float": N_("must be a whole number, got {value}"),
    "float_type": N_("must be a number, got {value}"),
    "float_parsing": N_("must be a number, got {value}"),
    "finite_number": N_("must be a finite number"),
    "string_type": N_("must be a text, got {value}"),
    "greater_than_equal": N_("must be at least {ge}, got {value}"),
    "less_than_equal": N_("must be at most {le}, got {value}"),
    "greater_than": N_("must be more than {gt}, got {value}"),
    "less_than": N_("must be less than {lt}, got {value}"),
    "string_too_long": N_("is longer than {max_length} characters"),
    "too_short": N_("must have at least {min_length} items"),
    "too_long": N_("must have at most {max_length} items"),
    "list_type": N_("must be a list, got {value}"),
    "model_type": N_("must be a mapping of fields, got {value}"),
    "dict_type": N_("must be a mapping of fields, got {value}"),
    "model_attributes_type": N_("must be a mapping of fields, got {value}"),
    "date_type": N_("must be a date as YYYY-MM-DD, got {value}"),
}
_HINTS = {"bool_type": N_("write true or false"), "bool_parsing": N_("write true or false")}


def error_text(err: dict) -> str:
    """One pydantic error (of a plain value, no location) in the project's words."""
    kind = err["type"]
    if kind in _MESSAGES:
        context = {k: _number(v) for k, v in (err.get("ctx") or {}).items()}
        return _(_MESSAGES[kind]).format(value=_shown(err.get("input")), **context)
    if kind == "literal_error":
        return _("{value} is not allowed").format(value=_shown(err.get("input")))
    return err["msg"].removeprefix("Value error, ")


_NUMBER_AS_WRITTEN = re.compile(r"(?P<sign>[-−]?)\s*(?P<digits>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
                                r"(?:[,.](?P<decimals>\d+))?\s*(?P<unit>%|kr|kronor|sek|SEK)?")


def number_hint(text: str, whole: bool) -> str | None:
    """How to write a number given as text the way people write numbers in Swedish ("900 000",
    "0,035", "3,5 %", "900000" in quotes), or None where the text is no number at all."""
    found = _NUMBER_AS_WRITTEN.fullmatch(text.strip())
    if found is None:
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", found["digits"])
    sign = "-" if found["sign"] else ""
    if found["unit"] == "%":
        share = (Decimal(f"{digits}.{found['decimals'] or 0}") / 100).normalize()
        return _("a share is written as a decimal number: {text} is {share}").format(text=text.strip(),
                                                                                    share=f"{sign}{share:f}")
    number = f"{sign}{digits}" + (f".{found['decimals']}" if found["decimals"] and not whole else "")
    if whole and found["decimals"] and found["decimals"].strip("0"):
        return None  # a fraction where a whole number is asked: the message says it
    return _("write {number}: a number without quotes, spaces, unit or decimal comma").format(number=number)


def validation_problems(exc: ValidationError, source: Source, model: type[BaseModel]) -> list[Problem]:
    """pydantic's errors as placed problems in the project's words (and language)."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        given = err.get("input")
        hint = None
        holder = _model_at(model, loc) if loc else model
        if kind == "extra_forbidden":
            name = loc[-1]
            known = list(holder.model_fields) if holder else []
            hint = did_you_mean(name, known) or (_("known keys: {keys}").format(keys=", ".join(known)) if known else None)
            if isinstance(name, str) and name.isdigit():  # "value: 1,2" in YAML is the number 1 and a key 2
                hint = _("a decimal comma? YAML reads 1,2 as two values: write 1.2")
            problems.append(source.problem(loc, _("unknown key '{name}'").format(name=name), hint, key=True))
            continue
        if kind == "missing":
            problems.append(source.problem(loc, _("required field is missing")))
            continue
        if kind == "literal_error":
            allowed = _allowed(holder, str(loc[-1])) if loc and not isinstance(loc[-1], int) else None
            hint = did_you_mean(given, allowed or []) if allowed else None
            msg = _("'{value}' is not allowed; allowed: {allowed}").format(value=given, allowed=", ".join(allowed)) \
                if allowed else err["msg"]
        elif kind == "value_error":
            msg = err["msg"].removeprefix("Value error, ")  # the project's own validators, already worded
        elif kind == "string_pattern_mismatch":
            info = holder.model_fields.get(str(loc[-1])) if holder is not None and loc else None
            msg = _("'{value}' is not allowed here").format(value=given)
            hint = info.description if info is not None and info.description else None
        elif kind in _MESSAGES:
            context = {k: _number(v) for k, v in (err.get("ctx") or {}).items()}
            msg = _(_MESSAGES[kind]).format(value=_shown(given), **context)
            hint = _(_HINTS[kind]) if kind in _HINTS else None
            if kind in ("int_type", "int_parsing", "int_from_float") and isinstance(given, float) and given.is_integer():
                hint = _("write {number} without a decimal point or exponent").format(number=_number(given))
            elif kind in ("int_type", "int_parsing", "float_type", "float_parsing") and isinstance(given, str):
                hint = number_hint(given, whole=kind.startswith("int")) or hint
        else:
            msg = err["msg"] if isinstance(given, (dict, list)) else f"{err['msg']}, got {_shown(given)}"
        problems.append(source.problem(loc, msg, hint))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


#: what a file holds at its top level where a mapping of fields was expected
_FOUND = {list: N_("a list"), str: N_("a text"), int: N_("a number"), float: N_("a number"), bool: N_("true or false")}
_SINGLE = N_("a single value")


def validate(source: Source, model: type[M], error: type[FundgovError] = InputError) -> M:
    if not isinstance(source.data, dict):
        raise error(source.problem((), _("expected a mapping of fields at the top level, found {found}").format(
            found=_(_FOUND.get(type(source.data), _SINGLE)))))
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
        looks = {"follow-up/1": _("this looks like a follow-up report"), "proposal/1": _("this looks like an application")}
        hint = _("expected '{expected}'").format(expected=expected)
        if isinstance(fmt, str) and fmt in looks:
            hint = f"{looks[fmt]}; {hint}"
        raise InputError(source.problem(("format",), _("unsupported format '{format}'").format(format=fmt), hint))


def load_proposal(path: str | Path) -> Loaded:
    """Read, parse and validate one proposal file."""
    return _proposal(load_file(path))


def load_proposal_text(path: str | Path) -> tuple[Loaded, str]:
    """Like ``load_proposal``, and the file's text as read (what a register records)."""
    text = read_text(path)
    return _proposal(parse_text(text, display_path(path))), text


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


__all__ = ["Loaded", "load_proposal", "parse_proposal", "load_report", "parse_report", "expand_paths", "did_you_mean", "dotted"]
