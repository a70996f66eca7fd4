"""fundgov fund status: the fund's ledger per budget year."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from governance.cli.common import (SPREADSHEET_OPT, DATABASE_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, LANG_OPT, REGISTER_OPT, Lang, app,
                                   fail, language, load_governance, open_register, option_date)
from governance.errors import FundgovError, PolicyError, UsageError
from governance.i18n import _, ngettext
from governance.terminal import columns

fund_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help=_("Funds: the ledger."))

app.add_typer(fund_app, name="fund")


class LedgerFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@fund_app.command("status", help=_(
    "The fund's ledger per budget year: capital, granted, paid out, withheld, repayments due, repaid, "
    "outstanding, uncommitted."))
def fund_status(
    fund: str = typer.Argument(..., metavar=_("FUND"), help=_("the fund's id, such as norrkoping")),
    date: Optional[str] = typer.Option(None, "--date", help=_("the ledger as of this day: nothing dated later "
                                                               "counts (default: today)")),
    year: Optional[int] = typer.Option(None, "--year", min=1900, max=2200, help=_("one budget year only")),
    format: LedgerFormat = typer.Option(LedgerFormat.text, "--format", help=_("text, json, csv or xlsx")),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here (needed for xlsx)")),
    excel: bool = SPREADSHEET_OPT,
    lang: Optional[Lang] = LANG_OPT,
    register: Optional[Path] = REGISTER_OPT,
    database: Optional[str] = DATABASE_OPT,
) -> None:
    from governance.board.export import as_csv, as_xlsx, ledger_tables
    from governance.board.ledger import fund_ledger
    from governance.cli.register import write_or_print

    lang = language(lang)
    day = option_date(date)
    if format is LedgerFormat.xlsx and out is None:
        fail(UsageError(_("an xlsx file needs -o FILE")), EXIT_USAGE)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        try:
            ledger = fund_ledger(reg, gov.followup_rules(), fund, day, year)
        except PolicyError as exc:
            fail(exc, EXIT_USAGE)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    if format is LedgerFormat.json:
        write_or_print(json.dumps(ledger, ensure_ascii=False, indent=2) + "\n", out)
    elif format is LedgerFormat.csv:
        write_or_print(as_csv(next(iter(ledger_tables(ledger).values())), spreadsheet=excel), out)
    elif format is LedgerFormat.xlsx:
        write_or_print(as_xlsx(ledger_tables(ledger)), out)
    else:
        write_or_print(ledger_text(ledger, gov.policies.fund(fund).name, lang), out)
    raise typer.Exit(EXIT_OK)


def ledger_text(ledger: dict, name, lang: str) -> str:
    from governance.board.export import state_word
    from governance.cli.register import money, outcome_words, repayment_line

    m = lambda v: money(v, lang)  # noqa: E731
    words = outcome_words(lang)
    lines = [_("{name} ({fund}) as of {date}").format(name=getattr(name, lang), fund=ledger["fund"],
                                                      date=ledger["date"])
             + (" – " + _("budget year {year}").format(year=ledger["year"]) if ledger["year"] else ""),
             "  " + _("capital").ljust(34) + m(ledger["capital_sek"]).rjust(16),
             "  " + _("granted").ljust(34) + m(ledger["totals"]["granted_sek"]).rjust(16) + "  " + ngettext(
                 "({approved} of {n} decision)", "({approved} of {n} decisions)", ledger["decisions"]).format(
                 approved=ledger["approved"], n=ledger["decisions"]),
             "  " + _("uncommitted").ljust(34) + m(ledger["uncommitted_sek"]).rjust(16), ""]
    heads = [_("budget year"), _("granted"), _("paid out"), _("withheld"), _("held"), _("still to pay"),
             _("repayment due"), _("repaid"), _("outstanding")]
    keys = ["granted_sek", "paid_out_sek", "withheld_sek", "held_sek", "to_pay_sek", "repayment_due_sek",
            "repaid_sek", "outstanding_sek"]
    rows = [*ledger["years"], dict(ledger["totals"], year=_("total"))]
    lines += columns(heads, [[str(row["year"]), *(m(row[k]) for k in keys)] for row in rows],
                     right=set(range(1, len(heads))), indent="  ")  # heads never run together
    lines.append("")
    lines.append(_("Projects"))
    projects = sorted(ledger["projects"], key=lambda p: p["proposal"])
    outcome_width = max([len(words.get(p["outcome"], p["outcome"])) for p in projects] or [0])
    for p in projects:
        lines.append(f"  {p['proposal']:<16} {words.get(p['outcome'], p['outcome']):<{outcome_width}}  "
                     f"{p['decision_date']}  {m(p['granted_sek']):>16}" + (f"  {p['case']}" if p.get("case") else ""))
        if p.get("conditions_untracked"):
            lines.append("      " + _("its conditions are not followed in the register (it was recorded with fundgov "
                                      "check --record, not as a case): its payments are reckoned as if they were met"))
        for pay in p["payments"]:
            state = state_word(pay["state"])
            detail = ""
            if pay["state"] == "paid":
                detail = _("on {day}").format(day=pay["paid_on"])
                if pay.get("held_since"):
                    detail += ", " + _("held from {since}, released when the last condition was met").format(
                        since=pay["held_since"])
                if pay["withheld_since"]:
                    detail += ", " + _("withheld from {since}, released when the report arrived").format(
                        since=pay["withheld_since"])
            elif pay["state"] == "held":
                detail = _("since {since}, until the decision's conditions are met").format(since=pay["held_since"])
            elif pay["state"] == "withheld":
                detail = _("since {since}, until the overdue report arrives").format(since=pay["withheld_since"])
            else:
                detail = _("on {day}").format(day=pay["pay_day"])
            lines.append(f"      {pay['year']}  {m(pay['amount_sek']):>16}  {state} {detail}")
    if ledger["committees"]:
        lines += ["", _("Repayment per committee and budget year")]
        repaid, outstanding = _("repaid"), _("outstanding")
        for c in ledger["committees"]:
            lines.append(f"  {c['committee']:<30} {c['year']}  {m(c['due_sek']):>16}  {repaid} "
                         f"{m(c['repaid_sek']):>16}  {outstanding} {m(c['outstanding_sek']):>16}")
    if ledger["repayments"]:
        lines += ["", _("Repayments (pay with fundgov register paid ID AMOUNT)")]
        lines += [repayment_line(r, lang) for r in ledger["repayments"]]
    for cap in ledger["caps"]:
        lines += ["", cap_text(cap, lang)]
    return "\n".join(lines) + "\n"


def cap_text(cap: dict, lang: str) -> str:
    from governance.cli.register import money

    m = lambda v: money(v, lang)  # noqa: E731
    text = _("{proposal}: the repayment cap of {cap} binds: {due} is due, {room} of room is left.").format(
        proposal=cap["proposal"], cap=m(cap["cap_sek"]), due=m(cap["due_sek"]), room=m(cap["room_left_sek"]))
    for report in cap["reports"]:
        shares = ", ".join(_("{committee} {due} (without the cap {without})").format(
            committee=s["committee"], due=m(s["due_sek"]), without=m(s["without_cap_sek"])) for s in report["shares"])
        text += "\n  " + _("Effect report for {period}: the room left was shared in proportion to what each committee "
                           "would owe without the cap: {shares}.").format(period=report["report_period"],
                                                                            shares=shares)
    return text
