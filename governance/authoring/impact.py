"""What a policy change would do: re-decide past proposals under today's files and under
edited ones (or another policy date), and report every proposal whose decision changes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from governance.engine.decision import Decision
from governance.errors import FundgovError, Problem
from governance.engine.judge import decide
from governance.formats.loader import expand_paths, load_proposal, parse_proposal
from governance.engine.rulebook import Rulebook


@dataclass
class Change:
    file: str
    proposal: str
    fund: str
    before: Decision
    after: Decision

    @property
    def added(self) -> list[str]:
        return sorted(_keys(self.after) - _keys(self.before))

    @property
    def removed(self) -> list[str]:
        return sorted(_keys(self.before) - _keys(self.after))

    def as_json(self) -> dict:
        return {"file": self.file, "proposal": self.proposal, "fund": self.fund,
                "before": _summary(self.before), "after": _summary(self.after),
                "findings_added": self.added, "findings_removed": self.removed}


@dataclass
class ImpactReport:
    decided: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def moves(self) -> dict[str, int]:
        """How many proposals move between which outcomes ("approved → rejected": 2)."""
        out: dict[str, int] = {}
        for c in self.changes:
            key = f"{c.before.outcome} → {c.after.outcome}"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    def as_json(self) -> dict:
        return {"decided": self.decided, "changed": len(self.changes), "moves": self.moves,
                "changes": [c.as_json() for c in self.changes], "errors": [e.as_dict() for e in self.errors]}


def _keys(d: Decision) -> set[str]:
    return {f"{f.clause} {f.rule} ({f.severity})" for f in d.findings}


def _summary(d: Decision) -> dict:
    return {"outcome": d.outcome, "policy_version": d.policy_version,
            "findings": [f"{f.clause}:{f.severity}" for f in d.findings]}


def impact(before: Rulebook, after: Rulebook, paths: list[str | Path], decision_date: dt.date,
           lang: str = "sv", fund: str | None = None, policy_date: dt.date | None = None,
           recorded: list[tuple[str, str]] | None = None) -> ImpactReport:
    """Decide every proposal under ``before`` and under ``after`` (with ``policy_date``, the
    after-side uses the policy version in force on that date instead of the submission date).

    The proposals are the files in ``paths`` and, with ``recorded``, inputs from the
    register as (name, text) pairs."""
    files, problems = expand_paths(paths) if paths else ([], [])
    report = ImpactReport(errors=list(problems))
    sources = [(path, None) for path in files] + [(name, text) for name, text in recorded or []]
    for path, text in sources:
        try:
            loaded = load_proposal(path) if text is None else parse_proposal(text, str(path))
            if fund is not None and loaded.model.fund != fund:
                continue
            old = decide(before, loaded, decision_date, lang)
            new = decide(after, loaded, decision_date, lang, policy_date=policy_date)
        except FundgovError as exc:
            report.errors.extend(exc.problems)
            continue
        report.decided += 1
        if old.outcome != new.outcome or _keys(old) != _keys(new):
            report.changes.append(Change(loaded.file, loaded.model.id, loaded.model.fund, old, new))
    return report
