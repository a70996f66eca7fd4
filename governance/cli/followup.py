"""fundgov follow-up: reports, withheld payments, review and repayment; one project or the portfolio."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from governance.cli.common import (say_held_reports, DATABASE_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, LANG_OPT, LIMIT_OPT, REGISTER_OPT,
                                   Format, Lang, LetterFormat, input_limits, app, fail, language, load_governance, open_register, option_date,
                                   register_target)
from governance.errors import FundgovError, UsageError
from governance.i18n import N_, _, ngettext

SEVERITY_WORDS = {"withhold": N_("payment withheld"), "review": N_("review"), "repay": N_("repayment"),
                  "notice": N_("notice"), "complete": N_("completion"), "refuse": N_("extension refused"),
                  "extend": N_("extension granted")}


@app.command("follow-up", help=_(
    "What is overdue, what is under review, and who repays how much in which budget year."))
def follow_up(
    proposal: Optional[Path] = typer.Argument(None, readable=False, metavar=_("PROPOSAL"), help=_("the proposal file (not with --from-register)")),
    reports: Optional[List[Path]] = typer.Argument(None, readable=False, metavar=_("REPORTS"), help=_("its follow-up reports (format follow-up/1) that the "
                                                                "register does not hold yet")),
    date: Optional[str] = typer.Option(None, "--date", help=_("judge as of this day (default: today)")),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Optional[Lang] = LANG_OPT,
    record: bool = typer.Option(False, "--record", help=_("record the reports and the result in the register")),
    from_register: bool = typer.Option(False, "--from-register", help=_("every project the register holds: what is "
                                                                        "overdue, under review, and due next year")),
    fund: Optional[str] = typer.Option(None, "--fund", help=_("with --from-register: one fund only")),
    register: Optional[Path] = REGISTER_OPT,
    database: Optional[str] = DATABASE_OPT,
    letter: Optional[Path] = typer.Option(None, "--letter", help=_("also write the notice as a letter to this file")),
    letter_format: LetterFormat = typer.Option(LetterFormat.md, "--letter-format", help=_("md, html or pdf")),
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    input_limits(limit)
    lang = language(lang)
    day = option_date(date)
    if from_register:
        if proposal is not None or record or letter is not None:
            fail(UsageError(_("--from-register takes no files, --record or --letter")), EXIT_USAGE)
        _portfolio(day, lang, fund, format, register, database)
    if proposal is None:
        fail(UsageError(_("name a proposal file, or use --from-register")), EXIT_USAGE)
    from governance.board.database import RegisterError
    from governance.board.register import Register
    from governance.board.tracking import follow_up as run, read_proposal, read_report

    gov = load_governance(None, None)
    rules = gov.followup_rules()
    try:
        loaded, text = read_proposal(proposal)
        given = [read_report(r) for r in reports or []]
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    failures: list[FundgovError] = []
    result = None
    if record or register is not None or database is not None:
        try:
            with Register(register_target(register, database), create=record) as reg:
                result = run(rules, loaded, text, given, day, lang, reg, record)
        except RegisterError as exc:
            failures.append(exc)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    if result is None:
        try:
            result = run(rules, loaded, text, given, day, lang)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    if format is Format.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result_text(result, rules, lang), end="")
    if letter is not None:
        try:
            from governance.documents.letters import Letters, write_atomically

            write_atomically(letter, Letters(gov.rulebook).render_followup(loaded, result, lang, letter_format.value))
        except OSError as exc:
            failures.append(UsageError(_("cannot write {path}: {reason}").format(path=letter,
                                                                                 reason=exc.strerror or exc)))
        except FundgovError as exc:
            failures.append(exc)
    if record and not failures:
        say_held_reports(result)
        print(_("recorded in {register}").format(register=register_target(register, database)), file=sys.stderr)
    for exc in failures:
        for problem in exc.problems:
            print(f"fundgov: {problem}", file=sys.stderr)
    raise typer.Exit(EXIT_INPUT if failures else EXIT_OK)


def result_text(result, rules, lang: str) -> str:
    from governance.cli.fund import cap_text
    from governance.cli.register import money

    lines = [_("{proposal} ({fund}, policy version {version}), as of {date}").format(
        proposal=result.proposal, fund=result.fund, version=result.policy_version, date=result.date)]
    if result.withheld:
        payment = result.next_payment
        which = f" ({payment.year}: {money(payment.amount_sek, lang)})" if payment else ""
        lines.append("  " + _("NEXT PAYMENT WITHHELD") + which)
    if result.under_review:
        lines.append("  " + _("PROJECT UNDER REVIEW"))
    for n in result.notices:
        lines.append(f"  {n.clause:<5} {_(SEVERITY_WORDS[n.severity]):<22} {n.message}")
    if result.repayments:
        lines.append("  " + _("Repayment per committee and budget year:"))
        for r in result.repayments:
            ident = f"R{r.id}" if r.id is not None else "–"
            lines.append(f"    {ident:<7} {r.committee:<30} {r.budget_year}  {money(r.amount_sek, lang):>16}")
    for c in result.capped:
        cap = {"proposal": result.proposal, "cap_sek": c.cap_sek, "due_sek": c.cap_sek - c.room_sek
               + sum(a for _c, _u, a in c.shares), "reports": [{"report_period": c.report_period, "shares": [
                   {"committee": k, "without_cap_sek": u, "due_sek": a} for k, u, a in c.shares]}]}
        cap["room_left_sek"] = c.cap_sek - cap["due_sek"]
        lines.append("  " + cap_text(cap, lang).replace("\n", "\n  "))
    return "\n".join(lines) + "\n"


def _portfolio(day, lang: str, fund: Optional[str], format: Format, register, database) -> None:
    from governance.board.portfolio import portfolio
    from governance.cli.register import money

    gov = load_governance(None, None)
    rules = gov.followup_rules()
    with open_register(register, database) as reg:
        try:
            statuses = portfolio(reg, rules, day, fund, lang)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
    if format is Format.json:
        print(json.dumps({"date": day.isoformat(), "projects": [s.as_json() for s in statuses]}, ensure_ascii=False,
                         indent=2))
        raise typer.Exit(EXIT_OK)
    kinds = rules.labels.value_words("report_kind")
    kind = lambda k: kinds.get(k, {}).get(lang, k) if kinds else k  # noqa: E731
    print(ngettext("Follow-up as of {date}: {n} project", "Follow-up as of {date}: {n} projects", len(statuses)).format(
        date=day.isoformat(), n=len(statuses)))
    for s in statuses:
        print(f"{s.proposal} ({s.fund})")
        if s.problem:
            print("  " + _("cannot be followed up: {problem}").format(problem=s.problem))
            continue
        for o in s.overdue:
            print("  " + ngettext("overdue: the {kind} report for {period}, due {due}, {days} day late",
                                  "overdue: the {kind} report for {period}, due {due}, {days} days late",
                                  o["days_late"]).format(kind=kind(o["report_kind"]), period=o["period"], due=o["due"],
                                                         days=o["days_late"]))
        for w in s.withheld:
            print("  " + _("payment withheld: {year}, {amount}, since {since}").format(
                year=w["year"], amount=money(w["amount_sek"], lang), since=w["since"]))
        for h in s.held:
            print("  " + _("payment held until the decision's conditions are met: {year}, {amount}, since {since}")
                  .format(year=h["year"], amount=money(h["amount_sek"], lang), since=h["since"]))
        if s.review:
            print("  " + _("under review since {since} (report for {period}: {enrolled} of {planned} reached)").format(
                since=s.review["since"], period=s.review["report_period"], enrolled=s.review["enrolled"],
                planned=s.review["planned"]))
        if s.review_ended:
            print("  " + _("review from {since} ended on {ended} ({enrolled} of {planned} reached)").format(
                **s.review_ended))
        for c in s.coming:
            print("  " + _("repayment due in {year}: R{id} {committee} {amount} (outstanding {outstanding})").format(
                year=c["budget_year"], id=c["id"], committee=c["committee"], amount=money(c["amount_sek"], lang),
                outstanding=money(c["outstanding_sek"], lang)))
        if not (s.overdue or s.review or s.review_ended or s.coming or s.withheld or s.held):
            print("  " + _("nothing overdue, nothing under review, nothing due next year"))
    raise typer.Exit(EXIT_OK)

