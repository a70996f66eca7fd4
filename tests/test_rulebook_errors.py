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
    # what the compiler or the rule engine could not take is refused here, with its place and a fix
    "arithmetic_both_sides": (6, 11, "rules.0.when", "one side of a comparison must be a single fact"),
    "date_shift": (6, 35, "rules.0.when", "a date moves by a parameter that counts months or years, or days in an "
                                          "integer named …_days (write a date of the application plus or minus"),
    "too_long": (6, 11, "rules.0.when", "characters long, more than 2000 (split it into several rules)"),
    "too_deep": (6, 107, "rules.0.when", "nested more than 24 levels deep"),
    "too_many_parts": (6, 11, "rules.0.when", "more than 400 parts"),
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


def test_more_rules_with_one_condition_than_the_engine_takes_are_refused_with_their_place(tmp_path, policies):
    shutil.copy(ROOT / "rules" / "labels.yaml", tmp_path / "labels.yaml")
    rules = "".join(f"  - id: test.same_{i}\n    clause: \"3.9\"\n    title: {{sv: T, en: T}}\n    severity: note\n"
                    f"    when: fund_share > policy.eligibility.max_fund_share\n    message: {{sv: T, en: T}}\n"
                    for i in range(300))
    (tmp_path / "same.yaml").write_text("rules:\n" + rules, encoding="utf-8")
    book = load_rulebook(tmp_path, policies)  # each rule is fine on its own
    try:
        problems = book.check_compiles()
        assert problems and all(p.line == 2 and "300 rules have the same condition" in p.message for p in problems)
        with pytest.raises(RuleError):
            book.compiled(policies.version("model", __import__("datetime").date(2025, 1, 1)))
    finally:
        book.close()


def test_a_condition_whose_normal_form_explodes_is_refused(tmp_path, policies):
    shutil.copy(ROOT / "rules" / "labels.yaml", tmp_path / "labels.yaml")
    terms = " and ".join(f"(target_group.size > {name} or target_group.age_max > {name})"
                         for name in ["budget_row_count", "savings_row_count", "primary_outcome_count",
                                      "participant_count", "cost_centre_count", "repayment_commitment_count",
                                      "municipal_participants", "company_partners", "sms_level", "start_year",
                                      "end_year", "primary_outcomes_incomplete"])
    (tmp_path / "big.yaml").write_text(
        "rules:\n  - id: test.big\n    clause: \"3.9\"\n    title: {sv: T, en: T}\n    severity: note\n"
        f"    when: {terms}\n    message: {{sv: T, en: T}}\n", encoding="utf-8")
    book = load_rulebook(tmp_path, policies)
    try:
        problems = book.check_compiles()
        assert problems and "too complex for the rule engine" in problems[0].message and problems[0].line == 2
    finally:
        book.close()
