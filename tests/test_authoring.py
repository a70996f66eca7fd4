"""Policy authoring: lint, policy show, rules explain, schema and impact."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from conftest import DECISION_DATE, EXAMPLES, FIXTURES, ROOT
from governance import Governance, RuleError, load_policies, load_rulebook
from governance.authoring.lint import lint
from governance.cli.app import app
from governance.authoring.impact import impact
from governance.authoring.schemas import json_schema

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def test_shipped_rules_and_policies_lint_clean():
    assert lint(ROOT / "rules", ROOT / "policies") == []
    result = run("rules", "lint")
    assert result.exit_code == 0 and result.stdout == "regler och riktlinjer är felfria\n"


LINT_CASES = {
    "never_fires": "rule 'test.never_fires' can never fire",
    "always_fires": "rule 'test.always_fires' always fires whenever its values are given",
    "enum_never": "rule 'test.enum_never' can never fire",
}


def test_every_lint_fixture_has_a_case():
    assert sorted(p.stem for p in (FIXTURES / "lint").iterdir()) == sorted(LINT_CASES)


@pytest.mark.parametrize("name", sorted(LINT_CASES))
def test_lint_finds_rules_that_cannot_fire_or_always_fire(tmp_path, name):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copy(FIXTURES / "lint" / f"{name}.yaml", rules / f"{name}.yaml")
    problems = lint(rules, ROOT / "policies")
    assert len(problems) == 1
    assert problems[0].file.endswith(f"{name}.yaml") and problems[0].line == 2
    assert LINT_CASES[name] in str(problems[0])
    result = run("rules", "lint", "--rules", rules, "--lang", "en")
    assert result.exit_code == 1
    assert f"{name}.yaml:2: rules.test.{name}.when: {LINT_CASES[name]}" in result.stdout


def test_lint_reports_broken_files_as_placed_lines(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copy(FIXTURES / "rules_bad" / "unknown_fact.yaml", rules)
    result = run("rules", "lint", "--rules", rules)
    assert result.exit_code == 1
    assert "unknown_fact.yaml:6:11: rules.0.when: " in result.stdout and "(menade du 'fund_share'?)" in result.stdout


def test_a_parameter_without_a_value_where_a_rule_needs_it(tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    lulea = policies / "lulea" / "policy.yaml"
    lulea.write_text(lulea.read_text(encoding="utf-8") + (
        "  eligibility.max_mentors:\n    type: integer\n    range: {min: 0, max: 100}\n"
        "    values: [{from: \"2016-01-01\", value: 4, reference: \"test\"}]\n"), encoding="utf-8")
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "mentors.yaml").write_text(
        "rules:\n  - id: test.mentors\n    clause: \"3.9\"\n    title: {sv: T, en: T}\n    severity: note\n"
        "    when: target_group.size > policy.eligibility.max_mentors\n    message: {sv: T, en: T}\n", encoding="utf-8")
    (rules / "labels.yaml").write_text((rules / "labels.yaml").read_text(encoding="utf-8") +
                                       "  eligibility.max_mentors: {sv: mentorer, en: mentors}\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rulebook(rules, load_policies(policies))
    messages = [str(p) for p in info.value.problems]
    assert any("names policy.eligibility.max_mentors, which the fund 'model' has no value for from 2015-01-01" in m
               for m in messages)
    assert not any("'lulea'" in m for m in messages)


def test_policy_show():
    result = run("policy", "show", "norrkoping", "--date", "2021-12-31")
    assert result.exit_code == 0
    assert "norrkoping@2012-01-01" in result.stdout
    line = next(l for l in result.stdout.splitlines() if "repayment.enabled" in l)
    assert "ja" in line and "2012-01-01" in line and "norrkoping.se" in line
    doc = json.loads(run("policy", "show", "norrkoping", "--date", "2022-01-01", "--format", "json").stdout)
    assert doc["version"] == "2022-01-01"
    assert doc["parameters"]["repayment.enabled"] == {"value": False, "from": "2022-01-01",
                                                      "reference": "Norrköping, Budget 2022 och plan: återföringsmodellen avskaffad",
                                                      "label": "fonden har återföring"}
    assert "N1" in doc["clauses"]
    assert run("policy", "show", "norrkoeping").exit_code == 2
    assert "before" in run("policy", "show", "model", "--date", "2010-01-01").stderr or True


def test_rules_explain_substitutes_the_fund_values():
    result = run("rules", "explain", "3.9", "--fund", "gavleborg", "--date", "2025-01-01")
    assert result.exit_code == 0
    assert "[fondens andel av projektets kostnad] > 50\u00a0% (policy.eligibility.max_fund_share)" in result.stdout
    assert "regiongavleborg.se" in result.stdout
    assert "riktlinjer: Region Gävleborgs" in result.stdout and "versionen från" in result.stdout


def test_rules_explain_says_when_a_version_switches_a_rule_off_and_gives_its_plain_words():
    result = run("rules", "explain", "3.10", "--fund", "lulea", "--date", "2025-06-01")
    assert result.exit_code == 0
    out = result.stdout
    yearly, total = out.split("\n\n")[:2]
    assert "i klartext: Ansökan avslås om det sökta beloppet ur fonden för något kalenderår" in yearly
    assert "är större än 1\u00a0000\u00a0000\u00a0kr." in yearly  # the version's value, in words
    assert "policy.eligibility.max_grant_per_year_sek = 1\u00a0000\u00a0000\u00a0kr (sedan 1 januari 2016;" in yearly
    assert "stänger av regeln" not in yearly
    assert "versionens värden stänger av regeln: den ger aldrig någon bedömning" in total  # no total cap in Luleå
    assert "= ingen gräns (sedan" in total and "None" not in out


def test_rules_explain_misspelt():
    result = run("rules", "explain", "eligibility.fund_shar")
    assert result.exit_code == 2 and "menade du 'eligibility.fund_share'" in result.stderr


@pytest.mark.parametrize("kind, files", [
    ("proposal", sorted(EXAMPLES.glob("*.yaml"))),
    ("policy", sorted((ROOT / "policies").glob("*/policy.yaml"))),
    ("letter", sorted((ROOT / "policies").glob("*/letter.yaml"))),
    ("case", sorted((ROOT / "policies").glob("*/case.yaml"))),
    ("rules", sorted(p for p in (ROOT / "rules").glob("*.yaml") if p.name != "labels.yaml")),
    ("labels", [ROOT / "rules" / "labels.yaml"]),
])
def test_generated_schemas_accept_the_shipped_files(kind, files):
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
        jsonschema.validate(data, schema)


def test_schema_rejects_a_typo():
    data = yaml.load((EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8"), Loader=_TextDates)
    data["evaluation"]["desing"] = "rct"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema("proposal"))


def test_schema_command():
    result = run("schema", "decision")
    assert result.exit_code == 0 and "completion_deadline" in json.loads(result.stdout)["properties"]


class _TextDates(yaml.SafeLoader):
    """YAML as editors see it: dates are text."""


_TextDates.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _edited(tmp_path, fund, name, value):
    """A copy of the policies with one parameter of one fund given a new value from the fund's first day."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    path = policies / fund / "policy.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
    entry = data["parameters"].setdefault(name, {})
    entry["values"] = [{"from": data["in_force_from"], "value": value, "reference": "proposed change"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return policies


@pytest.mark.parametrize("fund, name, value, changed", [
    ("lulea", "eligibility.max_grant_per_year_sek", 1200000, {"LUL-2025-014": ("rejected", "approved")}),
    ("model", "economics.min_benefit_cost_ratio", 0.9, {"MOD-2025-009": ("rejected", "approved")}),
    # funds inherit the model's threshold: Gävleborg's draft (BCR 1.02) is caught too, and the
    # Luleå proposal, already rejected, gains a 3.14 finding (a change of findings, not of outcome)
    ("model", "economics.min_benefit_cost_ratio", 1.2, {"MOD-2025-001": ("approved", "rejected"),
                                                         "GAV-2025-011": ("completion_requested", "rejected"),
                                                         "LUL-2025-014": ("rejected", "rejected")}),
])
def test_impact_of_a_threshold_change(gov, tmp_path, fund, name, value, changed):
    edited = Governance.load(ROOT / "rules", _edited(tmp_path, fund, name, value))
    try:
        report = impact(gov.rulebook, edited.rulebook, [EXAMPLES], DECISION_DATE)
    finally:
        edited.close()
    assert report.decided == 5 and report.errors == []
    assert {c.proposal: (c.before.outcome, c.after.outcome) for c in report.changes} == changed


def test_impact_command_json(tmp_path):
    policies = _edited(tmp_path, "lulea", "eligibility.max_grant_per_year_sek", 1200000)
    result = run("impact", "--proposals", EXAMPLES, "--policies", policies, "--format", "json", "--date", "2025-06-01")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["changed"] == 1 and doc["moves"] == {"rejected → approved": 1}
    (change,) = doc["changes"]
    assert change["findings_removed"] == ["3.10 eligibility.grant_per_year (reject)"]
    assert change["before"]["findings"] == ["3.10:reject"] and change["after"]["findings"] == []
    assert {"fund": "lulea", "parameter": "eligibility.max_grant_per_year_sek", "from": "2016-01-01",
            "before": 1000000, "after": 1200000, "reference": "proposed change"} in doc["parameters"]
    # a fund that inherits Luleå's value has the change too; no other parameter changes
    assert {p["parameter"] for p in doc["parameters"]} == {"eligibility.max_grant_per_year_sek"}


def test_impact_at_another_date():
    result = run("impact", "--proposals", EXAMPLES / "gav-utkast.yaml", "--at", "2023-06-01", "--date", "2025-06-01")
    assert result.exit_code == 0
    # no idea decision needed before 2024: G1's finding goes, the outcome stays
    assert "G1 Godkänt idébeslut: komplettering → ingen bedömning" in result.stdout
    assert "Beslut: Komplettering begärs → Komplettering begärs" in result.stdout
    assert ("Varje ansökan har prövats enligt de riktlinjer som gäller den 1 juni 2023 i stället för dem som gällde "
            "när den kom in.") in result.stdout
    assert run("impact", "--proposals", EXAMPLES).exit_code == 2


def test_facts_lists_every_fact_with_its_type_and_label(gov):
    result = run("facts")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Ansökan:"
    assert any(re.fullmatch(r"  decision_date\s+datum\s+beslutsdagen", l) for l in lines), result.stdout
    assert any(re.fullmatch(r"  intervention\.kind\s+ett av: preventive, early, treatment\s+.+", l) for l in lines)
    english = run("facts", "--lang", "en").stdout
    assert any(re.fullmatch(r"  submitted_year\s+year\s+the year the application was submitted", l)
               for l in english.splitlines()), english
    doc = json.loads(run("facts", "--format", "json").stdout)
    assert {f["name"] for f in doc} == set(gov.rulebook.facts)
    assert all(f["label"]["sv"] and f["label"]["en"] for f in doc)  # every fact is labelled in both languages


def test_coverage_and_docs_judge_the_files_they_are_given(tmp_path):
    """No false green: an edited copy is judged by the scenarios, not the project's files."""
    policies = _edited(tmp_path, "lulea", "eligibility.max_fund_share", 0.6)
    coverage = subprocess.run([sys.executable, "-m", "governance.cli", "rules", "coverage", "--policies",
                               str(policies)], cwd=ROOT, capture_output=True, text=True)
    assert coverage.returncode == 1
    assert re.search(r"features/lulea\.feature:\d+: Så ger klausul \"3\.9\" \"ingen\"\n  scenario: .*fonden betalar "
                     r"69 %\n  exempel: features/lulea\.feature:\d+\n  klausul 3\.9 gav inte det scenariot väntar\n"
                     r"  väntat: ingen\n  fick:   avslagsgrund\n", coverage.stderr), coverage.stderr
    docs = subprocess.run([sys.executable, "-m", "governance.cli", "docs", "-o", str(tmp_path / "handbok"),
                           "--policies", str(policies)], cwd=ROOT, capture_output=True, text=True)
    assert docs.returncode == 1
    index = (tmp_path / "handbok" / "index.html").read_text(encoding="utf-8")
    assert "stämde inte med reglerna" in index


def test_check_warns_of_a_rule_that_can_never_fire_and_decides_all_the_same(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copy(FIXTURES / "lint" / "never_fires.yaml", rules / "never_fires.yaml")
    result = run("check", EXAMPLES / "model-familjestod.yaml", "--rules", rules, "--date", "2025-06-01")
    assert result.exit_code == 0
    assert re.search(r"^fundgov: varning: .*never_fires\.yaml:2: rules\.test\.never_fires\.when: regeln "
                     r"'test\.never_fires' kan aldrig ge en bedömning", result.stderr, re.M), result.stderr
    assert "varning" not in run("check", EXAMPLES / "model-familjestod.yaml", "--date", "2025-06-01").stderr
