"""fundgov check and fundgov letter: deciding proposals."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from governance import DEFAULT_POLICIES, DEFAULT_RULES, BatchResult, Governance
from governance.documents.letters import LetterRequest
from governance.cli.common import (LIMIT_OPT, input_limits, LANG_OPT, language, EXIT_INPUT, EXIT_OK, EXIT_USAGE, POLICIES_OPT, RULES_OPT, Format, Lang,
                                   LetterFormat, option_date, fail, load_governance, app)
from governance.errors import FundgovError, UsageError
from governance.documents.report import as_json, as_text


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="proposal files, or folders of *.yaml, *.yml and *.json"),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
    date: Optional[str] = typer.Option(None, "--date", help="decision date YYYY-MM-DD (default: today)"),
    lang: Optional[Lang] = LANG_OPT,
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="processes for large folders (default: cores)"),
    letters: Optional[Path] = typer.Option(None, "--letters", help="write a decision letter per proposal into this folder"),
    letter_format: LetterFormat = typer.Option(LetterFormat.md, "--letter-format", help="md, html or pdf"),
    record: bool = typer.Option(False, "--record", help="record the decisions in the decision register"),
    register: Optional[Path] = typer.Option(None, "--register", help="the register (default: $FUNDGOV_REGISTER "
                                            "or fundgov-register.sqlite here)"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
    evidence: Optional[Path] = typer.Option(None, "--evidence", help="the funds' evidence base for 3.8: a register "
                                            "or an exported record file (fundgov evidence export), as of the "
                                            "decision date"),
) -> None:
    """Decide proposals: one decision per proposal, every finding citing its clause."""
    input_limits(limit)
    lang = language(lang)
    day = option_date(date)
    if format is Format.json:  # tooling gets one JSON document even when the rules cannot load
        try:
            gov = Governance.load(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES)
        except FundgovError as exc:
            print(as_json(BatchResult(errors=exc.problems)))
            raise typer.Exit(EXIT_INPUT)
    else:
        gov = load_governance(rules, policies)
    request = LetterRequest(letters, letter_format.value) if letters is not None else None
    levels = None
    if evidence is not None:
        from governance.cli.evidence import levels_for_decisions

        levels = levels_for_decisions(evidence, gov, day)
    batch = gov.check(list(paths), day, lang, jobs, request, evidence=levels)
    if record and batch.decisions:
        _record(gov, batch.decisions, register)
    if format is Format.json:
        print(as_json(batch))
    else:
        print(as_text(batch, lang), end="")
        for problem in batch.errors:
            print(f"fundgov: {problem}", file=sys.stderr)
    raise typer.Exit(EXIT_OK if batch.ok else EXIT_INPUT)


@app.command()
def letter(
    file: Path = typer.Argument(..., help="one proposal file"),
    lang: Optional[Lang] = LANG_OPT,
    format: LetterFormat = typer.Option(LetterFormat.md, "--format", help="md, html or pdf"),
    date: Optional[str] = typer.Option(None, "--date", help="decision date YYYY-MM-DD (default: today)"),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="write here instead of standard output"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    """Decide one proposal and write its decision letter (beslutsbrev)."""
    input_limits(limit)
    lang = language(lang)
    day = option_date(date)
    if format is LetterFormat.pdf and out is None:
        fail(UsageError("a PDF letter needs -o FILE"), EXIT_USAGE)
    gov = load_governance(rules, policies)
    try:
        body = gov.letter(file, day, lang, format.value)
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    if out is None:
        sys.stdout.write(body)
    else:
        from governance.documents.letters import write_atomically

        try:
            write_atomically(out, body)
        except OSError as exc:
            fail(UsageError(f"cannot write {out}: {exc.strerror or exc}"), EXIT_INPUT)
    raise typer.Exit(EXIT_OK)


def _record(gov: Governance, decisions, register: Optional[Path]) -> None:
    import datetime

    from governance import __version__
    from governance.formats.loader import parse_proposal
    from governance.board.register import Register, default_path

    entries, grants = [], {}
    for d in decisions:
        text = Path(d.file).read_text(encoding="utf-8")
        budget = parse_proposal(text, d.file).model.budget or []
        grants[d.file] = sum(r.fund_sek or 0 for r in budget) if all(r.fund_sek is not None for r in budget) else None
        entries.append((d.file, text, d))
    try:
        with Register(register or default_path()) as reg:
            ids = reg.record_decisions(entries, gov.rulebook.folder, gov.policies.folder, __version__,
                                       datetime.datetime.now(), grants)
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    print(f"fundgov: recorded {len(ids)} decisions in {register or default_path()} (ids {ids[0]}–{ids[-1]})",
          file=sys.stderr)
