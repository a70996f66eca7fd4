"""Cases (ärenden): an application from its registration to a decided, running and closed case.

Registering a proposal opens a case with a diarienummer from the fund's pattern
(``policies/<fund>/case.yaml``: ``KS {year}/{serial}`` gives ``KS 2025/0123``), the serial
counted per fund and year and never given twice (``diarium_serials``, with unique
constraints behind it; writers take turns, database.py). A case moves through states::

    received → in preparation → (completion requested → in preparation …) → proposed
             → decided (the board's outcome) → running → closed;   or withdrawn

Every transition is recorded with its day, who did it and why; anything else is refused
with a message naming the state and the states the case may go on to. Each version of the
application (the first, and every completed one) is assessed by the engine on the day it is
received (the day is given, the clock never read): the assessment is an ordinary decision
row of the register (its input bytes, its snapshot of rule and policy files, its findings),
so ``fundgov verify`` re-makes it; the case keeps it in both languages for its documents.
While completion is requested the case tracks the deadline (§1, ``decision.completion_days``)
and says when it has passed.

Every public function takes and returns plain data (dicts of strings, numbers and lists), so
that the command line and the web workplace call the same functions; errors are
``FundgovError``s with a message for people.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Iterable

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Row

from governance.board import schema as t
from governance.board.case_records import (GRANTED, LANGUAGES, STATES, TRANSITIONS, CaseError, engine_version, find_case,
                                           move, now, outcome_word, plain, record_event, refuse, state_word,
                                           versions_of, who)
from governance.board.conditions import conditions_of
from governance.board.register import Register, sha256, snapshot
from governance.engine.decision import Decision
from governance.engine.figures import yearly_grants
from governance.engine.judge import decide
from governance.engine.rulebook import Rulebook
from governance.errors import InputError, Problem, UsageError
from governance.formats.loader import Loaded, parse_proposal
from governance.i18n import _, ngettext

# ------------------------------------------------------------------------------ assessments

def assess(rulebook: Rulebook, loaded: Loaded, on: dt.date) -> dict[str, Decision]:
    """The engine's decision on a version, on the day it was received, in both languages."""
    return {lang: decide(rulebook, loaded, on, lang) for lang in LANGUAGES}


def _assessment_json(decisions: dict[str, Decision]) -> str:
    return json.dumps({lang: d.as_json() | {"title": d.title, "fund_name": d.fund_name, "lang": d.lang}
                       for lang, d in decisions.items()}, ensure_ascii=False)


def _grants(loaded: Loaded) -> dict[int, int] | None:
    budget = loaded.model.budget or []
    return yearly_grants(budget) if all(r.fund_sek is not None for r in budget) else None


def _record_version(register: Register, conn: Connection, case: Row, number: int, loaded: Loaded, text: str,
                    decisions: dict[str, Decision], on: dt.date, digest: str, files: dict[str, str]) -> int:
    register.store_snapshot(conn, digest, files)
    when = now()
    did = register.insert_decision(conn, when, digest, loaded.file, text, decisions[case.lang], _grants(loaded),
                                   engine_version())
    conn.execute(insert(t.case_versions).values(case_id=case.id, version=number, received_on=on.isoformat(),
                                                file=loaded.file, decision=did,
                                                assessment=_assessment_json(decisions), recorded_at=when))
    return did


def _assessed_reason(decision: Decision, version: int) -> Callable[[], str]:
    clauses = ", ".join(dict.fromkeys(f.clause for f in decision.findings if f.severity != "note"))

    def worded() -> str:
        reason = _("version {version} assessed against the guidelines: {outcome}").format(
            version=version, outcome=outcome_word(decision.outcome))
        return reason + (f" ({clauses})" if clauses else "")
    return worded


def _after_assessment(conn: Connection, case: Row, decision: Decision, version: int, on: dt.date, by: str) -> Row:
    """A completion request where the assessment asks for one (with its deadline)."""
    if decision.outcome != "completion_requested":
        return case
    missing = ", ".join(dict.fromkeys(f.clause for f in decision.findings if f.severity == "complete"))
    return move(conn, case, "completion_requested", on, by, lambda: _(
        "completion of {clauses} requested by {deadline}").format(clauses=missing,
                                                                 deadline=decision.completion_deadline),
        "complete", version, completion_deadline=decision.completion_deadline)


# ------------------------------------------------------------------------------ the actions

def open_case(register: Register, rulebook: Rulebook, text: str, name: str, on: dt.date, by: str,
              reason: str | None = None, lang: str = "sv") -> dict[str, Any]:
    """Register an application (its text as read, its file name) received on ``on``: a new case
    with the next diarienummer, assessed at once (in preparation, or completion requested).

    Returns the case as ``show_case`` gives it."""
    by, reason = who(by), plain(reason, _("the reason"), required=False, single_line=False)
    if lang not in LANGUAGES:
        raise UsageError(_("the language of a case is sv or en, not {lang}").format(lang=lang))
    loaded = parse_proposal(text, name)
    p = loaded.model
    spec = rulebook.policies.fund(p.fund).case
    if spec is None:
        raise UsageError(_("the fund '{fund}' has no case.yaml in its policy folder: cases need its diarienummer "
                           "pattern and deciding body").format(fund=p.fund))
    decisions = assess(rulebook, loaded, on)
    digest, files = snapshot(rulebook.folder, rulebook.policies.folder)
    c = t.cases.c
    with register.db.writing() as conn:
        known = conn.execute(select(t.cases).where(c.fund == p.fund, c.proposal == p.id)).first()
        if known is not None:
            raise CaseError(loaded.source.problem(("id",), _(
                "the application {proposal} is already the case {case}: a completed application is a new version "
                "of it, received with fundgov case complete").format(proposal=p.id, case=known.diarienummer)))
        serial = next_serial(conn, p.fund, on.year)
        case_id = conn.execute(insert(t.cases).values(
            fund=p.fund, proposal=p.id, title=p.title, diarienummer=spec.number(on.year, serial), year=on.year,
            serial=serial, state="received", opened_on=on.isoformat(), lang=lang,
            recorded_at=now())).inserted_primary_key[0]
        case = conn.execute(select(t.cases).where(c.id == case_id)).one()
        record_event(conn, case, "state", on, by, "received", reason or (lambda: _("application registered")), 1)
        _record_version(register, conn, case, 1, loaded, text, decisions, on, digest, files)
        case = move(conn, case, "in_preparation", on, by, _assessed_reason(decisions[lang], 1), "complete", 1)
        _after_assessment(conn, case, decisions[lang], 1, on, by)
    return show_case(register, case_id, on)


def next_serial(conn: Connection, fund: str, year: int) -> int:
    """The next serial of the fund's diarium in ``year``, counted so that none is given twice
    (inside the write transaction; the unique constraints refuse a duplicate all the same)."""
    s = t.diarium_serials.c
    last = conn.execute(select(s.last_serial).where(s.fund == fund, s.year == year)).scalar()
    if last is None:
        conn.execute(insert(t.diarium_serials).values(fund=fund, year=year, last_serial=1))
        return 1
    conn.execute(update(t.diarium_serials).where(s.fund == fund, s.year == year).values(last_serial=last + 1))
    return last + 1


def complete_case(register: Register, rulebook: Rulebook, ref: str, text: str, name: str, on: dt.date, by: str,
                  reason: str | None = None, fund: str | None = None) -> dict[str, Any]:
    """A completed application received on ``on``: the next version of the case, assessed again
    (in preparation, or completion requested once more). A completion after the deadline is
    taken, and its lateness recorded."""
    by, reason = who(by), plain(reason, _("the reason"), required=False, single_line=False)
    loaded = parse_proposal(text, name)
    p = loaded.model
    decisions = assess(rulebook, loaded, on)
    digest, files = snapshot(rulebook.folder, rulebook.policies.folder)
    with register.db.writing() as conn:
        case = find_case(conn, ref, fund)
        if case.state != "completion_requested":
            raise refuse(case, "complete")
        if p.id != case.proposal or p.fund != case.fund:
            field, other, mine = (("id", p.id, case.proposal) if p.id != case.proposal else
                                  ("fund", p.fund, case.fund))
            raise InputError(loaded.source.problem((field,), _(
                "this application is {other}, but the case {case} is {mine}").format(other=other, case=case.diarienummer,
                                                                                     mine=mine)))
        v = t.case_versions.c
        versions = conn.execute(select(v.version, t.decisions.c.input_sha256).join(
            t.decisions, t.decisions.c.id == v.decision).where(v.case_id == case.id).order_by(v.version)).fetchall()
        same = next((n for n, digest_ in versions if digest_ == sha256(text)), None)
        if same is not None:
            raise CaseError(Problem(_("this is version {version} of the case {case} again, not a completed "
                                      "application").format(version=same, case=case.diarienummer), loaded.file))
        number = versions[-1][0] + 1
        deadline = case.completion_deadline

        def received() -> str:
            text = _("completion received as version {version}").format(version=number)
            if deadline and on.isoformat() > deadline:
                days = (on - dt.date.fromisoformat(deadline)).days
                text += "; " + ngettext("{n} day after the deadline {deadline}",
                                        "{n} days after the deadline {deadline}", days).format(n=days,
                                                                                               deadline=deadline)
            return text + (f" – {reason}" if reason else "")
        conn.execute(update(t.cases).where(t.cases.c.id == case.id).values(title=p.title))
        _record_version(register, conn, case, number, loaded, text, decisions, on, digest, files)
        case = move(conn, case, "in_preparation", on, by, received, "complete", number, completion_deadline=None)
        record_event(conn, case, "assessment", on, by, case.state, _assessed_reason(decisions[case.lang], number),
                     number)
        _after_assessment(conn, case, decisions[case.lang], number, on, by)
    return show_case(register, case.id, on)


def propose_case(register: Register, ref: str, on: dt.date, by: str, reason: str | None = None,
                 fund: str | None = None) -> dict[str, Any]:
    """The administration's proposal for decision is ready (the officer's report): the case
    can be put on a meeting's agenda. The proposal is the assessment of the latest version."""
    by, reason = who(by), plain(reason, _("the reason"), required=False, single_line=False)
    with register.db.writing() as conn:
        case = find_case(conn, ref, fund)
        if case.state != "in_preparation":
            raise refuse(case, "propose")
        latest = versions_of(conn, case)[-1]
        outcome = latest["assessment"][case.lang]["outcome"]
        if outcome == "completion_requested":
            raise refuse(case, "propose", _("its latest version lacks information: request completion first"))
        move(conn, case, "proposed", on, by, reason or (lambda: _("proposal for decision: {outcome}").format(
            outcome=outcome_word(outcome))), "propose", latest["version"])
    return show_case(register, case.id, on)


def withdraw_case(register: Register, ref: str, on: dt.date, by: str, reason: str,
                  fund: str | None = None) -> dict[str, Any]:
    """The applicant withdraws the application (återkallar): the case ends undecided; an agenda
    item not yet decided is struck from its meeting."""
    by, reason = who(by), plain(reason, _("the reason"), single_line=False)
    with register.db.writing() as conn:
        case = find_case(conn, ref, fund)
        move(conn, case, "withdrawn", on, by, reason, "withdraw", completion_deadline=None)
        a = t.agenda_items.c
        conn.execute(update(t.agenda_items).where(a.case_id == case.id, a.state == "pending").values(state="withdrawn"))
    return show_case(register, case.id, on)


def close_case(register: Register, ref: str, on: dt.date, by: str, reason: str | None = None,
               fund: str | None = None) -> dict[str, Any]:
    """Close a case: a running project when it is done, a decided case that does not run, or
    one whose completion did not arrive by its deadline (it is then closed without a decision
    on the merits, as the completion letter says)."""
    by, reason = who(by), plain(reason, _("the reason"), required=False, single_line=False)
    with register.db.writing() as conn:
        case = find_case(conn, ref, fund)
        if case.state == "completion_requested":
            if case.completion_deadline and on.isoformat() <= case.completion_deadline:
                raise refuse(case, "close", _("its completion deadline {deadline} has not passed").format(
                    deadline=case.completion_deadline))
            deadline = case.completion_deadline
            reason = reason or (lambda: _("no completion arrived by the deadline {deadline}: closed without a "
                                          "decision on the merits").format(deadline=deadline))
        if reason is None:
            raise UsageError(_("{what} must be given").format(what=_("the reason")))
        move(conn, case, "closed", on, by, reason, "close", completion_deadline=None)
    return show_case(register, case.id, on)


# ------------------------------------------------------------------------------ reading

def version_input(register: Register, ref: str, version: int | None = None, fund: str | None = None
                  ) -> tuple[Loaded, str, dict[str, Any]]:
    """A version of a case's application (the latest where none is named) as (loaded, text, version row)."""
    with register.db.reading() as conn:
        case = find_case(conn, ref, fund)
        rows = versions_of(conn, case)
    chosen = rows[-1] if version is None else next((r for r in rows if r["version"] == version), None)
    if chosen is None:
        raise UsageError(_("the case {case} has no version {version}").format(case=case.diarienummer, version=version))
    name = f"{case.diarienummer} v{chosen['version']} {chosen['file'] or case.proposal}"
    return parse_proposal(chosen["input"], name), chosen["input"], chosen


def _deadline(case: Row, on: dt.date | None) -> dict[str, Any] | None:
    if case.state != "completion_requested" or not case.completion_deadline:
        return None
    deadline = dt.date.fromisoformat(case.completion_deadline)
    over = (on - deadline).days if on is not None else 0
    return {"deadline": case.completion_deadline, "passed": over > 0, "days_over": max(over, 0),
            "days_left": max(-over, 0)}


def show_case(register: Register, ref: str | int, on: dt.date | None = None, fund: str | None = None,
              followup: Rulebook | None = None) -> dict[str, Any]:
    """Everything about a case as of ``on``: its state and what it may go on to, every version
    with its assessment, the history, its meetings and conditions, and the completion deadline.

    With the follow-up rules (``followup``) a granted case's project is followed up as of ``on``
    as well: its reports, the extensions granted or refused (7.3) and its end, which the
    history then shows beside the case's own events."""
    with register.db.reading() as conn:
        case = find_case(conn, ref, fund)
        versions = versions_of(conn, case)
        e = t.case_events.c
        events = conn.execute(select(t.case_events).where(e.case_id == case.id).order_by(e.seq)).fetchall()
        agenda = _agenda_of(conn, case)
        conditions = conditions_of(conn, case, on)
    lang = case.lang
    return {
        "id": case.id, "fund": case.fund, "diarienummer": case.diarienummer, "proposal": case.proposal,
        "title": case.title, "state": case.state, "state_word": state_word(case.state), "outcome": case.outcome,
        "outcome_word": outcome_word(case.outcome) if case.outcome else None, "opened_on": case.opened_on,
        "lang": lang, "as_of": on.isoformat() if on else None,
        "next_states": list(TRANSITIONS[case.state]),
        "completion": _deadline(case, on),
        "proposed_outcome": versions[-1]["assessment"][lang]["outcome"] if versions else None,
        "versions": [{"version": v["version"], "received_on": v["received_on"], "file": v["file"],
                      "sha256": v["input_sha256"], "decision": v["decision"], "snapshot": v["snapshot"],
                      "policy_version": v["policy_version"], "outcome": v["assessment"][lang]["outcome"],
                      "completion_deadline": v["assessment"][lang]["completion_deadline"],
                      "fund_grant": v["assessment"][lang]["fund_grant"],
                      "findings": [{k: f[k] for k in ("clause", "severity", "title", "message", "action", "due")}
                                   for f in v["assessment"][lang]["findings"]]} for v in versions],
        "history": [{"seq": ev.seq, "kind": ev.kind, "on": ev.on_day, "from_state": ev.from_state,
                     "to_state": ev.to_state, "from_word": state_word(ev.from_state) if ev.from_state else None,
                     "to_word": state_word(ev.to_state), "by": ev.actor, "reason": ev.reason, "version": ev.version,
                     "recorded_at": ev.recorded_at} for ev in events],
        "meetings": agenda,
        "conditions": conditions,
        "payments_held": any(c["met_on"] is None for c in conditions),
    } | _follow_up_view(register, followup, case, versions, agenda, on)


def _follow_up_view(register: Register, followup: Rulebook | None, case: Row, versions: list[dict],
                    agenda: list[dict], on: dt.date | None) -> dict[str, Any]:
    """The project's follow-up as of ``on`` (reports, extensions, end), and its events for the history."""
    decided = [m for m in agenda if m["state"] == "decided" and m["decided_outcome"] in GRANTED]
    if followup is None or not decided or on is None:
        return {"follow_up": None}
    from governance.board.followup import evaluate
    from governance.formats.loader import parse_report

    version = next(v for v in versions if v["version"] == decided[-1]["version"])
    loaded = parse_proposal(version["input"], f"{case.diarienummer} v{version['version']}")
    project = next((p for p in register.projects(case.fund) if p["proposal"] == case.proposal), None)
    stored = register.reports(project["id"]) if project else []
    reports = [parse_report(r["content"], r["file"] or f"register#{r['id']}") for r in stored
               if r["submitted"] <= on.isoformat()]
    result = evaluate(followup, loaded, reports, on, case.lang)
    events = [{"kind": "report", "on": r["submitted"], "report_kind": r["kind"], "period": r["period"],
               "file": r["file"]} for r in stored if r["submitted"] <= on.isoformat()]
    events += [{"kind": "extension", "on": x.submitted.isoformat(), "granted": x.granted, "months": x.months,
                "end_before": x.end_before.isoformat(), "end_after": x.end_after.isoformat(), "reason": x.reason}
               for x in result.extensions]
    return {"follow_up": {"end": result.end, "original_end": loaded.model.end.isoformat(),
                          "payment_withheld": result.withheld, "under_review": result.under_review,
                          "extensions": [x.as_json() for x in result.extensions],
                          "notices": [{"clause": n.clause, "severity": n.severity, "message": n.message}
                                      for n in result.notices],
                          "events": sorted(events, key=lambda e: e["on"])}}


def _agenda_of(conn: Connection, case: Row) -> list[dict[str, Any]]:
    a, m = t.agenda_items.c, t.meetings.c
    rows = conn.execute(select(a.meeting, m.date, m.body, m.adjusted_on, a.position, a.state, a.paragraph,
                               a.version, a.proposed_outcome, a.decided_outcome, a.wording, a.reasons,
                               a.follows_proposal, a.decided_by).join(t.meetings, m.id == a.meeting)
                        .where(a.case_id == case.id).order_by(m.date, a.meeting)).fetchall()
    return [dict(r._mapping, year=int(r.date[:4])) for r in rows]


def list_cases(register: Register, fund: str | None = None, states: Iterable[str] | None = None,
               on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every case (of a fund, in some states) as one row each: the inbox."""
    states = list(states or [])
    unknown = [s for s in states if s not in STATES]
    if unknown:
        raise UsageError(_("unknown case state '{state}'; the states are: {states}").format(
            state=unknown[0], states=", ".join(STATES)))
    c, v, e, a, m = t.cases.c, t.case_versions.c, t.case_events.c, t.agenda_items.c, t.meetings.c
    query = select(t.cases).order_by(c.fund, c.year, c.serial)
    if fund:
        query = query.where(c.fund == fund)
    if states:
        query = query.where(c.state.in_(states))
    with register.db.reading() as conn:
        rows = conn.execute(query).fetchall()
        counts = dict(conn.execute(select(v.case_id, func.count()).group_by(v.case_id)).fetchall())
        last = dict(conn.execute(select(e.case_id, func.max(e.on_day)).group_by(e.case_id)).fetchall())
        items = conn.execute(select(a.case_id, m.date, a.paragraph, a.state).join(t.meetings, m.id == a.meeting)
                             .order_by(m.date)).fetchall()
        unmet = dict(conn.execute(select(t.conditions.c.case_id, func.count())
                                  .where(t.conditions.c.met_on.is_(None)).group_by(t.conditions.c.case_id)).fetchall())
    meeting = {i.case_id: i for i in items}  # the latest meeting of each case
    out = []
    for case in rows:
        deadline = _deadline(case, on)
        item = meeting.get(case.id)
        out.append({
            "id": case.id, "fund": case.fund, "diarienummer": case.diarienummer, "proposal": case.proposal,
            "title": case.title, "state": case.state, "state_word": state_word(case.state), "outcome": case.outcome,
            "outcome_word": outcome_word(case.outcome) if case.outcome else None, "opened_on": case.opened_on,
            "versions": counts.get(case.id, 0), "last_event_on": last.get(case.id),
            "completion_deadline": deadline["deadline"] if deadline else None,
            "deadline_passed": bool(deadline and deadline["passed"]),
            "meeting_date": item.date if item else None,
            "paragraph": item.paragraph if item else None,
            "unmet_conditions": unmet.get(case.id, 0),
        })
    return out


def follow_up_case(register: Register, rules: Rulebook, ref: str, reports: list, on: dt.date, lang: str = "sv",
                   record: bool = False, fund: str | None = None):
    """Follow up a decided case's project on ``on`` with the reports the register holds and
    ``reports`` (``governance.board.register.ReportInput``; an ``extension`` in one asks to
    extend the project, 7.3); with ``record`` the new reports are recorded. Returns the
    ``FollowUpResult`` (``as_json()`` gives it as plain data)."""
    from governance.board.tracking import follow_up

    case = show_case(register, ref, on, fund)
    if case["outcome"] not in GRANTED or case["state"] not in ("decided", "running", "closed"):
        raise CaseError(Problem(_("the case {case} is in the state '{state}': only a granted project is followed up").format(
            case=case["diarienummer"], state=state_word(case["state"]))))
    decided = [m for m in case["meetings"] if m["state"] == "decided" and m["decided_outcome"] in GRANTED]
    loaded, text, _row = version_input(register, f"#{case['id']}", decided[-1]["version"] if decided else None)
    return follow_up(rules, loaded, text, reports, on, lang, register, record)
