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

from governance.engine.decision import Decision
from governance.engine.rulebook import Rulebook, clause_key
from governance.errors import Problem, UsageError
from governance.i18n import _


@dataclass
class RuleCoverage:
    fired: dict[str, set[str]] = field(default_factory=dict)
    silent: dict[str, set[str]] = field(default_factory=dict)
    #: the scenarios as worked examples: feature, steps, the clauses checked and the last result
    scenarios: dict[str, dict] = field(default_factory=dict)

    def start(self, scenario: str, feature: str, title: str, steps: list[dict]) -> None:
        self.scenarios[scenario] = {"feature": feature, "title": title, "steps": steps, "clauses": [],
                                    "result": "failed"}

    def passed(self, scenario: str) -> None:
        """The scenario ran to its end (pytest-bdd says so also after a failed step: a failure stays)."""
        entry = self.scenarios.get(scenario)
        if entry is not None and "failure" not in entry:
            entry["result"] = "passed"

    def failed(self, scenario: str, failure: dict) -> None:
        """The scenario failed at a step: ``failure`` says where (file, line, example line), which
        step and what it found, in the words of the scenario."""
        if scenario in self.scenarios:
            self.scenarios[scenario].update(result="failed", failure=failure)

    def failures(self) -> list[dict]:
        """Every failed scenario's failure, in the order of their files and lines."""
        found = [s["failure"] for s in self.scenarios.values() if s.get("result") == "failed" and "failure" in s]
        return sorted(found, key=lambda f: (f["file"], f["line"], f.get("example_line") or 0))

    def record(self, rulebook: Rulebook, decision: Decision, clause: str, scenario: str) -> None:
        self.record_rules(rulebook, decision.fund, decision.policy_version, {f.rule for f in decision.findings},
                          clause, scenario)
        if scenario in self.scenarios:  # the worked example: what was decided, and what the clause gave
            self.scenarios[scenario]["decision"] = {"outcome": decision.outcome, "lang": decision.lang}
            self.scenarios[scenario].setdefault("findings", {})[clause] = [
                {"severity": f.severity, "title": f.title, "message": f.message}
                for f in decision.findings if f.clause == clause]

    def record_rules(self, rulebook: Rulebook, fund: str, policy_version: str, given: set[str], clause: str,
                     scenario: str) -> None:
        """A scenario checked ``clause`` of a decision or follow-up in which the rules ``given`` fired."""
        version = rulebook.policies.version(fund, dt.date.fromisoformat(policy_version))
        if scenario in self.scenarios:
            self.scenarios[scenario].update(fund=fund, policy_version=policy_version)
            if clause not in self.scenarios[scenario]["clauses"]:
                self.scenarios[scenario]["clauses"].append(clause)
            # the rules of the clause that gave something (a decision replaces these with its findings)
            self.scenarios[scenario].setdefault("findings", {})[clause] = [
                {"severity": r.spec.severity, "title": r.spec.title.sv, "message": None}
                for r in rulebook.rules if r.clause == clause and r.id in given]
        for rule in rulebook.rules:  # every rule of the clause in force, also one its parameters switch off
            if rule.clause == clause and clause in version.clauses:
                (self.fired if rule.id in given else self.silent).setdefault(rule.id, set()).add(scenario)

    def merge(self, other: "RuleCoverage") -> None:
        for mine, theirs in ((self.fired, other.fired), (self.silent, other.silent)):
            for rule, scenarios in theirs.items():
                mine.setdefault(rule, set()).update(scenarios)

    def save(self, path: Path) -> None:
        doc = {"fired": {k: sorted(v) for k, v in self.fired.items()},
               "silent": {k: sorted(v) for k, v in self.silent.items()},
               "scenarios": self.scenarios}
        Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "RuleCoverage":
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls({k: set(v) for k, v in doc["fired"].items()}, {k: set(v) for k, v in doc["silent"].items()},
                   doc.get("scenarios", {}))

    def rows(self, *rulebooks: Rulebook) -> list[tuple[str, str, int, int]]:
        """(rule, clause, scenarios that made it fire, scenarios that exercised it without firing)."""
        rules = [r for book in rulebooks for r in book.rules]
        return [(r.id, r.clause, len(self.fired.get(r.id, ())), len(self.silent.get(r.id, ())))
                for r in sorted(rules, key=lambda r: (clause_key(r.clause), r.id))]

    def gaps(self, *rulebooks: Rulebook) -> list[str]:
        return [rule for rule, _clause, fired, silent in self.rows(*rulebooks) if not fired or not silent]


class ScenarioRunError(Exception):
    """The scenarios failed; ``output`` holds the end of the test runner's report and
    ``coverage`` what the scenarios recorded (with their results and, for each failed
    scenario, where and why), where they got that far."""

    def __init__(self, output: str, coverage: "RuleCoverage | None" = None):
        super().__init__("the scenarios failed")
        self.output = output
        self.coverage = coverage


def render_failure(failure: dict) -> str:
    """A failed scenario as its author reads it: the step at its feature file and line, the
    example row, and what the step found (in the words of the scenarios, Swedish)."""
    lines = [f"{failure['file']}:{failure['line']}: {failure['step']}",
             "  " + _("scenario: {name}").format(name=failure["scenario"])]
    if failure.get("example_line"):
        lines.append("  " + _("example: {file}:{line}").format(file=failure["file"], line=failure["example_line"]))
    lines.extend(f"  {line}" for line in failure["message"].splitlines())
    return "\n".join(lines)


def run_scenarios(features: Path | None = None, rules: Path | None = None,
                  policies: Path | None = None) -> RuleCoverage:
    """Run the Swedish scenarios in a test process and return what they recorded. With
    ``rules`` or ``policies`` the scenarios judge those files, not the project's."""
    import os
    import subprocess
    import sys
    import tempfile

    from governance.project import PROJECT_DIR

    steps = PROJECT_DIR / "tests" / "test_features.py"
    if not steps.exists():
        raise UsageError(Problem(_("the scenarios' step definitions are not here: {path}").format(path=steps),
                                 hint=_("run fundgov from the project's folder")))
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "coverage.json"
        env = dict(os.environ, FUNDGOV_COVERAGE_FILE=str(record))
        for name, folder in (("FUNDGOV_FEATURES", features), ("FUNDGOV_RULES", rules),
                             ("FUNDGOV_POLICIES", policies)):
            if folder is not None:
                env[name] = str(Path(folder).resolve())
            else:
                env.pop(name, None)
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(steps)],
                             cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
        if run.returncode != 0 or not record.exists():
            raise ScenarioRunError(run.stdout[-6000:] + run.stderr[-2000:],
                                   RuleCoverage.load(record) if record.exists() else None)
        return RuleCoverage.load(record)
