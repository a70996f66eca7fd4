"""Protocol excerpts (protokollsutdrag): one § of an adjusted protocol, as the board decided it.

An excerpt gives the body, the meeting, the § and the diarienummer, the decision in the
board's words ("<body> beslutar att …") with its conditions, the administration's proposal
and the board's reasons where the board did not follow it, a short description of the case,
what the decision rests on, who it is sent to, and the adjustment (justering): when and by
whom, when it was announced on the notice board and until when the decision can be appealed
(three weeks, 13 kap. kommunallagen). Only an adjusted protocol gives excerpts.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from governance.board.case_records import CaseError, decision_of
from governance.board.cases import show_case, version_input
from governance.board.meetings import proposal_wording, show_meeting
from governance.board.register import Register
from governance.documents.letters import CaseDetails, letter_context
from governance.documents.papers import TOKENS, Papers, body_words, day
from governance.engine.rulebook import Rulebook
from governance.errors import Problem
from governance.i18n import _

#: the time to appeal a decision by laglighetsprövning: three weeks from the notice (13 kap. 5 § KL)
APPEAL_DAYS = 21


def decided_wording(rules: Rulebook, item: dict[str, Any], decision, fund: str, case_lang: str, lang: str) -> str:
    """The board's decision in ``lang``: its own words as written, or, where it decided in the
    words of the proposal, those words in ``lang``."""
    name = lambda in_lang: getattr(rules.policies.fund(fund).version_at(  # noqa: E731
        dt.date.fromisoformat(decision.policy_version)).name, in_lang)
    if lang != case_lang and item["wording"] == proposal_wording(decision, item["decided_outcome"], name(case_lang),
                                                                 case_lang):
        return proposal_wording(decision, item["decided_outcome"], name(lang), lang)
    return item["wording"]


def excerpt_context(rules: Rulebook, register: Register, meeting: int | str, ref: str, lang: str = "sv"
                    ) -> dict[str, Any]:
    """Everything the excerpt of one § says, as plain values."""
    row = show_meeting(register, meeting, rules.policies)
    if row["adjusted_on"] is None:
        raise CaseError(Problem(_("the protocol of meeting {meeting} ({date}) is not adjusted yet: it gives no "
                                  "excerpts until it is").format(meeting=row["id"], date=row["date"])))
    case = show_case(register, ref, fund=row["fund"])
    item = next((i for i in row["items"] if i["diarienummer"] == case["diarienummer"]), None)
    if item is None or item["state"] != "decided":
        raise CaseError(Problem(_("the case {case} was not decided at meeting {meeting}").format(
            case=case["diarienummer"], meeting=row["id"])))
    loaded, _text, version = version_input(register, f"#{case['id']}", item["version"])
    decision = decision_of(version["assessment"][lang])
    base = letter_context(rules, loaded, decision, CaseDetails(case["diarienummer"],
                                                               received=dt.date.fromisoformat(case["opened_on"])))
    proposed = [e for e in case["history"] if e["kind"] == "state" and e["to_state"] == "proposed"
                and e["version"] == item["version"]]
    adjusted = dt.date.fromisoformat(row["adjusted_on"])
    p = loaded.model
    return base | {
        "body": body_words(rules, row["fund"], lang),
        "meeting": {"id": row["id"], "date": day(row["date"], lang), "place": row["place"],
                    "adjusted": day(adjusted, lang), "adjuster": row["adjuster"],
                    "appeal_until": day(adjusted + dt.timedelta(days=APPEAL_DAYS), lang)},
        "item": {"paragraph": str(item["paragraph"]), "diarienummer": case["diarienummer"],
                 "outcome": TOKENS[item["decided_outcome"]], "proposed": TOKENS[item["proposed_outcome"]],
                 "follows": bool(item["follows_proposal"]), "reasons": item["reasons"],
                 "wording": decided_wording(rules, item, decision, row["fund"], case["lang"], lang).rstrip(". "),
                 "proposed_wording": proposal_wording(decision, item["proposed_outcome"], base["fund"]["name"], lang),
                 "report_date": day(proposed[-1]["on"], lang) if proposed else None,
                 "version": str(item["version"]), "received": day(version["received_on"], lang)},
        "conditions": [{"text": c["text"].rstrip(". "), "due": day(c["due"], lang), "clause": c["clause"]}
                       for c in case["conditions"]] if item["decided_outcome"] == "approved_with_conditions" else [],
        "project": {"lead": p.applicant.lead.name,
                    "recipients": [p.applicant.lead.name, *(x.name for x in p.applicant.partners or [])]},
    }


def render_excerpt(rules: Rulebook, register: Register, meeting: int | str, ref: str, fmt: str = "pdf",
                   lang: str = "sv") -> str | bytes:
    """The excerpt of one case's § as md, html (text) or pdf (bytes)."""
    return Papers().render(f"{lang}/protokollsutdrag.j2", excerpt_context(rules, register, meeting, ref, lang), fmt)
