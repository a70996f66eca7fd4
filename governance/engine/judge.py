"""Deciding one proposal: policy version → figures → the compiled ruleset → findings → decision."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from governance.engine.compiler import ANCHOR
from governance.engine.decision import Decision, Finding, completion_deadline, outcome
from governance.errors import InputError, PolicyError
from governance.i18n import _
from governance.engine.facts import all_facts
from governance.engine.effects import EffectSavings, expected_savings
from governance.engine.figures import derive
from governance.engine.sensitivity import analyse
from governance.formats.loader import Loaded, did_you_mean
from governance.policy.book import PolicyVersion
from governance.formats.proposal import Proposal
from governance.engine.rulebook import Rule, Rulebook, findings_of
from governance.dates import add_months
from governance.engine.figures import yearly_grants
from governance.messages import fill
from governance.wording import LOCALES, fmt_value
from babel.lists import format_list

#: the finding where a value a rule needs is not given (§1); the letter names the clause and title
DEFAULT_MISSING = {
    "sv": "Ansökan saknar {missing}.",
    "en": "The application does not state {missing}.",
}


def policy_for(rulebook: Rulebook, loaded: Loaded, policy_date: dt.date | None = None) -> PolicyVersion:
    """The policy version in force on the proposal's submission date, or on ``policy_date``
    where one is given (placed errors otherwise)."""
    p: Proposal = loaded.model
    funds = rulebook.policies.funds
    if p.fund in rulebook.policies.broken:  # its problems are said where the policies are loaded
        raise InputError(loaded.source.problem(("fund",), rulebook.policies.broken_reason(p.fund)))
    if p.fund not in funds:
        known = rulebook.policies.known()
        raise InputError(loaded.source.problem(("fund",), _("unknown fund '{fund_id}'").format(fund_id=p.fund),
                                               did_you_mean(p.fund, known) or _("known funds: {funds}").format(
                                                   funds=", ".join(known))))
    try:
        return funds[p.fund].version_at(policy_date or p.submitted)
    except PolicyError as exc:
        raise InputError(loaded.source.problem(("submitted",), exc.problems[0].message)) from None


def engine_fact(facts: dict[str, Any], keys: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The durable_rules fact: only the facts the ruleset names, typed for the engine."""
    out = dict(ANCHOR)
    date = dt.date
    for name, key in keys:
        value = facts.get(name)
        if value is not None:
            out[key] = value.toordinal() if type(value) is date else value
    return out


#: what the evidence base says of each method, as passed in: method id -> {"level": int, ...}
#: (governance.board.evidence.EvidenceBase.levels() makes it; the engine never looks it up itself)
Evidence = Mapping[str, Mapping[str, Any]]


def decide(rulebook: Rulebook, loaded: Loaded, decision_date: dt.date, lang: str = "sv",
           policy_date: dt.date | None = None, evidence: Evidence | None = None) -> Decision:
    """Decide one loaded proposal. The clock is never read: ``decision_date`` is given.

    The policy version is the one in force on the submission date (§2), unless
    ``policy_date`` asks what another version would decide (``fundgov impact --at``).
    Expected effects are valued with the unit costs in force on that date, at the decision
    year's prices. ``evidence`` (method -> level, from the funds' shared evidence base) gives
    the fact ``method_evidence_level``; without it that fact is absent."""
    p: Proposal = loaded.model
    if p.submitted > decision_date:
        raise InputError(loaded.source.problem(
            ("submitted",), _("the application is dated {submitted}, after the decision date {date}: a decision "
                              "cannot come before the application").format(submitted=p.submitted.isoformat(),
                                                                            date=decision_date.isoformat()),
            _("check the submission date, or the decision date given with --date")))
    version = policy_for(rulebook, loaded, policy_date)
    compiled = rulebook.compiled(version)
    method = _method(rulebook, loaded)
    effects = expected_savings(loaded, rulebook.policies.unit_costs, policy_date or p.submitted, decision_date.year)
    figures = derive(p, version.params, effects, decision_date)
    used_evidence = None
    if method is not None and evidence is not None:
        entry = evidence.get(method)
        figures["method_evidence_level"] = int(entry["level"]) if entry else 0
        used_evidence = {"method": method, "level": figures["method_evidence_level"],
                         **({k: v for k, v in entry.items() if k not in ("method", "level")} if entry else {})}
    sensitivity = analyse(p, version.params, effects)
    facts = all_facts(loaded.facts or p, figures)
    facts.update(compiled.moved_dates(facts))  # decision_date + policy.x months, where a rule compares one
    fired = compiled.ruleset.fire(engine_fact(facts, compiled.fact_keys))
    hits = findings_of(fired, rulebook.order)  # rules sorted by clause, then id
    findings = _without_repeats([_finding(rulebook, compiled.rules[rule_id], kind, facts, version, lang,
                                          decision_date, p.start) for rule_id, kind in hits])
    result = outcome(findings)
    per_year = yearly_grants(p.budget) if p.budget and all(r.fund_sek is not None for r in p.budget) else None
    return Decision(
        file=loaded.file,
        proposal=p.id,
        title=p.title,
        fund=p.fund,
        fund_name=getattr(version.name, lang),
        policy_version=version.version.isoformat(),
        decision_date=decision_date.isoformat(),
        outcome=result,
        completion_deadline=completion_deadline(result, decision_date, version.params["decision.completion_days"]),
        lang=lang,
        findings=findings,
        fund_grant=figures.get("fund_grant"),
        fund_grant_per_year={str(y): a for y, a in sorted(per_year.items())} if per_year is not None else None,
        savings=_savings_section(p, effects),
        sensitivity=sensitivity.as_json() if sensitivity is not None else None,
        evidence=used_evidence,
    )


def _method(rulebook: Rulebook, loaded: Loaded) -> str | None:
    """The proposal's method id, checked against the methods catalogue (a placed error otherwise)."""
    p: Proposal = loaded.model
    method = p.intervention.method if p.intervention is not None else None
    if method is None:
        return None
    known = rulebook.policies.methods.methods
    if method not in known:
        hint = did_you_mean(method, known) or (_("known methods: {methods}").format(methods=", ".join(sorted(known)))
                                                if known else _("the policies have no methods catalogue (methods.yaml)"))
        raise InputError(loaded.source.problem(("intervention", "method"), _("unknown method '{method}'").format(
            method=method), hint))
    return method


def _savings_section(p: Proposal, effects: EffectSavings | None) -> dict[str, Any] | None:
    """The savings of expected effects with their arithmetic and sources, beside the stated rows."""
    if effects is None:
        return None
    section = effects.as_json()
    section["stated_rows"] = [{"committee": s.committee, "scope": s.scope, "year": s.year, "sek": s.sek,
                               "cost_item": s.cost_item} for s in p.expected_savings or []]
    return section


class _Wording:
    """What a rule's findings say that does not depend on the proposal, for one policy version
    and language: computed once, then reused for every proposal."""

    __slots__ = ("shown", "param_values", "param_words", "title", "labels")

    def __init__(self, rulebook: Rulebook, rule: Rule, version: PolicyVersion, lang: str):
        labels = rulebook.labels
        catalogue = rulebook.facts
        names = dict.fromkeys((*rule.facts, *(n for n in rule.spec.show if not n.startswith("policy."))))
        self.shown = tuple((n, catalogue[n].type.kind, choice_words(rulebook, n)) for n in names)
        self.param_values: dict[str, Any] = {}
        self.param_words: dict[str, str] = {}
        for name in rule.params:
            value = version.params.get(name)
            self.param_values[f"policy.{name}"] = value
            self.param_words[f"policy.{name}"] = parameter_words(labels, version, name, lang)
        self.title = getattr(rule.spec.title, lang)
        self.param_words.update(clause=rule.clause, title=self.title)
        self.param_words.update(fund_words(rulebook, version.fund, rule.fund_words, lang))
        self.labels = {n: labels.facts[n].asked(lang) for n in (*rule.when_facts, *rule.needs)}


def choice_words(rulebook: Rulebook, name: str) -> dict[str, dict[str, str]] | None:
    """The words for a fact's values: its choices in labels.yaml, or for the proposal's method
    the method's name in the methods catalogue (never its id)."""
    if name == "intervention.method" and rulebook.policies.methods.methods:
        return {key: {"sv": m.name.sv, "en": m.name.en} for key, m in rulebook.policies.methods.methods.items()}
    return rulebook.labels.value_words(name)


def parameter_words(labels, version: PolicyVersion, name: str, lang: str) -> str:
    """A parameter's value in a version as a message shows it ("50 %", "no limit")."""
    value = version.params.get(name)
    if value is None:
        return labels.none_words(name, lang)
    kind = version.types[name].type
    if kind == "boolean":  # a message words a yes/no parameter with a select; a table says yes or no
        return ("ja" if value else "nej") if lang == "sv" else ("yes" if value else "no")
    return fmt_value(value, kind, lang, (labels.value_words("kinds") or labels.value_words("applicant.lead.kind"))
                     if kind == "kinds" else None)


def fund_words(rulebook: Rulebook, fund_id: str, words: tuple[str, ...], lang: str) -> dict[str, str]:
    """``{fund.council}`` and the like, from the fund's letter data (checked when the rules load)."""
    if not words:
        return {}
    letter = rulebook.policies.fund(fund_id).letter
    return {f"fund.{w}": getattr(getattr(letter, w), lang) for w in words}


def _wording(rulebook: Rulebook, rule: Rule, version: PolicyVersion, lang: str) -> _Wording:
    cache = rulebook.compiled(version).wording
    key = (rule.id, lang)
    if key not in cache:
        cache[key] = _Wording(rulebook, rule, version, lang)
    return cache[key]


def _finding(rulebook: Rulebook, rule: Rule, kind: str, facts: dict[str, Any], version: PolicyVersion,
             lang: str, decision_date: dt.date, start: dt.date) -> Finding:
    spec = rule.spec
    fixed = _wording(rulebook, rule, version, lang)
    values: dict[str, Any] = {}
    words = dict(fixed.param_words)
    # every number of the finding, so that each is shown on its side of the others (§2)
    numbers = tuple(v for v in (*(facts.get(n) for n, _k, _c in fixed.shown), *fixed.param_values.values())
                    if type(v) in (int, float))
    for name, fact_kind, choices in fixed.shown:
        value = facts.get(name)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
        words[name] = fmt_value(value, fact_kind, lang, choices, against=numbers)
    values.update(fixed.param_values)
    missing: list[str] = []
    action = due = None
    if kind == "missing":
        missing = [n for n in dict.fromkeys((*rule.when_facts, *rule.needs)) if n not in facts]
        words["missing"] = format_list([fixed.labels[n] for n in missing], locale=LOCALES[lang]) if missing else "?"
        if spec.missing_message:
            template = getattr(spec.missing_message, lang)
        elif rule.when is None:  # a rule that only needs values says itself what their absence means
            template = getattr(spec.message, lang)
        else:
            template = DEFAULT_MISSING[lang]
        severity = "complete"
        if spec.completion is not None:  # a completion rule says what its clause needs sent
            action = fill(getattr(spec.completion, lang), words, lang, values)
        else:
            action = words["missing"]
    else:
        words["missing"] = ""
        template = getattr(spec.message, lang)
        severity = spec.severity
        if spec.condition is not None:
            action = fill(getattr(spec.condition, lang), words, lang, values)
            due = _due(spec.condition.by, version, decision_date, start)
        elif spec.completion is not None:
            action = fill(getattr(spec.completion, lang), words, lang, values)
    return Finding(rule=rule.id, clause=rule.clause, severity=severity, title=fixed.title,
                   message=fill(template, words, lang, values), missing=missing, values=values,
                   action=action, due=due)


def _due(by: str, version: PolicyVersion, decision_date: dt.date, start: dt.date) -> str | None:
    """The day a condition must be met by; None: before the first payment (also where a
    deadline would already have passed on the decision date)."""
    if by == "first_payment":
        return None
    if by == "start":
        day = start
    else:
        name = by[len("policy."):]
        amount = version.params[name]
        if version.types[name].type == "months":
            day = add_months(decision_date, amount)
        else:
            day = decision_date + dt.timedelta(days=amount)
    return day.isoformat() if day > decision_date else None


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """Two rules of one clause that lack the same information ask for it once."""
    seen: set[tuple] = set()
    kept = []
    for f in findings:
        if f.missing:
            key = (f.clause, tuple(f.missing))
            if key in seen:
                continue
            seen.add(key)
        kept.append(f)
    return kept

