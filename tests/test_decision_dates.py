"""Clauses that depend on the decision date: the decision's own facts (decision_date,
decision_year, submitted_year), dates moved by a parameter, and a fund's own parameter
declared and labelled in its own policy file."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import ROOT, as_yaml
from clause_cases import base
from governance import Governance, PolicyError, RuleError, load_policies, load_rulebook

START_RULE = """rules:
  - id: local.prompt_start
    clause: "3.6"
    title: {sv: Snar start, en: Prompt start}
    severity: reject
    when: start > decision_date + policy.local.start_within_months
    show: [decision_date]
    message:
      sv: "Projektet startar den {start}, mer än {policy.local.start_within_months, plural, one {# månad} other {# månader}} efter beslutet den {decision_date}."
      en: "The project starts on {start}, more than {policy.local.start_within_months, plural, one {# month} other {# months}} after the decision on {decision_date}."
  - id: local.same_year
    clause: "3.6"
    title: {sv: Beslut samma år, en: Decided the same year}
    severity: note
    when: decision_year > submitted_year
    message: {sv: "Beslutet fattas {decision_year}, året efter ansökan.", en: "The decision is made in {decision_year}."}
"""

LOCAL_PARAMETER = """  local.start_within_months:
    type: months
    nullable: true
    range: {min: 1, max: 24}
    label: {sv: längsta tid från beslut till start (månader), en: longest time from the decision to the start (months)}
    values: [{from: "2015-01-01", value: 6, reference: "test"}]
"""


@pytest.fixture
def files(tmp_path):
    rules, policies = tmp_path / "rules", tmp_path / "policies"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "policies", policies)
    (rules / "local.yaml").write_text(START_RULE, encoding="utf-8")
    model = policies / "model" / "policy.yaml"
    model.write_text(model.read_text(encoding="utf-8") + LOCAL_PARAMETER, encoding="utf-8")
    return rules, policies


def decide(gov, day, **changes):
    data = base("model")
    data["submitted"] = "2025-01-15"  # before every decision date below
    data.update(changes)
    return gov.decide_text(as_yaml(data), day)


def findings(decision, rule):
    return [(f.severity, f.message) for f in decision.findings if f.rule == rule]


def test_a_date_moved_by_months_keeps_the_day_or_takes_the_months_last(files):
    gov = Governance.load(*files)
    try:
        # the base application starts on 2025-09-01; six months after 2025-03-01 is 2025-09-01
        assert findings(decide(gov, dt.date(2025, 3, 1)), "local.prompt_start") == []
        (found,) = findings(decide(gov, dt.date(2025, 2, 28)), "local.prompt_start")
        assert found == ("reject", "Projektet startar den 1 september 2025, mer än 6 månader efter beslutet den "
                                   "28 februari 2025.")
        # 2025-08-31 + 6 months is 2026-02-28 (February has no 31st)
        assert findings(decide(gov, dt.date(2025, 8, 31), start="2026-02-28", end="2029-02-27"),
                        "local.prompt_start") == []
        assert findings(decide(gov, dt.date(2025, 8, 31), start="2026-03-01", end="2029-02-28"),
                        "local.prompt_start")[0][0] == "reject"
    finally:
        gov.close()


def test_the_decision_year_and_the_submission_year_are_facts(files):
    gov = Governance.load(*files)
    try:
        assert findings(decide(gov, dt.date(2025, 12, 31)), "local.same_year") == []
        assert findings(decide(gov, dt.date(2026, 1, 2)), "local.same_year")[0][0] == "note"
    finally:
        gov.close()


def test_a_move_by_none_never_holds(files):
    gov = Governance.load(*files)
    try:
        unlimited = gov.with_parameter("model", "local.start_within_months", None, dt.date(2015, 1, 1))
        try:
            assert findings(decide(unlimited, dt.date(2020, 1, 1), submitted="2019-12-01"),
                            "local.prompt_start") == []
        finally:
            unlimited.close()
    finally:
        gov.close()


def test_a_funds_own_parameter_is_labelled_in_its_own_file(files):
    rules, policies = files
    book = load_policies(policies)
    rulebook = load_rulebook(rules, book)
    try:
        assert rulebook.labels.parameters["local.start_within_months"].sv == "längsta tid från beslut till start (månader)"
        assert "local.start_within_months" not in (ROOT / "rules" / "labels.yaml").read_text(encoding="utf-8")
    finally:
        rulebook.close()


def test_a_label_where_the_parameter_is_only_inherited_is_refused(files):
    _rules, policies = files
    lulea = policies / "lulea" / "policy.yaml"
    lulea.write_text(lulea.read_text(encoding="utf-8").replace(
        "  eligibility.max_fund_share:\n",
        "  eligibility.max_fund_share:\n    label: {sv: andel, en: share}\n"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policies(policies)
    (problem,) = info.value.problems
    assert problem.file.endswith("lulea/policy.yaml") and problem.field == "parameters.eligibility.max_fund_share.label"
    assert "the label of 'eligibility.max_fund_share' is given where the parameter is declared (model)" in str(problem)


def test_one_parameter_declared_by_two_funds_is_refused(files):
    _rules, policies = files
    lulea = policies / "lulea" / "policy.yaml"
    lulea.write_text(lulea.read_text(encoding="utf-8") + "  lulea.mentors:\n    type: integer\n    range: {min: 0, "
                     "max: 9}\n    values: [{from: \"2016-01-01\", value: 4, reference: test}]\n", encoding="utf-8")
    orebro = policies / "orebro" / "policy.yaml"
    orebro.write_text(orebro.read_text(encoding="utf-8") + "  lulea.mentors:\n    type: integer\n    range: {min: 0, "
                      "max: 9}\n    values: [{from: \"2013-06-01\", value: 2, reference: test}]\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policies(policies)
    (problem,) = info.value.problems
    assert problem.file.endswith("orebro/policy.yaml")
    assert "the parameter 'lulea.mentors' is declared by the fund 'lulea' too" in str(problem)
    assert "such as orebro.mentors" in str(problem)


def test_a_label_in_both_places_is_refused(files):
    rules, policies = files
    labels = rules / "labels.yaml"
    labels.write_text(labels.read_text(encoding="utf-8") + "  local.start_within_months: {sv: x, en: x}\n",
                      encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rulebook(rules, load_policies(policies))
    assert any("the parameter 'local.start_within_months' is labelled where its fund declares it" in str(p)
               and p.file.endswith("labels.yaml") for p in info.value.problems)
