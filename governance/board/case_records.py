"""The case tables underneath cases, meetings and conditions: finding a case, its states and
the transitions between them, its history in order of days, and its versions.

Only ``governance.board.cases``, ``meetings`` and ``conditions`` use this module; they hold
what a person does with a case.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Union

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Row

from governance.board import schema as t
from governance.engine.decision import Decision, Finding
from governance.errors import FundgovError, Problem, UsageError
from governance.i18n import N_, _, use_language
from governance.project import __version__
from governance.terminal import is_blank, unsafe_character

LANGUAGES = ("sv", "en")
STATES = t.CASE_STATES
#: state -> the states a case may go on to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("in_preparation", "withdrawn"),
    "in_preparation": ("completion_requested", "proposed", "withdrawn"),
    "completion_requested": ("in_preparation", "closed", "withdrawn"),
    "proposed": ("decided", "in_preparation", "withdrawn"),
    "decided": ("running", "closed"),
    "running": ("closed",),
    "closed": (),
    "withdrawn": (),
}
STATE_WORDS = {"received": N_("received"), "in_preparation": N_("in preparation"),
               "completion_requested": N_("completion requested"), "proposed": N_("proposed for decision"),
               "decided": N_("decided"), "running": N_("running"), "closed": N_("closed"),
               "withdrawn": N_("withdrawn")}
OUTCOME_WORDS = {"approved": N_("approved"), "approved_with_conditions": N_("approved with conditions"),
                 "completion_requested": N_("completion requested"), "rejected": N_("rejected"),
                 "returned": N_("returned to the administration")}
#: what each action asks of a case, for the message that refuses it
ACTION_WORDS = {"complete": N_("receive a completed application"), "propose": N_("be proposed for decision"),
                "withdraw": N_("be withdrawn"), "close": N_("be closed"), "agenda": N_("be put on an agenda"),
                "decide": N_("be decided"), "run": N_("start running"), "condition": N_("have a condition met")}
GRANTED = ("approved", "approved_with_conditions")
MAX_TEXT = 4000


class CaseError(FundgovError):
    """A case action that the case's state, dates or data do not allow (nothing was recorded)."""


def state_word(state: str | None) -> str:
    return _(STATE_WORDS[state]) if state in STATE_WORDS else (state or "–")


def outcome_word(outcome: str | None) -> str:
    return _(OUTCOME_WORDS[outcome]) if outcome in OUTCOME_WORDS else (outcome or "–")


def engine_version() -> str:
    """The engine version recorded with every assessment, as with every decision."""
    return __version__


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")  # the edge's clock: when a row was written


# ------------------------------------------------------------------------------ plain text in

def plain(value: str | None, what: str, required: bool = True, single_line: bool = True,
          limit: int = MAX_TEXT) -> str | None:
    """A person's text (who, why, evidence, wording): shown, bounded, without control characters."""
    if value is None or is_blank(value):
        if required:
            raise UsageError(_("{what} must be given").format(what=what))
        return None
    value = value.strip()
    if len(value) > limit:
        raise UsageError(_("{what} is longer than {limit} characters").format(what=what, limit=limit))
    allowed = "" if single_line else "\n\t"
    if any(unsafe_character(ch) and ch not in allowed for ch in value.replace("\r\n", "\n")):
        raise UsageError(_("{what} must not contain control characters{lines}").format(
            what=what, lines=_(" or line breaks") if single_line else ""))
    return value


def who(by: str) -> str:
    return plain(by, _("who did it"), limit=200)


# ------------------------------------------------------------------------------ finding a case

def find_case(conn: Connection, ref: str | int, fund: str | None = None) -> Row:
    """The case a person names: its diarienummer (``KS 2025/0123``), its proposal's id, or
    ``#12`` (its number in the register); ``fund`` where two funds' numbers look alike."""
    c = t.cases.c
    query = select(t.cases)
    text = str(ref).strip()
    if isinstance(ref, int) or (text.startswith("#") and text[1:].isdigit()):
        query = query.where(c.id == int(text.lstrip("#")))
    else:
        squeezed = " ".join(text.split())
        query = query.where((func.upper(c.diarienummer) == squeezed.upper()) | (c.proposal == text))
    if fund:
        query = query.where(c.fund == fund)
    rows = conn.execute(query.order_by(c.id)).fetchall()
    if not rows:
        raise UsageError(_("no case {ref} in the register{fund}").format(
            ref=text, fund=_(" for the fund {fund}").format(fund=fund) if fund else ""))
    if len(rows) > 1:
        raise UsageError(_("{ref} names more than one case: {cases}").format(
            ref=text, cases=", ".join(f"{r.diarienummer} ({r.fund})" for r in rows)), )
    return rows[0]


def refuse(case: Row, action: str, why: str | None = None) -> CaseError:
    allowed = TRANSITIONS[case.state]
    if why is None:
        if allowed:
            why = _("from that state it can go on to: {states}").format(
                states=", ".join(state_word(s) for s in allowed))
        else:
            why = _("the case is finished: nothing more can be done in it")
    return CaseError(Problem(_("the case {case} is in the state '{state}' and cannot {action}; {why}").format(
        case=case.diarienummer, state=state_word(case.state), action=_(ACTION_WORDS[action]), why=why)))


def _last_day(conn: Connection, case_id: int) -> str | None:
    e = t.case_events.c
    return conn.execute(select(func.max(e.on_day)).where(e.case_id == case_id)).scalar()


Reason = Union[str, Callable[[], str], None]


def record_event(conn: Connection, case: Row, kind: str, on: dt.date, by: str, to_state: str,
                 reason: Reason = None, version: int | None = None, from_state: str | None = None) -> int:
    """Append one event to the case's history (in order of days: never before the last one).

    A reason the program words is given as a function: it is worded in the case's language,
    whatever language the person works in (the history is the case's record)."""
    if callable(reason):
        with use_language(case.lang):
            reason = reason()
    e = t.case_events.c
    last = _last_day(conn, case.id)
    if last is not None and on.isoformat() < last:
        raise CaseError(Problem(_("{day} is before the last event of the case {case} ({last}): the history is "
                                  "kept in order of days").format(day=on.isoformat(), case=case.diarienummer,
                                                                   last=last)))
    seq = (conn.execute(select(func.max(e.seq)).where(e.case_id == case.id)).scalar() or 0) + 1
    conn.execute(insert(t.case_events).values(case_id=case.id, seq=seq, kind=kind, on_day=on.isoformat(),
                                              from_state=from_state, to_state=to_state, actor=by, reason=reason,
                                              version=version, recorded_at=now()))
    return seq


def move(conn: Connection, case: Row, target: str, on: dt.date, by: str, reason: Reason, action: str,
         version: int | None = None, **values: Any) -> Row:
    """The case goes to ``target`` (refused unless its state allows it); returns it as it now is."""
    if target not in TRANSITIONS[case.state]:
        raise refuse(case, action)
    record_event(conn, case, "state", on, by, target, reason, version, case.state)
    conn.execute(update(t.cases).where(t.cases.c.id == case.id).values(state=target, **values))
    return conn.execute(select(t.cases).where(t.cases.c.id == case.id)).one()



def decision_of(assessment: dict[str, Any]) -> Decision:
    """A recorded assessment (one language of ``case_versions.assessment``) as a Decision again."""
    findings = [Finding(f["rule"], f["clause"], f["severity"], f["title"], f["message"], f.get("values") or {},
                        list(f.get("missing") or []), f.get("action"), f.get("due"))
                for f in assessment["findings"]]
    return Decision(assessment["proposal"], assessment["title"], assessment["fund"], assessment["fund_name"],
                    assessment["policy_version"], assessment["decision_date"], assessment["outcome"], findings,
                    assessment.get("completion_deadline"), assessment.get("file"), assessment["lang"],
                    assessment.get("fund_grant"), assessment.get("fund_grant_per_year"), assessment.get("savings"),
                    assessment.get("sensitivity"), assessment.get("evidence"))


def latest_version(conn: Connection, case: Row) -> dict[str, Any]:
    return versions_of(conn, case)[-1]


def versions_of(conn: Connection, case: Row) -> list[dict[str, Any]]:
    v, d = t.case_versions.c, t.decisions.c
    rows = conn.execute(select(v.version, v.received_on, v.file, v.decision, v.assessment, d.input_sha256, d.input,
                               d.outcome, d.snapshot, d.policy_version).join(t.decisions, d.id == v.decision)
                        .where(v.case_id == case.id).order_by(v.version)).fetchall()
    out = []
    for r in rows:
        row = dict(r._mapping)
        row["assessment"] = json.loads(row["assessment"])
        out.append(row)
    return out


