"""Bad input never gives a traceback: any field of any type gives a placed error or a decision."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DECISION_DATE, as_yaml, example
from governance import FundgovError

BASE = example("model-familjestod")


def paths(data, prefix=()):
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(paths(v, prefix + (i,)))
    return out


PATHS = paths(BASE)
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                   st.text(max_size=12), st.just([]), st.just({}), st.just("2025-02-30"), st.just("no"),
                   st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=4))
def test_any_value_anywhere_is_a_placed_error_or_a_decision(gov, changes):
    data = copy.deepcopy(BASE)
    for path, value in changes:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        text = as_yaml(data)
    except Exception:  # noqa: BLE001 - a value YAML itself cannot write is not an input
        return
    try:
        decision = gov.decide_text(text, DECISION_DATE, name="fuzz.yaml")
    except FundgovError as exc:
        for problem in exc.problems:
            assert problem.file == "fuzz.yaml" and problem.line is not None and problem.message
    else:
        assert decision.outcome in ("approved", "approved_with_conditions", "completion_requested", "rejected")
