"""The impact of a threshold change, as the board reads it: a memo in Swedish with each
changed parameter (old → new, from when), every changed case with its findings and values
before and after, totals per fund and outcome in kronor, a note where the change misses
every application, and the same as HTML (opened in a browser), CSV and JSON; an exit code
a CI of rule files can stop on."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import pytest
import yaml
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from golden_files import check_golden
from governance.cli.app import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


class _TextDates(yaml.SafeLoader):
    """YAML as an editor sees it: dates are text."""


_TextDates.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def edited(tmp_path, fund, name, values):
    """A copy of the policies in which one parameter of one fund has other dated values."""
    policies = tmp_path / "policies"
    if not policies.exists():
        shutil.copytree(ROOT / "policies", policies)
    path = policies / fund / "policy.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
    data["parameters"].setdefault(name, {})["values"] = values
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return policies


@pytest.fixture
def higher_cap(tmp_path):
    """Luleå's yearly cap raised from 1 000 000 to 1 200 000 kr (from the fund's first day)."""
    return edited(tmp_path, "lulea", "eligibility.max_grant_per_year_sek", [
        {"from": "2016-01-01", "value": 1200000, "reference": "Förslag till kommunstyrelsen 2025-05-12, § 84"}])


def test_the_memo_of_a_threshold_change_reads_as_a_board_memo(higher_cap):
    # one fund's memo (a fund added beside it, inheriting Luleå's values, would be in another's)
    result = run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01", "--fund", "lulea")
    assert result.exit_code == 0, result.stderr
    check_golden("impact/higher-cap.sv.txt", result.stdout)


def test_the_memo_in_english(higher_cap):
    result = run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01", "--lang", "en")
    assert result.exit_code == 0
    text = result.stdout.replace("\u00a0", " ")
    assert text.startswith("Impact of the proposed change to the fund rules\n")
    assert ("Luleå municipality's social investment money: highest grant per calendar year "
            "(eligibility.max_grant_per_year_sek): SEK 1,000,000 → SEK 1,200,000, from 1 January 2016") in text
    assert "Decision: Rejected → Approved" in text


def test_a_change_after_every_application_says_so(tmp_path):
    policies = edited(tmp_path, "lulea", "eligibility.max_grant_per_year_sek", [
        {"from": "2016-01-01", "value": 1000000, "reference": "lulea.se"},
        {"from": "2026-01-01", "value": 1200000, "reference": "Förslag: höjt tak från 2026"}])
    result = run("impact", "--proposals", EXAMPLES, "--policies", policies, "--date", "2025-06-01")
    assert result.exit_code == 0
    assert "Inget beslut ändras." in result.stdout
    assert ("Luleå kommuns sociala investeringsmedel: ändringen gäller från den 1 januari 2026, men den senaste "
            "ansökan till fonden kom in den 22 april 2025, så ingen av dessa ansökningar prövas enligt den.") in result.stdout
    assert "--at" not in result.stdout  # the memo is the board's: what the author can do is said beside it
    assert "kör igen med --at 2026-01-01" in result.stderr
    at = run("impact", "--proposals", EXAMPLES, "--policies", policies, "--date", "2025-06-01", "--at", "2026-01-01")
    assert "Beslut: Avslag → Beviljas" in at.stdout and "ändringen gäller från" not in at.stdout


def test_several_paths_follow_one_flag(higher_cap):
    result = run("impact", "--proposals", EXAMPLES / "lul-fritidsmentorer.yaml", EXAMPLES / "model-familjestod.yaml",
                 EXAMPLES / "mod-hembesok.yaml", "--policies", higher_cap, "--date", "2025-06-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["decided"] == 3 and doc["changed"] == 1
    # also before the flag, and the flag repeated
    again = run("impact", EXAMPLES / "mod-hembesok.yaml", "--proposals", EXAMPLES / "lul-fritidsmentorer.yaml",
                "--proposals", EXAMPLES / "model-familjestod.yaml", "--policies", higher_cap, "--date", "2025-06-01",
                "--format", "json")
    assert json.loads(again.stdout)["decided"] == 3


def test_json_has_the_totals_and_the_values(higher_cap):
    doc = json.loads(run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01",
                         "--format", "json").stdout)
    assert doc["by_fund_and_outcome"] == [{"fund": "lulea", "before": "rejected", "after": "approved",
                                          "proposals": 1, "fund_grant_sek": 2250000}]
    assert doc["funds"]["lulea"]["granted_sek"] == {"before": 0, "after": 2250000}
    assert doc["funds"]["model"]["granted_sek"] == {"before": 5700000, "after": 5700000}
    (finding,) = doc["changes"][0]["findings"]
    assert finding["values"]["policy.eligibility.max_grant_per_year_sek"] == {"before": 1000000, "after": 1200000}
    assert finding["values"]["largest_yearly_grant"] == {"before": 1100000, "after": 1100000}
    assert finding["before"]["severity"] == "reject" and finding["after"] is None


def test_csv_has_a_row_per_changed_finding(higher_cap):
    result = run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["proposal"], r["clause"], r["finding_before"], r["finding_after"], r["fund_grant_sek"]) for r in rows] \
        == [("LUL-2025-014", "3.10", "reject", "", "2250000")]


def test_a_ci_of_rule_files_can_stop_on_a_change(higher_cap):
    assert run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01",
               "--fail-on-change").exit_code == 3
    same = run("impact", "--proposals", EXAMPLES, "--policies", ROOT / "policies", "--date", "2025-06-01",
               "--fail-on-change")
    assert same.exit_code == 0 and "Inget beslut ändras." in same.stdout and "Inga parametrar ändras." in same.stdout


def test_the_base_files_can_be_given_too(higher_cap, tmp_path):
    """A CI compares the rules of the main branch with a change: both folders are given."""
    result = run("impact", "--proposals", EXAMPLES, "--base-policies", higher_cap, "--policies", ROOT / "policies",
                 "--date", "2025-06-01", "--format", "json")
    assert json.loads(result.stdout)["moves"] == {"approved → rejected": 1}


def test_a_rule_change_is_in_the_memo(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    text = (rules / "eligibility.yaml").read_text(encoding="utf-8")
    (rules / "eligibility.yaml").write_text(text.replace(
        "when: largest_yearly_grant > policy.eligibility.max_grant_per_year_sek",
        "when: largest_yearly_grant >= policy.eligibility.max_grant_per_year_sek"), encoding="utf-8")
    result = run("impact", "--proposals", EXAMPLES, "--rules", rules, "--date", "2025-06-01")
    assert result.exit_code == 0
    assert ("  ändrad regel eligibility.grant_per_year (3.10):\n"
            "    – villkoret: applies: budget_row_count > 0; when: largest_yearly_grant > "
            "policy.eligibility.max_grant_per_year_sek → applies: budget_row_count > 0; when: largest_yearly_grant >= "
            "policy.eligibility.max_grant_per_year_sek\n") in result.stdout


def test_a_rule_changed_elsewhere_than_its_condition_says_what_changed(tmp_path):
    """A rule whose severity or message changes is named with that change, not with its
    condition twice (which reads as if nothing had changed)."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "eligibility.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("id: eligibility.grant_per_year")
    end = text.index("\n  - id:", start) if "\n  - id:" in text[start:] else len(text)
    block = text[start:end]
    assert "severity: reject" in block
    path.write_text(text[:start] + block.replace("severity: reject", "severity: note") + text[end:], encoding="utf-8")
    result = run("impact", "--proposals", EXAMPLES, "--rules", rules, "--date", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert "  ändrad regel eligibility.grant_per_year (3.10):\n    – vad den ger: avslagsgrund → anmärkning\n" in result.stdout
    assert "villkoret:" not in result.stdout  # its condition is as it was
    doc = json.loads(run("impact", "--proposals", EXAMPLES, "--rules", rules, "--date", "2025-06-01",
                         "--format", "json").stdout)
    rule = next(r for r in doc["rules"] if r["rule"] == "eligibility.grant_per_year")
    assert rule["changed"] == [{"aspect": "severity", "before": "reject", "after": "note"}]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_the_html_memo_is_a_page_with_the_same_facts(higher_cap, tmp_path):
    out = tmp_path / "pm.html"
    result = run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01",
                 "--format", "html", "-o", out)
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    text = _visible(page)
    for words in ("Konsekvenser av den föreslagna ändringen av fondens regler",
                  "högsta bidrag per kalenderår eligibility.max_grant_per_year_sek 1 000 000 kr 1 200 000 kr "
                  "1 januari 2016 Förslag till kommunstyrelsen 2025-05-12, § 84",
                  "Luleå kommuns sociala investeringsmedel Avslag Beviljas 1 2 250 000 kr",
                  "LUL-2025-014 Fritidsmentorer i Hertsön", "Beslut: Avslag → Beviljas"):
        assert words in text, words


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium here: install Debian's 'chromium' to run this check")
def test_the_html_memo_opens_in_a_browser(higher_cap, tmp_path):
    out = tmp_path / "pm.html"
    run("impact", "--proposals", EXAMPLES, "--policies", higher_cap, "--date", "2025-06-01", "--format", "html",
        "-o", out)
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
    shot = tmp_path / "pm.png"
    drawn = subprocess.run([*base, f"--user-data-dir={tmp_path / 'p1'}", f"--screenshot={shot}",
                            "--window-size=1280,1600", out.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists(), drawn.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a page was drawn, not a blank
    dom = subprocess.run([*base, f"--user-data-dir={tmp_path / 'p2'}", "--virtual-time-budget=2000", "--dump-dom",
                          out.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "</main>" in dom
    text = _visible(dom)
    assert "Ansökningar där beslutet ändras" in text and "Före: Ansökan gäller 1 100 000 kr ur fonden" in text


def test_a_title_is_text_in_the_page_and_no_formula_in_the_sheet(higher_cap, tmp_path):
    proposal = tmp_path / "farlig.yaml"
    text = (EXAMPLES / "lul-fritidsmentorer.yaml").read_text(encoding="utf-8")
    proposal.write_text(re.sub(r"^title: .*$", "title: '=HYPERLINK(\"x\") <script>alert(1)</script>'", text,
                               flags=re.M), encoding="utf-8")
    page = run("impact", "--proposals", proposal, "--policies", higher_cap, "--date", "2025-06-01",
               "--format", "html").stdout
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    sheet = run("impact", "--proposals", proposal, "--policies", higher_cap, "--date", "2025-06-01",
                "--format", "csv").stdout
    (row,) = list(csv.DictReader(io.StringIO(sheet)))
    assert row["title"].startswith("'=HYPERLINK")


def _visible(page: str) -> str:
    import html

    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).replace("\u00a0", " ")
