"""The funds an account serves, each with its ledger per budget year and the chart of its
money; the ledger and the register as CSV or XLSX."""
from __future__ import annotations

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from governance.board.export import as_csv, as_xlsx, ledger_tables, register_tables, state_word
from governance.board.ledger import fund_ledger
from governance.errors import FundgovError
from governance.i18n import _, current_language
from governance.web.access import Access
from governance.web.chart import ledger_chart
from governance.web.common import access, blocking, not_found, render, workplace
from governance.web.pages.decisions import fund_names, outcome_word
from governance.web.workplace import Workplace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger(place: Workplace, acc: Access, fund: str) -> dict:
    acc.fund(fund)
    if fund not in place.gov.policies.known():
        raise not_found()
    place.gov.policies.fund(fund)  # a fund left out as broken: its policy error (the page says why)
    on = place.today()
    with place.engine:
        return fund_ledger(place.register, place.gov.followup_rules(), fund, on)


async def funds_page(request: Request):
    acc = await access(request)
    place = workplace(request)
    names = fund_names(place)
    return render(request, "funds.html", {"funds": [(f, names.get(f, f)) for f in sorted(acc.funds)]})


async def fund_page(request: Request):
    acc = await access(request)
    place = workplace(request)
    fund = request.path_params["fund"]
    data = await blocking(ledger, place, acc, fund)
    name = fund_names(place).get(fund, fund)
    chart = ledger_chart(data["years"], current_language(), _("The money of {fund} per budget year").format(fund=name))
    for p in data["projects"]:
        p["outcome_word"] = outcome_word(p["outcome"])
        for pay in p["payments"]:
            pay["state_word"] = state_word(pay["state"])
    return render(request, "fund.html", {"fund": fund, "name": name, "ledger": data, "chart": Markup(chart)})


async def ledger_export(request: Request):
    acc = await access(request)
    place = workplace(request)
    fund, fmt = request.path_params["fund"], request.path_params["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise not_found()
    data = await blocking(ledger, place, acc, fund)
    tables = ledger_tables(data)
    if fmt == "xlsx":
        body, media = await blocking(as_xlsx, tables), XLSX
    else:
        body, media = as_csv(next(iter(tables.values())), spreadsheet=True), "text/csv; charset=utf-8"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{fund}-ledger.{fmt}"'})


def _register_tables(place: Workplace, acc: Access) -> dict:
    from governance.documents.report import OUTCOME_WORDS

    words = {code: _(w) for code, w in OUTCOME_WORDS.items()}
    tables = register_tables(place.register, words, decided_only=True)
    return {name: (columns, acc.only(rows)) for name, (columns, rows) in tables.items()}


async def register_export(request: Request):
    acc = await access(request)
    place = workplace(request)
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise not_found()
    try:
        tables = await blocking(_register_tables, place, acc)
    except FundgovError:
        raise
    if fmt == "xlsx":
        body, media = await blocking(as_xlsx, tables), XLSX
    else:
        body, media = as_csv(next(iter(tables.values())), spreadsheet=True), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="register.{fmt}"'})


def routes() -> list[Route]:
    return [Route("/funds", funds_page), Route("/funds/{fund}", fund_page),
            Route("/funds/{fund}/ledger.{fmt}", ledger_export), Route("/register.{fmt}", register_export)]
