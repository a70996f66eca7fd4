"""Rule files: load, check against the fact vocabulary and the policies, compile per version.

A rule file (``rules/*.yaml``) holds a list of rules::

    rules:
      - id: eligibility.fund_share
        clause: "3.9"
        title: {sv: ..., en: ...}
        severity: reject              # reject | complete | condition | note
        applies: budget_row_count > 0 # optional; where it is unknown the rule is not judged
        needs: [economics.horizon_years]   # optional; facts that must be given
        when: fund_share > policy.eligibility.max_fund_share
        show: [fund_grant]            # optional; more values for the message and the decision
        message: {sv: "... {fund_share} ...", en: "..."}

``rules/labels.yaml`` names every fact in both languages (used when a value is missing).
Loading checks everything: the condition language, every fact, parameter, clause,
placeholder and translation. Compiling and running then never meet a user error.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from governance.engine import expr
from governance.engine.compiler import ANCHOR, Compiler, TooComplex, and_, ex, field as fact_key, fold, nex, or_, split
from governance.engine.durable import MAX_PROPERTIES, MAX_SAME_CONDITION, EngineError, Ruleset
from governance.errors import Problem, RuleError
from governance.i18n import _
from governance.engine.facts import Fact, catalogue
from governance.formats.loader import did_you_mean, load_checked
from governance.policy.book import PolicyBook, PolicyVersion, Text2
from governance.wording import LANGUAGES, placeholders
from governance.formats.yamlsource import Source

Severity = Literal["reject", "complete", "condition", "note", "withhold", "review", "repay", "notice"]
#: the severities of the model guidelines §1, for decisions on proposals
SEVERITY_RANK = {"reject": 3, "complete": 2, "condition": 1, "note": 0}
DECISION_SEVERITIES = frozenset(SEVERITY_RANK)
STANDARD_PLACEHOLDERS = {"clause", "title", "missing"}


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class RuleSpec(_Closed):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$",
                    description="a rule id is lower-case words joined by dots, such as eligibility.fund_share")
    clause: str
    title: Text2
    severity: Severity
    applies: Optional[str] = None
    needs: list[str] = []
    when: Optional[str] = None
    show: list[str] = []
    message: Text2
    missing_message: Optional[Text2] = None


class RuleFile(_Closed):
    description: Optional[str] = None
    rules: list[RuleSpec] = Field(min_length=1)


class Label(_Closed):
    sv: str
    en: str


class LabelsFile(_Closed):
    facts: dict[str, Label]
    values: dict[str, dict[str, Label]] = {}
    parameters: dict[str, Label] = {}

    def value_words(self, name: str) -> dict[str, dict[str, str]] | None:
        """The words for a field's choices, by value and language (None where there are none)."""
        cache = self.__dict__.setdefault("_words", {})
        if name not in cache:
            cache[name] = {v: {"sv": lab.sv, "en": lab.en} for v, lab in self.values.get(name, {}).items()} or None
        return cache[name]


@dataclass(frozen=True)
class Rule:
    """A checked rule."""

    spec: RuleSpec
    file: str
    line: int | None
    applies: expr.Node | None
    when: expr.Node | None
    needs: tuple[str, ...]
    facts: tuple[str, ...]  # every fact the rule names, in order of first use
    params: tuple[str, ...]
    when_facts: tuple[str, ...] = ()  # the facts of the condition, for naming what is missing

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def clause(self) -> str:
        return self.spec.clause


def clause_key(clause: str) -> tuple:
    """Sort key: model clauses by number (3.2 before 3.10), then fund clauses."""
    if clause[0].isdigit():
        major, minor = clause.split(".")
        return (0, int(major), int(minor), "")
    return (1, clause[0], int(clause[1:]) if clause[1:].isdigit() else 0, "")


@dataclass
class CompiledRuleset:
    version: PolicyVersion
    rules: dict[str, Rule]  # the rules in force, by id
    ruleset: Ruleset
    fact_names: tuple[str, ...]
    fact_keys: tuple[tuple[str, str], ...] = ()  # (fact name, its key in the engine's fact)
    wording: dict = field(default_factory=dict)  # per (rule, language): see judge._Wording

    def __post_init__(self) -> None:
        self.fact_keys = tuple((name, fact_key(name)) for name in self.fact_names)

    def close(self) -> None:
        self.ruleset.close()


class Rulebook:
    def __init__(self, rules: list[Rule], labels: LabelsFile, policies: PolicyBook, folder: Path,
                 facts: dict[str, Fact] | None = None):
        self.rules = sorted(rules, key=lambda r: (clause_key(r.clause), r.id))
        self.by_id = {r.id: r for r in self.rules}
        self.order = {r.id: i for i, r in enumerate(self.rules)}  # the order findings are listed in
        self.labels = labels
        self.policies = policies
        self.folder = folder
        self.facts = facts if facts is not None else catalogue()
        self._compiled: dict[str, CompiledRuleset] = {}

    # -- compilation --------------------------------------------------------------------

    def compiled(self, version: PolicyVersion) -> CompiledRuleset:
        """The ruleset of a policy version, compiled on first use and then reused."""
        hit = self._compiled.get(version.key)
        if hit is None:
            hit = self._compiled[version.key] = self._compile(version)
        return hit

    def _compile(self, version: PolicyVersion) -> CompiledRuleset:
        """The ruleset of one policy version; RuleError (placed at the rules concerned) where the
        rule engine could not take it, so that no such limit is ever met as a crash."""
        compiler = Compiler(self.facts)
        conditions: dict[str, Any] = {}
        active: dict[str, Rule] = {}
        used: dict[str, None] = {}
        problems: list[Problem] = []
        owners: dict[str, list[Rule]] = {}  # identical engine conditions -> their rules
        for rule in self.rules:
            if rule.clause not in version.clauses:
                continue
            fire, missing = rule_conditions(rule, version.params, compiler)
            if fire is False and missing is False:
                continue
            active[rule.id] = rule
            used.update(dict.fromkeys(rule.facts))
            for kind, cond in (("fire", fire), ("missing", missing)):
                try:
                    parts = split(cond)
                except TooComplex as exc:
                    problems.append(Problem(
                        _("the condition is too complex for the rule engine under the policy {version}: {reason}").format(
                            version=version.key, reason=exc), rule.file, rule.line, None, f"rules.{rule.id}",
                        _("write it more simply, or split it into several rules")))
                    break
                for i, part in enumerate(parts):
                    condition = and_(ANCHOR, part)
                    conditions[f"{rule.id}|{kind}|{i}"] = condition
                    owners.setdefault(json.dumps(condition, sort_keys=True), []).append(rule)
        for same in owners.values():
            if len(same) > MAX_SAME_CONDITION:
                first = same[0]
                problems.append(Problem(
                    _("{n} rules have the same condition under the policy {version}; the rule engine takes at most "
                      "{limit}").format(n=len(same), version=version.key, limit=MAX_SAME_CONDITION),
                    first.file, first.line, None, f"rules.{first.id}", _("merge the rules that test the same thing")))
        if len(used) > MAX_PROPERTIES - len(ANCHOR):
            problems.append(Problem(
                _("the rules in force under the policy {version} name {n} facts; the rule engine takes at most "
                  "{limit}").format(version=version.key, n=len(used), limit=MAX_PROPERTIES - len(ANCHOR)),
                str(self.folder), hint=_("fewer facts per fund: move rules of other funds to their own clauses")))
        if problems:
            raise RuleError(problems)
        try:
            ruleset = Ruleset(conditions, ANCHOR, label=version.key)
        except EngineError as exc:
            raise RuleError(Problem(_("the rule engine refused the rules of the policy {version}: {reason}").format(
                version=version.key, reason=exc), str(self.folder))) from None
        return CompiledRuleset(version, active, ruleset, tuple(used))

    def check_compiles(self) -> list[Problem]:
        """Compile every policy version's ruleset (as lint does): every problem the rule engine
        would meet, placed; the rulesets are freed again."""
        problems: list[Problem] = []
        for version in self.policies.all_versions():
            try:
                compiled = self._compile(version)
            except RuleError as exc:
                problems.extend(p for p in exc.problems if p not in problems)
                continue
            compiled.close()
        return problems

    def close(self) -> None:
        """Free every compiled ruleset in the engine (after a reload, say)."""
        for compiled in self._compiled.values():
            compiled.close()
        self._compiled.clear()

    def listing(self, version: PolicyVersion) -> dict:
        """The compiled durable_rules definition, for review and golden files."""
        return self.compiled(version).ruleset.definition


def rule_conditions(rule: Rule, params: dict, compiler: Compiler) -> tuple[Any, Any]:
    """(fire, missing) durable conditions of one rule under one set of parameter values."""
    applies = True
    if rule.applies is not None:
        applies = compiler.tfu(fold(rule.applies, params))[0]
    if rule.when is not None:
        t, _f, u = compiler.tfu(fold(rule.when, params))
    else:
        t, u = False, False
    fire = and_(applies, *(ex(n) for n in rule.needs), t)
    missing = and_(applies, or_(u, *(nex(n) for n in rule.needs)))
    return fire, missing


# ---------------------------------------------------------------------------- loading


def load_rulebook(rules_dir: str | Path, policies: PolicyBook, facts: dict[str, Fact] | None = None,
                  severities: frozenset[str] = DECISION_SEVERITIES) -> Rulebook:
    """Load and check every rule file in ``rules_dir``; all problems are reported together.

    ``facts`` is the vocabulary the rules may name (default: proposals and their figures)
    and ``severities`` the severities they may give (default: those of a decision, §1)."""
    folder = Path(rules_dir)
    problems: list[Problem] = []
    labels_path = folder / "labels.yaml"
    labels = LabelsFile(facts={})
    checked = load_checked(labels_path, LabelsFile, RuleError, problems)
    labels_ok = checked is not None
    labels_source, labels = checked if checked else (None, labels)
    facts = facts if facts is not None else catalogue()
    if labels_source is not None:
        for name in labels.facts:
            if name not in facts:
                problems.append(labels_source.problem(("facts", name), f"label for unknown fact '{name}'",
                                                      did_you_mean(name, facts), key=True))
    param_types: dict[str, str] = {}
    for fund in policies.funds.values():
        for name, p in fund.params.items():
            param_types.setdefault(name, p.type)
    if labels_source is not None:
        for name in labels.parameters:
            if name not in param_types:
                problems.append(labels_source.problem(("parameters", name), f"label for unknown parameter '{name}'",
                                                      did_you_mean(name, param_types), key=True))
    clauses = {c for fund in policies.funds.values() for c in fund.clauses}
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "labels.yaml")  # not sub-folders
    if not files:
        problems.append(Problem("no rule files found (*.yaml)", str(folder)))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        checked = load_checked(path, RuleFile, RuleError, problems)
        if checked is None:
            continue
        source, rf = checked
        for i, spec in enumerate(rf.rules):
            base = ("rules", i)
            if spec.id in seen:
                problems.append(source.problem(base + ("id",), f"rule id '{spec.id}' is used twice (also in {seen[spec.id]})"))
                continue
            line = source.where(base)[0]
            seen[spec.id] = f"{source.file}:{line}"
            if spec.severity not in severities:
                problems.append(source.problem(base + ("severity",), f"'{spec.severity}' is not a severity here",
                                               f"allowed: {', '.join(sorted(severities))}"))
                continue
            rule = _check_rule(spec, source, base, facts, param_types, clauses, labels if labels_ok else None, problems)
            if rule is not None:
                rules.append(rule)
    problems.extend(_parameters_in_force(rules, policies))
    if problems:
        raise RuleError(problems)
    return Rulebook(rules, labels, policies, folder, facts)


def _parameters_in_force(rules: list[Rule], policies: PolicyBook) -> list[Problem]:
    """Every parameter a rule names has a value in every policy version where its clause applies."""
    problems = []
    for rule in rules:
        for fund in policies.funds.values():
            for day in fund.versions:
                version = fund.version_at(day)
                if rule.clause not in version.clauses:
                    continue
                for name in rule.params:
                    if name not in version.params:
                        problems.append(Problem(
                            f"rule '{rule.id}' names policy.{name}, which the fund '{fund.id}' has no value for "
                            f"from {day.isoformat()}", rule.file, rule.line, None, "rules",
                            f"give it a value in {fund.file}"))
    return problems


def _check_rule(spec: RuleSpec, source: Source, base: tuple, facts: dict[str, Fact], param_types: dict[str, str],
                clauses: set[str], labels: LabelsFile | None, problems: list[Problem]) -> Rule | None:
    before = len(problems)

    def suggest(name: str, choices) -> str | None:
        return did_you_mean(name, choices)

    def condition(key: str) -> expr.Node | None:
        text = getattr(spec, key)
        if text is None:
            return None
        try:
            return expr.check(expr.parse(text), facts, param_types, suggest)
        except expr.ExprError as exc:
            line, col = source.where(base + (key,))
            problems.append(Problem(exc.message, source.file, line, (col or 1) + exc.col, f"{_dotted(base)}.{key}", exc.hint))
            return None

    applies = condition("applies")
    when = condition("when")
    if spec.when is None and not spec.needs:
        problems.append(source.problem(base, f"rule '{spec.id}' has neither 'when' nor 'needs': it could never give a finding"))
    if spec.clause not in clauses:
        problems.append(source.problem(base + ("clause",), f"clause '{spec.clause}' is not a clause of any policy",
                                       did_you_mean(spec.clause, clauses)))
    for key in ("needs", "show"):
        for j, name in enumerate(getattr(spec, key)):
            if key == "show" and name.startswith("policy."):
                if name[len("policy."):] not in param_types:
                    problems.append(source.problem(base + (key, j), f"unknown parameter '{name}'",
                                                   did_you_mean(name[len("policy."):], param_types)))
            elif name not in facts:
                problems.append(source.problem(base + (key, j), f"unknown fact '{name}'", did_you_mean(name, facts)))
    if len(problems) > before:
        return None
    named_facts: dict[str, None] = {}
    named_params: dict[str, None] = {}
    for node in (applies, when):
        if node is not None:
            f, p = expr.names(node)
            named_facts.update(dict.fromkeys(sorted(f)))
            named_params.update(dict.fromkeys(sorted(p)))
    named_facts.update(dict.fromkeys(spec.needs))
    named_params.update(dict.fromkeys(n[len("policy."):] for n in spec.show if n.startswith("policy.")))
    shown = [n for n in spec.show if not n.startswith("policy.")]
    for name in dict.fromkeys((*named_facts, *shown)) if labels is not None else ():
        if name not in labels.facts:
            problems.append(source.problem(base, f"the fact '{name}' has no label in rules/labels.yaml",
                                           "add it in Swedish and English"))
    for name in named_params if labels is not None else ():
        if name not in labels.parameters:
            problems.append(source.problem(base, f"the parameter '{name}' has no label in rules/labels.yaml",
                                           "add it under parameters: in Swedish and English"))
    supplied = set(named_facts) | set(shown) | {f"policy.{p}" for p in named_params} | STANDARD_PLACEHOLDERS
    for key in ("message", "missing_message"):
        texts = getattr(spec, key)
        if texts is None:
            continue
        for lang in LANGUAGES:
            for name in placeholders(getattr(texts, lang)):
                if name not in supplied:
                    problems.append(source.problem(base + (key, lang), f"the placeholder {{{name}}} is not supplied by this rule",
                                                   did_you_mean(name, supplied) or "name it in the condition, in needs or in show"))
    if len(problems) > before:
        return None
    line = source.where(base)[0]
    when_facts = tuple(sorted(expr.names(when)[0])) if when is not None else ()
    return Rule(spec, source.file, line, applies, when, tuple(spec.needs), tuple(named_facts), tuple(named_params),
                when_facts)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
