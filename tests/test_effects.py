"""Effects instead of bare kronor: volume changes valued with the unit-cost catalogue, at the
decision year's prices, into the savings 3.13, 3.14 and 5.1 use; and measured effects of a
follow-up report into verified savings."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import DECISION_DATE, EXAMPLES, as_yaml, example
from governance import InputError

HVB = {"cost_item": "hvb_dygn_unga", "committee": "Socialnämnden", "baseline_volume": 12, "change_per_year": -3,
       "units_per_case": 365, "from_year": 2027, "to_year": 2031}


def proposal(**changes):
    data = example("model-familjestod")
    data.pop("expected_savings")
    data["expected_effects"] = [HVB]
    data.update(changes)
    return data


def decide(gov, data, day=DECISION_DATE, evidence=None):
    return gov.decide_text(as_yaml(data), day, name="effects.yaml", evidence=evidence)


def test_three_fewer_hvb_placements_a_year_by_hand(gov):
    d = decide(gov, proposal())
    unit_cost = 2658 * 403.70 / 316.43  # Helsingborg 2016, KPI 2016 -> 2023 (the last published average)
    rows = d.savings["per_committee_and_year"]
    assert [r["year"] for r in rows] == [2027, 2028, 2029, 2030, 2031]
    assert all(r["sek"] == round(3 * 365 * unit_cost) == 3_713_216 for r in rows)
    (item,) = d.savings["cost_items"]
    assert (item["amount_sek"], item["price_base_year"], item["index_year"]) == (2658, 2016, 2023)
    assert item["reference"].startswith("Helsingborgs stad, Årsredovisning 2016")
    assert d.savings["price_year"] == 2025 and "scb.se" in d.savings["price_index"]["reference"]
    assert d.outcome == "approved"


def test_the_savings_from_effects_are_the_savings_3_14_discounts(gov):
    d = decide(gov, proposal())
    kronor = example("model-familjestod")
    kronor.pop("expected_savings")
    kronor["expected_savings"] = [{"committee": r["committee"], "year": r["year"], "sek": r["sek"]}
                                  for r in d.savings["per_committee_and_year"]]
    stated = decide(gov, kronor)
    assert d.sensitivity["benefit_cost_ratio"] == pytest.approx(stated.sensitivity["benefit_cost_ratio"], abs=1e-6)


def test_amounts_are_those_in_force_on_the_submission_date(gov):
    early = decide(gov, proposal(submitted="2016-05-02", start="2016-09-01", end="2019-08-31"))
    (item,) = early.savings["cost_items"]
    assert (item["amount_sek"], item["price_base_year"]) == (3201, 2015)


def test_an_unknown_cost_item_is_a_placed_error(gov):
    data = proposal()
    data["expected_effects"][0] = dict(HVB, cost_item="hvb_dygn_ung")
    with pytest.raises(InputError) as caught:
        decide(gov, data)
    (problem,) = caught.value.problems
    assert problem.field == "expected_effects.0.cost_item" and problem.line is not None
    assert "unknown cost item 'hvb_dygn_ung'" in problem.message and "hvb_dygn_unga" in problem.hint


def test_a_cost_item_paid_by_another_kind_of_payer_is_a_placed_error(gov):
    data = proposal()
    data["expected_effects"][0] = dict(HVB, scope="region", committee="Region Östergötland")
    with pytest.raises(InputError) as caught:
        decide(gov, data)
    assert caught.value.problems[0].field == "expected_effects.0.scope"
    assert "paid by a municipal committee (social)" in caught.value.problems[0].message


def test_no_amount_in_force_yet_is_a_placed_error(gov):
    data = proposal(submitted="2018-03-01", start="2018-09-01", end="2021-08-31")
    data["expected_effects"] = [dict(HVB, cost_item="ekonomiskt_bistand_hushall_ar", units_per_case=1)]
    with pytest.raises(InputError) as caught:
        decide(gov, data)
    assert "no amount in force on 2018-03-01" in caught.value.problems[0].message


def test_a_reduction_larger_than_the_baseline_is_not_a_proposal(gov):
    data = proposal()
    data["expected_effects"][0] = dict(HVB, baseline_volume=2)
    with pytest.raises(InputError) as caught:
        decide(gov, data)
    assert caught.value.problems[0].field == "expected_effects.0"
    assert "larger than the baseline volume of 2" in caught.value.problems[0].message


@pytest.mark.parametrize("missing", ["baseline_volume", "change_per_year", "from_year", "to_year"])
def test_a_row_missing_a_value_is_unknown_never_zero(gov, missing):
    data = proposal()
    data["expected_effects"][0] = {k: v for k, v in HVB.items() if k != missing}
    d = decide(gov, data)
    assert [(f.clause, f.severity) for f in d.findings if f.clause in ("3.13", "3.14")] == [("3.13", "complete")]
    assert d.sensitivity is None and d.savings["incomplete_rows"] == [0] and d.savings["rows"] == []


def test_a_committee_saving_through_effects_needs_a_repayment_commitment(gov):
    data = proposal()
    data["expected_effects"].append(dict(HVB, committee="Arbetsmarknadsnämnden", units_per_case=1,
                                         cost_item="ekonomiskt_bistand_hushall_ar"))
    d = decide(gov, data)
    (finding,) = [f for f in d.findings if f.clause == "5.1"]
    assert finding.values["uncommitted_saving_committee_names"] == ["Arbetsmarknadsnämnden"]


def test_an_unknown_method_is_a_placed_error(gov):
    data = example("model-familjestod")
    data["intervention"]["method"] = "hembesok"
    with pytest.raises(InputError) as caught:
        decide(gov, data)
    problem = caught.value.problems[0]
    assert problem.field == "intervention.method" and "hembesok_foraldrastod" in problem.hint


def test_the_decision_records_the_evidence_level_it_used(gov):
    data = example("model-familjestod")
    data["intervention"].update(method="komet", evidence_level=1)
    d = decide(gov, data, evidence={"komet": {"level": 3, "evaluations": 2, "funds": ["model", "orebro"],
                                              "as_of": "2025-06-01"}})
    assert d.evidence == {"method": "komet", "level": 3, "evaluations": 2, "funds": ["model", "orebro"],
                          "as_of": "2025-06-01"}
    (note,) = [f for f in d.findings if f.clause == "3.8"]
    assert note.severity == "note" and note.values["method_evidence_level"] == 3
    assert decide(gov, data).evidence is None  # no evidence base passed in: nothing recorded, nothing looked up


def test_measured_effects_of_a_follow_up_report_are_verified_savings(gov, tmp_path):
    report = {"format": "follow-up/1", "proposal": "MOD-2025-001", "fund": "model", "kind": "effect",
              "period": 2029, "submitted": "2029-10-01", "design": "quasi_random",
              "outcomes": [{"name": "Andel barn med orosanmälan inom 24 månader", "estimate": -0.04,
                            "ci_low": -0.07, "ci_high": -0.01}],
              "measured_effects": [{"cost_item": "familjehem_ar_barn", "committee": "Socialnämnden", "year": 2029,
                                    "change": -2}]}
    path = tmp_path / "effect.yaml"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    result = gov.follow_up(EXAMPLES / "model-familjestod.yaml", [path], dt.date(2029, 12, 1))
    expected = round(2 * 130392 * 403.70 / 343.19)  # SKR 2021 level at KPI 2023 prices (the last published)
    (measured,) = result.measured
    assert measured["per_committee_and_year"] == [{"committee": "Socialnämnden", "scope": "municipal",
                                                   "year": 2029, "sek": expected}]
    assert any(n.rule == "followup.repayment_trigger" for n in result.notices)
    assert sum(r.amount_sek for r in result.repayments) == round(expected * 0.75)
