"""Broken rule files get placed, plain errors at load time; nothing reaches the engine unchecked."""
from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, ROOT
from governance import RuleError, load_policies, load_rulebook

BAD = FIXTURES / "rules_bad"

CASES = {
    "unknown_fact": (6, 11, "rules.0.when", "unknown fact 'fund_shar' (did you mean 'fund_share'?)"),
    "unknown_param": (6, 24, "rules.0.when", "unknown parameter 'policy.eligibility.max_fund_shar' (did you mean"),
    "number_literal": (6, 24, "rules.0.when", "the number 0.5 is written into the rule (thresholds belong in policies/"),
    "type_mismatch": (6, 11, "rules.0.when", "a number cannot be compared with a text"),
    "enum_value": (6, 32, "rules.0.when", "'curative' can never be a value here (allowed: preventive, early, treatment)"),
    "unknown_clause": (3, 13, "rules.0.clause", "clause '3.99' is not a clause of any policy"),
    "placeholder": (7, 19, "rules.0.message.sv", "the placeholder {fund_shar} is not supplied by this rule (did you mean 'fund_share'?)"),
    "missing_language": (7, 14, "rules.0.message.en", "required field is missing"),
    "duplicate_id": (8, 9, "rules.1.id", "rule id 'test.duplicate_id' is used twice"),
    "never_finds": (2, 5, "rules.0", "has neither 'when' nor 'needs'"),
    "unknown_key": (5, 5, "rules.0.severty", "unknown key 'severty' (did you mean 'severity'?)"),
    "bad_severity": (5, 15, "rules.0.severity", "'fatal' is not allowed; allowed: reject, complete, condition, note"),
    "followup_severity": (5, 15, "rules.0.severity", "'repay' is not a severity here (allowed: complete, condition, note, reject)"),
    "syntax": (6, 24, "rules.0.when", "cannot read the condition"),
    "unknown_show": (7, 12, "rules.0.show.0", "unknown fact 'total_kost' (did you mean 'total_cost'?)"),
    "bad_id": (2, 9, "rules.0.id", "String should match pattern"),
    "plural_not_count": (8, 11, "rules.0.message.sv", "a plural needs a count, but {fund_share} is a share"),
    "plural_no_other": (8, 11, "rules.0.message.sv", "the plural of {budget_row_count} needs an 'other' branch"),
    "plural_category": (8, 11, "rules.0.message.sv", "'few' is not a plural category of 'sv'; use one, other or =N"),
    "boolean_text": (8, 11, "rules.0.message.sv", "{intervention.existing_activity} is a yes/no value: word it with a "
                                                  "select"),
    "select_value": (8, 11, "rules.0.message.sv", "'curative' is not a value of {intervention.kind}"),
    "condition_missing": (2, 5, "rules.0", "a condition rule needs 'condition': what the applicant must do"),
    "completion_on_reject": (8, 5, "rules.0.completion", "only a complete rule has 'completion' (this one gives "
                                                         "reject)"),
    "condition_deadline": (11, 11, "rules.0.condition.by", "the deadline parameter 'eligibility.max_fund_share' is a "
                                                           "share"),
    "message_syntax": (7, 19, "rules.0.message.sv", "the placeholder {fund_share} is not closed with '}'"),
    "explain_fact": (8, 19, "rules.0.explain.sv", "the placeholder {fund_share} is not supplied by this rule (explain "
                                                  "says the rule in general"),
}


@pytest.fixture(scope="module")
def policies():
    return load_policies(ROOT / "policies")


def test_every_rule_fixture_has_a_case():
    assert sorted(p.stem for p in BAD.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_rule_file(tmp_path, policies, name):
    line, column, field, words = CASES[name]
    shutil.copy(ROOT / "rules" / "labels.yaml", tmp_path / "labels.yaml")
    shutil.copy(BAD / f"{name}.yaml", tmp_path / f"{name}.yaml")
    with pytest.raises(RuleError) as info:
        load_rulebook(tmp_path, policies)
    (problem,) = [p for p in info.value.problems if p.field == field]
    assert (problem.file.endswith(f"{name}.yaml"), problem.line, problem.column, problem.field) == (True, line, column, field)
    assert words in str(problem)


def test_the_shipped_rules_load_clean(policies):
    book = load_rulebook(ROOT / "rules", policies)
    assert len(book.rules) >= 35
    book.close()
