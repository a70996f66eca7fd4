"""Unit costs as dated, sourced data: the shipped catalogue, the price index, fund overrides,
and every broken catalogue refused with a placed error."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import FIXTURES, ROOT
from governance import PolicyError, load_policies
from governance.policy.unitcosts import load_unit_costs

BAD = FIXTURES / "unit_costs_bad"


@pytest.fixture(scope="module")
def book():
    return load_policies(ROOT / "policies").unit_costs


def test_every_shipped_amount_has_a_public_source_a_date_and_an_indexable_price_base(book):
    assert set(book.shared) == {"hvb_dygn_unga", "familjehem_ar_barn", "ekonomiskt_bistand_hushall_ar"}
    for item in book.shared.values():
        assert item.payer.scope == "municipal" and item.payer.sector == "social"
        for amount in item.values:
            assert "http" in amount.reference, (item.id, amount)
            assert amount.price_base_year in book.index.values
    assert all("scb.se" in entry.reference for entry in book.index.values.values())


def test_the_price_index_is_scb_kpi_yearly_averages(book):
    assert book.index.values[2016].value == 316.43 and book.index.values[2023].value == 403.70
    assert book.index.factor(2016, 2023) == (403.70 / 316.43, 2023)
    assert book.index.factor(2016, 2026) == (403.70 / 316.43, 2023)  # after the last published average: the last


def test_the_amount_in_force_is_the_latest_on_or_before_the_day(book):
    hvb = book.shared["hvb_dygn_unga"]
    assert hvb.at(dt.date(2016, 3, 31)).amount_sek == 3283
    assert hvb.at(dt.date(2016, 4, 1)).amount_sek == 3201
    assert hvb.at(dt.date(2025, 1, 1)).amount_sek == 2658
    assert book.shared["ekonomiskt_bistand_hushall_ar"].at(dt.date(2018, 10, 11)) is None


CASES = [
    ("unknown_key", 12, "cost_items.x.values.0.amount", "unknown key 'amount'"),
    ("base_year_not_indexed", 12, "cost_items.x.values.0.price_base_year",
     "the price index has no value for 2021 (it covers 2020–2022)"),
    ("impossible_date", 12, "cost_items.x.values.0.from", "'2021-02-30' is not a real date"),
    ("municipal_without_sector", 10, "cost_items.x.payer", "a municipal payer needs the sector of its committee"),
    ("same_date_twice", 7, "cost_items.x", "two amounts take effect on the same date"),
    ("missing_reference", 12, "cost_items.x.values.0.reference", "required field is missing"),
    ("amount_not_positive", 12, "cost_items.x.values.0.amount_sek", "more than 0"),
    ("index_key_not_a_year", 4, "price_index.values.20x0", "'20x0' is not a year"),
    ("items_without_index", 1, None, "a catalogue with cost items needs a price_index"),
    ("fund_renames_shared_item", 2, "cost_items.x", "'x' is a shared cost item: a fund gives only its own values"),
    ("fund_item_without_payer", 2, "cost_items.y", "the cost item 'y' needs payer"),
    ("fund_sets_price_index", 1, "price_index", "the price index is shared"),
]


@pytest.mark.parametrize("name, line, field, message", CASES, ids=[c[0] for c in CASES])
def test_a_broken_catalogue_is_a_placed_error(name, line, field, message):
    problems = []
    load_unit_costs(BAD / name, ["model"], problems)
    assert any(p.line == line and p.field == field and message in p.message for p in problems), \
        [str(p) for p in problems]
    assert all(p.file and p.file.endswith("unit_costs.yaml") for p in problems)


def test_a_broken_catalogue_stops_the_policies_from_loading(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    shutil.copy(BAD / "base_year_not_indexed" / "unit_costs.yaml", folder / "unit_costs.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies(folder)
    assert "the amount cannot be indexed" in str(caught.value)


def test_a_fund_overrides_a_shared_item_from_its_own_date(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    (folder / "orebro" / "unit_costs.yaml").write_text(
        'cost_items:\n  hvb_dygn_unga:\n    values:\n      - {from: "2022-01-01", amount_sek: 4100, '
        'price_base_year: 2021, reference: "Örebro kommun, egen uppgift"}\n', encoding="utf-8")
    book = load_policies(folder).unit_costs
    own = book.items("orebro")["hvb_dygn_unga"]
    assert own.at(dt.date(2021, 12, 31)).amount_sek == 2658
    assert own.at(dt.date(2021, 12, 31)).reference.startswith("Helsingborgs stad")  # shared before the fund's date
    assert own.at(dt.date(2022, 1, 1)).amount_sek == 4100 and own.name.sv.startswith("Vårddygn")
    assert book.items("model")["hvb_dygn_unga"].at(dt.date(2022, 1, 1)).amount_sek == 2658  # other funds unchanged


def test_policies_without_a_catalogue_load_with_an_empty_one(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies" / "model", folder / "model")
    book = load_policies(folder)
    assert book.unit_costs.items("model") == {} and book.methods.methods == {}
