"""Board meetings: the meetings of the account's funds, a new meeting, and one meeting with its
agenda — cases proposed for decision put on it, the board pack, each item decided with its §
(as proposed, or in the board's own words with its reasons and conditions), the protocol
adjusted and the protocol excerpt of each §. Each action is one call on the meeting library
(governance.board.meetings), which writes the cases' history with who and when."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from governance.board.cases import list_cases
from governance.board.meetings import (OUTCOMES, add_to_agenda, adjust_protocol, decide_item, list_meetings,
                                       new_meeting, show_meeting)
from governance.errors import FundgovError, Problem
from governance.i18n import N_, _, current_language
from governance.web.access import Access
from governance.web.common import access, blocking, flash, form, not_found, redirect, render, workplace
from governance.web.pages.cases import DOCUMENTS, document_response
from governance.web.pages.shared import day as parse_day
from governance.web.pages.decisions import fund_names
from governance.web.workplace import Workplace


def the_meeting(place: Workplace, acc: Access, number: int) -> dict:
    try:
        meeting = show_meeting(place.register, number, place.gov.policies)
    except FundgovError:
        raise not_found() from None
    return acc.record(meeting)


async def meetings_page(request: Request):
    acc = await access(request)
    place = workplace(request)
    rows = await blocking(lambda: [m for f in acc.chosen(None) for m in list_meetings(place.register, f)])
    names = fund_names(place)
    return render(request, "meetings.html", {"rows": sorted(rows, key=lambda m: (m["date"], m["id"]), reverse=True),
                                             "funds": [(f, names.get(f, f)) for f in sorted(acc.funds)],
                                             "fund_names": names})


async def meeting_new(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    data = await form(request)
    fund = str(data.get("fund") or "")
    day = parse_day(str(data.get("date") or ""), place.today())
    try:
        acc.fund(fund)
        if day is None:
            raise FundgovError(Problem(_("the date must be a day as YYYY-MM-DD")))
        meeting = await blocking(new_meeting, place.register, place.gov.policies, fund, day, acc.person,
                                 str(data.get("place") or "").strip() or None)
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect("/meetings")
    return redirect(f"/meetings/{meeting['id']}")


#: what the deciding body may decide on an item, as the rest of "<body> decides to …"
DECIDE_WORDS = {"approved": N_("grant the application"),
                "approved_with_conditions": N_("grant the application with conditions"),
                "rejected": N_("reject the application"),
                "returned": N_("return the case to the administration")}


def meeting_view(place: Workplace, acc: Access, number: int) -> dict:
    meeting = the_meeting(place, acc, number)
    waiting = [c for c in list_cases(place.register, meeting["fund"], ["proposed"], place.today())
               if not any(i["diarienummer"] == c["diarienummer"] and i["state"] == "pending" for i in meeting["items"])]
    lang = current_language()
    body = (meeting.get("body_name") or {}).get(lang) or meeting["body"]
    cases = {c["diarienummer"]: c["id"] for c in list_cases(place.register, meeting["fund"])}
    for item in meeting["items"]:
        item["case_id"] = cases.get(item["diarienummer"])
    return {"meeting": meeting, "waiting": waiting, "body": body,
            "outcomes": [(o, _(DECIDE_WORDS[o])) for o in OUTCOMES],
            "fund_name": fund_names(place).get(meeting["fund"], meeting["fund"])}


async def meeting_page(request: Request):
    acc = await access(request)
    view = await blocking(meeting_view, workplace(request), acc, request.path_params["id"])
    return render(request, "meeting.html", view)


def _agenda(place: Workplace, acc: Access, number: int, refs: list[str]) -> dict:
    acc.change()
    meeting = the_meeting(place, acc, number)
    return add_to_agenda(place.register, number, refs, place.today(), acc.person, meeting["fund"])


def _decide(place: Workplace, acc: Access, number: int, ref: str, outcome: str | None, wording: str | None,
            reasons: str | None, conditions: list[str], paragraph: int | None) -> dict:
    acc.change()
    meeting = the_meeting(place, acc, number)
    return decide_item(place.register, place.gov.policies, number, ref, acc.person, outcome, wording,
                       reasons, conditions, paragraph, meeting["fund"])


def _adjust(place: Workplace, acc: Access, number: int, day, adjuster: str) -> dict:
    acc.change()
    the_meeting(place, acc, number)
    return adjust_protocol(place.register, number, day, adjuster, acc.person)


async def meeting_action(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    number, action = request.path_params["id"], request.path_params["action"]
    data = await form(request)
    try:
        if action == "agenda":
            refs = [str(r) for r in data.getlist("case") if str(r).strip()]
            if not refs:
                raise FundgovError(Problem(_("choose at least one case")))
            await blocking(_agenda, place, acc, number, refs)
            flash(request, _("The agenda is updated."))
        elif action == "decide":
            outcome = str(data.get("outcome") or "") or None
            paragraph = str(data.get("paragraph") or "").strip()
            if paragraph and not paragraph.isdigit():
                raise FundgovError(Problem(_("a § is a whole number from 1")))
            conditions = [c.strip() for c in str(data.get("conditions") or "").splitlines() if c.strip()]
            item = await blocking(_decide, place, acc, number, str(data.get("case") or ""), outcome,
                                  str(data.get("wording") or "").strip() or None,
                                  str(data.get("reasons") or "").strip() or None, conditions,
                                  int(paragraph) if paragraph else None)
            flash(request, _("§ {paragraph}: {case} decided ({outcome}).").format(
                paragraph=item["paragraph"], case=item["diarienummer"], outcome=item["decided_word"]))
        elif action == "adjust":
            day = parse_day(str(data.get("date") or ""), place.today())
            if day is None:
                raise FundgovError(Problem(_("the date must be a day as YYYY-MM-DD")))
            await blocking(_adjust, place, acc, number, day, str(data.get("adjuster") or ""))
            flash(request, _("The protocol is adjusted: the decisions take effect."))
        else:
            raise not_found()
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
    return redirect(f"/meetings/{number}")


def _paper(place: Workplace, acc: Access, number: int, kind: str, case: int | None, fmt: str, lang: str):
    from governance.documents.board_pack import render_board_pack
    from governance.documents.protocol import render_excerpt

    meeting = the_meeting(place, acc, number)
    with place.engine:
        if kind == "pack":
            return render_board_pack(place.gov.rulebook, place.gov.followup_rules(), place.register, number, fmt,
                                     lang)
        item = next((i for i in meeting["items"] if i.get("paragraph") and case is not None
                     and any(c["id"] == case and c["diarienummer"] == i["diarienummer"]
                             for c in list_cases(place.register, meeting["fund"]))), None)
        if item is None:
            raise not_found()
        return render_excerpt(place.gov.rulebook, place.register, number, item["diarienummer"], fmt, lang)


async def meeting_paper(request: Request):
    acc = await access(request)
    number, fmt = request.path_params["id"], request.path_params["fmt"]
    kind = request.path_params.get("kind", "excerpt")
    case = request.path_params.get("case")
    lang = request.query_params.get("lang") or current_language()
    if kind not in ("pack", "excerpt") or fmt not in DOCUMENTS or lang not in ("sv", "en"):
        raise not_found()
    try:
        body = await blocking(_paper, workplace(request), acc, number, kind, case, fmt, lang)
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect(f"/meetings/{number}")
    name = f"kallelse-{number}" if kind == "pack" else f"protokollsutdrag-{number}-{case}"
    return document_response(body, fmt, name, fmt == "html" and not request.query_params.get("download"))


def routes() -> list[Route]:
    return [Route("/meetings", meetings_page, methods=["GET"]), Route("/meetings", meeting_new, methods=["POST"]),
            Route("/meetings/{id:int}", meeting_page),
            Route("/meetings/{id:int}/{kind}.{fmt}", meeting_paper),
            Route("/meetings/{id:int}/excerpt/{case:int}.{fmt}", meeting_paper),
            Route("/meetings/{id:int}/{action}", meeting_action, methods=["POST"])]
