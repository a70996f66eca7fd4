"""A new fund is files alone: policy.yaml, letter.yaml, its rules, its scenarios and their
base application, and nothing in Python. The fund in tests/fixtures/new_fund (Luleå's short
public-health track, written from the page in its README) is added to a copy of the
project's files: lint is clean, every rule is covered by passing scenarios, and the whole
test suite passes on a copy of the project with the fund in it."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from xml.etree import ElementTree

import pytest

from conftest import FIXTURES, ROOT

NEW_FUND = FIXTURES / "new_fund"
FUND = "lulea-folkhalsa"
NESTED = "FUNDGOV_NEW_FUND_SUITE"  # set in the copy's own run of the suite, which does not start another
SKIP_COPY = shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", ".pytest_cache", ".hypothesis",
                                   "*.egg-info", "fundgov-register.sqlite*", "handbok", "out")


def with_new_fund(target):
    """Add the new fund's files (and nothing else) beside the copied ones."""
    for part in ("policies", "rules", "features"):
        shutil.copytree(NEW_FUND / part, target / part, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The project's rules, policies and scenarios with the new fund added."""
    target = tmp_path_factory.mktemp("with-new-fund")
    for part in ("policies", "rules", "features"):
        shutil.copytree(ROOT / part, target / part)
    return with_new_fund(target)


def fundgov(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "governance.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_the_new_fund_is_files_only():
    files = sorted(p.relative_to(NEW_FUND).as_posix() for p in NEW_FUND.rglob("*") if p.is_file())
    assert files == ["README.md", f"features/{FUND}.feature", f"features/underlag/{FUND}.yaml",
                     f"policies/{FUND}/letter.yaml", f"policies/{FUND}/policy.yaml", "rules/lulea_folkhalsa.yaml"]


def test_lint_is_clean(files):
    result = fundgov("rules", "lint", "--rules", files / "rules", "--policies", files / "policies")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rule_is_covered_by_passing_scenarios(files):
    result = fundgov("rules", "coverage", "--features", files / "features", "--rules", files / "rules",
                     "--policies", files / "policies")
    assert result.returncode == 0, result.stdout + result.stderr
    covered, total = map(int, re.search(r"(\d+) av (\d+) regler täckta \(100 %\)", result.stdout).groups())
    assert covered == total
    line = next(line for line in result.stdout.splitlines() if line.startswith("lulea_folkhalsa.prompt_start"))
    assert re.match(r"lulea_folkhalsa\.prompt_start\s+L1\s+[1-9]\d*\s+[1-9]\d*$", line), line
    if not (ROOT / "policies" / FUND).exists():  # the project's own files, where they do not have the fund,
        assert "lulea_folkhalsa" not in fundgov("rules", "coverage").stdout  # never count its scenarios


def test_its_policy_its_own_parameter_and_facts_are_shown(files):
    shown = fundgov("policy", "show", FUND, "--date", "2025-06-01", "--format", "json",
                    "--rules", files / "rules", "--policies", files / "policies")
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["parameters"]["lulea_folkhalsa.start_within_months"]["value"] == 6
    assert doc["parameters"]["economics.min_benefit_cost_ratio"]["value"] == 0
    assert "L1" in doc["clauses"]
    text = fundgov("policy", "show", FUND, "--date", "2025-06-01", "--rules", files / "rules",
                   "--policies", files / "policies").stdout
    assert "längsta tid från beslut till projektstart (månader)" in text  # its label, from its own policy.yaml
    explained = fundgov("rules", "explain", "L1", "--fund", FUND, "--date", "2025-06-01",
                        "--rules", files / "rules", "--policies", files / "policies")
    assert "[beslutsdagen] + 6 månader (policy.lulea_folkhalsa.start_within_months)" in explained.stdout


@pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="this is the copy's own run of the suite")
def test_the_whole_suite_passes_with_the_new_fund(tmp_path):
    """The project copied (code, tests and files), the fund added, and everything `make test`
    runs, run there: the coverage of every rule, then the whole suite."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=SKIP_COPY)
    with_new_fund(project)
    env = dict(os.environ, PYTHONPATH=str(project), **{NESTED: "1"})
    for name in ("FUNDGOV_FEATURES", "FUNDGOV_RULES", "FUNDGOV_POLICIES", "FUNDGOV_COVERAGE_FILE"):
        env.pop(name, None)
    coverage = fundgov("rules", "coverage", cwd=project, env=env)
    assert coverage.returncode == 0, coverage.stdout[-3000:] + coverage.stderr[-3000:]
    assert "lulea_folkhalsa.prompt_start" in coverage.stdout  # the copy's files, not the project's
    report = tmp_path / "suite.xml"
    # every test that reads funds, rules, clauses or scenarios runs; left out are only the
    # heavy ones that know no fund of their own making (hostile bytes, the 10 000-file batch,
    # the register's state machine, the season's register on two engines, the workplace's pages
    # and browser journey on the shipped funds), so that the suite stays well under 15 minutes
    fund_blind = ("test_fuzz.py", "test_batch.py", "test_register_invariants.py", "test_robustness.py",
                  "test_season.py", "test_hostile_files.py", "test_register_errors.py", "test_evidence.py",
                  "test_web_browser.py", "test_web_pages.py", "test_web_security.py", "test_web_accounts.py")
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                            *(f"--ignore=tests/{name}" for name in fund_blind), f"--junitxml={report}"],
                           cwd=project, env=env, capture_output=True, text=True)
    assert suite.returncode == 0, suite.stdout[-6000:] + suite.stderr[-2000:]
    # the suite learned the fund from the files: tests of it ran (its base application, its letters, its scenarios)
    cases = ElementTree.parse(report).getroot().iter("testcase")
    about = [c.get("name") for c in cases if FUND in c.get("name", "") or "snar_start" in c.get("name", "")]
    assert any(n.startswith("test_every_base_application_is_approved") for n in about), about
    assert any(n.startswith("test_l1_snar_start") for n in about), about
