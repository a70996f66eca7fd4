"""The loader's quick pass and its full pass read every text alike (issue #15).

A valid file is read by the quick pass only; the full pass, which keeps positions, reads a
file the quick pass leaves to it. Were they ever to disagree, a file's data would depend
on which pass read it: these properties hold them to the same data, the same refusals and
the same limits, on generated documents and on texts made of YAML's own punctuation.
"""
from __future__ import annotations

import dataclasses

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.errors import InputError
from governance.formats import yamlsource
from governance.formats.limits import current

SMALL = dataclasses.replace(current(), values=40, list_items=5, depth=4, aliases=3)


def full(text: str, limits=SMALL):
    """The full pass: (data, any document) or the InputError it raises."""
    try:
        return yamlsource._build(text, "t.yaml", limits)
    except InputError as exc:
        return exc


def quick(text: str, limits=SMALL):
    """The quick pass: (data, any document), or None where it leaves the text to the full pass."""
    try:
        return yamlsource._quick(text, limits)
    except (yamlsource._Again, yamlsource._ScalarError, yaml.YAMLError):
        return None


def agree(text: str, limits=SMALL) -> None:
    fast, slow = quick(text, limits), full(text, limits)
    if fast is not None:
        assert not isinstance(slow, InputError), f"the quick pass read what the full pass refuses: {slow}"
        assert fast[1] == slow[1] and list(_leaves(fast[0])) == list(_leaves(slow[0]))


def _leaves(value):
    """Every key and value in order, with its type (and -0.0 told from 0.0): equal only where
    the two are the same to the letter, the order of keys included."""
    if isinstance(value, dict):
        yield "{"
        for k, v in value.items():
            yield type(k), k
            yield from _leaves(v)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for v in value:
            yield from _leaves(v)
        yield "]"
    else:
        yield type(value), repr(value)


SCALARS = st.one_of(
    st.sampled_from(["yes", "no", "on", "off", "true", "True", "FALSE", "null", "~", "", "Null", "0", "-0", "007",
                     "1_000", "0x1F", "1e3", ".5", "1.", "+1", ".inf", "-.inf", ".nan", "2025-02-30", "12:30",
                     "9" * 21, "1e400", "<<", "a: b", "- x", "#", "'", '"', "&a", "*a", "!x", "%", "@", "`", "|", ">",
                     "Barn & unga", "\t", "x\ny", " lead", "trail ", "é", "\u2028"]),
    st.text(max_size=8), st.integers(-10**25, 10**25), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.none())
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=6),
                                                       st.dictionaries(st.one_of(st.text(max_size=6), SCALARS), inner,
                                                                       max_size=6)), max_leaves=30)
STYLES = st.sampled_from([dict(), dict(default_flow_style=True), dict(default_style='"'), dict(default_style="'"),
                          dict(default_style="|"), dict(default_style=">"), dict(width=10)])

PUNCTUATION = st.text(alphabet=list("ab01 .:-?,[]{}#&*!|>'\"%@`\n\t~<=+eE_x\\") + ["\u2028", "é"], max_size=60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, STYLES)
def test_generated_documents_are_read_alike(data, style):
    agree(yaml.safe_dump(data, allow_unicode=True, **style))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PUNCTUATION)
def test_texts_of_punctuation_are_read_alike(text):
    agree(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                      # a duplicate key
    "a: 1\n<<: {b: 1}\n",               # a merge key
    "a: !!str 5\n",                      # a tag
    "? [a]\n: 1\n",                      # a list as a key
    "a: &x [1]\nb: *x\n",               # an anchor and an alias (the full pass reads them)
    "a: 1\n---\nb: 2\n",                 # a second document
    "a: [1, 2, 3, 4, 5, 6]\n",           # more list items than the limit
    "a: {b: {c: {d: {e: 1}}}}\n",        # deeper than the limit
    "a: " + "9" * 21 + "\n",            # a number too large to be meant
    "a: 1e400\n",                        # beyond a float's range
    "a:\n\t- 1\n",                       # a tab
    "\"<<\": {b: 1}\n",                  # a quoted '<<' is a plain key
    "".join(f"k{i}: {i}\n" for i in range(45)),  # more values than the limit
    "a: [1, 2, 3]\nb: [4, 5, 6]\n",       # within every limit
])
def test_what_either_pass_refuses_or_leaves(text):
    agree(text)


def test_a_valid_file_is_read_by_the_quick_pass_alone(monkeypatch):
    def no_full_pass(*args, **kwargs):
        raise AssertionError("the full pass read a valid file")

    monkeypatch.setattr(yamlsource, "_build", no_full_pass)
    source = yamlsource.parse_text("id: X-1\nbudget:\n  - {year: 2025, sek: 100}\nok: true\n", "p.yaml")
    assert source.data == {"id": "X-1", "budget": [{"year": 2025, "sek": 100}], "ok": True}
    assert source.where(("budget", 0, "sek")) == (3, 23)  # positions are still found when asked for


def test_the_scalars_kept_are_the_formats_words_and_small_numbers_only(monkeypatch):
    """What the quick pass keeps between files is never what a person wrote about a person
    (a long-running workplace would hold it), and never grows past its bound."""
    kept: dict = {}
    monkeypatch.setattr(yamlsource, "_RESOLVED", kept)
    personal = ["Anna Andersson", "anna.andersson@example.se", "19850101-1234", "198501011234", "8501011234",
                "070-123 45 67", "Storgatan 1", "2025-05-20", "x" * 100]
    for value in personal:
        assert yamlsource._quick(f"a: {value}\n", current())[0] == {"a": yamlsource._scalar(value, None)}
    assert not set(kept) & set(personal)
    yamlsource._quick("kind: municipal\nyear: 2026\nsek: 450000\nshare: 0.35\nok: true\n", current())
    assert set(kept) == {"municipal", "2026", "450000", "0.35", "true"}
    for i in range(yamlsource._RESOLVED_MOST + 100):
        yamlsource._quick(f"a: value{i}\n", current())
    assert 0 < len(kept) <= yamlsource._RESOLVED_MOST
    assert all(kept[k] == yamlsource._scalar(k, None) for k in kept)


def test_a_runaway_number_is_not_repeated_whole_in_its_message():
    problem = full("a: " + "9" * 5000 + ".0\n", current()).problems[0]
    assert len(problem.message) < 100 and "…" in problem.message
