"""The scenarios guard themselves, and rule coverage fails when a scenario is removed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

STEPS = ROOT / "tests" / "test_features.py"

GOOD = """# language: sv
Egenskap: Prov
  Scenario: ett beslut
    Givet ansökan "model"
    När fonden beslutar den "2025-06-01"
    Så blir beslutet "beviljas"
"""

BROKEN = {
    "english keyword": (GOOD.replace('    Givet ansökan "model"\n    När fonden beslutar den "2025-06-01"\n'
                                     '    Så blir beslutet "beviljas"\n', '    Given a proposal\n'),
                        "prov.feature:3: Scenario: ett beslut\n  scenario: ett beslut\n  scenariot har inga steg (ett "
                        "engelskt nyckelord som Given gör ett steg till beskrivning: skriv Givet, När, Så, Och)"),
    "unknown step": (GOOD.replace('Så blir beslutet "beviljas"', 'Så blir beslutet bra'),
                     'prov.feature:6: Så blir beslutet bra\n  scenario: ett beslut\n  inget steg passar: Så blir beslutet bra'),
    "unregistered tag": (GOOD.replace("  Scenario:", "  @okänd\n  Scenario:"), "okänd"),
    "not swedish": (GOOD.replace("# language: sv\nEgenskap", "Feature").replace("Givet", "Given")
                    .replace("När", "When").replace("Så", "Then").replace("Scenario:", "Scenario:"),
                    "en egenskapsfil ska börja med '# language: sv'"),
    # a word of the scenario that is not known: said where it is, with what was meant
    "misspelled application": (GOOD.replace('ansökan "model"', 'ansökan "modell"'),
                               "prov.feature:4: Givet ansökan \"modell\"\n  scenario: ett beslut\n  det finns ingen "
                               "ansökan 'modell' i "),
    "misspelled outcome": (GOOD.replace('"beviljas"', '"beviljad"'),
                           "prov.feature:6: Så blir beslutet \"beviljad\"\n  scenario: ett beslut\n  okänt beslut "
                           "'beviljad' (menade du 'beviljas'?)"),
}


def run_features(folder):
    env = dict(os.environ, FUNDGOV_FEATURES=str(folder))
    env.pop("FUNDGOV_COVERAGE_FILE", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(STEPS)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def prepared(tmp_path, text):
    folder = tmp_path / "features"
    folder.mkdir()
    shutil.copytree(ROOT / "features" / "underlag", folder / "underlag")
    (folder / "prov.feature").write_text(text, encoding="utf-8")
    return folder


def test_a_good_feature_passes(tmp_path):
    result = run_features(prepared(tmp_path, GOOD))
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_features_fail_the_run(tmp_path, name):
    text, words = BROKEN[name]
    result = run_features(prepared(tmp_path, text))
    assert result.returncode != 0
    assert words in result.stdout + result.stderr


def test_every_feature_file_is_swedish():
    for path in (ROOT / "features").glob("*.feature"):
        assert path.read_text(encoding="utf-8").startswith("# language: sv\n"), path


def test_coverage_fails_when_a_scenario_is_removed(tmp_path):
    folder = tmp_path / "features"
    shutil.copytree(ROOT / "features", folder)
    text = (folder / "norrkoping.feature").read_text(encoding="utf-8")
    start = text.index("  Scenariomall: N1")
    end = text.index("  Scenario: N1 gäller")
    (folder / "norrkoping.feature").write_text(text[:start] + text[end:], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "governance.cli", "rules", "coverage", "--features", str(folder)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(l for l in result.stdout.splitlines() if l.startswith("norrkoping.new_methods"))
    assert re.search(r"N1\s+0\s+\d+\s+<- saknar ett scenario där den ger en bedömning", line)
    covered, total = map(int, re.search(r"(\d+) av (\d+) regler täckta", result.stdout).groups())
    assert covered == total - 1


def test_docs_command_writes_the_handbook_with_the_scenarios(tmp_path):
    result = subprocess.run([sys.executable, "-m", "governance.cli", "docs", "-o", str(tmp_path / "handbok")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (tmp_path / "handbok" / "index.html").read_text(encoding="utf-8")
    count = int(re.search(r"Exemplen kommer från (\d+) scenarier", index).group(1))
    assert count >= 150 and "stämde inte med reglerna" not in index
    model = (tmp_path / "handbok" / "model-2015-01-01.html").read_text(encoding="utf-8")
    assert "Exempel: Exakt 36 månader" in model
