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
    "bad_id": (2, 9, "rules.0.id", "'Bad Id' is not allowed here (a rule id is lower-case words joined by dots"),
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
