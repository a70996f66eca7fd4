"""A policy and its rules in plain words: ``policy show`` and ``rules explain``."""
from __future__ import annotations

from dataclasses import dataclass

from governance.engine import expr
from governance.errors import Problem, UsageError
from governance.formats.loader import did_you_mean
from governance.policy.book import PolicyVersion
from governance.engine.rulebook import Rule, Rulebook
from governance.wording import fmt_value


@dataclass
class ParameterRow:
    name: str
    value: str
    since: str
    reference: str
    description: str


def policy_rows(version: PolicyVersion, lang: str, labels=None) -> list[ParameterRow]:
    rows = []
    for name in sorted(version.sources):
        source = version.sources[name]
        kind = version.types[name].type
        words = labels.value_words("applicant.lead.kind") if labels is not None and kind == "kinds" else None
        value = ("ingen gräns" if lang == "sv" else "no limit") if source.value is None else fmt_value(
            source.value, kind, lang, words)
        label = labels.parameters.get(name) if labels is not None else None
        rows.append(ParameterRow(name, value, source.from_.isoformat(), source.reference,
                                 getattr(label, lang) if label else (version.types[name].description or "")))
    return rows


def find_rules(rulebook: Rulebook, what: str) -> list[Rule]:
    """Rules by id, or all rules of a clause."""
    found = [r for r in rulebook.rules if r.id == what or r.clause == what]
    if not found:
        choices = [r.id for r in rulebook.rules] + sorted({r.clause for r in rulebook.rules})
        raise UsageError(Problem(f"no rule or clause '{what}'", hint=did_you_mean(what, choices)))
    return found


def explain(rulebook: Rulebook, rule: Rule, version: PolicyVersion, lang: str) -> list[str]:
    """A rule in plain words, with the parameter values of one policy version."""
    labels = rulebook.labels

    def word(n: expr.Node) -> str | None:
        if isinstance(n, expr.FactRef):
            label = labels.facts.get(n.name)
            return f"[{getattr(label, lang) if label else n.name}]"
        if isinstance(n, expr.ParamRef):
            value = version.params.get(n.name)
            if value is None:
                return "ingen gräns" if lang == "sv" else "no limit"
            return fmt_value(value, version.types[n.name].type, lang) + f" (policy.{n.name})"
        return None

    sv = lang == "sv"
    spec = rule.spec
    in_force = rule.clause in version.clauses
    lines = [f"{rule.id} — {rule.clause} {getattr(spec.title, lang)} ({spec.severity})",
             f"  {'fil' if sv else 'file'}: {rule.file}:{rule.line}",
             f"  {'policy' if sv else 'policy'}: {version.key}"
             + ("" if in_force else (" — klausulen gäller inte i denna version" if sv else
                                     " — the clause does not apply in this version"))]
    if rule.applies is not None:
        lines.append(f"  {'prövas där' if sv else 'judged where'}: {expr.to_text(rule.applies, word)}")
    if rule.needs:
        needed = ", ".join(f"[{getattr(labels.facts[n], lang)}]" for n in rule.needs)
        lines.append(f"  {'kräver uppgift om' if sv else 'needs'}: {needed}")
    if rule.when is not None:
        lines.append(f"  {'ger' if sv else 'gives'} {spec.severity} {'när' if sv else 'when'}: "
                     f"{expr.to_text(rule.when, word)}")
    lines.append(f"  {'saknas en uppgift: komplettering' if sv else 'a value missing: complete'}")
    for name in rule.params:
        source = version.sources.get(name)
        if source is not None:
            lines.append(f"  policy.{name} = {source.value!r} "
                         f"({'sedan' if sv else 'since'} {source.from_.isoformat()}; {source.reference})")
    lines.append(f"  {'meddelande' if sv else 'message'}: {getattr(spec.message, lang)}")
    return lines

