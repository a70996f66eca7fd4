"""Spelling: every Swedish text people read goes through hunspell with the sv_SE dictionary
(Debian's hunspell-sv) and the project's word list (tests/ordlista-sv.txt: names, terms the
dictionary lacks), so that a typo fails the suite. The texts: the Swedish letter
templates, the rule files' texts, labels, the funds' policy and letter data, the Swedish
catalogue (the program's and the handbook's texts), and the rendered Swedish letters of
every fund and every outcome."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import DECISION_DATE, ROOT, as_yaml
from governance import messages
from governance.documents.letters import OUTCOMES, CaseDetails, Letters
from governance.formats.loader import parse_proposal
from governance.formats.yamlsource import parse_text

WORDS = Path(__file__).resolve().parent / "ordlista-sv.txt"
HUNSPELL = shutil.which("hunspell")


def _dictionary() -> bool:
    if HUNSPELL is None:
        return False
    listed = subprocess.run([HUNSPELL, "-D"], input="", capture_output=True, text=True).stderr
    return any(line.strip().endswith("sv_SE") for line in listed.splitlines())


pytestmark = pytest.mark.skipif(not _dictionary(), reason="no hunspell with the sv_SE dictionary here: install "
                                                            "Debian's 'hunspell' and 'hunspell-sv' to spell-check")


def misspelled(text: str) -> list[str]:
    """The words of ``text`` that neither the dictionary nor the word list knows."""
    result = subprocess.run([HUNSPELL, "-d", "sv_SE", "-p", str(WORDS), "-i", "utf-8", "-l"], input=text + "\n",
                            capture_output=True, text=True, check=True)
    return sorted({word.rstrip(".") for word in result.stdout.split()})  # sv_SE reads "t.ex." as one word


def words_of_message(text: str) -> str:
    """The words of a message text: literal text of every branch, placeholders left out."""
    def walk(parts) -> list[str]:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, messages.Plural):
                for _selector, words in part.branches:
                    out.extend(walk(words))
            out.append(" ")
        return out

    return "".join(walk(messages.parse(text)))


def swedish_of(node, skip=("reference",)) -> list[str]:
    """Every Swedish text of a rule, label, policy or letter file (the values under ``sv``)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sv" and isinstance(value, str):
                found.append(value)
            elif key not in skip:
                found.extend(swedish_of(value, skip))
    elif isinstance(node, list):
        for item in node:
            found.extend(swedish_of(item, skip))
    return found


def template_words(text: str) -> str:
    """A Jinja template's own words: its text and the texts quoted in its tags."""
    text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
    quoted = " ".join(q for q in re.findall(r'"([^"]*)"', " ".join(re.findall(r"\{[{%].*?[%}]\}", text, flags=re.S)))
                      if "/" not in q and not q.startswith(".") and q not in ("sv", "en"))  # texts, not names
    return re.sub(r"\{[{%].*?[%}]\}", " ", text, flags=re.S) + " " + quoted


def data_files() -> list[Path]:
    return sorted([*ROOT.glob("rules/*.yaml"), *ROOT.glob("rules/follow-up/*.yaml"),
                   *ROOT.glob("policies/*/policy.yaml"), *ROOT.glob("policies/*/letter.yaml"),
                   *ROOT.glob("policies/*/case.yaml")])


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_swedish_of_rule_policy_and_letter_files(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = "\n".join(words_of_message(t) for t in swedish_of(data))
    assert misspelled(text) == []


@pytest.mark.parametrize("path", sorted(ROOT.glob("templates/sv/*.j2")), ids=lambda p: p.name)
def test_the_swedish_letter_templates(path):
    assert misspelled(template_words(path.read_text(encoding="utf-8"))) == []


def test_the_swedish_catalogue():
    from babel.messages.pofile import read_po

    with (ROOT / "governance" / "locale" / "sv" / "LC_MESSAGES" / "fundgov.po").open("rb") as handle:
        catalogue = read_po(handle, locale="sv")
    texts = []
    for m in catalogue:
        if m.id:
            texts.extend(m.string if isinstance(m.string, tuple) else [m.string])
    # what the command line quotes of code is not Swedish: placeholders, variables, options,
    # commands, file names and paths, keys and values of the file formats
    code = (r"'[^'\n]*'|\"[^\"\n]*\"|\{[^{}]*\}|%\([a-z]+\)[sd]|\$[A-Z_]+|--?[a-z-]+|fundgov( [a-z-]+(?!\S)){0,2}|\S*[_/*=]\S*|\S*\.[a-z]\S*|"
            r"\b(sv|en|md|html|pdf|json|csv|true|false|none|null|min|max|above|below|range|model|inherits|depth|values|aliases|list-items|file|"
            # keys and values of the rule and policy files that lint's fixes name
            r"applies|needs|clause|fund|label|type|integer|number|money|share|months|years|boolean|kinds|new|proposal|report|rules|"
            r"labels|decision|methods|unit-costs|policy|letter|case|select|other|"
            # the states and decisions a case command takes as option values
            r"approved|rejected|returned|received|proposed|decided|running|closed|withdrawn)\b")
    text = "\n".join(re.sub(code, " ", t) for t in texts)
    assert misspelled(text) == []


#: how each outcome is reached from a fund's approved base application (features/underlag/)
OUTCOME_CHANGES = {
    "approved": {},
    "approved_with_conditions": {"evaluation.follow_up_months": 12, "evaluation.evaluator.kind": "internal"},
    "completion_requested": {"evaluation.design": None, "implementation.signed_by_manager": False},
    "rejected": {"intervention.kind": "treatment", "evaluation.follow_up_months": 12},
}
FUNDS = sorted(p.stem for p in (ROOT / "features" / "underlag").glob("*.yaml"))  # each fund's base application


def application(fund: str, outcome: str):
    data = parse_text((ROOT / "features" / "underlag" / f"{fund}.yaml").read_text(encoding="utf-8"), fund).data
    for field, value in OUTCOME_CHANGES[outcome].items():
        *path, last = field.split(".")
        node = data
        for part in path:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return parse_proposal(as_yaml(data), f"{fund}-{outcome}.yaml")


def without_the_applicants_words(text: str, proposal) -> str:
    """The letter without what the applicant wrote (its id, title, names of committees and
    places): those are the applicant's words; the letter's own Swedish is checked."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(proposal.model_dump(mode="json"))
    for words in sorted((w for w in found if len(w) > 2), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(words)}(?!\w)", " ", text)  # whole words: "model" stays in "modellen"
    return text


@pytest.mark.parametrize("fund", FUNDS)
def test_every_funds_letters_in_every_outcome_are_spelled_right(gov, fund):
    letters = Letters(gov.rulebook)
    for outcome in OUTCOMES:
        loaded = application(fund, outcome)
        decision = gov.decide(loaded, DECISION_DATE, "sv")
        assert decision.outcome == outcome
        case = CaseDetails("KS 2025/0417", DECISION_DATE, "112")
        text = letters.render(loaded, decision, "md", case).replace("\\", "")
        assert misspelled(without_the_applicants_words(text, loaded.model)) == [], outcome
        english = letters.render(loaded, gov.decide(loaded, DECISION_DATE, "en"), "html", case)
        assert "Reference no. KS 2025/0417" in english


def test_a_typo_is_found():
    assert misspelled("Beslutet kan överklagas genom laglighetsprövnig.") == ["laglighetsprövnig"]
    assert misspelled("Beslutet kan överklagas genom laglighetsprövning hos förvaltningsrätten.") == []
