"""Rule coverage of the living documentation (features/).

A scenario that checks what a clause gives *exercises* every rule of that clause in force
for its decision: a rule that gave a finding was made to fire; one that did not was
exercised without firing. Every rule needs both kinds of scenario.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .decision import Decision
from .rulebook import Rulebook, clause_key


@dataclass
class RuleCoverage:
    fired: dict[str, set[str]] = field(default_factory=dict)
    silent: dict[str, set[str]] = field(default_factory=dict)

    def record(self, rulebook: Rulebook, decision: Decision, clause: str, scenario: str) -> None:
        version = rulebook.policies.version(decision.fund, dt.date.fromisoformat(decision.policy_version))
        given = {f.rule for f in decision.findings}
        for rule in rulebook.rules:  # every rule of the clause in force, also one its parameters switch off
            if rule.clause == clause and clause in version.clauses:
                (self.fired if rule.id in given else self.silent).setdefault(rule.id, set()).add(scenario)

    def merge(self, other: "RuleCoverage") -> None:
        for mine, theirs in ((self.fired, other.fired), (self.silent, other.silent)):
            for rule, scenarios in theirs.items():
                mine.setdefault(rule, set()).update(scenarios)

    def save(self, path: Path) -> None:
        doc = {"fired": {k: sorted(v) for k, v in self.fired.items()},
               "silent": {k: sorted(v) for k, v in self.silent.items()}}
        Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "RuleCoverage":
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls({k: set(v) for k, v in doc["fired"].items()}, {k: set(v) for k, v in doc["silent"].items()})

    def rows(self, rulebook: Rulebook) -> list[tuple[str, str, int, int]]:
        """(rule, clause, scenarios that made it fire, scenarios that exercised it without firing)."""
        return [(r.id, r.clause, len(self.fired.get(r.id, ())), len(self.silent.get(r.id, ())))
                for r in sorted(rulebook.rules, key=lambda r: (clause_key(r.clause), r.id))]

    def gaps(self, rulebook: Rulebook) -> list[str]:
        return [rule for rule, _clause, fired, silent in self.rows(rulebook) if not fired or not silent]
