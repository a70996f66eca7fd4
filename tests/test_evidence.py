"""The evidence base across funds: the meta-analysis against a published worked example,
the declared evidence levels, the forest plot, open-data export, the register and the
fundgov evidence commands, and a fourth fund's 3.8 finding changed by three funds' reports."""
from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from conftest import ROOT, as_yaml, example
from governance import InputError
from governance.board.evidence import (EffectRecord, EvidenceBase, forest_svg, pool, read_records,
                                       records_from_followup, records_from_register)
from governance.board.register import Register, snapshot
from governance.cli.app import app
from governance.formats.loader import load_proposal, load_report

D = dt.date
runner = CliRunner()

#: BCG vaccine trials (Colditz et al. 1994), as metafor's dat.bcg: tpos, tneg, cpos, cneg
BCG = [(4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619), (33, 5036, 47, 5761),
       (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892), (29, 7470, 45, 7232),
       (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338), (27, 16886, 29, 17825)]


def test_dersimonian_laird_matches_metafor_on_the_bcg_trials():
    """metafor: rma(yi, vi, data=escalc(measure="RR", ...dat.bcg), method="DL") gives -0.7141
    [-1.0644, -0.3638], tau² 0.3088, I² 92.1173 %, Q 152.2330 (metafor's test suite,
    test_misc_metan_vs_rma.uni_with_dat.bcg.r, checked against Stata's metan)."""
    log_rr = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in BCG]
    var = [1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for a, b, c, d in BCG]
    p = pool(log_rr, var)
    assert round(p.estimate, 3) == -0.714
    assert (round(p.ci_low, 3), round(p.ci_high, 3)) == (-1.064, -0.364)
    assert round(p.tau2, 3) == 0.309
    assert round(p.i2 * 100, 2) == 92.12
    assert round(p.q, 3) == 152.233 and p.q_df == 12
    assert round(p.estimate / p.se, 2) == -4.00  # z -3.9952


def test_a_negative_moment_estimate_of_tau2_is_zero_and_the_result_the_fixed_one():
    p = pool([-0.05, -0.03, -0.06], [0.0004, 0.0004, 0.0004])
    assert p.tau2 == 0.0 and p.i2 == 0.0
    assert p.estimate == pytest.approx(-0.046667, abs=1e-6)
    assert p.se == pytest.approx(math.sqrt(0.0004 / 3))


def test_one_study_is_its_own_pooled_estimate():
    p = pool([0.3], [0.01])
    assert (p.k, p.estimate, p.tau2, p.i2) == (1, 0.3, 0.0, None)
    assert p.ci_low == pytest.approx(0.3 - 1.959964 * 0.1, abs=1e-6)


def record(fund, estimate, low, high, design="rct", months=12, submitted=D(2024, 3, 1), method="komet",
           measure="smd", proposal=None, period=2023):
    return EffectRecord(method, fund, proposal or f"{fund.upper()}-1", period, submitted, design, "Utagerande beteende",
                        measure, estimate, low, high, months, "test")


@pytest.fixture(scope="module")
def methods(gov):
    return gov.policies.methods


LEVEL_CASES = [
    ("no evaluations", [], 0),
    ("a pre-post study pointing the right way", [record("model", -0.2, -0.5, 0.1, "pre_post")], 1),
    ("a comparison group pointing the right way", [record("model", -0.2, -0.5, 0.1, "comparison_group")], 2),
    ("one RCT whose interval excludes zero", [record("model", -0.3, -0.5, -0.1)], 3),
    ("an effect in the wrong direction is no evidence", [record("model", 0.3, 0.1, 0.5)], 0),
    ("two RCTs, one lasting a year, pooled interval excludes zero",
     [record("model", -0.3, -0.5, -0.1, months=6), record("orebro", -0.25, -0.45, -0.05, months=12)], 4),
    ("two RCTs, none lasting a year", [record("model", -0.3, -0.5, -0.1, months=6),
                                       record("orebro", -0.25, -0.45, -0.05, months=6)], 3),
    ("a design below level 3 is not counted for level 3", [record("model", -0.3, -0.5, -0.1, "comparison_group")], 2),
    ("another measure is filed but not counted", [record("model", -0.3, -0.5, -0.1, measure="log_rr")], 0),
]


@pytest.mark.parametrize("name, records, level", LEVEL_CASES, ids=[c[0] for c in LEVEL_CASES])
def test_the_declared_rules_give_the_level(methods, name, records, level):
    assert EvidenceBase(records, methods, D(2025, 1, 1)).method("komet").level == level


def test_the_level_is_as_of_the_day_passed_in(methods):
    records = [record("model", -0.3, -0.5, -0.1, months=6, submitted=D(2023, 5, 1)),
               record("orebro", -0.25, -0.45, -0.05, months=12, submitted=D(2024, 9, 1))]
    assert EvidenceBase(records, methods, D(2023, 4, 30)).levels()["komet"]["level"] == 0
    assert EvidenceBase(records, methods, D(2024, 8, 31)).levels()["komet"]["level"] == 3
    assert EvidenceBase(records, methods, D(2024, 9, 1)).levels()["komet"] == {
        "level": 4, "evaluations": 2, "funds": ["model", "orebro"], "as_of": "2024-09-01"}


def test_the_forest_plot_is_plain_svg_with_every_report_and_the_pooled_diamond(methods):
    records = [record("model", -0.3, -0.5, -0.1), record("<orebro>", -0.25, -0.45, -0.05),
               record("lulea", -0.1, -0.3, 0.1)]
    svg = forest_svg(EvidenceBase(records, methods).method("komet"), "en")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}rect")) == 3 and len(root.findall(f"{ns}polygon")) == 1
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "<orebro> <OREBRO>-1 (2023)" in texts  # escaped in the file, text again when read
    assert "&lt;orebro&gt;" in svg and "<script" not in svg
    assert any(t.startswith("τ² = ") and "I² = " in t for t in texts)


def test_export_is_open_data_that_reads_back(methods, tmp_path):
    records = [record("model", -0.3, -0.5, -0.1), record("orebro", -0.25, -0.45, -0.05, months=None)]
    base = EvidenceBase(records, methods, D(2025, 1, 1))
    (tmp_path / "e.json").write_text(base.export_json(), encoding="utf-8")
    (tmp_path / "e.csv").write_text(base.export_csv(), encoding="utf-8")
    doc = json.loads(base.export_json())
    assert doc["format"] == "evidence/1" and doc["as_of"] == "2025-01-01"
    komet = next(m for m in doc["methods"] if m["method"] == "komet")
    assert komet["name"]["sv"].startswith("Komet") and komet["pooled"]["k"] == 2
    for name in ("e.json", "e.csv"):
        again = read_records(tmp_path / name)
        assert [(r.fund, r.estimate, r.follow_up_months, r.submitted) for r in again] == \
            [(r.fund, r.estimate, r.follow_up_months, r.submitted) for r in base.records]


def test_a_broken_export_is_a_placed_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "evidence/1", "records": [\n {"method": "komet", "fund": "model", "proposal": "P",\n'
                    '  "period": 2023, "submitted": "2024-03-01", "design": "rtc", "outcome": "O",\n'
                    '  "estimate": -0.3, "ci_low": -0.5, "ci_high": -0.1}]}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records(path)
    problem = caught.value.problems[0]
    assert problem.field == "records.0.design" and problem.line == 3 and "'rtc' is not allowed" in problem.message


def write_report(tmp_path, name, proposal, fund, estimate, low, high, design="quasi_random", months=12,
                 submitted="2029-10-01"):
    data = {"format": "follow-up/1", "proposal": proposal, "fund": fund, "kind": "effect", "period": 2029,
            "submitted": submitted, "design": design,
            "outcomes": [{"name": "Andel barn med orosanmälan inom 24 månader", "estimate": estimate,
                          "ci_low": low, "ci_high": high, "measure": "risk_difference", "follow_up_months": months}]}
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_proposal(tmp_path, fund, proposal_id, method="hembesok_foraldrastod", evidence_level=3):
    data = example("model-familjestod")
    data.update(fund=fund, id=proposal_id)
    data["intervention"].update(method=method, evidence_level=evidence_level) if method else None
    if fund == "gavleborg":
        data["idea_decision"] = "RS 2024/117"
        data["implementation"]["signed_by_all_applicants"] = True
        for row in data["budget"]:
            row["fund_sek"], row["own_sek"] = 400_000, 400_000
    path = tmp_path / f"{fund}-{proposal_id}.yaml"
    path.write_text(as_yaml(data), encoding="utf-8")
    return path


def test_a_proposal_without_a_method_files_nothing(tmp_path):
    proposal = load_proposal(write_proposal(tmp_path, "model", "MOD-1", method=None))
    report = load_report(write_report(tmp_path, "r", "MOD-1", "model", -0.05, -0.09, -0.01))
    records, skipped = records_from_followup(proposal, [report])
    assert records == [] and "names no method" in skipped[0].message


def run(*args):
    return runner.invoke(app, list(map(str, args)))


@pytest.fixture()
def register_with_three_funds(gov, tmp_path):
    """Three funds' effect reports on one method, recorded with their follow-ups in one register."""
    path = tmp_path / "register.sqlite"
    reports = [("model", "MOD-2025-001", -0.05, -0.09, -0.01, 24), ("norrkoping", "NKP-2025-002", -0.03, -0.07, 0.01, 12),
               ("orebro", "ORE-2020-003", -0.06, -0.10, -0.02, 6)]
    from governance.board.tracking import follow_up, read_proposal, read_report

    def record(proposal, report, at):
        loaded, text = read_proposal(proposal)
        follow_up(gov.followup_rules(), loaded, text, [read_report(report)], D(2029, 12, 1), "sv", reg, record=True,
                  recorded_at=at)

    with Register(path) as reg:
        for fund, pid, est, low, high, months in reports:
            proposal = write_proposal(tmp_path, fund, pid)
            report = write_report(tmp_path, f"{fund}-effect", pid, fund, est, low, high, months=months)
            record(proposal, report, dt.datetime(2029, 12, 1))
        # the same report recorded again counts once
        record(proposal, report, dt.datetime(2029, 12, 2))
    return path


def test_the_register_files_every_funds_effect_reports_once(gov, register_with_three_funds):
    with Register(register_with_three_funds) as reg:
        records, skipped = records_from_register(reg)
    assert skipped == []
    assert sorted(r.fund for r in records) == ["model", "norrkoping", "orebro"]
    base = EvidenceBase(records, gov.policies.methods, D(2030, 1, 1))
    assert base.method("hembesok_foraldrastod").level == 4


def test_three_funds_reports_change_the_38_finding_of_a_fourth_fund(gov, register_with_three_funds, tmp_path):
    fourth = write_proposal(tmp_path, "gavleborg", "GAV-2030-001", evidence_level=1)
    without = run("check", fourth, "--date", "2030-02-01", "--format", "json")
    with_base = run("check", fourth, "--date", "2030-02-01", "--format", "json", "--evidence", register_with_three_funds)
    before, after = (json.loads(r.stdout)["decisions"][0] for r in (without, with_base))
    assert [(f["clause"], f["severity"]) for f in before["findings"] if f["clause"] == "3.8"] == [("3.8", "complete")]
    assert [(f["clause"], f["severity"]) for f in after["findings"] if f["clause"] == "3.8"] == [("3.8", "note")]
    assert after["evidence"] == {"method": "hembesok_foraldrastod", "level": 4, "evaluations": 3,
                                 "funds": ["model", "norrkoping", "orebro"], "as_of": "2030-02-01"}
    assert before["evidence"] is None and after["outcome"] != before["outcome"]
    early = json.loads(run("check", fourth, "--date", "2029-09-30", "--format", "json", "--evidence",
                           register_with_three_funds).stdout)["decisions"][0]
    assert early["evidence"]["level"] == 0  # the reports came in after that day


def test_evidence_commands(register_with_three_funds, tmp_path):
    reg = register_with_three_funds
    listed = run("--lang", "en", "evidence", "list", "--register", reg, "--as-of", "2030-01-01")
    assert listed.exit_code == 0, listed.output
    line = next(l for l in listed.stdout.splitlines() if l.startswith("hembesok_foraldrastod"))
    assert line.split()[1:4] == ["4", "3", "3"]
    shown = run("--lang", "en", "evidence", "show", "hembesok_foraldrastod", "--register", reg, "--as-of", "2030-01-01",
                "--forest", tmp_path / "forest.svg")
    assert shown.exit_code == 0, shown.output
    assert "evidence level: 4" in shown.stdout and "heterogeneity: tau²" in shown.stdout
    ET.parse(tmp_path / "forest.svg")
    exported = run("evidence", "export", "--register", reg, "--as-of", "2030-01-01", "-o", tmp_path / "open.json")
    assert exported.exit_code == 0
    again = run("--lang", "en", "evidence", "list", "--records", tmp_path / "open.json", "--register", reg,
                "--as-of", "2030-01-01", "--format", "json")
    doc = json.loads(again.stdout)
    method = next(m for m in doc["methods"] if m["method"] == "hembesok_foraldrastod")
    assert method["evaluations"] == 6  # another register's export adds its records (here: the same ones again)
    csv_out = run("evidence", "export", "--register", reg, "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("method,fund,proposal,period")


def test_evidence_commands_usage_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("evidence", "list").exit_code == 2  # no register here and no --records
    assert run("evidence", "list", "--register", tmp_path / "none.sqlite").exit_code == 2
    shutil.copy(ROOT / "policies" / "methods.yaml", tmp_path / "x.json")  # not an export
    assert run("evidence", "list", "--records", tmp_path / "x.json").exit_code == 1


def test_verify_remakes_a_decision_with_the_evidence_level_it_was_given(gov, tmp_path):
    from governance.board.verify import verify

    path = write_proposal(tmp_path, "gavleborg", "GAV-2030-002", evidence_level=1)
    text = path.read_text(encoding="utf-8")
    decision = gov.decide_file(path, D(2030, 2, 1), evidence={"hembesok_foraldrastod": {"level": 4}})
    assert [(f.clause, f.severity) for f in decision.findings if f.clause == "3.8"] == [("3.8", "note")]
    with Register(tmp_path / "r.sqlite") as reg:
        reg.record_decisions([(str(path), text, decision)], snapshot(gov.rulebook.folder, gov.policies.folder), "t",
                             dt.datetime(2030, 2, 1), {})
        checked, differences, _changed = verify(reg, gov.rulebook)
    assert (checked, differences) == (1, [])


def test_the_schemas_of_the_new_files_and_fields(gov):
    from governance.authoring.schemas import json_schema

    proposal = json_schema("proposal")
    assert "expected_effects" in proposal["properties"] and "method" in proposal["$defs"]["Intervention"]["properties"]
    assert "measured_effects" in json_schema("report")["properties"]
    assert set(json_schema("unit-costs")["properties"]) == {"description", "price_index", "cost_items"}
    assert "evidence_levels" in json_schema("methods")["properties"]
