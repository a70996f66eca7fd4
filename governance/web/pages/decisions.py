"""The register's decisions: the list of the latest decision of every application (filterable),
one decision with the application made readable, its findings, letter, reports, repayments
and history, and its letter as a download."""
from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from governance.board.ledger import GRANTED
from governance.documents.report import OUTCOME_WORDS
from governance.errors import FundgovError
from governance.formats.loader import parse_proposal
from governance.i18n import N_, _, current_language
from governance.web import form as forms
from governance.web.access import Access
from governance.web.accounts import activity
from governance.web.actions import redecide
from governance.web.common import access, blocking, not_found, redirect, render, workplace
from governance.web.workplace import Workplace

OUTCOMES = tuple(OUTCOME_WORDS)
LETTER_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}


ACTIVITY_WORDS = {"decision.record": N_("decision recorded"), "report.record": N_("report recorded"),
                  "repayment.paid": N_("repayment received"), "account.add": N_("account made"),
                  "account.password": N_("password changed"), "account.disable": N_("account disabled"),
                  "account.enable": N_("account enabled"), "account.funds": N_("funds of the account changed"),
                  "login.locked": N_("account locked after wrong passwords"), "account.logout": N_("logged out")}


def activity_word(action: str) -> str:
    return _(ACTIVITY_WORDS[action]) if action in ACTIVITY_WORDS else action


def outcome_word(outcome: str | None) -> str:
    return _(OUTCOME_WORDS[outcome]) if outcome in OUTCOME_WORDS else (outcome or "–")


def latest(place: Workplace, acc: Access, fund: str | None, outcome: str | None, text: str | None) -> list[dict]:
    rows: list[dict] = []
    for f in acc.chosen(fund):
        rows.extend(place.register.latest_decisions(f))
    out = []
    needle = (text or "").strip().lower()
    for r in rows:
        if outcome and r["outcome"] != outcome:
            continue
        title = _title(r)
        if needle and needle not in f"{r['proposal']} {title}".lower():
            continue
        deadline = None
        if r["outcome"] == "completion_requested":
            deadline = next((f.get("due") for f in r["findings"] if f.get("due")), None) or _deadline(place, r)
        out.append({"id": r["id"], "fund": r["fund"], "proposal": r["proposal"], "title": title,
                    "decision_date": r["decision_date"], "outcome": r["outcome"],
                    "outcome_word": outcome_word(r["outcome"]), "deadline": deadline,
                    "grant": r["fund_grant_sek"] if r["outcome"] in GRANTED else None})
    return sorted(out, key=lambda r: (r["decision_date"], r["id"]), reverse=True)


def _title(record: dict) -> str:
    try:
        return parse_proposal(record["input"], record["proposal"]).model.title
    except FundgovError:
        return record["proposal"]


def _deadline(place: Workplace, record: dict) -> str | None:
    try:
        days = place.gov.policies.version(record["fund"], dt.date.fromisoformat(record["decision_date"])).params.get(
            "decision.completion_days")
    except FundgovError:
        return None
    return (dt.date.fromisoformat(record["decision_date"]) + dt.timedelta(days=days)).isoformat() if days else None


async def inbox(request: Request):
    acc = await access(request)
    place = workplace(request)
    q = request.query_params
    fund = q.get("fund") or None
    if fund and fund not in acc.funds:
        fund = None
    outcome = q.get("outcome") if q.get("outcome") in OUTCOMES else None
    rows = await blocking(latest, place, acc, fund, outcome, q.get("q"))
    return render(request, "decisions.html", {
        "rows": rows, "funds": sorted(acc.funds), "fund": fund, "outcome": outcome, "q": q.get("q") or "",
        "outcomes": [(o, outcome_word(o)) for o in OUTCOMES], "fund_names": fund_names(place)})


def fund_names(place: Workplace) -> dict[str, str]:
    lang = current_language()
    out = {}
    for fund in place.gov.policies.funds.values() if hasattr(place.gov.policies, "funds") else []:
        try:
            out[fund.id] = getattr(fund.version_at(max(place.today(), fund.in_force_from)).name, lang)
        except (FundgovError, AttributeError):
            out[fund.id] = fund.id
    return out


def fact_kinds(place) -> dict[str, str]:
    """Each fact's kind (share, months, money …), by name: how the application's values read."""
    return {name: fact.type.kind for name, fact in place.gov.rulebook.facts.items()}


def readable(place: Workplace, text: str, name: str) -> list[forms.Field]:
    """The application as labelled fields (the form's fields, read-only)."""
    from governance.formats.yamlsource import parse_text

    source = parse_text(text, name)
    fields = forms.proposal_fields(source.data if isinstance(source.data, dict) else {})
    for f in fields:
        if f.path == "fund":  # the fund by its name, as everywhere else on the page
            f.words = fund_names(place)
    forms.label_fields(fields, place.gov.rulebook.labels, current_language(), fact_kinds(place))
    return fields


def the_record(place: Workplace, acc: Access, record_id: int) -> tuple[dict, int | None]:
    """The register record (of a fund the account serves: else not found) and the case it
    belongs to, if any: a case's page, letters and decisions are the case's."""
    try:
        record = place.register.decision(record_id)
    except FundgovError:
        raise not_found() from None
    acc.record(record)
    return record, place.register.case_of(record["fund"], record["proposal"])


def decision_view(place: Workplace, record: dict) -> dict:
    project = next((p for p in place.register.projects(record["fund"]) if p["proposal"] == record["proposal"]), None)
    reports = place.register.reports(project["id"]) if project else []
    later = [d for d in place.register.decisions(record["fund"]) if d["proposal"] == record["proposal"]]
    return {
        "record": record, "outcome_word": outcome_word(record["outcome"]),
        "fields": readable(place, record["input"], record["file"] or record["proposal"]),
        "reports": reports, "versions": later,
        "repayments": place.register.repayments(record["fund"], proposal=record["proposal"]),
        "history": history(place, record),
        "granted": record["outcome"] in GRANTED,
        "fund_name": fund_names(place).get(record["fund"], record["fund"]),
    }


def history(place: Workplace, record: dict) -> list[dict]:
    """Every decision of the application and every change made to it in the workplace, oldest
    first: when, who (where the workplace recorded it; "–" for the command line) and what."""
    events = activity(place.register.db, [record["fund"]], record["proposal"])
    by_decision = {e["detail"].split(" ", 1)[0]: e for e in events
                   if e["action"] == "decision.record" and e["detail"]}
    out = []
    for d in place.register.decisions(record["fund"]):
        if d["proposal"] != record["proposal"]:
            continue
        e = by_decision.get(f"#{d['id']}")
        out.append({"at": e["at"] if e else d["recorded_at"], "actor": e["actor"] if e else "–",
                    "what": _("decision #{id} recorded: {outcome}").format(id=d["id"],
                                                                          outcome=outcome_word(d["outcome"]))})
    for e in events:
        if e["action"] != "decision.record":
            out.append({"at": e["at"], "actor": e["actor"], "what": f"{activity_word(e['action'])}: {e['detail']}"
                        if e["detail"] else activity_word(e["action"])})
    return sorted(out, key=lambda e: e["at"])


async def decision_page(request: Request):
    acc = await access(request)
    place = workplace(request)
    record, case = await blocking(the_record, place, acc, request.path_params["id"])
    if case is not None:  # an assessment or a decision of a case: shown (and its letter written) on the case
        return redirect(f"/cases/{case}")
    view = await blocking(decision_view, place, record)
    return render(request, "decision.html", view)


def letter_body(place: Workplace, record: dict, fmt: str, lang: str) -> bytes | str:
    from governance.documents.letters import Letters

    loaded, decision = redecide(place, record, lang)
    with place.engine:
        return Letters(place.gov.rulebook).render(loaded, decision, fmt)


async def letter(request: Request):
    acc = await access(request)
    fmt = request.path_params["fmt"]
    lang = request.query_params.get("lang") or current_language()
    if fmt not in LETTER_TYPES or lang not in ("sv", "en"):
        raise not_found()
    record_id = request.path_params["id"]
    place = workplace(request)
    record, case = await blocking(the_record, place, acc, record_id)
    if case is not None:  # the case's letter carries its diarienummer, meeting and §
        return redirect(f"/cases/{case}/letter.{fmt}?lang={lang}")
    body = await blocking(letter_body, place, record, fmt, lang)
    headers = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                          "frame-ancestors 'self'"}
    if fmt != "html" or request.query_params.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="beslut-{record_id}.{lang}.{fmt}"'
    return Response(body, media_type=LETTER_TYPES[fmt], headers=headers)


def routes() -> list[Route]:
    return [Route("/decisions", inbox), Route("/decisions/{id:int}", decision_page),
            Route("/decisions/{id:int}/letter.{fmt}", letter)]
