"""Step definitions for the Swedish scenarios in features/: few, generic and thin.

Each step parses its words and calls the public library API. The guards in conftest.py
fail a scenario with no steps (an English keyword in a Swedish feature silently turns a
step into description), a feature not in Swedish, and (through --strict-markers) a tag
that is not registered.

The scenarios run against the project's rules and policies, or against those named by
$FUNDGOV_RULES and $FUNDGOV_POLICIES (``fundgov rules coverage --rules … --policies …``
sets them, so that an edited copy is judged by its own scenarios). A step that finds
something wrong raises ScenarioFailure (scenario_report.py): in Swedish, what the
scenario expected and what it got, with a did-you-mean for a word it does not know.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from conftest import COVERAGE, ROOT, as_yaml
from governance import Governance
from governance.board.evidence import EffectRecord, EvidenceBase, forest_svg
from governance.documents.letters import Letters
from governance.errors import FundgovError
from governance.formats.loader import parse_proposal
from governance.board.followup import RANK as FOLLOWUP_RANK
from governance.engine.rulebook import SEVERITY_RANK, clause_key
from governance.formats.yamlsource import parse_text
from governance.i18n import use_language
from scenario_report import ScenarioFailure, did_you_mean

FEATURES = Path(os.environ.get("FUNDGOV_FEATURES", ROOT / "features"))
RULES = os.environ.get("FUNDGOV_RULES") or None
POLICIES = os.environ.get("FUNDGOV_POLICIES") or None
scenarios(str(FEATURES))

OUTCOMES = {"beviljas": "approved", "beviljas med villkor": "approved_with_conditions",
            "komplettering begärs": "completion_requested", "avslag": "rejected"}
SEVERITIES = {"avslagsgrund": "reject", "komplettering": "complete", "villkor": "condition",
              "anmärkning": "note", "ingen": None,
              # after the decision (follow-up)
              "utbetalning hålls inne": "withhold", "prövning": "review", "återföring": "repay",
              "meddelande": "notice", "förlängning avslås": "refuse", "förlängning beviljas": "extend"}
WORDS = {v: k for k, v in {**OUTCOMES, **SEVERITIES}.items()}  # what the scenarios call an outcome or severity
MISSING = "saknas"
LANGS = {"svenska": "sv", "engelska": "en"}


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Scenarios are read in Swedish: what the library says of a bad table or date is Swedish too
    (this replaces conftest's fixture of the same name for these tests)."""
    with use_language("sv"):
        yield


@pytest.fixture(scope="module")
def scenario_gov(gov):
    """The project's rules and policies, or the ones the environment names."""
    if RULES is None and POLICIES is None:
        yield gov
        return
    try:
        loaded = Governance.load(RULES, POLICIES)
    except FundgovError as exc:
        pytest.fail("reglerna eller policyerna går inte att läsa:\n" + str(exc), pytrace=False)
    yield loaded
    loaded.close()


@pytest.fixture
def case(tmp_path):
    return {"data": None, "gov": None, "decision": None, "loaded": None, "reports": [], "followup": None,
            "folder": tmp_path, "evidence": None}


@pytest.fixture
def governance(scenario_gov, case):
    yield scenario_gov
    if case["gov"] is not None:
        case["gov"].close()


def _word(words: dict, word: str, what: str):
    """The meaning of an outcome or severity word of the scenarios; a did-you-mean where it is unknown."""
    if word not in words:
        raise ScenarioFailure(f"{what} '{word}'{did_you_mean(word, words)}")
    return words[word]


def _value(text: str):
    """A cell as YAML (dates stay text, as in a proposal file)."""
    try:
        return parse_text(text, "<tabell>").data if text.strip() else ""
    except FundgovError as exc:
        raise ScenarioFailure(f"värdet '{text}' går inte att läsa: {exc.problems[0].message}") from None


def _set(data: dict, path: str, text: str) -> None:
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    for i, part in enumerate(parts[:-1]):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            _no_field(path, parts, i, node)
    last = parts[-1]
    if last == "+":
        if not isinstance(node, list):
            raise ScenarioFailure(f"fältet '{path}': '+' lägger till en rad i en lista, men "
                                  f"'{'.'.join(map(str, parts[:-1]))}' är ingen lista")
        node.append(_value(text))
    elif text == MISSING:
        if isinstance(node, dict):
            node.pop(last, None)  # not in the application (already absent is fine)
        elif isinstance(node, list) and isinstance(last, int) and last < len(node):
            node.pop(last)
        else:
            _no_field(path, parts, len(parts) - 1, node)
    else:
        try:
            node[last] = _value(text)
        except (IndexError, TypeError):
            _no_field(path, parts, len(parts) - 1, node)


def _no_field(path: str, parts: list, i: int, node) -> None:
    where = ".".join(map(str, parts[:i + 1]))
    if isinstance(node, list):
        raise ScenarioFailure(f"fältet '{path}': ansökan har {len(node)} rader i "
                              f"'{'.'.join(map(str, parts[:i])) or path}', så rad {parts[i]} finns inte "
                              "(raderna räknas från 0; '+' lägger till en rad)")
    choices = node.keys() if isinstance(node, dict) else ()
    raise ScenarioFailure(f"fältet '{path}': '{where}' finns inte i ansökan{did_you_mean(str(parts[i]), choices)}")


@given(parsers.parse('ansökan "{name}"'))
def proposal(case, name):
    folder = FEATURES / "underlag"
    path = folder / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise ScenarioFailure(f"det finns ingen ansökan '{name}' i {folder}{did_you_mean(name, known)}")
    case["data"] = parse_text(path.read_text(encoding="utf-8"), str(path)).data


@given("ansökan ändras så att:")
def changes(case, datatable):
    header, *rows = datatable
    if header != ["fält", "värde"]:
        raise ScenarioFailure("tabellen ska ha kolumnerna fält och värde", "| fält | värde |", f"| {' | '.join(header)} |")
    for field, value in rows:
        _set(case["data"], field, value)
    try:  # the changed application is still an application: a misspelled field is said here, at its table
        parse_proposal(as_yaml(case["data"]), "scenario.yaml")
    except FundgovError as exc:
        raise ScenarioFailure("ansökan med ändringarna i tabellen är ingen giltig ansökan: " + _problems(exc)) from None


def _problems(exc: FundgovError) -> str:
    """The problems of the changed application, by field (its line in a file of its own means nothing here)."""
    return "; ".join(f"{p.field + ': ' if p.field else ''}{p.message}{f' ({p.hint})' if p.hint else ''}"
                     for p in exc.problems)


@given(parsers.parse('fondens parameter "{name}" är {value} från "{day}"'))
def parameter(case, governance, name, value, day):
    try:
        case["gov"] = governance.with_parameter(case["data"]["fund"], name, _value(value), _day(day), "scenario")
    except FundgovError as exc:
        raise ScenarioFailure("parametern kan inte ändras: " + "; ".join(str(p) for p in exc.problems)) from None


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScenarioFailure(f"'{text}' är inget datum i formen ÅÅÅÅ-MM-DD") from None


@when(parsers.parse('fonden beslutar den "{day}"'))
@when(parsers.parse('fonden beslutar den "{day}" på {lang}'))
def decide(case, governance, day, lang="svenska"):
    gov = case["gov"] or governance
    levels = None
    try:
        case["loaded"] = parse_proposal(as_yaml(case["data"]), "scenario.yaml")
        if case["evidence"] is not None:  # the funds' shared evidence base as of the decision date
            levels = EvidenceBase(case["evidence"], gov.policies.methods, _day(day)).levels()
        case["decision"] = gov.decide(case["loaded"], _day(day), _word(LANGS, lang, "okänt språk"), evidence=levels)
    except FundgovError as exc:
        raise ScenarioFailure("fonden kan inte besluta om ansökan: " + _problems(exc)) from None


@given("en rapport:")
def a_report(case, datatable):
    header, *rows = datatable
    if header != ["fält", "värde"]:
        raise ScenarioFailure("tabellen ska ha kolumnerna fält och värde", "| fält | värde |", f"| {' | '.join(header)} |")
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
    try:
        case["followup"] = (case["gov"] or governance).follow_up(proposal, case["reports"], _day(day))
    except FundgovError as exc:
        raise ScenarioFailure("fonden kan inte följa upp projektet: " + "; ".join(
            str(p) for p in exc.problems)) from None


@then(parsers.parse('återför "{committee}" {amount:d} kr budgetåret {year:d}'))
def repays(case, committee, amount, year):
    rows = [(r.committee, r.budget_year, r.amount_sek) for r in case["followup"].repayments]
    if (committee, year, amount) not in rows:
        raise ScenarioFailure(f"återföringen för {committee} budgetåret {year} blev en annan", f"{amount} kr",
                              _repayments(case, committee, year))


@then(parsers.parse('återför "{committee}" sammanlagt {amount:d} kr'))
def repays_in_all(case, committee, amount):
    got = sum(r.amount_sek for r in case["followup"].repayments if r.committee == committee)
    if got != amount:
        raise ScenarioFailure(f"återföringen för {committee} blev en annan", f"{amount} kr", f"{got} kr")


@then(parsers.parse("delas utrymmet {room:d} kr under taket i proportion"))
def cap_shared(case, room):
    capped = case["followup"].capped
    if len(capped) != 1:
        raise ScenarioFailure("taket för återföringen ska nås i en rapport", "1 rapport", f"{len(capped)} rapporter")
    shared = sum(due for _c, _w, due in capped[0].shares)
    if (capped[0].room_sek, shared) != (room, room):
        raise ScenarioFailure("utrymmet under taket delades inte som scenariot väntar", f"{room} kr",
                              f"{capped[0].room_sek} kr under taket, {shared} kr fördelat")


@then("återförs ingenting")
def nothing_repaid(case):
    if case["followup"].repayments:
        raise ScenarioFailure("något återförs", "ingen återföring", _repayments(case))


@then(parsers.parse('blir beslutet "{outcome}"'))
@then(parsers.parse('beslutet blir "{outcome}"'))
def outcome(case, outcome):
    wanted = _word(OUTCOMES, outcome, "okänt beslut")
    got = case["decision"].outcome
    if got != wanted:
        raise ScenarioFailure("beslutet blev ett annat", outcome, WORDS.get(got, got), _findings(case))


@then(parsers.parse('ger klausul "{clause}" "{severity}"'))
@then(parsers.parse('klausul "{clause}" ger "{severity}"'))
def clause_gives(case, governance, request, clause, severity):
    gov = case["gov"] or governance
    wanted = _word(SEVERITIES, severity, "okänd bedömning")
    if case["followup"] is not None:
        result = case["followup"]
        _known_clause(gov.followup_rules(), result.fund, result.policy_version, clause)
        found = [n.severity for n in result.notices if n.clause == clause]
        strongest = max(found, key=FOLLOWUP_RANK.__getitem__) if found else None
        if strongest != wanted:
            raise ScenarioFailure(f"klausul {clause} gav inte det scenariot väntar", severity,
                                  WORDS.get(strongest, strongest), [f"uppföljningen: {n.clause} {WORDS.get(n.severity)}: "
                                                                    f"{n.message}" for n in result.notices])
        COVERAGE.record_rules(gov.followup_rules(), result.fund, result.policy_version,
                              {n.rule for n in result.notices}, clause, request.node.fundgov_scenario)
        return
    decision = case["decision"]
    _known_clause(gov.rulebook, decision.fund, decision.policy_version, clause)
    found = [f.severity for f in decision.findings if f.clause == clause]
    strongest = max(found, key=SEVERITY_RANK.__getitem__) if found else None
    if strongest != wanted:  # the clause gives this (and nothing stronger)
        raise ScenarioFailure(f"klausul {clause} gav inte det scenariot väntar", severity,
                              WORDS.get(strongest, strongest), _findings(case))
    COVERAGE.record(gov.rulebook, decision, clause, request.node.fundgov_scenario)


def _known_clause(rulebook, fund: str, policy_version: str, clause: str) -> None:
    """A clause the scenario checks is a clause of the fund (in force or not yet) that some rule judges."""
    clauses = rulebook.policies.fund(fund).clauses
    judged = {r.clause for r in rulebook.rules}
    if clause not in clauses or clause not in judged:
        known = sorted(set(clauses) & judged, key=clause_key)
        why = "ingen regel prövar den här" if clause in clauses else f"fonden {fund} har ingen sådan klausul"
        raise ScenarioFailure(f"klausul '{clause}': {why}{did_you_mean(clause, known)}")


@then(parsers.parse('slutar projektet "{day}"'))
def project_ends(case, day):
    got = case["followup"].end
    if got != day:
        raise ScenarioFailure("projektet slutar en annan dag", day, got,
                              [f"förlängningar: {[vars(x) for x in case['followup'].extensions]}"])


@then(parsers.parse('är sista dag för komplettering "{day}"'))
def deadline(case, day):
    got = case["decision"].completion_deadline
    if got != day:
        raise ScenarioFailure("sista dag för komplettering blev en annan", day, got or "ingen", _findings(case))


@then(parsers.parse('innehåller brevet "{text}"'))
@then(parsers.parse('brevet innehåller "{text}"'))
def letter_contains(case, governance, text):
    letter = Letters((case["gov"] or governance).rulebook).render(case["loaded"], case["decision"], "md")
    if text not in letter.replace("\u00a0", " ").replace("\\", ""):
        raise ScenarioFailure(f"brevet innehåller inte \"{text}\"", details=["brevet:", *letter.splitlines()])


def _repayments(case, committee: str | None = None, year: int | None = None) -> str:
    rows = [r for r in case["followup"].repayments
            if committee is None or (r.committee == committee and (year is None or r.budget_year == year))]
    return ", ".join(f"{r.committee} {r.budget_year}: {r.amount_sek} kr" for r in rows) or "ingen återföring"


def _ratio(what: str, got: float, value: str) -> None:
    if round(got, 2) != _number(value):
        raise ScenarioFailure(f"{what} blev en annan", value, f"{round(got, 2)}".replace(".", ","))


def _findings(case) -> list[str]:
    findings = case["decision"].findings
    if not findings:
        return ["bedömningar: inga"]
    return ["bedömningar:"] + [f"  {f.clause} {WORDS.get(f.severity, f.severity)}: {f.message}" for f in findings]


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
    got = [r["sek"] for r in rows if (r["committee"], r["scope"], r["year"]) == (committee, "municipal", year)]
    if got != [int(_number(amount))]:
        raise ScenarioFailure(f"besparingen för {committee} år {year} blev en annan", f"{amount} kr",
                              ", ".join(f"{x} kr" for x in got) or "ingen")


@then(parsers.parse('har "{cost_item}" källan "{text}"'))
def cost_item_source(case, cost_item, text):
    items = {i["id"]: i for i in case["decision"].savings["cost_items"]}
    if cost_item not in items:
        raise ScenarioFailure(f"ansökan värderar ingen kostnadspost '{cost_item}'{did_you_mean(cost_item, items)}")
    if text not in items[cost_item]["reference"]:
        raise ScenarioFailure(f"källan för '{cost_item}' blev en annan", text, items[cost_item]["reference"])


@then(parsers.parse('är nytto-kostnadskvoten "{value}"'))
def bcr_is(case, value):
    _ratio("nytto-kostnadskvoten", case["decision"].sensitivity["benefit_cost_ratio"], value)


@then(parsers.parse('är nytto-kostnadskvoten vid kalkylräntan {rate} % "{value}"'))
def bcr_at_rate(case, rate, value):
    rows = {r["rate"]: r["benefit_cost_ratio"] for r in case["decision"].sensitivity["discount_rates"]}
    _ratio(f"nytto-kostnadskvoten vid kalkylräntan {rate} %", rows[round(_number(rate) / 100, 6)], value)


@then(parsers.parse('är nytto-kostnadskvoten vid {share} effekten "{value}"'))
def bcr_at_share(case, share, value):
    k = {"halva": 0.5, "dubbla": 2.0}[share]
    rows = {r["share"]: r["benefit_cost_ratio"] for r in case["decision"].sensitivity["effect_shares"]}
    _ratio(f"nytto-kostnadskvoten vid {share} effekten", rows[k], value)


@then(parsers.parse('går kalkylen jämnt ut vid "{value}" av den förväntade effekten'))
def break_even(case, value):
    share = case["decision"].sensitivity["break_even_share"]
    if round(share * 100, 1) != _number(value.rstrip(" %")):
        raise ScenarioFailure("kalkylen går jämnt ut vid en annan andel", value, f"{round(share * 100, 1)} %")


@then(parsers.parse('har metoden "{method}" evidensnivå {level:d} i kunskapsbasen den "{day}"'))
def method_level(case, governance, method, level, day):
    base = EvidenceBase(case["evidence"], governance.policies.methods, dt.date.fromisoformat(day))
    case["evidence_base"] = base
    got = base.method(method).level
    if got != level:
        raise ScenarioFailure(f"metoden {method} har en annan evidensnivå", str(level), str(got))


@then(parsers.parse('visar skogsdiagrammet för "{method}" {count:d} rapporter och den sammanvägda effekten'))
def forest_shows(case, method, count):
    found = case["evidence_base"].method(method)
    svg = forest_svg(found)
    if not (len(found.poolable) == count and svg.count("<rect") == count and "Sammanvägd effekt" in svg):
        raise ScenarioFailure("skogsdiagrammet visar inte det scenariot väntar", f"{count} rapporter och den "
                              "sammanvägda effekten", f"{len(found.poolable)} rapporter att väga samman, "
                              f"{svg.count('<rect')} i diagrammet")
