"""The decision register: decisions, follow-ups, reports and repayments, on SQLite or PostgreSQL.

Every decision keeps what is needed to re-decide it: the input as read (its bytes, line
endings and all, and their hash), the fund, the policy version, a snapshot (by hash) of every
rule and policy file used, the engine version, the decision date, the outcome and the
findings. Reports are attached to their project, so a follow-up needs no files passed again.

The register keeps its invariants itself, inside the write transaction (database.py makes
writers wait their turn), with the database's constraints behind them (schema.py):

* a report is recorded once per project (by content hash and by kind and period): recording
  it again, or a later follow-up that includes it, replaces nothing and adds nothing;
* a repayment is due once per report and committee;
* the repayments of a project never exceed ``repayment.cap_share`` × its fund grant;
* repaid never exceeds due.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from governance.board import schema as t
from governance.board.database import Database, RegisterError, describe, open_database
from governance.board.followup import FollowUpResult, RecordedRepayment
from governance.board.inputs import read_input, sha256, snapshot
from governance.board.target import DEFAULT_NAME, default_target
from governance.errors import InputError, Problem
from governance.i18n import N_, _
from governance.wording import fmt_money

__all__ = ["Register", "RegisterError", "ReportInput", "default_path", "default_target", "sha256", "snapshot",
           "read_input"]


def default_path() -> Path:
    """The register file named by ``$FUNDGOV_REGISTER``, or fundgov-register.sqlite here."""
    return Path(os.environ.get("FUNDGOV_REGISTER") or DEFAULT_NAME)


@dataclass(frozen=True)
class ReportInput:
    """A follow-up report as given: its name, text as read, hash and validated model."""

    file: str
    text: str
    sha256: str
    loaded: Any  # governance.formats.loader.Loaded

    @property
    def key(self) -> tuple[str, int]:
        return self.loaded.model.kind, self.loaded.model.period


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")  # the edge's clock: when a row was written


def _json(value: str, table: str, row: int, column: str, name: str) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        raise RegisterError(Problem(_("the register is damaged: {column} of row {row} in {table} is not JSON").format(
            column=column, row=row, table=table), name, hint=_("restore it from a backup"))) from None


def _identity(row) -> tuple:
    """What makes two decision records the same decision: the application (by its content),
    the rules and policies (by their snapshot), the day, the policy version, the language,
    the outcome and findings (evidence given beside the files can change them) and the engine
    that decided."""
    return (row["fund"], row["proposal"], row["input_sha256"], row["snapshot"], row["decision_date"],
            row["policy_version"], row["lang"], row["outcome"], row["findings"], row["engine_version"])


class Register:
    """The register at a path or URL (see database.py), migrated on opening."""

    def __init__(self, target: str | Path | None = None, create: bool = True):
        self.db: Database = open_database(target if target is not None else default_target(), create)
        self.name = self.db.name
        self.path = self.db.path

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def version(self) -> str | None:
        with self.db.reading() as conn:
            return self.db.revision(conn)

    def integrity(self) -> str:
        """"ok", or what the database's own check found."""
        if self.db.dialect != "sqlite":
            return "ok"
        with self.db.reading() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        return "ok" if rows == ["ok"] else "; ".join(rows)

    # ------------------------------------------------------------------------------ decisions

    def record_decisions(self, entries: list[tuple[str, str, Any]], rules: tuple[str, dict[str, str]],
                         engine_version: str, recorded_at: dt.datetime,
                         grants: dict[str, dict[int, int] | int | None],
                         notes: list[tuple] | None = None) -> list[int]:
        """Record decisions (file, input text as read, Decision) in one transaction; returns the
        id each is recorded under, in the order given.

        A decision is recorded once: where an application's latest decision (the fund's, see
        ``latest_decisions``) is this same decision (the same input, rules and policies, day,
        policy version, language, outcome and findings, by the same engine), it is not recorded
        again and its id is the one it has. ``notes`` (where given) gets, in the order given:
        ``("same", file, id)`` for each of those; ``("repeated", file, id)`` for a decision given
        twice in this batch (recorded once, under ``id``); of the decisions written now,
        ``("cased", file, id)`` for an application that is a case (its decision is its board's,
        and a record here does not change it) and ``("replaces", file, new id, earlier id)`` for
        one whose latest decision was another. ``rules`` is the ``snapshot`` of the rule and
        policy files that decided, taken when they were loaded. ``grants`` gives each file's fund
        grant per budget year (or a total, or None where the budget does not say)."""
        digest, files = rules
        when = recorded_at.isoformat(timespec="seconds")
        with self.db.writing() as conn:
            self.store_snapshot(conn, digest, files)
            if not entries:
                return []
            rows = [self._decision_row(when, digest, file, text, decision, grants.get(file), engine_version)
                    for file, text, decision in entries]
            keys = {(r["fund"], r["proposal"]) for r in rows}
            current = self._latest_recorded(conn, keys)  # (fund, proposal) -> (id, identity)
            cased = self._cased(conn, keys)
            ids: list[int] = [0] * len(rows)
            kinds: list[tuple] = [()] * len(rows)
            pending: dict[tuple, int] = {}  # (fund, proposal) -> position of its latest row not yet written
            for i, row in enumerate(rows):
                key = (row["fund"], row["proposal"])
                identity = _identity(row)
                at = pending.get(key)
                if at is not None and _identity(rows[at]) == identity:
                    kinds[i] = ("repeated", at)
                    continue
                if at is None and key in current and current[key][1] == identity:
                    ids[i] = current[key][0]
                    kinds[i] = ("same",)
                    continue
                # its id is known once written; until then the row it replaces is the position before
                kinds[i] = ("new", at if at is not None else (current[key][0] if key in current else None),
                            at is not None)
                pending[key] = i
            new = [i for i, k in enumerate(kinds) if k[0] == "new"]
            if new:
                for i, rid in zip(new, self._insert_many(conn, t.decisions, [rows[i] for i in new])):
                    ids[i] = rid
                self._projects(conn, {(rows[i]["fund"], rows[i]["proposal"]): (rows[i]["input"], rows[i]["fund_grant_sek"])
                                      for i in new})
        for i, kind in enumerate(kinds):
            if kind[0] == "repeated":
                ids[i] = ids[kind[1]]
        if notes is not None:
            for i, (row, kind) in enumerate(zip(rows, kinds)):
                if kind[0] in ("same", "repeated"):  # not written now (or written once, for its first)
                    notes.append((kind[0], row["file"], ids[i]))
                elif (row["fund"], row["proposal"]) in cased:
                    notes.append(("cased", row["file"], ids[i]))
                elif kind[1] is not None:
                    earlier = ids[kind[1]] if kind[2] else kind[1]
                    notes.append(("replaces", row["file"], ids[i], earlier))
        return ids

    def _insert_many(self, conn: Connection, table, rows: list[dict[str, Any]]) -> list[int]:
        """Rows inserted in one statement (inside a write transaction); their ids in the order
        given. PostgreSQL's RETURNING keeps that order. SQLite cannot return the ids of many rows
        in order (SQLAlchemy would fall back to a statement a row), so there the ids are given:
        the next after the largest held, as SQLite itself gives them, and safely, since the
        write transaction (BEGIN IMMEDIATE) lets no one else insert meanwhile. (No table here is
        AUTOINCREMENT and no decision is ever deleted; a table made AUTOINCREMENT so that ids are
        never reused would need sqlite_sequence read here, not the largest id.)"""
        if self.db.dialect != "sqlite":
            return list(conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
        first = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        ids = list(range(first, first + len(rows)))
        conn.execute(insert(table), [{**row, "id": rid} for row, rid in zip(rows, ids)])
        return ids

    @staticmethod
    def _latest_recorded(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, tuple]]:
        """Each application's latest decision recorded by check --record (not an assessment of
        a case's version), with its identity."""
        c = t.decisions.c
        funds = {f for f, _p in keys}
        proposals = {p for _f, p in keys}
        query = (select(c.id, c.fund, c.proposal, c.input_sha256, c.snapshot, c.decision_date, c.policy_version,
                        c.lang, c.outcome, c.engine_version, c.findings)
                 .where(c.fund.in_(funds), c.proposal.in_(proposals),
                        c.id.not_in(select(t.case_versions.c.decision))).order_by(c.id))
        out: dict[tuple[str, str], tuple[int, tuple]] = {}
        for r in conn.execute(query):
            if (r.fund, r.proposal) in keys:
                out[(r.fund, r.proposal)] = (r.id, _identity(r._mapping))
        return out

    @staticmethod
    def _cased(conn: Connection, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
        k = t.cases.c
        rows = conn.execute(select(k.fund, k.proposal).where(k.proposal.in_({p for _f, p in keys})))
        return {(r.fund, r.proposal) for r in rows} & keys

    def store_snapshot(self, conn: Connection, digest: str, files: dict[str, str]) -> None:
        """The snapshot of rule and policy files, once per content (inside a write transaction)."""
        if conn.execute(select(t.snapshots.c.sha256).where(t.snapshots.c.sha256 == digest)).first() is None:
            conn.execute(insert(t.snapshots).values(sha256=digest, files=json.dumps(files, ensure_ascii=False,
                                                                                    sort_keys=True)))

    @staticmethod
    def _decision_row(when: str, digest: str, file: str | None, text: str, decision: Any,
                      grant: dict[int, int] | int | None, engine_version: str) -> dict[str, Any]:
        per_year = grant if isinstance(grant, dict) else None
        total = sum(per_year.values()) if per_year is not None else grant
        return dict(recorded_at=when, file=file, proposal=decision.proposal, fund=decision.fund,
                    input_sha256=sha256(text), input=text, policy_version=decision.policy_version, snapshot=digest,
                    engine_version=engine_version, decision_date=decision.decision_date, lang=decision.lang,
                    outcome=decision.outcome, findings=decision.findings_json(),
                    fund_grant_sek=total,
                    grants=json.dumps({str(y): a for y, a in sorted(per_year.items())}) if per_year is not None
                    else None)

    def insert_decision(self, conn: Connection, when: str, digest: str, file: str | None, text: str, decision: Any,
                        grant: dict[int, int] | int | None, engine_version: str) -> int:
        """One decision row (and its project), inside a write transaction; returns its id."""
        row = self._decision_row(when, digest, file, text, decision, grant, engine_version)
        rid = conn.execute(insert(t.decisions).values(**row)).inserted_primary_key[0]
        self._project(conn, decision.fund, decision.proposal, text, row["fund_grant_sek"])
        return rid

    def decisions(self, fund: str | None = None) -> list[dict]:
        c = t.decisions.c
        query = select(c.id, c.recorded_at, c.file, c.proposal, c.fund, c.policy_version, c.decision_date, c.outcome,
                       c.fund_grant_sek).order_by(c.id)
        if fund:
            query = query.where(c.fund == fund)
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def case_of(self, fund: str, proposal: str) -> int | None:
        """The id of the case an application is (its decisions are the board's, its letters the
        case's), or None for a proposal decided by ``fundgov check --record``."""
        c = t.cases.c
        with self.db.reading() as conn:
            return conn.execute(select(c.id).where(c.fund == fund, c.proposal == proposal)).scalar()

    def decision(self, record_id: int) -> dict:
        with self.db.reading() as conn:
            row = conn.execute(select(t.decisions).where(t.decisions.c.id == record_id)).first()
        if row is None:
            raise RegisterError(Problem(_("no decision {id} in the register").format(id=record_id), self.name))
        out = dict(row._mapping)
        out["findings"] = _json(out["findings"], "decisions", record_id, "findings", self.name)
        if out.get("grants") is not None:
            out["grants"] = {int(y): a for y, a in _json(out["grants"], "decisions", record_id, "grants",
                                                         self.name).items()}
        return out

    def latest_decisions(self, fund: str | None = None, on: dt.date | None = None) -> list[dict]:
        """The fund's latest decision of every proposal (decided by ``on``), with its input.

        A proposal that is a case (governance.board.cases) is decided by its board at a
        meeting: its decision is the latest one the board made on it by ``on`` (the meeting's
        date is the decision date, the board's outcome the outcome, the version decided the
        input), and the engine's assessments of its versions are not decisions of the fund.
        Any other proposal's decision is the latest one recorded (fundgov check --record)."""
        c = t.decisions.c
        cased = select(t.cases.c.fund, t.cases.c.proposal)
        latest = (select(func.max(c.id)).where(c.id.not_in(select(t.case_versions.c.decision)))
                  .group_by(c.fund, c.proposal))
        if fund:
            latest = latest.where(c.fund == fund)
            cased = cased.where(t.cases.c.fund == fund)
        if on is not None:
            latest = latest.where(c.decision_date <= on.isoformat())
        with self.db.reading() as conn:
            with_case = {tuple(r) for r in conn.execute(cased)}
            rows = [dict(r._mapping) for r in conn.execute(select(t.decisions).where(c.id.in_(latest)))
                    if (r.fund, r.proposal) not in with_case]
            rows += self._board_decisions(conn, fund, on)
        out = []
        for record in sorted(rows, key=lambda r: r["id"]):
            record["findings"] = _json(record["findings"], "decisions", record["id"], "findings", self.name)
            if record["grants"] is not None:
                record["grants"] = {int(y): a for y, a in _json(record["grants"], "decisions", record["id"], "grants",
                                                                self.name).items()}
            out.append(record)
        return out

    def _board_decisions(self, conn: Connection, fund: str | None, on: dt.date | None) -> list[dict]:
        """Each case's latest decision by its board (not a return to the administration), as a
        decision record: the version decided, with the board's outcome and the meeting's date
        (``adjusted_on``: the day the protocol was adjusted and the decision took effect)."""
        a, m, k, v = t.agenda_items.c, t.meetings.c, t.cases.c, t.case_versions.c
        query = (select(t.decisions, a.decided_outcome, a.paragraph, m.date.label("meeting_date"),
                        m.id.label("meeting"), m.adjusted_on, k.diarienummer, k.id.label("case_id"))
                 .select_from(t.agenda_items.join(t.meetings, m.id == a.meeting).join(t.cases, k.id == a.case_id)
                              .join(t.case_versions, (v.case_id == a.case_id) & (v.version == a.version))
                              .join(t.decisions, t.decisions.c.id == v.decision))
                 .where(a.state == "decided", a.decided_outcome != "returned").order_by(m.date, a.paragraph))
        if fund:
            query = query.where(k.fund == fund)
        if on is not None:
            query = query.where(m.date <= on.isoformat())
        latest: dict[int, dict] = {}
        for row in conn.execute(query):
            record = dict(row._mapping)
            record.update(outcome=record.pop("decided_outcome"), decision_date=record.pop("meeting_date"))
            latest[record["case_id"]] = record  # in meeting order: the last one counts
        return list(latest.values())

    def latest_inputs(self, fund: str | None = None) -> list[tuple[str, str]]:
        """The latest recorded input of every proposal, as (name, text): the register's past proposals."""
        return [(f"register#{r['id']} {r['file'] or r['proposal']}", r["input"]) for r in self.latest_decisions(fund)]

    def snapshot_files(self, digest: str) -> dict[str, str]:
        with self.db.reading() as conn:
            row = conn.execute(select(t.snapshots.c.files).where(t.snapshots.c.sha256 == digest)).first()
        if row is None:
            raise RegisterError(Problem(_("the register is damaged: the snapshot {digest} of rule and policy files "
                                          "is missing").format(digest=digest[:12]), self.name,
                                        hint=_("restore it from a backup")))
        files = _json(row[0], "snapshots", 0, "files", self.name)
        if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise RegisterError(Problem(_("the register is damaged: the snapshot {digest} is not a set of files").format(
                digest=digest[:12]), self.name, hint=_("restore it from a backup")))
        return files

    # ------------------------------------------------------------------------------ projects

    def _projects(self, conn: Connection, latest: dict[tuple[str, str], tuple[str, int | None]]) -> None:
        """Create or bring up to date the project of each (fund, proposal), in a few statements."""
        if not latest:
            return
        c = t.projects.c
        existing: dict[tuple[str, str], int] = {}
        keys = list(latest)
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            query = select(c.id, c.fund, c.proposal).where(c.proposal.in_({p for _f, p in part}))
            existing.update({(f, p): pid for pid, f, p in conn.execute(query) if (f, p) in latest})
        new = [dict(fund=f, proposal=p, input=text, grant_sek=grant, due_sek=0)
               for (f, p), (text, grant) in latest.items() if (f, p) not in existing]
        if new:
            conn.execute(insert(t.projects), new)
        changes: dict[tuple[str, ...], list[dict]] = {}  # by the columns changed: one statement for each set
        for (f, p), pid in existing.items():
            text, grant = latest[(f, p)]
            values = {k: v for k, v in (("input", text), ("grant_sek", grant)) if v is not None}
            if values:
                changes.setdefault(tuple(values), []).append({"pid": pid, **{f"new_{k}": v for k, v in values.items()}})
        for columns, rows in changes.items():
            conn.execute(update(t.projects).where(c.id == bindparam("pid"))
                         .values(**{k: bindparam(f"new_{k}") for k in columns}), rows)

    def _project(self, conn: Connection, fund: str, proposal: str, text: str | None = None,
                 grant: int | None = None) -> int:
        c = t.projects.c
        row = conn.execute(select(c.id).where(c.fund == fund, c.proposal == proposal)).first()
        if row is None:
            return conn.execute(insert(t.projects).values(fund=fund, proposal=proposal, input=text, grant_sek=grant,
                                                          due_sek=0)).inserted_primary_key[0]
        values = {k: v for k, v in (("input", text), ("grant_sek", grant)) if v is not None}
        if values:
            conn.execute(update(t.projects).where(c.id == row[0]).values(**values))
        return row[0]

    def projects(self, fund: str | None = None) -> list[dict]:
        query = select(t.projects).order_by(t.projects.c.fund, t.projects.c.proposal)
        if fund:
            query = query.where(t.projects.c.fund == fund)
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def reports(self, project: int, conn: Connection | None = None) -> list[dict]:
        query = select(t.reports).where(t.reports.c.project == project).order_by(t.reports.c.submitted, t.reports.c.id)
        if conn is not None:
            return [dict(r._mapping) for r in conn.execute(query)]
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def _recorded(self, conn: Connection, project: int) -> dict[int, list[RecordedRepayment]]:
        r, i, rep = t.repayments.c, t.instalments.c, t.reports.c
        rows = conn.execute(select(r.id, rep.period, r.committee, r.amount_sek, r.uncapped_sek, i.id, i.budget_year,
                                   i.amount_sek).join(t.reports, t.reports.c.id == r.report)
                            .join(t.instalments, i.repayment == r.id).where(r.project == project)
                            .order_by(rep.period, r.committee, i.budget_year)).fetchall()
        grouped: dict[tuple[int, int], dict] = {}
        for rid, period, committee, amount, uncapped, iid, year, part in rows:
            entry = grouped.setdefault((period, rid), {"committee": committee, "amount": amount, "uncapped": uncapped,
                                                        "instalments": []})
            entry["instalments"].append((iid, year, part))
        out: dict[int, list[RecordedRepayment]] = {}
        for (period, _rid), e in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[1]["committee"])):
            out.setdefault(period, []).append(RecordedRepayment(e["committee"], e["amount"], e["uncapped"],
                                                                tuple(e["instalments"])))
        return out

    # ------------------------------------------------------------------------------ follow-up

    def follow_up(self, fund: str, proposal: str, proposal_input: tuple[str, str] | None,
                  given: list[ReportInput], load: Callable[[str, str], Any],
                  judge: Callable[[list[Any], dict[int, list[RecordedRepayment]]], FollowUpResult],
                  record: bool = False, recorded_at: dt.datetime | None = None) -> FollowUpResult:
        """Judge a project's follow-up on the reports the register holds and those ``given``.

        ``load(text, name)`` validates a recorded report; ``judge(reports, recorded)`` evaluates
        (governance.board.followup.evaluate). With ``record`` the new reports, the follow-up and
        any new repayments are written in the same transaction, under the invariants; the
        result's repayments then carry their ids."""
        transaction = self.db.writing() if record else self.db.reading()
        with transaction as conn:
            c = t.projects.c
            row = conn.execute(select(c.id).where(c.fund == fund, c.proposal == proposal)).first()
            project = row[0] if row is not None else None
            stored = self.reports(project, conn) if project is not None else []
            reports, new = merge_reports(stored, given, load, proposal, self.name)
            recorded = self._recorded(conn, project) if project is not None else {}
            result = judge([r.loaded for r in reports], recorded)
            held = {s["sha256"] for s in stored}
            result.held_reports = [r.file for r in given if r.sha256 in held]
            if not record:
                return result
            when = (recorded_at or dt.datetime.now()).isoformat(timespec="seconds")
            text = proposal_input[0] if proposal_input else None
            project = self._project(conn, fund, proposal, text, result.grant_sek)
            if result.cap_sek is not None:
                conn.execute(update(t.projects).where(t.projects.c.id == project).values(cap_sek=result.cap_sek))
            inputs = {r.file: r.text for r in reports}
            if proposal_input:
                inputs = {proposal_input[1]: proposal_input[0]} | inputs
            blob = json.dumps(inputs, ensure_ascii=False, sort_keys=True)
            followup = conn.execute(insert(t.followups).values(
                recorded_at=when, proposal=proposal, fund=fund, input_sha256=sha256(blob), inputs=blob,
                judged_on=result.date, result=json.dumps(result.as_json(), ensure_ascii=False))).inserted_primary_key[0]
            report_ids = {(s["kind"], s["period"]): s["id"] for s in stored}
            for r in new:
                m = r.loaded.model
                report_ids[r.key] = conn.execute(insert(t.reports).values(
                    project=project, kind=m.kind, period=m.period, submitted=m.submitted.isoformat(), file=r.file,
                    sha256=r.sha256, content=r.text, recorded_at=when, followup=followup)).inserted_primary_key[0]
            ids = self._record_repayments(conn, project, report_ids, result, when, followup)
        return replace(result, repayments=[replace(r, id=ids.get((r.report_period, r.committee, r.budget_year), r.id))
                                           for r in result.repayments])

    def _record_repayments(self, conn: Connection, project: int, report_ids: dict[tuple[str, int], int],
                           result: FollowUpResult, when: str, followup: int) -> dict[tuple[int, str, int], int]:
        """The result's repayments not yet in the register, checked against its invariants."""
        r = t.repayments.c
        fresh: dict[tuple[int, str], list] = {}
        for row in result.repayments:
            if row.id is None:
                fresh.setdefault((row.report_period, row.committee), []).append(row)
        ids: dict[tuple[int, str, int], int] = {}
        for (period, committee), rows in fresh.items():
            report = report_ids[("effect", period)]
            if conn.execute(select(r.id).where(r.report == report, r.committee == committee)).first() is not None:
                continue  # due once per report and committee: already recorded, nothing is added
            amount = sum(x.amount_sek for x in rows)
            project_row = conn.execute(select(t.projects.c.due_sek, t.projects.c.cap_sek)
                                       .where(t.projects.c.id == project)).one()
            due, cap = project_row
            if cap is not None and due + amount > cap:
                raise RegisterError(Problem(_(
                    "{proposal}: a repayment of {amount} would bring what the project repays to {total}, above its "
                    "cap of {cap}; nothing was recorded").format(
                        proposal=result.proposal, amount=_money(amount), total=_money(due + amount), cap=_money(cap)),
                    self.name))
            rid = conn.execute(insert(t.repayments).values(
                project=project, report=report, committee=committee, amount_sek=amount,
                uncapped_sek=result.uncapped.get((period, committee), amount), recorded_at=when,
                followup=followup)).inserted_primary_key[0]
            conn.execute(update(t.projects).where(t.projects.c.id == project)
                         .values(due_sek=t.projects.c.due_sek + amount))
            for x in rows:
                ids[(period, committee, x.budget_year)] = conn.execute(insert(t.instalments).values(
                    repayment=rid, budget_year=x.budget_year, amount_sek=x.amount_sek, paid_sek=0)
                ).inserted_primary_key[0]
        return ids

    def followup_inputs(self) -> list[tuple[int, str, str]]:
        """Every recorded follow-up as (id, fund, inputs JSON: name -> content), oldest first."""
        c = t.followups.c
        with self.db.reading() as conn:
            return [tuple(r) for r in conn.execute(select(c.id, c.fund, c.inputs).order_by(c.id))]

    def followups(self, fund: str | None = None) -> list[dict]:
        c = t.followups.c
        query = select(c.id, c.recorded_at, c.fund, c.proposal, c.judged_on, c.input_sha256, c.result).order_by(c.id)
        if fund:
            query = query.where(c.fund == fund)
        with self.db.reading() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for row in rows:
            result = _json(row.pop("result"), "followups", row["id"], "result", self.name)
            row["payment_withheld"] = bool(result.get("payment_withheld")) if isinstance(result, dict) else None
            row["under_review"] = bool(result.get("under_review")) if isinstance(result, dict) else None
        return rows

    # ------------------------------------------------------------------------------ repayments

    def repayments(self, fund: str | None = None, due_by: int | None = None, proposal: str | None = None,
                   on: dt.date | None = None) -> list[dict]:
        """Every instalment (the unit that is paid): id, project, committee, budget year, due,
        repaid, outstanding, and the report that triggered it. With ``on``, only repayments
        whose report was submitted by then, and what was paid by then."""
        i, r, p, rep = t.instalments.c, t.repayments.c, t.projects.c, t.reports.c
        query = (select(i.id, p.fund, p.proposal, r.committee, i.budget_year, i.amount_sek, i.paid_sek,
                        r.amount_sek.label("repayment_sek"), r.uncapped_sek, rep.period.label("report_period"),
                        rep.submitted.label("report_submitted"), r.recorded_at)
                 .join(t.repayments, r.id == i.repayment).join(t.projects, p.id == r.project)
                 .join(t.reports, rep.id == r.report).order_by(p.fund, p.proposal, rep.period, r.committee,
                                                              i.budget_year))
        if fund:
            query = query.where(p.fund == fund)
        if proposal:
            query = query.where(p.proposal == proposal)
        if due_by is not None:
            query = query.where(i.budget_year <= due_by)
        if on is not None:
            query = query.where(rep.submitted <= on.isoformat())
        with self.db.reading() as conn:
            rows = [dict(x._mapping) for x in conn.execute(query)]
            if on is not None and rows:
                paid = dict(conn.execute(select(t.payments.c.instalment, func.sum(t.payments.c.amount_sek))
                                         .where(t.payments.c.paid_on <= on.isoformat())
                                         .group_by(t.payments.c.instalment)).fetchall())
                for row in rows:
                    row["paid_sek"] = int(paid.get(row["id"], 0))
        for row in rows:
            row["outstanding_sek"] = row["amount_sek"] - row["paid_sek"]
            row["capped"] = row["repayment_sek"] < row["uncapped_sek"]
        return rows

    def pay(self, instalment: int, amount: int, paid_on: dt.date, lang: str | None = None) -> dict:
        """Record that ``amount`` of an instalment was repaid on ``paid_on``; refuses more than is
        outstanding. Returns the instalment as it now stands."""
        if amount <= 0:
            raise RegisterError(Problem(_("an amount repaid must be at least 1 kr"), self.name))
        i = t.instalments.c
        with self.db.writing() as conn:
            row = conn.execute(select(i.amount_sek, i.paid_sek).where(i.id == instalment)).first()
            if row is None:
                raise RegisterError(Problem(_("no repayment R{id} in the register").format(id=instalment), self.name,
                                            hint=_("fundgov register repayments lists them with their ids")))
            due, paid = row
            if paid + amount > due:
                raise RegisterError(Problem(_(
                    "repayment R{id} is {due}, of which {paid} is repaid: {amount} more would be {excess} too much; "
                    "nothing was recorded").format(id=instalment, due=_money(due, lang), paid=_money(paid, lang),
                                                   amount=_money(amount, lang),
                                                   excess=_money(paid + amount - due, lang)), self.name))
            conn.execute(insert(t.payments).values(instalment=instalment, paid_on=paid_on.isoformat(),
                                                   amount_sek=amount, recorded_at=_now()))
            conn.execute(update(t.instalments).where(i.id == instalment).values(paid_sek=i.paid_sek + amount))
        return next(r for r in self.repayments() if r["id"] == instalment)

    def payments(self, fund: str | None = None, on: dt.date | None = None) -> list[dict]:
        pay, i, r, p = t.payments.c, t.instalments.c, t.repayments.c, t.projects.c
        query = (select(pay.id, pay.instalment, pay.paid_on, pay.amount_sek, p.fund, p.proposal, r.committee,
                        i.budget_year).join(t.instalments, i.id == pay.instalment)
                 .join(t.repayments, r.id == i.repayment).join(t.projects, p.id == r.project).order_by(pay.id))
        if fund:
            query = query.where(p.fund == fund)
        if on is not None:
            query = query.where(pay.paid_on <= on.isoformat())
        with self.db.reading() as conn:
            return [dict(x._mapping) for x in conn.execute(query)]


def _money(amount: int, lang: str | None = None) -> str:
    from governance.i18n import current_language

    return fmt_money(amount, lang or current_language())


REPORT_WORDS = {"progress": N_("progress report"), "final": N_("final report"), "effect": N_("effect report")}


def merge_reports(stored: list[dict], given: list[ReportInput], load: Callable[[str, str], Any], proposal: str,
                  name: str) -> tuple[list[ReportInput], list[ReportInput]]:
    """The project's reports: those recorded, and of those ``given`` the ones that are new.

    A report given again (the same bytes) is the recorded one; a different report for a kind
    and period the register already holds, or two given for one kind and period, is an error
    placed at the file given."""
    reports = [ReportInput(s["file"] or f"register#{s['id']}", s["content"], s["sha256"],
                           load(s["content"], s["file"] or f"register#{s['id']}")) for s in stored]
    by_sha = {r.sha256: r for r in reports}
    by_key = {r.key: r for r in reports}
    new: list[ReportInput] = []
    for r in given:
        if r.sha256 in by_sha:
            continue
        other = by_key.get(r.key)
        if other is not None:
            kind, period = r.key
            recorded = any(o is other for o in reports[:len(stored)])
            message = (_("the register already holds a different {report} for {period} of {proposal} ({file}); "
                         "a recorded report is never replaced") if recorded else
                       _("two different reports ({report}) for {period} of {proposal}: {file} and this one"))
            raise InputError(r.loaded.source.problem(("period",), message.format(
                report=_(REPORT_WORDS.get(kind, kind)), period=period, proposal=proposal, file=other.file)))
        by_sha[r.sha256] = by_key[r.key] = r
        reports.append(r)
        new.append(r)
    return reports, new


def describe_target(target: str | Path | None) -> str:
    return describe(target if target is not None else default_target())
