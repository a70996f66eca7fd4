"""A policy and its rules in plain words: ``policy show`` and ``rules explain``."""
from __future__ import annotations

from dataclasses import dataclass

from governance.engine import expr
from governance.errors import Problem, UsageError
from governance.formats.loader import did_you_mean
from governance.i18n import _, ngettext, use_language
from governance.messages import fill
from governance.policy.book import PolicyVersion
from governance.engine.rulebook import Rule, Rulebook
from governance.wording import SEVERITY_WORDS, fmt_date, fmt_value


@dataclass
class ParameterRow:
    name: str
    value: str
    since: str
    reference: str
    description: str  # the parameter's label in the language (its description where it has none)


def parameter_value(version: PolicyVersion, name: str, lang: str, labels=None) -> str:
    """A parameter's value in a version as a person reads it: "85 %", "12 månader", "no limit"."""
    value = version.params.get(name)
    kind = version.types[name].type
    with use_language(lang):
        if value is None:
            return labels.none_words(name, lang) if labels is not None else _("no limit")
        if kind == "months" and isinstance(value, int):
            return ngettext("{n} month", "{n} months", value).format(n=value)
        if kind == "years" and isinstance(value, int):
            return ngettext("{n} year", "{n} years", value).format(n=value)
        words = labels.value_words("kinds") or labels.value_words("applicant.lead.kind") if (
            labels is not None and kind == "kinds") else None
        return fmt_value(value, kind, lang, words)


def policy_rows(version: PolicyVersion, lang: str, labels=None) -> list[ParameterRow]:
    rows = []
    for name in sorted(version.sources):
        source = version.sources[name]
        label = labels.parameters.get(name) if labels is not None else None
        rows.append(ParameterRow(name, parameter_value(version, name, lang, labels), source.from_.isoformat(),
                                 source.reference,
                                 getattr(label, lang) if label else (version.types[name].description or "")))
    return rows


def find_rules(rulebook: Rulebook, what: str) -> list[Rule]:
    """Rules by id, or all rules of a clause."""
    found = [r for r in rulebook.rules if r.id == what or r.clause == what]
    if not found:
        choices = [r.id for r in rulebook.rules] + sorted({r.clause for r in rulebook.rules})
        raise UsageError(Problem(_("no rule or clause '{what}'").format(what=what), hint=did_you_mean(what, choices)))
    return found


def _plain_words(rulebook: Rulebook, text2, version: PolicyVersion, lang: str) -> str:
    """A rule's explanation with this version's values in words (as the handbook gives it);
    as written where it names something else than the policy's values."""
    text = getattr(text2, lang).strip()
    names = [n for n in version.params if "{policy." + n in text]
    words = {f"policy.{n}": parameter_value(version, n, lang, rulebook.labels) for n in names}
    try:
        return fill(text, words, lang, {f"policy.{n}": version.params[n] for n in names})
    except (KeyError, ValueError):
        return text


def explain(rulebook: Rulebook, rule: Rule, version: PolicyVersion, lang: str) -> list[str]:
    """A rule in plain words, with the parameter values of one policy version."""
    labels = rulebook.labels

    def word(n: expr.Node) -> str | None:
        if isinstance(n, expr.FactRef):
            label = labels.facts.get(n.name)
            return f"[{getattr(label, lang) if label else n.name}]"
        if isinstance(n, expr.ParamRef):
            return parameter_value(version, n.name, lang, labels) + f" (policy.{n.name})"
        return None

    with use_language(lang):
        spec = rule.spec
        in_force = rule.clause in version.clauses
        switched_off = in_force and rule.id not in rulebook.compiled(version).rules
        severity = _(SEVERITY_WORDS[spec.severity]) if spec.severity in SEVERITY_WORDS else spec.severity
        fund = rulebook.policies.funds.get(version.fund)
        lines = [f"{rule.id} — {rule.clause} {getattr(spec.title, lang)} ({severity})",
                 "  " + _("file: {where}").format(where=f"{rule.file}:{rule.line}"),
                 "  " + _("policy: {fund}, the version of {date} ({version})").format(
                     fund=getattr(fund.name, lang) if fund is not None else version.fund,
                     date=fmt_date(version.version, lang), version=version.key)
                 + ("" if in_force else " — " + _("the clause does not apply in this version"))
                 + (" — " + _("this version's values switch the rule off: it never gives a finding")
                    if switched_off else "")]
        if spec.explain is not None:
            lines.append("  " + _("in plain words: {text}").format(text=_plain_words(rulebook, spec.explain, version,
                                                                                      lang)))
        if rule.applies is not None:
            lines.append("  " + _("judged where: {condition}").format(condition=expr.to_text(rule.applies, word)))
        if rule.needs:
            needed = ", ".join(f"[{getattr(labels.facts[n], lang)}]" for n in rule.needs)
            lines.append("  " + _("needs: {facts}").format(facts=needed))
        if rule.when is not None:
            lines.append("  " + _("gives {severity} when: {condition}").format(
                severity=severity, condition=expr.to_text(rule.when, word)))
        lines.append("  " + _("a value missing: complete"))
        for name in rule.params:
            source = version.sources.get(name)
            if source is not None:
                lines.append(f"  policy.{name} = {parameter_value(version, name, lang, labels)} (" + _("since {day}").format(
                    day=fmt_date(source.from_, lang)) + f"; {source.reference})")
        lines.append("  " + _("message: {text}").format(text=getattr(spec.message, lang)))
    return lines
