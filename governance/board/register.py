"""The decision register: an embedded SQLite database of decisions and follow-up results.

Every record keeps what is needed to re-decide it: the input's content and hash, the
fund, the policy version, a snapshot (by hash) of every rule and policy file used, the
engine version, the decision date, the outcome and the findings. Writes are transactions
(``BEGIN IMMEDIATE``) in WAL mode with a busy timeout, so a second process writing at the
same time waits its turn and a killed process loses only its own unfinished transaction.
The schema is versioned (``PRAGMA user_version``) and migrated forward on opening.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from governance.errors import FundgovError, Problem

DEFAULT_NAME = "fundgov-register.sqlite"

MIGRATIONS: list[str] = [
    # 1: decisions, follow-ups, repayments, file snapshots
    """
    CREATE TABLE snapshots (
        sha256 TEXT PRIMARY KEY,
        files TEXT NOT NULL                         -- JSON: path -> content of every rule and policy file
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
        findings TEXT NOT NULL,                     -- JSON, as fundgov check --format json writes them
        fund_grant_sek INTEGER
    );
    CREATE INDEX decisions_by_fund ON decisions(fund, proposal);
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        proposal TEXT NOT NULL,
        fund TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        inputs TEXT NOT NULL,                       -- JSON: the proposal and reports, path -> content
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
    """,
]


class RegisterError(FundgovError):
    """The register cannot be opened or does not hold what was asked for."""


def default_path() -> Path:
    """``$FUNDGOV_REGISTER``, or fundgov-register.sqlite in the working folder."""
    return Path(os.environ.get("FUNDGOV_REGISTER", DEFAULT_NAME))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(rules_dir: Path, policies_dir: Path) -> tuple[str, dict[str, str]]:
    """Every rule and policy file, as path -> content, and the hash of them all."""
    files: dict[str, str] = {}
    for prefix, folder in (("rules", Path(rules_dir)), ("policies", Path(policies_dir))):
        for path in sorted(folder.rglob("*.yaml")):
            files[f"{prefix}/{path.relative_to(folder).as_posix()}"] = path.read_text(encoding="utf-8")
    return sha256(json.dumps(files, sort_keys=True, ensure_ascii=False)), files


class Register:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise RegisterError(Problem(f"cannot open the register: {exc}", str(self.path))) from None

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        with self.transaction() as db:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > len(MIGRATIONS):
                raise RegisterError(Problem(
                    f"the register has schema version {current}, newer than this fundgov knows ({len(MIGRATIONS)})",
                    str(self.path), hint="upgrade fundgov"))
            for number in range(current, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    # -------------------------------------------------------------------------------- writing

    def record_decisions(self, entries: list[tuple[str, str, Any]], rules_dir: Path, policies_dir: Path,
                         engine_version: str, recorded_at: dt.datetime, grants: dict[str, int | None]) -> list[int]:
        """Record decisions (file, input text, Decision) in one transaction; returns their ids."""
        digest, files = snapshot(rules_dir, policies_dir)
        ids = []
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO snapshots (sha256, files) VALUES (?, ?)",
                       (digest, json.dumps(files, ensure_ascii=False, sort_keys=True)))
            for file, text, decision in entries:
                cursor = db.execute(
                    "INSERT INTO decisions (recorded_at, file, proposal, fund, input_sha256, input, policy_version,"
                    " snapshot, engine_version, decision_date, lang, outcome, findings, fund_grant_sek)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (recorded_at.isoformat(timespec="seconds"), file, decision.proposal, decision.fund, sha256(text),
                     text, decision.policy_version, digest, engine_version, decision.decision_date, decision.lang,
                     decision.outcome, json.dumps(decision.as_json()["findings"], ensure_ascii=False),
                     grants.get(file)))
                ids.append(cursor.lastrowid)
        return ids

    def record_followup(self, proposal: Path, reports: list[Path], result, recorded_at: dt.datetime | None = None) -> int:
        inputs = {str(p): Path(p).read_text(encoding="utf-8") for p in [proposal, *reports]}
        blob = json.dumps(inputs, ensure_ascii=False, sort_keys=True)
        when = (recorded_at or dt.datetime.now()).isoformat(timespec="seconds")
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO followups (recorded_at, proposal, fund, input_sha256, inputs, judged_on, result)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (when, result.proposal, result.fund, sha256(blob), blob, result.date,
                 json.dumps(result.as_json(), ensure_ascii=False)))
            followup = cursor.lastrowid
            for r in result.repayments:
                db.execute("INSERT INTO repayments (followup, fund, proposal, committee, budget_year, amount_sek)"
                           " VALUES (?, ?, ?, ?, ?, ?)",
                           (followup, result.fund, result.proposal, r.committee, r.budget_year, r.amount_sek))
        return followup

    def mark_paid(self, repayment_id: int, amount_sek: int) -> None:
        with self.transaction() as db:
            row = db.execute("SELECT amount_sek, paid_sek FROM repayments WHERE id = ?", (repayment_id,)).fetchone()
            if row is None:
                raise RegisterError(Problem(f"no repayment {repayment_id} in the register", str(self.path)))
            try:
                db.execute("UPDATE repayments SET paid_sek = paid_sek + ? WHERE id = ?", (amount_sek, repayment_id))
            except sqlite3.IntegrityError:
                raise RegisterError(Problem(f"repayment {repayment_id} is {row[0]} kr of which {row[1]} kr is paid: "
                                            f"{amount_sek} kr more is too much", str(self.path))) from None

    # -------------------------------------------------------------------------------- reading

    def decisions(self, fund: str | None = None) -> list[dict]:
        sql = ("SELECT id, recorded_at, proposal, fund, policy_version, decision_date, outcome, fund_grant_sek"
               " FROM decisions")
        rows = self.db.execute(sql + (" WHERE fund = ?" if fund else "") + " ORDER BY id", (fund,) if fund else ())
        keys = ["id", "recorded_at", "proposal", "fund", "policy_version", "decision_date", "outcome", "fund_grant_sek"]
        return [dict(zip(keys, row)) for row in rows]

    def decision(self, record_id: int) -> dict:
        cursor = self.db.execute("SELECT * FROM decisions WHERE id = ?", (record_id,))
        row = cursor.fetchone()
        if row is None:
            raise RegisterError(Problem(f"no decision {record_id} in the register", str(self.path)))
        out = dict(zip([c[0] for c in cursor.description], row))
        out["findings"] = json.loads(out["findings"])
        return out

    def latest_inputs(self, fund: str | None = None) -> list[tuple[str, str]]:
        """The latest recorded input of every proposal, as (name, text): the register's past proposals."""
        rows = self.db.execute(
            "SELECT id, proposal, file, input FROM decisions WHERE id IN (SELECT max(id) FROM decisions"
            + (" WHERE fund = ?" if fund else "") + " GROUP BY fund, proposal) ORDER BY id", (fund,) if fund else ())
        return [(f"register#{rid} {file or proposal}", text) for rid, proposal, file, text in rows]

    def snapshot_files(self, digest: str) -> dict[str, str]:
        row = self.db.execute("SELECT files FROM snapshots WHERE sha256 = ?", (digest,)).fetchone()
        return json.loads(row[0])

    def repayments(self, fund: str | None = None) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, proposal, committee, budget_year, amount_sek, paid_sek FROM repayments"
            + (" WHERE fund = ?" if fund else "") + " ORDER BY id", (fund,) if fund else ())
        return [dict(zip(["id", "proposal", "committee", "budget_year", "amount_sek", "paid_sek"], r)) for r in rows]

    def integrity(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]


# ------------------------------------------------------------------------------------ verify


@dataclass
class Difference:
    id: int
    proposal: str
    recorded: str
    now: str
    detail: str


def materialise(files: dict[str, str], folder: Path) -> tuple[Path, Path]:
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder / "rules", folder / "policies"


def verify(register: Register, current=None) -> tuple[int, list[Difference], set[int]]:
    """Re-decide every recorded proposal with the recorded rule and policy files (or, given
    ``current``, with that loaded rulebook and its policies). Returns how many were checked, those
    that would now differ, and the records whose files have changed since."""
    from governance.engine.rulebook import Rulebook, load_rulebook
    from governance.policy.book import load_policies
    from governance.engine.judge import decide
    from governance.formats.loader import parse_proposal

    checked, differences, files_changed = 0, [], set()
    current_digest = snapshot(current.folder, current.policies.folder)[0] if current is not None else None
    cache: dict[str, Rulebook] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for row in register.decisions():
            record = register.decision(row["id"])
            if current is not None:
                rulebook = current
                if record["snapshot"] != current_digest:
                    files_changed.add(record["id"])
            else:
                rulebook = cache.get(record["snapshot"])
                if rulebook is None:
                    rules, policies = materialise(register.snapshot_files(record["snapshot"]),
                                                  Path(tmp) / record["snapshot"])
                    rulebook = cache[record["snapshot"]] = load_rulebook(rules, load_policies(policies))
            try:
                loaded = parse_proposal(record["input"], record["file"] or "recorded")
                again = decide(rulebook, loaded, dt.date.fromisoformat(record["decision_date"]), record["lang"],
                               evidence=recorded_evidence(loaded, record["findings"]))
            except FundgovError as exc:
                differences.append(Difference(record["id"], record["proposal"], record["outcome"], "error", str(exc)))
                continue
            checked += 1
            findings = again.as_json()["findings"]
            if again.outcome != record["outcome"] or findings != record["findings"]:
                before = {f"{f['clause']}:{f['severity']}" for f in record["findings"]}
                after = {f"{f['clause']}:{f['severity']}" for f in findings}
                detail = ", ".join([*(f"-{x}" for x in sorted(before - after)), *(f"+{x}" for x in sorted(after - before))])
                differences.append(Difference(record["id"], record["proposal"], record["outcome"], again.outcome,
                                              detail or "the wording or values of findings differ"))
        for rulebook in cache.values():
            rulebook.close()
    return checked, differences, files_changed


def recorded_evidence(loaded, findings: list[dict]) -> dict | None:
    """The evidence level a recorded decision was given for its method (3.8 records it in its
    findings' values), passed in again so that the decision is re-made as it was made."""
    method = loaded.model.intervention.method if loaded.model.intervention is not None else None
    levels = [f["values"].get("method_evidence_level") for f in findings if f["clause"] == "3.8"]
    level = next((v for v in levels if v is not None), None)
    return {method: {"level": level}} if method is not None and level is not None else None


# ------------------------------------------------------------------------------------ ledger


def fund_status(register: Register, book, fund_id: str, on: dt.date) -> dict[str, Any]:
    """Capital, granted, repaid and uncommitted for one fund, from the latest record per proposal."""
    fund = book.fund(fund_id)
    capital = fund.version_at(max(on, fund.in_force_from)).params.get("fund.capital_sek")
    latest: dict[str, dict] = {}
    for row in register.decisions(fund_id):
        latest[row["proposal"]] = row
    granted = sum(r["fund_grant_sek"] or 0 for r in latest.values()
                  if r["outcome"] in ("approved", "approved_with_conditions"))
    repayments = register.repayments(fund_id)
    due = sum(r["amount_sek"] for r in repayments)
    paid = sum(r["paid_sek"] for r in repayments)
    return {
        "fund": fund_id, "date": on.isoformat(), "capital_sek": capital, "granted_sek": granted,
        "decisions": len(latest), "approved": sum(1 for r in latest.values()
                                                   if r["outcome"] in ("approved", "approved_with_conditions")),
        "repayments_due_sek": due, "repaid_sek": paid,
        "uncommitted_sek": None if capital is None else capital - granted + paid,
    }
