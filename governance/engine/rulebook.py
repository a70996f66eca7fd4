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
        explain: {sv: "...", en: "..."}   # optional; the rule in plain words (the handbook)
        condition: {sv: "Ni ska ...", en: "You shall ...", by: first_payment}  # condition rules
        completion: {sv: "...", en: "..."}  # complete rules: what the applicant is to send

A message names values as ``{fact}``, ``{policy.parameter}``, ``{fund.council}`` (also
``fund.board`` and ``fund.organisation``, from the fund's letter.yaml) and chooses the
words of a count with a plural: ``{n, plural, one {# part} other {# parter}}`` (see
governance.messages). ``explain`` names only parameters and the fund's words.

``rules/labels.yaml`` names every fact in both languages (used when a value is missing).
Loading checks everything: the condition language, every fact, parameter, clause,
placeholder, plural and translation. Compiling and running then never meet a user error.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from governance.engine import expr
from governance.engine.compiler import (ANCHOR, MAX_EXPRESSIONS, Compiler, TooComplex, and_, ex, field as fact_key,
                                       fold, nex, or_, split)
from governance.engine.durable import MAX_PROPERTIES, MAX_SAME_CONDITION, EngineError, Ruleset, definition_text
from governance.errors import Problem, RuleError
from governance.i18n import N_, _, ngettext
from governance.engine.facts import Fact, catalogue
from governance.formats.loader import did_you_mean, load_checked
from governance.policy.book import PolicyBook, PolicyVersion, Text2
from governance import messages
from governance.wording import LANGUAGES
from governance.formats.yamlsource import Source

Severity = Literal["reject", "complete", "condition", "note", "withhold", "review", "repay", "notice", "refuse"]
#: the severities of the model guidelines §1, for decisions on proposals
SEVERITY_RANK = {"reject": 3, "complete": 2, "condition": 1, "note": 0}
DECISION_SEVERITIES = frozenset(SEVERITY_RANK)
STANDARD_PLACEHOLDERS = {"clause", "title", "missing"}
#: what a message may name of the fund's letter data (policies/<fund>/letter.yaml)
FUND_WORDS = ("council", "board", "organisation")
#: fact types a plural may count
COUNT_TYPES = frozenset({"integer", "months", "years", "days"})
#: when a condition must be met, besides a parameter: before the first payment or the project's start
CONDITION_DUE = ("first_payment", "start")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use: start-up


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
    explain: Optional[Text2] = None
    condition: Optional[ConditionText] = None  # defined below: resolved when first built
    completion: Optional[Text2] = None

    @field_validator("when", "applies", mode="before")
    @classmethod
    def _a_test_not_a_constant(cls, value: Any) -> Any:
        """``when: true`` reads as YAML's true: a rule that always gives its finding, or never."""
        if value is True:
            raise ValueError(_("the condition is always true: the rule gives its finding on every application") + " ("
                             + _("write a test of the application's values, such as fund_share > "
                                 "policy.eligibility.max_fund_share, or use needs: [a fact] for a value that must be "
                                 "given") + ")")
        if value is False:
            raise ValueError(_("the condition is always false: the rule never gives a finding") + " ("
                             + _("write the test, or remove the rule") + ")")
        return value


class ConditionText(_Closed):
    """What the applicant must do to meet a condition, and by when: ``first_payment`` (the
    default), ``start`` (before the project starts) or ``policy.<parameter>`` counting days
    (a name ending in ``_days``) or months from the decision."""

    sv: str
    en: str
    by: str = "first_payment"



class RuleFile(_Closed):
    description: Optional[str] = None
    rules: list[RuleSpec] = Field(min_length=1)


class Label(_Closed):
    sv: str
    en: str


class FactLabel(_Closed):
    """What a fact is called, what to ask for where it is missing (default: its name), and
    (``field``) how a form and the application's view head its value, where the name is worded
    for a sentence ("uppgift om huruvida insatsen är befintlig verksamhet")."""

    sv: str
    en: str
    missing: Optional[Label] = None
    field: Optional[Label] = None

    def asked(self, lang: str) -> str:
        return getattr(self.missing or self, lang)


class ParameterLabel(_Closed):
    """What a parameter is called, and what its value none means (default: no limit)."""

    sv: str
    en: str
    none: Optional[Label] = None


class LabelsFile(_Closed):
    facts: dict[str, FactLabel]
    values: dict[str, dict[str, Label]] = {}
    parameters: dict[str, ParameterLabel] = {}

    def none_words(self, parameter: str, lang: str) -> str:
        """What the value none of a parameter means: "no limit" unless its label says otherwise."""
        label = self.parameters.get(parameter)
        if label is not None and label.none is not None:
            return getattr(label.none, lang)
        return "ingen gräns" if lang == "sv" else "no limit"

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
    fund_words: tuple[str, ...] = ()  # the fund's letter words its texts name (council, board, ...)

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
    #: dates moved by a parameter that the conditions compare (``decision_date + 6 months``), by key
    shifts: dict[str, expr.Shift] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fact_keys = tuple((name, fact_key(name)) for name in (*self.fact_names, *self.shifts))

    def moved_dates(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The moved dates of one application, by key; absent where the date itself is."""
        out = {}
        for key, shift in self.shifts.items():
            day = facts.get(shift.item.name)
            if day is not None:
                try:
                    out[key] = shift.apply(day, shift.amount.value)
                except (OverflowError, ValueError):  # beyond the calendar: later (earlier) than any date
                    out[key] = dt.date.max if shift.sign * shift.amount.value > 0 else dt.date.min
        return out

    def close(self) -> None:
        self.ruleset.close()


@dataclass(frozen=True)
class _Recipe:
    """One policy version's ruleset as the engine is given it, without the engine's handle."""

    text: str  # the definition as JSON (durable.definition_text)
    active: tuple[str, ...]  # the rules in force, by id, in the rulebook's order
    used: tuple[str, ...]  # the facts the conditions name
    shifts: dict  # the dates they move, by key


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
        self._recipes: dict[str, _Recipe] = {}

    def __getstate__(self) -> dict:
        """Everything but the compiled rulesets (handles in the rule engine): they are made again
        on use, from their recipes where ``prepare`` made them (the rulebook cache does)."""
        state = dict(self.__dict__)
        state["_compiled"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        state.setdefault("_recipes", {})
        self.__dict__.update(state)

    def prepare(self) -> "Rulebook":
        """Work out every policy version's ruleset now (not its handle in the engine), so that a
        copy of this rulebook (pickled in the rulebook cache) compiles none of them again. A
        version the engine would refuse is left to fail where it is used, placed, as before."""
        for version in self.policies.all_versions():
            if version.key not in self._recipes:
                try:
                    self._recipes[version.key] = self._recipe(version)
                except RuleError:
                    pass
        return self

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
        recipe = self._recipes.get(version.key)
        if recipe is None:
            recipe = self._recipe(version)
        try:
            ruleset = Ruleset.from_text(recipe.text, ANCHOR, label=version.key)
        except EngineError as exc:
            raise RuleError(Problem(_("the rule engine refused the rules of the policy {version}: {reason}").format(
                version=version.key, reason=exc), str(self.folder))) from None
        return CompiledRuleset(version, {rid: self.by_id[rid] for rid in recipe.active}, ruleset, recipe.used,
                               shifts=dict(recipe.shifts))

    def _recipe(self, version: PolicyVersion) -> "_Recipe":
        """What the engine is given for one policy version: its ruleset's definition, the rules in
        force, the facts they name and the dates they move (RuleError where it cannot take them)."""
        compiler = Compiler(self.facts)
        conditions: dict[str, Any] = {}
        active: dict[str, Rule] = {}
        used: dict[str, None] = {}
        problems: list[Problem] = []
        owners: dict[str, list[Rule]] = {}  # identical engine conditions -> their rules
        for rule in self.rules:
            if rule.clause not in version.clauses:
                continue
            kinds = rule_conditions(rule, version.params, compiler)
            if not kinds:
                continue  # switched off by this version's parameters
            active[rule.id] = rule
            used.update(dict.fromkeys(rule.facts))
            for kind, cond in kinds.items():
                try:
                    parts = split(cond)
                except TooComplex as exc:
                    problems.append(Problem(
                        _("the condition is too complex for the rule engine under the policy {version}: {reason}")
                                .format(
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
        used.update(dict.fromkeys(compiler.shifts))  # a moved date is one more value of the engine's fact
        if len(used) > MAX_PROPERTIES - len(ANCHOR):
            problems.append(Problem(
                _("the rules in force under the policy {version} name {n} facts; the rule engine takes at most "
                  "{limit}").format(version=version.key, n=len(used), limit=MAX_PROPERTIES - len(ANCHOR)),
                str(self.folder), hint=_("fewer facts per fund: move rules of other funds to their own clauses")))
        if problems:
            raise RuleError(problems)
        try:
            text = definition_text(conditions, ANCHOR)
        except EngineError as exc:
            raise RuleError(Problem(_("the rule engine refused the rules of the policy {version}: {reason}").format(
                version=version.key, reason=exc), str(self.folder))) from None
        shifts = dict(compiler.shifts)
        return _Recipe(text, tuple(active), tuple(n for n in used if n not in shifts), shifts)

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


#: what a fired engine rule says of its rule (``<rule id>|<kind>|<part>``)
FIRE, MISSING, NEEDS_ABSENT = "fire", "missing", "needs_absent"
ABSENT, KNOWN_TRUE, KNOWN_FALSE = "absent", "known_true", "known_false"


def rule_conditions(rule: Rule, params: dict, compiler: Compiler) -> dict[str, Any]:
    """The durable conditions of one rule under one set of parameter values, by kind.

    * ``fire``: applies, every needed fact given, and the condition certainly true;
    * ``missing``: applies, and the condition is unknown or a needed fact absent (§1: a
      completion finding).

    A direct condition for "unknown" grows with the product of the condition's parts, so
    for a condition whose "unknown" would not fit the engine it is given in parts that grow
    linearly: ``needs_absent`` (applies, a needed fact absent) and ``absent`` /
    ``known_true`` / ``known_false`` (applies, a fact of the condition absent; and the
    condition nonetheless certainly true / false). The condition is unknown exactly where
    ``absent`` holds without either of the other two (``findings_of``). Kinds that can
    never hold are left out."""
    applies: Any = True
    if rule.applies is not None:
        applies = compiler.tf(fold(rule.applies, params))[0]
    needs_absent = or_(*(nex(n) for n in rule.needs))
    out: dict[str, Any] = {}
    if rule.when is None:
        out[MISSING] = and_(applies, needs_absent)
    else:
        when = fold(rule.when, params)
        if compiler.unknown_size(when) <= MAX_EXPRESSIONS:
            t, _f, u = compiler.tfu(when)
            out[FIRE] = and_(applies, *(ex(n) for n in rule.needs), t)
            out[MISSING] = and_(applies, or_(u, needs_absent))
        else:
            t, f = compiler.tf(when)
            out[FIRE] = and_(applies, *(ex(n) for n in rule.needs), t)
            out[NEEDS_ABSENT] = and_(applies, needs_absent)
            absent = or_(*(nex(n) for n in rule.when_facts))
            out[ABSENT] = and_(applies, absent)
            out[KNOWN_TRUE] = and_(applies, absent, t)
            out[KNOWN_FALSE] = and_(applies, absent, f)
    return {kind: cond for kind, cond in out.items() if cond is not False}


def findings_of(fired: set[str], order: dict[str, int]) -> list[tuple[str, str]]:
    """(rule id, "fire" or "missing") for every rule the fired engine rules give a finding,
    in the rulebook's order."""
    kinds: dict[str, set[str]] = {}
    for name in fired:
        rule_id, kind = name.split("|", 2)[:2]
        kinds.setdefault(rule_id, set()).add(kind)
    hits = []
    for rule_id, seen in kinds.items():
        if FIRE in seen:
            hits.append((rule_id, FIRE))
        elif MISSING in seen or NEEDS_ABSENT in seen or (
                ABSENT in seen and KNOWN_TRUE not in seen and KNOWN_FALSE not in seen):
            hits.append((rule_id, MISSING))
    return sorted(hits, key=lambda hit: order[hit[0]])


# ---------------------------------------------------------------------------- loading


def load_rulebook(rules_dir: str | Path, policies: PolicyBook, facts: dict[str, Fact] | None = None,
                  severities: frozenset[str] = DECISION_SEVERITIES, isolate: bool = False) -> Rulebook:
    """Load and check every rule file in ``rules_dir``; all problems are reported together.

    ``facts`` is the vocabulary the rules may name (default: proposals and their figures)
    and ``severities`` the severities they may give (default: those of a decision, §1).
    With ``isolate`` (and ``policies`` loaded so, see ``load_policies``), a fund the rules
    cannot be applied to (a parameter a rule names has no value in one of its versions, or
    it lacks the letter data a rule's text names) is left out as broken, the others kept; a
    problem of the rules themselves stops them all, reported with the broken funds' problems.
    Where a broken fund's policy.yaml could not even be read, a rule whose clause no loaded
    fund has is set aside, and said to be (it may name what only that fund declared, and it
    applies to no fund loaded), and labels of parameters no loaded fund declares are not
    questioned."""
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
                problems.append(labels_source.problem(("facts", name), _("label for unknown fact '{name}'")
                        .format(name=name),
                                                      did_you_mean(name, facts), key=True))
    param_types: dict[str, str] = {}
    for fund in policies.funds.values():
        for name, p in fund.params.items():
            param_types.setdefault(name, p.type)
    for name, (ptype, _label) in policies.broken_params.items():  # a broken fund's own, where it could be read
        param_types.setdefault(name, ptype)
    if labels_source is not None and not policies.broken_unread:  # (else: perhaps the unread fund's)
        for name in labels.parameters:
            if name not in param_types:
                problems.append(labels_source.problem(("parameters", name), _("label for unknown parameter '{name}'")
                        .format(name=name),
                                                      did_you_mean(name, param_types), key=True))
    # a fund's own parameter is labelled where the fund declares it (policies/<fund>/policy.yaml)
    fund_labels = {**{name: label for name, (_t, label) in policies.broken_params.items() if label is not None},
                   **policies.parameter_labels()}
    for name, label in fund_labels.items():
        if name in labels.parameters and labels_source is not None:
            problems.append(labels_source.problem(
                ("parameters", name), _("the parameter '{name}' is labelled where its fund declares it")
                        .format(name=name),
                _("remove the label here"), key=True))
    if fund_labels:
        merged = dict(labels.parameters)
        merged.update({name: ParameterLabel(sv=label.sv, en=label.en,
                                            none=Label(sv=label.none.sv, en=label.none.en) if label.none else None)
                       for name, label in fund_labels.items()})
        labels = labels.model_copy(update={"parameters": merged})
    loaded_clauses = {c for fund in policies.funds.values() for c in fund.clauses}
    clauses = loaded_clauses | policies.broken_clauses
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "labels.yaml")  # not sub-folders
    if not files:
        problems.append(Problem(_("no rule files found (*.yaml)"), str(folder)))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    set_aside: dict[str, tuple[tuple[int | None, int | None], list[str]]] = {}  # file -> (first place, rule ids)
    for path in files:
        checked = load_checked(path, RuleFile, RuleError, problems)
        if checked is None:
            continue
        source, rf = checked
        for i, spec in enumerate(rf.rules):
            base = ("rules", i)
            if spec.id in seen:
                problems.append(source.problem(base + ("id",), _("rule id '{id}' is used twice (also in {seen})")
                        .format(id=spec.id, seen=seen[spec.id])))
                continue
            line = source.where(base)[0]
            seen[spec.id] = f"{source.file}:{line}"
            if policies.broken_unread and spec.clause not in loaded_clauses:
                # perhaps a clause of a fund whose policy.yaml could not be read: the rule applies
                # to no fund loaded, so setting it aside changes no decision; it is said, and
                # checked once that fund is mended (and by lint, which loads nothing broken)
                set_aside.setdefault(source.file, (source.where(base + ("clause",)), []))[1].append(spec.id)
                continue
            if spec.severity not in severities:
                problems.append(source.problem(base + ("severity",), _("'{severity}' is not a severity here")
                        .format(severity=spec.severity),
                                               _("allowed: {values}").format(values=', '.join(sorted(severities)))))
                continue
            rule = _check_rule(spec, source, base, facts, param_types, clauses, labels if labels_ok else None, problems)
            if rule is not None:
                rules.append(rule)
    of_funds = [*_parameters_in_force(rules, policies), *_letters_in_place(rules, policies)]
    if problems or (of_funds and not isolate):
        raise RuleError([*policies.broken_problems(), *problems, *(problem for _fund, problem in of_funds)])
    by_fund: dict[str, list[Problem]] = {}
    for fund_id, problem in of_funds:
        by_fund.setdefault(fund_id, []).append(problem)
    if by_fund or set_aside:
        policies = policies.without(by_fund)
        policies.set_aside = _set_aside_said(set_aside) if policies.funds else []  # (none decided: none to say)
    return Rulebook(rules, labels, policies, folder, facts)


def _set_aside_said(set_aside: dict[str, tuple[tuple[int | None, int | None], list[str]]]) -> list[Problem]:
    """One problem a rule file: which of its rules are set aside for an unreadable fund."""
    out = []
    for file, ((line, column), ids) in set_aside.items():
        shown = ", ".join(f"'{i}'" for i in ids[:5]) + (_(" and {n} more").format(n=len(ids) - 5) if len(ids) > 5 else "")
        out.append(Problem(ngettext("the rule {ids} is set aside: its clause is not a clause of any fund loaded",
                                    "the rules {ids} are set aside: their clauses are not clauses of any fund loaded",
                                    len(ids)).format(ids=shown), file, line, column, None,
                           _("they are checked again once the funds whose policy files could not be read are mended")))
    return out


def _parameters_in_force(rules: list[Rule], policies: PolicyBook) -> list[tuple[str, Problem]]:
    """Every parameter a rule names has a value in every policy version where its clause
    applies: the problems, by fund."""
    problems = []
    for rule in rules:
        for fund in policies.funds.values():
            for day in fund.versions:
                version = fund.version_at(day)
                if rule.clause not in version.clauses:
                    continue
                for name in rule.params:
                    if name not in version.params:
                        problems.append((fund.id, Problem(
                            _("rule '{id}' names policy.{name}, which the fund '{fund}' has no value for from {day}")
                                    .format(id=rule.id, name=name, fund=fund.id, day=day.isoformat()),
                            rule.file, rule.line, None, "rules",
                            _("give it a value in {file}").format(file=fund.file))))
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
        problems.append(source.problem(base, _("rule '{id}' has neither 'when' nor 'needs': it could never give a finding")
                .format(id=spec.id)))
    if spec.clause not in clauses:
        problems.append(source.problem(base + ("clause",), _("clause '{clause}' is not a clause of any policy")
                .format(clause=spec.clause),
                                       did_you_mean(spec.clause, clauses)))
    for key in ("needs", "show"):
        for j, name in enumerate(getattr(spec, key)):
            if key == "show" and name.startswith("policy."):
                if name[len("policy."):] not in param_types:
                    problems.append(source.problem(base + (key, j), _("unknown parameter '{name}'").format(name=name),
                                                   did_you_mean(name[len("policy."):], param_types)))
            elif name not in facts:
                problems.append(source.problem(base + (key, j), _("unknown fact '{name}'")
                        .format(name=name), did_you_mean(name, facts)))
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
            problems.append(source.problem(base, _("the fact '{name}' has no label in rules/labels.yaml")
                    .format(name=name),
                                           _("add it in Swedish and English")))
    for name in named_params if labels is not None else ():
        if name not in labels.parameters:
            problems.append(source.problem(base, _("the parameter '{name}' has no label").format(name=name),
                                           _("add label: {sv: …, en: …} where the parameter is declared in its "
                                             "policy.yaml, or add it under parameters: in rules/labels.yaml")))
    _check_severity_texts(spec, source, base, param_types, named_params, problems)
    kinds = {name: facts[name].type.kind for name in (*named_facts, *shown)}
    kinds.update({f"policy.{p}": param_types[p] for p in named_params})
    choices = {name: facts[name].type.values for name in (*named_facts, *shown) if facts[name].type.kind == "enum"}
    fund_words = {f"fund.{w}" for w in FUND_WORDS}
    supplied = set(kinds) | STANDARD_PLACEHOLDERS | fund_words
    in_words = {f"policy.{p}" for p in named_params} | fund_words
    used: set[str] = set()
    for key, allowed in (("message", supplied), ("missing_message", supplied), ("condition", supplied),
                         ("completion", supplied), ("explain", in_words)):
        texts = getattr(spec, key)
        if texts is None:
            continue
        hint = ("explain says the rule in general: it names parameters and the fund's words, not the values of an "
                "application" if key == "explain" else "name it in the condition, in needs or in show")
        for lang in LANGUAGES:
            used |= check_message(getattr(texts, lang), lang, allowed, kinds, choices, source, base + (key, lang),
                                  hint, problems)
    if len(problems) > before:
        return None
    line = source.where(base)[0]
    when_facts = tuple(sorted(expr.names(when)[0])) if when is not None else ()
    return Rule(spec, source.file, line, applies, when, tuple(spec.needs), tuple(named_facts), tuple(named_params),
                when_facts, tuple(sorted(w[len("fund."):] for w in used & fund_words)))


def check_message(text: str, lang: str, allowed: set[str], kinds: dict[str, str],
                  choices: dict[str, tuple[str, ...]], source: Source, path: tuple, hint: str,
                  problems: list[Problem]) -> set[str]:
    """Check one message text (syntax, names, plurals on counts, selects on yes/no values and
    choices); returns the names it uses."""
    values = {n: ("true", "false") for n, k in kinds.items() if k == "boolean"} | choices
    faults = messages.problems(text, lang, values)
    for message, _offset in faults:
        problems.append(source.problem(path, message))
    if faults:
        return set()
    used = set()
    for name, how, _offset in messages.names(messages.parse(text)):
        used.add(name)
        kind = kinds.get(name, "text")
        if name not in allowed:
            known = name in kinds or name in STANDARD_PLACEHOLDERS  # a value of the case, in a text about the rule
            problems.append(source.problem(path, _("the placeholder {{{name}}} is not supplied by this rule")
                    .format(name=name),
                                           hint if known else did_you_mean(name, allowed) or hint))
        elif how == "plural" and kind not in COUNT_TYPES:
            problems.append(source.problem(path, _("a plural needs a count, but {{{name}}} is a {kind}")
                    .format(name=name, kind=kind),
                                           _("counts are of the types {values}")
                                                   .format(values=', '.join(sorted(COUNT_TYPES)))))
        elif how == "select" and name not in values:
            problems.append(source.problem(path, _("a select needs a yes/no value or a choice, but {{{name}}} is a {kind}")
                    .format(name=name, kind=kind)))
        elif how == "text" and kind == "boolean":
            problems.append(source.problem(path, _("{{{name}}} is a yes/no value: word it with a select")
                    .format(name=name),
                                           _("{{{name}, select, true {{…}} false {{…}} other {{…}}}}")
                                                   .format(name=name)))
    return used


def _check_severity_texts(spec: RuleSpec, source: Source, base: tuple, param_types: dict[str, str],
                          named_params: dict[str, None], problems: list[Problem]) -> None:
    """A condition rule says what the applicant must do (and by when); a completion rule what
    to send; other rules say neither. A deadline parameter joins the rule's parameters."""
    for key, severity, what in (("condition", "condition", N_("what the applicant must do")),
                                ("completion", "complete", N_("what the applicant is to send"))):
        given = getattr(spec, key) is not None
        if spec.severity == severity and not given:
            problems.append(source.problem(base, _("a {severity} rule needs '{key}': {what}, in Swedish and English")
                    .format(severity=severity, key=key, what=_(what))))
        elif spec.severity != severity and given:
            problems.append(source.problem(base + (key,), _("only a {severity} rule has '{key}' (this one gives {severity2})")
                    .format(severity=severity, key=key, severity2=spec.severity), key=True))
    if spec.condition is None or spec.condition.by in CONDITION_DUE:
        return
    by = spec.condition.by
    name = by[len("policy."):] if by.startswith("policy.") else None
    kind = param_types.get(name) if name else None
    if name is None or kind is None:
        problems.append(source.problem(base + ("condition", "by"), _("'{by}' is not a deadline").format(by=by),
                                       _("use first_payment, start or policy.<parameter> (days or months)")))
    elif not (kind == "months" or (kind == "integer" and name.endswith("_days"))):
        problems.append(source.problem(base + ("condition", "by"), _("the deadline parameter '{name}' is a {kind}")
                .format(name=name, kind=kind),
                                       _("a deadline counts months, or days in an integer named …_days")))
    else:
        named_params[name] = None


def _letters_in_place(rules: list[Rule], policies: PolicyBook) -> list[tuple[str, Problem]]:
    """A rule that names the fund's words ({fund.council}) needs every fund where its clause
    applies to have its letter data: the problems, by fund."""
    problems = []
    for rule in rules:
        if not rule.fund_words:
            continue
        for fund in policies.funds.values():
            if fund.letter is None and rule.clause in fund.clauses:
                problems.append((fund.id, Problem(
                    _("rule '{id}' names {{fund.{fund_words}}}, but the fund '{fund}' has no letter.yaml")
                            .format(id=rule.id, fund_words=rule.fund_words[0], fund=fund.id),
                    rule.file, rule.line, None, "rules", _("write its letter data beside its policy.yaml"))))
    return problems


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
