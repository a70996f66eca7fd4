"""The fact vocabulary rules can name: the proposal's scalar fields and the derived figures.

Proposal fields are read off the pydantic models (so the vocabulary never drifts from
the format), named by their dotted path (``intervention.kind``). Lists are not facts;
figures count and sum them (``budget_row_count``, ``fund_grant``).
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Mapping, get_args, get_origin

from pydantic import BaseModel

from governance.engine.figures import FIGURES
from governance.i18n import _
from governance.formats.proposal import Proposal, proposal_facts
from governance.wording import KIND_WORDS  # a type as a message about a condition names it

NUMERIC = frozenset({"integer", "number", "money", "share", "year", "months", "years", "days"})


@dataclass(frozen=True)
class FactType:
    kind: str  # integer number money share year months years boolean enum text date names kinds
    values: tuple[str, ...] = ()  # enum values

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    def describe(self) -> str:
        """The type in the current language's words (English: its kind)."""
        if self.kind == "enum":
            return _("one of {values}").format(values=", ".join(self.values))
        return _(KIND_WORDS[self.kind]) if self.kind in KIND_WORDS else self.kind


@dataclass(frozen=True)
class Fact:
    name: str
    type: FactType
    source: str  # "proposal" or "figure"
    description: str
    params: tuple[str, ...] = ()


def _leaf_type(annotation: Any, name: str) -> FactType | None:
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _leaf_type(args[0], name) if len(args) == 1 else None
    if origin is typing.Annotated:
        return _leaf_type(get_args(annotation)[0], name)
    if origin is Literal:
        return FactType("enum", tuple(str(v) for v in get_args(annotation)))
    if annotation is bool:
        return FactType("boolean")
    if annotation is int:
        if name.endswith("_sek"):
            return FactType("money")
        if name.endswith("year"):
            return FactType("year")
        if name.endswith("_months"):
            return FactType("months")
        if name.endswith("_years"):
            return FactType("years")
        return FactType("integer")
    if annotation is float:
        return FactType("share" if name.endswith(("_rate", "share", "price_change")) else "number")
    if annotation is str:
        return FactType("text")
    if annotation is dt.date:
        return FactType("date")
    return None


def _walk(model: type[BaseModel], prefix: str, out: dict[str, Fact]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        ann = info.annotation
        inner = ann
        if get_origin(ann) in (typing.Union, types.UnionType):
            inner = next(a for a in get_args(ann) if a is not type(None))
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            _walk(inner, path + ".", out)
            continue
        if get_origin(inner) is list:
            continue
        ftype = _leaf_type(ann, name)
        if ftype is not None:
            out[path] = Fact(path, ftype, "proposal", info.description or f"the proposal's {path}")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Fact]:
    """Every fact a rule may name, by name."""
    out: dict[str, Fact] = {}
    _walk(Proposal, "", out)
    out.pop("format", None)
    for fig in FIGURES.values():
        out[fig.name] = Fact(fig.name, FactType(fig.type), "figure", fig.description, fig.params)
    return out


def all_facts(p: Proposal | Mapping[str, Any], figures: Mapping[str, Any]) -> dict[str, Any]:
    """Proposal fields and figures together; ``p`` may be the proposal or its flat facts."""
    facts = dict(p) if isinstance(p, Mapping) else proposal_facts(p)
    facts.update(figures)
    return facts
