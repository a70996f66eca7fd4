"""fundgov register list|show|repayments|paid|export and verify: the decision register."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from governance.cli.common import (SPREADSHEET_OPT, DATABASE_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, LANG_OPT, POLICIES_OPT, REGISTER_OPT,
                                   RULES_OPT, Format, Lang, app, fail, language, load_governance, open_register,
                                   option_date)
from governance.errors import FundgovError, Problem, UsageError
from governance.i18n import _, ngettext
from governance.terminal import columns

register_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help=_("The decision register."))

app.add_typer(register_app, name="register")


class TableFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


class RegisterTable(str, Enum):
    decisions = "decisions"
    followups = "followups"
    repayments = "repayments"


def outcome_words(lang: str) -> dict[str, str]:
    from governance.wording import OUTCOME_WORDS
    from governance.i18n import in_language

    return {code: in_language(lang, words) for code, words in OUTCOME_WORDS.items()}


def money(amount: int | None, lang: str) -> str:
    from governance.wording import fmt_money

    return _("not given") if amount is None else fmt_money(amount, lang)


def repayment_line(r: dict, lang: str) -> str:
    """One instalment as a line: id, project, committee, year, due, repaid, outstanding."""
    capped = "  " + _("(capped)") if r.get("capped") else ""
    repaid, outstanding = _("repaid"), _("outstanding")
    return (f"  R{r['id']:<5} {r['proposal']:<16} {r['committee']:<26} {r['budget_year']}  "
            f"{money(r['amount_sek'], lang):>14}  {repaid} {money(r['paid_sek'], lang):>14}  "
            f"{outstanding} {money(r['outstanding_sek'], lang):>14}{capped}")


def parse_repayment_id(text: str) -> int:
    body = text[1:] if text[:1] in ("R", "r") else text
    if not body.isdigit():
        fail(UsageError(_("'{text}' is not a repayment id (such as R12)").format(text=text)), EXIT_USAGE)
    return int(body)


@register_app.command("list", help=_("The recorded decisions."))
def register_list(fund: Optional[str] = typer.Option(None, "--fund"), register: Optional[Path] = REGISTER_OPT,
                  database: Optional[str] = DATABASE_OPT, lang: Optional[Lang] = LANG_OPT) -> None:
    lang = language(lang)
    words = outcome_words(lang)
    with open_register(register, database) as reg:
        try:
            rows = reg.decisions(fund)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    heads = [_("id"), _("recorded"), _("fund"), _("application"), _("policy version"), _("decision date"),
             _("decision")]
    cells = [[str(row["id"]), row["recorded_at"].replace("T", " ")[:16], row["fund"], row["proposal"],
              row["policy_version"], row["decision_date"], words.get(row["outcome"], row["outcome"])] for row in rows]
    if cells:
        print("\n".join(columns(heads, cells, right={0})))
    raise typer.Exit(EXIT_OK)


@register_app.command("show", help=_(
    "One recorded decision, with its findings, what it was decided from, and the project's reports and "
    "repayments (as JSON)."))
def register_show(record: str = typer.Argument(..., metavar=_("ID"), help=_(
                      "the record's id in the register (or #ID), or an application's id (the fund's decision of it)")),
                  register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    with open_register(register, database) as reg:
        try:
            record = reg.decision(_record_id(reg, record))
            project = next((p for p in reg.projects(record["fund"]) if p["proposal"] == record["proposal"]), None)
            record["reports"] = [{k: r[k] for k in ("id", "kind", "period", "submitted", "file", "sha256",
                                                    "recorded_at")} for r in reg.reports(project["id"])] \
                if project else []
            record["repayments"] = [dict(r, id=f"R{r['id']}") for r in
                                    reg.repayments(record["fund"], proposal=record["proposal"])]
        except FundgovError as exc:
            fail(exc, EXIT_USAGE if "no decision" in str(exc) else EXIT_INPUT)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_OK)


def _record_id(reg, given: str) -> int:
    """A record's id: the number given, or the latest decision recorded of the application named."""
    text = given.strip()
    if text.startswith("#") and text[1:].isdigit():
        return int(text[1:])
    # an application's id first (ids are free text, and may be all digits): its fund's decision,
    # which for a case is its board's, not an assessment of one of its versions
    found = [d for d in reg.latest_decisions() if d["proposal"] == text]
    if not found and text.isdigit():
        return int(text)
    if not found:
        fail(UsageError(Problem(_("no decision of '{proposal}' in the register").format(proposal=text),
                                hint=_("give the record's id or an application's id, as fundgov register list shows "
                                       "them"))), EXIT_USAGE)
    funds = {d["fund"] for d in found}
    if len(funds) > 1:
        fail(UsageError(Problem(_("'{proposal}' is an application to more than one fund ({funds})").format(
            proposal=text, funds=", ".join(sorted(funds))), hint=_("give the record's id"))), EXIT_USAGE)
    return found[-1]["id"]


@register_app.command("repayments", help=_(
    "Every repayment instalment with its id: what each committee owes the fund per budget year."))
def register_repayments(
    fund: Optional[str] = typer.Option(None, "--fund"),
    due_by: Optional[str] = typer.Option(None, "--due-by", help=_("only instalments of budget years up to this day's "
                                                                   "(YYYY-MM-DD) or this year (YYYY)")),
    format: Format = typer.Option(Format.text, "--format"),
    register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT, lang: Optional[Lang] = LANG_OPT,
) -> None:
    lang = language(lang)
    year = None
    if due_by is not None:
        year = int(due_by) if due_by.isdigit() and len(due_by) == 4 else option_date(due_by, "--due-by").year
    with open_register(register, database) as reg:
        try:
            rows = reg.repayments(fund, year)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    if format is Format.json:
        print(json.dumps([dict(r, id=f"R{r['id']}") for r in rows], ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    for r in rows:
        print(repayment_line(r, lang))
    due, paid = sum(r["amount_sek"] for r in rows), sum(r["paid_sek"] for r in rows)
    print(ngettext("{n} repayment: {due} due, {paid} repaid, {outstanding} outstanding",
                   "{n} repayments: {due} due, {paid} repaid, {outstanding} outstanding", len(rows)).format(
        n=len(rows), due=money(due, lang), paid=money(paid, lang), outstanding=money(due - paid, lang)))
    raise typer.Exit(EXIT_OK)


@register_app.command("paid", help=_("Record that a repayment (or part of it) has been paid to the fund."))
def register_paid(repayment_id: str = typer.Argument(..., metavar=_("REPAYMENT"), help=_("the repayment's id, such as R12")),
                  amount: int = typer.Argument(..., min=1, metavar=_("AMOUNT"), help=_("whole kronor")),
                  date: Optional[str] = typer.Option(None, "--date", help=_("the day it was paid (default: today)")),
                  register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT,
                  lang: Optional[Lang] = LANG_OPT) -> None:
    lang = language(lang)
    number = parse_repayment_id(repayment_id)
    day = option_date(date)
    with open_register(register, database) as reg:
        try:
            row = reg.pay(number, amount, day, lang)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    print(_("recorded: {amount} repaid on {day} to R{id} ({proposal}, {committee}, budget year {year}); "
            "{paid} of {due} is repaid, {outstanding} outstanding").format(
        amount=money(amount, lang), day=day.isoformat(), id=row["id"], proposal=row["proposal"],
        committee=row["committee"], year=row["budget_year"], paid=money(row["paid_sek"], lang),
        due=money(row["amount_sek"], lang), outstanding=money(row["outstanding_sek"], lang)))
    raise typer.Exit(EXIT_OK)


@register_app.command("export", help=_("The register's decisions, follow-ups and repayments as CSV or XLSX."))
def register_export(
    format: TableFormat = typer.Option(TableFormat.csv, "--format", help=_("csv (one table) or xlsx (every table)")),
    table: RegisterTable = typer.Option(RegisterTable.decisions, "--table", help=_("the table a CSV holds")),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here (needed for xlsx)")),
    excel: bool = SPREADSHEET_OPT,
    register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT, lang: Optional[Lang] = LANG_OPT,
) -> None:
    from governance.board.export import as_csv, as_xlsx, register_tables

    lang = language(lang)
    if format is TableFormat.xlsx and out is None:
        fail(UsageError(_("an xlsx file needs -o FILE")), EXIT_USAGE)
    with open_register(register, database) as reg:
        try:
            tables = register_tables(reg, outcome_words(lang))
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    if format is TableFormat.xlsx:
        body: str | bytes = as_xlsx(tables)
    else:
        body = as_csv(list(tables.values())[list(RegisterTable).index(table)], spreadsheet=excel)
    write_or_print(body, out)
    raise typer.Exit(EXIT_OK)


def write_or_print(body: str | bytes, out: Optional[Path]) -> None:
    if out is None:
        sys.stdout.write(body if isinstance(body, str) else body.decode("utf-8"))
        return
    from governance.documents.letters import write_atomically

    try:
        write_atomically(out, body)
    except OSError as exc:
        fail(UsageError(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc)), EXIT_INPUT)
    print(_("written: {path}").format(path=out), file=sys.stderr)


@app.command(help=_("Re-decide every recorded proposal and report any that would now differ (exit 1)."))
def verify(
    current: bool = typer.Option(False, "--current", help=_("re-decide with today's rule and policy files instead "
                                                             "of the recorded ones")),
    register: Optional[Path] = REGISTER_OPT,
    database: Optional[str] = DATABASE_OPT,
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    from governance.board.verify import verify as run_verify

    gov = load_governance(rules, policies) if current else None
    with open_register(register, database) as reg:
        try:
            checked, differences, changed = run_verify(reg, gov.rulebook if gov else None)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    words = outcome_words(language(None)) | {"error": _("error")}
    for d in differences:
        print(f"{d.id:>5}  {d.proposal:<16} {words.get(d.recorded, d.recorded)} → {words.get(d.now, d.now)}  {d.detail}")
    if changed:
        print(ngettext("{n} record was decided with rule or policy files that have changed since",
                       "{n} records were decided with rule or policy files that have changed since",
                       len(changed)).format(n=len(changed)))
    print(_("{checked} re-decided, {n} differ").format(checked=checked, n=len(differences)))
    raise typer.Exit(EXIT_INPUT if differences else EXIT_OK)
