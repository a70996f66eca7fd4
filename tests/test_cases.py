"""Cases on the register (SQLite and PostgreSQL): diarienummer, states and their history,
completions and deadlines, and what a case refuses; tested through the library functions the
command line and the web workplace share, and through the command line as a person uses it."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT, as_yaml
from governance.board import cases, schema
from governance.board.case_records import TRANSITIONS, CaseError
from governance.board.database import HEAD
from governance.board.register import Register, snapshot
from governance.board.verify import verify
from governance.cli.app import app
from governance.errors import InputError, PolicyError, UsageError
from governance.formats.yamlsource import parse_text
from governance.i18n import use_language

D = dt.date
runner = CliRunner()
SEASON = ROOT / "examples" / "season"


@pytest.fixture(autouse=True)
def swedish(monkeypatch):
    """Messages in Swedish, the default of the command line, whatever the developer's locale."""
    monkeypatch.setenv("FUNDGOV_LANG", "sv")
    with use_language("sv"):
        yield


def application(number: int, **changes) -> str:
    """The Norrköping base application (features/underlag) as NKP-2025-<number>, changed field by field."""
    data = parse_text((ROOT / "features" / "underlag" / "norrkoping.yaml").read_text(encoding="utf-8"), "x").data
    data["id"] = f"NKP-2025-{number}"
    for path, value in changes.items():
        node = data
        *parts, last = path.split("__")
        for part in parts:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return as_yaml(data)


def open_one(gov, reg, number: int, on=D(2025, 3, 10), by="Anna Berg", **changes) -> dict:
    return cases.open_case(reg, gov.rulebook, application(number, **changes), f"NKP-2025-{number}.yaml", on, by)


# ------------------------------------------------------------------ diarienummer

def test_diarienummer_follow_the_funds_pattern_per_fund_and_year(gov, register_target):
    with Register(register_target) as reg:
        numbers = [open_one(gov, reg, n)["diarienummer"] for n in (1, 2, 3)]
        assert numbers == ["KS 2025/0001", "KS 2025/0002", "KS 2025/0003"]
        model = parse_text((ROOT / "features" / "underlag" / "model.yaml").read_text(encoding="utf-8"), "m").data
        other = cases.open_case(reg, gov.rulebook, as_yaml(model), "model.yaml", D(2025, 3, 11), "Anna Berg")
        assert other["diarienummer"] == "SIF 2025/0001"  # the model fund's own diarium
        cases.withdraw_case(reg, "KS 2025/0003", D(2025, 3, 12), "Anna Berg", "Sökanden återkallar ansökan.")
        assert open_one(gov, reg, 4)["diarienummer"] == "KS 2025/0004"  # a withdrawn case keeps its number
        assert open_one(gov, reg, 5, on=D(2026, 1, 2))["diarienummer"] == "KS 2026/0001"  # a new year starts at 1
        assert [c["diarienummer"] for c in cases.list_cases(reg, "norrkoping")] == [
            "KS 2025/0001", "KS 2025/0002", "KS 2025/0003", "KS 2025/0004", "KS 2026/0001"]


def test_the_database_refuses_a_serial_or_diarienummer_given_twice(gov, register_target):
    with Register(register_target) as reg:
        open_one(gov, reg, 1)
    engine = create_engine(register_target if "://" in register_target else f"sqlite:///{register_target}")
    try:
        row = dict(fund="norrkoping", proposal="NKP-2025-9", title="t", year=2025, state="received",
                   opened_on="2025-03-10", lang="sv", recorded_at="2025-03-10T10:00:00")
        for values in ({"diarienummer": "KS 2025/9999", "serial": 1}, {"diarienummer": "KS 2025/0001", "serial": 2}):
            with pytest.raises(IntegrityError), engine.begin() as conn:
                conn.execute(insert(schema.cases).values(**row, **values))
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(schema.cases).values(**(row | {"state": "lost"}), diarienummer="KS 2025/0002",
                                                     serial=2))
    finally:
        engine.dispose()


OPENER = textwrap.dedent("""
    import datetime as dt, sys
    sys.path.insert(0, "tests")
    from test_cases import application
    from governance import Governance
    from governance.board.cases import open_case
    from governance.board.register import Register
    gov = Governance.load()
    reg = Register(sys.argv[1])
    for i in range(int(sys.argv[3])):
        number = int(sys.argv[2]) + i
        case = open_case(reg, gov.rulebook, application(number), f"{number}.yaml", dt.date(2025, 3, 10), "w")
        print(case["diarienummer"], flush=True)
""")


def test_two_processes_opening_cases_at_once_never_share_a_number(register_target):
    Register(register_target).close()
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, register_target, str(start), "8"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for start in (100, 200)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outputs]
    given = sorted(line for out, _err in outputs for line in out.splitlines())
    assert given == [f"KS 2025/{n:04d}" for n in range(1, 17)]
    with Register(register_target) as reg:
        assert reg.integrity() == "ok"
        assert len(cases.list_cases(reg)) == 16


# ------------------------------------------------------------------ states and history

def test_a_completion_is_a_new_version_assessed_again_with_its_deadline(gov, register_target):
    with Register(register_target) as reg:
        case = open_one(gov, reg, 1, implementation__signed_by_manager=False)
        assert case["state"] == "completion_requested"
        assert case["completion"] == {"deadline": "2025-04-09", "passed": False, "days_over": 0, "days_left": 30}
        assert cases.show_case(reg, "KS 2025/0001", D(2025, 4, 12))["completion"]["days_over"] == 3  # it says so
        late = cases.list_cases(reg, on=D(2025, 4, 12))[0]
        assert late["deadline_passed"] and late["completion_deadline"] == "2025-04-09"
        done = cases.complete_case(reg, gov.rulebook, "KS 2025/0001", application(1), "v2.yaml", D(2025, 4, 12),
                                   "Anna Berg")
        assert done["state"] == "in_preparation" and done["completion"] is None
        assert [(v["version"], v["outcome"]) for v in done["versions"]] == [(1, "completion_requested"),
                                                                            (2, "approved")]
        assert [f["clause"] for f in done["versions"][0]["findings"]] == ["3.11"]  # earlier findings stay
        steps = [(h["on"], h["from_state"], h["to_state"]) for h in done["history"] if h["kind"] == "state"]
        assert steps == [("2025-03-10", None, "received"), ("2025-03-10", "received", "in_preparation"),
                         ("2025-03-10", "in_preparation", "completion_requested"),
                         ("2025-04-12", "completion_requested", "in_preparation")]
        received = [h["reason"] for h in done["history"] if h["kind"] == "state"][-1]
        assert received == "komplettering inkommen som version 2; 3 dagar efter sista dagen 2025-04-09"
        assert all(h["by"] == "Anna Berg" for h in done["history"])


def test_a_completion_that_still_lacks_information_is_requested_again(gov, register_target):
    with Register(register_target) as reg:
        open_one(gov, reg, 1, implementation__signed_by_manager=False)
        again = cases.complete_case(reg, gov.rulebook, "NKP-2025-1", application(1, evaluation__design=None),
                                    "v2.yaml", D(2025, 4, 1), "Anna Berg")
        assert again["state"] == "completion_requested" and again["completion"]["deadline"] == "2025-05-01"
        assert again["versions"][1]["outcome"] == "completion_requested"


@pytest.mark.parametrize("state", ["received", "in_preparation", "completion_requested", "proposed", "decided",
                                   "running", "closed", "withdrawn"])
def test_every_action_a_state_does_not_allow_is_refused_naming_the_state_and_the_next_ones(gov, tmp_path, state):
    with Register(str(tmp_path / "r.sqlite")) as reg:
        open_one(gov, reg, 1)
        reg_case = "KS 2025/0001"
        with reg.db.writing() as conn:  # put the case in the state under test
            conn.execute(schema.cases.update().values(state=state))
        actions = {
            "complete": lambda: cases.complete_case(reg, gov.rulebook, reg_case, application(1, title="Ny"), "v2.yaml",
                                                    D(2025, 3, 11), "x"),
            "propose": lambda: cases.propose_case(reg, reg_case, D(2025, 3, 11), "x"),
            "withdraw": lambda: cases.withdraw_case(reg, reg_case, D(2025, 3, 11), "x", "Återkallad."),
            "close": lambda: cases.close_case(reg, reg_case, D(2025, 5, 11), "x", "Klart."),
        }
        allowed = {"complete": ("completion_requested",), "propose": ("in_preparation",),
                   "withdraw": ("received", "in_preparation", "completion_requested", "proposed"),
                   "close": ("completion_requested", "decided", "running")}
        for action, call in actions.items():
            if state in allowed[action]:
                continue
            with pytest.raises(CaseError) as caught:
                call()
            message = str(caught.value)
            words = cases.state_word(state)
            assert f"ärendet KS 2025/0001 har läget ”{words}” och kan inte" in message, message
            if TRANSITIONS[state]:
                assert "från det läget kan ärendet gå vidare till: " + ", ".join(
                    cases.state_word(s) for s in TRANSITIONS[state]) in message
            else:
                assert "ärendet är avslutat: ingenting mer kan göras i det" in message


def test_the_history_is_kept_in_order_of_days(gov, register_target):
    with Register(register_target) as reg:
        open_one(gov, reg, 1, on=D(2025, 3, 10))
        with pytest.raises(CaseError, match="2025-03-09 är före den senaste händelsen i ärendet KS 2025/0001"):
            cases.propose_case(reg, "KS 2025/0001", D(2025, 3, 9), "Anna Berg")
        assert cases.show_case(reg, "KS 2025/0001")["state"] == "in_preparation"  # nothing was recorded


def test_what_a_case_refuses_and_why(gov, tmp_path):
    with Register(str(tmp_path / "r.sqlite")) as reg:
        open_one(gov, reg, 1, implementation__signed_by_manager=False)
        with pytest.raises(CaseError, match="ansökan NKP-2025-1 är redan ärendet KS 2025/0001"):
            open_one(gov, reg, 1)
        same = application(1, implementation__signed_by_manager=False)
        with pytest.raises(CaseError, match="detta är version 1 av ärendet KS 2025/0001 igen"):
            cases.complete_case(reg, gov.rulebook, "KS 2025/0001", same, "v1.yaml", D(2025, 3, 20), "x")
        with pytest.raises(InputError, match="denna ansökan är NKP-2025-2, men ärendet KS 2025/0001 är NKP-2025-1"):
            cases.complete_case(reg, gov.rulebook, "KS 2025/0001", application(2), "fel.yaml", D(2025, 3, 20), "x")
        with pytest.raises(CaseError, match="sista dagen för komplettering, 2025-04-09, har inte passerat"):
            cases.close_case(reg, "KS 2025/0001", D(2025, 4, 9), "x")
        closed = cases.close_case(reg, "KS 2025/0001", D(2025, 4, 10), "x")
        assert closed["history"][-1]["reason"] == ("ingen komplettering kom in senast 2025-04-09: ärendet avslutas utan "
                                                   "prövning i sak")
        with pytest.raises(UsageError, match="inget ärende KS 2025/0099 i registret"):
            cases.show_case(reg, "KS 2025/0099")
        with pytest.raises(UsageError, match="vem som gjorde det måste anges"):
            open_one(gov, reg, 3, by="  ")
        with pytest.raises(UsageError, match="skälet får inte innehålla styrtecken"):
            cases.withdraw_case(reg, "KS 2025/0001", D(2025, 5, 1), "x", "ok\x1b[2J")
        with pytest.raises(UsageError, match="okänt läge 'done'"):
            cases.list_cases(reg, states=["done"])


def test_a_case_needs_its_funds_case_data(gov, tmp_path):
    from governance import Governance

    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    (policies / "norrkoping" / "case.yaml").unlink()
    bare = Governance.load(ROOT / "rules", policies)
    try:
        with Register(str(tmp_path / "r.sqlite")) as reg, pytest.raises(UsageError, match="har ingen case.yaml"):
            cases.open_case(reg, bare.rulebook, application(1), "a.yaml", D(2025, 3, 10), "x")
    finally:
        bare.close()


# one bad case.yaml per failure mode: file -> (line, field, words)
BAD_CASE_FILES = {
    "pattern_without_serial.yaml": (1, "diarienummer", "mönstret anger {year} och {serial} en gång vardera"),
    "pattern_stray_brace.yaml": (1, "diarienummer", "mönstret innehåller en ensam klammer"),
    "unknown_key.yaml": (2, "prefix", "okänd nyckel 'prefix'"),
    "region_body_in_a_municipality.yaml": (5, "body.kind", "en kommun har ingen regionstyrelse"),
    "serial_digits_zero.yaml": (2, "serial_digits", "måste vara minst 1, fick 0"),
    "body_id_upper_case.yaml": (4, "body.id", "'KS' är inte tillåtet här"),
    "no_administration.yaml": (1, "administration", "obligatoriskt fält saknas"),
}


def test_every_bad_case_file_has_a_case():
    assert sorted(p.name for p in (FIXTURES / "case_bad").iterdir()) == sorted(BAD_CASE_FILES)


@pytest.mark.parametrize("name", sorted(BAD_CASE_FILES))
def test_a_bad_case_file_is_a_placed_error_when_the_policies_load(tmp_path, name):
    from governance.policy.book import load_policies

    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    shutil.copy(FIXTURES / "case_bad" / name, policies / "norrkoping" / "case.yaml")
    line, field, words = BAD_CASE_FILES[name]
    with pytest.raises(PolicyError) as caught:
        load_policies(policies)
    (problem,) = caught.value.problems
    assert problem.file.endswith("norrkoping/case.yaml") and problem.line == line and problem.field == field
    assert words in str(problem), str(problem)


# ------------------------------------------------------------------ reproducible and migrated

def test_every_version_is_reproducible_from_the_register(gov, register_target):
    with Register(register_target) as reg:
        open_one(gov, reg, 1, implementation__signed_by_manager=False)
        cases.complete_case(reg, gov.rulebook, "KS 2025/0001", application(1), "v2.yaml", D(2025, 4, 1), "x")
        open_one(gov, reg, 2, intervention__kind="treatment")
        checked, differences, changed = verify(reg)
        assert (checked, differences, changed) == (3, [], set())
        view = cases.show_case(reg, "KS 2025/0001")
        recorded = reg.decision(view["versions"][0]["decision"])
        assert recorded["input"] == application(1, implementation__signed_by_manager=False)  # the bytes as received
        assert recorded["decision_date"] == "2025-03-10" and recorded["outcome"] == "completion_requested"
        assert "policies/norrkoping/case.yaml" in reg.snapshot_files(recorded["snapshot"])
        assert reg.latest_decisions("norrkoping") == []  # an assessment is not a decision of the fund


def test_a_register_of_schema_2_is_migrated_keeping_its_rows(gov, register_target):
    from alembic import command
    from alembic.config import Config

    from governance.board.database import MIGRATIONS

    with Register(register_target) as reg:
        loaded = (ROOT / "examples" / "model-familjestod.yaml").read_text(encoding="utf-8")
        decision = gov.decide_text(loaded, D(2025, 6, 1), name="examples/model-familjestod.yaml")
        reg.record_decisions([("examples/model-familjestod.yaml", loaded, decision)],
                             snapshot(gov.rulebook.folder, gov.policies.folder), "test", dt.datetime(2025, 6, 1), {})
        with reg.db.writing() as conn:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    with Register(register_target) as reg:
        assert reg.version == HEAD
        assert [d["proposal"] for d in reg.decisions()] == ["MOD-2025-001"]
        assert open_one(gov, reg, 1)["diarienummer"] == "KS 2025/0001"


# ------------------------------------------------------------------ the command line

def cli(*args: str, env: dict | None = None) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def test_who_did_it_is_by_else_the_configured_user_else_the_login_name(tmp_path, monkeypatch):
    import getpass

    target = str(tmp_path / "r.sqlite")
    monkeypatch.delenv("FUNDGOV_USER", raising=False)
    for n, args, env, who in [(101, ["--by", "Eva Ek"], {"FUNDGOV_USER": "Per"}, "Eva Ek"),
                              (102, [], {"FUNDGOV_USER": "Per Persson"}, "Per Persson"),
                              (103, [], {}, getpass.getuser())]:
        out = cli("case", "open", str(SEASON / "ansokningar" / f"NKP-2025-{n}.yaml"), "--date", "2025-03-10",
                  "--register", target, "--format", "json", *args, env=env)
        import json

        assert {h["by"] for h in json.loads(out)["history"]} == {who}


def test_the_case_commands_as_a_person_uses_them(tmp_path):
    target = str(tmp_path / "r.sqlite")
    reg = ["--register", target]
    out = cli("case", "open", str(SEASON / "ansokningar" / "NKP-2025-102.yaml"), "--date", "2025-03-10", "--by",
              "Anna Berg", *reg)
    assert "KS 2025/0001" in out and "läge: komplettering begärd" in out
    assert "komplettering begärd senast 2025-04-09 (30 dagar kvar)" in out
    shown = cli("case", "show", "KS 2025/0001", "--date", "2025-04-11", *reg)
    assert "sista dagen passerades för 2 dagar sedan" in shown
    refused = runner.invoke(app, ["case", "propose", "KS 2025/0001", "--date", "2025-04-11", "--by", "x", *reg])
    assert refused.exit_code == 1
    assert ("ärendet KS 2025/0001 har läget ”komplettering begärd” och kan inte föreslås för beslut; från det läget "
            "kan ärendet gå vidare till: under beredning, avslutat, återkallat") in refused.stderr
    missing = runner.invoke(app, ["case", "show", "KS 2099/0001", *reg])
    assert missing.exit_code == 2 and "inget ärende KS 2099/0001 i registret" in missing.stderr
    letter = cli("case", "letter", "KS 2025/0001", *reg)
    assert "Diarienummer KS 2025/0001" in letter and "ange diarienummer KS 2025/0001" in letter
    # the day it came in is the day the register received it (as in the officer's report), not
    # the date the applicant wrote on it (2025-03-03)
    assert "**Ansökan inkom:** 10 mars 2025" in letter
    listing = cli("case", "list", "--date", "2025-04-11", *reg)
    assert "(kompletteringen försenad sedan 2025-04-09)" in listing and "1 ärende" in listing
    assert listing.splitlines()[0].split() == ["diarienummer", "fond", "ansökan", "läge", "beslut", "titel"]
    csv_text = cli("case", "list", "--format", "csv", "--date", "2025-04-11", *reg)
    assert csv_text.splitlines()[0].startswith("diarienummer,fond,ansökan,titel,läge,beslut")
    assert "KS 2025/0001,norrkoping,NKP-2025-102" in csv_text and ",ja," in csv_text
    assert runner.invoke(app, ["case", "list", "--format", "xlsx", *reg]).exit_code == 2  # needs -o
    xlsx = tmp_path / "arenden.xlsx"
    cli("case", "list", "--format", "xlsx", "-o", str(xlsx), *reg)
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Ärenden"]
    assert sheet["A2"].value == "KS 2025/0001" and sheet["E2"].value == "komplettering begärd"
    bad = runner.invoke(app, ["case", "open", str(FIXTURES / "reports_bad" / "unknown-kind.yaml"), *reg])
    assert bad.exit_code == 1 and "unknown-kind.yaml" in bad.stderr
