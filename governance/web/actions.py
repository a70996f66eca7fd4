"""What the workplace records outside the case library, each as one call on the library: a
follow-up report judged and recorded, a repayment received; and an uploaded file as text. Each checks the
account's access first, takes the rule engine's turn, and writes who did it and when in
the activity log. Input is text as it was uploaded or typed; every problem with it is a
placed ``FundgovError`` (never an exception of another kind)."""
from __future__ import annotations

import datetime as dt

from governance.board.tracking import follow_up, recorded_proposal
from governance.board.register import ReportInput, sha256
from governance.engine.decision import Decision
from governance.errors import FundgovError, InputError, Problem
from governance.formats.loader import Loaded, parse_proposal, parse_report
from governance.formats.limits import current as current_limits
from governance.i18n import _
from governance.web.access import Access
from governance.web.accounts import record as log_activity
from governance.web.workplace import Workplace

INPUT_SUFFIXES = (".yaml", ".yml", ".json")


def upload_text(name: str, raw: bytes) -> str:
    """An uploaded file's bytes as text: a YAML or JSON file, within the size limit, in UTF-8."""
    limits = current_limits()
    if not name.lower().endswith(INPUT_SUFFIXES):
        raise InputError(Problem(_("only YAML and JSON files are read (.yaml, .yml, .json)"), name))
    if len(raw) > limits.file_size:
        raise InputError(Problem(_("the file is {size} bytes, more than the limit of {limit}").format(
            size=len(raw), limit=limits.file_size), name))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(_("the file is not UTF-8 text"), name, raw[: exc.start].count(b"\n") + 1,
                                 hint=_("save it as UTF-8 (Latin-1 and Windows-1252 are not read)"))) from None


def _served(access: Access, loaded: Loaded) -> None:
    fund = loaded.model.fund
    if fund not in access.funds:
        raise InputError(loaded.source.problem(("fund",), _(
            "you do not work for the fund '{fund}': only the funds of your account are decided here").format(
            fund=fund)))


def record_report(place: Workplace, access: Access, text: str, name: str, on: dt.date, lang: str):
    """Judge a follow-up report with the register's earlier ones on ``on`` and record it."""
    access.change()
    loaded = parse_report(text, name)
    report = loaded.model
    if report.fund not in access.funds:
        raise InputError(loaded.source.problem(("fund",), _(
            "you do not work for the fund '{fund}': only the funds of your account are decided here").format(
            fund=report.fund)))
    found = recorded_proposal(place.register, report.fund, report.proposal)
    if found is None:
        raise InputError(loaded.source.problem(("proposal",), _(
            "the register holds no application {proposal} of the fund {fund}: record its decision first").format(
            proposal=report.proposal, fund=report.fund)))
    proposal, proposal_text = found
    given = ReportInput(name, text, sha256(text), loaded)
    with place.engine:
        result = follow_up(place.gov.followup_rules(), proposal, proposal_text, [given], on, lang,
                           place.register, record=True, recorded_at=dt.datetime.now().replace(microsecond=0))
    log_activity(place.register.db, access.account.username, "report.record", report.fund, report.proposal,
                 f"{report.kind} {report.period}")
    return result


def pay_repayment(place: Workplace, access: Access, instalment: int, amount: int, on: dt.date, lang: str) -> dict:
    """Record that a committee repaid (part of) an instalment to the fund."""
    access.change()
    rows = [r for r in place.register.repayments() if r["id"] == instalment]
    if not rows or rows[0]["fund"] not in access.funds:
        raise FundgovError(Problem(_("no repayment R{id} in the register").format(id=instalment)))
    row = place.register.pay(instalment, amount, on, lang)
    log_activity(place.register.db, access.account.username, "repayment.paid", row["fund"], row["proposal"],
                 f"R{instalment} {amount}")
    return row


def redecide(place: Workplace, record: dict, lang: str) -> tuple[Loaded, Decision]:
    """A recorded decision made again from its recorded input and date, in ``lang`` (for its letter)."""
    loaded = parse_proposal(record["input"], record["file"] or record["proposal"])
    with place.engine:
        return loaded, place.gov.decide(loaded, dt.date.fromisoformat(record["decision_date"]), lang)
