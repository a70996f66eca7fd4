"""The policy handbook for board members: per fund and version the guideline text of every
clause, its rules in plain sentences, the values in words with their sources, and worked
examples of the fund's own decisions; opened in a real browser with no code in its text."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import DECISION_DATE, ROOT, as_yaml
from governance.authoring.coverage import RuleCoverage, run_scenarios
from governance.documents.handbook import build
from governance.formats.loader import parse_proposal
from governance.formats.yamlsource import parse_text

#: what a board member must never meet in the handbook's text
CODE_SYNTAX = [
    (r"[{}\[\]<>]", "braces, brackets or angle brackets"),
    (r"==|!=|<=|>=", "an operator of the condition language"),
    (r"\bis (not )?none\b", "'is none'"),
    (r"\b(None|True|False|null|none|true|false)\b", "a code value"),
    (r"\b[a-z]+(_[a-z0-9]+)+\b", "a field or parameter name"),
    (r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b", "a dotted field name"),
    (r"\bpolicy\.", "a parameter name"),
    (r"\b(municipal|civil_society|treatment|preventive|established|adapted|internal|reject|complete|condition)\b",
     "a code value"),
    (r"\.(feature|yaml|py|j2)\b", "a file name"),
]


def code_in(text: str) -> list[str]:
    """Every piece of code syntax in ``text``, with what it is."""
    found = []
    for pattern, what in CODE_SYNTAX:
        for m in re.finditer(pattern, text):
            found.append(f"{what}: {text[max(0, m.start() - 40):m.end() + 40]!r}")
    return found


def visible_text(page: str) -> str:
    """The text a reader sees: no style, no tags, entities resolved."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))  # also the non-breaking spaces of amounts


def scenario(coverage, gov, name, fund, changes, clause, steps=None, passed=True):
    """Record a decided scenario as the living documentation does."""
    data = parse_text((ROOT / "features" / "underlag" / f"{fund}.yaml").read_text(encoding="utf-8"), fund).data
    for field, value in changes.items():
        *path, last = field.split(".")
        node = data
        for part in path:
            node = node[part]
        node[last] = value
    decision = gov.decide(parse_proposal(as_yaml(data), "scenario.yaml"), DECISION_DATE)
    feature = f"{fund}.feature"
    coverage.start(f"{feature}: {name}", feature, name, steps or [])
    coverage.record(gov.rulebook, decision, clause, f"{feature}: {name}")
    if passed:
        coverage.passed(f"{feature}: {name}")


@pytest.fixture(scope="module")
def site(gov, tmp_path_factory):
    coverage = RuleCoverage()
    table = [["fält", "värde"], ["target_group.description", "<script>x</script>"],
             ["applicant.lead.kind", "state"], ["budget.0.own_sek", "399999"]]
    scenario(coverage, gov, "3.1 Huvudsökande – <script>en region leder</script>", "gavleborg",
             {"applicant.lead.kind": "state", "target_group.description": "<script>x</script>"}, "3.1",
             [{"keyword": "Givet", "text": 'ansökan "gavleborg"', "table": None},
              {"keyword": "Och", "text": "ansökan ändras så att:", "table": table},
              {"keyword": "Och", "text": 'fondens parameter "eligibility.max_grant_total_sek" är 3600000 från '
                                         '"2025-01-01"', "table": None}])
    scenario(coverage, gov, "N1 Prövning av nya metoder – en etablerad metod", "norrkoping",
             {"intervention.novelty": "established"}, "N1", passed=False)
    out = tmp_path_factory.mktemp("handbok")
    pages = build(gov.rulebook, coverage, out, followup=gov.followup_rules())
    return out, pages


def page(site, name: str) -> str:
    return (site[0] / name).read_text(encoding="utf-8")


def section(text: str, clause: str, following: str) -> str:
    return text[text.index(f'id="klausul-{clause}"'):text.index(f'id="klausul-{following}"')]


def test_one_page_per_fund_and_version(site, gov):
    expected = {f"{f.id}-{v.isoformat()}.html" for f in gov.policies.funds.values() for v in f.versions}
    assert {p.name for p in site[1]} == expected | {"index.html"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self._href, self.texts = set(), [], None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self._href = attrs["href"]
            self.links.append(self._href)
            self.texts[self._href] = ""

    def handle_data(self, data):
        if self._href is not None:
            self.texts[self._href] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def test_every_clause_is_reachable_from_the_index_with_its_title(site, gov):
    index = Links()
    index.feed(page(site, "index.html"))
    for link in index.links:
        name, _, target = link.partition("#")
        found = Links()
        found.feed(page(site, name))
        if target:
            assert target in found.ids, link
    clauses = {c.id: c for f in gov.policies.funds.values() for c in f.clauses.values()}
    for clause in clauses.values():
        (link,) = [l for l in index.links if l.endswith(f"#klausul-{clause.id.replace('.', '-')}")]
        assert index.texts[link] == f"{clause.id} {clause.title.sv}"
    assert any(l.startswith("norrkoping-") and l.endswith("#klausul-N1") for l in index.links)


def test_a_version_page_words_its_values_with_dates_and_sources(site):
    text = visible_text(page(site, "gavleborg-2024-01-01.html"))
    assert "Riktlinjerna i lydelsen från den 1 januari 2024, som gäller nu." in text
    assert ("Fondens högsta andel av projektets kostnad 50 % 1 januari 2016 regiongavleborg.se, Kriterier för att "
            "ansöka: högst hälften av kostnaden") in text
    assert "Fondens kapital inte angivet" in text and "ingen gräns" not in text.split("Fondens kapital")[1][:20]
    assert "Vilka som får vara huvudsökande kommunala nämnder, regioner och idéburna organisationer" in text
    assert "Sista dag för lägesrapport året efter 31 mars" in text
    older = page(site, "gavleborg-2016-01-01.html")
    assert 'id="klausul-G1"' not in older and "till och med den 31 december 2023" in older


def test_each_clause_has_its_guideline_text_and_rules_in_sentences(site):
    gav = page(site, "gavleborg-2024-01-01.html")
    s39 = visible_text(section(gav, "3-9", "3-10"))
    assert "Fonden står för högst 50 % av projektets totala kostnad" in s39  # the clause, with the fund's value
    assert "Avslagsgrund: Fondens andel av kostnaden" in s39
    assert "Ansökan avslås om fonden skulle stå för mer än 50 % av projektets totala kostnad" in s39
    s310 = visible_text(section(gav, "3-10", "3-11"))
    assert "högst 500 000 kr per kalenderår" in s310 and "Fonden har inget tak för det sammanlagda bidraget." in s310
    assert "Prövas inte i denna lydelse" in s310  # the total cap is none in Gävleborg
    s63 = visible_text(section(gav, "6-3", "6-4"))
    assert "anmäls till regionfullmäktige" in s63 and "kommunfullmäktige" not in s63
    model = visible_text(page(site, "model-2015-01-01.html"))
    assert "Målgruppens högsta ålder är högst 25 år." in model and "anmäls till kommunfullmäktige" in model
    assert "Avsnitt 4. Krav på utvärdering" in model


def test_examples_are_the_funds_own_and_labelled_with_their_decision(site):
    gav = page(site, "gavleborg-2024-01-01.html")
    s31 = section(gav, "3-1", "3-2")
    words = visible_text(s31)
    assert "Exempel: &lt;script&gt;en region leder&lt;/script&gt;" in s31 and "<script>" not in gav
    assert "Beslut: Avslag." in words and "Avslagsgrund: Huvudsökande. Huvudsökande är en statlig myndighet." in words
    assert "Huvudsökandes organisationsform: en statlig myndighet" in words  # what the example changed, in words
    assert "Högsta bidrag till ett projekt: 3 600 000 kr från den 1 januari 2025" in words
    assert "godkänt" not in words.lower().replace("godkänt idébeslut", "")
    for other in ("model-2015-01-01.html", "lulea-2016-01-01.html", "gavleborg-2016-01-01.html"):
        assert "en region leder" not in page(site, other)  # only on its own fund's page and version
    nkp = page(site, "norrkoping-2022-01-01.html")
    assert "exemplet stämde inte med reglerna" in visible_text(section(nkp, "N1", "N2"))


def test_follow_up_rules_are_in_the_handbook(site):
    s71 = visible_text(section(page(site, "model-2015-01-01.html"), "7-1", "7-2"))
    assert "Utbetalning hålls inne: Försenad rapport" in s71
    assert "Prövas på uppföljningsrapporterna efter beslutet." in s71


def test_every_shipped_rule_and_clause_is_worded_for_the_handbook(gov):
    for rule in gov.rulebook.rules:
        assert rule.spec.explain is not None, f"{rule.id} has no explain"
    for fund in gov.policies.funds.values():
        for clause in fund.clauses.values():
            assert clause.text is not None, f"{fund.id} {clause.id} has no guideline text"
        assert fund.description is not None, fund.id


def test_every_parameter_has_its_words(gov):
    """The handbook's table names each parameter in Swedish and English (labels.yaml), never by its key."""
    names = {name for fund in gov.policies.funds.values() for name in fund.params}
    assert sorted(names - set(gov.rulebook.labels.parameters)) == []


def test_the_handbook_in_english(gov, tmp_path):
    build(gov.rulebook, RuleCoverage(), tmp_path, lang="en")
    text = visible_text((tmp_path / "gavleborg-2024-01-01.html").read_text(encoding="utf-8"))
    assert "The fund pays at most 50% of the project's total cost" in text
    assert "Fund's capital" not in text and "The fund's capital not stated" in text
    assert '<html lang="en">' in (tmp_path / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------ the real handbook

@pytest.fixture(scope="module")
def handbook(gov, tmp_path_factory):
    """The handbook as `fundgov docs` writes it: every scenario of features/ as examples."""
    out = tmp_path_factory.mktemp("riktig-handbok")
    build(gov.rulebook, run_scenarios(), out, followup=gov.followup_rules())
    return out


def test_no_code_syntax_anywhere_in_the_handbook(handbook):
    found = {p.name: code_in(visible_text(p.read_text(encoding="utf-8"))) for p in sorted(handbook.glob("*.html"))}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_code_check_finds_code():
    assert code_in("ger reject när: [huvudsökande] not in municipal") and code_in("x is none")
    assert code_in("policy.eligibility.max_fund_share") and code_in("{fund_share}") and code_in("a == b")
    assert code_in("['municipal']") and code_in("behorighet.feature")
    assert not code_in("Ansökan avslås om fonden skulle stå för mer än 50 % av kostnaden (regiongavleborg.se).")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def chromium(profile, *args, timeout=120):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--hide-scrollbars", f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium here: install Debian's 'chromium' to run this check")
def test_the_handbook_opens_in_a_browser_with_no_code_in_its_text(handbook, tmp_path):
    for name in ("index.html", "model-2015-01-01.html", "gavleborg-2024-01-01.html"):
        shot = tmp_path / f"{name}.png"
        result = chromium(tmp_path / f"profile-{name}", f"--screenshot={shot}", "--window-size=1280,1600",
                          (handbook / name).as_uri())
        assert shot.exists(), result.stderr[-2000:]
        png = shot.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a page was drawn, not a blank
        dom = chromium(tmp_path / f"dom-{name}", "--virtual-time-budget=2000", "--dump-dom",
                       (handbook / name).as_uri()).stdout
        assert "</main>" in dom, name
        assert code_in(visible_text(dom)) == [], name
    index = chromium(tmp_path / "index", "--dump-dom", (handbook / "index.html").as_uri()).stdout
    assert len(re.findall(r'href="[^"]+#klausul-', index)) >= 42
