"""Lint: every problem in the rule and policy files, placed, each with a plain fix.

Besides what loading refuses (governance.policy.book, governance.engine.rulebook) and what
the rule engine could not take, lint reports what loads but cannot be meant:

* a rule that can never fire, or always fires, under every policy version it applies in;
  a condition that is a constant (``when: true``); a test of parameters that never (or
  always) holds within their declared ranges (``policy.x < 0`` where x is at least 0);
* a clause that no rule judges (unless the clause says where it is enforced instead);
* a fund without letter data (its decisions cannot be written as letters);
* a share or rate written as a whole number in a plain-number parameter (2 for 0.02).

``rule_warnings`` is the part about rules that ``fundgov check`` prints as warnings.
"""
from __future__ import annotations

from pathlib import Path

from governance.engine import expr
from governance.engine.compiler import Compiler, TooComplex, and_, dnf, fold
from governance.errors import PolicyError, Problem, RuleError
from governance.formats.yamlsource import load_file
from governance.i18n import _
from governance.policy.book import NUMERIC_PARAM_TYPES, PolicyBook, Range, load_policies, share_fix
from governance.engine.rulebook import Rule, Rulebook, clause_key, load_rulebook


def lint(rules_dir: Path, policies_dir: Path) -> list[Problem]:
    """Every problem in the rule and policy files, placed; an empty list when they are clean."""
    try:
        book = load_policies(policies_dir)
    except PolicyError as exc:
        return exc.problems
    problems = _letters(book) + _magnitudes(book)
    try:
        rulebook = load_rulebook(rules_dir, book)
    except RuleError as exc:
        return problems + exc.problems
    books = [rulebook]
    try:
        problems += rulebook.check_compiles() + rule_warnings(rulebook)
        follow_up = Path(rules_dir) / "follow-up"
        if follow_up.is_dir():  # the rules judged on follow-up reports (§5.3–§5.6, §7)
            from governance.board.followup import load_followup_rules

            try:
                books.append(load_followup_rules(follow_up, book))
            except RuleError as exc:
                return problems + exc.problems
            problems += books[1].check_compiles() + rule_warnings(books[1])
        problems += _clauses_without_rules(book, books)
    finally:
        for b in books:
            b.close()
    return problems


def rule_warnings(rulebook: Rulebook) -> list[Problem]:
    """What is wrong with rules that load: constant conditions, parameter tests that never or
    always hold in their ranges, and rules that never or always fire."""
    problems = []
    for rule in rulebook.rules:
        problems += _constant(rule) + _parameter_tests(rule, rulebook.policies)
    return problems + satisfiability(rulebook)


def rules_that_cannot_fire(rulebook: Rulebook) -> dict[str, Problem]:
    """The rules that can never, or always, fire, by id (what ``rules coverage`` marks)."""
    out: dict[str, Problem] = {}
    for rule, problem in _satisfiability(rulebook):
        out.setdefault(rule.id, problem)
    for rule in rulebook.rules:
        for problem in _constant(rule):
            out.setdefault(rule.id, problem)
    return out


# ------------------------------------------------------------------------------ conditions


def _constant(rule: Rule) -> list[Problem]:
    """``when: true`` (a finding on every application) or ``when: false`` (never one)."""
    problems = []
    for key, node in (("when", rule.when), ("applies", rule.applies)):
        if not isinstance(node, expr.Const):
            continue
        where = f"rules.{rule.id}.{key}"
        if key == "applies":
            message = (_("'applies: true' says nothing: the rule is judged on every application anyway")
                       if node.value else _("'applies: false': the rule is never judged"))
            problems.append(Problem(message, rule.file, rule.line, None, where, _("remove the line")))
        elif node.value:
            problems.append(Problem(_("the condition is always true: the rule gives its finding on every "
                                      "application"), rule.file, rule.line, None, where,
                                    _("write a test of the application's values, such as fund_share > "
                                      "policy.eligibility.max_fund_share, or use needs: [a fact] for a value that "
                                      "must be given")))
        else:
            problems.append(Problem(_("the condition is always false: the rule never gives a finding"),
                                    rule.file, rule.line, None, where, _("write the test, or remove the rule")))
    return problems


def _parameter_range(book: PolicyBook, name: str):
    for fund in book.funds.values():
        p = fund.params.get(name)
        if p is not None:
            return p
    return None


def _tests(node: expr.Node):
    """Every comparison in a condition."""
    if isinstance(node, expr.Cmp):
        yield node
    elif isinstance(node, (expr.And, expr.Or)):
        for item in node.items:
            yield from _tests(item)
    elif isinstance(node, expr.Not):
        yield from _tests(node.item)


def _parameter_tests(rule: Rule, book: PolicyBook) -> list[Problem]:
    """A test of a parameter against a number that no value in the parameter's declared range
    meets (``policy.x < 0`` where x is at least 0), or that every value meets."""
    problems = []
    for key, node in (("applies", rule.applies), ("when", rule.when)):
        for test in _tests(node) if node is not None else ():
            if isinstance(test.left, expr.ParamRef) and isinstance(test.right, expr.Const):
                param, op, value = test.left, test.op, test.right.value
            elif isinstance(test.right, expr.ParamRef) and isinstance(test.left, expr.Const):
                param, op, value = test.right, _FLIP[test.op], test.left.value
            else:
                continue
            spec = _parameter_range(book, param.name)
            if spec is None or spec.range is None or spec.type not in NUMERIC_PARAM_TYPES:
                continue
            can_hold, can_fail = _outcomes(spec.range, op, value)
            shown = expr.to_text(test)
            where = f"rules.{rule.id}.{key}"
            if not can_hold:
                problems.append(Problem(
                    _("the test {test} never holds: policy.{name} lies in {range}").format(
                        test=shown, name=param.name, range=spec.range), rule.file, rule.line, None, where,
                    _("compare a value of the application with the parameter, or test a value the parameter can "
                      "take")))
            elif not can_fail and not spec.nullable:
                problems.append(Problem(
                    _("the test {test} always holds: policy.{name} lies in {range}").format(
                        test=shown, name=param.name, range=spec.range), rule.file, rule.line, None, where,
                    _("remove the test")))
    return problems


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _outcomes(bounds: Range, op: str, c: float) -> tuple[bool, bool]:
    """Whether ``x op c`` holds for some x in the range, and whether it fails for some."""
    lo, lo_in = (bounds.min, True) if bounds.min is not None else (bounds.above, False)
    hi, hi_in = (bounds.max, True) if bounds.max is not None else (bounds.below, False)

    def below(strict: bool) -> bool:  # some x < c (strict) or x <= c
        return lo < c or (not strict and lo == c and lo_in)

    def above(strict: bool) -> bool:
        return hi > c or (not strict and hi == c and hi_in)

    inside = below(False) and above(False)
    only_c = lo == hi == c
    return {
        "<": (below(True), above(False)), "<=": (below(False), above(True)),
        ">": (above(True), below(False)), ">=": (above(False), below(True)),
        "==": (inside, not only_c), "!=": (not only_c, inside),
    }[op]


def satisfiability(rulebook: Rulebook) -> list[Problem]:
    """Rules that can never fire, or that always fire, under every policy version they apply in."""
    return [problem for _rule, problem in _satisfiability(rulebook)]


def _satisfiability(rulebook: Rulebook):
    compiler = Compiler(rulebook.facts)
    for rule in rulebook.rules:
        if rule.when is None or isinstance(rule.when, expr.Const):
            continue  # a constant condition is reported as such
        versions = []
        can_fire = can_pass = False
        for version in rulebook.policies.all_versions():
            if rule.clause not in version.clauses:
                continue
            t, f, _u = compiler.tfu(fold(rule.when, version.params))
            applies = compiler.tfu(fold(rule.applies, version.params))[0] if rule.applies is not None else True
            if (t is False and f is True) or applies is False:
                continue  # switched off by this version's parameters (a limit of none, a requirement set to 0)
            versions.append(version)
            can_fire = can_fire or _satisfiable(and_(applies, t))
            can_pass = can_pass or _satisfiable(f)
        where = f"rules.{rule.id}.when"
        if versions and not can_fire:
            yield rule, Problem(_("rule '{rule}' can never fire: its condition contradicts itself under every "
                                  "policy version").format(rule=rule.id), rule.file, rule.line, None, where,
                                _("look for bounds on one value that no number meets, or a choice outside the list"))
        elif versions and not can_pass and rule.applies is None and rule.when_facts:
            yield rule, Problem(_("rule '{rule}' always fires whenever its values are given: its condition can "
                                  "never be false").format(rule=rule.id), rule.file, rule.line, None, where,
                                _("a test and its opposite joined by 'or'?"))


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


# ------------------------------------------------------------------------------ policies


def _policy_source(book: PolicyBook, fund_id: str):
    return load_file(Path(book.folder) / fund_id / "policy.yaml", PolicyError)


def _clauses_without_rules(book: PolicyBook, rulebooks: list[Rulebook]) -> list[Problem]:
    """A clause that no rule judges is never applied to an application: lint says so, placed at
    the clause, unless the clause says where it is enforced instead (``enforced_by``)."""
    judged = {r.clause for b in rulebooks for r in b.rules}
    declared: dict[str, dict[str, object]] = {}  # fund -> clause id -> clause, where the clause is written
    for fund in book.funds.values():
        for clause in fund.clauses.values():
            declared.setdefault(clause.fund, {})[clause.id] = clause
    problems = []
    for fund_id in sorted(declared):
        missing = [c for c in declared[fund_id].values() if c.id not in judged and c.enforced_by is None]
        if not missing:
            continue
        source = _policy_source(book, fund_id)
        ids = [c.get("id") for c in source.data.get("clauses", [])]
        for clause in sorted(missing, key=lambda c: clause_key(c.id)):
            at = ("clauses", ids.index(clause.id)) if clause.id in ids else ()
            problems.append(source.problem(at, _("clause {clause} has no rule: no application is ever judged "
                                                 "against it").format(clause=clause.id),
                                           _("write a rule with clause: \"{clause}\" in the rules folder, or say where "
                                             "it is enforced instead with enforced_by: {{sv: …, en: …}}").format(
                                               clause=clause.id)))
    return problems


def _letters(book: PolicyBook) -> list[Problem]:
    """A fund without letter.yaml cannot have its decisions written as letters."""
    problems = []
    for fund_id, fund in sorted(book.funds.items()):
        if fund.letter is None:
            problems.append(Problem(
                _("the fund '{fund}' has no letter data: its decisions cannot be written as letters").format(
                    fund=fund_id), fund.file, 1, None, "fund",
                _("write {path} beside its policy.yaml (fundgov schema letter gives its fields)").format(
                    path=f"{Path(book.folder) / fund_id / 'letter.yaml'}")))
    return problems


def _magnitudes(book: PolicyBook) -> list[Problem]:
    """A share or rate written as a whole number of per cent (2 for 0.02) in a parameter of the
    plain type number, where its range lets it through: lint asks for the fraction."""
    problems = []
    sources: dict[str, object] = {}
    for fund_id, fund in sorted(book.funds.items()):
        for name, p in fund.params.items():
            for v in p.values:
                fix = share_fix(name, p.type, v.value) if p.type == "number" else None
                if fix is None:
                    continue
                if fund_id not in sources:
                    sources[fund_id] = _policy_source(book, fund_id)
                source = sources[fund_id]
                entries = source.data.get("parameters", {}).get(name, {}).get("values", [])
                index = next((j for j, e in enumerate(entries) if e.get("from") == v.from_.isoformat()), None)
                if index is None:
                    continue  # inherited: reported where it is written
                problems.append(source.problem(
                    ("parameters", name, "values", index, "value"),
                    _("{value} looks like a per cent: '{name}' is a share or rate, written as a fraction").format(
                        value=_number(v.value), name=name),
                    _("{fix}, or declare the parameter with type: share").format(fix=fix)))
    return problems


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(x, 10))
