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
    _warn_about_rules(gov)
    request = LetterRequest(letters, letter_format.value) if letters is not None else None
    levels = None
    if evidence is not None:
        from governance.cli.evidence import levels_for_decisions

        levels = levels_for_decisions(evidence, gov, day)
    batch = gov.check(list(paths), day, lang, jobs, request, evidence=levels)
    if format is Format.json:
        print(as_json(batch))
    else:
        print(as_text(batch, lang), end="")
        for problem in batch.errors:
            print(f"fundgov: {problem}", file=sys.stderr)
    recorded = _record(gov, batch.decisions, register) if record and batch.decisions else True
    raise typer.Exit(EXIT_OK if batch.ok and recorded else EXIT_INPUT)


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


def _warn_about_rules(gov: Governance) -> None:
    """Rules that can never or always fire (and the like, as lint finds them) decide all the
    same; check says so on stderr, so that nobody mistakes such a rule for a judged one."""
    from governance.authoring.lint import rule_warnings
    from governance.i18n import _

    for problem in rule_warnings(gov.rulebook):
        print("fundgov: " + _("warning: {problem}").format(problem=problem), file=sys.stderr)


def _record(gov: Governance, decisions, register: Optional[Path]) -> bool:
    """Record the decisions (their files' bytes as read); False, with the reason on stderr, where it cannot."""
    import datetime

    from governance import __version__
    from governance.board.register import Register, read_input
    from governance.cli.common import register_target
    from governance.engine.figures import yearly_grants
    from governance.formats.loader import parse_proposal
    from governance.i18n import _

    entries, grants = [], {}
    try:
        for d in decisions:
            text = read_input(d.file)[0]
            budget = parse_proposal(text, d.file).model.budget or []
            grants[d.file] = yearly_grants(budget) if all(r.fund_sek is not None for r in budget) else None
            entries.append((d.file, text, d))
        target = register_target(register)
        with Register(target) as reg:
            ids = reg.record_decisions(entries, gov.rulebook.folder, gov.policies.folder, __version__,
                                       datetime.datetime.now(), grants)
    except (FundgovError, OSError, UnicodeDecodeError) as exc:
        problems = exc.problems if isinstance(exc, FundgovError) else [str(exc)]
        for problem in problems:
            print(f"fundgov: {problem}", file=sys.stderr)
        print("fundgov: " + _("the decisions above were not recorded"), file=sys.stderr)
        return False
    print("fundgov: " + _("recorded {n} decisions in {register} (ids {first}–{last})").format(
        n=len(ids), register=target, first=ids[0], last=ids[-1]), file=sys.stderr)
    return True
