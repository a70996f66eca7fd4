"""The condition language of rule files.

A condition is one line a policy author can read::

    fund_share > policy.eligibility.max_fund_share
    intervention.kind not in ["preventive", "early"]
    evaluation.budget_sek < fund_grant * policy.evaluation.min_budget_share
    benefit_cost_ratio is not none

Names are facts (proposal fields by dotted path, derived figures by name); names that
start with ``policy.`` are parameters of the fund's policy version. A date moves by a
parameter that counts months, years or days (``start <= decision_date + policy.x``), and
a test of parameters alone (``policy.economics.min_benefit_cost_ratio > 0``) switches a
requirement on or off per policy version. Conditions are parsed
with Python's own parser (``ast``, never evaluated) and only the node kinds below are
accepted: comparisons (``< <= > >= == !=``), ``in`` / ``not in`` a list, ``and``, ``or``,
``not``, ``+ - *``, ``is none`` / ``is not none``, text, ``true``/``false``/``none``,
and the number 0. Other numbers belong in ``policies/``: name a parameter.

Absent facts follow model guidelines §1 through three-valued logic: a comparison with an
absent fact is *unknown*, ``false and unknown`` is false, ``true or unknown`` is true, and
a rule whose condition is unknown asks for completion. ``x is none`` is never unknown.
A comparison with a parameter whose value is none ("no limit") never holds.
"""
from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from governance.dates import add_months
from governance.engine.facts import Fact, FactType
from governance.i18n import _

# ----------------------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Node:
    col: int  # 0-based offset into the condition text


@dataclass(frozen=True)
class Const(Node):
    value: Any


@dataclass(frozen=True)
class FactRef(Node):
    name: str


@dataclass(frozen=True)
class ParamRef(Node):
    name: str


@dataclass(frozen=True)
class Not(Node):
    item: Node


@dataclass(frozen=True)
class And(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Cmp(Node):
    op: str  # < <= > >= == !=
    left: Node
    right: Node


@dataclass(frozen=True)
class In(Node):
    item: Node
    options: Node  # Const(list) or ParamRef
    negate: bool


@dataclass(frozen=True)
class IsNone(Node):
    item: FactRef
    negate: bool  # True: "is not none"


@dataclass(frozen=True)
class Arith(Node):
    op: str  # + - *
    left: Node
    right: Node


@dataclass(frozen=True)
class Shift(Node):
    """A date fact moved by a parameter: ``decision_date + policy.x`` (``unit`` months,
    years or days; ``amount`` the parameter, a constant once folded)."""

    item: FactRef
    amount: Node
    unit: str
    sign: int  # +1 or -1

    @property
    def name(self) -> str:
        """The derived fact's key in the engine, for a folded amount (letters, digits and _)."""
        moved = self.sign * self.amount.value
        return f"{self.item.name.replace('.', '__')}__{'plus' if moved >= 0 else 'minus'}_{abs(moved)}_{self.unit}"

    def apply(self, day: dt.date, amount: int) -> dt.date:
        """``day`` moved by ``amount`` of the unit (months keep the day of the month, §2)."""
        if self.unit == "days":
            return day + dt.timedelta(days=self.sign * amount)
        return add_months(day, self.sign * amount * (12 if self.unit == "years" else 1))


#: the parameter types a date moves by, and the unit they count
SHIFT_UNITS = {"months": "months", "years": "years"}


def shift_unit(name: str, kind: str) -> str | None:
    """The unit a parameter moves a date by: months or years by its type, days for an
    integer named ``…_days`` (as condition deadlines count); None where it moves none."""
    if kind in SHIFT_UNITS:
        return SHIFT_UNITS[kind]
    return "days" if kind == "integer" and name.endswith("_days") else None


@dataclass(frozen=True)
class Truth(Node):
    item: Node  # a boolean or text fact / a boolean parameter


class ExprError(Exception):
    """A problem in a condition, at a column of its text."""

    def __init__(self, message: str, col: int = 0, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


# ----------------------------------------------------------------------------- parsing

_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_WORDS = {"true": True, "false": False, "none": None, "True": True, "False": False, "None": None}


#: a condition is one readable line of policy; these bounds are far above any real one and
#: keep every later step (checking, normal form, the rule engine) small and free of recursion limits
MAX_LENGTH = 2_000  # characters
MAX_NODES = 400  # parts of the parsed condition
MAX_DEPTH = 24  # nesting of and / or / not / brackets


def parse(text: str) -> Node:
    """Parse a condition; ExprError (with a column) for anything outside the language."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError(_("a condition must be a non-empty text"))
    if len(text) > MAX_LENGTH:
        raise ExprError(_("the condition is {n} characters long, more than {limit}")
                .format(n=len(text), limit=MAX_LENGTH),
                        0, _("split it into several rules"))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        single = re.search(r"(?<![=<>!])=(?!=)", text.strip())
        if single is not None:  # x = 3: a comparison is written ==
            raise ExprError(_("'=' is not a comparison"), single.start(), _("use `==` to compare, as in "
                                                                              "intervention.kind == \"new\"")) from None
        raise ExprError(_("cannot read the condition: {reason}").format(reason=exc.msg),
                        max((exc.offset or 1) - 1, 0)) from None
    except (RecursionError, MemoryError):
        raise ExprError(_("the condition is nested too deeply to be read"), 0, _("split it into several rules")) from None
    _check_size(tree.body)
    return _node(tree.body)


def _check_size(root: ast.AST) -> None:
    """Refuse a condition with too many parts or too deep a nesting, without recursion."""
    nodes = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ExprError(_("the condition has more than {limit} parts").format(limit=MAX_NODES),
                            getattr(node, "col_offset", 0), _("split it into several rules"))
        if depth > MAX_DEPTH:
            raise ExprError(_("the condition is nested more than {limit} levels deep").format(limit=MAX_DEPTH),
                            getattr(node, "col_offset", 0), _("write it more simply, or split it into several rules"))
        deeper = depth + (1 if isinstance(node, (ast.BoolOp, ast.UnaryOp, ast.BinOp, ast.Compare)) else 0)
        stack.extend((child, deeper) for child in ast.iter_child_nodes(node))


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _node(n: ast.AST) -> Node:
    col = getattr(n, "col_offset", 0)
    if isinstance(n, ast.BoolOp):
        items = tuple(_node(v) for v in n.values)
        return And(col, items) if isinstance(n.op, ast.And) else Or(col, items)
    if isinstance(n, ast.UnaryOp):
        if isinstance(n.op, ast.Not):
            return Not(col, _node(n.operand))
        if isinstance(n.op, ast.USub) and isinstance(n.operand, ast.Constant):
            return _const(-n.operand.value if isinstance(n.operand.value, (int, float)) else None, col)
        raise ExprError(_("only 'not' and a minus sign before a number may stand before a value"), col)
    if isinstance(n, ast.Compare):
        parts = []
        left = n.left
        for op, right in zip(n.ops, n.comparators):
            parts.append(_compare(op, left, right, col))
            left = right
        return parts[0] if len(parts) == 1 else And(col, tuple(parts))
    if isinstance(n, ast.BinOp):
        if isinstance(n.op, ast.Div):
            raise ExprError(_("division is not part of the language"), col, _("multiply the other side instead: a < b * c"))
        if type(n.op) not in _ARITH:
            raise ExprError(_("only + - * are allowed in arithmetic"), col)
        return Arith(col, _ARITH[type(n.op)], _node(n.left), _node(n.right))
    if isinstance(n, (ast.Name, ast.Attribute)):
        name = _dotted(n)
        if name is None:
            raise ExprError(_("a name must be letters, digits, _ and dots"), col)
        if name in _WORDS:
            return Const(col, _WORDS[name])
        if name.startswith("policy."):
            return ParamRef(col, name[len("policy."):])
        return FactRef(col, name)
    if isinstance(n, ast.Constant):
        return _const(n.value, col)
    if isinstance(n, (ast.List, ast.Tuple, ast.Set)):
        values = []
        for elt in n.elts:
            item = _node(elt)
            if not isinstance(item, Const) or isinstance(item.value, list):
                raise ExprError(_("a list may hold only texts and numbers"), getattr(elt, "col_offset", col))
            values.append(item.value)
        return Const(col, values)
    if isinstance(n, ast.Call):
        raise ExprError(_("function calls are not part of the condition language"), col)
    raise ExprError(_("'{value}' is not part of the condition language").format(value=ast.unparse(n)), col)


def _const(value: Any, col: int) -> Const:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return Const(col, value)
    if isinstance(value, (int, float)):
        if value != 0:
            raise ExprError(_("the number {value} is written into the rule").format(value=value), col,
                            _("thresholds belong in policies/: name a parameter such as policy.eligibility.max_fund_share"))
        return Const(col, value)
    raise ExprError(_("{value!r} is not a value of the condition language").format(value=value), col)


def _compare(op: ast.cmpop, left: ast.AST, right: ast.AST, col: int) -> Node:
    if isinstance(op, (ast.In, ast.NotIn)):
        return In(col, _node(left), _node(right), isinstance(op, ast.NotIn))
    if isinstance(op, (ast.Is, ast.IsNot)):
        item = _node(left)
        if not (isinstance(right, ast.Constant) and right.value is None) and not (
                isinstance(right, ast.Name) and right.id in ("none", "None")):
            raise ExprError(_("'is' is only used as 'is none' or 'is not none'"), col)
        if not isinstance(item, FactRef):
            raise ExprError(_("'is none' applies to a fact"), col)
        return IsNone(col, item, isinstance(op, ast.IsNot))
    if type(op) not in _CMP:  # pragma: no cover - all Python comparisons are handled above
        raise ExprError(_("unsupported comparison"), col)
    return Cmp(col, _CMP[type(op)], _node(left), _node(right))


# ----------------------------------------------------------------------------- walking


def names(node: Node) -> tuple[set[str], set[str]]:
    """The facts and the parameters a condition names."""
    facts: set[str] = set()
    params: set[str] = set()

    def visit(n: Node) -> None:
        if isinstance(n, FactRef):
            facts.add(n.name)
        elif isinstance(n, ParamRef):
            params.add(n.name)
        elif isinstance(n, (And, Or)):
            for i in n.items:
                visit(i)
        elif isinstance(n, (Not, Truth)):
            visit(n.item)
        elif isinstance(n, (Cmp, Arith)):
            visit(n.left)
            visit(n.right)
        elif isinstance(n, Shift):
            visit(n.item)
            visit(n.amount)
        elif isinstance(n, In):
            visit(n.item)
            visit(n.options)
        elif isinstance(n, IsNone):
            visit(n.item)

    visit(node)
    return facts, params


# ----------------------------------------------------------------------------- type checking

NUM = FactType("number")
BOOL = FactType("boolean")
DATE = FactType("date")
TEXT = FactType("text")
LIST = FactType("list")


def check(node: Node, facts: Mapping[str, Fact], params: Mapping[str, str],
          suggest: Callable[[str, Any], str | None]) -> Node:
    """Type-check a condition and return it with bare values wrapped as truth tests.

    ``params`` maps parameter names to their types (integer, share, kinds, boolean, …).
    """
    return _bool(node, facts, params, suggest)


def _param_type(kind: str) -> FactType:
    if kind == "kinds":
        return FactType("kinds", ("municipal", "region", "civil_society", "company", "state"))
    if kind == "month_day":
        return TEXT
    return FactType(kind)


def _check(n: Node, facts, params, suggest) -> tuple[Node, FactType]:
    if isinstance(n, Const):
        v = n.value
        if isinstance(v, bool):
            return n, BOOL
        if isinstance(v, (int, float)):
            return n, NUM
        if isinstance(v, str):
            return n, TEXT
        if isinstance(v, list):
            return n, LIST
        return n, FactType("none")
    if isinstance(n, FactRef):
        if n.name not in facts:
            raise ExprError(_("unknown fact '{name}'").format(name=n.name), n.col, suggest(n.name, facts))
        ftype = facts[n.name].type
        if ftype.kind == "names":
            raise ExprError(_("'{name}' is a list of names: it can be shown in a message, not tested")
                    .format(name=n.name), n.col)
        return n, ftype
    if isinstance(n, ParamRef):
        if n.name not in params:
            raise ExprError(_("unknown parameter 'policy.{name}'").format(name=n.name), n.col, suggest(n.name, params))
        return n, _param_type(params[n.name])
    if isinstance(n, (And, Or)):
        items = tuple(_bool(i, facts, params, suggest) for i in n.items)
        return type(n)(n.col, items), BOOL
    if isinstance(n, Not):
        return Not(n.col, _bool(n.item, facts, params, suggest)), BOOL
    if isinstance(n, IsNone):
        _check(n.item, facts, params, suggest)
        return n, BOOL
    if isinstance(n, Arith):
        left, lt = _check(n.left, facts, params, suggest)
        right, rt = _check(n.right, facts, params, suggest)
        if "date" in (lt.kind, rt.kind):
            return _shift(n, left, lt, right, rt, params), DATE
        for side, t in ((n.left, lt), (n.right, rt)):
            if not t.numeric and t is not NUM:
                raise ExprError(_("arithmetic needs numbers, not a {type}").format(type=t.describe()), side.col)
        return Arith(n.col, n.op, left, right), NUM
    if isinstance(n, Cmp):
        left, lt = _check(n.left, facts, params, suggest)
        right, rt = _check(n.right, facts, params, suggest)
        _comparable(n, lt, rt, left, right)
        single = (FactRef, Shift)
        facts_named = names(left)[0] or names(right)[0]  # none: a test of parameters, the same for every application
        if facts_named and not isinstance(left, single) and not isinstance(right, single):
            raise ExprError(_("one side of a comparison must be a single fact (a value of the application or a "
                              "figure)"), n.col, _("move the other terms across: write a + b > limit as "
                                                  "a > limit - b"))
        return Cmp(n.col, n.op, left, right), BOOL
    if isinstance(n, In):
        item, it = _check(n.item, facts, params, suggest)
        options, ot = _check(n.options, facts, params, suggest)
        if ot.kind not in ("list", "kinds"):
            raise ExprError(_("'in' needs a list, such as [\"preventive\", \"early\"], or a list parameter"), n.options.col)
        if it.kind not in ("enum", "text"):
            raise ExprError(_("'in' tests a text or a choice, not a {type}").format(type=it.describe()), n.item.col)
        if it.kind == "enum":
            allowed = set(it.values)
            listed = options.value if isinstance(options, Const) else ot.values
            for v in listed:
                if v not in allowed:
                    raise ExprError(_("'{v}' can never be a value of {value}")
                            .format(v=v, value=_label(item)), n.options.col,
                                    suggest(str(v), allowed) or f"allowed: {', '.join(it.values)}")
        return In(n.col, item, options, n.negate), BOOL
    raise ExprError(_("not part of the condition language"), n.col)  # pragma: no cover


def _shift(n: Arith, left: Node, lt: FactType, right: Node, rt: FactType, params) -> Shift:
    """``date ± parameter`` (or ``parameter + date``): a date moved by months, years or days."""
    how = _("write a date of the application plus or minus a parameter, such as start <= decision_date + "
            "policy.x, with policy.x declared with type: months")
    if n.op == "+" and rt.kind == "date" and lt.kind != "date":
        left, lt, right, rt = right, rt, left, lt
    if n.op == "*" or rt.kind == "date":
        raise ExprError(_("a date can only be moved forward or back by a parameter"), n.col, how)
    if not isinstance(left, FactRef):
        raise ExprError(_("only a date of the application or a figure can be moved by a parameter"), left.col, how)
    unit = shift_unit(right.name, params[right.name]) if isinstance(right, ParamRef) else None
    if unit is None:
        raise ExprError(_("a date moves by a parameter that counts months or years, or days in an integer named "
                          "…_days"), right.col, how)
    return Shift(n.col, left, right, unit, 1 if n.op == "+" else -1)


def _label(n: Node) -> str:
    return getattr(n, "name", "the value")


def _bool(n: Node, facts, params, suggest) -> Node:
    checked, t = _check(n, facts, params, suggest)
    if t.kind == "boolean":
        return checked if not isinstance(checked, (FactRef, ParamRef)) else Truth(n.col, checked)
    if t.kind == "text" and isinstance(checked, FactRef):
        return Truth(n.col, checked)  # a text fact is true when it is given
    raise ExprError(_("this has type {type}: a condition must be true or false").format(type=t.describe()), n.col)


def _comparable(n: Cmp, lt: FactType, rt: FactType, left: Node, right: Node) -> None:
    ordering = n.op in ("<", "<=", ">", ">=")
    if lt.kind == "none" or rt.kind == "none":
        raise ExprError(_("compare with none by 'is none' or 'is not none'"), n.col)
    if lt.numeric or lt is NUM:
        if not (rt.numeric or rt is NUM):
            raise ExprError(_("a number cannot be compared with a {type}").format(type=rt.describe()), n.col)
        return
    if lt.kind == "date" or rt.kind == "date":
        if lt.kind != rt.kind:
            raise ExprError(_("a date can only be compared with a date, not a {type}")
                    .format(type=(rt if lt.kind == 'date' else lt).describe()), n.col)
        return
    if ordering:
        raise ExprError(_("'{op}' compares numbers or dates, not a {type}").format(op=n.op, type=lt.describe()), n.col)
    if lt.kind == "boolean" or rt.kind == "boolean":
        if lt.kind != rt.kind:
            raise ExprError(_("true/false can only be compared with true/false"), n.col)
        return
    for t, other in ((lt, right), (rt, left)):
        if t.kind == "enum" and isinstance(other, Const):
            if other.value not in t.values:
                raise ExprError(_("'{value}' can never be a value here").format(value=other.value), other.col,
                                _("allowed: {values}").format(values=', '.join(t.values)))
    if {lt.kind, rt.kind} - {"enum", "text"}:
        raise ExprError(_("a {type} cannot be compared with a {type2}")
                .format(type=lt.describe(), type2=rt.describe()), n.col)


# ----------------------------------------------------------------------------- three-valued evaluation

_PY_CMP = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "==": operator.eq, "!=": operator.ne}
_PY_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_MISSING = object()
_NO_LIMIT = object()


def evaluate(n: Node, facts: Mapping[str, Any], params: Mapping[str, Any]) -> bool | None:
    """Three-valued meaning of a checked condition: True, False or None (unknown).

    This is the reference semantics; the compiled durable_rules form must agree with it.
    """
    if isinstance(n, Const):
        return n.value
    if isinstance(n, Truth):
        v = _value(n.item, facts, params)
        if v is _MISSING:
            return None
        if isinstance(v, str):
            return True
        return v if v is not _NO_LIMIT else False
    if isinstance(n, Not):
        v = evaluate(n.item, facts, params)
        return None if v is None else not v
    if isinstance(n, And):
        vals = [evaluate(i, facts, params) for i in n.items]
        return False if False in vals else (None if None in vals else True)
    if isinstance(n, Or):
        vals = [evaluate(i, facts, params) for i in n.items]
        return True if True in vals else (None if None in vals else False)
    if isinstance(n, IsNone):
        present = n.item.name in facts
        return present if n.negate else not present
    if isinstance(n, Cmp):
        a, b = _value(n.left, facts, params), _value(n.right, facts, params)
        if a is _NO_LIMIT or b is _NO_LIMIT:
            return False
        if a is _MISSING or b is _MISSING:
            return None
        return _PY_CMP[n.op](a, b)
    if isinstance(n, In):
        a, options = _value(n.item, facts, params), _value(n.options, facts, params)
        if options is _NO_LIMIT:
            return False
        if a is _MISSING:
            return None
        return (a in options) != n.negate
    raise TypeError(n)  # pragma: no cover


def _value(n: Node, facts, params):
    if isinstance(n, Const):
        return n.value
    if isinstance(n, FactRef):
        return facts.get(n.name, _MISSING)
    if isinstance(n, ParamRef):
        v = params[n.name]
        return _NO_LIMIT if v is None else v
    if isinstance(n, Shift):
        day, amount = _value(n.item, facts, params), _value(n.amount, facts, params)
        if amount is _NO_LIMIT:
            return _NO_LIMIT
        return _MISSING if day is _MISSING else n.apply(day, amount)
    if isinstance(n, Arith):
        a, b = _value(n.left, facts, params), _value(n.right, facts, params)
        if _NO_LIMIT in (a, b):
            return _NO_LIMIT
        if _MISSING in (a, b):
            return _MISSING
        return _PY_ARITH[n.op](a, b)
    raise TypeError(n)  # pragma: no cover


def to_text(n: Node, name: Callable[[Node], str | None] | None = None) -> str:
    """The condition written back in the language; ``name`` may word facts and parameters
    (``fund_share`` as "the fund's share of the cost", a parameter as its value)."""
    if name is not None and isinstance(n, (FactRef, ParamRef)):
        worded = name(n)
        if worded is not None:
            return worded
    if isinstance(n, Const):
        v = n.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if v is None:
            return "none"
        if isinstance(v, str):
            return f'"{v}"'
        if isinstance(v, list):
            return "[" + ", ".join(f'"{x}"' if isinstance(x, str) else str(x) for x in v) + "]"
        return repr(v)
    if isinstance(n, FactRef):
        return n.name
    if isinstance(n, ParamRef):
        return f"policy.{n.name}"
    if isinstance(n, Truth):
        return to_text(n.item, name)
    if isinstance(n, Not):
        return f"not {_paren(n.item, name)}"
    if isinstance(n, And):
        return " and ".join(_paren(i, name) for i in n.items)
    if isinstance(n, Or):
        return " or ".join(_paren(i, name) for i in n.items)
    if isinstance(n, IsNone):
        return f"{to_text(n.item, name)} is {'not ' if n.negate else ''}none"
    if isinstance(n, Cmp):
        return f"{to_text(n.left, name)} {n.op} {to_text(n.right, name)}"
    if isinstance(n, Arith):
        return f"{_paren(n.left, name)} {n.op} {_paren(n.right, name)}"
    if isinstance(n, Shift):
        return f"{to_text(n.item, name)} {'+' if n.sign > 0 else '-'} {to_text(n.amount, name)}"
    if isinstance(n, In):
        return f"{to_text(n.item, name)} {'not in' if n.negate else 'in'} {to_text(n.options, name)}"
    raise TypeError(n)  # pragma: no cover


def _paren(n: Node, name: Callable[[Node], str | None] | None = None) -> str:
    text = to_text(n, name)
    return f"({text})" if isinstance(n, (And, Or, Arith, Shift)) else text
