"""Derived figures in plain Python, with the edge dates of §2."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import example, set_path, DELETE
from governance.dates import add_months, project_end
from governance.engine.figures import SMS_LEVELS, derive, mde, present_value, real_change, z
from governance.formats.proposal import Proposal

D = dt.date
PARAMS = {
    "eligibility.min_duration_months": 12, "eligibility.max_duration_months": 36,
    "eligibility.collaboration_kinds": ["municipal"], "economics.discount_rate": 0.035,
    "economics.horizon_years": 10, "evaluation.alpha": 0.05, "evaluation.power": 0.8,
    "budget_guard.default_price_change": 0.02,
}


@pytest.mark.parametrize("start, months, end", [
    (D(2025, 8, 1), 36, D(2028, 7, 31)),      # the spec's example
    (D(2025, 1, 31), 1, D(2025, 2, 27)),      # month end: 31 Jan + 1 month = 28 Feb, minus a day
    (D(2024, 1, 31), 1, D(2024, 2, 28)),      # leap year: 29 Feb, minus a day
    (D(2024, 2, 29), 12, D(2025, 2, 27)),     # from a leap day into a common year
    (D(2023, 3, 1), 12, D(2024, 2, 29)),      # exactly 12 months ending on a leap day
    (D(2025, 9, 1), 36, D(2028, 8, 31)),      # exactly 36 months
    (D(2025, 12, 15), 12, D(2026, 12, 14)),
])
def test_project_end(start, months, end):
    assert project_end(start, months) == end


def test_add_months_keeps_day_or_takes_last():
    assert add_months(D(2025, 10, 31), 4) == D(2026, 2, 28)
    assert add_months(D(2025, 3, 15), -3) == D(2024, 12, 15)
    assert add_months(D(2025, 12, 31), 2) == D(2026, 2, 28)


def test_normal_quantiles_are_computed():
    assert z(0.975) == pytest.approx(1.959964, abs=1e-6)
    assert z(0.8) == pytest.approx(0.841621, abs=1e-6)
    # with the defaults the multiplier is 2.8016 (§2)
    assert mde(0.05, 0.8, 1, 1) / 2 ** 0.5 == pytest.approx(2.8016, abs=1e-4)
    assert mde(0.05, 0.8, 160, 160) == pytest.approx(0.3132, abs=1e-4)
    assert mde(0.01, 0.9, 100, 100) > mde(0.05, 0.8, 100, 100)


def test_present_value_counts_only_inside_the_horizon():
    assert present_value([(2025, 100.0)], 2025, 0.035, 10) == 100.0
    assert present_value([(2026, 103.5)], 2025, 0.035, 10) == pytest.approx(100.0)
    assert present_value([(2034, 1.0), (2035, 1000.0)], 2025, 0.0, 10) == 1.0  # 2035 − 2025 = 10: outside


def test_real_change():
    assert real_change(100, 102, 0.02) == pytest.approx(0.0)
    assert real_change(100, 100, 0.02) == pytest.approx(-0.0196078, abs=1e-6)


def test_sms_scale():
    assert SMS_LEVELS == {"rct": 5, "quasi_random": 4, "difference_in_differences": 3, "matched_comparison": 3,
                          "comparison_group": 2, "pre_post": 1, "none": 0}


def figures(data) -> dict:
    return derive(Proposal.model_validate(_dated(data)), PARAMS)


def _dated(data):
    data = dict(data)
    for k in ("submitted", "start", "end"):
        if isinstance(data[k], str):
            data[k] = dt.date.fromisoformat(data[k])
    return data


def test_figures_of_the_model_example():
    f = figures(example("model-familjestod"))
    assert f["fund_grant"] == 5_700_000 and f["total_cost"] == 6_650_000
    assert f["fund_share"] == pytest.approx(5.7 / 6.65)
    assert f["largest_yearly_grant"] == 1_800_000 and f["largest_grant_year"] == 2026
    assert f["pv_municipal_savings"] == 6_966_603 and f["pv_total_cost"] == 6_302_078
    assert f["benefit_cost_ratio"] == pytest.approx(1.10545, abs=1e-5)  # unrounded (§2)
    assert f["sms_level"] == 4 and f["mde"] == pytest.approx(0.313227, abs=1e-6)
    assert f["min_end"] == D(2026, 8, 31) and f["max_end"] == D(2028, 8, 31)
    assert f["largest_real_cut"] == pytest.approx(1 - 1003 / (980 * 1.025), abs=1e-6)
    assert f["largest_real_cut_committee"] == "Förskolenämnden"
    assert f["largest_target_area_cut"] == 0
    assert f["uncommitted_saving_committees"] == 0


def test_absent_sections_leave_figures_absent():
    data = example("gav-utkast")
    f = figures(data)
    for name in ("sms_level", "mde", "primary_outcome_count", "participating_committees_missing_budget",
                 "largest_target_area_cut", "largest_real_cut", "uncommitted_saving_committees"):
        assert name not in f


def test_empty_list_is_an_answer():
    data = example("nkp-skolnarvaro")
    f = figures(data)
    assert f["cost_centre_count"] == 0
    assert f["largest_target_area_cut"] == 0
    assert f["project_funded_cost_centres_with_previous"] == 0


def test_counts_are_unknown_when_an_item_cannot_be_judged():
    data = example("model-familjestod")
    data["applicant"]["partners"].append({"name": "Föreningen", "kind": "civil_society"})  # non_profit not given
    f = figures(data)
    assert "nonprofit_civil_society_partners" not in f
    assert "for_profit_civil_society_partners" not in f
    assert f["collaborating_participants"] == 2  # civil society does not count in the model


def test_target_area_cut_and_offsets():
    data = example("model-familjestod")
    set_path(data, "budget_context.cost_centres.0.current_sek", 3_000_000)
    data["budget_context"]["cost_centres"].append(
        {"name": "Fritidsgård", "committee": "Socialnämnden", "previous_sek": 900_000, "current_sek": 800_000,
         "target_area": True, "funded_by_project": True})
    f = figures(data)
    assert f["largest_target_area_cut"] == 1_200_000
    assert f["largest_target_area_cut_centre"] == "Förebyggande familjestöd"
    assert f["project_funded_cost_centres_with_previous"] == 1
    assert f["project_funded_cost_centre_names"] == ["Fritidsgård"]


def test_budget_rows_of_one_year_are_added_up():
    data = example("model-familjestod")
    data["budget"].append({"year": 2026, "fund_sek": 300_000, "own_sek": 0, "purpose": "Lokaler"})
    f = figures(data)
    assert f["largest_yearly_grant"] == 2_100_000 and f["largest_grant_year"] == 2026


def test_bcr_needs_the_whole_calculation():
    data = example("model-familjestod")
    set_path(data, "economics.discount_rate", DELETE)
    assert "benefit_cost_ratio" not in figures(data)


def test_limits_are_compared_with_unrounded_figures(gov):
    """§2: a ratio of 0.9999984 does not pass as 1.0; an MDE equal to the expected effect passes 4.4."""
    from conftest import DECISION_DATE, as_yaml

    data = example("model-familjestod")
    data["budget"] = [{"year": 2025, "fund_sek": 1_000_000, "own_sek": 0}]
    data["expected_savings"] = [{"committee": "Socialnämnden", "year": 2025, "sek": 999_998}]
    f = figures(data)
    assert f["benefit_cost_ratio"] == pytest.approx(0.999998) and f["benefit_cost_ratio"] < 1
    decision = gov.decide_text(as_yaml(data), DECISION_DATE)
    assert [x.severity for x in decision.findings if x.clause == "3.14"] == ["reject"]
    assert "0,999998" in next(x.message for x in decision.findings if x.clause == "3.14")  # shown rounded


def test_rows_outside_the_project_make_the_calculation_not_credible():
    data = example("model-familjestod")  # 2025-09-01 – 2028-08-31
    data["budget"].append({"year": 2029, "fund_sek": 0, "own_sek": 100_000})
    data["expected_savings"][0]["year"] = 2024
    f = figures(data)
    assert f["budget_rows_outside_project"] == 1 and f["budget_rows_outside_project_names"] == ["2029"]
    assert f["savings_rows_before_start"] == 1 and f["savings_rows_before_start_names"] == ["Socialnämnden 2024"]
    assert "benefit_cost_ratio" not in f  # 3.14 is judged only where 3.13 holds
