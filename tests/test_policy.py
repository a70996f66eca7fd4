"""Policies: effective dates, inheritance, and placed errors for broken policy files."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from clause_cases import base
from conftest import DECISION_DATE, FIXTURES, ROOT, as_yaml
from governance import Governance, PolicyError, load_policies

D = dt.date


@pytest.fixture(scope="module")
def book():
    return load_policies(ROOT / "policies")


@pytest.mark.parametrize("fund, day, version", [
    ("norrkoping", D(2021, 12, 31), "2012-01-01"),
    ("norrkoping", D(2022, 1, 1), "2022-01-01"),
    ("orebro", D(2022, 12, 31), "2013-06-01"),
    ("orebro", D(2023, 1, 1), "2023-01-01"),
    ("gavleborg", D(2023, 12, 31), "2016-01-01"),
    ("gavleborg", D(2024, 1, 1), "2024-01-01"),
    ("model", D(2030, 1, 1), "2015-01-01"),
    ("lulea", D(2016, 1, 1), "2016-01-01"),
])
def test_version_in_force(book, fund, day, version):
    assert book.version(fund, day).version.isoformat() == version


def test_norrkoping_abolished_repayment_in_2022(book):
    assert book.version("norrkoping", D(2021, 12, 31)).params["repayment.enabled"] is True
    assert book.version("norrkoping", D(2022, 1, 1)).params["repayment.enabled"] is False
    assert book.version("norrkoping", D(2021, 12, 31)).params["repayment.min_share"] == 1.0


def test_funds_inherit_the_model_and_override_a_few(book):
    v = book.version("lulea", D(2025, 1, 1))
    assert v.params["eligibility.max_fund_share"] == 0.7
    assert v.params["evaluation.min_sms_new"] == 3  # inherited
    assert v.sources["eligibility.max_fund_share"].reference.startswith("lulea.se")
    assert v.sources["evaluation.min_sms_new"].reference == "Modellriktlinjer 4.3"


def test_fund_clauses_have_their_own_dates(book):
    assert "G1" not in book.version("gavleborg", D(2023, 12, 31)).clauses
    assert {"G1", "G2"} <= set(book.version("gavleborg", D(2024, 1, 1)).clauses)
    assert "N1" not in book.version("model", D(2025, 1, 1)).clauses


def test_every_parameter_has_a_reference(book):
    for version in book.all_versions():
        for name, source in version.sources.items():
            assert source.reference.strip(), (version.key, name)


def test_a_date_before_the_first_version_is_an_error(book):
    with pytest.raises(PolicyError, match="no policy in force on 2011-12-31: its first version is from 2012-01-01"):
        book.version("norrkoping", D(2011, 12, 31))


POLICY_CASES = {
    "unknown_param": (6, "unknown parameter 'eligibility.max_fund_shar' (did you mean 'eligibility.max_fund_share'?"),
    "wrong_value_type": (7, "not a valid share"),
    "share_out_of_range": (7, "a share must be between 0 and 1"),
    "bad_date": (7, "'2016-02-30' is not a real date"),
    "value_before_start": (7, "2015-06-01 is before the fund's first version (2016-01-01)"),
    "null_not_allowed": (7, "'eligibility.max_fund_share' needs a value (it cannot be none)"),
    "missing_reference": (7, "parameters.eligibility.max_fund_share.values.0.reference: required field is missing"),
    "bad_kinds": (7, "not a valid kinds"),
    "same_date_twice": (9, "two values take effect on the same date, 2016-01-01: this one and value 1"),
    "duplicate_clause": (6, "clause 3.1 is defined twice"),
    "new_param_without_type": (6, "A new parameter needs a type"),
    "inherits_unknown": (3, "inherits from unknown fund 'modell' (did you mean 'model'?)"),
    "wrong_folder": (1, "the fund id 'other_name' must match its folder 'wrong_folder'"),
    "unknown_key": (5, "unknown key 'parametres' (did you mean 'parameters'?)"),
    "decimal_comma": (7, "unknown key '5' (a decimal comma? YAML reads 1,2 as two values: write 1.2)"),
    "clause_text_unknown": (9, "the placeholder {policy.eligibility.max_fund_shar} is not known here (did you mean "
                               "'policy.eligibility.max_fund_share'?)"),
    "clause_text_plural": (9, "a plural needs a count, but {policy.eligibility.max_fund_share} is a share"),
    "clause_text_none": (9, "{policy.eligibility.max_grant_total_sek} may be none: word that case with"),
    "clause_text_syntax": (4, "the select of {policy.fund.open} needs an 'other' branch"),
    # values outside the range the model declares for the parameter (no division by zero, no overflow later)
    "alpha_zero": (7, "0 lies outside the parameter's range (0, 0.5]"),
    "power_one": (7, "1 lies outside the parameter's range (0, 1)"),
    "spread_years_zero": (7, "0 lies outside the parameter's range [1, 30]"),
    "completion_days_huge": (7, "1000000000 lies outside the parameter's range [1, 365]"),
    "completion_days_float": (7, "not a valid integer"),
    "completion_days_negative": (7, "-5 lies outside the parameter's range [1, 365]"),
    "price_change_minus_one": (7, "-1 lies outside the parameter's range [-0.5, 1]"),
    "range_override": (7, "the range of 'evaluation.alpha' is declared where the parameter is declared"),
    "new_param_without_range": (6, "the parameter 'fund.own_limit' declares no range"),
    "inherits_itself": (3, "the fund 'inherits_itself' inherits from itself"),
    "bad_fund_id": (1, "'Bad_Id' is not allowed here (the fund's id: lower-case letters"),
    "year_9999": (4, "9999-01-01 lies outside the years 1900–2199 a fund can mean"),
}


def test_a_fund_without_letter_data_cannot_name_the_funds_words(tmp_path):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "policies" / "lulea" / "letter.yaml").unlink()
    with pytest.raises(PolicyError) as info:
        load_policies(tmp_path / "policies")
    (problem,) = info.value.problems
    assert problem.file.endswith("lulea/policy.yaml")
    assert "names {fund.organisation}, but the fund 'lulea' has no letter.yaml" in str(problem)


def test_a_misspelt_key_inside_a_parameter_gets_a_did_you_mean(tmp_path):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    path = tmp_path / "policies" / "model" / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'values: [{from: "2015-01-01", value: 1.0, reference: "Modellriktlinjer 3.14"}]'
    assert old in text
    path.write_text(text.replace(old, old.replace("reference:", "refrence:")), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policies(tmp_path / "policies")
    assert any("unknown key 'refrence' (did you mean 'reference'?)" in str(p) for p in info.value.problems)


def test_a_wrong_date_does_not_hide_the_other_problems_of_the_file(tmp_path):
    """lint gives every problem of a file at once: a value is checked although its date is wrong."""
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    folder = tmp_path / "policies" / "two_mistakes"
    folder.mkdir()
    shutil.copy(ROOT / "policies" / "model" / "letter.yaml", folder / "letter.yaml")
    (folder / "policy.yaml").write_text(
        'fund: two_mistakes\nname: {sv: Testfond, en: Test fund}\ninherits: model\nin_force_from: "2016-01-01"\n'
        'parameters:\n  eligibility.max_fund_share:\n'
        '    values: [{from: "2016-02-30", value: "1,2 mnkr", reference: "x"}]\n', encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policies(tmp_path / "policies")
    said = [str(p) for p in info.value.problems]
    assert any("'2016-02-30' is not a real date" in p for p in said), said
    assert any("not a valid share" in p for p in said), said


def test_every_policy_fixture_has_a_case():
    assert sorted(p.stem for p in (FIXTURES / "policies_bad").iterdir()) == sorted(POLICY_CASES)


@pytest.mark.parametrize("name", sorted(POLICY_CASES))
def test_broken_policy_file(tmp_path, name):
    line, words = POLICY_CASES[name]
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "policies" / name).mkdir()
    shutil.copy(FIXTURES / "policies_bad" / f"{name}.yaml", tmp_path / "policies" / name / "policy.yaml")
    shutil.copy(ROOT / "policies" / "model" / "letter.yaml", tmp_path / "policies" / name / "letter.yaml")
    with pytest.raises(PolicyError) as info:
        load_policies(tmp_path / "policies")
    (problem,) = info.value.problems
    assert problem.file.endswith(f"{name}/policy.yaml")
    assert problem.line == line
    assert words in str(problem)


def test_a_total_cap_set_in_a_policy_is_enforced(tmp_path):
    """3.10's total cap is none in every shipped fund; a policy author can set one."""
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    lulea = tmp_path / "policies" / "lulea" / "policy.yaml"
    lulea.write_text(lulea.read_text(encoding="utf-8") + (
        "  eligibility.max_grant_total_sek:\n"
        "    values:\n"
        "      - {from: \"2016-01-01\", value: null, reference: \"lulea.se\"}\n"
        "      - {from: \"2025-01-01\", value: 3600000, reference: \"test: a cap from 2025\"}\n"), encoding="utf-8")
    gov = Governance.load(ROOT / "rules", tmp_path / "policies")
    try:
        data = base("lulea")  # 4 × 900 000 = 3 600 000, submitted 2025-03-03
        assert gov.decide_text(as_yaml(data), DECISION_DATE).findings == []
        data["budget"][0]["fund_sek"] += 1
        d = gov.decide_text(as_yaml(data), DECISION_DATE)
        assert [(f.rule, f.severity) for f in d.findings] == [("eligibility.grant_total", "reject")]
        assert d.findings[0].values["policy.eligibility.max_grant_total_sek"] == 3_600_000
        data["submitted"] = "2024-12-31"  # before the cap
        assert gov.decide_text(as_yaml(data), DECISION_DATE).findings == []
    finally:
        gov.close()


@pytest.mark.parametrize("value, words", [(1.5, "a share must be between 0 and 1"), ("many", "not a valid share"),
                                          (None, "needs a value")])
def test_a_what_if_value_is_checked_as_a_policy_files_value_is(book, value, words):
    """impact --set and the scenarios' what-ifs: the same check as the value in the file."""
    from governance.errors import PolicyError

    with pytest.raises(PolicyError) as info:
        book.with_value("model", "eligibility.max_fund_share", value, dt.date(2025, 1, 1), "what if")
    assert words in str(info.value.problems[0])
