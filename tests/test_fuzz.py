"""Fuzzing every kind of file fundgov reads: proposals, follow-up reports, rule files, policy
files and registers, mutated byte by byte and value by value (a seeded mutator: the same
cases on every run, thousands of them). Whatever the input, the answer is a result or a
placed error — never a traceback, never an internal error, never a hang.
"""
from __future__ import annotations

import copy
import datetime as dt
import random
import shutil
import sqlite3

import pytest
import yaml

from conftest import DECISION_DATE, EXAMPLES, ROOT
from governance.board.followup import evaluate, load_followup_rules
from governance.engine.batch import Job, decide_one
from governance.errors import FundgovError
from governance.formats.loader import parse_proposal, parse_report
from governance.policy.book import load_policies
from governance.engine.rulebook import load_rulebook

SEED = 20261129
HOSTILE = [
    0, -1, 1, 10 ** 12 + 1, 10 ** 30, -(10 ** 30), 1.5, -0.0, 1e308, "1e400", ".inf", ".nan", "", " ", "\u200b",
    "\x1b[2J", "a\nb", "x" * 10_000, "9999-12-31", "0001-01-01", "2025-02-30", "2025-13-01", True, False, None,
    [], {}, [[[[[]]]]], {"a": {"b": {"c": 1}}}, "municipal", "ö", "🙂", "../../etc/passwd", "{{ 7*7 }}",
    "<script>", "'; DROP TABLE decisions; --", 2 ** 63, -(2 ** 63) - 1,
]


def _leaves(data, path=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, path + (i,))
    yield path


def _set(data, path, value):
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _mutate_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        at = rng.randrange(len(data) or 1)
        if kind == 0 and data:
            data[at] = rng.randrange(256)
        elif kind == 1:
            data[at:at] = bytes([rng.choice(b":-[]{}&*!|>'\"#\n\t ")])
        elif kind == 2 and data:
            del data[at:at + rng.randint(1, 20)]
        elif kind == 3:
            lines = bytes(data).split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif kind == 4:
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])  # a duplicated line: often a duplicate key
            data = bytearray(b"\n".join(lines))
        else:
            data[at:at] = rng.choice([b"&a [1]", b"*a", b"!!python/object:os.system", b"\xff\xfe", b"\x00"])
    return bytes(data)


def _mutate_values(data, rng: random.Random):
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _leaves(data) if p]  # again: a mutation may have replaced a whole part
        if paths:
            _set(data, rng.choice(paths), rng.choice(HOSTILE))
    return data


def _dump(data) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True)


def _no_internal_error(outcome) -> None:
    assert outcome.decision is not None or outcome.problems
    assert not [p for p in outcome.problems if "internal error" in p.message], [str(p) for p in outcome.problems]


@pytest.fixture(scope="module")
def job(gov):
    return Job(gov.rulebook, DECISION_DATE, "en")


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_proposals_mutated_byte_by_byte(job, tmp_path, example):
    rng = random.Random(f"{SEED}-{example}")
    raw = (EXAMPLES / example).read_bytes()
    for i in range(300):
        path = tmp_path / f"m{i}.yaml"
        path.write_bytes(_mutate_bytes(raw, rng))
        _no_internal_error(decide_one(job, i, str(path)))


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_proposals_mutated_value_by_value(job, tmp_path, example):
    rng = random.Random(f"{SEED}-values-{example}")
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    for i in range(300):
        path = tmp_path / f"v{i}.yaml"
        path.write_text(_dump(_mutate_values(data, rng)), encoding="utf-8")
        _no_internal_error(decide_one(job, i, str(path)))


REPORT = {"format": "follow-up/1", "proposal": "MOD-2025-001", "fund": "model", "kind": "effect", "period": 2029,
          "submitted": "2029-06-01", "enrolled": 300, "design": "quasi_random",
          "outcomes": [{"name": "Andel barn med orosanmälan inom 24 månader", "estimate": -0.05, "ci_low": -0.08,
                        "ci_high": -0.02}],
          "verified_savings": [{"committee": "Socialnämnden", "scope": "municipal", "year": 2030, "sek": 2_000_000}]}


def test_follow_up_reports_mutated(gov):
    rules = load_followup_rules(ROOT / "rules" / "follow-up", gov.policies)
    proposal = parse_proposal((EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8"), "p.yaml")
    rng = random.Random(f"{SEED}-reports")
    text = _dump(REPORT)
    judged = 0
    try:
        for i in range(600):
            mutated = _mutate_bytes(text.encode(), rng) if i % 2 else \
                _dump(_mutate_values(REPORT, rng)).encode()
            try:
                report = parse_report(mutated.decode("utf-8", errors="replace"), f"r{i}.yaml")
                evaluate(rules, proposal, [report], dt.date(2030, 1, 1), "en")
                judged += 1
            except FundgovError:
                pass
    finally:
        rules.close()
    assert judged > 10  # the mutator also leaves reports that are still valid


def _rule_mutations(rng: random.Random, text: str) -> str:
    conditions = ["fund_share > policy.eligibility.max_fund_share", "not " * rng.randint(0, 40) + "a > b",
                  " or ".join(["sms_level < policy.evaluation.min_sms_new"] * rng.randint(1, 80)),
                  "fund_grant + total_cost > policy.eligibility.max_grant_total_sek",
                  "(" * rng.randint(1, 300) + "budget_row_count > 0" + ")" * rng.randint(1, 300),
                  "intervention.kind in ['x']", "__import__('os').system('x')", "fund_share > 0.5", "",
                  # and conditions that load, so that mutated rule books are decided with too
                  "intervention.kind in ['preventive', 'early'] and fund_share > policy.eligibility.max_fund_share",
                  "not (fund_share <= policy.eligibility.max_fund_share) or budget_row_count > 0",
                  "start < decision_date or fund_share > policy.eligibility.max_fund_share",
                  " and ".join(f"(target_group.size > {f} or {f} is none)" for f in
                               rng.sample(["budget_row_count", "savings_row_count", "sms_level", "end_year",
                                           "start_year", "participant_count", "primary_outcome_count"], 5))]
    if rng.random() < 0.5:
        return text.replace("when: fund_share > policy.eligibility.max_fund_share",
                            f"when: {yaml.safe_dump(rng.choice(conditions)).strip().removesuffix('...').strip()}")
    return _mutate_bytes(text.encode(), rng).decode("utf-8", errors="replace")


def test_rule_files_mutated(gov, tmp_path):
    rng = random.Random(f"{SEED}-rules")
    original = (ROOT / "rules" / "eligibility.yaml").read_text(encoding="utf-8")
    shutil.copytree(ROOT / "rules", tmp_path / "rules", ignore=shutil.ignore_patterns("follow-up"))
    loaded = 0
    for _ in range(60):
        (tmp_path / "rules" / "eligibility.yaml").write_text(_rule_mutations(rng, original), encoding="utf-8")
        try:
            book = load_rulebook(tmp_path / "rules", gov.policies)
        except FundgovError:
            continue
        loaded += 1
        try:
            book.check_compiles()
            for example in sorted(EXAMPLES.glob("*.yaml")):
                _no_internal_error(decide_one(Job(book, DECISION_DATE, "en"), 0, str(example)))
        finally:
            book.close()
    assert loaded > 5


POLICY_VALUES = [0, -1, 1, 2, 0.5, 1.5, 100, 10 ** 9, 1e9, -0.0, None, True, "x", [], ["company"], "03-31", "02-30"]


def test_policy_files_mutated(tmp_path):
    rng = random.Random(f"{SEED}-policies")
    model = yaml.safe_load((ROOT / "policies" / "model" / "policy.yaml").read_text(encoding="utf-8"))
    names = sorted(model["parameters"])
    accepted = 0
    for i in range(60):
        folder = tmp_path / f"p{i}"
        shutil.copytree(ROOT / "policies", folder)
        fund = {"fund": "fuzz", "name": {"sv": "F", "en": "F"}, "inherits": "model", "in_force_from": "2016-01-01",
                "parameters": {name: {"values": [{"from": "2016-01-01", "value": rng.choice(POLICY_VALUES),
                                                  "reference": "fuzz"}]} for name in rng.sample(names, 1)}}
        (folder / "fuzz").mkdir()
        (folder / "fuzz" / "policy.yaml").write_text(yaml.safe_dump(fund), encoding="utf-8")
        shutil.copy(ROOT / "policies" / "model" / "letter.yaml", folder / "fuzz" / "letter.yaml")
        try:
            book = load_rulebook(ROOT / "rules", load_policies(folder))
        except FundgovError:
            continue
        accepted += 1
        try:
            text = (EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8").replace("fund: model", "fund: fuzz")
            (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
            _no_internal_error(decide_one(Job(book, DECISION_DATE, "en"), 0, str(tmp_path / "f.yaml")))
        finally:
            book.close()
    assert accepted > 3


def test_registers_mutated_byte_by_byte(gov, tmp_path):
    from typer.testing import CliRunner

    from governance.cli.app import app

    runner = CliRunner()
    good = tmp_path / "good.sqlite"
    assert runner.invoke(app, ["check", str(EXAMPLES), "--date", "2025-06-01", "--record", "--register",
                               str(good)]).exit_code == 0
    raw = good.read_bytes()
    rng = random.Random(f"{SEED}-registers")
    for i in range(25):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 40)):
            at = rng.randrange(len(data))
            data[at] = rng.randrange(256)
        path = tmp_path / f"r{i}.sqlite"
        path.write_bytes(bytes(data))
        for command in (["register", "list"], ["fund", "status", "model", "--date", "2025-06-01"],
                        ["register", "show", "1"], ["verify"]):
            result = runner.invoke(app, [*command, "--register", str(path)])
            assert result.exit_code in (0, 1, 2), (command, result.exception)
            assert result.exception is None or isinstance(result.exception, SystemExit), \
                (command, repr(result.exception))
        sqlite3.connect(path).close()
