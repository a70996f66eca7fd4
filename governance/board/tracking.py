"""Follow-up with the register: the reports it holds for a project count with those given,
and ``--record`` writes new reports and repayments under the register's invariants."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from governance.board.followup import FollowUpResult, check_reports, evaluate
from governance.board.register import Register, ReportInput, merge_reports, read_input
from governance.engine.rulebook import Rulebook
from governance.formats.loader import Loaded, parse_proposal, parse_report


def read_report(path: str | Path) -> ReportInput:
    """A report file as read (its bytes as text, their hash) and validated."""
    text, digest = _read(path)
    loaded = parse_report(text, str(path))
    return ReportInput(loaded.file, text, digest, loaded)


def read_proposal(path: str | Path) -> tuple[Loaded, str]:
    text, _digest = _read(path)
    return parse_proposal(text, str(path)), text


def _read(path: str | Path) -> tuple[str, str]:
    return read_input(path)


def follow_up(rules: Rulebook, proposal: Loaded, proposal_text: str | None, reports: list[ReportInput],
              on: dt.date, lang: str = "sv", register: Register | None = None, record: bool = False,
              recorded_at: dt.datetime | None = None) -> FollowUpResult:
    """Judge a project's follow-up on ``on``: with a register, on the reports it holds as well
    as those given (each report counts once); with ``record``, write what is new."""
    p = proposal.model
    check_reports(p, [r.loaded for r in reports])

    def judge(loaded: list[Loaded], recorded) -> FollowUpResult:
        return evaluate(rules, proposal, loaded, on, lang, recorded)

    if register is None:
        merged, _new = merge_reports([], reports, parse_report, p.id, "")
        return judge([r.loaded for r in merged], {})
    return register.follow_up(p.fund, p.id, (proposal_text, proposal.file) if proposal_text is not None else None,
                              reports, parse_report, judge, record, recorded_at)


def recorded_proposal(register: Register, fund: str, proposal: str) -> tuple[Loaded, str] | None:
    """The proposal as the register last received it (its latest decision, else its latest follow-up)."""
    for record in reversed(register.latest_decisions(fund)):
        if record["proposal"] == proposal:
            return parse_proposal(record["input"], f"register#{record['id']} {record['file'] or proposal}"), \
                record["input"]
    for project in register.projects(fund):
        if project["proposal"] == proposal and project["input"]:
            return parse_proposal(project["input"], f"register {proposal}"), project["input"]
    return None
