"""Rules fire, do not fire at their boundary, and ask for completion when a value is missing.

The funds and their base applications are learned from the files; the cases in
clause_cases.py add detail to the scenarios, which (with rule coverage) specify every rule."""
from __future__ import annotations

import pytest

from clause_cases import CASES, base, base_applications, changed
from conftest import DECISION_DATE, as_yaml


def decide(gov, data):
    evidence = data.pop("_evidence", None)  # the shared evidence base a case passes in (clause_cases.py)
    return gov.decide_text(as_yaml(data), DECISION_DATE, name="case.yaml", evidence=evidence)


@pytest.mark.parametrize("name", base_applications())
def test_every_base_application_is_approved(gov, name):
    d = decide(gov, base(name))
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


def test_every_case_names_a_rule_and_a_fund_of_the_files(gov):
    """A case of a rule or fund that is renamed or removed fails here, not silently."""
    assert {c[3] for c in CASES} - set(gov.rulebook.by_id) == set()
    assert {c[1] for c in CASES} - set(base_applications()) == set()


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
