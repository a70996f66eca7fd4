"""Decisions as text and JSON for the command line, with a closing summary per fund."""
from __future__ import annotations

import json
import textwrap

from governance.engine.batch import BatchResult
from governance.engine.decision import Decision
from governance.i18n import N_, _, ngettext, use_language
from governance.wording import fmt_money

#: an outcome as the decision line names it
OUTCOME_WORDS = {"approved": N_("Approved"), "approved_with_conditions": N_("Approved with conditions"),
                 "completion_requested": N_("Completion requested"), "rejected": N_("Rejected")}
SEVERITY_WORDS = {"reject": N_("ground for rejection"), "complete": N_("completion"), "condition": N_("condition"),
                  "note": N_("note")}
GRANTED = ("approved", "approved_with_conditions")


def _counted(outcome: str, n: int) -> str:
    """"2 approved", "1 completion requested": a count of decisions of one outcome."""
    if outcome == "approved":
        return ngettext("{n} approved", "{n} approved", n).format(n=n)
    if outcome == "approved_with_conditions":
        return ngettext("{n} approved with conditions", "{n} approved with conditions", n).format(n=n)
    if outcome == "completion_requested":
        return ngettext("{n} completion requested", "{n} completions requested", n).format(n=n)
    return ngettext("{n} rejected", "{n} rejected", n).format(n=n)


def as_json(batch: BatchResult) -> str:
    doc = {
        "decisions": [d.as_json() for d in batch.decisions],
        "errors": [e.as_dict() for e in batch.errors],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def as_text(batch: BatchResult, lang: str = "sv", width: int = 100) -> str:
    body = "\n".join(decision_text(d, lang, width) for d in batch.decisions)
    return body + ("\n" if body else "") + summary(batch, lang) + "\n"


def _tally(decisions: list[Decision], lang: str) -> str:
    """"2 decisions (1 approved, 1 rejected); applied for SEK 1,200,000, granted SEK 500,000"."""
    counts: dict[str, int] = {}
    for d in decisions:
        counts[d.outcome] = counts.get(d.outcome, 0) + 1
    parts = [_counted(o, counts[o]) for o in OUTCOME_WORDS if o in counts]
    applied = sum(d.fund_grant for d in decisions if d.fund_grant is not None)
    granted = sum(d.fund_grant for d in decisions if d.fund_grant is not None and d.outcome in GRANTED)
    unknown = sum(1 for d in decisions if d.fund_grant is None)
    text = ngettext("{n} decision", "{n} decisions", len(decisions)).format(n=len(decisions))
    if not decisions:
        return text
    if parts:
        text += f" ({', '.join(parts)})"
    text += "; " + _("applied for {applied}, granted {granted}").format(
        applied=fmt_money(applied, lang), granted=fmt_money(granted, lang))
    if unknown:
        text += " " + ngettext("(the amount is not known for {n} application)",
                               "(the amount is not known for {n} applications)", unknown).format(n=unknown)
    return text


def summary(batch: BatchResult, lang: str = "sv") -> str:
    """Per fund: how many decisions of each outcome and the amounts applied for and granted;
    then the same in all, and how many files could not be read."""
    with use_language(lang):
        by_fund: dict[str, list[Decision]] = {}
        for d in batch.decisions:
            by_fund.setdefault(d.fund, []).append(d)
        lines = []
        if len(by_fund) > 1:
            lines.append(_("Summary per fund"))
            for fund in sorted(by_fund):
                lines.append(f"  {by_fund[fund][0].fund_name}: {_tally(by_fund[fund], lang)}")
        files = len({e.file for e in batch.errors})
        in_all = _tally(batch.decisions, lang) + "; " + ngettext(
            "{n} file with errors", "{n} files with errors", files).format(n=files)
        lines.append(_("In all: {summary}").format(summary=in_all) if len(by_fund) > 1 else in_all)
        return "\n".join(lines)


def decision_text(d: Decision, lang: str = "sv", width: int = 100) -> str:
    with use_language(lang):
        lines = [f"{d.file}  {d.proposal}  {d.title}",
                 "  " + _("fund: {fund}   policy version: {version}   decision date: {date}").format(
                     fund=d.fund, version=d.policy_version, date=d.decision_date),
                 "  " + _("decision: {outcome}").format(outcome=_(OUTCOME_WORDS[d.outcome]))
                 + ("   " + _("complete by: {date}").format(date=d.completion_deadline) if d.completion_deadline else "")]
        if not d.findings:
            lines.append("  " + _("(no findings: the application meets the guidelines)"))
            return "\n".join(lines) + "\n"
        heads = (_("clause"), _("severity"), _("rule"), _("finding"))
        words = {f.severity: _(SEVERITY_WORDS[f.severity]) for f in d.findings}
        clause_w = max(7, len(heads[0]))
        rule_w = max(len(heads[2]), *(len(f.rule) for f in d.findings))
        sev_w = max(len(heads[1]), *(len(w) for w in words.values()))
        lines.append(f"  {heads[0]:<{clause_w}} {heads[1]:<{sev_w}}  {heads[2]:<{rule_w}}  {heads[3]}")
        indent = 2 + clause_w + 1 + sev_w + 2 + rule_w + 2
        for f in d.findings:
            wrapped = textwrap.wrap(f.message, max(30, width - indent)) or [""]
            lines.append(f"  {f.clause:<{clause_w}} {words[f.severity]:<{sev_w}}  {f.rule:<{rule_w}}  {wrapped[0]}")
            lines.extend(" " * indent + w for w in wrapped[1:])
        return "\n".join(lines) + "\n"
