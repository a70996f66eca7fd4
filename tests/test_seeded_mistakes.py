"""Mistakes a policy author makes, one bad file each, all caught with their place and a plain fix.

tests/fixtures/seeded/<mistake>/ holds the bad rule or policy file (at its path in a copy
of the project's rules/ and policies/); `fundgov rules lint` must name the file and line and
say what to write instead. tests/fixtures/seeded_scenarios/ holds bad scenarios; the
scenario run must say, in Swedish, at the feature file and line, what is wrong and what was
meant."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from governance.authoring.coverage import ScenarioRunError, render_failure, run_scenarios
from governance.authoring.lint import lint
from governance.cli.app import app

SEEDED = FIXTURES / "seeded"

# mistake -> (file, line, what is wrong, the fix), in English (the messages' ids)
LINT = {
    "clause_without_rule": ("policies/lulea/policy.yaml", 13, "clause L9 has no rule",
                            'write a rule with clause: "L9" in the rules folder'),
    "no_letter": ("policies/pitea-folkhalsa/policy.yaml", 2, "but the fund 'pitea-folkhalsa' has no letter.yaml",
                  "write its letter data beside its policy.yaml"),
    "share_as_whole_number": ("policies/lulea/policy.yaml", 35, "30 looks like a per cent",
                              "write 0.3 for 30 %, or declare the parameter with type: share"),
    "when_true": ("rules/when_true.yaml", 6, "the condition is always true",
                  "write a test of the application's values"),
    "contradiction": ("rules/contradiction.yaml", 2, "the test policy.eligibility.max_fund_share < 0 never holds: "
                      "policy.eligibility.max_fund_share lies in (0, 1]", "compare a value of the application with "
                      "the parameter"),
    "tab_character": ("rules/tab_character.yaml", 4, "tab character", "indent with spaces"),
    "single_equals": ("rules/single_equals.yaml", 6, "'=' is not a comparison", "use `==` to compare"),
    "none_for_null": ("policies/lulea/policy.yaml", 20, "got 'none'", "write null for no limit"),
    "spaced_number": ("policies/lulea/policy.yaml", 24, "got '1 000 000'", "write 1000000"),
    "kinds_not_list": ("policies/lulea/policy.yaml", 14, "got 'municipal'", "write a list: [municipal]"),
    "fund_id_not_folder": ("policies/pitea-folkhalsa/policy.yaml", 2, "the fund id 'pitea_folkhalsa' must match its "
                           "folder 'pitea-folkhalsa'", "write fund: pitea-folkhalsa"),
    "parameter_without_type": ("policies/lulea/policy.yaml", 31, "unknown parameter 'lulea.max_mentors'",
                               "a new parameter needs a type: add type: integer"),
    "parameter_without_label": ("rules/lulea.yaml", 2, "the parameter 'lulea.max_mentors' has no label",
                                "add label: {sv: …, en: …} where the parameter is declared in its policy.yaml"),
    "unknown_fact": ("rules/unknown_fact.yaml", 6, "unknown fact 'decision_dat'", "did you mean 'decision_date'?"),
    "date_moved_by_a_share": ("rules/date_moved_by_a_share.yaml", 6, "a date moves by a parameter that counts "
                              "months or years", "write a date of the application plus or minus a parameter"),
}


def test_every_seeded_mistake_has_a_case():
    assert sorted(p.name for p in SEEDED.iterdir()) == sorted(LINT)


@pytest.fixture
def copied(tmp_path):
    def with_mistake(name):
        for part in ("rules", "policies"):
            shutil.copytree(ROOT / part, tmp_path / part)
        shutil.copytree(SEEDED / name, tmp_path, dirs_exist_ok=True)
        return tmp_path
    return with_mistake


@pytest.mark.parametrize("name", sorted(LINT))
def test_lint_places_the_mistake_and_says_how_to_fix_it(copied, name):
    folder = copied(name)
    file, line, wrong, fix = LINT[name]
    problems = lint(folder / "rules", folder / "policies")
    assert len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert problem.file.endswith(file) and problem.line == line, str(problem)
    assert wrong in str(problem) and fix in str(problem), str(problem)


def test_the_command_says_it_in_swedish(copied):
    folder = copied("spaced_number")
    result = CliRunner().invoke(app, ["rules", "lint", "--rules", str(folder / "rules"),
                                      "--policies", str(folder / "policies")])
    assert result.exit_code == 1
    assert "policies/lulea/policy.yaml:24:42: parameters.eligibility.max_grant_per_year_sek.values.0.value: " \
        in result.stdout and result.stdout.rstrip().endswith("(skriv 1000000)"), result.stdout


# scenario -> what the run says of it (Swedish, as the scenarios are)
SCENARIOS = {
    "misspelled_application": ("misspelled_application.feature:4: Givet ansökan \"luela\"",
                               "det finns ingen ansökan 'luela' i", "(menade du 'lulea'?)"),
    "finding_word": ("finding_word.feature:6: Så ger klausul \"3.9\" \"anmarkning\"",
                     "okänd bedömning 'anmarkning'", "(menade du 'anmärkning'?)"),
    "clause_id": ("clause_id.feature:6: Så ger klausul \"3.99\" \"ingen\"",
                  "klausul '3.99': fonden model har ingen sådan klausul", "(menade du '3.9'?)"),
    "field_name": ("field_name.feature:5: Och ansökan ändras så att:",
                   "ansökan med ändringarna i tabellen är ingen giltig ansökan: budget.0.fund_sk: okänd nyckel 'fund_sk'",
                   "(menade du 'fund_sek'?)"),
    "wrong_expectation": ("wrong_expectation.feature:9: Så ger klausul \"3.6\" \"komplettering\"",
                          "exempel: ", "väntat: komplettering\n  fick:   avslagsgrund"),
}


def test_every_seeded_scenario_has_a_case():
    assert sorted(p.stem for p in (FIXTURES / "seeded_scenarios").glob("*.feature")) == sorted(SCENARIOS)


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("features")
    shutil.copytree(ROOT / "features" / "underlag", folder / "underlag")
    for path in (FIXTURES / "seeded_scenarios").glob("*.feature"):
        shutil.copy(path, folder)
    with pytest.raises(ScenarioRunError) as info:
        run_scenarios(folder)
    return [render_failure(f) for f in info.value.coverage.failures()]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_bad_scenario_is_reported_at_its_line_with_what_was_meant(failures, name):
    where, wrong, meant = SCENARIOS[name]
    found = [f for f in failures if where in f]
    assert found, "\n\n".join(failures)
    assert wrong in found[0] and meant in found[0], found[0]
