"""The durable_rules wrapper: serialisation, sessions, firing, and freeing rulesets."""
from __future__ import annotations

import json

import pytest

from governance.engine.compiler import ANCHOR
from governance.engine.durable import SENTINEL, EngineError, Ruleset, dumps


def test_floats_are_written_so_the_engine_reads_them():
    assert dumps({"a": 1e-05, "b": 1e16, "c": 0.5, "d": [True, None]}) == '{"a":1.0e-05,"b":1.0e+16,"c":0.5,"d":[true,null]}'
    assert dumps("Malmö") == '"Malmö"'


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_values_the_engine_cannot_take(value):
    with pytest.raises(EngineError):
        dumps({"x": value})


def test_tiny_and_huge_numbers_compare_correctly():
    rs = Ruleset({"small": {"$and": [ANCHOR, {"$lt": {"x": 1.0e-04}}]},
                  "large": {"$and": [ANCHOR, {"$gt": {"x": 1.0e15}}]}}, ANCHOR)
    try:
        assert rs.fire({**ANCHOR, "x": 2e-05}) == {"small"}
        assert rs.fire({**ANCHOR, "x": 3e16}) == {"large"}
    finally:
        rs.close()


def test_every_matching_rule_fires_once_even_through_or():
    rules = {f"r{i}": {"$and": [ANCHOR, {"$or": [{"$gt": {"x": 0}}, {"$gt": {"y": 0}}]}]} for i in range(5)}
    rs = Ruleset(rules, ANCHOR)
    try:
        assert rs.fire({**ANCHOR, "x": 1, "y": 1}) == set(rules)
        assert rs.fire({**ANCHOR, "x": 0, "y": 0}) == set()
    finally:
        rs.close()


def test_sessions_are_deleted():
    """The engine holds at most 1 024 live sessions per ruleset: 3 000 facts prove each is deleted."""
    rs = Ruleset({"r": {"$and": [ANCHOR, {"$gt": {"x": 0}}]}}, ANCHOR)
    try:
        for i in range(3000):
            assert rs.fire({**ANCHOR, "x": i % 2}) == ({"r"} if i % 2 else set())
    finally:
        rs.close()


def test_guards():
    with pytest.raises(EngineError, match="reserved"):
        Ruleset({SENTINEL: ANCHOR}, ANCHOR)
    rs = Ruleset({"r": ANCHOR}, ANCHOR)
    with pytest.raises(EngineError, match="anchor"):
        rs.fire({"x": 1})
    with pytest.raises(EngineError, match="at most 250 fields"):
        rs.fire({**ANCHOR, **{f"f{i}": i for i in range(260)}})
    rs.close()
    with pytest.raises(EngineError, match="closed"):
        rs.fire(dict(ANCHOR))


def test_rulesets_are_freed_and_rebuilt(gov):
    from conftest import DECISION_DATE, EXAMPLES

    before = gov.decide_file(EXAMPLES / "nkp-skolnarvaro.yaml", DECISION_DATE)
    for _ in range(3):
        gov.rulebook.close()
        assert gov.rulebook._compiled == {}
        again = gov.decide_file(EXAMPLES / "nkp-skolnarvaro.yaml", DECISION_DATE)
        assert again == before


def test_compiled_rulesets_are_reused(gov):
    from conftest import DECISION_DATE, EXAMPLES

    gov.decide_file(EXAMPLES / "model-familjestod.yaml", DECISION_DATE)
    first = gov.rulebook.compiled(gov.policies.version("model", DECISION_DATE))
    gov.decide_file(EXAMPLES / "model-familjestod.yaml", DECISION_DATE)
    assert gov.rulebook.compiled(gov.policies.version("model", DECISION_DATE)) is first


def test_compiled_ruleset_golden(gov):
    """What the engine receives for the model policy, for review when rules change."""
    from golden_files import check_golden
    from conftest import DECISION_DATE

    listing = gov.rulebook.listing(gov.policies.version("model", DECISION_DATE))
    check_golden("compiled/model@2015-01-01.json", json.dumps(listing, ensure_ascii=False, indent=1) + "\n")
    assert all(len(json.dumps(c)) < 20_000 for c in listing.values())
