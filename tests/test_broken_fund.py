"""One fund's broken files do not stop the other funds' decisions (``fundgov check``), while a
file the funds share does; every problem is still said, placed, and the exit code says it."""
from __future__ import annotations

import html
import json
import shutil

import pytest
from typer.testing import CliRunner

from conftest import DECISION_DATE, EXAMPLES, FIXTURES, ROOT
from governance import Governance, PolicyError, load_policies
from governance.board.register import Register
from governance.board.verify import verify
from governance.cli.app import app
from governance.errors import InputError
from test_policy import POLICY_CASES

runner = CliRunner()
SHIPPED = sorted(p.parent.name for p in (ROOT / "policies").glob("*/policy.yaml"))


@pytest.fixture
def policies(tmp_path):
    """A copy of the shipped policies in which the fund orebro's policy.yaml names a day that
    does not exist."""
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    path = folder / "orebro" / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("in_force_from:"))
    path.write_text(text.replace(first, 'in_force_from: "2013-02-30"', 1), encoding="utf-8")
    return folder


@pytest.fixture
def proposals(tmp_path):
    """The shipped examples and one application to the fund orebro."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    text = (EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8")
    (folder / "ore-familjestod.yaml").write_text(
        text.replace("fund: model", "fund: orebro").replace("id: MOD-2025-001", "id: ORE-2025-001"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(POLICY_CASES))
def test_each_broken_policy_file_leaves_out_its_own_fund_only(tmp_path, name):
    """Every failure mode of a policy file (the fixtures of test_policy.py): with isolation
    the fund is left out with exactly the problems strict loading gives, the others loaded."""
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    (folder / name).mkdir()
    shutil.copy(FIXTURES / "policies_bad" / f"{name}.yaml", folder / name / "policy.yaml")
    shutil.copy(ROOT / "policies" / "model" / "letter.yaml", folder / name / "letter.yaml")
    with pytest.raises(PolicyError) as strict:
        load_policies(folder)
    book = load_policies(folder, isolate=True)
    assert sorted(book.funds) == SHIPPED
    assert list(book.broken) == [name]
    assert book.broken[name] == strict.value.problems


def test_check_decides_the_other_funds_and_says_why_one_is_not(policies, proposals):
    done = runner.invoke(app, ["check", str(proposals), "--date", "2025-06-01", "--policies", str(policies)])
    assert done.exit_code == 1
    decided = [line.split()[1] for line in done.stdout.splitlines() if line.startswith(str(proposals))]
    assert decided == ["GAV-2025-011", "LUL-2025-014", "MOD-2025-009", "MOD-2025-001", "NKP-2021-003"]
    errors = done.stderr.splitlines()
    assert errors[0].startswith(f"fundgov: {policies / 'orebro' / 'policy.yaml'}:")
    assert "in_force_from: '2013-02-30' är inte ett verkligt datum" in errors[0]
    assert any("ore-familjestod.yaml" in e and "fonden 'orebro' har fel i sina riktlinjefiler" in e for e in errors), errors
    assert "2 filer med fel" in done.stdout  # the policy file and the application it could not decide


def test_the_json_document_has_the_decisions_and_both_errors(policies, proposals):
    done = runner.invoke(app, ["check", str(proposals), "--date", "2025-06-01", "--policies", str(policies),
                               "--format", "json"])
    assert done.exit_code == 1
    doc = json.loads(done.stdout)
    assert len(doc["decisions"]) == 5 and {d["fund"] for d in doc["decisions"]} == {"gavleborg", "lulea", "model",
                                                                                   "norrkoping"}
    assert [e["file"].endswith(name) for e, name in zip(doc["errors"], ("policy.yaml", "ore-familjestod.yaml"))] \
        == [True, True]
    assert doc["errors"][1]["field"] == "fund"


def test_a_fund_that_inherits_from_a_broken_fund_is_left_out_with_it(policies):
    kid = policies / "kid"
    kid.mkdir()
    shutil.copy(ROOT / "policies" / "model" / "letter.yaml", kid / "letter.yaml")
    (kid / "policy.yaml").write_text('fund: kid\nname: {sv: Barnfond, en: Kid fund}\ninherits: orebro\n'
                                     'in_force_from: "2016-01-01"\n', encoding="utf-8")
    book = load_policies(policies, isolate=True)
    assert sorted(book.broken) == ["kid", "orebro"]
    (said,) = book.broken["kid"]
    assert said.file.endswith("kid/policy.yaml") and said.line == 3
    assert "inherits from 'orebro', which has errors in its policy files" in said.message
    assert book.broken_problems()[-1] is said  # the cause is said before what follows from it
    shutil.copy(ROOT / "policies" / "orebro" / "policy.yaml", policies / "orebro" / "policy.yaml")
    assert "kid" in load_policies(policies).funds  # mended: both are loaded


def test_a_fund_the_rules_cannot_be_applied_to_is_left_out(tmp_path):
    """A fund of its own (inheriting nothing) with a clause whose rule names parameters it has
    no value for: strictly a rule problem; isolated, that fund's."""
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    (folder / "bare").mkdir()
    shutil.copy(ROOT / "policies" / "model" / "letter.yaml", folder / "bare" / "letter.yaml")
    (folder / "bare" / "policy.yaml").write_text(
        'fund: bare\nname: {sv: Egen fond, en: Own fund}\nin_force_from: "2016-01-01"\n'
        'clauses:\n  - {id: "3.10", title: {sv: Högst per år, en: At most a year}}\n', encoding="utf-8")
    with pytest.raises(Exception) as strict:
        Governance.load(ROOT / "rules", folder)
    assert any("fund 'bare' has no value" in str(p) for p in strict.value.problems)
    gov = Governance.load(ROOT / "rules", folder, isolate=True)
    assert sorted(gov.policies.funds) == SHIPPED and list(gov.policies.broken) == ["bare"]
    assert all("fund 'bare' has no value" in p.message for p in gov.policies.broken["bare"])


@pytest.mark.parametrize("shared", ["unit_costs.yaml", "methods.yaml"])
def test_a_broken_file_the_funds_share_stops_every_decision(tmp_path, proposals, shared):
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    (folder / shared).write_text((folder / shared).read_text(encoding="utf-8") + "\n: [\n", encoding="utf-8")
    with pytest.raises(PolicyError):
        Governance.load(ROOT / "rules", folder, isolate=True)
    done = runner.invoke(app, ["check", str(proposals), "--date", "2025-06-01", "--policies", str(folder)])
    assert done.exit_code == 1 and done.stdout == "" and shared in done.stderr


def test_a_proposal_of_a_broken_fund_is_a_placed_input_error(policies):
    gov = Governance.load(ROOT / "rules", policies, isolate=True)
    try:
        text = (EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8").replace("fund: model", "fund: orebro")
        with pytest.raises(InputError) as info:
            gov.decide_text(text, DECISION_DATE, name="ansokan.yaml")
        (problem,) = info.value.problems
        assert problem.file == "ansokan.yaml" and problem.field == "fund" and problem.line is not None
    finally:
        gov.rulebook.close()


def test_decisions_recorded_while_a_fund_was_broken_verify(policies, proposals, tmp_path):
    """The register keeps the files as they were, the broken one too; verify re-decides the
    recorded decisions as check made them, leaving the broken fund out again."""
    register = tmp_path / "register.sqlite"
    done = runner.invoke(app, ["check", str(proposals), "--date", "2025-06-01", "--policies", str(policies),
                               "--record", "--register", str(register)])
    assert done.exit_code == 1 and "registrerade 5 beslut" in done.stderr
    with Register(str(register)) as reg:
        assert verify(reg) == (5, [], set())


@pytest.mark.parametrize("command", [["rules", "lint"], ["letter", str(EXAMPLES / "model-familjestod.yaml")]])
def test_other_commands_still_refuse_a_broken_fund(policies, command):
    """Only check leaves a broken fund out: the policy author's lint and a single letter stop."""
    done = runner.invoke(app, [*command, "--policies", str(policies), "--date", "2025-06-01"]
                         if command[0] == "letter" else [*command, "--policies", str(policies)])
    assert done.exit_code == 1 and "2013-02-30" in done.stdout + done.stderr


def test_the_workplace_serves_the_other_funds_and_says_why_one_is_not(policies, tmp_path):
    """A broken fund does not keep the workplace from starting: its pages say why (503), the
    other funds' pages work, and an application to it is refused at its field."""
    from starlette.testclient import TestClient

    from governance.web.app import create_app
    from governance.web.workplace import WebConfig
    from web_helpers import TODAY, add_people, login, post_form

    target = str(tmp_path / "workplace.sqlite")
    add_people(target)
    app = create_app(WebConfig(target, ROOT / "rules", policies, today=lambda: TODAY))
    with TestClient(app) as client:
        login(client, "admin")
        assert client.get("/funds/norrkoping").status_code == 200
        broken = client.get("/funds/orebro")
        assert broken.status_code == 503
        said = html.unescape(broken.text)
        assert "fonden 'orebro' har fel i sina riktlinjefiler" in said and "2013-02-30" in said
        text = (EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8").replace("fund: model", "fund: orebro")
        sent = post_form(client, "/upload", "/upload", {"kind": "application", "date": "2025-06-01"},
                         files=[("files", ("ore.yaml", text.encode("utf-8"), "application/yaml"))])
        assert "fonden 'orebro' har fel i sina riktlinjefiler" in html.unescape(sent.text)


def test_serve_says_which_funds_it_leaves_out(policies, tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)  # started, not served
    done = runner.invoke(app, ["serve", "--policies", str(policies), "--register", str(tmp_path / "w.sqlite")])
    assert done.exit_code == 0
    assert "2013-02-30" in done.stderr and "orebro" in done.stderr.splitlines()[1]


def test_an_unreadable_fund_file_leaves_its_own_rules_aside_not_the_other_funds(tmp_path, proposals):
    """orebro's policy.yaml is not YAML at all: what it declares (its clauses O1, O2 named by
    rules/funds.yaml) is unknown, so those rules are set aside, and said to be (they apply to
    no fund loaded), instead of stopping every fund with errors in a rule file."""
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    path = folder / "orebro" / "policy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fund: orebro\n", "fund: orebro\n  bad: [unclosed\n", 1),
                    encoding="utf-8")
    done = runner.invoke(app, ["check", str(proposals), "--date", "2025-06-01", "--policies", str(folder)])
    assert done.exit_code == 1
    assert [line.split()[1] for line in done.stdout.splitlines() if line.startswith(str(proposals))] == [
        "GAV-2025-011", "LUL-2025-014", "MOD-2025-009", "MOD-2025-001", "NKP-2021-003"]
    errors = done.stderr.splitlines()
    assert len(errors) == 3 and "orebro/policy.yaml:3:" in errors[0]
    assert "funds.yaml:" in errors[1] and "reglerna 'orebro.different_sectors', 'orebro.no_general_addition' " \
        "används inte nu" in errors[1]  # set aside, and said so: nothing is silently left out
    assert "ore-familjestod.yaml" in errors[2]


def test_an_unreadable_model_says_its_own_problem_and_nothing_that_follows_from_it(tmp_path, proposals):
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    with (folder / "model" / "policy.yaml").open("a", encoding="utf-8") as out:
        out.write("x: [unclosed\n")
    done = runner.invoke(app, ["check", str(proposals), "--date", "2025-06-01", "--policies", str(folder)])
    assert done.exit_code == 1 and "0 beslut" in done.stdout
    errors = done.stderr.splitlines()
    assert "model/policy.yaml" in errors[0] and "rules/" not in done.stderr
    assert sum("inherits: fonden ärver från 'model', som har fel i sina riktlinjefiler" in e for e in errors) == 4
    assert sum("fund: fonden" in e for e in errors) == 6  # each application, once
    assert any("fonden 'orebro' ärver från 'model', som har fel" in e for e in errors)


def test_a_broken_letter_file_is_said_once_where_it_is(policies):
    shutil.copy(ROOT / "policies" / "orebro" / "policy.yaml", policies / "orebro" / "policy.yaml")  # mended
    letter = policies / "orebro" / "letter.yaml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("\ncourt:", "\ncourtt:"), encoding="utf-8")
    book = load_policies(policies, isolate=True)
    said = [str(p) for p in book.broken["orebro"]]
    assert len(said) == 2 and all("letter.yaml" in p for p in said), said  # no "has no letter.yaml" besides
