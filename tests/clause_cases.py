"""Per-rule cases shared by the clause tests: changes to a fund's approved base application
that make a rule fire, not fire (at its boundary) or ask for completion.

The base applications are the scenarios' (features/underlag/<fund>.yaml). These cases
test rules in more detail than the scenarios; they are not required for a new rule: the
Swedish scenarios and ``fundgov rules coverage`` are the specification every rule meets."""
from __future__ import annotations

import copy

from conftest import DELETE, ROOT, set_path
from governance.formats.yamlsource import parse_text

UNDERLAG = ROOT / "features" / "underlag"


def base_applications() -> list[str]:
    """The names of the approved base applications (one per fund, usually named after it)."""
    return sorted(p.stem for p in UNDERLAG.glob("*.yaml"))


def base(name: str) -> dict:
    """An approved base application as data (dates as text), to change field by field."""
    path = UNDERLAG / f"{name}.yaml"
    return parse_text(path.read_text(encoding="utf-8"), str(path)).data


def changed(fund: str, changes: dict) -> dict:
    data = copy.deepcopy(base(fund))
    for path, value in changes.items():
        if callable(value):
            value(data)
        else:
            set_path(data, path, value)
    return data


def add_partner(**partner):
    return lambda d: d["applicant"]["partners"].append(partner)


def add_centre(**centre):
    base_centre = {"name": "Fritidsgård", "committee": "Socialnämnden", "previous_sek": 500_000,
                   "current_sek": 500_000, "target_area": False, "funded_by_project": False}
    return lambda d: d["budget_context"]["cost_centres"].append({**base_centre, **centre})


OUTCOMES = [{"name": f"Utfall {i}", "data_source": "Register", "baseline": {"value": 1, "period": "2024"}}
            for i in range(4)]

# (case id, fund, changes, rule id, expected severity or None for "no finding from this rule")
CASES = [
    # 3.1
    ("3.1 region leads", "model", {"applicant.lead.kind": "region"}, "eligibility.lead_kind", "reject"),
    ("3.1 municipal leads", "model", {}, "eligibility.lead_kind", None),
    ("3.1 region may lead in Gävleborg", "gavleborg", {"applicant.lead.kind": "region"}, "eligibility.lead_kind", None),
    # 3.2
    ("3.2 one committee alone", "model", {"applicant.partners": []}, "eligibility.collaboration", "reject"),
    ("3.2 two committees", "model", {}, "eligibility.collaboration", None),
    ("3.2 same committee twice", "model", {"applicant.partners.0.name": "Socialnämnden"}, "eligibility.collaboration", "reject"),
    ("3.2 committee and non-profit count in the model", "model",
     {"applicant.partners": [{"name": "Föreningen", "kind": "civil_society", "non_profit": True}]},
     "eligibility.collaboration", None),
    ("3.2 committee and non-profit do not count in Norrköping", "norrkoping",
     {"applicant.partners": [{"name": "Föreningen", "kind": "civil_society", "non_profit": True}]},
     "eligibility.collaboration", "reject"),
    ("3.2 non-profit unknown", "model",
     {"applicant.partners": [{"name": "Föreningen", "kind": "civil_society"}]}, "eligibility.collaboration", "complete"),
    ("3.2 region and non-profit collaborate in Gävleborg", "gavleborg",
     {"applicant.partners": [{"name": "Region Gävleborg", "kind": "region"}]}, "eligibility.collaboration", None),
    # 3.3
    ("3.3 company partner", "model", {"x": add_partner(name="Bolaget AB", kind="company", non_profit=False)},
     "eligibility.no_company_partners", "reject"),
    ("3.3 for-profit civil society", "model", {"x": add_partner(name="Stiftelsen", kind="civil_society", non_profit=False)},
     "eligibility.no_company_partners", "reject"),
    ("3.3 non-profit civil society", "model", {"x": add_partner(name="Föreningen", kind="civil_society", non_profit=True)},
     "eligibility.no_company_partners", None),
    ("3.3 non-profit not stated", "model", {"x": add_partner(name="Föreningen", kind="civil_society")},
     "eligibility.no_company_partners", "complete"),
    # 3.4
    ("3.4 size zero", "model", {"target_group.size": 0}, "eligibility.target_group_defined", "complete"),
    ("3.4 ages reversed", "model", {"target_group.age_min": 6}, "eligibility.target_group_defined", "complete"),
    ("3.4 no risk criteria", "model", {"target_group.risk_criteria": DELETE}, "eligibility.target_group_defined", "complete"),
    ("3.4 no target group", "model", {"target_group": DELETE}, "eligibility.target_group_defined", "complete"),
    ("3.4 defined", "model", {}, "eligibility.target_group_defined", None),
    ("3.4 age above the limit", "model", {"target_group.age_max": 26}, "eligibility.target_age", "reject"),
    ("3.4 age at the limit", "model", {"target_group.age_max": 25}, "eligibility.target_age", None),
    ("3.4 no age limit in Norrköping", "norrkoping", {"target_group.age_max": 40}, "eligibility.target_age", None),
    ("3.4 upper age missing", "model", {"target_group.age_max": DELETE}, "eligibility.target_age", "complete"),
    # 3.5
    ("3.5 treatment", "model", {"intervention.kind": "treatment"}, "eligibility.preventive_or_early", "reject"),
    ("3.5 preventive", "model", {"intervention.kind": "preventive"}, "eligibility.preventive_or_early", None),
    ("3.5 kind missing", "model", {"intervention.kind": DELETE}, "eligibility.preventive_or_early", "complete"),
    # 3.6
    ("3.6 one day over 36 months", "model", {"end": "2028-09-01"}, "eligibility.duration_too_long", "reject"),
    ("3.6 exactly 36 months", "model", {"end": "2028-08-31"}, "eligibility.duration_too_long", None),
    ("3.6 one day under 12 months", "model", {"end": "2026-08-30"}, "eligibility.duration_too_short", "reject"),
    ("3.6 exactly 12 months", "model", {"end": "2026-08-31"}, "eligibility.duration_too_short", None),
    # 3.7
    ("3.7 existing activity", "model", {"intervention.existing_activity": True}, "eligibility.not_existing_or_statutory", "reject"),
    ("3.7 statutory duty", "model", {"intervention.statutory_duty": True}, "eligibility.not_existing_or_statutory", "reject"),
    ("3.7 neither", "model", {}, "eligibility.not_existing_or_statutory", None),
    ("3.7 not stated", "model", {"intervention.statutory_duty": DELETE}, "eligibility.not_existing_or_statutory", "complete"),
    # 3.8
    ("3.8 novelty missing", "model", {"intervention.novelty": DELETE}, "eligibility.novelty_stated", "complete"),
    ("3.8 novelty stated", "model", {}, "eligibility.novelty_stated", None),
    ("3.8 evidence too low", "model", {"intervention.evidence_level": 1}, "eligibility.evidence", "complete"),
    ("3.8 evidence at the minimum", "model", {"intervention.evidence_level": 2}, "eligibility.evidence", None),
    ("3.8 established practice instead", "model",
     {"intervention.evidence_level": 1, "intervention.established_practice": "Använd i tio år i Umeå"}, "eligibility.evidence", None),
    ("3.8 evidence missing", "model", {"intervention.evidence_level": DELETE}, "eligibility.evidence", "complete"),
    # 3.8 with the funds' shared evidence base passed in (_evidence: method -> level)
    ("3.8 the evidence base lifts a low stated level", "model",
     {"intervention.evidence_level": 1, "intervention.method": "hembesok_foraldrastod",
      "_evidence": {"hembesok_foraldrastod": {"level": 3}}}, "eligibility.evidence", None),
    ("3.8 the evidence base says so in a note", "model",
     {"intervention.evidence_level": 1, "intervention.method": "hembesok_foraldrastod",
      "_evidence": {"hembesok_foraldrastod": {"level": 2}}}, "eligibility.evidence_base", "note"),
    ("3.8 a level below the minimum in the evidence base", "model",
     {"intervention.evidence_level": 1, "intervention.method": "hembesok_foraldrastod",
      "_evidence": {"hembesok_foraldrastod": {"level": 1}}}, "eligibility.evidence", "complete"),
    ("3.8 no note below the minimum", "model",
     {"intervention.evidence_level": 1, "intervention.method": "hembesok_foraldrastod",
      "_evidence": {"hembesok_foraldrastod": {"level": 1}}}, "eligibility.evidence_base", None),
    ("3.8 a method with no evaluations is at level 0", "model",
     {"intervention.evidence_level": 1, "intervention.method": "komet", "_evidence": {}}, "eligibility.evidence", "complete"),
    ("3.8 new method without theory", "model", {"intervention.novelty": "new"}, "eligibility.theory_of_change", "complete"),
    ("3.8 new method with theory", "model", {"intervention.novelty": "new", "intervention.theory_of_change": "Tidigt stöd"},
     "eligibility.theory_of_change", None),
    # 3.9
    ("3.9 share exactly the maximum", "gavleborg", {}, "eligibility.fund_share", None),
    ("3.9 share over the maximum", "gavleborg", {"budget.0.own_sek": 399_999}, "eligibility.fund_share", "reject"),
    ("3.9 not judged without budget rows", "gavleborg", {"budget": []}, "eligibility.fund_share", None),
    # 3.10
    ("3.10 yearly grant at the cap", "gavleborg", {"budget.1.fund_sek": 500_000, "budget.1.own_sek": 500_000},
     "eligibility.grant_per_year", None),
    ("3.10 yearly grant over the cap", "gavleborg", {"budget.1.fund_sek": 500_001, "budget.1.own_sek": 500_001},
     "eligibility.grant_per_year", "reject"),
    ("3.10 rows of one year add up", "gavleborg",
     {"x": lambda d: d["budget"].append({"year": 2026, "fund_sek": 100_001, "own_sek": 100_001, "purpose": "Lokal"})},
     "eligibility.grant_per_year", "reject"),
    ("3.10 no cap in the model", "model", {"budget.1.fund_sek": 9_000_000}, "eligibility.grant_per_year", None),
    # 3.11
    ("3.11 not signed", "model", {"implementation.signed_by_manager": False}, "eligibility.implementation_signed", "complete"),
    ("3.11 signature not stated", "model", {"implementation": DELETE}, "eligibility.implementation_signed", "complete"),
    ("3.11 signed", "model", {}, "eligibility.implementation_signed", None),
    # 3.12
    ("3.12 budgeted too late", "model", {"implementation.from_year": 2030}, "eligibility.implementation_budgeted", "complete"),
    ("3.12 the year after the end", "model", {"implementation.from_year": 2029}, "eligibility.implementation_budgeted", None),
    ("3.12 year missing", "model", {"implementation.from_year": DELETE}, "eligibility.implementation_budgeted", "complete"),
    # 3.13
    ("3.13 no budget rows", "model", {"budget": []}, "eligibility.economic_calculation", "complete"),
    ("3.13 no savings", "model", {"expected_savings": DELETE}, "eligibility.economic_calculation", "complete"),
    ("3.13 no discount rate", "model", {"economics.discount_rate": DELETE}, "eligibility.economic_calculation", "complete"),
    ("3.13 complete", "model", {}, "eligibility.economic_calculation", None),
    ("3.13 a budget row after the end year", "model", {"budget.3.year": 2029}, "eligibility.budget_rows_in_project", "complete"),
    ("3.13 budget rows in the project years", "model", {}, "eligibility.budget_rows_in_project", None),
    ("3.13 a saving before the start year", "model", {"expected_savings.0.year": 2024}, "eligibility.savings_not_before_start", "complete"),
    ("3.13 savings from the start year on", "model", {"expected_savings.0.year": 2025}, "eligibility.savings_not_before_start", None),
    ("3.13 an effect row without its baseline", "model",
     {"expected_effects": [{"cost_item": "familjehem_ar_barn", "committee": "Socialnämnden", "change_per_year": -2,
                            "from_year": 2027, "to_year": 2030}]}, "eligibility.effects_complete", "complete"),
    ("3.13 effect rows complete", "model",
     {"expected_effects": [{"cost_item": "familjehem_ar_barn", "committee": "Socialnämnden", "baseline_volume": 20,
                            "change_per_year": -2, "from_year": 2027, "to_year": 2030}]},
     "eligibility.effects_complete", None),
    ("3.13 only effects, no kronor rows", "model",
     {"expected_savings": DELETE,
      "expected_effects": [{"cost_item": "familjehem_ar_barn", "committee": "Socialnämnden", "baseline_volume": 20,
                            "change_per_year": -4, "from_year": 2027, "to_year": 2034}]},
     "eligibility.economic_calculation", None),
    # 3.14
    ("3.14 does not pay back", "model", {"expected_savings.2.sek": 1_000_000}, "eligibility.payback", "reject"),
    ("3.14 pays back", "model", {}, "eligibility.payback", None),
    ("3.14 not judged without 3.13", "model", {"economics": DELETE}, "eligibility.payback", None),
    ("3.14 savings outside the municipality do not count", "model",
     {"expected_savings.2.scope": "region", "expected_savings.3.scope": "state"}, "eligibility.payback", "reject"),
    # 3.15
    ("3.15 Örebro closed from 2023", "orebro", {"submitted": "2023-01-01"}, "eligibility.fund_open", "reject"),
    ("3.15 Örebro open in 2022", "orebro", {"submitted": "2022-12-31"}, "eligibility.fund_open", None),
    # 4.1
    ("4.1 no primary outcome", "model", {"evaluation.primary_outcomes": []}, "evaluation.primary_outcomes_missing", "complete"),
    ("4.1 outcomes named", "model", {}, "evaluation.primary_outcomes_missing", None),
    ("4.1 outcomes not stated", "model", {"evaluation": DELETE}, "evaluation.primary_outcomes_missing", "complete"),
    ("4.1 four outcomes", "model", {"evaluation.primary_outcomes": OUTCOMES}, "evaluation.primary_outcomes_too_many", "condition"),
    ("4.1 three outcomes", "model", {"evaluation.primary_outcomes": OUTCOMES[:3]}, "evaluation.primary_outcomes_too_many", None),
    # 4.2
    ("4.2 no data source", "model", {"evaluation.primary_outcomes.0.data_source": DELETE}, "evaluation.outcome_data", "complete"),
    ("4.2 no baseline period", "model", {"evaluation.primary_outcomes.1.baseline.period": DELETE}, "evaluation.outcome_data", "complete"),
    ("4.2 complete", "model", {}, "evaluation.outcome_data", None),
    # 4.3
    ("4.3 no design", "model", {"evaluation.design": "none"}, "evaluation.design_missing", "complete"),
    ("4.3 design given", "model", {}, "evaluation.design_missing", None),
    ("4.3 design not stated", "model", {"evaluation.design": DELETE}, "evaluation.design_missing", "complete"),
    ("4.3 weak design for an adapted method", "model", {"evaluation.design": "comparison_group"}, "evaluation.design_strength", "condition"),
    ("4.3 level 3 for an adapted method", "model", {"evaluation.design": "matched_comparison"}, "evaluation.design_strength", None),
    ("4.3 level 2 for an established method", "model",
     {"evaluation.design": "comparison_group", "intervention.novelty": "established"}, "evaluation.design_strength", None),
    ("4.3 level 1 for an established method", "model",
     {"evaluation.design": "pre_post", "intervention.novelty": "established"}, "evaluation.design_strength", "condition"),
    # 4.4
    ("4.4 effect size missing", "model", {"evaluation.expected_effect_size": DELETE}, "evaluation.effect_size_stated", "complete"),
    ("4.4 no power rule below level 2", "model", {"evaluation.design": "pre_post", "evaluation.expected_effect_size": DELETE},
     "evaluation.effect_size_stated", None),
    ("4.4 sample too small", "model", {"evaluation.sample.treatment": 50, "evaluation.sample.comparison": 50},
     "evaluation.power", "condition"),
    # the unrounded MDE is compared (§2): 2.8016 × √(2/160) = 0.31322674962295854
    ("4.4 MDE exactly the effect", "model", {"evaluation.expected_effect_size": 0.31322674962295854}, "evaluation.power", None),
    ("4.4 MDE just above the rounded effect", "model", {"evaluation.expected_effect_size": 0.3132}, "evaluation.power", "condition"),
    ("4.4 sample missing", "model", {"evaluation.sample": DELETE}, "evaluation.power", "complete"),
    # 4.5
    ("4.5 follow-up too short", "model", {"evaluation.follow_up_months": 23}, "evaluation.follow_up", "condition"),
    ("4.5 follow-up at the minimum", "model", {"evaluation.follow_up_months": 24}, "evaluation.follow_up", None),
    ("4.5 follow-up missing", "model", {"evaluation.follow_up_months": DELETE}, "evaluation.follow_up", "complete"),
    # 4.6
    ("4.6 internal evaluator of a large grant", "model", {"evaluation.evaluator.kind": "internal"},
     "evaluation.independent_evaluator", "condition"),
    ("4.6 internal evaluator at exactly the threshold", "model",
     {"evaluation.evaluator.kind": "internal", "budget": [{"year": 2025, "fund_sek": 3_000_000, "own_sek": 3_000_000, "purpose": "Allt"}]},
     "evaluation.independent_evaluator", "condition"),
    ("4.6 internal evaluator below the threshold", "model",
     {"evaluation.evaluator.kind": "internal", "budget": [{"year": 2025, "fund_sek": 2_999_999, "own_sek": 3_000_000, "purpose": "Allt"}]},
     "evaluation.independent_evaluator", None),
    ("4.6 evaluator not stated", "model", {"evaluation.evaluator": DELETE}, "evaluation.independent_evaluator", "complete"),
    # 4.7
    ("4.7 evaluation budget just short", "model", {"evaluation.budget_sek": 284_999}, "evaluation.budget", "condition"),
    ("4.7 evaluation budget exactly the share", "model", {"evaluation.budget_sek": 285_000}, "evaluation.budget", None),
    ("4.7 evaluation budget missing", "model", {"evaluation.budget_sek": DELETE}, "evaluation.budget", "complete"),
    # 4.8
    ("4.8 no economic outcomes", "model", {"evaluation.economic_outcomes": False}, "evaluation.human_and_economic", "condition"),
    ("4.8 not stated", "model", {"evaluation.human_outcomes": DELETE}, "evaluation.human_and_economic", "complete"),
    ("4.8 both", "model", {}, "evaluation.human_and_economic", None),
    # 5.1
    ("5.1 a saving committee without commitment", "model", {"repayment": [{"committee": "Socialnämnden", "share": 0.75}]},
     "repayment.commitment", "complete"),
    ("5.1 commitments not stated", "model", {"repayment": DELETE}, "repayment.commitment", "complete"),
    ("5.1 every committee committed", "model", {}, "repayment.commitment", None),
    ("5.1 no repayment in Norrköping from 2022", "norrkoping", {"repayment": DELETE}, "repayment.commitment", None),
    ("5.1 repayment in Norrköping until 2021", "norrkoping", {"repayment": DELETE, "submitted": "2021-12-31"},
     "repayment.commitment", "complete"),
    ("5.1 no repayment in Luleå", "lulea", {"repayment": DELETE}, "repayment.commitment", None),
    # 5.2
    ("5.2 share below the minimum", "model", {"repayment.1.share": 0.49}, "repayment.share", "complete"),
    ("5.2 share at the minimum", "model", {"repayment.1.share": 0.5}, "repayment.share", None),
    ("5.2 Norrköping 2021 wants the whole saving", "norrkoping", {"submitted": "2021-12-31"}, "repayment.share", "complete"),
    ("5.2 share not stated", "model", {"repayment.1.share": DELETE}, "repayment.share", "complete"),
    # 6.1
    ("6.1 project pays a funded cost centre", "model", {"x": add_centre(funded_by_project=True)},
     "budget_guard.no_replacement", "reject"),
    ("6.1 project pays a new cost centre", "model", {"x": add_centre(funded_by_project=True, previous_sek=0)},
     "budget_guard.no_replacement", None),
    ("6.1 funding not stated", "model", {"budget_context.cost_centres.0.funded_by_project": DELETE},
     "budget_guard.no_replacement", "complete"),
    ("6.1 not judged without cost centres", "model", {"budget_context.cost_centres": DELETE}, "budget_guard.no_replacement", None),
    # 6.2
    ("6.2 a committee's budget missing", "model", {"budget_context.committees": [
        {"name": "Socialnämnden", "previous_sek": 1_210_000_000, "current_sek": 1_262_000_000}]}, "budget_guard.budgets_shown", "complete"),
    ("6.2 no budget context", "model", {"budget_context": DELETE}, "budget_guard.budgets_shown", "complete"),
    ("6.2 all shown", "model", {}, "budget_guard.budgets_shown", None),
    # 6.3
    ("6.3 real cut", "model", {"budget_context.committees.1.current_sek": 950_000_000}, "budget_guard.real_cut", "condition"),
    ("6.3 real cut note to the council", "model", {"budget_context.committees.1.current_sek": 950_000_000},
     "budget_guard.real_cut_council_note", "note"),
    ("6.3 real cut of exactly the maximum", "model", {"budget_context.committees.1.current_sek": 984_410_000},
     "budget_guard.real_cut", None),
    ("6.3 default price change when none is stated", "model", {"budget_context.price_change": DELETE,
                                           "budget_context.committees.1.current_sek": 979_000_000}, "budget_guard.real_cut", "condition"),
    ("6.3 the proposal's own price change", "model", {"budget_context.committees.1.current_sek": 985_000_000},
     "budget_guard.real_cut", None),
    ("6.3 no note without a cut", "model", {}, "budget_guard.real_cut_council_note", None),
    # 6.4
    ("6.4 target-area cut of half the largest grant", "model", {"budget_context.cost_centres.0.current_sek": 3_300_000},
     "budget_guard.target_area_offset", "reject"),
    ("6.4 target-area cut just under", "model", {"budget_context.cost_centres.0.current_sek": 3_300_001},
     "budget_guard.target_area_offset", None),
    ("6.4 cut outside the target area", "model", {"budget_context.cost_centres.0.target_area": False,
                                                  "budget_context.cost_centres.0.current_sek": 0}, "budget_guard.target_area_offset", None),
    ("6.4 no cost centres given", "model", {"budget_context.cost_centres": DELETE}, "budget_guard.target_area_offset", "complete"),
    ("6.4 empty list is an answer", "model", {"budget_context.cost_centres": []}, "budget_guard.target_area_offset", None),
    # N1, N2
    ("N1 established method", "norrkoping", {"intervention.novelty": "established"}, "norrkoping.new_methods", "reject"),
    ("N1 adapted method", "norrkoping", {}, "norrkoping.new_methods", None),
    ("N1 only in Norrköping", "model", {"intervention.novelty": "established"}, "norrkoping.new_methods", None),
    ("N2 savings row without cost item", "norrkoping", {"expected_savings.0.cost_item": DELETE}, "norrkoping.social_exclusion", "complete"),
    ("N2 no risk criteria", "norrkoping", {"target_group.risk_criteria": DELETE}, "norrkoping.social_exclusion", "complete"),
    ("N2 stated", "norrkoping", {}, "norrkoping.social_exclusion", None),
    # O1, O2
    ("O1 committees of one sector", "orebro", {"applicant.partners.0.sector": "social"}, "orebro.different_sectors", "reject"),
    ("O1 different sectors", "orebro", {}, "orebro.different_sectors", None),
    ("O1 a non-profit partner instead", "orebro", {"applicant.partners.0.sector": "social",
                                                   "x": add_partner(name="Föreningen", kind="civil_society", non_profit=True)},
     "orebro.different_sectors", None),
    ("O1 sector not stated", "orebro", {"applicant.partners.0.sector": DELETE}, "orebro.different_sectors", "complete"),
    ("O2 row without purpose", "orebro", {"budget.2.purpose": DELETE}, "orebro.no_general_addition", "complete"),
    ("O2 every row has a purpose", "orebro", {}, "orebro.no_general_addition", None),
    # G1, G2
    ("G1 no idea decision from 2024", "gavleborg", {"idea_decision": DELETE}, "gavleborg.idea_decision", "complete"),
    ("G1 not before 2024", "gavleborg", {"idea_decision": DELETE, "submitted": "2023-12-31"}, "gavleborg.idea_decision", None),
    ("G1 idea decision given", "gavleborg", {}, "gavleborg.idea_decision", None),
    ("G2 not all signed", "gavleborg", {"implementation.signed_by_all_applicants": False}, "gavleborg.all_signed", "complete"),
    ("G2 not stated", "gavleborg", {"implementation.signed_by_all_applicants": DELETE}, "gavleborg.all_signed", "complete"),
    ("G2 all signed", "gavleborg", {}, "gavleborg.all_signed", None),
]
