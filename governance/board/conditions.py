"""Conditions of a decision (villkor): set when the board approves with conditions, met one by one.

The conditions of a case are the findings of severity ``condition`` of the version the board
decided on (with their ``action`` and ``due``), and any the board sets in its own words.
Each is met on a day, with evidence (what shows it is met) and who recorded it, or not at
all (the database refuses anything in between). The money of a project with an unmet
condition is held: ``fund_ledger`` shows its payments as held for that reason until the day
the last condition is met (beside those withheld under 7.1).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Row

from governance.board import schema as t
from governance.board.case_records import CaseError, find_case, now, plain, record_event, refuse, who
from governance.board.register import Register
from governance.engine.decision import Decision
from governance.errors import Problem
from governance.i18n import _


def create_conditions(conn: Connection, case: Row, item: int, decision: Decision | None,
                      own: list[str]) -> list[int]:
    """The conditions of a decision with conditions: those the assessment found, then the board's own."""
    rows: list[dict[str, Any]] = []
    if decision is not None:
        for f in decision.findings:
            if f.severity == "condition":
                rows.append({"clause": f.clause, "rule": f.rule, "text": (f.action or f.message).rstrip(". ") + ".",
                             "due": f.due})
    rows += [{"clause": None, "rule": None, "text": text, "due": None} for text in own]
    if not rows:
        raise CaseError(Problem(_("a decision with conditions needs at least one condition: the assessment of "
                                  "{case} found none, so name the board's own").format(case=case.diarienummer)))
    ids = []
    for number, row in enumerate(rows, start=1):
        ids.append(conn.execute(insert(t.conditions).values(case_id=case.id, number=number, item=item,
                                                            recorded_at=now(), **row)).inserted_primary_key[0])
    return ids


def conditions_of(conn: Connection, case: Row, on: dt.date | None = None) -> list[dict[str, Any]]:
    k = t.conditions.c
    rows = conn.execute(select(t.conditions).where(k.case_id == case.id).order_by(k.number)).fetchall()
    out = []
    for r in rows:
        met = r.met_on is not None and (on is None or r.met_on <= on.isoformat())
        out.append({"number": r.number, "clause": r.clause, "rule": r.rule, "text": r.text, "due": r.due,
                    "met_on": r.met_on if met else None, "evidence": r.evidence if met else None,
                    "met_by": r.met_by if met else None,
                    "overdue": bool(not met and r.due and on is not None and on.isoformat() > r.due)})
    return out


def condition_met(register: Register, ref: str, number: int, on: dt.date, evidence: str, by: str,
                  fund: str | None = None) -> dict[str, Any]:
    """Condition ``number`` of the case is met on ``on``, shown by ``evidence``; returns the
    condition as it now is (the case as a whole: ``governance.board.cases.show_case``)."""
    by = who(by)
    evidence = plain(evidence, _("the evidence"), single_line=False)
    k = t.conditions.c
    with register.db.writing() as conn:
        case = find_case(conn, ref, fund)
        if case.state not in ("decided", "running"):
            raise refuse(case, "condition", _("only a decided or running case has conditions"))
        row = conn.execute(select(t.conditions).where(k.case_id == case.id, k.number == number)).first()
        if row is None:
            count = len(conn.execute(select(k.id).where(k.case_id == case.id)).fetchall())
            raise CaseError(Problem(_("the case {case} has no condition {number} (it has {count})").format(
                case=case.diarienummer, number=number, count=count)))
        if row.met_on is not None:
            raise CaseError(Problem(_("condition {number} of the case {case} was already met on {day}").format(
                number=number, case=case.diarienummer, day=row.met_on)))
        record_event(conn, case, "condition_met", on, by, case.state, lambda: _(
            "condition {number} met: {evidence}").format(number=number, evidence=evidence))
        conn.execute(update(t.conditions).where(k.id == row.id).values(met_on=on.isoformat(), evidence=evidence,
                                                                        met_by=by))
        mine = conditions_of(conn, case, on)
    return {"case": case.diarienummer, "fund": case.fund, "condition": mine[number - 1],
            "unmet": sum(1 for c in mine if c["met_on"] is None)}


def conditions_met_on(register: Register, fund: str | None = None) -> dict[tuple[str, str], str | None]:
    """(fund, proposal) -> the day the last condition of its case was met, or None while one is
    unmet; projects whose decision has no conditions are not in it."""
    c, k = t.cases.c, t.conditions.c
    with register.db.reading() as conn:
        query = select(c.fund, c.proposal, k.met_on).join(t.cases, c.id == k.case_id)
        if fund:
            query = query.where(c.fund == fund)
        rows = conn.execute(query).fetchall()
    out: dict[tuple[str, str], str | None] = {}
    for case_fund, proposal, met_on in rows:
        key = (case_fund, proposal)
        if key in out and out[key] is None:
            continue
        out[key] = None if met_on is None else max(met_on, out.get(key) or met_on)
    return out
