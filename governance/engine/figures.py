"""Derived figures (härledda värden): plain Python over a validated proposal.

Rules read these by name. A figure that cannot be computed because the proposal lacks
something is simply absent from the result, so the rule that needs it reports missing
information (model guidelines §1) instead of reading it as zero.

Some figures depend on policy parameters (the MDE on ``evaluation.alpha``, present values
on ``economics.discount_rate``); ``FIGURES`` says which, so that decisions show them.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Callable, Iterable, Mapping

from governance.dates import project_end
from governance.engine.effects import EffectSavings
from governance.formats.proposal import Proposal

#: Maryland Scientific Methods Scale, model guidelines §2.
SMS_LEVELS: dict[str, int] = {
    "rct": 5,
    "quasi_random": 4,
    "difference_in_differences": 3,
    "matched_comparison": 3,
    "comparison_group": 2,
    "pre_post": 1,
    "none": 0,
}


@dataclass(frozen=True)
class Figure:
    name: str
    type: str  # a type name of governance.facts
    description: str
    params: tuple[str, ...] = ()


def _f(name: str, type_: str, description: str, *params: str) -> Figure:
    return Figure(name, type_, description, tuple(params))


FIGURES: dict[str, Figure] = {f.name: f for f in [
    _f("decision_date", "date", "the day of the decision (given to the engine, never read off a clock)"),
    _f("decision_year", "year", "the calendar year of the decision"),
    _f("submitted_year", "year", "the calendar year the application was submitted"),
    _f("start_year", "year", "the calendar year the project starts"),
    _f("end_year", "year", "the calendar year the project ends"),
    _f("min_end", "date", "the earliest allowed end date (3.6)", "eligibility.min_duration_months"),
    _f("max_end", "date", "the latest allowed end date (3.6)", "eligibility.max_duration_months"),
    _f("implementation_deadline_year", "year", "the year after the project ends (3.12)"),
    _f("participant_count", "integer", "distinct participants, lead and partners, by name"),
    _f("collaborating_participants", "integer",
       "distinct participants of the kinds that count for collaboration (3.2)",
       "eligibility.collaboration_kinds"),
    _f("municipal_participants", "integer", "distinct municipal committees taking part"),
    _f("nonprofit_civil_society_partners", "integer", "non-profit civil-society partners"),
    _f("company_partners", "integer", "partners that are companies"),
    _f("for_profit_civil_society_partners", "integer", "civil-society partners that are not non-profit"),
    _f("distinct_municipal_sectors", "integer", "distinct sectors among the municipal committees"),
    _f("budget_row_count", "integer", "budget rows"),
    _f("fund_grant", "money", "the sum of fund_sek over the budget rows"),
    _f("own_contribution", "money", "the sum of own_sek over the budget rows"),
    _f("total_cost", "money", "fund grant plus own money"),
    _f("fund_share", "share", "fund grant divided by total cost"),
    _f("largest_yearly_grant", "money", "the largest fund grant of one calendar year"),
    _f("largest_grant_year", "year", "the calendar year with the largest fund grant"),
    _f("budget_rows_without_purpose", "integer", "budget rows that do not name what they pay for"),
    _f("budget_rows_outside_project", "integer", "budget rows whose year is not a project year (3.13)"),
    _f("budget_rows_outside_project_names", "names", "those rows, by year"),
    _f("savings_rows_before_start", "integer", "expected-savings rows dated before the start year (3.13)"),
    _f("savings_rows_before_start_names", "names", "those rows, by committee and year"),
    _f("savings_row_count", "integer", "expected-savings rows"),
    _f("savings_rows_without_cost_item", "integer", "expected-savings rows without a cost item"),
    _f("effect_row_count", "integer", "expected-effect rows (volume changes valued with the unit-cost catalogue)"),
    _f("incomplete_effect_rows", "integer", "expected-effect rows without baseline volume, change or years"),
    _f("savings_from_effects", "money", "the undiscounted savings inside the municipality from expected effects"),
    _f("method_evidence_level", "integer",
       "the evidence level the proposal's method has reached in the funds' shared evidence base"),
    _f("pv_municipal_savings", "money", "present value of expected savings inside the municipality",
       "economics.discount_rate", "economics.horizon_years"),
    _f("pv_total_cost", "money", "present value of the total cost",
       "economics.discount_rate", "economics.horizon_years"),
    _f("benefit_cost_ratio", "number", "present value of municipal savings / present value of total cost",
       "economics.discount_rate", "economics.horizon_years"),
    _f("sms_level", "integer", "the evaluation design's level on the Maryland scale"),
    _f("mde", "number", "minimum detectable effect (Cohen's d)", "evaluation.alpha", "evaluation.power"),
    _f("primary_outcome_count", "integer", "primary outcomes"),
    _f("primary_outcomes_incomplete", "integer", "primary outcomes without data source or baseline"),
    _f("municipal_saving_committees", "integer", "committees with expected savings inside the municipality"),
    _f("uncommitted_saving_committees", "integer",
       "municipal committees with expected savings but no repayment commitment"),
    _f("uncommitted_saving_committee_names", "names", "those committees"),
    _f("repayment_commitment_count", "integer", "repayment commitments"),
    _f("lowest_repayment_share", "share", "the lowest share among the repayment commitments"),
    _f("cost_centre_count", "integer", "cost centres in the budget context"),
    _f("project_funded_cost_centres_with_previous", "integer",
       "cost centres paid by the project that had ordinary money last year"),
    _f("project_funded_cost_centre_names", "names", "those cost centres"),
    _f("participating_committees_missing_budget", "integer",
       "participating municipal committees without last and this year's budget in the budget context"),
    _f("committees_missing_budget", "names", "those committees"),
    _f("largest_real_cut", "share", "the largest real-terms cut of a participating committee's budget",
       "budget_guard.default_price_change"),
    _f("largest_real_cut_committee", "text", "the committee with that cut"),
    _f("largest_target_area_cut", "money", "the largest year-on-year cut of a cost centre in the target area"),
    _f("largest_target_area_cut_centre", "text", "the cost centre with that cut"),
]}


def z(p: float) -> float:
    """The standard normal quantile."""
    return NormalDist().inv_cdf(p)


def mde(alpha: float, power: float, n_treatment: int, n_comparison: int) -> float:
    """Minimum detectable standardised effect of a two-sided test (§2)."""
    return (z(1 - alpha / 2) + z(power)) * math.sqrt(1 / n_treatment + 1 / n_comparison)


def present_value(amounts: Iterable[tuple[int, float]], start_year: int, rate: float, horizon: int) -> float:
    """Sum of amount / (1 + r)^(y − y0) over the (year, amount) pairs with y − y0 < horizon."""
    return sum(a / (1 + rate) ** (y - start_year) for y, a in amounts if y - start_year < horizon)


def real_change(previous: float, current: float, price_change: float) -> float:
    """current / (previous × (1 + price change)) − 1 (§2)."""
    return current / (previous * (1 + price_change)) - 1


def yearly_grants(rows: Iterable[Any]) -> dict[int, int]:
    """The fund grant per calendar year: the ``fund_sek`` of the budget rows that give one, by year."""
    per_year: dict[int, int] = {}
    for r in rows:
        if r.fund_sek is not None:
            per_year[r.year] = per_year.get(r.year, 0) + r.fund_sek
    return per_year


def _count(items: Iterable[Any], test: Callable[[Any], bool | None]) -> int | None:
    """How many items pass a three-valued test; None where any item cannot be judged."""
    n = 0
    for item in items:
        verdict = test(item)
        if verdict is None:
            return None
        n += bool(verdict)
    return n


def _distinct(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def derive(p: Proposal, params: Mapping[str, Any], effects: EffectSavings | None = None,
           decision_date: dt.date | None = None) -> dict[str, Any]:
    """All figures that can be computed for ``p`` under the parameters ``params``; ``effects``
    are its expected effects valued with the unit-cost catalogue (engine.effects). The
    decision's own figures (``decision_date``, ``decision_year``) are there where the
    decision date is given."""
    out: dict[str, Any] = {
        "submitted_year": p.submitted.year,
        "start_year": p.start.year,
        "end_year": p.end.year,
        "implementation_deadline_year": p.end.year + 1,
    }
    if decision_date is not None:
        out["decision_date"] = decision_date
        out["decision_year"] = decision_date.year
    if params.get("eligibility.min_duration_months") is not None:
        out["min_end"] = project_end(p.start, params["eligibility.min_duration_months"])
    if params.get("eligibility.max_duration_months") is not None:
        out["max_end"] = project_end(p.start, params["eligibility.max_duration_months"])
    _participants(p, params, out)
    _budget(p, out)
    _economics(p, params, out, effects)
    _evaluation(p, params, out)
    _repayment(p, out, effects)
    _budget_guard(p, params, out)
    return out


def _participants(p: Proposal, params: Mapping[str, Any], out: dict) -> None:
    lead = p.applicant.lead
    partners = p.applicant.partners or []
    everyone = [lead, *partners]
    out["participant_count"] = len(_distinct(x.name for x in everyone))
    kinds = set(params.get("eligibility.collaboration_kinds") or ())

    def counts(x) -> bool | None:
        if x.kind not in kinds:
            return False
        if x.kind in ("civil_society", "company") and x is not lead:
            return x.non_profit  # None: cannot tell yet
        return True

    by_name: dict[str, bool | None] = {}
    for x in everyone:
        verdict = counts(x)
        prior = by_name.get(x.name, False)
        by_name[x.name] = True if (prior or verdict) else (None if None in (prior, verdict) else False)
    collab = _count(by_name.values(), lambda v: v)
    if collab is not None:
        out["collaborating_participants"] = collab
    municipal = _distinct(x.name for x in everyone if x.kind == "municipal")
    out["municipal_participants"] = len(municipal)
    out["company_partners"] = sum(1 for x in partners if x.kind == "company")
    civil = [x for x in partners if x.kind == "civil_society"]
    nonprofit = _count(civil, lambda x: x.non_profit)
    if nonprofit is not None:
        out["nonprofit_civil_society_partners"] = nonprofit
    for_profit = _count(civil, lambda x: None if x.non_profit is None else not x.non_profit)
    if for_profit is not None:
        out["for_profit_civil_society_partners"] = for_profit
    sectors: dict[str, str | None] = {}
    for x in everyone:
        if x.kind == "municipal":
            sectors[x.name] = sectors.get(x.name) or x.sector
    if all(s is not None for s in sectors.values()):
        out["distinct_municipal_sectors"] = len(set(sectors.values()))


def _budget(p: Proposal, out: dict) -> None:
    if p.budget is None:
        return
    rows = p.budget
    out["budget_row_count"] = len(rows)
    out["budget_rows_without_purpose"] = sum(1 for r in rows if r.purpose is None)
    if not rows:
        return
    grants_known = all(r.fund_sek is not None for r in rows)
    own_known = all(r.own_sek is not None for r in rows)
    if own_known:
        out["own_contribution"] = sum(r.own_sek for r in rows)
    if not grants_known:
        return  # an amount not given is unknown, never 0 (§1)
    grant = sum(r.fund_sek for r in rows)
    out["fund_grant"] = grant
    if own_known:
        own = out["own_contribution"]
        out["total_cost"] = grant + own
        if grant + own > 0:
            out["fund_share"] = grant / (grant + own)
    year, largest = max(sorted(yearly_grants(rows).items()), key=lambda kv: kv[1])
    out["largest_yearly_grant"] = largest
    out["largest_grant_year"] = year


@dataclass(frozen=True)
class SavingRow:
    """An expected saving: a row of ``expected_savings`` or one year of an expected effect."""

    committee: str
    scope: str
    year: int
    sek: float


def savings_rows(p: Proposal, effects: EffectSavings | None) -> list[SavingRow] | None:
    """Every expected saving, stated in kronor or valued from effects; None where an effect
    row cannot be valued (its savings are unknown, never 0)."""
    rows = [SavingRow(s.committee, s.scope, s.year, s.sek) for s in p.expected_savings or []]
    if p.expected_effects:
        if effects is None or not effects.complete:
            return None
        rows += [SavingRow(s.committee, s.scope, s.year, s.sek) for s in effects.savings]
    return rows


def _economics(p: Proposal, params: Mapping[str, Any], out: dict, effects: EffectSavings | None = None) -> None:
    if p.expected_savings is not None or p.expected_effects is not None:
        stated = p.expected_savings or []
        out["savings_row_count"] = len(stated) + len(p.expected_effects or [])
        out["savings_rows_without_cost_item"] = sum(1 for s in stated if s.cost_item is None)
    if p.expected_effects is not None:
        out["effect_row_count"] = len(p.expected_effects)
        if effects is not None:
            out["incomplete_effect_rows"] = len(effects.incomplete)
            if effects.complete:
                out["savings_from_effects"] = round(sum(s.sek for s in effects.savings if s.scope == "municipal"))
    savings = savings_rows(p, effects)
    y0, y1 = p.start.year, p.end.year
    credible = True  # 3.13: every budget row in a project year, no saving before the start year
    if p.budget:
        outside = [r for r in p.budget if not y0 <= r.year <= y1]
        out["budget_rows_outside_project"] = len(outside)
        out["budget_rows_outside_project_names"] = [str(r.year) for r in outside]
        credible = not outside
    if p.expected_savings is not None or p.expected_effects is not None:
        # stated rows by their year, effect rows by their first year (one without it is asked
        # for by eligibility.effects_complete, not counted twice here)
        dated = [(s.committee, s.year) for s in p.expected_savings or []]
        dated += [(e.committee, e.from_year) for e in p.expected_effects or [] if e.from_year is not None]
        early = [(c, y) for c, y in dated if y < y0]
        out["savings_rows_before_start"] = len(early)
        out["savings_rows_before_start_names"] = [f"{c} {y}" for c, y in early]
        credible = credible and not early
    econ = p.economics
    stated = econ is not None and econ.discount_rate is not None and econ.horizon_years is not None
    if not (stated and savings and p.budget and credible):
        return  # 3.14 is judged only where 3.13 holds
    if any(r.fund_sek is None or r.own_sek is None for r in p.budget):
        return  # the cost is not known
    rate = params["economics.discount_rate"]
    horizon = params["economics.horizon_years"]
    pv_savings = present_value(((s.year, s.sek) for s in savings if s.scope == "municipal"), y0, rate, horizon)
    pv_cost = present_value(((r.year, r.fund_sek + r.own_sek) for r in p.budget), y0, rate, horizon)
    out["pv_municipal_savings"] = round(pv_savings)
    out["pv_total_cost"] = round(pv_cost)
    if pv_cost > 0:
        out["benefit_cost_ratio"] = pv_savings / pv_cost  # unrounded: compared with a limit (§2); rounded where shown


def _evaluation(p: Proposal, params: Mapping[str, Any], out: dict) -> None:
    ev = p.evaluation
    if ev is None:
        return
    if ev.design is not None:
        out["sms_level"] = SMS_LEVELS[ev.design]
    if ev.sample is not None and ev.sample.treatment and ev.sample.comparison:
        out["mde"] = mde(params["evaluation.alpha"], params["evaluation.power"],  # unrounded (§2, 4.4)
                         ev.sample.treatment, ev.sample.comparison)
    if ev.primary_outcomes is not None:
        outcomes = ev.primary_outcomes
        out["primary_outcome_count"] = len(outcomes)
        out["primary_outcomes_incomplete"] = sum(
            1 for o in outcomes
            if o.data_source is None or o.baseline is None or o.baseline.value is None or o.baseline.period is None)


def _repayment(p: Proposal, out: dict, effects: EffectSavings | None = None) -> None:
    if p.expected_savings is None and p.expected_effects is None:
        return
    stated = [(s.committee, s.scope) for s in p.expected_savings or []]
    stated += [(e.committee, e.scope) for e in p.expected_effects or []]
    saving = _distinct(c for c, scope in stated if scope == "municipal")
    out["municipal_saving_committees"] = len(saving)
    if p.repayment is None:
        return
    committed = {c.committee for c in p.repayment}
    missing = [c for c in saving if c not in committed]
    out["uncommitted_saving_committees"] = len(missing)
    out["uncommitted_saving_committee_names"] = missing
    out["repayment_commitment_count"] = len(p.repayment)
    shares = [c.share for c in p.repayment]
    if shares and all(s is not None for s in shares):
        out["lowest_repayment_share"] = min(shares)


def _budget_guard(p: Proposal, params: Mapping[str, Any], out: dict) -> None:
    ctx = p.budget_context
    if ctx is None:
        return
    lead_and_partners = [p.applicant.lead, *(p.applicant.partners or [])]
    committees = _distinct(x.name for x in lead_and_partners if x.kind == "municipal")
    if ctx.committees is not None:
        known = {c.name: c for c in ctx.committees if c.previous_sek is not None and c.current_sek is not None}
        missing = [c for c in committees if c not in known]
        out["participating_committees_missing_budget"] = len(missing)
        out["committees_missing_budget"] = missing
        price = ctx.price_change if ctx.price_change is not None else params["budget_guard.default_price_change"]
        cuts = [(-real_change(known[c].previous_sek, known[c].current_sek, price), c)
                for c in committees if c in known and known[c].previous_sek > 0]
        if cuts:
            cut, name = max(cuts, key=lambda t: t[0])
            out["largest_real_cut"] = cut  # unrounded: compared with a limit (§2)
            out["largest_real_cut_committee"] = name
    centres = ctx.cost_centres
    if centres is None:
        return
    out["cost_centre_count"] = len(centres)
    funded = _count(centres, lambda c: None if c.funded_by_project is None
                    else (c.funded_by_project and (None if c.previous_sek is None else c.previous_sek > 0)))
    if funded is not None:
        out["project_funded_cost_centres_with_previous"] = funded
        out["project_funded_cost_centre_names"] = [
            c.name for c in centres if c.funded_by_project and (c.previous_sek or 0) > 0]
    if any(c.target_area is None for c in centres):
        return
    in_area = [c for c in centres if c.target_area]
    if any(c.previous_sek is None or c.current_sek is None for c in in_area):
        return
    cut, name = 0, None
    for c in in_area:
        if c.previous_sek - c.current_sek > cut:
            cut, name = c.previous_sek - c.current_sek, c.name
    out["largest_target_area_cut"] = cut
    if name is not None:
        out["largest_target_area_cut_centre"] = name
