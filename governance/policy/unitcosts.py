"""Unit costs (enhetskostnader): dated, sourced amounts per cost item, and the price index.

``policies/unit_costs.yaml`` is the shared catalogue; a fund may add or override items in
``policies/<fund>/unit_costs.yaml`` (its own figures, from its own dates). Like a policy
parameter, every amount has a ``from`` date and a ``reference`` to its public source, and
also the price base year it is expressed in. The amount in force on a day is the latest on
or before it; amounts are brought to another year's price level with the price index
(``price_index``: yearly averages, each with its source). A price base year the index does
not cover is refused at loading, so indexing never meets a gap.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from governance.dates import parse_iso
from governance.i18n import _
from governance.errors import PolicyError, Problem
from governance.formats.loader import did_you_mean, load_checked
from governance.formats.proposal import Scope, Sector
from governance.formats.yamlsource import Source

SHARED_FILE = "unit_costs.yaml"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use: start-up


class Words(_Closed):
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Payer(_Closed):
    """Who pays for the cost item: a municipal committee of a sector, the region or the state."""

    scope: Scope
    sector: Optional[Sector] = None


class AmountEntry(_Closed):
    from_: str = Field(alias="from")
    amount_sek: float = Field(gt=0)
    price_base_year: int = Field(ge=1900, le=2200)
    reference: str = Field(min_length=1)


class CostItemSpec(_Closed):
    name: Optional[Words] = None
    unit: Optional[Words] = None
    payer: Optional[Payer] = None
    description: Optional[str] = None
    values: list[AmountEntry] = Field(min_length=1)


class IndexEntry(_Closed):
    value: float = Field(gt=0)
    reference: str = Field(min_length=1)


class PriceIndexSpec(_Closed):
    name: Words
    values: dict[str, IndexEntry] = Field(min_length=1)


class UnitCostFile(_Closed):
    description: Optional[str] = None
    price_index: Optional[PriceIndexSpec] = None
    cost_items: dict[str, CostItemSpec] = {}


@dataclass(frozen=True)
class Amount:
    amount_sek: float
    from_: dt.date
    price_base_year: int
    reference: str


@dataclass(frozen=True)
class CostItem:
    id: str
    name: Words
    unit: Words
    payer: Payer
    values: tuple[Amount, ...]  # sorted by date
    file: str  # where the item's latest values are declared
    description: str | None = None

    def at(self, day: dt.date) -> Amount | None:
        current = None
        for v in self.values:
            if v.from_ <= day:
                current = v
        return current


@dataclass(frozen=True)
class PriceIndex:
    name: Words
    values: dict[int, IndexEntry]

    @property
    def latest_year(self) -> int:
        return max(self.values)

    def factor(self, base_year: int, year: int) -> tuple[float, int]:
        """(index of ``year`` / index of ``base_year``, the index year used): a year after the
        last published average uses the last one (the amounts stay at the latest known prices)."""
        used = min(year, self.latest_year)
        return self.values[used].value / self.values[base_year].value, used


@dataclass
class UnitCostBook:
    """The shared catalogue and each fund's own items."""

    shared: dict[str, CostItem] = field(default_factory=dict)
    funds: dict[str, dict[str, CostItem]] = field(default_factory=dict)
    index: PriceIndex | None = None
    files: tuple[str, ...] = ()

    def items(self, fund: str) -> dict[str, CostItem]:
        """Every cost item the fund can name: the shared ones with the fund's own over them."""
        return {**self.shared, **self.funds.get(fund, {})}


def load_unit_costs(folder: Path, fund_ids: list[str], problems: list[Problem]) -> UnitCostBook:
    """Load ``unit_costs.yaml`` and every ``<fund>/unit_costs.yaml`` under ``folder``; problems
    are added to ``problems`` (placed at file, line and field)."""
    book = UnitCostBook()
    shared_path = folder / SHARED_FILE
    files: list[str] = []
    if shared_path.exists():
        checked = load_checked(shared_path, UnitCostFile, PolicyError, problems)
        if checked is not None:
            source, spec = checked
            files.append(source.file)
            book.index = _index(spec, source, problems)
            book.shared = _items(spec, source, {}, book.index, problems, shared=True)
    for fund in sorted(fund_ids):
        path = folder / fund / SHARED_FILE
        if not path.exists():
            continue
        checked = load_checked(path, UnitCostFile, PolicyError, problems)
        if checked is None:
            continue
        source, spec = checked
        files.append(source.file)
        if spec.price_index is not None:
            problems.append(source.problem(("price_index",), _("the price index is shared: set it in {file} "
                                                               "beside the funds' folders").format(file=SHARED_FILE),
                                           key=True))
        book.funds[fund] = _items(spec, source, book.shared, book.index, problems, shared=False)
    book.files = tuple(files)
    return book


def _index(spec: UnitCostFile, source: Source, problems: list[Problem]) -> PriceIndex | None:
    if spec.price_index is None:
        if spec.cost_items:
            problems.append(source.problem((), _("a catalogue with cost items needs a price_index")))
        return None
    values: dict[int, IndexEntry] = {}
    for key, entry in spec.price_index.values.items():
        if not (key.isdigit() and len(key) == 4):
            problems.append(source.problem(("price_index", "values", key), _("'{key}' is not a year").format(key=key),
                                           key=True))
            continue
        values[int(key)] = entry
    return PriceIndex(spec.price_index.name, values) if values else None


def _items(spec: UnitCostFile, source: Source, inherited: dict[str, CostItem], index: PriceIndex | None,
           problems: list[Problem], *, shared: bool) -> dict[str, CostItem]:
    out: dict[str, CostItem] = {}
    for item_id, item in spec.cost_items.items():
        path = ("cost_items", item_id)
        base = inherited.get(item_id)
        if base is None:
            missing = [k for k in ("name", "unit", "payer") if getattr(item, k) is None]
            if missing:
                hint = None if shared else (did_you_mean(item_id, inherited) or
                                            _("a fund's own item needs a name, a unit and a payer"))
                problems.append(source.problem(path, _("the cost item '{item}' needs {fields}").format(
                    item=item_id, fields=", ".join(missing)), hint, key=True))
                continue
        elif any(getattr(item, k) is not None for k in ("name", "unit", "payer")):
            problems.append(source.problem(path, _("'{item}' is a shared cost item: a fund gives only its own "
                                                   "values (name, unit and payer stay the shared ones)").format(
                item=item_id), key=True))
            continue
        payer = item.payer or base.payer
        if payer.scope == "municipal" and payer.sector is None:
            problems.append(source.problem(path + ("payer",), _("a municipal payer needs the sector of its committee")))
            continue
        if payer.scope != "municipal" and payer.sector is not None:
            problems.append(source.problem(path + ("payer", "sector"), _("only a municipal payer has a sector")))
            continue
        values: list[Amount] = []
        for i, entry in enumerate(item.values):
            vpath = path + ("values", i)
            try:
                day = parse_iso(entry.from_)
            except ValueError as exc:
                problems.append(source.problem(vpath + ("from",), str(exc)))
                continue
            if index is None or entry.price_base_year not in index.values:
                known = f"{min(index.values)}–{max(index.values)}" if index else _("no year")
                problems.append(source.problem(vpath + ("price_base_year",), _(
                    "the price index has no value for {year} (it covers {known}): the amount cannot be indexed").format(
                    year=entry.price_base_year, known=known)))
                continue
            values.append(Amount(entry.amount_sek, day, entry.price_base_year, entry.reference))
        values.sort(key=lambda v: v.from_)
        if len({v.from_ for v in values}) != len(values):
            problems.append(source.problem(path, _("two amounts take effect on the same date"), key=True))
            continue
        if not values:
            continue
        if base is not None:
            values = [v for v in base.values if v.from_ < values[0].from_] + values
        out[item_id] = CostItem(item_id, item.name or base.name, item.unit or base.unit, payer, tuple(values),
                                source.file, item.description or (base.description if base else None))
    return out

