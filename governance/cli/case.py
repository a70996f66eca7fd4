"""fundgov case open|show|list|complete|propose|withdraw|close|condition-met|officer-report|letter|follow-up.

Each command parses, calls one library function of ``governance.board.cases`` (or
``conditions``, or a document of ``governance.documents``) and prints what it returns. Who
did it is ``--by``, else ``$FUNDGOV_USER``, else the login name; the day is ``--date``,
else today (the edge reads the clock, the library never does).
"""
from __future__ import annotations

import getpass
import json
import os
from enum import Enum
from pathlib import Path
from typing import Callable, List, Optional, TypeVar

import typer

from governance.cli.common import (say_held_reports, SPREADSHEET_OPT, DATABASE_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, LANG_OPT, LIMIT_OPT, REGISTER_OPT,
                                   Format, Lang, LetterFormat, app, fail, input_limits, language, load_governance,
                                   open_register, option_date)
from governance.errors import FundgovError, PolicyError, UsageError
from governance.terminal import columns
from governance.i18n import _, ngettext

case_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                       help=_("Cases (ärenden): from a received application to a closed case."))
app.add_typer(case_app, name="case")

T = TypeVar("T")

BY_OPT = typer.Option(None, "--by", help=_("who does it (default: $FUNDGOV_USER, else the login name)"))
DATE_OPT = typer.Option(None, "--date", help=_("the day it happens, YYYY-MM-DD (default: today)"))
FUND_OPT = typer.Option(None, "--fund", help=_("the fund, where two funds' diarienummer look alike"))
CASE_ARG = typer.Argument(..., metavar=_("CASE"), help=_("the case: its diarienummer (\"KS 2025/0123\"), its proposal's id, or #N"))


class ListFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def actor(by: Optional[str]) -> str:
    """Who does it: --by, else $FUNDGOV_USER, else the login name."""
    if by:
        return by
    if os.environ.get("FUNDGOV_USER"):
        return os.environ["FUNDGOV_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        fail(UsageError(_("who does it is not known: give --by NAME or set $FUNDGOV_USER")), EXIT_USAGE)
        raise  # pragma: no cover


def attempt(call: Callable[[], T]) -> T:
    """The library call; its errors become messages and exit codes (2 usage, 1 refused or unreadable)."""
    try:
        return call()
    except (UsageError, PolicyError) as exc:
        fail(exc, EXIT_USAGE)
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    raise AssertionError("unreachable")  # pragma: no cover


def read_text(path: Path) -> tuple[str, str]:
    """A file's text as read (bytes kept) and its name; errors as placed messages (exit 1)."""
    from governance.board.register import read_input

    from governance.errors import display_path

    return attempt(lambda: read_input(path))[0], display_path(path)


def show(view: dict, format: Format) -> None:
    if format is Format.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
    else:
        print(case_text(view), end="")


def case_text(view: dict) -> str:
    """A case as a person reads it in a terminal."""
    from governance.board.case_records import outcome_word, state_word
    from governance.board.register import REPORT_WORDS

    lines = [f"{view['diarienummer']}  {view['title']} ({view['proposal']}, {view['fund']})",
             "  " + _("state: {state}").format(state=view["state_word"])
             + (f" ({view['outcome_word']})" if view["outcome_word"] else "")]
    if view["next_states"]:
        lines.append("  " + _("can go on to: {states}").format(
            states=", ".join(state_word(s) for s in view["next_states"])))
    c = view["completion"]
    if c:
        if c["passed"]:
            lines.append("  " + ngettext("completion requested by {deadline}: the deadline passed {n} day ago",
                                         "completion requested by {deadline}: the deadline passed {n} days ago",
                                         c["days_over"]).format(deadline=c["deadline"], n=c["days_over"]))
        else:
            lines.append("  " + ngettext("completion requested by {deadline} ({n} day left)",
                                         "completion requested by {deadline} ({n} days left)",
                                         c["days_left"]).format(deadline=c["deadline"], n=c["days_left"]))
    lines.append("  " + _("versions:"))
    for v in view["versions"]:
        clauses = ", ".join(dict.fromkeys(f["clause"] for f in v["findings"] if f["severity"] != "note"))
        lines.append(f"    {v['version']}  {v['received_on']}  {outcome_word(v['outcome'])}"
                     + (f" ({clauses})" if clauses else "") + (f"  {v['file']}" if v["file"] else ""))
    for m in view["meetings"]:
        if m["state"] == "decided":
            follows = _("as proposed") if m["follows_proposal"] else _("against the proposal: {proposed}").format(
                proposed=outcome_word(m["proposed_outcome"]))
            lines.append("  " + _("meeting {meeting} on {date}, § {paragraph}: {decision} ({follows})").format(
                meeting=m["meeting"], date=m["date"], paragraph=m["paragraph"],
                decision=outcome_word(m["decided_outcome"]), follows=follows))
        else:
            lines.append("  " + _("meeting {meeting} on {date}, item {position}: {state}").format(
                meeting=m["meeting"], date=m["date"], position=m["position"],
                state=_("on the agenda") if m["state"] == "pending" else _("struck from the agenda")))
    if view["conditions"]:
        lines.append("  " + _("conditions:"))
        for c in view["conditions"]:
            state = (_("met on {day}: {evidence}").format(day=c["met_on"], evidence=c["evidence"]) if c["met_on"]
                     else _("not met") + (" – " + _("past its due date {due}").format(due=c["due"])
                                           if c["overdue"] else ""))
            lines.append(f"    {c['number']}  {c['clause'] or '–':<5} {c['text']}"
                         + (" " + _("(by {due})").format(due=c["due"]) if c["due"] else "") + f"  [{state}]")
        if view["payments_held"]:
            lines.append("  " + _("payments are held until every condition is met"))
    follow = view.get("follow_up")
    if follow:
        if follow["end"] != follow["original_end"]:
            lines.append("  " + _("the project ends on {end} (extended from {original})").format(
                end=follow["end"], original=follow["original_end"]))
        if follow["payment_withheld"]:
            lines.append("  " + _("the next payment is withheld: a report is overdue"))
        if follow["under_review"]:
            lines.append("  " + _("the project is under review (7.2)"))
    history = [(h["on"], f"    {h['on']}  " + (f"{h['from_word']} → {h['to_word']}" if h["kind"] == "state" and
                                                h["from_word"] else h["to_word"]).ljust(44)
                + f" {h['by']:<16} {h['reason'] or ''}") for h in view["history"]]
    for e in (follow or {}).get("events", []):
        if e["kind"] == "report":
            text = _("{report} for {period} received").format(
                report=_(REPORT_WORDS.get(e["report_kind"], e["report_kind"])), period=e["period"])
        elif e["granted"]:
            text = ngettext("extension by {n} month granted: the project ends on {end}",
                            "extension by {n} months granted: the project ends on {end}", e["months"]).format(
                n=e["months"], end=e["end_after"])
        else:
            text = ngettext("extension by {n} month refused (7.3)", "extension by {n} months refused (7.3)",
                            e["months"]).format(n=e["months"])
        history.append((e["on"], f"    {e['on']}  {text}"))
    lines.append("  " + _("history:"))
    lines += [line.rstrip() for _day, line in sorted(history, key=lambda h: h[0])]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ commands

@case_app.command("open", help=_(
    "Register a received application: a new case with the next diarienummer, assessed at once."))
def case_open(
    file: Path = typer.Argument(..., readable=False, metavar=_("FILE"), help=_("the application (format proposal/1)")),
    date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT,
    reason: Optional[str] = typer.Option(None, "--reason", help=_("a note for the history")),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    from governance.board.cases import open_case

    input_limits(limit)
    lang = language(lang)
    day, who = option_date(date), actor(by)
    text, name = read_text(file)
    gov = load_governance(None, None)
    with open_register(register, database, create=True) as reg:
        view = attempt(lambda: open_case(reg, gov.rulebook, text, name, day, who, reason, lang))
    show(view, format)
    raise typer.Exit(EXIT_OK)


@case_app.command("show", help=_(
    "A case: its state, versions with their assessments, meetings, conditions and history."))
def case_show(case: str = CASE_ARG, date: Optional[str] = typer.Option(None, "--date", help=_(
              "as of this day: deadlines and conditions (default: today)")), fund: Optional[str] = FUND_OPT,
              format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
              register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.cases import show_case

    language(lang)
    day = option_date(date)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        view = attempt(lambda: show_case(reg, case, day, fund, gov.followup_rules()))
    show(view, format)
    raise typer.Exit(EXIT_OK)


@case_app.command("list", help=_("Every case as one line: the inbox, with state, deadline, meeting and outcome."))
def case_list(
    fund: Optional[str] = typer.Option(None, "--fund"),
    state: Optional[List[str]] = typer.Option(None, "--state", help=_(
        "only cases in this state (may be repeated): `received`, `in_preparation`, `completion_requested`, "
        "`proposed`, `decided`, `running`, `closed` or `withdrawn`")),
    date: Optional[str] = typer.Option(None, "--date", help=_("deadlines as of this day (default: today)")),
    format: ListFormat = typer.Option(ListFormat.text, "--format", help=_("text, json, csv or xlsx")),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here (needed for xlsx)")),
    excel: bool = SPREADSHEET_OPT,
    lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT,
) -> None:
    from governance.board.cases import list_cases
    from governance.board.export import as_csv, as_xlsx
    from governance.cli.register import write_or_print

    language(lang)
    day = option_date(date)
    if format is ListFormat.xlsx and out is None:
        fail(UsageError(_("an xlsx file needs -o FILE")), EXIT_USAGE)
    with open_register(register, database) as reg:
        rows = attempt(lambda: list_cases(reg, fund, state, day))
    if format is ListFormat.json:
        write_or_print(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", out)
    elif format in (ListFormat.csv, ListFormat.xlsx):
        table = (case_columns(), rows)
        write_or_print(as_csv(table, spreadsheet=excel) if format is ListFormat.csv else as_xlsx({_("Cases"): table}), out)
    else:
        heads = [_("diarienummer"), _("fund"), _("application"), _("state"), _("decision"), _("title")]
        cells = [[r["diarienummer"], r["fund"], r["proposal"], r["state_word"], r["outcome_word"] or "–",
                  r["title"] + ("  " + _("(completion overdue since {deadline})").format(
                      deadline=r["completion_deadline"]) if r["deadline_passed"] else "")] for r in rows]
        lines = columns(heads, cells) if cells else []
        lines.append(ngettext("{n} case", "{n} cases", len(rows)).format(n=len(rows)))
        write_or_print("\n".join(lines) + "\n", out)
    raise typer.Exit(EXIT_OK)


def case_columns() -> list[tuple[str, str]]:
    return [("diarienummer", _("diarienummer")), ("fund", _("fund")), ("proposal", _("proposal")),
            ("title", _("title")), ("state_word", _("state")), ("outcome_word", _("decision")),
            ("opened_on", _("registered")), ("versions", _("versions")),
            ("completion_deadline", _("completion deadline")), ("deadline_passed", _("deadline passed")),
            ("meeting_date", _("meeting")), ("paragraph", _("§")), ("unmet_conditions", _("unmet conditions")),
            ("last_event_on", _("last event"))]


@case_app.command("complete", help=_(
    "A completed application arrives: the next version of the case, assessed again."))
def case_complete(case: str = CASE_ARG, file: Path = typer.Argument(..., readable=False, metavar=_("FILE"), help=_("the completed application")),
                  date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT,
                  reason: Optional[str] = typer.Option(None, "--reason", help=_("a note for the history")),
                  fund: Optional[str] = FUND_OPT, format: Format = typer.Option(Format.text, "--format"),
                  lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT,
                  database: Optional[str] = DATABASE_OPT, limit: Optional[List[str]] = LIMIT_OPT) -> None:
    from governance.board.cases import complete_case

    input_limits(limit)
    language(lang)
    day, who = option_date(date), actor(by)
    text, name = read_text(file)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        view = attempt(lambda: complete_case(reg, gov.rulebook, case, text, name, day, who, reason, fund))
    show(view, format)
    raise typer.Exit(EXIT_OK)


def _simple(action: Callable, case: str, date: Optional[str], by: Optional[str], reason: Optional[str],
            fund: Optional[str], format: Format, lang: Optional[Lang], register, database) -> None:
    language(lang)
    day, who = option_date(date), actor(by)
    with open_register(register, database) as reg:
        view = attempt(lambda: action(reg, case, day, who, reason, fund))
    show(view, format)
    raise typer.Exit(EXIT_OK)


@case_app.command("propose", help=_(
    "The officer's report is ready: the case is proposed for decision (it can go on an agenda)."))
def case_propose(case: str = CASE_ARG, date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT,
                 reason: Optional[str] = typer.Option(None, "--reason", help=_("a note for the history")),
                 fund: Optional[str] = FUND_OPT, format: Format = typer.Option(Format.text, "--format"),
                 lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT,
                 database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.cases import propose_case

    _simple(propose_case, case, date, by, reason, fund, format, lang, register, database)


@case_app.command("withdraw", help=_("The applicant withdraws the application: the case ends without a decision."))
def case_withdraw(case: str = CASE_ARG,
                  reason: str = typer.Option(..., "--reason", help=_("why (the applicant's letter, say)")),
                  date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT, fund: Optional[str] = FUND_OPT,
                  format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
                  register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.cases import withdraw_case

    _simple(withdraw_case, case, date, by, reason, fund, format, lang, register, database)


@case_app.command("close", help=_("Close a case: a finished project, or a completion that never arrived."))
def case_close(case: str = CASE_ARG,
               reason: Optional[str] = typer.Option(None, "--reason", help=_("why (needed unless the completion "
                                                                              "deadline has passed)")),
               date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT, fund: Optional[str] = FUND_OPT,
               format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
               register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.cases import close_case

    _simple(close_case, case, date, by, reason, fund, format, lang, register, database)


@case_app.command("condition-met", help=_(
    "A condition of the decision is met: with every condition met, held payments are released."))
def case_condition_met(case: str = CASE_ARG, number: int = typer.Argument(..., min=1, metavar=_("NUMBER"), help=_(
                       "the condition's number, as the decision lists it")),
                       evidence: str = typer.Option(..., "--evidence", help=_("what shows the condition is met")),
                       date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT, fund: Optional[str] = FUND_OPT,
                       format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
                       register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.conditions import condition_met

    language(lang)
    day, who = option_date(date), actor(by)
    with open_register(register, database) as reg:
        done = attempt(lambda: condition_met(reg, case, number, day, evidence, who, fund))
    if format is Format.json:
        print(json.dumps(done, ensure_ascii=False, indent=2))
    else:
        print(_("{case}: condition {number} met on {day}").format(case=done["case"], number=number, day=day.isoformat()))
        print(_("every condition is met: the payments held for them are released") if done["unmet"] == 0 else
              ngettext("{n} condition is still unmet: payments stay held", "{n} conditions are still unmet: payments "
                       "stay held", done["unmet"]).format(n=done["unmet"]))
    raise typer.Exit(EXIT_OK)


def write_document(body: str | bytes, out: Optional[Path], fmt: str) -> None:
    from governance.cli.register import write_or_print

    if fmt == "pdf" and out is None:
        fail(UsageError(_("a PDF needs -o FILE")), EXIT_USAGE)
    write_or_print(body, out)


@case_app.command("officer-report", help=_("The officer's report (tjänsteskrivelse) of a case."))
def case_officer_report(case: str = CASE_ARG, format: LetterFormat = typer.Option(LetterFormat.md, "--format",
                                                                                  help=_("md, html or pdf")),
                        out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here")),
                        date: Optional[str] = typer.Option(None, "--date", help=_(
                            "the day of a draft, for a case not yet proposed (default: today)")),
                        fund: Optional[str] = FUND_OPT, lang: Optional[Lang] = LANG_OPT,
                        register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.documents.officer_report import render_officer_report

    lang = language(lang)
    day = option_date(date)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        body = attempt(lambda: render_officer_report(gov.rulebook, gov.followup_rules(), reg, case, format.value,
                                                     lang, on=day, fund=fund))
    write_document(body, out, format.value)
    raise typer.Exit(EXIT_OK)


@case_app.command("letter", help=_(
    "The case's letter: the decision with diarienummer, meeting and §, or the completion request."))
def case_letter(case: str = CASE_ARG, format: LetterFormat = typer.Option(LetterFormat.md, "--format",
                                                                          help=_("md, html or pdf")),
                out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here")),
                fund: Optional[str] = FUND_OPT, lang: Optional[Lang] = LANG_OPT,
                register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.documents.case_letters import render_case_letter

    lang = language(lang)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        body = attempt(lambda: render_case_letter(gov.rulebook, reg, case, format.value, lang, fund))
    write_document(body, out, format.value)
    raise typer.Exit(EXIT_OK)


@case_app.command("follow-up", help=_(
    "Follow up a granted case's project: reports, withheld payments, extensions (7.3), repayment."))
def case_follow_up(case: str = CASE_ARG,
                   reports: Optional[List[Path]] = typer.Argument(None, readable=False, metavar=_("REPORTS"), help=_(
                       "follow-up reports the register does not hold yet (an extension request goes in one)")),
                   date: Optional[str] = typer.Option(None, "--date", help=_("judge as of this day (default: today)")),
                   record: bool = typer.Option(False, "--record", help=_("record the reports in the register")),
                   fund: Optional[str] = FUND_OPT, format: Format = typer.Option(Format.text, "--format"),
                   lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT,
                   database: Optional[str] = DATABASE_OPT, limit: Optional[List[str]] = LIMIT_OPT) -> None:
    from governance.board.cases import follow_up_case
    from governance.board.tracking import read_report
    from governance.cli.followup import result_text

    input_limits(limit)
    lang = language(lang)
    day = option_date(date)
    given = [attempt(lambda path=path: read_report(path)) for path in reports or []]
    gov = load_governance(None, None)
    rules = gov.followup_rules()
    with open_register(register, database) as reg:
        result = attempt(lambda: follow_up_case(reg, rules, case, given, day, lang, record, fund))
    if record:
        say_held_reports(result)
    if format is Format.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result_text(result, rules, lang), end="")
        if result.end:
            print("  " + _("the project ends on {end}").format(end=result.end))
    raise typer.Exit(EXIT_OK)
