"""What a policy change would do: re-decide past proposals under today's files and under
edited ones (or another policy date), and report every proposal whose decision changes,
what changed in the files, and what it means per fund and outcome in kronor.

``impact`` computes; governance.authoring.memo writes it for the board (text, HTML, CSV, JSON).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.engine import expr
from governance.engine.decision import Decision, Finding
from governance.errors import FundgovError, Problem
from governance.engine.judge import decide
from governance.formats.loader import expand_paths, load_proposal, parse_proposal
from governance.engine.rulebook import Rule, Rulebook, clause_key
from governance.policy.book import Fund, ParamDef, PolicyVersion

GRANTED = ("approved", "approved_with_conditions")


@dataclass(frozen=True)
class ParameterChange:
    """One parameter of one fund takes another value from a date."""

    fund: str
    name: str
    day: dt.date
    before: Any  # the value in force from ``day`` before the change (None: none, or not declared)
    after: Any
    reference: str | None
    declared_before: bool = True
    declared_after: bool = True

    def as_json(self) -> dict:
        return {"fund": self.fund, "parameter": self.name, "from": self.day.isoformat(), "before": self.before,
                "after": self.after, "reference": self.reference}


@dataclass(frozen=True)
class RuleChange:
    """A rule added, removed, or written differently."""

    rule: str
    clause: str
    kind: str  # added | removed | changed
    before: str | None  # its condition as written (applies; when), or None
    after: str | None
    #: what a changed rule has changed, each as (aspect, before, after): the aspect one of
    #: ASPECTS; a text as {"sv": …, "en": …}, a severity or clause as its code
    aspects: tuple[tuple[str, Any, Any], ...] = ()

    def as_json(self) -> dict:
        return {"rule": self.rule, "clause": self.clause, "change": self.kind, "before": self.before,
                "after": self.after,
                "changed": [{"aspect": a, "before": b, "after": c} for a, b, c in self.aspects]}


#: what of a rule may change, in the order a memo names it
ASPECTS = ("condition", "severity", "clause", "title", "message", "missing_message", "condition_text", "completion",
           "explain", "show")


@dataclass(frozen=True)
class FindingChange:
    """What one rule gives a proposal before and after, and the values it judged."""

    rule: str
    clause: str
    title: str
    before: Finding | None
    after: Finding | None
    values: tuple[tuple[str, Any, Any], ...]  # (name, before, after): the facts and parameters of the rule

    def as_json(self) -> dict:
        side = lambda f: None if f is None else {"severity": f.severity, "message": f.message}  # noqa: E731
        return {"rule": self.rule, "clause": self.clause, "title": self.title, "before": side(self.before),
                "after": side(self.after), "values": {n: {"before": b, "after": a} for n, b, a in self.values}}


@dataclass
class Change:
    file: str
    proposal: str
    fund: str
    title: str
    submitted: str
    before: Decision
    after: Decision
    findings: list[FindingChange] = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        return sorted(_keys(self.after) - _keys(self.before))

    @property
    def removed(self) -> list[str]:
        return sorted(_keys(self.before) - _keys(self.after))

    @property
    def grant(self) -> int | None:
        return self.after.fund_grant if self.after.fund_grant is not None else self.before.fund_grant

    def as_json(self) -> dict:
        return {"file": self.file, "proposal": self.proposal, "title": self.title, "fund": self.fund,
                "submitted": self.submitted, "fund_grant": self.grant,
                "before": _summary(self.before), "after": _summary(self.after),
                "findings_added": self.added, "findings_removed": self.removed,
                "findings": [f.as_json() for f in self.findings]}


@dataclass
class FundTotals:
    """One fund's proposals: how many were decided and changed, and the amounts granted."""

    fund: str
    name: str
    decided: int = 0
    changed: int = 0
    granted_before: int = 0  # the fund grant of the proposals approved (with or without conditions)
    granted_after: int = 0
    approved_before: int = 0
    approved_after: int = 0
    submitted: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"fund": self.fund, "decided": self.decided, "changed": self.changed,
                "approved": {"before": self.approved_before, "after": self.approved_after},
                "granted_sek": {"before": self.granted_before, "after": self.granted_after},
                "latest_submitted": max(self.submitted) if self.submitted else None}


@dataclass
class ImpactReport:
    decision_date: dt.date | None = None
    policy_date: dt.date | None = None  # --at: every proposal judged by the version in force then
    decided: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    parameters: list[ParameterChange] = field(default_factory=list)
    rules: list[RuleChange] = field(default_factory=list)
    funds: dict[str, FundTotals] = field(default_factory=dict)

    @property
    def moves(self) -> dict[str, int]:
        """How many proposals move between which outcomes ("approved → rejected": 2)."""
        out: dict[str, int] = {}
        for c in self.changes:
            key = f"{c.before.outcome} → {c.after.outcome}"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    def by_fund_and_outcome(self) -> list[tuple[str, str, str, int, int]]:
        """(fund, outcome before, outcome after, proposals, the fund grant they apply for)."""
        rows: dict[tuple[str, str, str], list[int]] = {}
        for c in self.changes:
            row = rows.setdefault((c.fund, c.before.outcome, c.after.outcome), [0, 0])
            row[0] += 1
            row[1] += c.grant or 0
        return [(*key, n, sek) for key, (n, sek) in sorted(rows.items())]

    def missed(self) -> list[tuple[str, dt.date, str, int]]:
        """Where a fund's changes all take effect after its latest proposal was submitted, so
        that none of its proposals is judged by them: (fund, first change, latest submission,
        proposals). Empty with --at, which judges every proposal by one date."""
        if self.policy_date is not None:
            return []
        out = []
        for fund, totals in sorted(self.funds.items()):
            days = [p.day for p in self.parameters if p.fund == fund]
            if not days or not totals.submitted:
                continue
            latest = max(totals.submitted)
            if min(days).isoformat() > latest:
                out.append((fund, min(days), latest, totals.decided))
        return out

    def as_json(self) -> dict:
        return {"decision_date": self.decision_date.isoformat() if self.decision_date else None,
                "policy_date": self.policy_date.isoformat() if self.policy_date else None,
                "decided": self.decided, "changed": len(self.changes), "moves": self.moves,
                "parameters": [p.as_json() for p in self.parameters], "rules": [r.as_json() for r in self.rules],
                "funds": {f: t.as_json() for f, t in sorted(self.funds.items())},
                "by_fund_and_outcome": [{"fund": f, "before": b, "after": a, "proposals": n, "fund_grant_sek": sek}
                                        for f, b, a, n, sek in self.by_fund_and_outcome()],
                "missed": [{"fund": f, "from": d.isoformat(), "latest_submitted": s, "proposals": n}
                           for f, d, s, n in self.missed()],
                "changes": [c.as_json() for c in self.changes], "errors": [e.as_dict() for e in self.errors]}


def _keys(d: Decision) -> set[str]:
    return {f"{f.clause} {f.rule} ({f.severity})" for f in d.findings}


def _summary(d: Decision) -> dict:
    return {"outcome": d.outcome, "policy_version": d.policy_version,
            "findings": [f"{f.clause}:{f.severity}" for f in d.findings]}


# ------------------------------------------------------------------------------ what changed in the files


def parameter_changes(before: Rulebook, after: Rulebook) -> list[ParameterChange]:
    """Every parameter of every fund whose value from some date differs between the files."""
    out = []
    for fund_id in sorted(set(before.policies.funds) | set(after.policies.funds)):
        old: Fund | None = before.policies.funds.get(fund_id)
        new: Fund | None = after.policies.funds.get(fund_id)
        names = sorted(set(old.params if old else ()) | set(new.params if new else ()))
        for name in names:
            out.extend(_timeline(fund_id, name, old.params.get(name) if old else None,
                                 new.params.get(name) if new else None))
    return out


def _timeline(fund: str, name: str, old: ParamDef | None, new: ParamDef | None) -> list[ParameterChange]:
    """The days from which the parameter's value differs between the files, with both values."""
    days = sorted({v.from_ for p in (old, new) if p is not None for v in p.values})
    out, previous = [], None
    for day in days:
        b = old.at(day) if old is not None else None
        a = new.at(day) if new is not None else None
        state = (b is not None, b.value if b else None, a is not None, a.value if a else None)
        if state != previous and state[:2] != state[2:]:
            out.append(ParameterChange(fund, name, day, state[1], state[3], a.reference if a else None,
                                       state[0], state[2]))
        previous = state
    return out


def _condition(rule: Rule) -> str:
    parts = []
    if rule.applies is not None:
        parts.append(f"applies: {expr.to_text(rule.applies)}")
    if rule.needs:
        parts.append(f"needs: [{', '.join(rule.needs)}]")
    if rule.when is not None:
        parts.append(f"when: {expr.to_text(rule.when)}")
    return "; ".join(parts)


def _aspects(old: Rule, new: Rule) -> tuple[tuple[str, Any, Any], ...]:
    """What of a rule changed between the files (see ASPECTS), with both sides."""
    def text(value):
        return None if value is None else {"sv": value.sv, "en": value.en}

    a, b = old.spec, new.spec
    sides = {
        "condition": (_condition(old), _condition(new)),
        "severity": (a.severity, b.severity),
        "clause": (a.clause, b.clause),
        "title": (text(a.title), text(b.title)),
        "message": (text(a.message), text(b.message)),
        "missing_message": (text(a.missing_message), text(b.missing_message)),
        "condition_text": (text(a.condition), text(b.condition)),
        "completion": (text(a.completion), text(b.completion)),
        "explain": (text(a.explain), text(b.explain)),
        "show": (list(a.show), list(b.show)),
    }
    if a.condition is not None and b.condition is not None and a.condition.by != b.condition.by:
        sides["condition_text"] = ({**text(a.condition), "by": a.condition.by}, {**text(b.condition), "by": b.condition.by})
    return tuple((aspect, *sides[aspect]) for aspect in ASPECTS if sides[aspect][0] != sides[aspect][1])


def rule_changes(before: Rulebook, after: Rulebook) -> list[RuleChange]:
    """Rules added, removed or written differently (condition, severity, clause or texts)."""
    out = []
    for rule_id in sorted(set(before.by_id) | set(after.by_id)):
        old, new = before.by_id.get(rule_id), after.by_id.get(rule_id)
        if old is None:
            out.append(RuleChange(rule_id, new.clause, "added", None, _condition(new)))
        elif new is None:
            out.append(RuleChange(rule_id, old.clause, "removed", _condition(old), None))
        elif old.spec != new.spec:
            out.append(RuleChange(rule_id, new.clause, "changed", _condition(old), _condition(new),
                                  _aspects(old, new)))
    return sorted(out, key=lambda r: (clause_key(r.clause), r.rule))


# ------------------------------------------------------------------------------ re-deciding


def _version(rulebook: Rulebook, d: Decision) -> PolicyVersion:
    return rulebook.policies.version(d.fund, dt.date.fromisoformat(d.policy_version))


def _values(rulebook_before: Rulebook, rulebook_after: Rulebook, before: Decision, after: Decision,
            old: Finding | None, new: Finding | None) -> tuple[tuple[str, Any, Any], ...]:
    """The facts and parameters one rule judged, before and after: a parameter from each side's
    policy version, a fact from the finding that shows it (the same application on both sides)."""
    names = list(dict.fromkeys([*(old.values if old else {}), *(new.values if new else {})]))
    rule = rulebook_after.by_id.get((new or old).rule) or rulebook_before.by_id.get((new or old).rule)
    if rule is not None and rule.applies is not None:  # where the rule is judged is no value it judges
        judged = set(rule.when_facts) | set(rule.needs) | set(rule.spec.show)
        names = [n for n in names if n.startswith("policy.") or n in judged or n not in expr.names(rule.applies)[0]]
    v_before, v_after = _version(rulebook_before, before), _version(rulebook_after, after)
    rows = []
    for name in names:
        if name.startswith("policy."):
            param = name[len("policy."):]
            rows.append((name, v_before.params.get(param), v_after.params.get(param)))
        else:
            b = old.values.get(name) if old else (new.values.get(name) if new else None)
            a = new.values.get(name) if new else b
            rows.append((name, b, a))
    return tuple(rows)


def _finding_changes(before_book: Rulebook, after_book: Rulebook, old: Decision, new: Decision) -> list[FindingChange]:
    by_rule_old = {f.rule: f for f in old.findings}
    by_rule_new = {f.rule: f for f in new.findings}
    out = []
    for rule_id in dict.fromkeys([*by_rule_old, *by_rule_new]):
        b, a = by_rule_old.get(rule_id), by_rule_new.get(rule_id)
        if b is not None and a is not None and (b.severity, b.message) == (a.severity, a.message):
            continue
        shown = a or b
        out.append(FindingChange(rule_id, shown.clause, shown.title, b, a,
                                 _values(before_book, after_book, old, new, b, a)))
    return sorted(out, key=lambda f: (clause_key(f.clause), f.rule))


def impact(before: Rulebook, after: Rulebook, paths: list[str | Path], decision_date: dt.date,
           lang: str = "sv", fund: str | None = None, policy_date: dt.date | None = None,
           recorded: list[tuple[str, str]] | None = None) -> ImpactReport:
    """Decide every proposal under ``before`` and under ``after`` (with ``policy_date``, the
    after-side uses the policy version in force on that date instead of the submission date).

    The proposals are the files in ``paths`` and, with ``recorded``, inputs from the
    register as (name, text) pairs."""
    files, problems = expand_paths(paths) if paths else ([], [])
    report = ImpactReport(decision_date, policy_date, errors=list(problems),
                          parameters=[p for p in parameter_changes(before, after) if fund in (None, p.fund)],
                          rules=rule_changes(before, after))
    sources = [(path, None) for path in files] + [(name, text) for name, text in recorded or []]
    for path, text in sources:
        try:
            loaded = load_proposal(path) if text is None else parse_proposal(text, str(path))
            if fund is not None and loaded.model.fund != fund:
                continue
            old = decide(before, loaded, decision_date, lang)
            new = decide(after, loaded, decision_date, lang, policy_date=policy_date)
        except FundgovError as exc:
            report.errors.extend(exc.problems)
            continue
        report.decided += 1
        p = loaded.model
        totals = report.funds.setdefault(p.fund, FundTotals(p.fund, new.fund_name))
        totals.decided += 1
        totals.submitted.append(p.submitted.isoformat())
        for d, side in ((old, "before"), (new, "after")):
            if d.outcome in GRANTED:
                setattr(totals, f"approved_{side}", getattr(totals, f"approved_{side}") + 1)
                setattr(totals, f"granted_{side}", getattr(totals, f"granted_{side}") + (d.fund_grant or 0))
        if old.outcome != new.outcome or _keys(old) != _keys(new):
            totals.changed += 1
            report.changes.append(Change(loaded.file, p.id, p.fund, p.title, p.submitted.isoformat(), old, new,
                                         _finding_changes(before, after, old, new)))
    return report
