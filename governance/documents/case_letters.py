"""The letter of a case: the decision letter once its board has decided (carrying the
diarienummer, the meeting, the § and the signatory, and the board's own words and reasons
where it did not decide as proposed), or the request for completion while one is pending."""
from __future__ import annotations

import dataclasses
import datetime as dt

from governance.board.case_records import CaseError, decision_of
from governance.board.cases import show_case, version_input
from governance.board.meetings import proposal_wording
from governance.board.register import Register
from governance.documents.letters import CaseDetails, Letters
from governance.documents.protocol import decided_wording
from governance.engine.rulebook import Rulebook
from governance.errors import Problem
from governance.i18n import _


def render_case_letter(rules: Rulebook, register: Register, ref: str, fmt: str = "md", lang: str | None = None,
                       fund: str | None = None) -> str | bytes:
    """The case's letter as md, html (text) or pdf (bytes), in ``lang`` (default: the case's)."""
    case = show_case(register, ref, fund=fund)
    lang = lang or case["lang"]
    decided = [m for m in case["meetings"] if m["state"] == "decided" and m["decided_outcome"] != "returned"]
    letters = Letters(rules)
    if decided:
        item = decided[-1]
        loaded, _text, version = version_input(register, f"#{case['id']}", item["version"])
        assessed = decision_of(version["assessment"][lang])
        decision = dataclasses.replace(assessed, outcome=item["decided_outcome"], decision_date=item["date"],
                                       completion_deadline=None)
        wording = decided_wording(rules, item, assessed, case["fund"], case["lang"], lang)
        own = not item["follows_proposal"] or _own_words(rules, item, assessed, case, lang, wording)
        details = CaseDetails(case["diarienummer"], dt.date.fromisoformat(item["date"]), str(item["paragraph"]),
                              wording=wording if own else None, reasons=item["reasons"],
                              proposed=None if item["follows_proposal"] else item["proposed_outcome"],
                              conditions=tuple(c["text"] for c in case["conditions"] if c["clause"] is None),
                              received=dt.date.fromisoformat(case["opened_on"]))
        return letters.render(loaded, decision, fmt, details)
    if case["state"] == "completion_requested":
        loaded, _text, version = version_input(register, f"#{case['id']}")
        return letters.render(loaded, decision_of(version["assessment"][lang]), fmt,
                              CaseDetails(case["diarienummer"], received=dt.date.fromisoformat(case["opened_on"])))
    raise CaseError(Problem(_("the case {case} is in the state '{state}': it has no decision to write a letter about yet").format(
        case=case["diarienummer"], state=case["state_word"])))


def _own_words(rules: Rulebook, item: dict, assessed, case: dict, lang: str, wording: str) -> bool:
    """True where the board decided in words other than the proposal's."""
    name = getattr(rules.policies.fund(case["fund"]).version_at(dt.date.fromisoformat(assessed.policy_version)).name,
                   lang)
    return wording != proposal_wording(assessed, item["decided_outcome"], name, lang)
