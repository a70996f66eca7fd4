"""Step definitions for the Swedish scenarios in features/: few, generic and thin.

Each step parses its words and calls the public library API. The guards in conftest.py
fail a scenario with no steps (an English keyword in a Swedish feature silently turns a
step into description), a feature not in Swedish, and (through --strict-markers) a tag
that is not registered.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from conftest import COVERAGE, ROOT, as_yaml
from governance.board.evidence import EffectRecord, EvidenceBase, forest_svg
from governance.documents.letters import Letters
from governance.formats.loader import parse_proposal
from governance.board.followup import RANK as FOLLOWUP_RANK
from governance.engine.rulebook import SEVERITY_RANK
from governance.formats.yamlsource import parse_text

FEATURES = Path(os.environ.get("FUNDGOV_FEATURES", ROOT / "features"))
scenarios(str(FEATURES))

OUTCOMES = {"beviljas": "approved", "beviljas med villkor": "approved_with_conditions",
            "komplettering begärs": "completion_requested", "avslag": "rejected"}
SEVERITIES = {"avslagsgrund": "reject", "komplettering": "complete", "villkor": "condition",
              "anmärkning": "note", "ingen": None,
              # after the decision (follow-up)
              "utbetalning hålls inne": "withhold", "prövning": "review", "återföring": "repay",
              "meddelande": "notice", "förlängning avslås": "refuse", "förlängning beviljas": "extend"}
MISSING = "saknas"


@pytest.fixture
def case(tmp_path):
    return {"data": None, "gov": None, "decision": None, "loaded": None, "reports": [], "followup": None,
            "folder": tmp_path, "evidence": None}


@pytest.fixture
def governance(gov, case):
    yield gov
    if case["gov"] is not None:
        case["gov"].close()


def _value(text: str):
    """A cell as YAML (dates stay text, as in a proposal file)."""
    return parse_text(text, "<tabell>").data if text.strip() else ""


def _set(data: dict, path: str, text: str) -> None:
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    for part in parts[:-1]:
        node = node[part]
    last = parts[-1]
    if last == "+":
        node.append(_value(text))
    elif text == MISSING:
        node.pop(last, None)  # not in the application (already absent is fine)
    else:
        node[last] = _value(text)


@given(parsers.parse('ansökan "{name}"'))
def proposal(case, name):
    path = FEATURES / "underlag" / f"{name}.yaml"
    case["data"] = parse_text(path.read_text(encoding="utf-8"), str(path)).data


@given("ansökan ändras så att:")
def changes(case, datatable):
    header, *rows = datatable
    assert header == ["fält", "värde"], f"tabellen ska ha kolumnerna fält och värde, inte {header}"
    for field, value in rows:
        _set(case["data"], field, value)


@given(parsers.parse('fondens parameter "{name}" är {value} från "{day}"'))
def parameter(case, governance, name, value, day):
    case["gov"] = governance.with_parameter(case["data"]["fund"], name, _value(value), dt.date.fromisoformat(day),
                                            "scenario")


@when(parsers.parse('fonden beslutar den "{day}"'))
@when(parsers.parse('fonden beslutar den "{day}" på {lang}'))
def decide(case, governance, day, lang="svenska"):
    gov = case["gov"] or governance
    case["loaded"] = parse_proposal(as_yaml(case["data"]), "scenario.yaml")
    levels = None
    if case["evidence"] is not None:  # the funds' shared evidence base as of the decision date
        levels = EvidenceBase(case["evidence"], gov.policies.methods, dt.date.fromisoformat(day)).levels()
    case["decision"] = gov.decide(case["loaded"], dt.date.fromisoformat(day), {"svenska": "sv", "engelska": "en"}[lang],
                                  evidence=levels)


@given("en rapport:")
def a_report(case, datatable):
    header, *rows = datatable
    assert header == ["fält", "värde"], f"tabellen ska ha kolumnerna fält och värde, inte {header}"
    data = {"format": "follow-up/1", "proposal": case["data"]["id"], "fund": case["data"]["fund"]}
    for field, value in rows:
        _set(data, field, value)
    path = case["folder"] / f"rapport-{len(case['reports'])}.yaml"
    path.write_text(as_yaml(data), encoding="utf-8")
    case["reports"].append(path)


@when(parsers.parse('fonden följer upp den "{day}"'))
def follow_up(case, governance, day):
    proposal = case["folder"] / "ansokan.yaml"
    proposal.write_text(as_yaml(case["data"]), encoding="utf-8")
    case["followup"] = (case["gov"] or governance).follow_up(proposal, case["reports"], dt.date.fromisoformat(day))


@then(parsers.parse('återför "{committee}" {amount:d} kr budgetåret {year:d}'))
def repays(case, committee, amount, year):
    rows = [(r.committee, r.budget_year, r.amount_sek) for r in case["followup"].repayments]
    assert (committee, year, amount) in rows, rows


@then(parsers.parse('återför "{committee}" sammanlagt {amount:d} kr'))
def repays_in_all(case, committee, amount):
    assert sum(r.amount_sek for r in case["followup"].repayments if r.committee == committee) == amount


@then(parsers.parse("delas utrymmet {room:d} kr under taket i proportion"))
def cap_shared(case, room):
    (capped,) = case["followup"].capped
    assert capped.room_sek == room and sum(due for _c, _w, due in capped.shares) == room, capped


@then("återförs ingenting")
def nothing_repaid(case):
    assert case["followup"].repayments == []


@then(parsers.parse('blir beslutet "{outcome}"'))
@then(parsers.parse('beslutet blir "{outcome}"'))
def outcome(case, outcome):
    assert case["decision"].outcome == OUTCOMES[outcome], _findings(case)


@then(parsers.parse('ger klausul "{clause}" "{severity}"'))
@then(parsers.parse('klausul "{clause}" ger "{severity}"'))
def clause_gives(case, governance, request, clause, severity):
    gov = case["gov"] or governance
    if case["followup"] is not None:
        result = case["followup"]
        found = [n.severity for n in result.notices if n.clause == clause]
        strongest = max(found, key=FOLLOWUP_RANK.__getitem__) if found else None
        assert strongest == SEVERITIES[severity], "; ".join(f"{n.clause} {n.severity}: {n.message}" for n in result.notices)
        COVERAGE.record_rules(gov.followup_rules(), result.fund, result.policy_version,
                              {n.rule for n in result.notices}, clause, request.node.fundgov_scenario)
        return
    decision = case["decision"]
    found = [f.severity for f in decision.findings if f.clause == clause]
    strongest = max(found, key=SEVERITY_RANK.__getitem__) if found else None
    assert strongest == SEVERITIES[severity], _findings(case)  # the clause gives this (and nothing stronger)
    COVERAGE.record(gov.rulebook, decision, clause, request.node.fundgov_scenario)


@then(parsers.parse('slutar projektet "{day}"'))
def project_ends(case, day):
    assert case["followup"].end == day, [vars(x) for x in case["followup"].extensions]


@then(parsers.parse('är sista dag för komplettering "{day}"'))
def deadline(case, day):
    assert case["decision"].completion_deadline == day


@then(parsers.parse('innehåller brevet "{text}"'))
@then(parsers.parse('brevet innehåller "{text}"'))
def letter_contains(case, governance, text):
    letter = Letters((case["gov"] or governance).rulebook).render(case["loaded"], case["decision"], "md")
    assert text in letter.replace("\u00a0", " ").replace("\\", ""), letter


def _findings(case) -> str:
    return "; ".join(f"{f.clause} {f.severity}: {f.message}" for f in case["decision"].findings) or "inga bedömningar"


# ------------------------------------------------------------ effects, savings and evidence (#16)

RECORD_COLUMNS = ["metod", "fond", "ansökan", "år", "inkom", "design", "mått", "skattning", "nedre", "övre",
                  "uppföljning"]


def _number(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace("−", "-").replace(",", "."))


@given("fondernas kunskapsbas har effektrapporterna:")
def evidence_records(case, datatable):
    header, *rows = datatable
    assert header == RECORD_COLUMNS, f"tabellen ska ha kolumnerna {RECORD_COLUMNS}, inte {header}"
    case["evidence"] = [EffectRecord(m, f, p, int(y), dt.date.fromisoformat(d), design, "primärt utfall", measure,
                                     _number(e), _number(lo), _number(hi), int(months))
                        for m, f, p, y, d, design, measure, e, lo, hi, months in rows]


@then(parsers.parse('är besparingen för "{committee}" år {year:d} {amount} kr'))
def saving_is(case, committee, year, amount):
    rows = case["decision"].savings["per_committee_and_year"]
    assert {"committee": committee, "scope": "municipal", "year": year, "sek": int(_number(amount))} in rows, rows


@then(parsers.parse('har "{cost_item}" källan "{text}"'))
def cost_item_source(case, cost_item, text):
    items = {i["id"]: i for i in case["decision"].savings["cost_items"]}
    assert text in items[cost_item]["reference"], items


@then(parsers.parse('är nytto-kostnadskvoten "{value}"'))
def bcr_is(case, value):
    assert round(case["decision"].sensitivity["benefit_cost_ratio"], 2) == _number(value), case["decision"].sensitivity


@then(parsers.parse('är nytto-kostnadskvoten vid kalkylräntan {rate} % "{value}"'))
def bcr_at_rate(case, rate, value):
    rows = {r["rate"]: r["benefit_cost_ratio"] for r in case["decision"].sensitivity["discount_rates"]}
    assert round(rows[round(_number(rate) / 100, 6)], 2) == _number(value), rows


@then(parsers.parse('är nytto-kostnadskvoten vid {share} effekten "{value}"'))
def bcr_at_share(case, share, value):
    k = {"halva": 0.5, "dubbla": 2.0}[share]
    rows = {r["share"]: r["benefit_cost_ratio"] for r in case["decision"].sensitivity["effect_shares"]}
    assert round(rows[k], 2) == _number(value), rows


@then(parsers.parse('går kalkylen jämnt ut vid "{value}" av den förväntade effekten'))
def break_even(case, value):
    share = case["decision"].sensitivity["break_even_share"]
    assert round(share * 100, 1) == _number(value.rstrip(" %")), share


@then(parsers.parse('har metoden "{method}" evidensnivå {level:d} i kunskapsbasen den "{day}"'))
def method_level(case, governance, method, level, day):
    base = EvidenceBase(case["evidence"], governance.policies.methods, dt.date.fromisoformat(day))
    case["evidence_base"] = base
    assert base.method(method).level == level, base.levels()


@then(parsers.parse('visar skogsdiagrammet för "{method}" {count:d} rapporter och den sammanvägda effekten'))
def forest_shows(case, method, count):
    found = case["evidence_base"].method(method)
    svg = forest_svg(found)
    assert len(found.poolable) == count and svg.count("<rect") == count and "Sammanvägd effekt" in svg, svg
