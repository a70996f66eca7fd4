"""The decision register on SQLite and PostgreSQL: migrations, transactions under concurrency
and kills, verify, and what it records."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from conftest import DECISION_DATE, EXAMPLES, ROOT
from governance import Governance
from governance.board import schema
from governance.board.database import HEAD, RegisterError
from governance.board.register import Register, snapshot
from governance.board.verify import verify
from governance.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def swedish(monkeypatch):
    """Messages in Swedish, the default, whatever the developer's locale."""
    from governance.i18n import use_language

    monkeypatch.setenv("FUNDGOV_LANG", "sv")
    with use_language("sv"):
        yield


def record_examples(gov, target, folder=EXAMPLES):
    from governance.board.register import read_input
    from governance.engine.figures import yearly_grants
    from governance.formats.loader import load_proposal

    batch = gov.check([folder], DECISION_DATE, jobs=1)
    entries = [(d.file, read_input(ROOT / d.file)[0], d) for d in batch.decisions]
    grants = {d.file: yearly_grants(load_proposal(ROOT / d.file).model.budget or []) for d in batch.decisions}
    with Register(target) as reg:
        return reg.record_decisions(entries, snapshot(gov.rulebook.folder, gov.policies.folder), "test",
                                    dt.datetime(2025, 6, 1, 12), grants)


def engine_of(target: str):
    return create_engine(target if "://" in target else f"sqlite:///{target}")


def test_a_new_register_has_every_table_of_the_schema(register_target):
    with Register(register_target) as reg:
        assert reg.version == HEAD
        assert reg.integrity() == "ok"
    engine = engine_of(register_target)
    try:
        found = inspect(engine)
        for table in schema.metadata.sorted_tables:
            assert {c["name"] for c in found.get_columns(table.name)} == {c.name for c in table.columns}, table.name
    finally:
        engine.dispose()


def schema_of(target: str) -> dict:
    """Everything the database says of its tables: columns in order (name, type, null,
    default), keys, indexes, unique and check constraints with their names, every row, and the
    revision it is stamped at."""
    engine = engine_of(target)
    try:
        found = inspect(engine)
        tables = {}
        for name in sorted(found.get_table_names()):
            tables[name] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"], c["default"])
                            for c in found.get_columns(name)],
                "primary key": found.get_pk_constraint(name),
                "foreign keys": sorted(repr(sorted(k.items())) for k in found.get_foreign_keys(name)),
                "indexes": sorted(repr(sorted(i.items())) for i in found.get_indexes(name)),
                "unique": sorted(repr(sorted(u.items())) for u in found.get_unique_constraints(name)),
                "checks": sorted(repr(sorted(c.items())) for c in found.get_check_constraints(name)),
            }
        with engine.connect() as conn:
            for name in tables:
                tables[name]["rows"] = sorted(map(repr, conn.execute(text(f'SELECT * FROM "{name}"')).all()))
            stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            user_version = (conn.execute(text("PRAGMA user_version")).scalar() if engine.dialect.name == "sqlite"
                            else None)
        return {"tables": tables, "stamped": stamped, "user_version": user_version,
                "sequences": sorted(found.get_sequence_names()) if engine.dialect.name == "postgresql" else []}
    finally:
        engine.dispose()


def test_a_new_register_is_what_the_migrations_make(register_target, request, tmp_path):
    """A new register is made from schema.py at once and stamped at the newest revision;
    it must be exactly the register the migrations make one by one (tables, columns in order,
    types, defaults, keys, indexes, constraints and their names, rows, sequences and stamp),
    on both engines."""
    from governance.board.database import ALEMBIC_USER_VERSION, Database, _sqlite_engine, known_revisions

    if "://" in register_target:
        server = request.getfixturevalue("postgres_server")
        migrated = server.new_database()
        request.addfinalizer(lambda: server.drop_database(migrated))
    else:
        migrated = str(tmp_path / "migrated.sqlite")
    Register(register_target).close()
    db = Database(engine_of(migrated) if "://" in migrated else _sqlite_engine(tmp_path / "migrated.sqlite"),
                  migrated, None)
    try:
        with db.writing() as conn:
            db._migrate(conn, None)
            if db.dialect == "sqlite":
                conn.exec_driver_sql(f"PRAGMA user_version = {ALEMBIC_USER_VERSION}")
    finally:
        db.close()
    new, made = schema_of(register_target), schema_of(migrated)
    differences = [(table, part, (new["tables"].get(table) or {}).get(part), (made["tables"].get(table) or {}).get(part))
                   for table in sorted(set(new["tables"]) | set(made["tables"]))
                   for part in ("columns", "primary key", "foreign keys", "indexes", "unique", "checks", "rows")
                   if (new["tables"].get(table) or {}).get(part) != (made["tables"].get(table) or {}).get(part)]
    assert differences == []
    assert new == made
    assert new["stamped"] == [HEAD] and HEAD == max(known_revisions())


def test_a_newer_register_is_refused(register_target):
    Register(register_target).close()
    engine = engine_of(register_target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(RegisterError, match="nyare än den här versionen av fundgov"):
        Register(register_target)


def test_record_list_show(gov, register_target):
    ids = record_examples(gov, register_target)
    assert len(ids) == 5
    with Register(register_target) as reg:
        rows = reg.decisions("model")
        assert [r["proposal"] for r in rows] == ["MOD-2025-009", "MOD-2025-001"]
        record = reg.decision(ids[-1])
        assert record["outcome"] == "approved_with_conditions"
        assert [f["clause"] for f in record["findings"]] == ["4.3", "4.6"]
        assert "format: proposal/1" in record["input"] and len(record["input_sha256"]) == 64
        assert record["grants"] == {2021: 700_000, 2022: 1_600_000, 2023: 1_600_000, 2024: 700_000}
        files = reg.snapshot_files(record["snapshot"])
        assert "rules/eligibility.yaml" in files and "policies/norrkoping/policy.yaml" in files
        assert {p["proposal"] for p in reg.projects()} == {r["proposal"] for r in reg.decisions()}
    if "://" not in register_target:  # the command line, by the record's id or by the application's
        by_id = runner.invoke(app, ["register", "show", str(ids[-1]), "--register", register_target])
        by_proposal = runner.invoke(app, ["register", "show", "NKP-2021-003", "--register", register_target])
        assert by_id.exit_code == by_proposal.exit_code == 0 and by_id.stdout == by_proposal.stdout
        unknown = runner.invoke(app, ["register", "show", "NKP-2099-001", "--register", register_target])
        assert unknown.exit_code == 2 and "inget beslut om ”NKP-2099-001” i registret" in unknown.stderr


def test_verify_reproduces_and_catches_a_changed_rule_file(gov, register_target, tmp_path):
    record_examples(gov, register_target)
    with Register(register_target) as reg:
        checked, differences, changed = verify(reg)
        assert (checked, differences, changed) == (5, [], set())
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    body = (rules / "evaluation.yaml").read_text(encoding="utf-8")
    (rules / "evaluation.yaml").write_text(body.replace(
        'when: evaluation.evaluator.kind == "internal"', 'when: evaluation.evaluator.kind in ["internal", "fou"]'),
        encoding="utf-8")
    edited = Governance.load(rules)
    try:
        with Register(register_target) as reg:
            checked, differences, changed = verify(reg, edited.rulebook)
    finally:
        edited.close()
    assert [(d.proposal, d.recorded, d.now, d.detail) for d in differences] == [
        ("MOD-2025-001", "approved", "approved_with_conditions", "+4.6:condition")]
    assert len(changed) == 5
    option = ["--database", register_target] if "://" in register_target else ["--register", register_target]
    result = runner.invoke(app, ["verify", *option, "--current", "--rules", str(rules)])
    assert result.exit_code == 1 and "1 skiljer sig" in result.stdout
    assert "Beviljas → Beviljas med villkor" in result.stdout  # outcome words, never codes
    assert runner.invoke(app, ["verify", *option]).exit_code == 0


WRITER = textwrap.dedent("""
    import dataclasses, datetime as dt, sys
    from governance import Governance
    from governance.board.register import Register, read_input, snapshot
    gov = Governance.load()
    d = gov.decide_file("examples/model-familjestod.yaml", dt.date(2025, 6, 1))
    text = read_input("examples/model-familjestod.yaml")[0]
    reg = Register(sys.argv[1])
    # each writer its own decision days; "same": one decision, again and again
    first = sys.argv[3] if len(sys.argv) > 3 else "0"
    for i in range(int(sys.argv[2])):
        day = (dt.date(2025, 6, 1) + dt.timedelta(days=0 if first == "same" else int(first) + i)).isoformat()
        (rid,) = reg.record_decisions([(d.file, text, dataclasses.replace(d, decision_date=day))],
                                      snapshot(gov.rulebook.folder, gov.policies.folder), "w", dt.datetime(2025, 6, 1), {})
        print(rid, flush=True)
""")


def test_two_processes_writing_at_once(register_target):
    Register(register_target).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, register_target, "15", str(k * 100)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outputs]
    ids = sorted(int(x) for out, _ in outputs for x in out.split())
    with Register(register_target) as reg:
        assert reg.integrity() == "ok"
        assert [r["id"] for r in reg.decisions()] == ids == list(range(1, 31))


def test_recording_the_same_decisions_again_records_nothing_and_says_so(tmp_path):
    """check --record run twice on the same files holds each decision once; a new decision of
    an application already decided is recorded and named as the one that now counts."""
    target = str(tmp_path / "r.sqlite")
    first = runner.invoke(app, ["check", str(EXAMPLES), "--date", "2025-06-01", "--record", "--register", target])
    assert first.exit_code == 0 and "registrerade 5 beslut" in first.stderr
    again = runner.invoke(app, ["check", str(EXAMPLES), "--date", "2025-06-01", "--record", "--register", target])
    assert again.exit_code == 0
    assert "5 beslut fanns redan i" in again.stderr and "inte registrerade igen" in again.stderr
    assert "registrerade" not in again.stderr.replace("inte registrerade igen", "")
    later = runner.invoke(app, ["check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-07-01", "--record",
                                "--register", target])
    assert later.exit_code == 0
    assert "registret hade ett annat beslut om ansökan (id " in later.stderr and "är nu fondens beslut" in later.stderr
    with Register(target) as reg:
        assert len(reg.decisions()) == 6
    listed = runner.invoke(app, ["register", "list", "--register", target]).stdout.splitlines()
    assert listed[0].split() == ["id", "registrerat", "fond", "ansökan", "policyversion", "beslutsdatum", "beslut"]
    assert len(listed) == 7 and "T" not in listed[1].split()[1]  # a heading row, then each record


def test_the_rules_recorded_are_those_read_when_recording_began(gov, tmp_path):
    """A rule or policy file saved while a long run records is not recorded as the rules of
    decisions it did not make: the files are read once, as the recording starts."""
    from governance.board.recording import DecisionRecorder

    rules, policies = tmp_path / "rules", tmp_path / "policies"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "policies", policies)
    target = str(tmp_path / "r.sqlite")
    recorder = DecisionRecorder(target, rules, policies, "t", dt.datetime(2025, 6, 1))
    before = snapshot(rules, policies)
    policy = policies / "model" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# saved during the run\n", encoding="utf-8")
    assert snapshot(rules, policies)[0] != before[0]
    path = EXAMPLES / "model-familjestod.yaml"
    recorder.add(str(path), path.read_text(encoding="utf-8"), gov.decide_file(path, DECISION_DATE))
    assert recorder.close() == []
    with Register(target) as reg:
        (row,) = reg.decisions()
        assert reg.decision(row["id"])["snapshot"] == before[0]


def test_rules_that_cannot_be_read_stop_the_recording_not_the_deciding(gov, tmp_path):
    from governance.board.recording import DecisionRecorder

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "latin1.yaml").write_bytes("id: å\n".encode("latin-1"))  # not UTF-8: cannot be kept as text
    recorder = DecisionRecorder(str(tmp_path / "r.sqlite"), rules, ROOT / "policies", "t", dt.datetime(2025, 6, 1))
    path = EXAMPLES / "model-familjestod.yaml"
    recorder.add(str(path), path.read_text(encoding="utf-8"), gov.decide_file(path, DECISION_DATE))
    problems = recorder.close()
    assert problems and "1 beslut registrerades inte" in str(problems[-1].message)
    assert not (tmp_path / "r.sqlite").exists()


def _record(reg, gov, entries, notes):
    return reg.record_decisions(entries, snapshot(gov.rulebook.folder, gov.policies.folder), "t", dt.datetime(2025, 6, 1),
                                {}, notes)


def test_a_decision_is_the_same_only_as_the_latest_one(gov, register_target):
    """Going back to an earlier decision is a new decision (the latest counts); a decision given
    twice in one batch is recorded once; findings changed by evidence make another decision."""
    from governance.board.register import read_input

    path = "examples/model-familjestod.yaml"
    text = read_input(ROOT / path)[0]
    a = gov.decide_file(ROOT / path, DECISION_DATE)
    b = gov.decide_file(ROOT / path, DECISION_DATE + dt.timedelta(days=1))
    with Register(register_target) as reg:
        notes = []
        assert _record(reg, gov, [(path, text, a)], notes) == [1] and notes == []
        assert _record(reg, gov, [(path, text, a)], notes) == [1] and notes == [("same", path, 1)]
        notes.clear()
        assert _record(reg, gov, [(path, text, b)], notes) == [2] and notes == [("replaces", path, 2, 1)]
        notes.clear()
        assert _record(reg, gov, [(path, text, a)], notes) == [3] and notes == [("replaces", path, 3, 2)]
        notes.clear()
        assert _record(reg, gov, [(path, text, b), (path, text, b), (path, text, a)], notes) == [4, 4, 5]
        assert notes == [("replaces", path, 4, 3), ("repeated", path, 4), ("replaces", path, 5, 4)]
        assert [d["id"] for d in reg.latest_decisions("model") if d["proposal"] == "MOD-2025-001"] == [5]
        # the same outcome with other findings (as the evidence base given beside the files can
        # make them): another decision
        other = "examples/lul-fritidsmentorer.yaml"
        x = gov.decide_file(ROOT / other, DECISION_DATE)
        assert x.findings
        y = dataclasses.replace(x, findings=x.findings[1:])
        notes.clear()
        (first,) = _record(reg, gov, [(other, read_input(ROOT / other)[0], x)], notes)
        (second,) = _record(reg, gov, [(other, read_input(ROOT / other)[0], y)], notes)
        assert second != first and notes == [("replaces", other, second, first)]


def test_a_record_of_a_case_says_its_decision_is_the_boards(gov, register_target):
    from governance.board import cases
    from governance.board.register import read_input

    path = "examples/model-familjestod.yaml"
    text = read_input(ROOT / path)[0]
    with Register(register_target) as reg:
        cases.open_case(reg, gov.rulebook, text, path, DECISION_DATE, "Anna Berg")
        notes = []
        (rid,) = _record(reg, gov, [(path, text, gov.decide_file(ROOT / path, DECISION_DATE))], notes)
        assert notes == [("cased", path, rid)] and rid != 1  # not the case's assessment of its version
        # recorded again: held already (never counted as recorded now)
        notes.clear()
        assert _record(reg, gov, [(path, text, gov.decide_file(ROOT / path, DECISION_DATE))], notes) == [rid]
        assert notes == [("same", path, rid)]


def test_two_processes_recording_the_same_decisions_record_each_once(register_target):
    """A decision is recorded once, also when two writers give the same one at the same time
    (the register decides, inside its write transaction)."""
    Register(register_target).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, register_target, "10", "same"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outputs]
    with Register(register_target) as reg:
        assert len(reg.decisions()) == 1
    assert set(outputs[0][0].split()) == set(outputs[1][0].split()) == {"1"}  # both were told its id


def test_a_killed_writer_loses_nothing_already_committed(register_target):
    Register(register_target).close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, register_target, "100000"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    committed = []
    deadline = time.monotonic() + 60
    while len(committed) < 15 and time.monotonic() < deadline:
        committed.append(int(proc.stdout.readline()))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with Register(register_target) as reg:
        assert reg.integrity() == "ok"
        ids = {r["id"] for r in reg.decisions()}
        reg.record_decisions([], snapshot(ROOT / "rules", ROOT / "policies"), "after", dt.datetime(2025, 6, 2), {})  # writable
    assert len(committed) == 15 and set(committed) <= ids


def test_impact_over_the_register(gov, tmp_path):
    path = tmp_path / "r.sqlite"
    record_examples(gov, str(path))
    record_examples(gov, str(path))  # recorded twice: the latest record of each proposal counts once
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


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"])
def test_the_input_is_recorded_as_its_bytes(tmp_path, ending):
    """A CRLF or CR-only file is recorded with content and hash equal to the file's bytes."""
    import hashlib

    raw = (EXAMPLES / "model-familjestod.yaml").read_bytes().replace(b"\n", ending)
    source = tmp_path / "in" / "crlf.yaml"
    source.parent.mkdir()
    source.write_bytes(raw)
    path = tmp_path / "r.sqlite"
    result = runner.invoke(app, ["check", str(source), "--date", "2025-06-01", "--record", "--register", str(path)])
    assert result.exit_code == 0, result.output
    with Register(str(path)) as reg:
        record = reg.decision(1)
        assert record["input"].encode("utf-8") == raw
        assert record["input_sha256"] == hashlib.sha256(raw).hexdigest()
        assert verify(reg)[:2] == (1, [])


# ------------------------------------------------------------------ schema 1 (before Alembic)

#: The hand-written DDL of the register at schema version 1 (fundgov 0.1), kept as a fixture.
SCHEMA_1_DDL = """
    CREATE TABLE snapshots (
        sha256 TEXT PRIMARY KEY,
        files TEXT NOT NULL
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        file TEXT,
        proposal TEXT NOT NULL,
        fund TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        input TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        snapshot TEXT NOT NULL REFERENCES snapshots(sha256),
        engine_version TEXT NOT NULL,
        decision_date TEXT NOT NULL,
        lang TEXT NOT NULL,
        outcome TEXT NOT NULL,
        findings TEXT NOT NULL,
        fund_grant_sek INTEGER
    );
    CREATE INDEX decisions_by_fund ON decisions(fund, proposal);
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        proposal TEXT NOT NULL,
        fund TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        inputs TEXT NOT NULL,
        judged_on TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE TABLE repayments (
        id INTEGER PRIMARY KEY,
        followup INTEGER NOT NULL REFERENCES followups(id),
        fund TEXT NOT NULL,
        proposal TEXT NOT NULL,
        committee TEXT NOT NULL,
        budget_year INTEGER NOT NULL,
        amount_sek INTEGER NOT NULL,
        paid_sek INTEGER NOT NULL DEFAULT 0 CHECK (paid_sek >= 0 AND paid_sek <= amount_sek)
    );
"""

EFFECT = """format: follow-up/1
proposal: MOD-2025-001
fund: model
kind: effect
period: 2029
submitted: 2029-10-01
design: rct
outcomes: [{name: x, ci_low: -0.2, ci_high: -0.1}]
verified_savings: [{committee: Socialnämnden, year: 2029, sek: 1200000}]
"""


def make_schema_1(path) -> None:
    """A register as fundgov 0.1 left it: one decision, the same follow-up recorded twice (so
    its repayments twice, the bug of schema 1), and part of one instalment paid."""
    proposal = (EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8")
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1_DDL)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO snapshots VALUES ('abc', '{}')")
    db.execute("INSERT INTO decisions (recorded_at, file, proposal, fund, input_sha256, input, policy_version, snapshot,"
               " engine_version, decision_date, lang, outcome, findings, fund_grant_sek) VALUES ('2025-06-01T12:00:00',"
               " 'examples/model-familjestod.yaml', 'MOD-2025-001', 'model', 'x', ?, '2015-01-01', 'abc', '0.1',"
               " '2025-06-01', 'sv', 'approved', '[]', 5700000)", (proposal,))
    rows = [("Socialnämnden", 2030, 300_000), ("Socialnämnden", 2031, 300_000), ("Socialnämnden", 2032, 300_000)]
    result = {"repayments": [{"committee": c, "budget_year": y, "amount_sek": a, "report_period": 2029}
                             for c, y, a in rows]}
    for followup in (1, 2):
        db.execute("INSERT INTO followups VALUES (?, ?, 'MOD-2025-001', 'model', 'h', ?, '2029-12-01', ?)",
                   (followup, f"2029-12-0{followup}T10:00:00", json.dumps({"examples/model-familjestod.yaml": proposal,
                                                                         "e.yaml": EFFECT}), json.dumps(result)))
        for c, y, a in rows:
            db.execute("INSERT INTO repayments (followup, fund, proposal, committee, budget_year, amount_sek, paid_sek)"
                       " VALUES (?, 'model', 'MOD-2025-001', ?, ?, ?, ?)",
                       (followup, c, y, a, 100_000 if (followup, y) == (1, 2030) else 0))
    db.commit()
    db.close()


def test_a_schema_1_register_is_migrated_keeping_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    make_schema_1(path)
    with Register(str(path)) as reg:
        assert reg.version == HEAD
        assert [d["proposal"] for d in reg.decisions()] == ["MOD-2025-001"]
        assert len(reg.followups()) == 2
        (project,) = reg.projects()
        assert [(r["kind"], r["period"]) for r in reg.reports(project["id"])] == [("effect", 2029)]
        rows = reg.repayments()
        # the latest follow-up's schedule, once; what was paid on the first copy carried over
        assert [(r["committee"], r["budget_year"], r["amount_sek"], r["paid_sek"]) for r in rows] == [
            ("Socialnämnden", 2030, 300_000, 100_000), ("Socialnämnden", 2031, 300_000, 0),
            ("Socialnämnden", 2032, 300_000, 0)]
        assert project["due_sek"] == 900_000
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM repayments_v1").fetchone()[0] == 6  # the old rows, as they were
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2  # fundgov 0.1 refuses it as newer
    db.close()
    with Register(str(path)) as reg:  # opening again migrates nothing
        assert len(reg.repayments()) == 3


def test_a_sqlite_register_of_an_unknown_user_version_is_refused(tmp_path):
    path = tmp_path / "r.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE decisions (id INTEGER)")
    db.execute("PRAGMA user_version = 7")
    db.commit()
    db.close()
    with pytest.raises(RegisterError, match="nyare än den här versionen av fundgov"):
        Register(str(path))
