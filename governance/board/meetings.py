"""Board meetings (sammanträden): an agenda of proposed cases, the board's decisions and §§,
and the adjustment of the protocol (justering).

A meeting belongs to the fund's deciding body (``case.yaml``: a nämnd, the kommunstyrelse or
the regionstyrelse) on a day. Its agenda (föredragningslista) holds cases whose proposal for
decision is ready. At the meeting the board decides each item: as proposed, or otherwise in
its own words and with its reasons (a decision against the proposal, or a return of the
case to the administration, återremiss, must give them); the item gets the next § of the
body's year (or the § the secretary names), numbered once per body and year. A decision
with conditions sets the case's conditions. When the protocol is adjusted (justerat) the
decisions take effect: an approved case starts running, a rejected one is closed.

Dates are given: the meeting's own day is the decision day.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Row

from governance.board import schema as t
from governance.board.case_records import (GRANTED, CaseError, decision_of, find_case, move, now, outcome_word,
                                           plain, record_event, refuse, state_word, versions_of, who)
from governance.board.conditions import create_conditions
from governance.board.register import Register
from governance.engine.decision import Decision
from governance.errors import Problem, UsageError
from governance.i18n import _, use_language
from governance.policy.book import PolicyBook
from governance.wording import fmt_money

OUTCOMES = t.BOARD_OUTCOMES


def _meeting(conn: Connection, meeting: int | str) -> Row:
    text = str(meeting).strip().lstrip("Mm#")
    if not text.isdigit():
        raise UsageError(_("'{meeting}' is not a meeting number (such as 3 or M3)").format(meeting=meeting))
    row = conn.execute(select(t.meetings).where(t.meetings.c.id == int(text))).first()
    if row is None:
        raise UsageError(_("no meeting {meeting} in the register").format(meeting=text))
    return row


def _not_adjusted(meeting: Row) -> None:
    if meeting.adjusted_on is not None:
        raise CaseError(Problem(_("the protocol of meeting {meeting} ({date}) was adjusted on {day}: it is not "
                                  "changed any more").format(meeting=meeting.id, date=meeting.date,
                                                             day=meeting.adjusted_on)))


def new_meeting(register: Register, policies: PolicyBook, fund: str, on: dt.date, by: str,
                place: str | None = None) -> dict[str, Any]:
    """A meeting of the fund's deciding body on ``on``; returns it as ``show_meeting`` does."""
    by, place = who(by), plain(place, _("the place"), required=False, limit=200)
    spec = policies.fund(fund).case
    if spec is None:
        raise UsageError(_("the fund '{fund}' has no case.yaml in its policy folder: cases need its diarienummer "
                           "pattern and deciding body").format(fund=fund))
    m = t.meetings.c
    with register.db.writing() as conn:
        known = conn.execute(select(m.id).where(m.body == spec.body.id, m.date == on.isoformat())).first()
        if known is not None:
            raise CaseError(Problem(_("the body already meets on {date}: meeting {meeting}").format(
                date=on.isoformat(), meeting=known[0])))
        meeting = conn.execute(insert(t.meetings).values(fund=fund, body=spec.body.id, date=on.isoformat(),
                                                         place=place, created_by=by, recorded_at=now())
                               ).inserted_primary_key[0]
    return show_meeting(register, meeting, policies)


def add_to_agenda(register: Register, meeting: int | str, refs: Iterable[str], on: dt.date, by: str,
                  fund: str | None = None) -> dict[str, Any]:
    """Put cases whose proposal for decision is ready on the meeting's agenda, in the order given."""
    by = who(by)
    a = t.agenda_items.c
    with register.db.writing() as conn:
        row = _meeting(conn, meeting)
        _not_adjusted(row)
        if on.isoformat() > row.date:
            raise CaseError(Problem(_("meeting {meeting} was held on {date}: nothing is added to its agenda on "
                                      "{day}").format(meeting=row.id, date=row.date, day=on.isoformat())))
        for ref in refs:
            case = find_case(conn, ref, fund or row.fund)
            if case.fund != row.fund:
                raise CaseError(Problem(_("the case {case} belongs to the fund {fund}, not to this meeting's").format(
                    case=case.diarienummer, fund=case.fund)))
            if case.state != "proposed":
                raise refuse(case, "agenda", _("only a case proposed for decision is put on an agenda"))
            pending = conn.execute(select(a.meeting).where(a.case_id == case.id, a.state == "pending")).first()
            if pending is not None:
                raise CaseError(Problem(_("the case {case} is already on the agenda of meeting {meeting}").format(
                    case=case.diarienummer, meeting=pending[0])))
            position = (conn.execute(select(func.max(a.position)).where(a.meeting == row.id)).scalar() or 0) + 1
            latest = versions_of(conn, case)[-1]
            conn.execute(insert(t.agenda_items).values(
                meeting=row.id, case_id=case.id, position=position, version=latest["version"],
                proposed_outcome=latest["assessment"][case.lang]["outcome"], added_on=on.isoformat(), added_by=by,
                body=row.body, year=int(row.date[:4]), state="pending", recorded_at=now()))
            record_event(conn, case, "agenda", on, by, case.state, lambda: _(
                "on the agenda of the meeting of {date} (meeting {meeting}), item {position}").format(
                date=row.date, meeting=row.id, position=position), latest["version"])
    return show_meeting(register, row.id)


def proposal_wording(decision: Decision, outcome: str, fund_name: str, lang: str) -> str:
    """What the board decides, worded for "<body> decides to …", in the case's language."""
    with use_language(lang):
        if outcome == "returned":
            return _("return the case to the administration for further preparation")
        if outcome == "rejected":
            return _("reject the application for the project {title}").format(title=decision.title)
        amount = fmt_money(decision.fund_grant, lang) if decision.fund_grant is not None else None
        if amount is None:
            text = _("grant the project {title} money from {fund} as applied for").format(title=decision.title,
                                                                                        fund=fund_name)
        else:
            text = _("grant {amount} from {fund} to the project {title} as applied for").format(
                amount=amount, fund=fund_name, title=decision.title)
        if outcome == "approved_with_conditions":
            text += _(", on the conditions listed below")
        return text


def decide_item(register: Register, policies: PolicyBook, meeting: int | str, ref: str, by: str,
                outcome: str | None = None, wording: str | None = None, reasons: str | None = None,
                conditions: Iterable[str] = (), paragraph: int | None = None,
                fund: str | None = None) -> dict[str, Any]:
    """The board decides an agenda item at its meeting (the meeting's day is the decision day).

    Without ``outcome`` the board follows the proposal; with another outcome, or ``returned``
    (återremiss), it gives its ``reasons``. ``wording`` is the decision in the board's own words
    (else the proposal's); ``conditions`` are conditions of its own beside those the assessment
    found. Returns the item as decided."""
    by = who(by)
    wording = plain(wording, _("the wording of the decision"), required=False, single_line=False)
    reasons = plain(reasons, _("the reasons"), required=False, single_line=False)
    own = [plain(c, _("a condition"), single_line=False) for c in conditions]
    if outcome is not None and outcome not in OUTCOMES:
        raise UsageError(_("'{outcome}' is not a decision the board can make; it can decide: {outcomes}").format(
            outcome=outcome, outcomes=", ".join(OUTCOMES)))
    if paragraph is not None and paragraph < 1:
        raise UsageError(_("a § is a whole number from 1"))
    a = t.agenda_items.c
    with register.db.writing() as conn:
        row = _meeting(conn, meeting)
        _not_adjusted(row)
        case = find_case(conn, ref, fund or row.fund)
        item = conn.execute(select(t.agenda_items).where(a.meeting == row.id, a.case_id == case.id)).first()
        if item is None:
            raise CaseError(Problem(_("the case {case} is not on the agenda of meeting {meeting}").format(
                case=case.diarienummer, meeting=row.id)))
        if item.state != "pending":
            message = (_("item {position} ({case}) of meeting {meeting} is already decided") if item.state == "decided"
                       else _("item {position} ({case}) of meeting {meeting} is struck from the agenda"))
            raise CaseError(Problem(message.format(position=item.position, case=case.diarienummer, meeting=row.id)))
        if case.state != "proposed":
            raise refuse(case, "decide")
        chosen = outcome or item.proposed_outcome
        follows = chosen == item.proposed_outcome
        if chosen == "returned" and reasons is None:
            raise UsageError(_("a case returned to the administration needs the reasons for returning it"))
        if not follows and reasons is None:
            raise UsageError(_("the board does not follow the proposal ({proposed}): give its reasons").format(
                proposed=outcome_word(item.proposed_outcome)))
        if own and chosen != "approved_with_conditions":
            raise UsageError(_("conditions belong to a decision with conditions (approved_with_conditions)"))
        version = next(v for v in versions_of(conn, case) if v["version"] == item.version)
        decision = decision_of(version["assessment"][case.lang])
        fund_name = getattr(policies.fund(case.fund).version_at(dt.date.fromisoformat(decision.policy_version)).name,
                            case.lang)
        text = wording or proposal_wording(decision, chosen, fund_name, case.lang)
        if paragraph is None:
            paragraph = (conn.execute(select(func.max(a.paragraph)).where(a.body == item.body, a.year == item.year))
                         .scalar() or 0) + 1
        else:
            taken = conn.execute(select(t.agenda_items.c.meeting).where(
                a.body == item.body, a.year == item.year, a.paragraph == paragraph)).first()
            if taken is not None:
                raise CaseError(Problem(_("§ {paragraph} of {year} is already given (meeting {meeting})").format(
                    paragraph=paragraph, year=item.year, meeting=taken[0])))
        day = dt.date.fromisoformat(row.date)
        conn.execute(update(t.agenda_items).where(a.id == item.id).values(
            state="decided", paragraph=paragraph, decided_outcome=chosen, wording=text, reasons=reasons,
            follows_proposal=follows, decided_by=by))
        proposed = item.proposed_outcome

        def why() -> str:
            text = _("§ {paragraph} at the meeting of {date}: {decision}").format(
                paragraph=paragraph, date=row.date, decision=outcome_word(chosen))
            if not follows:
                text += " " + _("(against the proposal: {proposed})").format(proposed=outcome_word(proposed))
            return text + (f" – {reasons}" if chosen == "returned" else "")

        if chosen == "returned":
            move(conn, case, "in_preparation", day, by, why, "decide", item.version)
        else:
            case = move(conn, case, "decided", day, by, why, "decide", item.version, outcome=chosen)
            if chosen == "approved_with_conditions":
                create_conditions(conn, case, item.id, decision, own)
    return next(i for i in show_meeting(register, row.id)["items"] if i["diarienummer"] == case.diarienummer)


def adjust_protocol(register: Register, meeting: int | str, adjusted_on: dt.date, adjuster: str, by: str
                    ) -> dict[str, Any]:
    """The protocol is adjusted (justerat) on ``adjusted_on`` by the chair and ``adjuster``:
    its decisions take effect, an approved case starts running, a rejected one is closed."""
    by, adjuster = who(by), plain(adjuster, _("the adjuster"), limit=200)
    a = t.agenda_items.c
    with register.db.writing() as conn:
        row = _meeting(conn, meeting)
        _not_adjusted(row)
        if adjusted_on.isoformat() < row.date:
            raise CaseError(Problem(_("a protocol is adjusted after its meeting ({date}), not on {day}").format(
                date=row.date, day=adjusted_on.isoformat())))
        items = conn.execute(select(t.agenda_items).where(a.meeting == row.id).order_by(a.position)).fetchall()
        pending = [i for i in items if i.state == "pending"]
        if pending:
            case = conn.execute(select(t.cases.c.diarienummer).where(t.cases.c.id == pending[0].case_id)).scalar()
            raise CaseError(Problem(_("item {position} ({case}) of meeting {meeting} is not decided: decide it, or "
                                      "return it to the administration, before the protocol is adjusted").format(
                position=pending[0].position, case=case, meeting=row.id)))
        conn.execute(update(t.meetings).where(t.meetings.c.id == row.id).values(
            adjusted_on=adjusted_on.isoformat(), adjuster=adjuster))
        for item in items:
            if item.state != "decided" or item.decided_outcome == "returned":
                continue
            case = conn.execute(select(t.cases).where(t.cases.c.id == item.case_id)).one()
            if case.state != "decided":
                continue
            if item.decided_outcome in GRANTED:
                move(conn, case, "running", adjusted_on, by, lambda item=item: _(
                    "the protocol of {date} § {paragraph} was adjusted on {day}: the decision takes effect").format(
                    date=row.date, paragraph=item.paragraph, day=adjusted_on.isoformat()), "run", item.version)
            else:
                move(conn, case, "closed", adjusted_on, by, lambda item=item: _(
                    "the protocol of {date} § {paragraph} was adjusted on {day}: the application is rejected and "
                    "the case closed").format(date=row.date, paragraph=item.paragraph,
                                              day=adjusted_on.isoformat()), "close", item.version)
    return show_meeting(register, row.id)


def show_meeting(register: Register, meeting: int | str, policies: PolicyBook | None = None) -> dict[str, Any]:
    """The meeting with its agenda: each item's case, the proposal, and what was decided."""
    a, c = t.agenda_items.c, t.cases.c
    with register.db.reading() as conn:
        row = _meeting(conn, meeting)
        items = conn.execute(select(t.agenda_items, c.diarienummer, c.proposal, c.title, c.lang,
                                    c.state.label("case_state")).join(t.cases, c.id == a.case_id)
                             .where(a.meeting == row.id).order_by(a.position)).fetchall()
    out = {"id": row.id, "fund": row.fund, "body": row.body, "date": row.date, "place": row.place,
           "adjusted_on": row.adjusted_on, "adjuster": row.adjuster, "created_by": row.created_by,
           "items": [{"position": i.position, "diarienummer": i.diarienummer, "proposal": i.proposal,
                      "title": i.title, "case_state": i.case_state, "case_state_word": state_word(i.case_state),
                      "state": i.state, "version": i.version, "proposed_outcome": i.proposed_outcome,
                      "proposed_word": outcome_word(i.proposed_outcome), "paragraph": i.paragraph,
                      "decided_outcome": i.decided_outcome,
                      "decided_word": outcome_word(i.decided_outcome) if i.decided_outcome else None,
                      "wording": i.wording, "reasons": i.reasons, "follows_proposal": i.follows_proposal,
                      "decided_by": i.decided_by, "added_on": i.added_on, "lang": i.lang} for i in items]}
    if policies is not None:
        fund = policies.fund(row.fund)
        out["body_name"] = {"sv": fund.letter.board.sv, "en": fund.letter.board.en} if fund.letter else None
        out["body_kind"] = fund.case.body.kind if fund.case else None
    return out


def list_meetings(register: Register, fund: str | None = None) -> list[dict[str, Any]]:
    m, a = t.meetings.c, t.agenda_items.c
    query = select(t.meetings).order_by(m.date, m.id)
    if fund:
        query = query.where(m.fund == fund)
    with register.db.reading() as conn:
        rows = conn.execute(query).fetchall()
        counts = {}
        for meeting, state, n in conn.execute(select(a.meeting, a.state, func.count()).group_by(a.meeting, a.state)):
            counts.setdefault(meeting, {})[state] = n
    return [{"id": r.id, "fund": r.fund, "body": r.body, "date": r.date, "place": r.place,
             "adjusted_on": r.adjusted_on, "items": sum(counts.get(r.id, {}).values()),
             "decided": counts.get(r.id, {}).get("decided", 0), "pending": counts.get(r.id, {}).get("pending", 0)}
            for r in rows]
