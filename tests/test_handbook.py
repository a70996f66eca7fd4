"""The policy handbook: a static site of funds, versions, clauses, parameters and examples."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest


from governance.authoring.coverage import RuleCoverage
from governance.documents.handbook import build


@pytest.fixture(scope="module")
def site(gov, tmp_path_factory):
    coverage = RuleCoverage()
    coverage.start("behorighet.feature: 3.9 exempel", "behorighet.feature", "3.9 exempel",
                   [{"keyword": "Givet", "text": 'ansökan "gavleborg"', "table": None},
                    {"keyword": "Och", "text": "ansökan ändras så att:",
                     "table": [["fält", "värde"], ["budget.0.own_sek", "<script>x</script>"]]}])
    coverage.scenarios["behorighet.feature: 3.9 exempel"]["clauses"].append("3.9")
    coverage.passed("behorighet.feature: 3.9 exempel")
    coverage.start("norrkoping.feature: N1 exempel", "norrkoping.feature", "N1 exempel", [])
    coverage.scenarios["norrkoping.feature: N1 exempel"]["clauses"].append("N1")
    out = tmp_path_factory.mktemp("handbok")
    pages = build(gov.rulebook, coverage, out)
    return out, pages


def test_one_page_per_fund_and_version(site, gov):
    out, pages = site
    expected = {f"{f.id}-{v.isoformat()}.html" for f in gov.policies.funds.values() for v in f.versions}
    assert {p.name for p in pages} == expected | {"index.html"}


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.links.append(attrs["href"])


def test_every_clause_is_reachable_from_the_index(site):
    out, _ = site
    index = Ids()
    index.feed((out / "index.html").read_text(encoding="utf-8"))
    for link in index.links:
        page, _, anchor = link.partition("#")
        target = Ids()
        target.feed((out / page).read_text(encoding="utf-8"))
        if anchor:
            assert anchor in target.ids, link
    assert any(l.endswith("#klausul-3-9") for l in index.links)
    assert any("norrkoping" in l and l.endswith("#klausul-N1") for l in index.links)


def test_a_version_page_has_parameters_rules_and_examples(site):
    out, _ = site
    page = (out / "gavleborg-2024-01-01.html").read_text(encoding="utf-8")
    assert "Policyversion från 2024-01-01 (gäller nu)" in page
    row = re.search(r"<tr><td>eligibility.max_fund_share</td>.*?</tr>", page).group(0)
    assert "50\u00a0%" in row and "2016-01-01" in row and "regiongavleborg.se" in row
    section = page[page.index('id="klausul-3-9"'):page.index('id="klausul-3-10"')]
    assert "[fondens andel av kostnaden (budgetrader)] &gt; 50\u00a0% (policy.eligibility.max_fund_share)" in section
    assert "3.9 exempel" in section and "godkänt" in section
    assert "&lt;script&gt;x&lt;/script&gt;" in section and "<script>x" not in section
    assert 'id="klausul-G1"' in page
    older = (out / "gavleborg-2016-01-01.html").read_text(encoding="utf-8")
    assert 'id="klausul-G1"' not in older and "till och med 2023-12-31" in older
    assert "Prövas på uppföljningsrapporter" in (out / "model-2015-01-01.html").read_text(encoding="utf-8")


def test_follow_up_rules_are_in_the_handbook(gov, tmp_path):
    out = tmp_path / "h"
    build(gov.rulebook, RuleCoverage(), out, followup=gov.followup_rules())
    page = (out / "model-2015-01-01.html").read_text(encoding="utf-8")
    section = page[page.index('id="klausul-7-1"'):page.index('id="klausul-7-2"')]
    assert "followup.report_overdue" in section and "Prövas på uppföljningsrapporter" not in section


def test_a_failed_example_is_marked(site):
    out, _ = site
    page = (out / "norrkoping-2022-01-01.html").read_text(encoding="utf-8")
    assert '<span class="failed">underkänt</span>' in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium here: install Debian's 'chromium' to run this check")
def test_the_handbook_opens_in_a_browser(site, tmp_path):
    out, _ = site
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=2000", "--dump-dom",
                             (out / "index.html").as_uri()], capture_output=True, text=True, timeout=120)
    dom = result.stdout
    assert '<ul id="klausuler">' in dom, result.stderr[-2000:]
    assert len(re.findall(r'href="[^"]+#klausul-', dom)) >= 40
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             f"--user-data-dir={tmp_path / 'profile2'}", "--virtual-time-budget=2000", "--dump-dom",
                             (out / "model-2015-01-01.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert 'id="klausul-3-9"' in result.stdout and "Fondens andel av kostnaden" in result.stdout
