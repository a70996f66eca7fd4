"""The ``fundgov`` command. The only place where errors become messages and exit codes.

Exit status: 0 every input decided (whatever the outcomes); 1 an input, rule or policy
file could not be read or validated (the other inputs are still decided and printed);
2 the command was used the wrong way.
"""
from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import DEFAULT_POLICIES, DEFAULT_RULES, Governance, LetterRequest
from .dates import parse_iso
from .errors import FundgovError, UsageError
from .report import as_json, as_text

app = typer.Typer(add_completion=False, rich_markup_mode=None, no_args_is_help=True,
                  help="fundgov: governance engine for social investment funds.")

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


@app.callback()
def _root() -> None:
    """fundgov: governance engine for social investment funds."""


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    sv = "sv"
    en = "en"


class LetterFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


def _date(text: Optional[str]) -> dt.date:
    if text is None:
        return dt.date.today()  # the edge reads the clock; the engine never does
    try:
        return parse_iso(text)
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None


def _fail(exc: FundgovError, code: int) -> None:
    for problem in exc.problems:
        print(f"fundgov: {problem}", file=sys.stderr)
    raise typer.Exit(code)


def _load(rules: Optional[Path], policies: Optional[Path]) -> Governance:
    try:
        return Governance.load(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES)
    except FundgovError as exc:
        _fail(exc, EXIT_INPUT)
        raise  # pragma: no cover


RULES_OPT = typer.Option(None, "--rules", help="folder of rule files (default: the project's rules/)")
POLICIES_OPT = typer.Option(None, "--policies", help="folder of fund policies (default: the project's policies/)")


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="proposal files, or folders of *.yaml, *.yml and *.json"),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
    date: Optional[str] = typer.Option(None, "--date", help="decision date YYYY-MM-DD (default: today)"),
    lang: Lang = typer.Option(Lang.sv, "--lang", help="language of messages: sv or en"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="processes for large folders (default: cores)"),
    letters: Optional[Path] = typer.Option(None, "--letters", help="write a decision letter per proposal into this folder"),
    letter_format: LetterFormat = typer.Option(LetterFormat.md, "--letter-format", help="md, html or pdf"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """Decide proposals: one decision per proposal, every finding citing its clause."""
    try:
        day = _date(date)
    except UsageError as exc:
        _fail(exc, EXIT_USAGE)
    gov = _load(rules, policies)
    request = LetterRequest(letters, letter_format.value) if letters is not None else None
    batch = gov.check(list(paths), day, lang.value, jobs, request)
    if format is Format.json:
        print(as_json(batch))
    else:
        text = as_text(batch, lang.value)
        if text:
            print(text, end="")
        for problem in batch.errors:
            print(f"fundgov: {problem}", file=sys.stderr)
    raise typer.Exit(EXIT_OK if batch.ok else EXIT_INPUT)


@app.command()
def letter(
    file: Path = typer.Argument(..., help="one proposal file"),
    lang: Lang = typer.Option(Lang.sv, "--lang", help="sv or en"),
    format: LetterFormat = typer.Option(LetterFormat.md, "--format", help="md, html or pdf"),
    date: Optional[str] = typer.Option(None, "--date", help="decision date YYYY-MM-DD (default: today)"),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="write here instead of standard output"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """Decide one proposal and write its decision letter (beslutsbrev)."""
    try:
        day = _date(date)
        if format is LetterFormat.pdf and out is None:
            raise UsageError("a PDF letter needs -o FILE")
    except UsageError as exc:
        _fail(exc, EXIT_USAGE)
    gov = _load(rules, policies)
    try:
        body = gov.letter(file, day, lang.value, format.value)
    except FundgovError as exc:
        _fail(exc, EXIT_INPUT)
    if out is None:
        sys.stdout.write(body)
    else:
        from .letters import write_atomically

        try:
            write_atomically(out, body)
        except OSError as exc:
            _fail(UsageError(f"cannot write {out}: {exc.strerror or exc}"), EXIT_INPUT)
    raise typer.Exit(EXIT_OK)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
