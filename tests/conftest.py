from __future__ import annotations

import copy
import os
import datetime as dt
from pathlib import Path

import pytest
import yaml

from hypothesis import settings as hypothesis_settings

from governance import Governance
from governance.authoring.coverage import RuleCoverage
from governance.errors import display_path
from governance.i18n import use_language
from scenario_report import ScenarioFailure, render, step_failure
from register_db import postgres_server, register_target  # noqa: F401  (fixtures: the register on both engines)

# The command line's default language is Swedish whatever the machine's locale says (CI may
# run under en_US); library messages are checked in English (their message ids) unless a
# test asks for Swedish: tests/test_i18n.py proves every one of them has a translation.
os.environ["FUNDGOV_LANG"] = "sv"


@pytest.fixture(autouse=True)
def _messages_in_english():
    with use_language("en"):
        yield

# CI runs the property tests on a fixed sequence of examples, so that a run is repeatable;
# locally they draw new examples each time (and have passed 1 500-2 000 per test).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DECISION_DATE = dt.date(2025, 6, 1)


@pytest.fixture(scope="session")
def gov() -> Governance:
    g = Governance.load()
    yield g
    g.close()


def example(name: str) -> dict:
    """An example proposal as data, to change field by field in a test."""
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def as_yaml(data: dict) -> str:
    def dates_as_text(value):
        if isinstance(value, dict):
            return {k: dates_as_text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [dates_as_text(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return yaml.safe_dump(dates_as_text(copy.deepcopy(data)), allow_unicode=True, sort_keys=False)


def set_path(data: dict, path: str, value) -> None:
    """Set (or with value DELETE, remove) a dotted path such as 'applicant.partners.0.kind'."""
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = data
    for part in parts[:-1]:
        node = node[part]
    if value is DELETE:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value


DELETE = object()


# ------------------------------------------------------------------ living documentation

COVERAGE = RuleCoverage()


def pytest_bdd_before_scenario(request, feature, scenario):
    name = f"{Path(feature.filename).name}: {scenario.name}"
    request.node.fundgov_scenario = name
    if feature.language != "sv":
        _guard_failed(request, name, feature, scenario, "en egenskapsfil ska börja med '# language: sv'")
    if not scenario.steps:
        _guard_failed(request, name, feature, scenario, "scenariot har inga steg (ett engelskt nyckelord som Given "
                                                        "gör ett steg till beskrivning: skriv Givet, När, Så, Och)")
    COVERAGE.start(name, Path(feature.filename).name, scenario.name, [
        {"keyword": step.keyword, "text": step.name,
         "table": [list(map(str, row)) for row in step.datatable.raw()] if step.datatable else None}
        for step in scenario.steps])


def _guard_failed(request, name, feature, scenario, message):
    failure = {"file": display_path(feature.filename), "line": scenario.line_number, "example_line": None,
               "step": f"{scenario.keyword}: {scenario.name}", "scenario": scenario.name, "message": message,
               "expected": True}
    request.node.fundgov_failure = failure
    COVERAGE.start(name, Path(feature.filename).name, scenario.name, [])
    COVERAGE.failed(name, failure)
    raise ScenarioFailure(message)


def pytest_bdd_after_scenario(request, feature, scenario):
    COVERAGE.passed(request.node.fundgov_scenario)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    """A failed step is reported in Swedish at its feature file and line (scenario_report.py)."""
    failure = step_failure(request, feature, scenario, step, exception)
    request.node.fundgov_failure = failure
    COVERAGE.failed(request.node.fundgov_scenario, failure)


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    pytest_bdd_step_error(request, feature, scenario, step, None, {}, exception)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    failure = getattr(item, "fundgov_failure", None)
    if failure is not None and report.when == "call" and report.failed:
        # a check of the scenario says what it expected and got; anything else keeps its traceback below
        report.longrepr = render(failure) + ("" if failure["expected"] else "\n\n" + str(report.longrepr))
    return report


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("FUNDGOV_COVERAGE_FILE")
    if target:
        COVERAGE.save(Path(target))
