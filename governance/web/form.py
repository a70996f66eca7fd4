"""The application form: the proposal format as HTML fields, and back.

The form is generated from the proposal model (governance.formats.proposal), so it has a
field for every field of the format and nothing else. Each input is named by the field's
path as the loader names it in its errors (``applicant.partners.0.kind``): a submitted form
becomes a document, the document goes through the same loader as an uploaded file, and
every placed error the loader gives is shown at the field whose name it carries. Values are
converted where they can be (a whole number, a number, yes/no) and otherwise passed on as
written, so that the loader, not the form, says what is wrong with them.

A list can also be ticked as empty ("none"), which the format tells apart from a list
left out (not known, §1). Lists (budget rows, partners, outcomes …) show their rows and one empty row to fill in
("Add a row" sends the form back with one more, registering nothing); a row left empty is
dropped before the document is checked, and the form is shown again from the same document,
so row numbers in errors and on the page agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Mapping, Union, get_args, get_origin

from babel.numbers import format_decimal
from pydantic import BaseModel

from governance.formats.proposal import Proposal
from governance.i18n import N_, _, ngettext
from governance.wording import LOCALES, fmt_value

#: fields that are not filled in by hand
FIXED = {"format": "proposal/1"}


@dataclass
class Field:
    """One field of the form: its path, label, kind and (for groups and lists) what it holds."""

    path: str
    name: str
    kind: str  # text | textarea | int | float | bool | date | choice | group | list
    required: bool = False
    choices: tuple[str, ...] = ()
    children: list["Field"] = field(default_factory=list)
    rows: list[list["Field"]] = field(default_factory=list)  # a list's rows, each its item's fields
    value: str = ""
    none: bool = False  # a list given as empty ("none"), not left out ("not known")
    errors: list[str] = field(default_factory=list)
    label: str = ""
    help: str = ""
    words: dict[str, str] = field(default_factory=dict)  # a choice's values in words
    shown: str = ""  # the value as a person reads it (money in kronor, a choice in words)
    focus: bool = False  # the field the page opens at (the first of a row just added)

    @property
    def id(self) -> str:
        return "f-" + self.path.replace(".", "-")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside Optional/Annotated, and whether None is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Union:
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
            continue
        if origin is Annotated or hasattr(annotation, "__metadata__"):
            annotation = annotation.__origin__
            continue
        return annotation, optional


def _max_length(info) -> int | None:
    for meta in getattr(info, "metadata", []) or []:
        if getattr(meta, "max_length", None):
            return meta.max_length
    annotation = info.annotation
    stack = [annotation]
    while stack:
        a = stack.pop()
        for meta in getattr(a, "__metadata__", ()) or ():
            if getattr(meta, "max_length", None):
                return meta.max_length
        stack.extend(get_args(a))
    return None


def _kind(annotation: Any, info) -> tuple[str, tuple[str, ...], Any]:
    """(kind, choices, item model or model) of a field's type."""
    base, _optional = _unwrap(annotation)
    origin = get_origin(base)
    if origin is Literal:
        return "choice", tuple(str(a) for a in get_args(base)), None
    if origin is list:
        item, _opt = _unwrap(get_args(base)[0])
        return "list", (), item
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "group", (), base
    if base is bool:
        return "bool", (), None
    if base is int:
        return "int", (), None
    if base is float:
        return "float", (), None
    if base is dt.date:
        return "date", (), None
    if base is str:
        return ("textarea" if (_max_length(info) or 0) > 500 else "text"), (), None
    return "text", (), None


def build(model: type[BaseModel], data: dict | None, prefix: str = "") -> list[Field]:
    """The fields of ``model`` filled in from ``data`` (a document as the loader reads it)."""
    model.model_rebuild()
    data = data if isinstance(data, dict) else {}
    out: list[Field] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if path in FIXED:
            continue
        kind, choices, inner = _kind(info.annotation, info)
        f = Field(path, name, kind, required=info.is_required(), choices=choices,
                  help=_(info.description) if info.description else "")
        value = data.get(name)
        if kind == "group":
            f.children = build(inner, value if isinstance(value, dict) else {}, f"{path}.")
        elif kind == "list":
            items = value if isinstance(value, list) else []
            f.none = isinstance(value, list) and not value
            rows = [*items, {}]  # and one empty row to fill in
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                f.rows = [build(inner, item if isinstance(item, dict) else {}, f"{path}.{i}.")
                          for i, item in enumerate(rows)]
        else:
            f.value = _shown(value)
        out.append(f)
    return out


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(value)
    return str(value)


# ------------------------------------------------------------------------------ form -> document

def _convert(kind: str, text: str) -> Any:
    text = text.strip() if kind != "textarea" else text.strip("\r\n").replace("\r\n", "\n")
    if kind == "bool":
        return {"true": True, "false": False}.get(text, text)
    if kind == "int":
        compact = text.replace(" ", "").replace("\u00a0", "")
        try:
            return int(compact)
        except ValueError:
            try:
                return float(compact.replace(",", "."))  # the loader says it must be a whole number
            except ValueError:
                return text
    if kind == "float":
        compact = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            return float(compact)
        except ValueError:
            return text
    return text


def document(model: type[BaseModel], form: dict[str, str], prefix: str = "") -> dict[str, Any]:
    """The document a submitted form stands for (empty fields and empty rows left out)."""
    model.model_rebuild()
    out: dict[str, Any] = {}
    if not prefix:
        out.update(FIXED)
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if path in FIXED:
            continue
        kind, _choices, inner = _kind(info.annotation, info)
        if kind == "group":
            sub = document(inner, form, f"{path}.")
            if sub:
                out[name] = sub
        elif kind == "list":
            indices = sorted({int(k[len(path) + 1:].split(".", 1)[0]) for k in form
                              if k.startswith(f"{path}.") and k[len(path) + 1:].split(".", 1)[0].isdigit()})
            rows = [document(inner, form, f"{path}.{i}.") for i in indices[:1000]]
            rows = [r for r in rows if r]
            if rows:
                out[name] = rows
            elif form.get(f"{path}.none"):
                out[name] = []  # none, as opposed to not known
        else:
            text = form.get(path)
            if isinstance(text, str) and text.strip():
                out[name] = _convert(kind, text)
    return out


def proposal_fields(data: dict | None) -> list[Field]:
    return build(Proposal, data)


def proposal_document(form: dict[str, str]) -> dict[str, Any]:
    return document(Proposal, form)


def focus_new_row(fields: list[Field], path: str) -> bool:
    """Let the page open at the first field of the new (last) row of the list ``path`` (the
    list a person asked for one more row of); False where the form has no such list."""
    for f in fields:
        if f.kind == "list" and f.path == path and f.rows:
            first = _first_input(f.rows[-1])
            if first is not None:
                first.focus = True
                return True
        if focus_new_row(f.children, path) or any(focus_new_row(row, path) for row in f.rows):
            return True
    return False


def _first_input(fields: list[Field]) -> Field | None:
    for f in fields:
        if f.kind == "group":
            inner = _first_input(f.children)
            if inner is not None:
                return inner
        elif f.kind != "list":
            return f
    return None


def place_errors(fields: list[Field], problems: list) -> list:
    """Put each problem at the field it names; returns the problems no field took (shown above
    the form). A problem about a group or a list row goes to that group's first field."""
    index: dict[str, Field] = {}

    def walk(fs: list[Field]) -> None:
        for f in fs:
            index[f.path] = f
            walk(f.children)
            for row in f.rows:
                walk(row)
    walk(fields)
    left = []
    for problem in problems:
        path = problem.field or ""
        target = index.get(path)
        while target is None and "." in path:
            path = path.rsplit(".", 1)[0]
            target = index.get(path)
        if target is None:
            left.append(problem)
            continue
        text = problem.message if not problem.hint else f"{problem.message} ({problem.hint})"
        if target.path != problem.field and problem.field:
            text = f"{problem.field}: {text}"
        target.errors.append(text)
    return left


#: the format's field names in words, where the rule files' labels (rules/labels.yaml) name none
FIELD_WORDS = {
    "applicant": N_("Applicant"), "lead": N_("Lead applicant"), "partners": N_("Partners"), "name": N_("Name"),
    "kind": N_("Kind"), "sector": N_("Sector"), "non_profit": N_("Non-profit"), "target_group": N_("Target group"),
    "intervention": N_("Intervention"), "budget": N_("Budget"), "year": N_("Year"),
    "fund_sek": N_("From the fund (kr)"), "own_sek": N_("Own funding (kr)"), "purpose": N_("Purpose"),
    "expected_savings": N_("Expected savings"), "committee": N_("Committee"), "scope": N_("Scope"),
    "sek": N_("Amount (kr)"), "cost_item": N_("Cost item"), "expected_effects": N_("Expected effects"),
    "baseline_volume": N_("Cases a year before"), "change_per_year": N_("Change in cases a year"),
    "units_per_case": N_("Units per case"), "from_year": N_("From year"), "to_year": N_("To year"),
    "note": N_("Note"), "economics": N_("Economics"), "evaluation": N_("Evaluation"), "sample": N_("Sample"),
    "treatment": N_("Treatment group"), "comparison": N_("Comparison group"),
    "primary_outcomes": N_("Primary outcomes"), "data_source": N_("Data source"), "baseline": N_("Baseline"),
    "value": N_("Value"), "period": N_("Period"), "evaluator": N_("Evaluator"),
    "implementation": N_("Implementation"), "repayment": N_("Repayment"), "share": N_("Share"),
    "budget_context": N_("Budget context"), "committees": N_("Committees"),
    "previous_sek": N_("Previous year's budget (kr)"), "current_sek": N_("This year's budget (kr)"),
    "cost_centres": N_("Cost centres"), "target_area": N_("In the target area"),
    "funded_by_project": N_("Funded by the project"),
}
#: choices the labels do not name
VALUE_WORDS = {
    "sector": {"social": N_("social services"), "education": N_("education"),
               "culture_leisure": N_("culture and leisure"), "labour_market": N_("labour market"),
               "health": N_("health care"), "housing": N_("housing"), "other": N_("other")},
    "scope": {"municipal": N_("the municipality"), "region": N_("the region"), "state": N_("the state")},
}


def label_fields(fields: list[Field], labels, lang: str, kinds: Mapping[str, str] | None = None) -> None:
    """Each field's label (the rule files' heading for the fact's value, or its name, where
    they have one; else the field's own name in words), its choices in words, and its value
    as a person reads it (``kinds``: each fact's kind, so that a share reads as per cent and a
    number of months as months)."""
    from governance.wording import fmt_money

    def walk(fs: list[Field]) -> None:
        for f in fs:
            generic = ".".join(p for p in f.path.split(".") if not p.isdigit())
            label = labels.facts.get(generic) if labels is not None else None
            heading = getattr(label, "field", None) if label is not None else None
            words = getattr(heading or label, lang, None) if label is not None else None
            f.label = (words[0].upper() + words[1:]) if words else _field_words(f.name)
            values = labels.values if labels is not None else {}
            choice = values.get(generic) or (values.get("applicant.lead.kind") if generic.startswith("applicant.")
                                             and f.name == "kind" else None)
            if choice:
                f.words = {k: getattr(v, lang) for k, v in choice.items()}
            elif f.name in VALUE_WORDS:
                f.words = {k: _(v) for k, v in VALUE_WORDS[f.name].items()}
            f.shown = _shown_value(f, lang, fmt_money, (kinds or {}).get(generic))
            walk(f.children)
            for row in f.rows:
                walk(row)
    walk(fields)


def _shown_value(f: Field, lang: str, fmt_money, kind: str | None = None) -> str:
    if not f.value:
        return ""
    if f.words and f.value in f.words:
        return f.words[f.value]
    if kind in ("share", "months", "years") or f.name in ("age_min", "age_max"):
        try:
            number = float(f.value) if kind == "share" else int(f.value)
        except ValueError:
            return f.value
        if kind == "share":  # a rate as per cent, as the letters give it ("3,5 %")
            return fmt_value(number, "share", lang)
        if kind == "months":
            return ngettext("{n} month", "{n} months", number).format(n=number)
        return ngettext("{n} year", "{n} years", number).format(n=number)
    if f.kind == "bool":
        return {"true": _("yes"), "false": _("no")}.get(f.value, f.value)
    if f.kind == "int" and (f.name.endswith("_sek") or f.name == "sek") and f.value.lstrip("-").isdigit():
        return fmt_money(int(f.value), lang)
    if f.kind == "float":  # a share or a rate as the language writes a decimal ("0,035")
        try:
            return format_decimal(float(f.value), format="#,##0.######", locale=LOCALES[lang])
        except ValueError:
            return f.value
    return f.value


def _field_words(name: str) -> str:
    if name in FIELD_WORDS:
        return _(FIELD_WORDS[name])
    words = name.replace("_sek", " (kr)").replace("_", " ")
    return words[0].upper() + words[1:]


def error_links(fields: list[Field], trail: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """Every error placed at a field, in the form's order, as (the field's id, where it is in
    words: "Budget › rad 2 › År", the error): the summary above the form links each to its field."""
    out: list[tuple[str, str, str]] = []
    for f in fields:
        here = (*trail, f.label or f.name)
        out += [(f.id, " › ".join(here), error) for error in f.errors]
        out += error_links(f.children, here)
        for n, row in enumerate(f.rows, 1):
            out += error_links(row, (*here, _("row {n}").format(n=n)))
    return out


def count_errors(fields: list[Field]) -> int:
    n = 0
    for f in fields:
        n += len(f.errors) + count_errors(f.children) + sum(count_errors(r) for r in f.rows)
    return n


__all__ = ["Field", "proposal_fields", "proposal_document", "place_errors", "label_fields", "count_errors",
           "error_links", "_"]
