"""The decision register: migrations, transactions under concurrency and kills, verify, the ledger."""
from __future__ import annotations

import datetime as dt
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from typer.testing import CliRunner

from conftest import DECISION_DATE, EXAMPLES, ROOT
from governance import Governance
from governance.cli.app import app
from governance.board.register import MIGRATIONS, Register, RegisterError, fund_status, verify

runner = CliRunner()


def record_examples(gov, path, folder=EXAMPLES):
    batch = gov.check([folder], DECISION_DATE, jobs=1)
    entries = [(d.file, (ROOT / d.file).read_text(encoding="utf-8"), d) for d in batch.decisions]
    grants = {"examples/nkp-skolnarvaro.yaml": 4_600_000}
    with Register(path) as reg:
        return reg.record_decisions(entries, gov.rulebook.folder, gov.policies.folder, "test",
                                    dt.datetime(2025, 6, 1, 12), {d.file: 4_600_000 if "nkp" in d.file else 5_700_000
                                                                  for d in batch.decisions} | grants)


def test_a_new_register_is_migrated_and_a_newer_one_refused(tmp_path):
    path = tmp_path / "r.sqlite"
    with Register(path) as reg:
        assert reg.version == len(MIGRATIONS)
        assert reg.integrity() == "ok"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.commit()
    db.close()
    with pytest.raises(RegisterError, match="newer than this fundgov knows"):
        Register(path)


def test_record_list_show(gov, tmp_path):
    path = tmp_path / "r.sqlite"
    ids = record_examples(gov, path)
    assert len(ids) == 5
    with Register(path) as reg:
        rows = reg.decisions("model")
        assert [r["proposal"] for r in rows] == ["MOD-2025-009", "MOD-2025-001"]
        record = reg.decision(ids[-1])
        assert record["outcome"] == "approved_with_conditions"
        assert [f["clause"] for f in record["findings"]] == ["4.3", "4.6"]
        assert "format: proposal/1" in record["input"] and len(record["input_sha256"]) == 64
        files = reg.snapshot_files(record["snapshot"])
        assert "rules/eligibility.yaml" in files and "policies/norrkoping/policy.yaml" in files


def test_verify_reproduces_and_catches_a_changed_rule_file(gov, tmp_path):
    path = tmp_path / "r.sqlite"
    record_examples(gov, path)
    with Register(path) as reg:
        checked, differences, changed = verify(reg)
        assert (checked, differences, changed) == (5, [], set())
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    text = (rules / "evaluation.yaml").read_text(encoding="utf-8")
    (rules / "evaluation.yaml").write_text(text.replace(
        'when: evaluation.evaluator.kind == "internal"', 'when: evaluation.evaluator.kind in ["internal", "fou"]'),
        encoding="utf-8")
    edited = Governance.load(rules)
    try:
        with Register(path) as reg:
            checked, differences, changed = verify(reg, edited.rulebook)
    finally:
        edited.close()
    assert [(d.proposal, d.recorded, d.now, d.detail) for d in differences] == [
        ("MOD-2025-001", "approved", "approved_with_conditions", "+4.6:condition")]
    assert len(changed) == 5
    result = runner.invoke(app, ["verify", "--register", str(path), "--current", "--rules", str(rules)])
    assert result.exit_code == 1 and "1 differ" in result.stdout
    assert runner.invoke(app, ["verify", "--register", str(path)]).exit_code == 0


WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from governance import Governance
    from governance.board.register import Register
    gov = Governance.load()
    d = gov.decide_file("examples/model-familjestod.yaml", dt.date(2025, 6, 1))
    text = __import__("pathlib").Path("examples/model-familjestod.yaml").read_text(encoding="utf-8")
    reg = Register(sys.argv[1])
    for i in range(int(sys.argv[2])):
        (rid,) = reg.record_decisions([(d.file, text, d)], gov.rulebook.folder, gov.policies.folder, "w",
                                      dt.datetime(2025, 6, 1), {})
        print(rid, flush=True)
""")


def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "r.sqlite"
    Register(path).db.close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), "40"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outputs]
    ids = sorted(int(x) for out, _ in outputs for x in out.split())
    with Register(path) as reg:
        assert reg.integrity() == "ok"
        assert [r["id"] for r in reg.decisions()] == ids == list(range(1, 81))


def test_a_killed_writer_loses_nothing_already_committed(tmp_path):
    path = tmp_path / "r.sqlite"
    Register(path).db.close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "100000"], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    committed = []
    deadline = time.monotonic() + 60
    while len(committed) < 25 and time.monotonic() < deadline:
        committed.append(int(proc.stdout.readline()))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with Register(path) as reg:
        assert reg.integrity() == "ok"
        ids = {r["id"] for r in reg.decisions()}
    assert len(committed) == 25 and set(committed) <= ids


def test_fund_ledger(gov, tmp_path):
    path = tmp_path / "r.sqlite"
    record_examples(gov, path)
    follow = gov.follow_up(EXAMPLES / "nkp-skolnarvaro.yaml", [], dt.date(2025, 6, 1))
    with Register(path) as reg:
        ledger = fund_status(reg, gov.policies, "norrkoping", dt.date(2025, 6, 1))
        assert ledger == {"fund": "norrkoping", "date": "2025-06-01", "capital_sek": 40_000_000,
                          "granted_sek": 4_600_000, "decisions": 1, "approved": 1, "repayments_due_sek": 0,
                          "repaid_sek": 0, "uncommitted_sek": 35_400_000}
        assert fund_status(reg, gov.policies, "lulea", dt.date(2025, 6, 1))["uncommitted_sek"] is None
        reg.record_followup(EXAMPLES / "nkp-skolnarvaro.yaml", [], follow, dt.datetime(2025, 6, 1))
    result = runner.invoke(app, ["fund", "status", "norrkoping", "--register", str(path), "--date", "2025-06-01"])
    assert result.exit_code == 0 and "35 400 000 kr" in result.stdout.replace("\u00a0", " ")
    assert "(1 av 1 ansökan)" in result.stdout and "disponibelt" in result.stdout
    assert runner.invoke(app, ["register", "show", "99", "--register", str(path)]).exit_code == 2


def test_paying_more_than_is_due_is_refused(gov, tmp_path):
    import json

    path = tmp_path / "r.sqlite"
    e = tmp_path / "e.yaml"
    e.write_text(json.dumps({"format": "follow-up/1", "proposal": "MOD-2025-001", "fund": "model", "kind": "effect",
                             "period": 2029, "submitted": "2029-10-01", "design": "rct",
                             "outcomes": [{"name": "x", "ci_low": -0.2, "ci_high": -0.1}],
                             "verified_savings": [{"committee": "Socialnämnden", "year": 2029, "sek": 1200000}]}),
                 encoding="utf-8")
    result = gov.follow_up(EXAMPLES / "model-familjestod.yaml", [e], dt.date(2029, 12, 1))
    with Register(path) as reg:
        reg.record_followup(EXAMPLES / "model-familjestod.yaml", [e], result, dt.datetime(2029, 12, 1))
        first = reg.repayments("model")[0]
        reg.mark_paid(first["id"], first["amount_sek"])
        with pytest.raises(RegisterError, match="too much"):
            reg.mark_paid(first["id"], 1)
        assert reg.repayments("model")[0]["paid_sek"] == first["amount_sek"]


def test_impact_over_the_register(gov, tmp_path):
    import json

    path = tmp_path / "r.sqlite"
    record_examples(gov, path)
    record_examples(gov, path)  # recorded twice: the latest record of each proposal counts once
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    lulea = policies / "lulea" / "policy.yaml"
    lulea.write_text(lulea.read_text(encoding="utf-8").replace("value: 1000000,", "value: 1200000,"), encoding="utf-8")
    result = runner.invoke(app, ["impact", "--from-register", "--register", str(path), "--policies", str(policies),
                                 "--format", "json", "--date", "2025-06-01"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["decided"] == 5 and doc["moves"] == {"rejected → approved": 1}
    assert doc["changes"][0]["proposal"] == "LUL-2025-014" and doc["changes"][0]["file"].startswith("register#")
    assert runner.invoke(app, ["impact", "--policies", str(policies)]).exit_code == 2
