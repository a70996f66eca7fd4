"""The impact of a policy change as the board reads it: a memo in Swedish (or English) as
text or HTML, and the same facts as CSV and JSON for a spreadsheet or a CI of rule files.

The memo says what changed in the files (each parameter: old → new, from which date), what
that does to past applications (per fund and outcome, in kronor), each application whose
decision changes with the findings and values before and after, and, where a change takes
effect after every application was submitted, that none of them is judged by it.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from governance.authoring.impact import Change, ImpactReport, ParameterChange
from governance.engine.rulebook import Rulebook
from governance.i18n import N_, _, ngettext, use_language
from governance.terminal import columns
from governance.wording import OUTCOME_WORDS, SEVERITY_WORDS, fmt_date, fmt_money, fmt_value

NO_FINDING = N_("no finding")
RULE_CHANGE_WORDS = {"added": N_("new rule"), "removed": N_("rule removed"), "changed": N_("rule changed")}


class Words:
    """Values and names as the memo shows them, from the edited files' labels and types."""

    def __init__(self, before: Rulebook, after: Rulebook, lang: str):
        self.before, self.after, self.lang = before, after, lang

    def outcome(self, outcome: str) -> str:
        return _(OUTCOME_WORDS[outcome])

    def severity(self, severity: str | None) -> str:
        return _(SEVERITY_WORDS[severity] if severity is not None else NO_FINDING)

    def date(self, iso: str) -> str:
        import datetime as dt

        return fmt_date(dt.date.fromisoformat(iso), self.lang)

    def money(self, sek: int | None) -> str:
        return fmt_money(sek, self.lang) if sek is not None else "—"

    def fund(self, fund_id: str) -> str:
        for book in (self.after, self.before):
            if fund_id in book.policies.funds:
                return getattr(book.policies.funds[fund_id].name, self.lang)
        return fund_id

    def _param(self, name: str):
        for book in (self.after, self.before):
            for fund in book.policies.funds.values():
                if name in fund.params:
                    return book, fund.params[name]
        return None, None

    def parameter(self, name: str) -> str:
        """"highest grant per calendar year" (its label), else its name."""
        for book in (self.after, self.before):
            label = book.labels.parameters.get(name)
            if label is not None:
                return getattr(label, self.lang)
        return name

    def parameter_value(self, name: str, value: Any) -> str:
        book, spec = self._param(name)
        if spec is None:
            return str(value)
        if value is None:
            return book.labels.none_words(name, self.lang)
        if spec.type == "months" and isinstance(value, int):
            return ngettext("{n} month", "{n} months", value).format(n=value)
        if spec.type == "years" and isinstance(value, int):
            return ngettext("{n} year", "{n} years", value).format(n=value)
        if spec.type == "boolean":
            return _("yes") if value else _("no")
        words = book.labels.value_words("kinds") if spec.type == "kinds" else None
        return fmt_value(value, spec.type, self.lang, words)

    def fact(self, name: str) -> str:
        label = self.after.labels.facts.get(name) or self.before.labels.facts.get(name)
        return getattr(label, self.lang) if label is not None else name

    def fact_value(self, name: str, value: Any) -> str:
        fact = self.after.facts.get(name)
        if value is None:
            return "—"
        if fact is None:
            return str(value)
        return fmt_value(value, fact.type.kind, self.lang, self.after.labels.value_words(name))

    def value_row(self, name: str, before: Any, after: Any) -> tuple[str, str, str]:
        if name.startswith("policy."):
            param = name[len("policy."):]
            return self.parameter(param), self.parameter_value(param, before), self.parameter_value(param, after)
        return self.fact(name), self.fact_value(name, before), self.fact_value(name, after)


def _parameter_line(words: Words, p: ParameterChange) -> dict[str, str]:
    before = words.parameter_value(p.name, p.before) if p.declared_before else _("not declared")
    after = words.parameter_value(p.name, p.after) if p.declared_after else _("not declared")
    return {"fund": words.fund(p.fund), "fund_id": p.fund, "label": words.parameter(p.name), "name": p.name,
            "before": before, "after": after, "from": words.date(p.day.isoformat()), "reference": p.reference or ""}


def _case(words: Words, c: Change) -> dict[str, Any]:
    findings = []
    for f in c.findings:
        findings.append({
            "clause": f.clause, "title": f.title,
            "before": words.severity(f.before.severity if f.before else None),
            "after": words.severity(f.after.severity if f.after else None),
            "message_before": f.before.message if f.before else None,
            "message_after": f.after.message if f.after else None,
            "values": [words.value_row(n, b, a) for n, b, a in f.values],
        })
    return {"proposal": c.proposal, "title": c.title, "file": c.file, "fund": words.fund(c.fund),
            "submitted": words.date(c.submitted), "grant": words.money(c.grant),
            "before": words.outcome(c.before.outcome), "after": words.outcome(c.after.outcome),
            "findings": findings}


def memo(report: ImpactReport, before: Rulebook, after: Rulebook, lang: str = "sv") -> dict[str, Any]:
    """Everything the memo says, worded in ``lang`` (the text and HTML forms lay it out)."""
    with use_language(lang):
        words = Words(before, after, lang)
        changed = len(report.changes)
        intro = [ngettext("{n} application was decided again as on {date}.",
                          "{n} applications were decided again as on {date}.", report.decided).format(
            n=report.decided, date=words.date(report.decision_date.isoformat()))]
        if report.policy_date is not None:
            intro.append(_("Each was judged by the policy in force on {date} instead of the one in force when it "
                           "was submitted.").format(date=words.date(report.policy_date.isoformat())))
        intro.append(ngettext("The decision changes for {n} of them.", "The decision changes for {n} of them.",
                              changed).format(n=changed) if changed else _("No decision changes."))
        # for the board; what the author can do about it (--at) the command says beside the memo
        notes = [_("{fund}: the change takes effect on {date}, but the latest application to the fund was submitted "
                   "on {latest}, so none of these applications is judged by it.").format(
                       fund=words.fund(f), date=words.date(day.isoformat()), latest=words.date(latest))
                 for f, day, latest, _n in report.missed()]
        return {
            "lang": lang,
            "title": _("Impact of the proposed change to the fund rules"),
            "intro": intro,
            "parameters": [_parameter_line(words, p) for p in report.parameters],
            "rules": [{"rule": r.rule, "clause": r.clause, "change": _(RULE_CHANGE_WORDS[r.kind]),
                       "before": r.before, "after": r.after, "what": [_aspect_line(words, *a) for a in r.aspects]}
                      for r in report.rules],
            "moves": [{"fund": words.fund(f), "before": words.outcome(b), "after": words.outcome(a), "n": n,
                       "grant": words.money(sek)} for f, b, a, n, sek in report.by_fund_and_outcome()],
            "funds": [{"fund": words.fund(t.fund), "decided": t.decided, "changed": t.changed,
                       "approved_before": t.approved_before, "approved_after": t.approved_after,
                       "granted_before": words.money(t.granted_before), "granted_after": words.money(t.granted_after),
                       "difference": words.money(t.granted_after - t.granted_before)}
                      for t in sorted(report.funds.values(), key=lambda t: t.fund)],
            "cases": [_case(words, c) for c in report.changes],
            "notes": notes,
            "errors": [str(e) for e in report.errors],
            "heads": {
                "changes": _("What changes"), "parameters": _("Parameters"), "rules": _("Rules"),
                "summary": _("Summary"), "moves": _("Decisions that change, per fund and outcome"),
                "funds": _("Per fund: approved applications and the amounts granted"),
                "cases": _("Applications whose decision changes"), "notes": _("Note"),
                "errors": _("Files that could not be read"),
                "fund": _("Fund"), "parameter": _("Parameter"), "before": _("Before"), "after": _("After"),
                "from": _("From"), "reference": _("Reference"), "outcome_before": _("Decision before"),
                "outcome_after": _("Decision after"), "applications": _("Applications"),
                "grant": _("Applied for from the fund"), "decided": _("Decided"), "changed": _("Changed"),
                "approved_before": _("Approved before"), "approved_after": _("Approved after"),
                "granted_before": _("Granted before"), "granted_after": _("Granted after"),
                "difference": _("Difference"), "decision": _("Decision"), "submitted": _("Submitted"),
                "values": _("Values"), "value": _("Value"), "rule": _("Rule"), "clause": _("Clause"),
                "no_parameters": _("No parameter changes."), "no_rules": _("No rule changes."),
                "file": _("File"),
            },
        }


#: what of a rule changed, as a memo names it (``{before}`` and ``{after}`` as worded below)
ASPECT_WORDS = {"condition": N_("the condition: {before} → {after}"),
                "severity": N_("what it gives: {before} → {after}"),
                "clause": N_("the clause: {before} → {after}"),
                "title": N_("the title: {before} → {after}"),
                "message": N_("the message: {before} → {after}"),
                "missing_message": N_("the message where a value is missing: {before} → {after}"),
                "condition_text": N_("the condition set on the grant: {before} → {after}"),
                "completion": N_("what a completion asks for: {before} → {after}"),
                "explain": N_("the explanation in plain words: {before} → {after}"),
                "show": N_("the values it shows: {before} → {after}")}


def _aspect_line(words: Words, aspect: str, before, after) -> str:
    """One thing a changed rule changes, both sides in the memo's language."""
    def side(value) -> str:
        if value is None or value == []:
            return "—"
        if aspect == "severity":
            return words.severity(value)
        if isinstance(value, dict):
            text = value.get(words.lang) or ""
            by = value.get("by")
            quoted = f"”{text}”" if words.lang == "sv" else f"“{text}”"
            return quoted + (f" ({by})" if by else "")
        if isinstance(value, list):
            return ", ".join(value)
        return str(value)

    return _(ASPECT_WORDS[aspect]).format(before=side(before), after=side(after))


def as_text(report: ImpactReport, before: Rulebook, after: Rulebook, lang: str = "sv") -> str:
    m = memo(report, before, after, lang)
    h = m["heads"]
    out = [m["title"], "=" * len(m["title"]), ""]
    out += m["intro"] + [""]
    out += [h["changes"], "-" * len(h["changes"])]
    if m["parameters"]:
        for p in m["parameters"]:
            out.append(f"  {p['fund']}: {p['label']} ({p['name']}): {p['before']} → {p['after']}, "
                       + _("from {date}").format(date=p["from"]) + (f" ({p['reference']})" if p["reference"] else ""))
    else:
        out.append("  " + h["no_parameters"])
    for r in m["rules"]:
        if r["what"]:  # a changed rule: each thing it changes on a line of its own
            out.append(f"  {r['change']} {r['rule']} ({r['clause']}):")
            out += [f"    – {line}" for line in r["what"]]
        else:
            out.append(f"  {r['change']} {r['rule']} ({r['clause']}): {r['before'] or r['after']}")
    out.append("")
    if m["notes"]:
        out += [h["notes"], "-" * len(h["notes"])] + [f"  {n}" for n in m["notes"]] + [""]
    out += [h["summary"], "-" * len(h["summary"])]
    if m["moves"]:
        out.append("  " + h["moves"] + ":")
        out += columns([h["fund"], h["outcome_before"], h["outcome_after"], h["applications"], h["grant"]],
                      [[r["fund"], r["before"], r["after"], str(r["n"]), r["grant"]] for r in m["moves"]],
                      right={3, 4}, indent="    ")
    out.append("  " + h["funds"] + ":")
    out += columns([h["fund"], h["decided"], h["changed"], h["approved_before"], h["approved_after"],
                   h["granted_before"], h["granted_after"], h["difference"]],
                  [[f["fund"], str(f["decided"]), str(f["changed"]), str(f["approved_before"]),
                    str(f["approved_after"]), f["granted_before"], f["granted_after"], f["difference"]]
                   for f in m["funds"]], right={1, 2, 3, 4, 5, 6, 7}, indent="    ")
    out.append("")
    if m["cases"]:
        out += [h["cases"], "-" * len(h["cases"])]
        for c in m["cases"]:
            out.append(f"  {c['proposal']} {c['title']}")
            out.append(f"    {c['fund']}; {h['submitted'].lower()} {c['submitted']}; {h['grant'].lower()} {c['grant']}"
                       f"; {c['file']}")
            out.append(f"    {h['decision']}: {c['before']} → {c['after']}")
            for f in c["findings"]:
                out.append(f"    {f['clause']} {f['title']}: {f['before']} → {f['after']}")
                if f["message_before"]:
                    out.append(f"      {h['before']}: {f['message_before']}")
                if f["message_after"]:
                    out.append(f"      {h['after']}: {f['message_after']}")
                if f["values"]:
                    shown = "; ".join(f"{label} {b}" if b == a else f"{label} {b} → {a}" for label, b, a in f["values"])
                    out.append(f"      {h['values']}: {shown}")
            out.append("")
    if m["errors"]:
        out += [h["errors"], "-" * len(h["errors"])] + [f"  {e}" for e in m["errors"]] + [""]
    return "\n".join(out).rstrip() + "\n"


def as_html(report: ImpactReport, before: Rulebook, after: Rulebook, lang: str = "sv") -> str:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from governance.project import TEMPLATES

    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                                        autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("impact/memo.html.j2").render(memo=memo(report, before, after, lang))


CSV_COLUMNS = ("file", "proposal", "title", "fund", "submitted", "fund_grant_sek", "outcome_before", "outcome_after",
               "clause", "rule", "finding_before", "finding_after", "message_before", "message_after")


def _cell(value: Any) -> Any:
    """A text from an application never becomes a formula in a spreadsheet (=, +, -, @ first)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(report: ImpactReport) -> str:
    """One row per finding that changes (codes, not words: for a spreadsheet or a script)."""
    rows = []
    for c in report.changes:
        common = [c.file, c.proposal, c.title, c.fund, c.submitted, c.grant if c.grant is not None else "",
                  c.before.outcome, c.after.outcome]
        if not c.findings:
            rows.append(common + [""] * 6)
        for f in c.findings:
            rows.append(common + [f.clause, f.rule, f.before.severity if f.before else "",
                                  f.after.severity if f.after else "", f.before.message if f.before else "",
                                  f.after.message if f.after else ""])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def as_json(report: ImpactReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str)
