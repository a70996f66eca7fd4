"""Every rule fires, does not fire at its boundary, and asks for completion when a value is missing."""
from __future__ import annotations

import pytest

from clause_cases import CASES, base, changed
from conftest import DECISION_DATE, as_yaml

FUNDS = ["model", "norrkoping", "orebro", "gavleborg", "lulea"]


def decide(gov, data):
    evidence = data.pop("_evidence", None)  # the shared evidence base a case passes in (clause_cases.py)
    return gov.decide_text(as_yaml(data), DECISION_DATE, name="case.yaml", evidence=evidence)


@pytest.mark.parametrize("fund", FUNDS)
def test_base_proposal_is_approved(gov, fund):
    d = decide(gov, base(fund))
    assert (d.outcome, d.findings) == ("approved", []), [f.message for f in d.findings]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(gov, case):
    _name, fund, changes, rule, severity = case
    d = decide(gov, changed(fund, changes))
    found = [f.severity for f in d.findings if f.rule == rule]
    if severity is None:
        assert found == [], [f.message for f in d.findings if f.rule == rule]
    else:
        assert found == [severity], [(f.rule, f.severity, f.message) for f in d.findings]


def test_every_rule_has_a_firing_and_a_silent_case(gov):
    fired = {c[3] for c in CASES if c[4] is not None}
    silent = {c[3] for c in CASES if c[4] is None}
    rules = {r.id for r in gov.rulebook.rules} - {"eligibility.grant_total"}  # no shipped fund caps it: test_policy.py
    assert rules - fired == set()
    assert rules - silent == set()


def test_every_clause_of_sections_3_to_6_has_a_rule(gov):
    clauses = {c for fund in gov.policies.funds.values() for c in fund.clauses}
    follow_up = {"5.3", "5.4", "5.5", "5.6", "7.1", "7.2", "7.3"}  # judged on follow-up reports
    with_rules = {r.clause for r in gov.rulebook.rules}
    assert clauses - follow_up - with_rules == set()


def test_missing_findings_name_what_is_missing(gov):
    d = decide(gov, changed("model", {"evaluation.follow_up_months": None}))
    (f,) = [f for f in d.findings if f.clause == "4.5"]
    assert f.missing == ["evaluation.follow_up_months"]
    assert f.message == "Ansökan saknar uppgift om hur länge utfallen följs upp efter insatsen."


def test_a_rejected_decision_still_lists_every_finding(gov):
    d = decide(gov, changed("model", {"applicant.lead.kind": "region", "evaluation.follow_up_months": 12,
                                      "implementation.signed_by_manager": False}))
    assert d.outcome == "rejected"
    assert [f.clause for f in d.findings] == ["3.1", "3.2", "3.11", "4.5"]  # a region lead is no committee
    assert d.completion_deadline is None


def test_findings_come_out_in_clause_order(gov):
    d = decide(gov, changed("model", {"evaluation.follow_up_months": 12, "implementation.from_year": 2031,
                                      "target_group.age_max": 30}))
    assert [f.clause for f in d.findings] == ["3.4", "3.12", "4.5"]
