"""Tools for policy authors: lint rule and policy files, show a policy, explain a rule."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import expr
from .compiler import Compiler, and_, dnf, fold
from .errors import PolicyError, Problem, RuleError, UsageError
from .loader import did_you_mean
from .policy import PolicyBook, PolicyVersion, load_policies
from .rulebook import Rule, Rulebook, load_rulebook
from .wording import fmt_value


def lint(rules_dir: Path, policies_dir: Path) -> list[Problem]:
    """Every problem in the rule and policy files, placed; an empty list when they are clean."""
    try:
        book = load_policies(policies_dir)
    except PolicyError as exc:
        return exc.problems
    try:
        rulebook = load_rulebook(rules_dir, book)
    except RuleError as exc:
        return exc.problems
    try:
        problems = satisfiability(rulebook)
    finally:
        rulebook.close()
    follow_up = Path(rules_dir) / "follow-up"
    if follow_up.is_dir():  # the rules judged on follow-up reports (§5.3–§5.6, §7)
        from .followup import load_followup_rules

        try:
            followup_rules = load_followup_rules(follow_up, book)
        except RuleError as exc:
            return problems + exc.problems
        try:
            problems += satisfiability(followup_rules)
        finally:
            followup_rules.close()
    return problems


def _versions_for(rule: Rule, book: PolicyBook):
    for version in book.all_versions():
        if rule.clause in version.clauses:
            yield version


def satisfiability(rulebook: Rulebook) -> list[Problem]:
    """Rules that can never fire, or that always fire, under every policy version they apply in."""
    problems = []
    compiler = Compiler(rulebook.facts)
    for rule in rulebook.rules:
        if rule.when is None:
            continue
        versions = []
        can_fire = can_pass = False
        for version in _versions_for(rule, rulebook.policies):
            t, f, _u = compiler.tfu(fold(rule.when, version.params))
            if t is False and f is True:
                continue  # switched off by this version's parameters (a limit of none, say)
            versions.append(version)
            applies = compiler.tfu(fold(rule.applies, version.params))[0] if rule.applies is not None else True
            can_fire = can_fire or _satisfiable(and_(applies, t))
            can_pass = can_pass or _satisfiable(f)
        where = f"rules.{rule.id}.when"
        if versions and not can_fire:
            problems.append(Problem(f"rule '{rule.id}' can never fire: its condition contradicts itself "
                                    "under every policy version", rule.file, rule.line, None, where,
                                    "look for bounds on one value that no number meets, or a choice outside the list"))
        elif versions and not can_pass and rule.applies is None and rule.when_facts:
            problems.append(Problem(f"rule '{rule.id}' always fires whenever its values are given: its condition "
                                    "can never be false", rule.file, rule.line, None, where,
                                    "a test and its opposite joined by 'or'?"))
    return problems


def _satisfiable(cond) -> bool:
    if cond is True or cond is False:
        return cond
    return bool(dnf(cond))


# ------------------------------------------------------------------------------- show / explain


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

