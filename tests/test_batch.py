"""Many files: streamed in input order from every core, byte for byte what a collected run
gives, and one bad file — hostile, broken, or one that kills its worker — never loses the others."""
from __future__ import annotations

import io
import json
import os
import signal

import pytest
from typer.testing import CliRunner

from conftest import DECISION_DATE, EXAMPLES, FIXTURES
from governance.cli.app import app
from governance.documents.report import JsonDocument, JsonLines, as_json
from governance.engine.batch import check_paths, stream

runner = CliRunner()
MINIMAL = """format: proposal/1
id: {id}
title: Liten ansökan {n}
fund: model
submitted: 2025-03-03
start: 2025-09-01
end: 2026-08-31
applicant:
  lead: {{name: Socialnämnden, kind: municipal}}
"""


def many(folder, n: int, hostile: bool = True):
    """n small proposals (and, with ``hostile``, the error fixtures among them)."""
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"p{i:05d}.yaml").write_text(MINIMAL.format(id=f"MOD-{i:05d}", n=i), encoding="utf-8")
    if hostile:
        for bad in (FIXTURES / "bad").iterdir():
            (folder / f"p{n // 2:05d}-{bad.name}").write_bytes(bad.read_bytes())
    return folder


def test_the_streamed_document_is_the_collected_one_byte_for_byte(gov, tmp_path):
    folder = many(tmp_path / "in", 300)
    streamed = runner.invoke(app, ["check", str(folder), "--date", "2025-06-01", "--format", "json", "--jobs", "2",
                                   "--lang", "en"])
    assert streamed.exit_code == 1  # the hostile files
    collected = as_json(check_paths(gov.rulebook, [folder], DECISION_DATE, "en", jobs=1))
    assert streamed.stdout == collected
    doc = json.loads(streamed.stdout)
    assert len(doc["decisions"]) == 300 and len(doc["errors"]) == len(list((FIXTURES / "bad").iterdir()))


def test_a_decisions_json_text_is_its_json_byte_for_byte(gov):
    """The JSON output writes a decision's text made from its parts (its findings made once,
    for the output and the register): it must be exactly ``json.dumps`` of ``as_json()``."""
    import copy
    import dataclasses
    import pickle

    decisions = check_paths(gov.rulebook, [EXAMPLES], DECISION_DATE, "sv", jobs=1).decisions
    decisions += check_paths(gov.rulebook, [EXAMPLES], DECISION_DATE, "en", jobs=1).decisions
    odd = dataclasses.replace(decisions[0], findings=[], fund_grant_per_year=None, savings={"ä": [1.5, None, "\u2028"]},
                              file='a "quoted" \\ name')
    for d in [*decisions, odd]:
        whole = json.dumps(d.as_json(), ensure_ascii=False)
        assert d.json_text() == whole
        assert d.findings_json() == json.dumps(d.as_json()["findings"], ensure_ascii=False)
        assert d.json_text() == whole  # made once, the same again
        again = pickle.loads(pickle.dumps(d))  # the made text is not part of the decision
        assert again == d == copy.copy(d) and again.json_text() == whole


def test_outcomes_come_in_input_order_from_every_worker(gov, tmp_path):
    folder = many(tmp_path / "in", 400, hostile=False)
    files = [o.file for o in stream(gov.rulebook, [folder], DECISION_DATE, "en", jobs=2)]
    assert files == sorted(files) and len(files) == 400


def test_json_lines_hold_one_decision_or_error_a_line(gov, tmp_path):
    folder = many(tmp_path / "in", 3)
    result = runner.invoke(app, ["check", str(folder), "--date", "2025-06-01", "--format", "jsonl", "--lang", "en"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum("proposal" in line for line in lines) == 3
    assert sum("error" in line for line in lines) == len(list((FIXTURES / "bad").iterdir()))


def test_writers_give_valid_json_with_nothing_to_write():
    for writer_class in (JsonDocument, JsonLines):
        out = io.StringIO()
        writer = writer_class(out)
        writer.close()
        text = out.getvalue()
        assert text == "" if writer_class is JsonLines else json.loads(text) == {"decisions": [], "errors": []}


def _kill_on_crash(rulebook, loaded, decision):
    if decision.proposal.endswith("-CRASH"):
        os.kill(os.getpid(), signal.SIGKILL)  # as a crash inside the C rule engine would
    return f"{decision.proposal}.txt", b"letter"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked processes")
def test_a_file_that_kills_its_worker_is_named_and_every_other_file_is_decided(gov, tmp_path):
    folder = many(tmp_path / "in", 260, hostile=False)
    (folder / "p00100.yaml").write_text(MINIMAL.format(id="MOD-00100-CRASH", n=100), encoding="utf-8")
    out = tmp_path / "out"
    outcomes = list(stream(gov.rulebook, [folder], DECISION_DATE, "en", jobs=2, render=_kill_on_crash, folder=out))
    assert [o.index for o in outcomes] == list(range(260))
    crashed = [o for o in outcomes if o.problems]
    assert [o.file.rsplit("/", 1)[-1] for o in crashed] == ["p00100.yaml"]
    assert "the process deciding this file stopped" in crashed[0].problems[0].message
    assert sum(o.decision is not None for o in outcomes) == 259
    assert len(list(out.iterdir())) == 259


def test_ten_thousand_files_with_hostile_ones_among_them_print_every_good_decision(tmp_path):
    folder = many(tmp_path / "in", 10_000)
    result = runner.invoke(app, ["check", str(folder), "--date", "2025-06-01", "--format", "jsonl", "--lang", "en"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum("proposal" in line for line in lines) == 10_000
    assert {line["error"]["file"].rsplit("/", 1)[-1] for line in lines if "error" in line} == {
        f"p05000-{bad.name}" for bad in (FIXTURES / "bad").iterdir()}


def test_a_register_that_cannot_be_written_loses_no_decision(tmp_path):
    result = runner.invoke(app, ["check", str(EXAMPLES), "--date", "2025-06-01", "--record",
                                 "--register", str(tmp_path / "missing" / "r.sqlite"), "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout.count("  decision: ") == 5
    assert "decisions were not recorded" in result.stderr
