"""Effects instead of bare kronor: volume changes valued with the unit-cost catalogue.

A proposal's ``expected_effects`` (and a follow-up report's ``measured_effects``) state a
change in the volume of a cost item; this module turns each into savings per committee and
year: cases × units per case × the unit cost in force, indexed to the decision year's
prices. Every amount keeps its arithmetic and its source, so that a decision shows where
its savings come from.

A cost item the catalogue does not have, one with no amount in force, or one paid by
another kind of payer than the row says, is a placed error: the calculation cannot be
made. A row that lacks its baseline, change or years is missing information (§1): it is
counted in ``incomplete`` and its savings are unknown, never 0.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from governance.errors import InputError, Problem
from governance.formats.loader import Loaded, did_you_mean
from governance.policy.unitcosts import CostItem, PriceIndex, UnitCostBook


@dataclass(frozen=True)
class ValuedItem:
    """A cost item as used: its amount in force, and that amount at the decision year's prices."""

    id: str
    name: dict[str, str]
    unit: dict[str, str]
    payer: str
    amount_sek: float
    price_base_year: int
    amount_from: str
    reference: str
    index_year: int
    index_factor: float

    @property
    def unit_cost(self) -> float:
        return self.amount_sek * self.index_factor

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "unit": self.unit, "payer": self.payer,
                "amount_sek": self.amount_sek, "price_base_year": self.price_base_year,
                "amount_from": self.amount_from, "reference": self.reference, "index_year": self.index_year,
                "index_factor": round(self.index_factor, 6), "unit_cost_sek": round(self.unit_cost, 2)}


@dataclass(frozen=True)
class Saving:
    """One row's saving in one year: −change × units per case × unit cost (a reduction saves)."""

    row: int
    cost_item: str
    committee: str
    scope: str
    year: int
    change: float
    units_per_case: float
    unit_cost: float

    @property
    def sek(self) -> float:
        return -self.change * self.units_per_case * self.unit_cost

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "cost_item": self.cost_item, "committee": self.committee, "scope": self.scope,
                "year": self.year, "change": self.change, "units_per_case": self.units_per_case,
                "unit_cost_sek": round(self.unit_cost, 2), "sek": round(self.sek)}


@dataclass
class EffectSavings:
    """What a list of effect rows comes to: savings per row and year, the items used, and the
    rows that could not be valued for lack of information."""

    savings: list[Saving] = field(default_factory=list)
    items: dict[str, ValuedItem] = field(default_factory=dict)
    incomplete: list[int] = field(default_factory=list)
    price_year: int | None = None
    index_name: dict[str, str] | None = None
    index_reference: str | None = None

    @property
    def complete(self) -> bool:
        return not self.incomplete

    def per_committee_and_year(self) -> list[dict[str, Any]]:
        totals: dict[tuple[str, str, int], float] = {}
        for s in self.savings:
            key = (s.committee, s.scope, s.year)
            totals[key] = totals.get(key, 0.0) + s.sek
        return [{"committee": c, "scope": scope, "year": y, "sek": round(v)}
                for (c, scope, y), v in sorted(totals.items(), key=lambda kv: (kv[0][2], kv[0][0]))]

    def as_json(self) -> dict[str, Any]:
        return {
            "price_year": self.price_year,
            "price_index": {"name": self.index_name, "reference": self.index_reference},
            "cost_items": [item.as_json() for item in self.items.values()],
            "rows": [s.as_json() for s in self.savings],
            "per_committee_and_year": self.per_committee_and_year(),
            "incomplete_rows": list(self.incomplete),
        }


def value_item(book: UnitCostBook, fund: str, item_id: str, day: dt.date, price_year: int,
               where: tuple[Loaded, tuple] | None = None) -> ValuedItem:
    """The cost item ``item_id`` of ``fund`` in force on ``day``, at ``price_year``'s prices."""
    items = book.items(fund)
    item: CostItem | None = items.get(item_id)
    if item is None:
        hint = did_you_mean(item_id, items) or (f"known cost items: {', '.join(sorted(items))}" if items
                                                 else "the policies have no unit-cost catalogue")
        raise _placed(where, f"unknown cost item '{item_id}'", hint)
    amount = item.at(day)
    if amount is None:
        raise _placed(where, f"the cost item '{item_id}' has no amount in force on {day.isoformat()}: "
                             f"its first is from {item.values[0].from_.isoformat()}")
    index: PriceIndex = book.index  # type: ignore[assignment]  # an item with amounts implies an index
    factor, used = index.factor(amount.price_base_year, price_year)
    payer = item.payer.scope if item.payer.scope != "municipal" else f"municipal:{item.payer.sector}"
    return ValuedItem(item.id, {"sv": item.name.sv, "en": item.name.en}, {"sv": item.unit.sv, "en": item.unit.en},
                      payer, amount.amount_sek, amount.price_base_year, amount.from_.isoformat(), amount.reference,
                      used, factor)


def _placed(where: tuple[Loaded, tuple] | None, message: str, hint: str | None = None) -> InputError:
    if where is None:
        return InputError(Problem(message, hint=hint))
    loaded, path = where
    return InputError(loaded.source.problem(path, message, hint))


def expected_savings(loaded: Loaded, book: UnitCostBook, day: dt.date, price_year: int) -> EffectSavings | None:
    """The savings of a proposal's ``expected_effects`` (None where it has none): amounts in
    force on ``day`` (the policy date), at ``price_year``'s prices (the decision year)."""
    p = loaded.model
    rows = p.expected_effects
    if rows is None:
        return None
    out = _start(book, price_year)
    problems: list[Problem] = []
    for i, row in enumerate(rows):
        path = ("expected_effects", i)
        try:
            item = _item(loaded, book, p.fund, row, path, day, price_year)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        out.items.setdefault(item.id, item)
        if row.change_per_year is None or row.baseline_volume is None or row.from_year is None or row.to_year is None:
            out.incomplete.append(i)
            continue
        per_case = row.units_per_case if row.units_per_case is not None else 1.0
        for year in range(row.from_year, row.to_year + 1):
            out.savings.append(Saving(i, item.id, row.committee, row.scope, year, row.change_per_year, per_case,
                                      item.unit_cost))
    if problems:
        raise InputError(problems)
    return out


def measured_savings(loaded: Loaded, book: UnitCostBook, fund: str, day: dt.date, price_year: int
                     ) -> EffectSavings | None:
    """The verified savings of a follow-up report's ``measured_effects`` (None where it has
    none), valued like expected effects: amounts in force on ``day``, at ``price_year``'s prices."""
    rows = loaded.model.measured_effects
    if rows is None:
        return None
    out = _start(book, price_year)
    problems: list[Problem] = []
    for i, row in enumerate(rows):
        try:
            item = _item(loaded, book, fund, row, ("measured_effects", i), day, price_year)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        out.items.setdefault(item.id, item)
        per_case = row.units_per_case if row.units_per_case is not None else 1.0
        out.savings.append(Saving(i, item.id, row.committee, row.scope, row.year, row.change, per_case,
                                  item.unit_cost))
    if problems:
        raise InputError(problems)
    return out


def _start(book: UnitCostBook, price_year: int) -> EffectSavings:
    out = EffectSavings(price_year=price_year)
    if book.index is not None:
        out.index_name = {"sv": book.index.name.sv, "en": book.index.name.en}
        out.index_reference = "; ".join(dict.fromkeys(e.reference for e in book.index.values.values()))
    return out


def _item(loaded: Loaded, book: UnitCostBook, fund: str, row, path: tuple, day: dt.date, price_year: int) -> ValuedItem:
    item = value_item(book, fund, row.cost_item, day, price_year, (loaded, path + ("cost_item",)))
    scope = item.payer.split(":")[0]
    if row.scope != scope:
        raise _placed((loaded, path + ("scope",)),
                      f"the cost item '{item.id}' is paid by {_payer_words(item.payer)}, not by a {row.scope} payer",
                      f"write scope: {scope} and name the {scope} as the committee")
    return item


def _payer_words(payer: str) -> str:
    if payer.startswith("municipal:"):
        return f"a municipal committee ({payer.split(':')[1]})"
    return f"the {payer}"


def municipal_amounts(savings: Iterable[Saving]) -> list[tuple[int, float]]:
    return [(s.year, s.sek) for s in savings if s.scope == "municipal"]
