"""The public input formats: proposal/1 and follow-up/1, as closed pydantic models.

The models accept ``../spec/proposal-format.md`` exactly. Only the fields the format
requires are required here; everything else may be absent in a draft (missing
information is judged by the rules, never here).
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Optional

from governance.i18n import _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

Kind = Literal["municipal", "region", "civil_society", "company", "state"]
Sector = Literal["social", "education", "culture_leisure", "labour_market", "health", "housing", "other"]
InterventionKind = Literal["preventive", "early", "treatment"]
Novelty = Literal["new", "adapted", "established"]
Design = Literal["rct", "quasi_random", "difference_in_differences", "matched_comparison",
                 "comparison_group", "pre_post", "none"]
EvaluatorKind = Literal["internal", "fou", "university", "external"]
Scope = Literal["municipal", "region", "state"]


def _iso_date(value: object) -> object:
    """Dates arrive as strings (the loader never makes dates); parse them strictly."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
        except ValueError:
            _bad_date(value)
    return value


def _bad_date(value: str):
    raise ValueError(f"'{value}' is not a real date in the form YYYY-MM-DD")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Text = Annotated[str, AfterValidator(_not_blank)]
Money = Annotated[int, Field(ge=0, description="whole SEK")]
Share = Annotated[float, Field(ge=0, le=1)]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Participant(Closed):
    name: Text
    kind: Kind
    sector: Optional[Sector] = None


class Partner(Participant):
    non_profit: Optional[bool] = Field(None, description="required for civil_society and company partners")


class Applicant(Closed):
    lead: Participant
    partners: Optional[list[Partner]] = None


class TargetGroup(Closed):
    description: Optional[Text] = None
    size: Optional[Annotated[int, Field(ge=0)]] = None
    age_min: Optional[Annotated[int, Field(ge=0, le=130)]] = None
    age_max: Optional[Annotated[int, Field(ge=0, le=130)]] = None
    risk_criteria: Optional[Text] = None


class Intervention(Closed):
    name: Optional[Text] = None
    kind: Optional[InterventionKind] = None
    novelty: Optional[Novelty] = None
    evidence_level: Optional[Annotated[int, Field(ge=0, le=4)]] = None
    established_practice: Optional[Text] = None
    theory_of_change: Optional[Text] = None
    existing_activity: Optional[bool] = None
    statutory_duty: Optional[bool] = None


class BudgetRow(Closed):
    year: Annotated[int, Field(ge=1900, le=2200)]
    fund_sek: Optional[Money] = None  # absent is unknown, never 0 (§1): write 0 for none
    own_sek: Optional[Money] = None
    purpose: Optional[Text] = None


class SavingsRow(Closed):
    committee: Text
    scope: Scope = "municipal"
    year: Annotated[int, Field(ge=1900, le=2200)]
    sek: Money
    cost_item: Optional[Text] = None


class Economics(Closed):
    discount_rate: Optional[Annotated[float, Field(ge=0, le=1)]] = None
    horizon_years: Optional[Annotated[int, Field(ge=1, le=100)]] = None


class Sample(Closed):
    treatment: Optional[Annotated[int, Field(ge=1)]] = None
    comparison: Optional[Annotated[int, Field(ge=1)]] = None


class Baseline(Closed):
    value: Optional[float] = None
    period: Optional[Text] = None


class PrimaryOutcome(Closed):
    name: Text
    data_source: Optional[Text] = None
    baseline: Optional[Baseline] = None


class Evaluator(Closed):
    name: Optional[Text] = None
    kind: Optional[EvaluatorKind] = None


class Evaluation(Closed):
    design: Optional[Design] = None
    comparison: Optional[Text] = None
    sample: Optional[Sample] = None
    expected_effect_size: Optional[Annotated[float, Field(gt=0)]] = None
    primary_outcomes: Optional[list[PrimaryOutcome]] = None
    follow_up_months: Optional[Annotated[int, Field(ge=0)]] = None
    evaluator: Optional[Evaluator] = None
    budget_sek: Optional[Money] = None
    human_outcomes: Optional[bool] = None
    economic_outcomes: Optional[bool] = None


class Implementation(Closed):
    receiving_committee: Optional[Text] = None
    from_year: Optional[Annotated[int, Field(ge=1900, le=2200)]] = None
    annual_cost_sek: Optional[Money] = None
    signed_by_manager: Optional[bool] = None
    signed_by_all_applicants: Optional[bool] = None


class Commitment(Closed):
    committee: Text
    share: Optional[Share] = None


class CommitteeBudget(Closed):
    name: Text
    previous_sek: Optional[Money] = None
    current_sek: Optional[Money] = None


class CostCentre(Closed):
    name: Text
    committee: Optional[Text] = None
    previous_sek: Optional[Money] = None
    current_sek: Optional[Money] = None
    target_area: Optional[bool] = None
    funded_by_project: Optional[bool] = None


class BudgetContext(Closed):
    price_change: Optional[Annotated[float, Field(ge=-1, le=1)]] = None
    committees: Optional[list[CommitteeBudget]] = None
    cost_centres: Optional[list[CostCentre]] = None


class Proposal(Closed):
    """A proposal (ansökan), format proposal/1."""

    format: Literal["proposal/1"]
    id: Text
    title: Text
    fund: Text
    submitted: Date
    start: Date
    end: Date
    idea_decision: Optional[Text] = None
    applicant: Applicant
    target_group: Optional[TargetGroup] = None
    intervention: Optional[Intervention] = None
    budget: Optional[list[BudgetRow]] = None
    expected_savings: Optional[list[SavingsRow]] = None
    economics: Optional[Economics] = None
    evaluation: Optional[Evaluation] = None
    implementation: Optional[Implementation] = None
    repayment: Optional[list[Commitment]] = None
    budget_context: Optional[BudgetContext] = None

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"end ({end}) must be after start ({start})")
        return end


class ReportOutcome(Closed):
    name: Text
    estimate: Optional[float] = None
    ci_low: Optional[float] = None
    ci_high: Optional[float] = None

    @field_validator("ci_high")
    @classmethod
    def _interval_in_order(cls, high: Optional[float], info: ValidationInfo) -> Optional[float]:
        low = info.data.get("ci_low")
        if high is not None and low is not None and low > high:
            raise ValueError(_("the interval is reversed: ci_low ({low}) is above ci_high ({high})").format(
                low=low, high=high))
        return high


class VerifiedSaving(Closed):
    committee: Text
    scope: Scope = "municipal"
    year: Annotated[int, Field(ge=1900, le=2200)]
    sek: Money


class FollowUpReport(Closed):
    """A follow-up report, format follow-up/1."""

    format: Literal["follow-up/1"]
    proposal: Text
    fund: Text
    kind: Literal["progress", "final", "effect"]
    period: Annotated[int, Field(ge=1900, le=2200)]
    submitted: Date
    enrolled: Optional[Annotated[int, Field(ge=0)]] = None
    outcomes: Optional[list[ReportOutcome]] = None
    design: Optional[Design] = None
    verified_savings: Optional[list[VerifiedSaving]] = None


def proposal_facts(p: BaseModel) -> dict[str, Any]:
    """The proposal's scalar fields that are present, by dotted name."""
    out: dict[str, Any] = {}
    _flatten(p.model_dump(exclude_none=True), "", out)
    return out


def _flatten(data: dict, prefix: str, out: dict) -> None:
    for name, value in data.items():
        if type(value) is dict:
            _flatten(value, f"{prefix}{name}.", out)
        elif type(value) is not list:
            out[prefix + name] = value
