"""Compile checked conditions into durable_rules conditions, for one policy version.

Parameters are constants within a policy version, so they are folded in. Each condition
``e`` becomes three durable conditions over the proposal fact: T(e) "certainly true",
F(e) "certainly false" and U(e) "unknown because a fact is absent" (Kleene logic; see
``expr.evaluate`` for the reference meaning). durable_rules already treats a comparison
with an absent field as false, so T and F of a comparison need no extra guard, and
U(comparison) is "one of its facts is absent" (``$nex``).

A rule compiles into at most two durable rules: ``<id>|fire`` (applies ∧ needs given ∧
T(when)) and ``<id>|missing`` (applies ∧ (U(when) ∨ a needed fact absent)). Conditions
that fold to constant false are left out of the ruleset altogether.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from governance.engine.expr import (And, Arith, Cmp, Const, FactRef, In, IsNone, Node, Not, Or, ParamRef, Shift, Truth,
                                    evaluate)
from governance.engine.facts import Fact

ANCHOR_KEY = "fact_type"
ANCHOR = {ANCHOR_KEY: "proposal"}
_NEG = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DOP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_DARITH = {"+": "$add", "-": "$sub", "*": "$mul"}

Cond = Any  # a durable condition dict, or True / False


class NoLimit:
    """A parameter whose value is none: a comparison with it never holds."""


NO_LIMIT = NoLimit()


def field(name: str) -> str:
    """The key a fact has in the asserted durable fact (dots are not path steps there)."""
    return name.replace(".", "__")


def and_(*conds: Cond) -> Cond:
    items: list = []
    for c in conds:
        if c is False:
            return False
        if c is True:
            continue
        if isinstance(c, dict) and list(c) == ["$and"]:
            items.extend(c["$and"])
        else:
            items.append(c)
    if not items:
        return True
    return items[0] if len(items) == 1 else {"$and": items}


def or_(*conds: Cond) -> Cond:
    items: list = []
    for c in conds:
        if c is True:
            return True
        if c is False:
            continue
        if isinstance(c, dict) and list(c) == ["$or"]:
            items.extend(c["$or"])
        elif c not in items:
            items.append(c)
    if not items:
        return False
    return items[0] if len(items) == 1 else {"$or": items}


def ex(name: str) -> dict:
    return {"$ex": {field(name): 1}}


def nex(name: str) -> dict:
    return {"$nex": {field(name): 1}}


def fold(n: Node, params: Mapping[str, Any]) -> Node:
    """Replace parameters by their values and compute what is constant."""
    if isinstance(n, ParamRef):
        v = params[n.name]
        return Const(n.col, NO_LIMIT if v is None else v)
    if isinstance(n, (And, Or)):
        return type(n)(n.col, tuple(fold(i, params) for i in n.items))
    if isinstance(n, Not):
        return Not(n.col, fold(n.item, params))
    if isinstance(n, Truth):
        item = fold(n.item, params)
        if isinstance(item, Const):
            return Const(n.col, item.value is True)
        return Truth(n.col, item)
    if isinstance(n, Shift):
        amount = fold(n.amount, params)
        if amount.value is NO_LIMIT:
            return Const(n.col, NO_LIMIT)  # moved by "no limit": a comparison with it never holds
        return Shift(n.col, n.item, amount, n.unit, n.sign)
    if isinstance(n, Arith):
        left, right = fold(n.left, params), fold(n.right, params)
        if isinstance(left, Const) and isinstance(right, Const):
            if NO_LIMIT in (left.value, right.value):
                return Const(n.col, NO_LIMIT)
            return Const(n.col, _arith(n.op, left.value, right.value))
        return Arith(n.col, n.op, left, right)
    if isinstance(n, Cmp):
        left, right = fold(n.left, params), fold(n.right, params)
        if any(isinstance(s, Const) and s.value is NO_LIMIT for s in (left, right)):
            return Const(n.col, False)
        if isinstance(left, Const) and isinstance(right, Const):
            return Const(n.col, evaluate(Cmp(n.col, n.op, left, right), {}, {}))
        return Cmp(n.col, n.op, left, right)
    if isinstance(n, In):
        item, options = fold(n.item, params), fold(n.options, params)
        if isinstance(options, Const) and options.value is NO_LIMIT:
            return Const(n.col, False)
        if isinstance(item, Const):
            return Const(n.col, (item.value in options.value) != n.negate)
        return In(n.col, item, options, n.negate)
    return n


def _arith(op: str, a: float, b: float) -> float:
    return {"+": a + b, "-": a - b, "*": a * b}[op]


def _operand(n: Node) -> Any:
    if isinstance(n, Const):
        return n.value
    if isinstance(n, FactRef):
        return {"$m": field(n.name)}
    if isinstance(n, Shift):
        return {"$m": n.name}
    if isinstance(n, Arith):
        return {_DARITH[n.op]: {"$l": _operand(n.left), "$r": _operand(n.right)}}
    raise TypeError(n)  # pragma: no cover


def _facts_in(n: Node) -> list[str]:
    if isinstance(n, FactRef):
        return [n.name]
    if isinstance(n, Shift):
        return [n.name]  # given exactly where its date is
    if isinstance(n, Arith):
        return _facts_in(n.left) + _facts_in(n.right)
    return []


def _leaf(op: str, name: str, rhs: Any) -> dict:
    if op == "==":
        return {field(name): rhs}
    return {_DOP[op]: {field(name): rhs}}


class Compiler:
    def __init__(self, facts: Mapping[str, Fact]):
        self.facts = facts
        #: the moved dates the compiled conditions compare (``decision_date + 6 months``), by key:
        #: the judge computes them beside the facts (``shifted``)
        self.shifts: dict[str, Shift] = {}

    def _note_shifts(self, n: Node) -> None:
        if isinstance(n, Shift):
            self.shifts[n.name] = n
        elif isinstance(n, Arith):
            self._note_shifts(n.left)
            self._note_shifts(n.right)

    def tf(self, n: Node) -> tuple[Cond, Cond]:
        """(certainly true, certainly false) of a folded condition: both grow linearly with it."""
        if isinstance(n, Const):
            v = bool(n.value) if n.value is not NO_LIMIT else False
            return v, not v
        if isinstance(n, Not):
            t, f = self.tf(n.item)
            return f, t
        if isinstance(n, And):
            parts = [self.tf(i) for i in n.items]
            return and_(*(p[0] for p in parts)), or_(*(p[1] for p in parts))
        if isinstance(n, Or):
            parts = [self.tf(i) for i in n.items]
            return or_(*(p[0] for p in parts)), and_(*(p[1] for p in parts))
        t, f, _u = self.tfu(n)  # a single test
        return t, f

    def unknown_size(self, n: Node) -> int:
        """An upper bound of the size of the "unknown" condition ``tfu`` would build, computed
        without building it (that condition can grow with the product of the parts)."""
        return self._sizes(n)[2]

    def _sizes(self, n: Node) -> tuple[int, int, int]:
        if isinstance(n, Not):
            t, f, u = self._sizes(n.item)
            return f, t, u
        if isinstance(n, (And, Or)):
            parts = [self._sizes(i) for i in n.items]
            ts, fs, us = (sum(p[k] for p in parts) for k in range(3))
            other = fs if isinstance(n, Or) else ts  # what "unknown" pairs with each part's own unknown
            return ts + 1, fs + 1, other + 2 * us + len(parts) + 2
        if isinstance(n, Const):
            return 1, 1, 0
        return tuple(size(c) if c is not True and c is not False else 0 for c in self.tfu(n))  # a single test

    def tfu(self, n: Node) -> tuple[Cond, Cond, Cond]:
        """(certainly true, certainly false, unknown) of a folded condition."""
        if isinstance(n, Const):
            v = bool(n.value) if n.value is not NO_LIMIT else False
            return v, not v, False
        if isinstance(n, Truth):
            name = n.item.name
            if self.facts[name].type.kind == "boolean":
                return {field(name): True}, {field(name): False}, nex(name)
            return ex(name), False, nex(name)  # a text is true when given
        if isinstance(n, Not):
            t, f, u = self.tfu(n.item)
            return f, t, u
        if isinstance(n, And):
            parts = [self.tfu(i) for i in n.items]
            t = and_(*(p[0] for p in parts))
            f = or_(*(p[1] for p in parts))
            u = and_(*(or_(p[0], p[2]) for p in parts), or_(*(p[2] for p in parts)))
            return t, f, u
        if isinstance(n, Or):
            parts = [self.tfu(i) for i in n.items]
            t = or_(*(p[0] for p in parts))
            f = and_(*(p[1] for p in parts))
            u = and_(*(or_(p[1], p[2]) for p in parts), or_(*(p[2] for p in parts)))
            return t, f, u
        if isinstance(n, IsNone):
            t, f = (ex(n.item.name), nex(n.item.name)) if n.negate else (nex(n.item.name), ex(n.item.name))
            return t, f, False
        if isinstance(n, In):
            name = n.item.name
            values = list(dict.fromkeys(n.options.value))
            inside = or_(*({field(name): v} for v in values)) if values else False
            outside = and_(*({"$neq": {field(name): v}} for v in values)) if values else ex(name)
            t, f = (outside, inside) if n.negate else (inside, outside)
            return t, f, nex(name)
        if isinstance(n, Cmp):
            op, left, right = n.op, n.left, n.right
            if not isinstance(left, (FactRef, Shift)):
                op, left, right = _FLIP[op], right, left
            for side in (left, right):
                self._note_shifts(side)
            rhs = _operand(right)
            others = _facts_in(right)
            name = left.name
            # durable_rules compares with an absent right-hand fact as if it were there
            # (``b >= $m.a`` holds without ``a``), so those facts are tested explicitly
            given = [ex(x) for x in dict.fromkeys(others)]
            names = [name] + others
            return (and_(_leaf(op, name, rhs), *given), and_(_leaf(_NEG[op], name, rhs), *given),
                    or_(*(nex(x) for x in names)))
        raise TypeError(n)  # pragma: no cover


# ----------------------------------------------------------------------------- size limits

#: durable_rules accepts at most 32 expressions in one condition (rete.h MAX_SEQUENCE_EXPRESSIONS)
MAX_EXPRESSIONS = 30


def size(cond: Cond) -> int:
    if isinstance(cond, dict) and list(cond) in (["$and"], ["$or"]):
        return 1 + sum(size(c) for c in next(iter(cond.values())))
    return 1


def _leaf_field(leaf: dict) -> tuple[str, str]:
    (key, value), = leaf.items()
    if key.startswith("$"):
        (name, _), = value.items()
        return key, name
    return "==", key


_BOUND_OPS = {"$gt", "$gte", "$lt", "$lte"}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounds_contradict(conj: list[dict]) -> bool:
    """Bounds on one fact that no number meets: x > 5 and x < 3; x == 2 and x > 4."""
    low: dict[str, tuple[float, bool]] = {}   # fact -> (bound, strict)
    high: dict[str, tuple[float, bool]] = {}
    equal: dict[str, float] = {}
    unequal: dict[str, set] = {}
    for leaf in conj:
        op, name = _leaf_field(leaf)
        value = leaf[name] if op == "==" else (leaf[op][name] if op != "$nex" and op != "$ex" else None)
        if not _number(value):
            continue
        if op in ("$gt", "$gte"):
            strict = op == "$gt"
            if name not in low or value > low[name][0] or (value == low[name][0] and strict):
                low[name] = (value, strict)
        elif op in ("$lt", "$lte"):
            strict = op == "$lt"
            if name not in high or value < high[name][0] or (value == high[name][0] and strict):
                high[name] = (value, strict)
        elif op == "==":
            equal[name] = value
        elif op == "$neq":
            unequal.setdefault(name, set()).add(value)
    for name in set(low) & set(high):
        (lo, lo_strict), (hi, hi_strict) = low[name], high[name]
        if lo > hi or (lo == hi and (lo_strict or hi_strict)):
            return True
    for name, value in equal.items():
        if name in low and (value < low[name][0] or (value == low[name][0] and low[name][1])):
            return True
        if name in high and (value > high[name][0] or (value == high[name][0] and high[name][1])):
            return True
        if value in unequal.get(name, ()):
            return True
    return False


def _contradicts(conj: list[dict]) -> bool:
    absent = {_leaf_field(l)[1] for l in conj if _leaf_field(l)[0] == "$nex"}
    for leaf in conj:
        op, name = _leaf_field(leaf)
        if op != "$nex" and name in absent:
            return True  # a test of a value next to "the value is absent"
    equal: dict[str, Any] = {}  # fact -> the constant it equals (field-to-field tests say nothing here)
    for leaf in conj:
        op, name = _leaf_field(leaf)
        if op == "==" and not isinstance(leaf[name], dict):
            value = leaf[name]
            if name in equal and equal[name] != value:
                return True
            equal[name] = value
        elif op == "$neq" and not isinstance(leaf[op][name], dict) and equal.get(name, object()) == leaf[op][name]:
            return True
    for leaf in conj:  # x != v listed before x == v
        op, name = _leaf_field(leaf)
        if op == "$neq" and not isinstance(leaf[op][name], dict) and name in equal and equal[name] == leaf[op][name]:
            return True
    return _bounds_contradict(conj)


def dnf(cond: Cond, most: int | None = None) -> list[list[dict]]:
    """The condition as a list of conjunctions of leaves, contradictions and repeats removed;
    TooComplex where there are more than ``most`` of them before absorption (which is quadratic)."""
    conjunctions = _dnf(cond)
    if most is not None and len(conjunctions) > most:
        raise TooComplex(f"its normal form has {len(conjunctions)} parts, more than {most}")
    # absorption: drop a conjunction that contains another one
    keys = [frozenset(c) for c in conjunctions]
    kept = [c for i, c in enumerate(conjunctions) if not any(j != i and keys[j] < keys[i] for j in range(len(keys)))]
    return [list(c.values()) for c in kept]


def _dnf(cond: Cond) -> list[dict[str, dict]]:
    """Conjunctions as {leaf key: leaf}, pruned of contradictions as they are formed."""
    if isinstance(cond, dict) and list(cond) == ["$or"]:
        out: list[dict[str, dict]] = []
        for c in cond["$or"]:
            out.extend(_dnf(c))
    elif isinstance(cond, dict) and list(cond) == ["$and"]:
        out = [{}]
        for c in cond["$and"]:
            parts = _dnf(c)
            if len(out) * len(parts) > _MAX_WORK:
                raise TooComplex(f"its normal form grows past {_MAX_WORK} parts")
            out = [merged for a in out for b in parts
                   if not _contradicts(list((merged := {**a, **b}).values()))]
    else:
        out = [{_key(cond): cond}]
    unique: dict[frozenset, dict[str, dict]] = {}
    for conj in out:
        unique.setdefault(frozenset(conj), conj)
    return list(unique.values())


def _key(leaf: dict) -> str:
    return json.dumps(leaf, sort_keys=True)


#: the most durable rules one condition may be split into (its normal form grows with every
#: "or" under an "and": a condition past this is refused as too complex, never computed)
MAX_PARTS = 64


#: the most conjunctions the normal form may pass through while it is computed
_MAX_WORK = 1_024


class TooComplex(ValueError):
    """A condition the rule engine cannot take even split into its normal form."""


def split(cond: Cond) -> list[Cond]:
    """One or more durable conditions whose disjunction is ``cond``, each within the size limit.

    Only as much is distributed as it takes: an "or" is split into its branches, and under an
    "and" the largest "or" is distributed over the rest, recursively, until every part fits.
    (A full normal form would grow with every "or" under an "and"; this stays near the
    smallest split.) TooComplex where more than ``MAX_PARTS`` parts would be needed."""
    if cond is False:
        return []
    if cond is True or size(cond) <= MAX_EXPRESSIONS:
        return [cond]
    parts: list[Cond] = []
    _split(cond, parts)
    return parts


def _split(cond: Cond, parts: list[Cond]) -> None:
    if size(cond) <= MAX_EXPRESSIONS:
        parts.append(cond)
    elif isinstance(cond, dict) and list(cond) == ["$or"]:
        for branch in cond["$or"]:
            _split(branch, parts)
    elif isinstance(cond, dict) and list(cond) == ["$and"]:
        items = cond["$and"]
        ors = [i for i, item in enumerate(items) if isinstance(item, dict) and list(item) == ["$or"]]
        if not ors:
            raise TooComplex(f"one part of it has {size(cond)} tests, more than {MAX_EXPRESSIONS}")
        widest = max(ors, key=lambda i: size(items[i]))
        rest = items[:widest] + items[widest + 1:]
        for branch in items[widest]["$or"]:
            _split(and_(*rest, branch), parts)
            if len(parts) > MAX_PARTS:
                raise TooComplex(f"it would need more than {MAX_PARTS} rules in the engine")
    else:  # pragma: no cover - a single test is never over the limit
        raise TooComplex(f"one test is larger than {MAX_EXPRESSIONS} expressions")
    if len(parts) > MAX_PARTS:
        raise TooComplex(f"it would need more than {MAX_PARTS} rules in the engine")
