"""No English in Swedish output, command by command: the help of every command and sub-command,
and what the everyday commands print, go through hunspell's Swedish dictionary (with the
project's word list). What is code stays code — option names, file names, ids, metavariables
in capitals, values of the file formats — and is left out before the check."""
from __future__ import annotations

import re
import shutil

import pytest
import typer
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from governance.cli.app import app
from governance.cli.policy import SchemaKind
from governance import Governance
from governance.authoring.vocabulary import fact_rows
from governance.i18n import use_language
from test_spelling import misspelled, pytestmark  # noqa: F401  (skips where hunspell-sv is missing)

runner = CliRunner()
#: what is code in a command's output: options, $VARIABLES, paths and file names, ids and
#: dates, placeholders, metavariables in capitals, numbers with units, words in quotes
CODE = re.compile(r"(?<![\w-])--?[a-z][a-z-]*|\.feature\b|\b\w+:\w+:\w+:?|\b[a-z_]+(\.[a-z_0-9]+)+\b|\$[A-Z_]+|\S*[/_=*@#§]\S*|\S+\.(?i:yaml|yml|json|sqlite|md|html|pdf|xlsx|csv|po)\b|"
                  r"\b[A-ZÅÄÖ]{2,}[A-ZÅÄÖ0-9-]*\b|\b[A-Z]{1,4}[- ]?\d[\d/-]*\b|\d[\d\s.,:/%-]*|<[^>]*>|\{[^}]*\}|"
                  r"\[(standard|default): [^\]]*\]|'[^']*'|\"[^\"]*\"|`[^`]*`|\b(?i:sv|en|md|html|pdf|json|jsonl|csv|xlsx|text|fundgov|ok|sqlite|"
                  r"postgresql|psycopg|utf-8|yaml|id|nr)\b")


def commands(group=None, path=()):
    group = group or typer.main.get_command(app)
    yield path
    for name, sub in getattr(group, "commands", {}).items():
        yield from commands(sub, path + (name,))


def _code_words() -> set[str]:
    """Names that are code wherever they stand: the commands, the funds' ids, the limits."""
    names = {part for path in commands() for part in path}
    names |= {p.parent.name for p in (ROOT / "policies").glob("*/policy.yaml")}
    names |= {"file-size", "depth", "values", "list-items", "aliases"}
    names |= {kind.value for kind in SchemaKind}  # the formats `fundgov schema` knows
    facts = fact_rows(Governance.load().rulebook)
    names |= {row.name for row in facts} | {value for row in facts for value in row.values}  # facts, enum values
    return names


CODE_WORDS = _code_words()


def _words(text: str) -> list[str]:
    text = re.sub(r"-\n\s*", "-", text)  # a word wrapped at its hyphen is one word
    words = re.sub(r"[\w-]+", lambda m: " " if m.group(0) in CODE_WORDS else m.group(0), CODE.sub(" ", text))
    return misspelled(words)


@pytest.mark.parametrize("path", list(commands()), ids=lambda p: " ".join(p) or "fundgov")
def test_every_help_is_swedish(path):
    with use_language("sv"):  # as fundgov's main() does before the command line is parsed
        result = runner.invoke(app, [*path, "--help"], prog_name="fundgov")
    assert result.exit_code == 0, result.output
    assert _words(result.stdout) == [], result.stdout


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    path = tmp_path_factory.mktemp("reg") / "r.sqlite"
    assert runner.invoke(app, ["check", str(EXAMPLES), "--date", "2025-06-01", "--record", "--register",
                               str(path)]).exit_code == 0
    return path


EVERYDAY = [
    ["check", str(EXAMPLES), "--date", "2025-06-01"],
    ["register", "list", "--register", "{register}"],
    ["register", "repayments", "--register", "{register}"],
    ["fund", "status", "norrkoping", "--date", "2025-06-01", "--register", "{register}"],
    ["follow-up", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2029-12-01"],
    ["follow-up", "--from-register", "--date", "2029-12-01", "--register", "{register}"],
    ["verify", "--register", "{register}"],
    ["case", "list", "--register", "{register}"],
    # and what policy authors read
    ["rules", "lint"],
    ["rules", "explain", "3.9", "--fund", "norrkoping", "--date", "2025-06-01"],
    ["policy", "show", "norrkoping", "--date", "2025-06-01"],
    ["facts"],
]


@pytest.mark.parametrize("args", EVERYDAY, ids=lambda a: " ".join(a[:2]))
def test_everyday_commands_answer_in_swedish(args, register):
    result = runner.invoke(app, [a.replace("{register}", str(register)) for a in args], prog_name="fundgov")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = result.stdout + result.stderr
    # the values the examples themselves hold (names of committees, titles) are Swedish already
    assert _words(text) == [], text


def test_errors_are_swedish(tmp_path):
    shutil.copy(ROOT / "tests" / "fixtures" / "bad" / "wrong-type.yaml", tmp_path)
    shutil.copy(ROOT / "tests" / "fixtures" / "bad" / "end-before-start.yaml", tmp_path)
    result = runner.invoke(app, ["check", str(tmp_path), "--date", "2025-06-01"])
    assert result.exit_code == 1
    messages = re.sub(r"(?m)^fundgov: \S+:\d+:\d+: [\w.]+: ", "", result.stderr)  # place and field are code
    assert _words(messages) == [], result.stderr


def test_a_mistyped_command_is_answered_in_swedish(capsys):
    from governance.cli.app import run

    with use_language("sv"):  # as fundgov's main() does
        status = run(["chek"])
    said = capsys.readouterr().err
    assert status == 2 and "'chek'" in said and "(menade du 'check'" in said, said
    assert _words(said) == [], said


def test_the_common_hand_written_yaml_mistakes_are_said_in_swedish_with_what_to_do(tmp_path):
    """A colon in a title, an unclosed quote, a key without a space: the parser's words in
    Swedish, placed where the mistake is, with the fix (not libyaml's English)."""
    from governance.errors import InputError
    from governance.formats.yamlsource import parse_text
    from governance.i18n import use_language

    cases = {"format: proposal/1\ntitle: Projekt: steg 2\n": (2, "sätt texten inom citattecken"),
             "format: proposal/1\ntitle: \"Projekt steg 2\nid: x\n": (2, "citattecken eller en hak- eller klammerparentes"),
             "format: proposal/1\nfund:model\nid: x\n": (None, "mellanslag efter kolonet")}
    with use_language("sv"):
        for text, (line, words) in cases.items():
            with pytest.raises(InputError) as info:
                parse_text(text, "a.yaml")
            problem = info.value.problems[0]
            assert problem.message.startswith("inte giltig YAML: ") and words in (problem.hint or ""), problem
            assert "found" not in problem.message and "while" not in problem.message
            if line is not None:
                assert problem.line == line
