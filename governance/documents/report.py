"""Decisions as text and JSON for the command line."""
from __future__ import annotations

import json
import textwrap

from governance.engine.batch import BatchResult
from governance.engine.decision import Decision

OUTCOME_WORDS = {
    "sv": {"approved": "Beviljas", "approved_with_conditions": "Beviljas med villkor",
           "completion_requested": "Komplettering begärs", "rejected": "Avslag"},
    "en": {"approved": "Approved", "approved_with_conditions": "Approved with conditions",
           "completion_requested": "Completion requested", "rejected": "Rejected"},
}
SEVERITY_WORDS = {
    "sv": {"reject": "avslagsgrund", "complete": "komplettering", "condition": "villkor", "note": "anmärkning"},
    "en": {"reject": "reject", "complete": "complete", "condition": "condition", "note": "note"},
}
HEAD = {
    "sv": ("fond", "policyversion", "beslutsdatum", "beslut", "komplettera senast", "inga anmärkningar",
           "klausul", "allvar", "regel", "bedömning"),
    "en": ("fund", "policy version", "decision date", "decision", "complete by", "no findings",
           "clause", "severity", "rule", "finding"),
}


def as_json(batch: BatchResult) -> str:
    doc = {
        "decisions": [d.as_json() for d in batch.decisions],
        "errors": [e.as_dict() for e in batch.errors],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def as_text(batch: BatchResult, lang: str = "sv", width: int = 100) -> str:
    body = "\n".join(decision_text(d, lang, width) for d in batch.decisions)
    return body + ("\n" if body else "") + summary(batch, lang) + "\n"


def summary(batch: BatchResult, lang: str = "sv") -> str:
    """One line: how many decisions of each outcome, and how many files could not be read."""
    counts: dict[str, int] = {}
    for d in batch.decisions:
        counts[d.outcome] = counts.get(d.outcome, 0) + 1
    parts = [f"{counts[o]} {OUTCOME_WORDS[lang][o].lower()}" for o in OUTCOME_WORDS[lang] if o in counts]
    files = len({e.file for e in batch.errors})
    if lang == "sv":
        return f"{len(batch.decisions)} beslut" + (f" ({', '.join(parts)})" if parts else "") + \
            f", {files} {'fil' if files == 1 else 'filer'} med fel"
    return f"{len(batch.decisions)} decisions" + (f" ({', '.join(parts)})" if parts else "") + \
        f", {files} {'file' if files == 1 else 'files'} with errors"


def decision_text(d: Decision, lang: str = "sv", width: int = 100) -> str:
    h = HEAD[lang]
    lines = [f"{d.file}  {d.proposal}  {d.title}",
             f"  {h[0]}: {d.fund}   {h[1]}: {d.policy_version}   {h[2]}: {d.decision_date}",
             f"  {h[3]}: {OUTCOME_WORDS[lang][d.outcome]}"
             + (f"   {h[4]}: {d.completion_deadline}" if d.completion_deadline else "")]
    if not d.findings:
        lines.append(f"  ({h[5]})")
    else:
        rule_w = max(len(f.rule) for f in d.findings)
        sev_w = max(len(SEVERITY_WORDS[lang][f.severity]) for f in d.findings)
        lines.append(f"  {h[6]:<7} {h[7]:<{sev_w}}  {h[8]:<{rule_w}}  {h[9]}")
        indent = 2 + 8 + sev_w + 2 + rule_w + 2
        for f in d.findings:
            wrapped = textwrap.wrap(f.message, max(30, width - indent)) or [""]
            lines.append(f"  {f.clause:<7} {SEVERITY_WORDS[lang][f.severity]:<{sev_w}}  {f.rule:<{rule_w}}  {wrapped[0]}")
            lines.extend(" " * indent + w for w in wrapped[1:])
    return "\n".join(lines) + "\n"
