"""The plain-script baseline: what a municipality's analyst could write in an afternoon.

It reads a proposal with PyYAML's C loader (no positions, no validation), computes the same
figures, and evaluates the same clauses as plain Python — each rule's condition generated
as an ordinary Python expression over a dict of facts, a missing fact caught as KeyError
and counted as "information missing". It gives the same findings as fundgov on complete
proposals (checked by bench.py) and is what fundgov's costs are measured against.

    python bench/plain.py FILE...      # the baseline as a one-shot command
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import yaml

_LOADER = yaml.CSafeLoader


class _Ns:
    """Attribute access on plain dicts (what derive() reads), with None for what is absent."""

    __slots__ = ("_d",)

    def __init__(self, d: dict):
        self._d = d

    def __getattr__(self, name: str) -> Any:
        value = self._d.get(name)
        if isinstance(value, dict):
            return _Ns(value)
        if isinstance(value, list):
            return [_Ns(v) if isinstance(v, dict) else v for v in value]
        if name in ("submitted", "start", "end") and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if name == "scope" and value is None:
            return "municipal"
        return value


def _flatten(data: dict, prefix: str, out: dict) -> None:
    for name, value in data.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}{name}.", out)
        elif not isinstance(value, list):
            out[prefix + name] = value


# ------------------------------------------------------------------ the clauses as Python

def _py(n, params: dict) -> str:
    """A folded, checked condition as a Python expression over the dict ``f``."""
    from governance.engine import expr
    from governance.engine.compiler import NO_LIMIT

    if isinstance(n, expr.Const):
        return "False" if n.value is NO_LIMIT else repr(n.value)
    if isinstance(n, expr.FactRef):
        return f"f[{n.name!r}]"
    if isinstance(n, expr.Truth):
        return f"bool({_py(n.item, params)})"
    if isinstance(n, expr.Not):
        return f"(not {_py(n.item, params)})"
    if isinstance(n, (expr.And, expr.Or)):
        joiner = " and " if isinstance(n, expr.And) else " or "
        return "(" + joiner.join(_py(i, params) for i in n.items) + ")"
    if isinstance(n, expr.IsNone):
        return f"({n.item.name!r} {'in' if n.negate else 'not in'} f)"
    if isinstance(n, expr.Cmp):
        return f"({_py(n.left, params)} {n.op} {_py(n.right, params)})"
    if isinstance(n, expr.Arith):
        return f"({_py(n.left, params)} {n.op} {_py(n.right, params)})"
    if isinstance(n, expr.In):
        return f"({_py(n.item, params)} {'not in' if n.negate else 'in'} {_py(n.options, params)})"
    raise TypeError(n)


def compile_rules(rulebook, version) -> list:
    """(rule id, fire(f) -> bool | None) for every rule in force: None where a fact is missing."""
    from governance.engine.compiler import fold

    out = []
    for rule in rulebook.rules:
        if rule.clause not in version.clauses:
            continue
        applies = _py(fold(rule.applies, version.params), version.params) if rule.applies is not None else "True"
        when = _py(fold(rule.when, version.params), version.params) if rule.when is not None else "False"
        needs = " and ".join(f"{n!r} in f" for n in rule.needs) or "True"
        source = (f"def check(f):\n"
                  f"    try:\n"
                  f"        if not ({applies}):\n            return False\n"
                  f"    except (KeyError, TypeError):\n        return False\n"
                  f"    if not ({needs}):\n        return None\n"
                  f"    try:\n        return bool({when})\n"
                  f"    except (KeyError, TypeError):\n        return None\n")
        space: dict = {}
        exec(compile(source, f"<rule {rule.id}>", "exec"), space)  # noqa: S102 - generated from checked rules
        out.append((rule.id, space["check"]))
    return out


class Plain:
    """The baseline: parse with the C loader, derive the figures, run the generated clauses."""

    def __init__(self, rulebook):
        self.rulebook = rulebook
        self.rules: dict[str, list] = {}

    def decide_text(self, text: str) -> list[tuple[str, str]]:
        data = yaml.load(text, Loader=_LOADER)
        return self.decide_data(data)

    def decide_data(self, data: dict) -> list[tuple[str, str]]:
        from governance.engine.figures import derive

        p = _Ns(data)
        fund = self.rulebook.policies.fund(data["fund"])
        version = fund.version_at(dt.date.fromisoformat(str(data["submitted"])))
        rules = self.rules.get(version.key)
        if rules is None:
            rules = self.rules[version.key] = compile_rules(self.rulebook, version)
        facts: dict = {}
        _flatten(data, "", facts)
        for key in ("submitted", "start", "end"):
            facts[key] = dt.date.fromisoformat(str(facts[key]))
        facts.update(derive(p, version.params))
        findings = []
        for rule_id, check in rules:
            verdict = check(facts)
            if verdict is None:
                findings.append((rule_id, "missing"))
            elif verdict:
                findings.append((rule_id, "fire"))
        return findings


def main(paths: list[str]) -> None:  # pragma: no cover - the one-shot baseline
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from governance.engine.rulebook import load_rulebook
    from governance.policy.book import load_policies
    from governance.project import DEFAULT_POLICIES, DEFAULT_RULES

    plain = Plain(load_rulebook(DEFAULT_RULES, load_policies(DEFAULT_POLICIES)))
    for path in paths:
        print(path, plain.decide_text(Path(path).read_text(encoding="utf-8")))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
