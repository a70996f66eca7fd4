"""The officer's report (tjänsteskrivelse) of a case: what the board decides on.

It gives the administration's proposal for decision (förslag till beslut: "<body> beslutar
att …", with the conditions where it proposes some), a summary, the description of the case
(ärendebeskrivning: who applied for what, the versions and completion requests), the
assessment clause by clause (the findings of the version proposed on, as the engine made
them on the day it was received), the economic consequences (the fund grant per year, the
benefit-cost ratio with its sensitivity, what the fund has left as of the report's day and
after this grant), the documents the decision rests on, and who the decision is sent to.

The report is dated the day the case was proposed for decision (its writer is who proposed
it); a case not yet proposed gets a draft dated the day asked for.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from babel.numbers import parse_pattern

from governance.board.case_records import CaseError, decision_of
from governance.board.cases import show_case, version_input
from governance.board.ledger import fund_ledger
from governance.board.meetings import proposal_wording
from governance.board.register import Register
from governance.documents.letters import CaseDetails, letter_context
from governance.documents.papers import TOKENS, Papers, body_words, day
from governance.engine.rulebook import Rulebook
from governance.i18n import _
from governance.errors import Problem
from governance.wording import LOCALES, decimals_needed, fmt_money, fmt_value


def report_context(rules: Rulebook, followup: Rulebook, register: Register, ref: str, lang: str = "sv",
                   version: int | None = None, on: dt.date | None = None, fund: str | None = None) -> dict[str, Any]:
    """Everything the officer's report of a case says, as plain values (the template words it).

    ``version``: the version proposed on (default: the latest); ``on``: the day of a draft
    (a case already proposed keeps the day it was proposed)."""
    case = show_case(register, ref, on, fund)
    loaded, _text, row = version_input(register, f"#{case['id']}", version)
    decision = decision_of(row["assessment"][lang])
    if decision.outcome == "completion_requested":  # the case is not ready to be proposed
        raise CaseError(Problem(_("version {version} of the case {case} lacks information (completion requested): "
                                  "there is nothing to propose for decision yet").format(
            version=row["version"], case=case["diarienummer"]), hint=_("receive the completion first")))
    proposed = [e for e in case["history"] if e["kind"] == "state" and e["to_state"] == "proposed"
                and e["version"] == row["version"]]
    written = dt.date.fromisoformat(proposed[-1]["on"] if proposed else (on.isoformat() if on else row["received_on"]))
    base = letter_context(rules, loaded, decision, CaseDetails(case["diarienummer"],
                                                               received=dt.date.fromisoformat(case["opened_on"])))
    body = body_words(rules, case["fund"], lang)
    p = loaded.model
    words = rules.labels.value_words
    conditions = [{"text": f["action"] or f["message"].rstrip(". "), "due": f["due"], "clause": f["clause"]}
                  for f in base["findings"] if f["severity"] == "condition"]
    return base | {
        "body": body,
        "report": {
            "date": day(written, lang), "draft": not proposed, "officer": proposed[-1]["by"] if proposed else None,
            "diarienummer": case["diarienummer"], "outcome": TOKENS[decision.outcome],
            "wording": proposal_wording(decision, decision.outcome, base["fund"]["name"], lang),
            "conditions": conditions, "version": row["version"], "received": day(row["received_on"], lang),
            "opened": day(case["opened_on"], lang),
            "versions": [{"version": v["version"], "received": day(v["received_on"], lang),
                          "deadline": day(v["completion_deadline"], lang),
                          "clauses": ", ".join(dict.fromkeys(f["clause"] for f in v["findings"]
                                                             if f["severity"] == "complete"))}
                         for v in case["versions"] if v["version"] <= row["version"]],
        },
        "project": {
            "lead": p.applicant.lead.name,
            "partners": fmt_value([x.name for x in p.applicant.partners or []], "names", lang)
            if p.applicant.partners else None,
            "target": p.target_group.description if p.target_group and p.target_group.description else None,
            "size": p.target_group.size if p.target_group and p.target_group.size else None,
            "intervention": p.intervention.name if p.intervention and p.intervention.name else None,
            "kind": _word(words("intervention.kind"), p.intervention.kind if p.intervention else None, lang),
            "design": _word(words("evaluation.design"), p.evaluation.design if p.evaluation else None, lang),
            "evaluator": p.evaluation.evaluator.name if p.evaluation and p.evaluation.evaluator
            and p.evaluation.evaluator.name else None,
            "recipients": [p.applicant.lead.name, *(x.name for x in p.applicant.partners or [])],
        },
        "economy": _economy(decision, p, followup, register, case["fund"], written, lang),
    }


def _word(words: dict | None, value: str | None, lang: str) -> str | None:
    if value is None:
        return None
    return (words or {}).get(value, {}).get(lang, value)


def _economy(decision, p, followup: Rulebook, register: Register, fund_id: str, on: dt.date,
             lang: str) -> dict[str, Any]:
    own = sum(r.own_sek or 0 for r in p.budget or [])
    grant = decision.fund_grant
    rows = [{"year": y, "amount": fmt_money(a, lang)} for y, a in sorted((decision.fund_grant_per_year or {}).items())]
    sensitivity = decision.sensitivity
    ratio = None
    if sensitivity is not None:
        limit = sensitivity["min_benefit_cost_ratio"]
        number = lambda v: _ratio(v, limit, lang)  # noqa: E731
        share = lambda v: fmt_value(v, "share", lang)  # noqa: E731
        ratio = {"value": number(sensitivity["benefit_cost_ratio"]),
                 "limit": number(sensitivity["min_benefit_cost_ratio"]),
                 "rates": [[share(r["rate"]), number(r["benefit_cost_ratio"])] for r in sensitivity["discount_rates"]],
                 "effects": [[share(r["share"]), number(r["benefit_cost_ratio"])]
                             for r in sensitivity["effect_shares"]],
                 "break_even": share(sensitivity["break_even_share"])
                 if sensitivity.get("break_even_share") is not None else None}
    ledger = fund_ledger(register, followup, fund_id, on)
    left = ledger["uncommitted_sek"]
    return {
        "grant": fmt_money(grant, lang) if grant is not None else None,
        "rows": rows, "own": fmt_money(own, lang) if p.budget else None,
        "total": fmt_money((grant or 0) + own, lang) if p.budget else None,
        "ratio": ratio,
        "fund": {"date": day(on, lang),
                 "capital": fmt_money(ledger["capital_sek"], lang) if ledger["capital_sek"] is not None else None,
                 "granted": fmt_money(ledger["totals"]["granted_sek"], lang),
                 "left": fmt_money(left, lang) if left is not None else None,
                 "after": fmt_money(left - grant, lang) if left is not None and grant is not None else None,
                 "short": left is not None and grant is not None and grant > left},
    }


def _ratio(value: float, limit: float, lang: str) -> str:
    """A ratio with two decimals, or as many more as keep it on its side of the limit (§2)."""
    places = decimals_needed(float(value), (float(limit),), 2)
    return parse_pattern("#,##0.00" + "#" * (places - 2)).apply(value, LOCALES[lang])


def render_officer_report(rules: Rulebook, followup: Rulebook, register: Register, ref: str, fmt: str = "html",
                          lang: str = "sv", version: int | None = None, on: dt.date | None = None,
                          fund: str | None = None) -> str | bytes:
    """The officer's report of a case as md, html (text) or pdf (bytes)."""
    context = report_context(rules, followup, register, ref, lang, version, on, fund)
    return Papers().render(f"{lang}/tjansteskrivelse.j2", {"r": context}, fmt)
