"""Cases (ärenden): the inbox, one case with everything about it, and what a case officer
does with it — register an application, take in a completed one, propose it for decision,
mark a condition met, withdraw or close it — each one call on the case library
(governance.board.cases, conditions), which writes the case's history with who and when."""
from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from governance.board.case_records import STATES, state_word
from governance.board.cases import (close_case, complete_case, list_cases, open_case, propose_case, show_case,
                                    version_input, withdraw_case)
from governance.board.conditions import condition_met
from governance.errors import FundgovError, Problem
from governance.formats.limits import current as current_limits
from governance.i18n import _, current_language
from governance.web import form as forms
from governance.web.access import Access
from governance.web.actions import upload_text
from governance.web.common import (access, blocking, files, flash, form, not_found, redirect, render, text_fields,
                                   workplace)
from governance.web.pages.shared import as_yaml, form_context
from governance.web.pages.shared import day as parse_day
from governance.web.pages.decisions import LETTER_TYPES, fund_names, readable
from governance.web.workplace import Workplace

DOCUMENTS = ("html", "pdf", "md")


def inbox_rows(place: Workplace, acc: Access, fund: str | None, state: str | None, text: str | None,
               overdue: bool) -> list[dict]:
    rows = []
    for f in acc.chosen(fund):
        rows.extend(list_cases(place.register, f, [state] if state else None, place.today()))
    needle = (text or "").strip().lower()
    if needle:
        rows = [r for r in rows if needle in f"{r['diarienummer']} {r['proposal']} {r['title']}".lower()]
    if overdue:
        rows = [r for r in rows if r["deadline_passed"]]
    return sorted(rows, key=lambda r: (r["opened_on"], r["id"]), reverse=True)


async def inbox(request: Request):
    acc = await access(request)
    place = workplace(request)
    q = request.query_params
    fund = q.get("fund") if q.get("fund") in acc.funds else None
    state = q.get("state") if q.get("state") in STATES else None
    overdue = q.get("overdue") == "1"
    rows = await blocking(inbox_rows, place, acc, fund, state, q.get("q"), overdue)
    return render(request, "cases.html", {
        "rows": rows, "funds": sorted(acc.funds), "fund": fund, "state": state, "overdue": overdue,
        "q": q.get("q") or "", "states": [(s, state_word(s)) for s in STATES], "fund_names": fund_names(place)})


# ------------------------------------------------------------------------------ one case

def the_case(place: Workplace, acc: Access, number: int, followup: bool = False) -> dict:
    """The case as the library shows it, where the account may see it (else not found)."""
    try:
        case = show_case(place.register, f"#{number}", place.today(),
                         followup=place.gov.followup_rules() if followup else None)
    except FundgovError:
        raise not_found() from None
    return acc.record(case)


def case_view(place: Workplace, acc: Access, number: int) -> dict:
    with place.engine:
        case = the_case(place, acc, number, followup=True)
    loaded, text, version = version_input(place.register, f"#{number}", fund=case["fund"])
    project = next((p for p in place.register.projects(case["fund"]) if p["proposal"] == case["proposal"]), None)
    latest = case["versions"][-1] if case["versions"] else None
    return {
        "case": case, "latest": latest, "fields": readable(place, text, loaded.file),
        "reports": place.register.reports(project["id"]) if project else [],
        "repayments": place.register.repayments(case["fund"], proposal=case["proposal"]),
        "fund_name": fund_names(place).get(case["fund"], case["fund"]),
        "decided_items": [m for m in case["meetings"] if m["state"] == "decided"],
    }


async def case_page(request: Request):
    acc = await access(request)
    view = await blocking(case_view, workplace(request), acc, request.path_params["id"])
    return render(request, "case.html", view)


def _document(place: Workplace, acc: Access, number: int, kind: str, fmt: str, lang: str):
    from governance.documents.case_letters import render_case_letter
    from governance.documents.officer_report import render_officer_report

    case = the_case(place, acc, number)
    with place.engine:
        if kind == "letter":
            return render_case_letter(place.gov.rulebook, place.register, f"#{number}", fmt, lang, case["fund"])
        return render_officer_report(place.gov.rulebook, place.gov.followup_rules(), place.register, f"#{number}",
                                     fmt, lang, on=place.today(), fund=case["fund"])


def document_response(body, fmt: str, name: str, inline: bool) -> Response:
    headers = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                          "frame-ancestors 'self'"}
    if not inline:
        headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return Response(body, media_type=LETTER_TYPES[fmt], headers=headers)


async def case_document(request: Request):
    acc = await access(request)
    kind, fmt = request.path_params["kind"], request.path_params["fmt"]
    lang = request.query_params.get("lang") or current_language()
    if kind not in ("letter", "report") or fmt not in DOCUMENTS or lang not in ("sv", "en"):
        raise not_found()
    number = request.path_params["id"]
    try:
        body = await blocking(_document, workplace(request), acc, number, kind, fmt, lang)
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect(f"/cases/{number}")
    name = {"letter": "beslut" if lang == "sv" else "decision", "report": "tjansteskrivelse" if lang == "sv"
            else "officers-report"}[kind]
    inline = fmt == "html" and not request.query_params.get("download")
    return document_response(body, fmt, f"{name}-{number}", inline)


# ------------------------------------------------------------------------------ actions

def _opened(place: Workplace, acc: Access, text: str, name: str, on: dt.date, lang: str) -> dict:
    from governance.formats.loader import parse_proposal

    acc.change()
    loaded = parse_proposal(text, name)
    if loaded.model.fund not in acc.funds:
        raise FundgovError(loaded.source.problem(("fund",), _(
            "you do not work for the fund '{fund}': only the funds of your account are decided here").format(
            fund=loaded.model.fund)))
    with place.engine:
        return open_case(place.register, place.gov.rulebook, text, name, on, acc.person, None, lang)


def open_from_upload(place: Workplace, acc: Access, text: str, name: str, on: dt.date) -> dict:
    """An application uploaded or typed: a new case, assessed at once."""
    return _opened(place, acc, text, name, on, current_language())


def _completed(place: Workplace, acc: Access, number: int, text: str, name: str, on: dt.date) -> dict:
    acc.change()
    case = the_case(place, acc, number)
    with place.engine:
        return complete_case(place.register, place.gov.rulebook, f"#{number}", text, name, on, acc.person,
                             None, case["fund"])


async def complete_upload(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    number = request.path_params["id"]
    data = await form(request)
    try:
        given = files(data, "file")
        if not given:
            raise FundgovError(Problem(_("choose at least one file"), field="file"))
        upload = given[0]
        name = (upload.filename or "komplettering.yaml").replace("\\", "/").rsplit("/", 1)[-1][:200]
        text = upload_text(name, await upload.read(current_limits().file_size + 1))
        await blocking(_completed, place, acc, number, text, name, place.today())
    except FundgovError as exc:
        view = await blocking(case_view, place, acc, number)
        return render(request, "case.html", view | {"problems": exc.problems}, 400)
    finally:
        await data.close()
    flash(request, _("The completed application is received as a new version and assessed again."))
    return redirect(f"/cases/{number}")


async def complete_form_page(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    number = request.path_params["id"]

    def prepare():
        case = the_case(place, acc, number)
        _loaded, text, _row = version_input(place.register, f"#{number}", fund=case["fund"])
        from governance.formats.yamlsource import parse_text

        return case, parse_text(text, "version").data
    case, data = await blocking(prepare)
    return render(request, "form.html", form_context(place, acc, forms.proposal_fields(data), [],
                                                     action=f"/cases/{number}/complete-form", case=case))


async def complete_form_submit(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    number = request.path_params["id"]
    data = await form(request)
    document = forms.proposal_document(text_fields(data))
    if data.get("add_row"):  # one more row to fill in: the form again, nothing received
        case = await blocking(the_case, place, acc, number)
        return render(request, "form.html", form_context(place, acc, forms.proposal_fields(document), [],
                                                         action=f"/cases/{number}/complete-form", case=case,
                                                         added=str(data["add_row"])))
    try:
        await blocking(_completed, place, acc, number, as_yaml(document), "komplettering.yaml", place.today())
    except FundgovError as exc:
        case = await blocking(the_case, place, acc, number)
        return render(request, "form.html", form_context(place, acc, forms.proposal_fields(document), exc.problems,
                                                         action=f"/cases/{number}/complete-form", case=case), 400)
    flash(request, _("The completed application is received as a new version and assessed again."))
    return redirect(f"/cases/{number}")


ACTIONS = {"propose", "withdraw", "close"}


def _act(place: Workplace, acc: Access, number: int, action: str, reason: str | None) -> dict:
    acc.change()
    case = the_case(place, acc, number)
    by, on, fund, ref = acc.person, place.today(), case["fund"], f"#{number}"
    if action == "propose":
        return propose_case(place.register, ref, on, by, reason, fund)
    if action == "withdraw":
        return withdraw_case(place.register, ref, on, by, reason, fund)
    return close_case(place.register, ref, on, by, reason, fund)


async def case_action(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    number, action = request.path_params["id"], request.path_params["action"]
    if action not in ACTIONS:
        raise not_found()
    data = await form(request)
    reason = str(data.get("reason") or "").strip() or None
    try:
        case = await blocking(_act, place, acc, number, action, reason)
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect(f"/cases/{number}")
    flash(request, _("The case {case} is now: {state}.").format(case=case["diarienummer"], state=case["state_word"]))
    return redirect(f"/cases/{number}")


def _condition(place: Workplace, acc: Access, number: int, condition: int, evidence: str, on: dt.date) -> dict:
    acc.change()
    case = the_case(place, acc, number)
    return condition_met(place.register, f"#{number}", condition, on, evidence, acc.person, case["fund"])


async def condition_submit(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    number, condition = request.path_params["id"], request.path_params["n"]
    data = await form(request)
    day = parse_day(str(data.get("date") or ""), place.today())
    try:
        if day is None:
            raise FundgovError(Problem(_("the date must be a day as YYYY-MM-DD")))
        done = await blocking(_condition, place, acc, number, condition, str(data.get("evidence") or ""), day)
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect(f"/cases/{number}")
    flash(request, _("Condition {number} is met; {unmet} left unmet.").format(number=condition, unmet=done["unmet"]))
    return redirect(f"/cases/{number}")


def routes() -> list[Route]:
    return [Route("/", inbox), Route("/cases", inbox), Route("/cases/{id:int}", case_page),
            Route("/cases/{id:int}/{kind}.{fmt}", case_document),
            Route("/cases/{id:int}/complete", complete_upload, methods=["POST"]),
            Route("/cases/{id:int}/complete-form", complete_form_page, methods=["GET"]),
            Route("/cases/{id:int}/complete-form", complete_form_submit, methods=["POST"]),
            Route("/cases/{id:int}/conditions/{n:int}", condition_submit, methods=["POST"]),
            Route("/cases/{id:int}/{action}", case_action, methods=["POST"])]
