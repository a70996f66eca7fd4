"""Findings and decisions (model guidelines §1).

They are made by the engine from checked parts, never parsed from users, so they are
plain frozen dataclasses (cheap to build: this is the hot path); pydantic still gives
their JSON Schema through ``decision_adapter()``.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from pydantic import TypeAdapter

from governance.engine.rulebook import SEVERITY_RANK, Severity

Outcome = Literal["approved", "approved_with_conditions", "completion_requested", "rejected"]

OUTCOME_OF = {"reject": "rejected", "complete": "completion_requested", "condition": "approved_with_conditions"}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    clause: str
    severity: Severity
    title: str
    message: str
    values: dict[str, Any]
    missing: list[str] = field(default_factory=list)  # facts whose absence made this a completion finding
    #: what the applicant is to do: a condition's obligation, or what a completion is to send
    action: Optional[str] = None
    #: the day a condition must be met by (ISO); None: before the first payment
    due: Optional[str] = None


class _Memo:
    """A slot beside a frozen dataclass's fields (not one of them: not compared, copied,
    pickled or in its JSON Schema) for a text made from it once."""

    __slots__ = ("_findings_text",)


@dataclass(frozen=True, slots=True)
class Decision(_Memo):
    """A decision as the engine made it. Frozen, and its findings are not to be changed in
    place either: ``findings_json()`` is made once, from them as they are then."""

    proposal: str
    title: str
    fund: str
    fund_name: str
    policy_version: str
    decision_date: str
    outcome: Outcome
    findings: list[Finding]
    completion_deadline: Optional[str] = None
    file: Optional[str] = None
    lang: Literal["sv", "en"] = "sv"
    #: the amount applied for from the fund (the budget rows' fund_sek); None where not known
    fund_grant: Optional[int] = None
    #: the same per calendar year ("2026": 900000)
    fund_grant_per_year: Optional[dict[str, int]] = None
    #: the savings valued from expected effects, with their arithmetic and sources (engine.effects)
    savings: Optional[dict[str, Any]] = None
    #: the judged BCR at other discount rates and effect sizes, and the break-even effect (engine.sensitivity)
    sensitivity: Optional[dict[str, Any]] = None
    #: the evidence level of the proposal's method used for 3.8, and where it comes from (board.evidence)
    evidence: Optional[dict[str, Any]] = None

    def as_json(self) -> dict[str, Any]:
        """The decision as the JSON output writes it (the fields of the public format, in order)."""
        return {**self._head(), "findings": self._findings(), **self._tail()}

    def json_text(self) -> str:
        """``as_json()`` as JSON text on one line (non-ASCII as it is): what the JSON output
        writes. Its findings are ``findings_json()``, made once for the output and the register."""
        return f'{json_line(self._head())[:-1]}, "findings": {self.findings_json()}, {json_line(self._tail())[1:]}'

    def findings_json(self) -> str:
        """The findings of ``as_json()`` as JSON text, as the register keeps them; made once."""
        try:
            return self._findings_text
        except AttributeError:
            text = json_line(self._findings())
            object.__setattr__(self, "_findings_text", text)
            return text

    def _head(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "proposal": self.proposal,
            "fund": self.fund,
            "policy_version": self.policy_version,
            "decision_date": self.decision_date,
            "outcome": self.outcome,
            "completion_deadline": self.completion_deadline,
            "fund_grant": self.fund_grant,
            "fund_grant_per_year": dict(self.fund_grant_per_year) if self.fund_grant_per_year is not None else None,
        }

    def _findings(self) -> list[dict[str, Any]]:
        return [{"rule": f.rule, "clause": f.clause, "severity": f.severity, "title": f.title, "message": f.message,
                 "action": f.action, "due": f.due, "missing": list(f.missing), "values": dict(f.values)}
                for f in self.findings]

    def _tail(self) -> dict[str, Any]:
        return {"savings": self.savings, "sensitivity": self.sensitivity, "evidence": self.evidence}


def json_line(value: Any) -> str:
    """JSON text on one line, non-ASCII as it is: how decisions and errors are written."""
    return json.dumps(value, ensure_ascii=False, check_circular=False)  # the C encoder


def decision_adapter() -> TypeAdapter:
    """Pydantic's view of a decision (JSON Schema); built on first use, not at start-up."""
    global _ADAPTER
    if _ADAPTER is None:
        _ADAPTER = TypeAdapter(Decision)
    return _ADAPTER


_ADAPTER: TypeAdapter | None = None


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
