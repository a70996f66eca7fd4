"""Findings and decisions (model guidelines §1), as closed models that are also the JSON output."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict

from .rulebook import SEVERITY_RANK, Severity

Outcome = Literal["approved", "approved_with_conditions", "completion_requested", "rejected"]

OUTCOME_OF = {"reject": "rejected", "complete": "completion_requested", "condition": "approved_with_conditions"}


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    clause: str
    severity: Severity
    title: str
    message: str
    missing: list[str] = []  # the facts whose absence made this a completion finding
    values: dict[str, Any]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: Optional[str] = None
    proposal: str
    title: str
    fund: str
    fund_name: str
    policy_version: str
    decision_date: str
    outcome: Outcome
    completion_deadline: Optional[str] = None
    lang: Literal["sv", "en"] = "sv"
    findings: list[Finding]

    def by_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]


def outcome(findings: list[Finding]) -> Outcome:
    """The strongest severity found decides; only notes (or nothing) means approved."""
    strongest = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    for severity, rank in SEVERITY_RANK.items():
        if rank == strongest and severity in OUTCOME_OF:
            return OUTCOME_OF[severity]  # type: ignore[return-value]
    return "approved"


def completion_deadline(result: Outcome, decision_date: dt.date, days: int) -> Optional[str]:
    if result != "completion_requested":
        return None
    return (decision_date + dt.timedelta(days=days)).isoformat()
