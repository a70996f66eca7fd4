"""A broken register gets a clear, placed message from every register command, never a
traceback (issue #9): one damaged register per failure mode, made here from a good one, and
one parametrised test over the commands."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from governance.board.verify import materialise, safe_relative
from governance.board.database import RegisterError
from governance.cli.app import app

runner = CliRunner()
MODEL = EXAMPLES / "model-familjestod.yaml"
EFFECT = {"format": "follow-up/1", "proposal": "MOD-2025-001", "fund": "model", "kind": "effect", "period": 2029,
          "submitted": "2029-10-01", "design": "rct", "outcomes": [{"name": "x", "ci_low": -0.2, "ci_high": -0.1}],
          "verified_savings": [{"committee": "Socialnämnden", "year": 2029, "sek": 1200000}]}


@pytest.fixture(autouse=True)
def swedish(monkeypatch):
    monkeypatch.setenv("FUNDGOV_LANG", "sv")


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A register with a decision, a follow-up with a repayment, and a payment."""
    folder = tmp_path_factory.mktemp("good")
    path = folder / "good.sqlite"
    effect = folder / "effekt.json"
    effect.write_text(json.dumps(EFFECT), encoding="utf-8")
    for args in (["check", str(MODEL), "--date", "2025-06-01", "--record"],
                 ["follow-up", str(MODEL), str(effect), "--date", "2029-12-01", "--record"],
                 ["register", "paid", "R1", "1000", "--date", "2030-02-01"]):
        result = runner.invoke(app, [*args, "--register", str(path)])
        assert result.exit_code == 0, result.output
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def not_a_database(path: Path) -> None:
    path.write_bytes(b"fundgov register? no: this is a text file\n" * 200)


def damaged_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page after the first: headers and cells garbage
        data[start:start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def missing_table(path: Path) -> None:
    sql(path, "DROP TABLE decisions")


def bad_json(path: Path) -> None:
    sql(path, "UPDATE decisions SET findings = '{not json', grants = 'nope'")


def missing_snapshot(path: Path) -> None:
    sql(path, "DELETE FROM snapshots")


def snapshot_outside(path: Path) -> None:
    sql(path, "UPDATE snapshots SET files = '{\"../../outside.yaml\": \"x: 1\"}'")


#: failure mode -> (how the register is broken, the words every message must contain)
MODES = {
    "not-a-database": (not_a_database, "registret är skadat: file is not a database"),
    "damaged-page": (damaged_page, "registret är skadat"),
    "missing-table": (missing_table, "registret är skadat: en tabell saknas (no such table: decisions)"),
    "bad-json": (bad_json, "registret är skadat: findings på rad 1 i decisions är inte JSON"),
    "missing-snapshot": (missing_snapshot, "ögonblicksbilden"),
    "snapshot-outside": (snapshot_outside, "utanför rules/ och policies/: ../../outside.yaml; ingenting skrevs"),
}

#: the commands run on each broken register, and the modes in which each must fail
COMMANDS = {
    "register list": (["register", "list"], {"not-a-database", "damaged-page", "missing-table"}),
    "register show": (["register", "show", "1"], {"not-a-database", "damaged-page", "missing-table", "bad-json"}),
    "register repayments": (["register", "repayments"], {"not-a-database", "damaged-page"}),
    "register paid": (["register", "paid", "R1", "1"], {"not-a-database", "damaged-page"}),
    "register export": (["register", "export"], {"not-a-database", "damaged-page", "missing-table"}),
    "verify": (["verify"], {"not-a-database", "damaged-page", "missing-table", "bad-json", "missing-snapshot",
                            "snapshot-outside"}),
    "fund status": (["fund", "status", "model", "--date", "2030-06-01"],
                    {"not-a-database", "damaged-page", "missing-table", "bad-json"}),
    "follow-up --from-register": (["follow-up", "--from-register", "--date", "2030-06-01"],
                                  {"not-a-database", "damaged-page", "missing-table", "bad-json"}),
    "follow-up --record": (["follow-up", str(MODEL), "--date", "2030-06-01", "--record"],
                           {"not-a-database", "damaged-page"}),
    "check --record": (["check", str(MODEL), "--date", "2025-06-01", "--record"],
                       {"not-a-database", "damaged-page", "missing-table"}),
    "impact --from-register": (["impact", "--from-register", "--date", "2025-06-01", "--at", "2026-01-01"],
                               {"not-a-database", "damaged-page", "missing-table"}),
}


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_broken_register_gets_a_clear_message(good, tmp_path, mode, command):
    path = tmp_path / f"{mode}.sqlite"
    path.write_bytes(good.read_bytes())
    MODES[mode][0](path)
    args, failing = COMMANDS[command]
    result = runner.invoke(app, [*args, "--register", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if mode not in failing:
        return  # this command does not read what is broken: it works
    assert result.exit_code == 1, result.output
    assert MODES[mode][1] in result.stderr.replace("\n", " "), result.stderr
    assert f"fundgov: {path}" in result.stderr  # placed: the register is named
    if command in ("check --record", "follow-up --record"):  # the result is printed all the same
        assert "MOD-2025-001" in result.stdout


def test_verify_never_writes_outside_its_temporary_folder(good, tmp_path):
    path = tmp_path / "outside.sqlite"
    path.write_bytes(good.read_bytes())
    snapshot_outside(path)
    runner.invoke(app, ["verify", "--register", str(path)])
    assert not (tmp_path.parent / "outside.yaml").exists() and not Path("/tmp/outside.yaml").exists()


@pytest.mark.parametrize("name", ["../x.yaml", "/abs/x.yaml", "rules//x.yaml", "rules/./x.yaml", "", "x.yaml",
                                  "rules\\..\\x.yaml", "policies/a/../../x.yaml", "rules/x\0.yaml"])
def test_a_snapshot_path_that_could_leave_the_folder_is_refused(tmp_path, name):
    assert safe_relative(name) is None
    with pytest.raises(RegisterError, match="ingenting skrevs|nothing was written"):
        materialise({name: "x: 1", "rules/ok.yaml": "y: 2"}, tmp_path / "new")
    assert not (tmp_path / "new" / "rules" / "ok.yaml").exists()  # nothing at all was written


def test_a_link_in_the_snapshot_folder_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "rules").symlink_to(target)
    with pytest.raises(RegisterError):
        materialise({"rules/x.yaml": "x: 1"}, folder)
    assert list(target.iterdir()) == []


def test_a_missing_folder(tmp_path):
    path = tmp_path / "nowhere" / "r.sqlite"
    listed = runner.invoke(app, ["register", "list", "--register", str(path)])
    assert listed.exit_code == 2 and "det finns inget register på" in listed.stderr
    checked = runner.invoke(app, ["check", str(MODEL), "--date", "2025-06-01", "--record", "--register", str(path)])
    assert checked.exit_code == 1 and "MOD-2025-001" in checked.stdout
    assert f"mappen {path.parent} finns inte" in checked.stderr and "beslut registrerades inte" in checked.stderr
    followed = runner.invoke(app, ["follow-up", str(MODEL), "--date", "2026-04-01", "--record", "--register", str(path)])
    assert followed.exit_code == 1 and "MOD-2025-001" in followed.stdout and "finns inte" in followed.stderr


def _make_unwritable(path: Path) -> str:
    if os.geteuid() != 0:
        path.chmod(0o444)
        return "read-only"
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode:
        pytest.skip(f"as root a file is read-only only when immutable, and chattr +i failed: {done.stderr!r}")
    return "immutable"


def test_a_read_only_or_immutable_register(good, tmp_path):
    path = tmp_path / "locked.sqlite"
    path.write_bytes(good.read_bytes())
    kind = _make_unwritable(path)
    try:
        listed = runner.invoke(app, ["register", "list", "--register", str(path)])
        assert listed.exit_code == 0 and "MOD-2025-001" in listed.stdout  # reading still works
        paid = runner.invoke(app, ["register", "paid", "R1", "1", "--register", str(path)])
        assert paid.exit_code == 1 and "registret kan inte skrivas" in paid.stderr, (kind, paid.output)
        # a decision the register does not hold yet (one it holds is not written again)
        checked = runner.invoke(app, ["check", str(MODEL), "--date", "2025-06-02", "--record", "--register",
                                      str(path)])
        assert checked.exit_code == 1 and "Beviljas" in checked.stdout
        assert "registret kan inte skrivas" in checked.stderr and "beslut registrerades inte" in checked.stderr
    finally:
        if kind == "immutable":
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def test_an_unwritable_letter_or_record_still_prints_the_result(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["follow-up", str(MODEL), "--date", "2026-04-01", "--letter",
                                 str(blocked / "sub" / "notice.md")])
    assert result.exit_code == 1 and "NÄSTA UTBETALNING HÅLLS INNE" in result.stdout
    assert f"{blocked / 'sub' / 'notice.md'} kan inte skrivas" in result.stderr
    record = runner.invoke(app, ["follow-up", str(MODEL), "--date", "2026-04-01", "--record", "--register",
                                 str(blocked / "r.sqlite")])
    assert record.exit_code == 1 and "NÄSTA UTBETALNING HÅLLS INNE" in record.stdout and "fundgov:" in record.stderr


def test_a_database_url_of_another_kind_is_refused():
    result = runner.invoke(app, ["register", "list", "--database", "mysql://x@localhost/db"])
    assert result.exit_code == 1 and "SQLite eller PostgreSQL" in result.stderr
