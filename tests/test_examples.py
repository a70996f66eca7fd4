"""The shared examples decide as the engine issue states."""
from __future__ import annotations

import pytest

from conftest import DECISION_DATE, EXAMPLES


def test_model_familjestod_is_approved(gov):
    d = gov.decide_file(EXAMPLES / "model-familjestod.yaml", DECISION_DATE)
    assert d.outcome == "approved"
    assert d.findings == []
    assert d.policy_version == "2015-01-01"
    assert d.completion_deadline is None


def test_nkp_skolnarvaro_is_approved_with_conditions_under_4_3_and_4_6(gov):
    d = gov.decide_file(EXAMPLES / "nkp-skolnarvaro.yaml", DECISION_DATE)
    assert d.outcome == "approved_with_conditions"
    assert [(f.clause, f.severity) for f in d.findings] == [("4.3", "condition"), ("4.6", "condition")]
    assert d.policy_version == "2012-01-01"  # submitted 2021: with repayment


def test_gav_utkast_asks_for_completion(gov):
    d = gov.decide_file(EXAMPLES / "gav-utkast.yaml", DECISION_DATE)
    assert d.outcome == "completion_requested"
    assert [f.clause for f in d.findings] == ["4.1", "4.3", "4.5", "4.7", "4.8", "6.2", "6.4", "G1", "G2"]
    assert {f.severity for f in d.findings} == {"complete"}
    assert d.completion_deadline == "2025-07-01"
    assert d.policy_version == "2024-01-01"


def test_findings_carry_the_values_they_were_judged_on(gov):
    d = gov.decide_file(EXAMPLES / "nkp-skolnarvaro.yaml", DECISION_DATE)
    f46 = next(f for f in d.findings if f.clause == "4.6")
    assert f46.values == {
        "fund_grant": 4_600_000,
        "evaluation.evaluator.kind": "internal",
        "evaluation.evaluator.name": "Utvecklingsavdelningen",
        "policy.evaluation.independent_threshold_sek": 3_000_000,
    }
    assert "4 600 000" in f46.message.replace("\u00a0", " ")


def test_english_messages(gov):
    d = gov.decide_file(EXAMPLES / "nkp-skolnarvaro.yaml", DECISION_DATE, lang="en")
    assert d.findings[1].message.startswith("According to the application the evaluation is made internally")
    assert d.findings[1].action.startswith("You shall engage an evaluator independent of the applicants")


def test_lul_fritidsmentorer_is_rejected_for_its_yearly_grant(gov):
    d = gov.decide_file(EXAMPLES / "lul-fritidsmentorer.yaml", DECISION_DATE)
    assert d.outcome == "rejected"
    assert [(f.clause, f.rule) for f in d.findings] == [("3.10", "eligibility.grant_per_year")]
    assert d.findings[0].values["largest_yearly_grant"] == 1_100_000


def test_mod_hembesok_does_not_pay_back(gov):
    d = gov.decide_file(EXAMPLES / "mod-hembesok.yaml", DECISION_DATE)
    assert d.outcome == "rejected"
    assert [(f.clause, f.rule) for f in d.findings] == [("3.14", "eligibility.payback")]
    assert d.findings[0].values["benefit_cost_ratio"] == pytest.approx(0.93814, abs=1e-5)  # unrounded (§2)
