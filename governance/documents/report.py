"""Decisions as text and JSON for the command line, with a closing summary per fund."""
from __future__ import annotations

import io
import textwrap
from typing import TextIO

from governance.engine.batch import BatchResult
from governance.engine.decision import Decision, json_line
from governance.errors import Problem
from governance.i18n import _, ngettext, use_language
from governance.terminal import printable
from governance.wording import OUTCOME_WORDS, SEVERITY_WORDS, fmt_money

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


class Summary:
    """The closing summary, gathered decision by decision (so a stream needs no list)."""

    def __init__(self) -> None:
        self.funds: dict[str, _Tally] = {}
        self.total = _Tally()
        self.files_with_errors: set[str] = set()

    def add(self, decision: Decision | None = None, problems: list[Problem] = ()) -> None:
        if decision is not None:
            self.funds.setdefault(decision.fund, _Tally(decision.fund_name)).add(decision)
            self.total.add(decision)
        self.files_with_errors.update(p.file or "" for p in problems)

    def text(self, lang: str = "sv") -> str:
        """Per fund: how many decisions of each outcome and the amounts applied for and
        granted; then the same in all, and how many files could not be read."""
        with use_language(lang):
            lines = []
            if len(self.funds) > 1:
                lines.append(_("Summary per fund"))
                for fund in sorted(self.funds):
                    lines.append(f"  {printable(self.funds[fund].name)}: {self.funds[fund].text(lang)}")
            files = len(self.files_with_errors)
            in_all = self.total.text(lang) + "; " + ngettext(
                "{n} file with errors", "{n} files with errors", files).format(n=files)
            lines.append(_("In all: {summary}").format(summary=in_all) if len(self.funds) > 1 else in_all)
            return "\n".join(lines)


class _Tally:
    def __init__(self, name: str = "") -> None:
        self.name = name
        self.decisions = 0
        self.counts: dict[str, int] = {}
        self.applied = self.granted = self.unknown = 0

    def add(self, d: Decision) -> None:
        self.decisions += 1
        self.counts[d.outcome] = self.counts.get(d.outcome, 0) + 1
        if d.fund_grant is None:
            self.unknown += 1
        else:
            self.applied += d.fund_grant
            if d.outcome in GRANTED:
                self.granted += d.fund_grant

    def text(self, lang: str) -> str:
        """"2 decisions (1 approved, 1 rejected); applied for SEK 1,200,000, granted SEK 500,000"."""
        text = ngettext("{n} decision", "{n} decisions", self.decisions).format(n=self.decisions)
        if not self.decisions:
            return text
        parts = [_counted(o, self.counts[o]) for o in OUTCOME_WORDS if o in self.counts]
        if parts:
            text += f" ({', '.join(parts)})"
        text += "; " + _("applied for {applied}, granted {granted}").format(
            applied=fmt_money(self.applied, lang), granted=fmt_money(self.granted, lang))
        if self.unknown:
            text += " " + ngettext("(the amount is not known for {n} application)",
                                   "(the amount is not known for {n} applications)", self.unknown).format(n=self.unknown)
        return text


def summary(batch: BatchResult, lang: str = "sv") -> str:
    gathered = Summary()
    for d in batch.decisions:
        gathered.add(d)
    gathered.add(problems=batch.errors)
    return gathered.text(lang)


def as_text(batch: BatchResult, lang: str = "sv", width: int = 100) -> str:
    body = "\n".join(decision_text(d, lang, width) for d in batch.decisions)
    return body + ("\n" if body else "") + summary(batch, lang) + "\n"


# ------------------------------------------------------------------------------ JSON

class JsonDocument:
    """``{"decisions": [...], "errors": [...]}`` written as it grows: one decision a line, each
    as soon as it is made; the errors (a few) at the end. Byte for byte what ``as_json``
    gives for the same decisions and errors."""

    def __init__(self, out: TextIO):
        self.out = out
        self.count = 0
        self.errors: list[Problem] = []
        out.write('{"decisions": [')

    def add(self, decision: Decision | None = None, problems: list[Problem] = ()) -> None:
        if decision is not None:
            self.out.write(("\n" if self.count == 0 else ",\n") + decision.json_text())
            self.count += 1
        self.errors.extend(problems)

    def close(self) -> None:
        self.out.write(("\n" if self.count else "") + '],\n"errors": [')
        self.out.write(",".join("\n" + json_line(e.as_dict()) for e in self.errors))
        self.out.write(("\n" if self.errors else "") + "]}\n")


class JsonLines:
    """One JSON object a line: a decision as the JSON document has it, or ``{"error": {...}}``."""

    def __init__(self, out: TextIO):
        self.out = out

    def add(self, decision: Decision | None = None, problems: list[Problem] = ()) -> None:
        if decision is not None:
            self.out.write(decision.json_text() + "\n")
        for problem in problems:
            self.out.write(json_line({"error": problem.as_dict()}) + "\n")

    def close(self) -> None:
        pass


def as_json(batch: BatchResult) -> str:
    out = io.StringIO()
    document = JsonDocument(out)
    for d in batch.decisions:
        document.add(d)
    document.add(problems=batch.errors)
    document.close()
    return out.getvalue()


def decision_text(d: Decision, lang: str = "sv", width: int = 100) -> str:
    with use_language(lang):
        lines = [f"{printable(d.file or '')}  {printable(d.proposal)}  {printable(d.title)}",  # nothing from a file moves the cursor
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
            wrapped = textwrap.wrap(printable(f.message), max(30, width - indent)) or [""]
            lines.append(f"  {f.clause:<{clause_w}} {words[f.severity]:<{sev_w}}  {f.rule:<{rule_w}}  {wrapped[0]}")
            lines.extend(" " * indent + w for w in wrapped[1:])
        return "\n".join(lines) + "\n"
