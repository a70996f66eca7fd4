"""The command line imports only the modules of the command it runs: the registry's map must
name, for every top-level command, the module that registers it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer

from conftest import EXAMPLES, ROOT as PROJECT
from governance.cli import registry
from governance.cli.app import app


def _registered() -> dict[str, str]:
    found = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        found[name] = info.callback.__module__.rsplit(".", 1)[1]
    for info in app.registered_groups:
        modules = {c.callback.__module__.rsplit(".", 1)[1] for c in info.typer_instance.registered_commands}
        assert len(modules) == 1, f"the group {info.name} is registered from {modules}"
        found[info.name] = modules.pop()
    return found


def test_the_map_names_the_module_of_every_command():
    assert registry.MODULES == _registered()
    assert set(typer.main.get_command(app).commands) == set(registry.MODULES)


@pytest.mark.parametrize(("args", "command"), [
    (["check", "x.yaml"], "check"),
    (["--lang", "en", "check", "x.yaml"], "check"),
    (["--lang=en", "case", "list"], "case"),
    (["--help"], None),
    ([], None),
    (["--", "check"], None),
    (["chek"], "chek"),
    (["--help", "check"], None),
])
def test_the_command_named(args, command):
    assert registry.command_of(args) == command


def test_an_unknown_or_missing_command_imports_every_module():
    assert registry.modules_for(["chek"]) == registry.ALL
    assert registry.modules_for(["--help"]) == registry.ALL
    assert registry.modules_for(["verify", "--current"]) == ("register",)


_PROBE = """
import json, sys
from governance.cli.runner import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.startswith(("governance.", "sqlalchemy",
      "starlette", "uvicorn", "weasyprint", "openpyxl", "alembic", "pytest_bdd")))}), file=sys.stderr)
"""


def _probe(*args: str) -> dict:
    run = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=PROJECT,
                         timeout=120, env={**os.environ, "FUNDGOV_LANG": "en"})
    return json.loads(run.stderr.strip().splitlines()[-1])


def test_check_imports_neither_the_register_nor_the_workplace_nor_other_commands():
    """(Once the rulebook cache holds the rules: the first run also lints them, once.)"""
    _probe("check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-06-01")
    seen = _probe("check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-06-01")
    assert seen["code"] == 0
    commands = {m.rsplit(".", 1)[1] for m in seen["modules"] if m.startswith("governance.cli.")} - {
        "common", "framework", "registry", "runner"}
    assert commands == {"decide"}
    heavy = [m for m in seen["modules"] if m.startswith(("sqlalchemy", "starlette", "uvicorn", "weasyprint", "openpyxl",
                                                          "alembic", "pytest_bdd", "governance.web",
                                                          "governance.board", "governance.authoring"))]
    assert heavy == []


def test_a_mistyped_command_still_gets_its_did_you_mean():
    run = subprocess.run([sys.executable, "-m", "governance.cli", "chek"], capture_output=True, text=True,
                         cwd=PROJECT, timeout=120, env={**os.environ, "FUNDGOV_LANG": "en"})
    assert run.returncode == 2
    assert "check" in run.stderr


def test_a_defect_is_an_internal_error_not_a_traceback(monkeypatch, capsys):
    """An exception no one meant (a defect) is said in one line with exit 70; FUNDGOV_DEBUG=1
    shows the traceback."""
    from governance.cli import decide, runner

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(decide, "load_governance", broken)
    monkeypatch.delenv("FUNDGOV_DEBUG", raising=False)
    code = runner.run(["check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-06-01"])
    err = capsys.readouterr().err
    assert code == 70 and "ZeroDivisionError: division by zero" in err and "Traceback" not in err
    monkeypatch.setenv("FUNDGOV_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        runner.run(["check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-06-01"])


def test_a_library_error_or_a_machine_error_is_not_called_a_defect(monkeypatch, capsys):
    from governance.cli import decide, runner
    from governance.errors import InputError, Problem

    def refused(*args, **kwargs):
        raise InputError(Problem("the register is locked", "r.sqlite"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", "out/letter.pdf")

    args = ["check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-06-01"]
    monkeypatch.delenv("FUNDGOV_DEBUG", raising=False)
    monkeypatch.setattr(decide, "load_governance", refused)
    assert runner.run(args) == 1 and "the register is locked" in capsys.readouterr().err
    monkeypatch.setattr(decide, "load_governance", full)
    assert runner.run(args) == 1
    err = capsys.readouterr().err
    assert "out/letter.pdf: No space left on device" in err and "internt fel" not in err and "internal" not in err
