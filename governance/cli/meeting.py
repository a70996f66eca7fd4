"""fundgov meeting new|list|show|add|pack|decide|protocol: the board's meetings.

Each command parses, calls one library function of ``governance.board.meetings`` (or a
document of ``governance.documents``) and prints what it returns.
"""
from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from governance.cli.case import BY_OPT, DATE_OPT, FUND_OPT, actor, attempt, write_document
from governance.cli.common import (DATABASE_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, LANG_OPT, REGISTER_OPT, Format,
                                   Lang, LetterFormat, app, fail, language, load_governance, open_register,
                                   option_date)
from governance.errors import UsageError
from governance.i18n import _, ngettext

meeting_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                          help=_("Board meetings: agenda, board pack, decisions and protocol excerpts."))
app.add_typer(meeting_app, name="meeting")

MEETING_ARG = typer.Argument(..., metavar=_("MEETING"), help=_("the meeting's number (such as 3 or M3)"))


class Outcome(str, Enum):
    approved = "approved"
    approved_with_conditions = "approved_with_conditions"
    rejected = "rejected"
    returned = "returned"


def meeting_text(view: dict, lang: str) -> str:
    from governance.board.case_records import outcome_word

    name = view.get("body_name", {}).get(lang) if view.get("body_name") else view["body"]
    lines = [_("meeting {meeting}: {body} on {date}").format(meeting=view["id"], body=name, date=view["date"])
             + (f", {view['place']}" if view["place"] else "")]
    if view["adjusted_on"]:
        lines.append("  " + _("protocol adjusted on {day} by {adjuster}").format(day=view["adjusted_on"],
                                                                                  adjuster=view["adjuster"]))
    for i in view["items"]:
        if i["state"] == "decided":
            what = f"§ {i['paragraph']}: {outcome_word(i['decided_outcome'])}" + (
                "" if i["follows_proposal"] else " " + _("(against the proposal: {proposed})").format(
                    proposed=outcome_word(i["proposed_outcome"])))
        elif i["state"] == "withdrawn":
            what = _("struck from the agenda (withdrawn)")
        else:
            what = _("proposal: {proposed}").format(proposed=outcome_word(i["proposed_outcome"]))
        lines.append(f"  {i['position']:>2}. {i['diarienummer']:<16} {i['title']}  –  {what}")
    if not view["items"]:
        lines.append("  " + _("the agenda is empty"))
    return "\n".join(lines) + "\n"


def _show(view: dict, format: Format, lang: str) -> None:
    if format is Format.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
    else:
        print(meeting_text(view, lang), end="")


@meeting_app.command("new", help=_("A meeting of the fund's deciding body on a day."))
def meeting_new(fund: str = typer.Argument(..., metavar=_("FUND")), date: str = typer.Argument(..., metavar=_("DATE"), help=_("the meeting's day, "
                                                                                         "YYYY-MM-DD")),
                place: Optional[str] = typer.Option(None, "--place"), by: Optional[str] = BY_OPT,
                format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
                register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.meetings import new_meeting

    lang = language(lang)
    day, who = option_date(date, "DATE"), actor(by)
    gov = load_governance(None, None)
    with open_register(register, database, create=True) as reg:
        view = attempt(lambda: new_meeting(reg, gov.policies, fund, day, who, place))
    _show(view, format, lang)
    raise typer.Exit(EXIT_OK)


@meeting_app.command("list", help=_("Every meeting, with how many items are decided."))
def meeting_list(fund: Optional[str] = typer.Option(None, "--fund"),
                 format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
                 register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.meetings import list_meetings

    language(lang)
    with open_register(register, database) as reg:
        rows = attempt(lambda: list_meetings(reg, fund))
    if format is Format.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    for r in rows:
        adjusted = _("adjusted {day}").format(day=r["adjusted_on"]) if r["adjusted_on"] else _("not adjusted")
        print(f"M{r['id']:<4} {r['date']}  {r['fund']:<11} {r['body']:<22} "
              + ngettext("{n} item", "{n} items", r["items"]).format(n=r["items"]) + ", "
              + _("{decided} decided").format(decided=r["decided"]) + f", {adjusted}")
    raise typer.Exit(EXIT_OK)


@meeting_app.command("show", help=_("A meeting and its agenda: each case, the proposal and what was decided."))
def meeting_show(meeting: str = MEETING_ARG, format: Format = typer.Option(Format.text, "--format"),
                 lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT,
                 database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.meetings import show_meeting

    lang = language(lang)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        view = attempt(lambda: show_meeting(reg, meeting, gov.policies))
    _show(view, format, lang)
    raise typer.Exit(EXIT_OK)


@meeting_app.command("add", help=_("Put cases on the meeting's agenda."))
def meeting_add(meeting: str = MEETING_ARG, cases: List[str] = typer.Argument(..., metavar=_("CASES"), help=_(
                "cases proposed for decision, in the agenda's order")),
                date: Optional[str] = DATE_OPT, by: Optional[str] = BY_OPT, fund: Optional[str] = FUND_OPT,
                format: Format = typer.Option(Format.text, "--format"), lang: Optional[Lang] = LANG_OPT,
                register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT) -> None:
    from governance.board.meetings import add_to_agenda, show_meeting

    lang = language(lang)
    day, who = option_date(date), actor(by)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        attempt(lambda: add_to_agenda(reg, meeting, cases, day, who, fund))
        view = show_meeting(reg, meeting, gov.policies)
    _show(view, format, lang)
    raise typer.Exit(EXIT_OK)


@meeting_app.command("pack", help=_(
    "The board pack: the agenda and the officer's report of every case on it, as one document."))
def meeting_pack(meeting: str = MEETING_ARG,
                 out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here (needed for pdf)")),
                 format: LetterFormat = typer.Option(LetterFormat.pdf, "--format", help=_("pdf, html or md")),
                 lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT,
                 database: Optional[str] = DATABASE_OPT) -> None:
    from governance.documents.board_pack import render_board_pack

    lang = language(lang)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        body = attempt(lambda: render_board_pack(gov.rulebook, gov.followup_rules(), reg, meeting, format.value,
                                                 lang))
    write_document(body, out, format.value)
    raise typer.Exit(EXIT_OK)


@meeting_app.command("decide", help=_(
    "The board decides an item at the meeting: as proposed, or otherwise with its reasons."))
def meeting_decide(
    meeting: str = MEETING_ARG, case: str = typer.Argument(..., metavar=_("CASE"), help=_("the case on the agenda")),
    outcome: Optional[Outcome] = typer.Option(None, "--outcome", help=_(
        "what the board decides, if not as proposed: `approved`, `approved_with_conditions`, `rejected` or "
        "`returned` (återremiss)")),
    wording: Optional[str] = typer.Option(None, "--wording", help=_("the decision in the board's own words, "
                                                                     "completing \"<board> decides to …\"")),
    reason: Optional[str] = typer.Option(None, "--reason", help=_("the board's reasons (needed where it does not "
                                                                   "follow the proposal)")),
    condition: Optional[List[str]] = typer.Option(None, "--condition", help=_(
        "a condition of the board's own (may be repeated)")),
    paragraph: Optional[int] = typer.Option(None, "--paragraph", min=1, help=_(
        "the § of the protocol (default: the body's next § of the year)")),
    by: Optional[str] = BY_OPT, fund: Optional[str] = FUND_OPT, format: Format = typer.Option(Format.text, "--format"),
    lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT, database: Optional[str] = DATABASE_OPT,
) -> None:
    from governance.board.case_records import outcome_word
    from governance.board.meetings import decide_item

    language(lang)
    who = actor(by)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        item = attempt(lambda: decide_item(reg, gov.policies, meeting, case, who, outcome.value if outcome else None,
                                           wording, reason, condition or [], paragraph, fund))
    if format is Format.json:
        print(json.dumps(item, ensure_ascii=False, indent=2))
    else:
        print(_("{case}: § {paragraph}, {decision}{against}").format(
            case=item["diarienummer"], paragraph=item["paragraph"], decision=outcome_word(item["decided_outcome"]),
            against="" if item["follows_proposal"] else " " + _("(against the proposal: {proposed})").format(
                proposed=outcome_word(item["proposed_outcome"]))))
        print(f"  {item['wording']}")
    raise typer.Exit(EXIT_OK)


@meeting_app.command("protocol", help=_(
    "Adjust the protocol (with --adjusted and --adjuster) and write the excerpt of every § and its "
    "decision letter into a folder."))
def meeting_protocol(
    meeting: str = MEETING_ARG,
    adjusted: Optional[str] = typer.Option(None, "--adjusted", help=_("adjust (justera) the protocol on this day, "
                                                                       "YYYY-MM-DD; its decisions take effect")),
    adjuster: Optional[str] = typer.Option(None, "--adjuster", help=_("who adjusts it beside the chair")),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("a folder for the excerpts and letters")),
    format: LetterFormat = typer.Option(LetterFormat.pdf, "--format", help=_("pdf, html or md")),
    letters: bool = typer.Option(True, "--letters/--no-letters", help=_("also write each decision's letter")),
    by: Optional[str] = BY_OPT, lang: Optional[Lang] = LANG_OPT, register: Optional[Path] = REGISTER_OPT,
    database: Optional[str] = DATABASE_OPT,
) -> None:
    from governance.board.meetings import adjust_protocol, show_meeting
    from governance.documents.case_letters import render_case_letter
    from governance.documents.letters import write_atomically
    from governance.documents.protocol import render_excerpt

    lang = language(lang)
    if (adjusted is None) != (adjuster is None):
        fail(UsageError(_("adjusting a protocol needs both --adjusted DAY and --adjuster NAME")), EXIT_USAGE)
    day = option_date(adjusted, "--adjusted") if adjusted else None
    who = actor(by)
    gov = load_governance(None, None)
    with open_register(register, database) as reg:
        if day is not None:
            attempt(lambda: adjust_protocol(reg, meeting, day, adjuster, who))
        view = attempt(lambda: show_meeting(reg, meeting, gov.policies))
        decided = [i for i in view["items"] if i["state"] == "decided"]
        if out is None:
            print(meeting_text(view, lang), end="")
            raise typer.Exit(EXIT_OK)
        if view["adjusted_on"] is None:
            fail(UsageError(_("the protocol is not adjusted yet: give --adjusted DAY and --adjuster NAME")),
                 EXIT_USAGE)
        written = []
        for item in decided:
            stem = f"§{item['paragraph']}-" + re.sub(r"[^A-Za-z0-9._-]", "_", item["diarienummer"])
            files = [(out / f"{stem}.protokollsutdrag.{lang}.{format.value}",
                      lambda item=item: render_excerpt(gov.rulebook, reg, meeting, item["diarienummer"], format.value,
                                                       lang))]
            if letters and item["decided_outcome"] != "returned":
                files.append((out / f"{stem}.beslut.{lang}.{format.value}",
                              lambda item=item: render_case_letter(gov.rulebook, reg, item["diarienummer"],
                                                                   format.value, lang, view["fund"])))
            for path, render in files:
                body = attempt(render)
                try:
                    write_atomically(path, body)
                except OSError as exc:
                    fail(UsageError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)),
                         EXIT_INPUT)
                written.append(path)
    print(meeting_text(view, lang), end="")
    for path in written:
        print(_("written: {path}").format(path=path), file=sys.stderr)
    raise typer.Exit(EXIT_OK)
