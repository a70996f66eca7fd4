"""The public input formats: proposal/1 and follow-up/1, as closed pydantic models.

The models accept ``../spec/proposal-format.md`` exactly. Only the fields the format
requires are required here; everything else may be absent in a draft (missing
information is judged by the rules, never here).

Every value is bounded to what a real fund can mean, so that no input reaches the
engine as an overflow, a division by zero or a date outside the calendar: amounts are
whole kronor up to ``MAX_SEK``, dates and years lie in 1900–2199, counts of people up to
``MAX_PEOPLE``, rates and effect sizes within their meaning. Texts must show something
(blank or invisible-only text is refused) and never hold control characters; names,
titles and ids are single lines.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal, Optional

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator,
                      model_validator)

from governance.dates import EARLIEST, LATEST, parse_iso
from governance.i18n import N_, _
from governance.terminal import first_unsafe, is_blank, printable

Kind = Literal["municipal", "region", "civil_society", "company", "state"]
Sector = Literal["social", "education", "culture_leisure", "labour_market", "health", "housing", "other"]
InterventionKind = Literal["preventive", "early", "treatment"]
Novelty = Literal["new", "adapted", "established"]
Design = Literal["rct", "quasi_random", "difference_in_differences", "matched_comparison",
                 "comparison_group", "pre_post", "none"]
EvaluatorKind = Literal["internal", "fou", "university", "external"]
Scope = Literal["municipal", "region", "state"]
#: how an effect is measured, for pooling effect reports of one method (governance.board.evidence)
Measure = Literal["smd", "log_rr", "log_or", "risk_difference", "mean_difference"]


#: the largest amount in kronor any field may hold (the Swedish state budget is about 1.3 × 10^12)
MAX_SEK = 10 ** 12
#: the most people a target group, sample or enrolment may count
MAX_PEOPLE = 20_000_000
FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year


def _iso_date(value: object) -> object:
    """Dates arrive as strings (the loader never makes dates); parse them strictly."""
    if isinstance(value, str):
        return parse_iso(value)
    return value


#: characters that show nothing and join nothing, yet make a name differ from the same name
#: without them ("Social\u200bnämnden" is not "Socialnämnden" to a computer)
_INVISIBLE = {"\u00ad": N_("a soft hyphen"), "\u180e": N_("a Mongolian vowel separator"),
              "\u200b": N_("a zero-width space"), "\u2060": N_("a word joiner"), "\ufeff": N_("a zero-width no-break space")}
_INVISIBLE_SEARCH = re.compile("[" + "".join(_INVISIBLE) + "]").search


def _line(value: str) -> str:
    """A name, title or id: one line, the same however it was typed or exported. Unicode's
    composed form (as _text), no spaces before or after, no invisible characters within: two
    names that look alike are alike, so that a committee matches itself wherever it is named."""
    value = _text(value, single_line=True).strip()
    found = _INVISIBLE_SEARCH(value)
    if found:
        char = found.group()
        raise ValueError(_("contains {name} (U+{code:04X}), which shows nothing but makes the text differ from the "
                           "same words without it: remove it").format(name=_(_INVISIBLE[char]), code=ord(char)))
    return value


def _text(value: str, single_line: bool = False) -> str:
    """A text in Unicode's composed form (NFC: "ä" as one character, as most systems write it,
    never "a" and a combining diaeresis, which some exports write and which looks the same)."""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if is_blank(value):
        raise ValueError(_("must not be blank (spaces and invisible characters alone are blank)"))
    bad = first_unsafe(value, lines=not single_line)
    if bad is not None:
        if bad in "\n\r\u2028\u2029":
            raise ValueError(_("must not contain a line break: write it on one line"))
        raise ValueError(_("must not contain the control character {char}").format(char=printable(bad)))
    return value


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Line = Annotated[str, Field(max_length=500), AfterValidator(_line)]  # a name, title or id: one line
Text = Annotated[str, Field(max_length=20_000), AfterValidator(_text)]  # a description: may span lines
Money = Annotated[int, Field(ge=0, le=MAX_SEK, description=N_("whole SEK"))]
Share = Annotated[float, Field(ge=0, le=1)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
People = Annotated[int, Field(ge=0, le=MAX_PEOPLE)]
Estimate = Annotated[float, Field(ge=-1e6, le=1e6)]  # an effect estimate or interval bound
Volume = Annotated[float, Field(ge=-1e9, le=1e9)]  # cases of a cost item a year (expected_effects)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False,
                              defer_build=True)  # built on first use: start-up


class Participant(Closed):
    name: Line
    kind: Kind
    sector: Optional[Sector] = None


class Partner(Participant):
    non_profit: Optional[bool] = Field(None, description=N_("required for civil_society and company partners"))


class Applicant(Closed):
    lead: Participant
    partners: Optional[list[Partner]] = None


class TargetGroup(Closed):
    description: Optional[Text] = None
    size: Optional[People] = None
    age_min: Optional[Annotated[int, Field(ge=0, le=130)]] = None
    age_max: Optional[Annotated[int, Field(ge=0, le=130)]] = None
    risk_criteria: Optional[Text] = None


class Intervention(Closed):
    name: Optional[Line] = None
    kind: Optional[InterventionKind] = None
    novelty: Optional[Novelty] = None
    evidence_level: Optional[Annotated[int, Field(ge=0, le=4)]] = None
    established_practice: Optional[Text] = None
    theory_of_change: Optional[Text] = None
    existing_activity: Optional[bool] = None
    statutory_duty: Optional[bool] = None
    method: Optional[Line] = Field(None, description=N_("the method's id in the methods catalogue (policies/methods.yaml)"))


class BudgetRow(Closed):
    year: Year
    fund_sek: Optional[Money] = None  # absent is unknown, never 0 (§1): write 0 for none
    own_sek: Optional[Money] = None
    purpose: Optional[Line] = None


class SavingsRow(Closed):
    committee: Line
    scope: Scope = "municipal"
    year: Year
    sek: Money
    cost_item: Optional[Line] = None


class ExpectedEffect(Closed):
    """An expected change in the volume of a cost item, valued with the unit-cost catalogue."""

    cost_item: Line = Field(description=N_("the id of a cost item in the unit-cost catalogue"))
    committee: Line = Field(description=N_("the committee (or region, state) that pays for the cost item"))
    scope: Scope = "municipal"
    baseline_volume: Optional[Annotated[Volume, Field(ge=0)]] = Field(
        None, description=N_("cases a year without the project, in the unit counted by change_per_year"))
    change_per_year: Optional[Volume] = Field(
        None, description=N_("the expected change in cases a year (negative: fewer, a saving)"))
    units_per_case: Optional[Annotated[float, Field(gt=0, le=1e6)]] = Field(
        None, description=N_("units of the cost item per case (365 for a year-long placement priced per day); default 1"))
    from_year: Optional[Year] = None
    to_year: Optional[Year] = None
    note: Optional[Text] = None

    @model_validator(mode="after")
    def _credible(self) -> "ExpectedEffect":
        if self.from_year is not None and self.to_year is not None and self.to_year < self.from_year:
            raise ValueError(_("to_year ({last}) is before from_year ({first})").format(
                last=self.to_year, first=self.from_year))
        if (self.baseline_volume is not None and self.change_per_year is not None
                and -self.change_per_year > self.baseline_volume):
            raise ValueError(_("a reduction of {change} cases a year is larger than the baseline volume of "
                               "{baseline}").format(change=f"{-self.change_per_year:g}",
                                                    baseline=f"{self.baseline_volume:g}"))
        return self


class Economics(Closed):
    discount_rate: Optional[Annotated[float, Field(ge=0, le=1)]] = None
    horizon_years: Optional[Annotated[int, Field(ge=1, le=100)]] = None


class Sample(Closed):
    treatment: Optional[Annotated[int, Field(ge=1, le=MAX_PEOPLE)]] = None
    comparison: Optional[Annotated[int, Field(ge=1, le=MAX_PEOPLE)]] = None


class Baseline(Closed):
    value: Optional[Annotated[float, Field(ge=-1e12, le=1e12)]] = None
    period: Optional[Line] = None


class PrimaryOutcome(Closed):
    name: Line
    data_source: Optional[Line] = None
    baseline: Optional[Baseline] = None


class Evaluator(Closed):
    name: Optional[Line] = None
    kind: Optional[EvaluatorKind] = None


class Evaluation(Closed):
    design: Optional[Design] = None
    comparison: Optional[Text] = None
    sample: Optional[Sample] = None
    expected_effect_size: Optional[Annotated[float, Field(gt=0, le=10)]] = None
    primary_outcomes: Optional[list[PrimaryOutcome]] = None
    follow_up_months: Optional[Annotated[int, Field(ge=0, le=1200)]] = None
    evaluator: Optional[Evaluator] = None
    budget_sek: Optional[Money] = None
    human_outcomes: Optional[bool] = None
    economic_outcomes: Optional[bool] = None


class Implementation(Closed):
    receiving_committee: Optional[Line] = None
    from_year: Optional[Year] = None
    annual_cost_sek: Optional[Money] = None
    signed_by_manager: Optional[bool] = None
    signed_by_all_applicants: Optional[bool] = None


class Commitment(Closed):
    committee: Line
    share: Optional[Share] = None


class CommitteeBudget(Closed):
    name: Line
    previous_sek: Optional[Money] = None
    current_sek: Optional[Money] = None


class CostCentre(Closed):
    name: Line
    committee: Optional[Line] = None
    previous_sek: Optional[Money] = None
    current_sek: Optional[Money] = None
    target_area: Optional[bool] = None
    funded_by_project: Optional[bool] = None


class BudgetContext(Closed):
    price_change: Optional[Annotated[float, Field(ge=-0.5, le=1)]] = None
    committees: Optional[list[CommitteeBudget]] = None
    cost_centres: Optional[list[CostCentre]] = None


class Proposal(Closed):
    """A proposal (ansökan), format proposal/1."""

    format: Literal["proposal/1"]
    id: Line
    title: Line
    fund: Line
    submitted: Date
    start: Date
    end: Date
    idea_decision: Optional[Line] = None
    applicant: Applicant
    target_group: Optional[TargetGroup] = None
    intervention: Optional[Intervention] = None
    budget: Optional[list[BudgetRow]] = None
    expected_savings: Optional[list[SavingsRow]] = None
    expected_effects: Optional[list[ExpectedEffect]] = None
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
            raise ValueError(_("end ({end}) must be after start ({start})").format(end=end, start=start))
        return end


class ReportOutcome(Closed):
    name: Line
    estimate: Optional[Estimate] = None
    ci_low: Optional[Estimate] = None
    ci_high: Optional[Estimate] = None
    measure: Optional[Measure] = Field(None, description=N_("how the estimate is measured (for the evidence base)"))
    follow_up_months: Optional[Annotated[int, Field(ge=0, le=1200)]] = Field(
        None, description=N_("months after the intervention ended at which the outcome was measured"))

    @field_validator("ci_high")
    @classmethod
    def _interval_in_order(cls, high: Optional[float], info: ValidationInfo) -> Optional[float]:
        low = info.data.get("ci_low")
        if high is not None and low is not None and low > high:
            raise ValueError(_("the interval is reversed: ci_low ({low}) is above ci_high ({high})").format(
                low=low, high=high))
        return high


class MeasuredEffect(Closed):
    """A measured change in the volume of a cost item, valued with the unit-cost catalogue."""

    cost_item: Line
    committee: Line
    scope: Scope = "municipal"
    year: Year
    change: Volume = Field(description=N_("the measured change in cases that year (negative: fewer)"))
    units_per_case: Optional[Annotated[float, Field(gt=0, le=1e6)]] = None


class VerifiedSaving(Closed):
    committee: Line
    scope: Scope = "municipal"
    year: Year
    sek: Money


class ExtensionRequest(Closed):
    """A request to extend the project (7.3), sent with a follow-up report."""

    months: Annotated[int, Field(ge=1, le=120)] = Field(description=N_("how many months the project is to run longer"))
    reason: Text = Field(description=N_("why the project needs more time"))


class FollowUpReport(Closed):
    """A follow-up report, format follow-up/1."""

    format: Literal["follow-up/1"]
    proposal: Line
    fund: Line
    kind: Literal["progress", "final", "effect"]
    period: Year
    submitted: Date
    enrolled: Optional[People] = None
    outcomes: Optional[list[ReportOutcome]] = None
    design: Optional[Design] = None
    verified_savings: Optional[list[VerifiedSaving]] = None
    measured_effects: Optional[list[MeasuredEffect]] = None
    extension: Optional[ExtensionRequest] = Field(None, description=N_("a request to extend the project (7.3), judged "
                                                     "on the day the report is submitted"))


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
