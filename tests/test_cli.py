"""The fundgov command: output formats and exit codes."""
from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from conftest import EXAMPLES, FIXTURES
from golden_files import check_golden
from governance.cli.app import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def test_check_examples_text_golden():
    result = run("check", EXAMPLES, "--date", "2025-06-01")
    assert result.exit_code == 0, result.output
    check_golden("check-examples.sv.txt", result.stdout)


def test_check_json_document():
    result = run("check", EXAMPLES, "--date", "2025-06-01", "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"decisions", "errors"} and doc["errors"] == []
    first = doc["decisions"][0]
    assert list(first) == ["file", "proposal", "fund", "policy_version", "decision_date", "outcome",
                           "completion_deadline", "fund_grant", "fund_grant_per_year", "findings", "savings",
                           "sensitivity", "evidence"]
    assert {d["proposal"]: d["outcome"] for d in doc["decisions"]} == {
        "GAV-2025-011": "completion_requested", "MOD-2025-001": "approved", "NKP-2021-003": "approved_with_conditions",
        "LUL-2025-014": "rejected", "MOD-2025-009": "rejected"}
    finding = doc["decisions"][0]["findings"][0]
    assert set(finding) == {"rule", "clause", "severity", "title", "message", "action", "due", "missing", "values"}
    model = next(d for d in doc["decisions"] if d["proposal"] == "MOD-2025-001")
    assert model["fund_grant"] == 5_700_000 and model["fund_grant_per_year"]["2026"] == 1_800_000
    check_golden("check-examples.en.json", result.stdout)


def test_bad_input_exit_1_and_the_others_still_decided(tmp_path):
    shutil.copy(EXAMPLES / "model-familjestod.yaml", tmp_path)
    shutil.copy(FIXTURES / "bad" / "wrong-enum.yaml", tmp_path)
    result = run("check", tmp_path, "--date", "2025-06-01", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [d["proposal"] for d in doc["decisions"]] == ["MOD-2025-001"]
    assert doc["errors"] == [{"file": doc["errors"][0]["file"], "line": 14, "column": 13,
                              "field": "applicant.partners.0.kind",
                              "message": "'compnay' is not allowed; allowed: municipal, region, civil_society, company, "
                                         "state (did you mean 'company'?)"}]


def test_text_errors_go_to_stderr(tmp_path):
    shutil.copy(FIXTURES / "bad" / "impossible-date.yaml", tmp_path)
    result = run("check", tmp_path / "impossible-date.yaml", "--date", "2025-06-01")
    assert result.exit_code == 1
    assert result.stdout == "0 beslut; 1 fil med fel\n"
    assert "impossible-date.yaml:5:12: submitted: '2025-02-30' är inte ett verkligt datum" in result.stderr


def test_usage_errors_exit_2():
    assert run("check", EXAMPLES, "--date", "2025-13-01").exit_code == 2
    assert run("check", EXAMPLES, "--format", "xml").exit_code == 2
    assert run("check").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_broken_rules_exit_1(tmp_path):
    shutil.copy(FIXTURES / "rules_bad" / "unknown_fact.yaml", tmp_path)
    shutil.copy(FIXTURES.parent.parent / "rules" / "labels.yaml", tmp_path)
    result = run("check", EXAMPLES, "--rules", tmp_path, "--date", "2025-06-01")
    assert result.exit_code == 1
    assert "okänd uppgift 'fund_shar'" in result.stderr


def test_parallel_and_serial_agree(tmp_path):
    for i in range(30):
        text = (EXAMPLES / "nkp-skolnarvaro.yaml").read_text(encoding="utf-8").replace("NKP-2021-003", f"NKP-{i}")
        (tmp_path / f"p{i:02}.yaml").write_text(text, encoding="utf-8")
    from governance import Governance
    import datetime as dt
    import governance.engine.batch as batch

    gov = Governance.load()
    old = batch.PARALLEL_FROM
    batch.PARALLEL_FROM = 10
    try:
        parallel = gov.check([tmp_path], dt.date(2025, 6, 1), jobs=2)
        serial = gov.check([tmp_path], dt.date(2025, 6, 1), jobs=1)
    finally:
        batch.PARALLEL_FROM = old
        gov.close()
    assert parallel.decisions == serial.decisions and len(serial.decisions) == 30


def test_broken_rules_in_json_mode_still_give_one_document(tmp_path):
    shutil.copy(FIXTURES / "rules_bad" / "unknown_fact.yaml", tmp_path)
    shutil.copy(FIXTURES.parent.parent / "rules" / "labels.yaml", tmp_path)
    result = run("check", EXAMPLES, "--rules", tmp_path, "--date", "2025-06-01", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["decisions"] == [] and doc["errors"][0]["field"] == "rules.0.when"
    assert doc["errors"][0]["line"] == 6 and "okänd uppgift 'fund_shar'" in doc["errors"][0]["message"]


def test_recorded_ids_are_said_as_runs():
    """Another writer's decisions may fall between a run's: its ids are said as runs, not as
    a first–last that would claim the others'."""
    from governance.cli.decide import id_ranges

    assert id_ranges([3, 1, 2, 7, 9, 10, 10]) == "1–3, 7, 9–10"
    assert id_ranges([5]) == "5" and id_ranges([]) == ""
