"""Message texts: placeholders, plurals by Babel's rules and selects, as rule files use them."""
from __future__ import annotations

import pytest

from governance import messages
from governance.messages import MessageSyntaxError, fill, names, parse, problems

PARTS = "{n, plural, =0 {ingen samverkande part} one {# samverkande part} other {# samverkande parter}}"


@pytest.mark.parametrize("n, words", [(0, "ingen samverkande part"), (1, "1 samverkande part"),
                                      (2, "2 samverkande parter"), (None, "uppgift saknas samverkande parter")])
def test_a_plural_chooses_its_words_by_the_count(n, words):
    shown = "uppgift saknas" if n is None else str(n)
    assert fill(f"Projektet har {PARTS}.", {"n": shown}, "sv", {"n": n}) == f"Projektet har {words}."


@pytest.mark.parametrize("lang, n, words", [("en", 1, "1 budget year"), ("en", 3, "3 budget years"),
                                            ("sv", 1, "1 budgetår"), ("sv", 3, "3 budgetår")])
def test_plurals_follow_each_languages_rules(lang, n, words):
    text = {"en": "{y, plural, one {# budget year} other {# budget years}}",
            "sv": "{y, plural, one {# budgetår} other {# budgetår}}"}[lang]
    assert fill(text, {"y": str(n)}, lang, {"y": n}) == words


def test_a_select_words_yes_no_and_none():
    text = "{open, select, true {Fonden är öppen.} false {Fonden är stängd.} none {Okänt.} other {Annat.}}"
    assert fill(text, {}, "sv", {"open": True}) == "Fonden är öppen."
    assert fill(text, {}, "sv", {"open": False}) == "Fonden är stängd."
    assert fill(text, {}, "sv", {"open": None}) == "Okänt."
    nested = "{a, select, false {{b, select, false {varken eller} other {inte a}}} other {inte b}}"
    assert fill(nested, {}, "sv", {"a": False, "b": False}) == "varken eller"
    assert fill(nested, {}, "sv", {"a": False, "b": True}) == "inte a"
    assert fill(nested, {}, "sv", {"a": True}) == "inte b"


def test_placeholders_inside_branches_and_names():
    text = "{n, plural, one {Nämnden {names} saknar åtagande.} other {Nämnderna {names} saknar åtaganden.}}"
    assert fill(text, {"n": "2", "names": "A och B"}, "sv", {"n": 2}) == "Nämnderna A och B saknar åtaganden."
    assert [(n, how) for n, how, _ in names(parse(text))] == [("n", "plural"), ("names", "text"), ("names", "text")]


@pytest.mark.parametrize("text, fault", [
    ("Andel {fund_share", "the placeholder {fund_share} is not closed with '}'"),
    ("Andel fund_share}", "a '}' without its '{'"),
    ("{n, plural one {#} other {#}}", "'plural' is followed by a comma and the branches"),
    ("{n, plurals, one {#} other {#}}", "'plurals' is not known here"),
    ("{n, plural, one # other {#}}", "the branch 'one' needs its words in braces"),
    ("{n, plural, one {#} one {#} other {#}}", "the branch 'one' is given twice"),
    ("{}", "a placeholder needs a name"),
])
def test_syntax_faults_are_placed(text, fault):
    with pytest.raises(MessageSyntaxError) as info:
        parse(text)
    assert fault in info.value.message
    assert 0 <= info.value.offset <= len(text)


def test_problems_of_categories_and_select_values():
    assert problems("{n, plural, few {#} other {#}}", "sv") == [
        ("'few' is not a plural category of 'sv'; use one, other or =N", 0)]
    assert problems("{n, plural, one {#}}", "en")[0][0] == "the plural of {n} needs an 'other' branch"
    assert problems("{k, select, curative {x} other {y}}", "sv", {"k": ("preventive", "early", "treatment")})[0][0] \
        .startswith("'curative' is not a value of {k}")
    assert problems("{k, select, true {x}}", "sv", {"k": ("true", "false")})[0][0].startswith(
        "the select of {k} needs an 'other' branch")
    assert problems(PARTS, "sv") == [] and problems(PARTS, "en") == []


def test_categories_come_from_babel():
    assert messages.plural_categories("sv") == {"one", "other"}
    assert messages.plural_categories("en") == {"one", "other"}
