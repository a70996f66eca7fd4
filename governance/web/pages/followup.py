"""The follow-up overview: every project of the account's funds that has a report overdue, a
payment withheld or held for unmet conditions, is under review, or owes a repayment in the coming budget year; and a
repayment received, recorded."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from governance.board.portfolio import portfolio
from governance.errors import FundgovError
from governance.i18n import _, current_language
from governance.web.access import Access
from governance.web.actions import pay_repayment
from governance.web.common import access, blocking, flash, form, redirect, render, workplace
from governance.web.pages.shared import day as parse_day
from governance.web.pages.decisions import fund_names, outcome_word
from governance.web.workplace import Workplace
from governance.wording import fmt_money


def overview(place: Workplace, acc: Access, fund: str | None) -> list[dict]:
    out = []
    on = place.today()
    with place.engine:
        for f in acc.chosen(fund):
            for status in portfolio(place.register, place.gov.followup_rules(), on, f, current_language()):
                row = status.as_json()
                # each project leads to its case (a decision of the board), else to its decision record
                row["link"] = (f"/cases/{status.case}" if status.case is not None
                               else f"/decisions/{status.record}" if status.record is not None else None)
                row["outcome_word"] = outcome_word(row["outcome"])
                row["attention"] = bool(row["overdue"] or row["payment_withheld"] or row["held_for_conditions"]
                                        or row["under_review"]
                                        or row["coming_repayments"] or row["problem"])
                out.append(row)
    return out


async def followup_page(request: Request):
    acc = await access(request)
    place = workplace(request)
    fund = request.query_params.get("fund") or None
    if fund and fund not in acc.funds:
        fund = None
    rows = await blocking(overview, place, acc, fund)
    show_all = request.query_params.get("all") == "1"
    repayments = await blocking(lambda: [r for f in acc.chosen(fund) for r in place.register.repayments(f)
                                         if r["outstanding_sek"] > 0])
    return render(request, "followup.html", {
        "rows": rows if show_all else [r for r in rows if r["attention"]], "all": show_all, "fund": fund,
        "funds": sorted(acc.funds), "repayments": repayments, "fund_names": fund_names(place)})


async def repayment_paid(request: Request):
    acc = await access(request)
    place = workplace(request)
    data = await form(request)
    instalment = request.path_params["id"]
    try:
        amount = int(str(data.get("amount") or "").replace(" ", "").replace("\u00a0", ""))
        day = parse_day(str(data.get("date") or ""), place.today())
        if day is None:
            raise ValueError
    except ValueError:
        flash(request, _("write the amount in whole kronor and the day as YYYY-MM-DD"), "error")
        return redirect("/follow-up")
    try:
        row = await blocking(pay_repayment, place, acc, instalment, amount, day, current_language())
    except FundgovError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect("/follow-up")
    flash(request, _("Recorded: {amount} repaid to R{id}.").format(amount=fmt_money(amount, current_language()),
                                                                  id=row["id"]))
    return redirect("/follow-up")


def routes() -> list[Route]:
    return [Route("/follow-up", followup_page),
            Route("/repayments/{id:int}/paid", repayment_paid, methods=["POST"])]
