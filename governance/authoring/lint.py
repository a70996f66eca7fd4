"""Lint: every problem in the rule and policy files, and rules that can never or always fire."""
from __future__ import annotations

from pathlib import Path

from governance.engine.compiler import Compiler, TooComplex, and_, dnf, fold
from governance.errors import PolicyError, Problem, RuleError
from governance.policy.book import PolicyBook, load_policies
from governance.engine.rulebook import Rule, Rulebook, load_rulebook


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
        problems = rulebook.check_compiles() + satisfiability(rulebook)
    finally:
        rulebook.close()
    follow_up = Path(rules_dir) / "follow-up"
    if follow_up.is_dir():  # the rules judged on follow-up reports (§5.3–§5.6, §7)
        from governance.board.followup import load_followup_rules

        try:
            followup_rules = load_followup_rules(follow_up, book)
        except RuleError as exc:
            return problems + exc.problems
        try:
            problems += followup_rules.check_compiles() + satisfiability(followup_rules)
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
    """Whether some values meet the condition; a condition too large to expand counts as
    satisfiable (lint then says nothing rather than something wrong)."""
    if cond is True or cond is False:
        return cond
    try:
        return bool(dnf(cond, most=_LINT_WORK))
    except TooComplex:
        return True


_LINT_WORK = 4_096
