"""fundgov check and fundgov letter: deciding proposals."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from governance import DEFAULT_POLICIES, DEFAULT_RULES, Governance
from governance.cli.common import (LIMIT_OPT, input_limits, LANG_OPT, language, EXIT_INPUT, EXIT_OK, EXIT_USAGE, POLICIES_OPT, RULES_OPT, Lang, LetterFormat,
                                   option_date, fail, load_governance, app)
from governance.errors import FundgovError, UsageError
from governance.i18n import _, ngettext


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command(help=_("Decide proposals: one decision per proposal, every finding citing its clause."))
def check(
    paths: List[Path] = typer.Argument(..., readable=False, metavar=_("PATHS"), help=_("proposal files, or folders of *.yaml, *.yml and *.json")),
    format: CheckFormat = typer.Option(CheckFormat.text, "--format", help=_(
        "text, json (one document, written as the decisions are made) or jsonl (one line a decision)")),
    date: Optional[str] = typer.Option(None, "--date", help=_("decision date YYYY-MM-DD (default: today)")),
    lang: Optional[Lang] = LANG_OPT,
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help=_("processes for large folders (default: cores)")),
    letters: Optional[Path] = typer.Option(None, "--letters", help=_("write a decision letter per proposal into "
                                                                       "this folder")),
    letter_format: LetterFormat = typer.Option(LetterFormat.md, "--letter-format", help=_("md, html or pdf")),
    record: bool = typer.Option(False, "--record", help=_("record the decisions in the decision register")),
    register: Optional[Path] = typer.Option(None, "--register", help=_("the register (default: $FUNDGOV_REGISTER "
                                                                         "or fundgov-register.sqlite here)")),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
    evidence: Optional[Path] = typer.Option(None, "--evidence", help=_(
        "the funds' evidence base for 3.8: a register or an exported record file (fundgov evidence export), "
        "as of the decision date")),
) -> None:
    from governance.documents.report import JsonDocument, JsonLines, Summary, decision_text

    input_limits(limit)
    lang = language(lang)
    day = option_date(date)
    out = sys.stdout
    if format is not CheckFormat.text:  # tooling gets its document even when the rules cannot load
        try:
            gov = Governance.load(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES, isolate=True)
        except FundgovError as exc:
            writer = JsonDocument(out) if format is CheckFormat.json else JsonLines(out)
            writer.add(problems=exc.problems)
            writer.close()
            raise typer.Exit(EXIT_INPUT)
    else:
        gov = load_governance(rules, policies, isolate=True)
    _warn_about_rules(gov)
    request = None
    if letters is not None:
        from governance.documents.letters import LetterRequest  # Jinja only where letters are asked for

        request = LetterRequest(letters, letter_format.value)
    levels = None
    if evidence is not None:
        from governance.cli.evidence import levels_for_decisions

        levels = levels_for_decisions(evidence, gov, day)
    recorder = _recorder(gov, register) if record else None
    writer = None if format is CheckFormat.text else (JsonDocument(out) if format is CheckFormat.json
                                                       else JsonLines(out))
    summary = Summary()
    progress = Progress.for_terminal(len(paths))
    # a fund whose own policy files are broken is left out; the others are decided
    broken = gov.policies.broken_problems()
    failed = bool(broken)
    summary.add(problems=broken)
    if writer is not None:
        writer.add(problems=broken)
    else:
        for problem in broken:
            print(f"fundgov: {problem}", file=sys.stderr)
    for outcome in gov.stream(list(paths), day, lang, jobs, request, evidence=levels, keep_text=record):
        failed = failed or bool(outcome.problems)
        summary.add(outcome.decision, outcome.problems)
        if writer is not None:
            writer.add(outcome.decision, outcome.problems)
        else:
            if outcome.decision is not None:
                out.write(decision_text(outcome.decision, lang) + "\n")
            for problem in outcome.problems:
                print(f"fundgov: {problem}", file=sys.stderr)
        if recorder is not None and outcome.decision is not None:
            recorder.add(outcome.file, outcome.text, outcome.decision)
        progress.step(outcome.index)
    progress.done()
    if writer is not None:
        writer.close()
    else:
        out.write(summary.text(lang) + "\n")
    recorded = _finish_recording(recorder) if recorder is not None else True
    raise typer.Exit(EXIT_OK if not failed and recorded else EXIT_INPUT)


class Progress:
    """A line on standard error that counts the decided files of a long run: shown only where
    standard error is a terminal and the decisions go elsewhere (to a file or a pipe)."""

    def __init__(self, shown: bool):
        self.shown = shown
        self.count = 0
        self.last = 0.0

    @classmethod
    def for_terminal(cls, _paths: int) -> "Progress":
        return cls(sys.stderr.isatty() and not sys.stdout.isatty())

    def step(self, index: int) -> None:
        if not self.shown or index < 0:
            return
        import time

        self.count += 1
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            sys.stderr.write("\r" + ngettext("{n} file decided", "{n} files decided", self.count).format(n=self.count))
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown and self.count:
            sys.stderr.write("\r" + ngettext("{n} file decided", "{n} files decided", self.count).format(
                n=self.count) + "\n")


@app.command(help=_("Decide one proposal and write its decision letter (beslutsbrev)."))
def letter(
    file: Path = typer.Argument(..., readable=False, metavar=_("FILE"), help=_("one proposal file")),
    lang: Optional[Lang] = LANG_OPT,
    format: LetterFormat = typer.Option(LetterFormat.md, "--format", help=_("md, html or pdf")),
    date: Optional[str] = typer.Option(None, "--date", help=_("decision date YYYY-MM-DD (default: today)")),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here instead of standard output")),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    input_limits(limit)
    lang = language(lang)
    day = option_date(date)
    if format is LetterFormat.pdf and out is None:
        fail(UsageError(_("a PDF letter needs -o FILE")), EXIT_USAGE)
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
            fail(UsageError(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc)), EXIT_INPUT)
    raise typer.Exit(EXIT_OK)


def _warn_about_rules(gov: Governance) -> None:
    """Rules that can never or always fire (and the like, as lint finds them) decide all the
    same; check says so on stderr, so that nobody mistakes such a rule for a judged one. The
    finding is kept in the rulebook cache, keyed like the rulebook (and by the language)."""
    from governance.engine.rulecache import cached
    from governance.i18n import current_language

    def find():
        from governance.authoring.lint import rule_warnings

        return rule_warnings(gov.rulebook)

    folders = (Path(gov.rulebook.folder), Path(gov.policies.folder))
    for problem in cached("rule-warnings", folders, find, salt=current_language()):
        print("fundgov: " + _("warning: {problem}").format(problem=problem), file=sys.stderr)


def _recorder(gov: Governance, register: Optional[Path]):
    """Records the decisions as they are made (governance.board.recording)."""
    import datetime

    from governance import __version__
    from governance.board.recording import DecisionRecorder
    from governance.cli.common import register_target

    return DecisionRecorder(register_target(register), gov.rulebook.folder, gov.policies.folder, __version__,
                            datetime.datetime.now())  # the edge reads the clock; the engine never does


def _finish_recording(recorder) -> bool:
    """Record what is left; False, with the reasons on stderr, where the register could not take it all."""
    problems = recorder.close()
    for problem in problems:
        print(f"fundgov: {problem}", file=sys.stderr)
    if problems:
        return False
    same = [n for n in recorder.notes if n[0] == "same"]
    if same:
        print("fundgov: " + ngettext(
            "{n} decision was in {register} already (id {ids}): not recorded again",
            "{n} decisions were in {register} already (ids {ids}): not recorded again",
            len(same)).format(n=len(same), register=recorder.target, ids=id_ranges(n[2] for n in same)),
              file=sys.stderr)
    for _kind, file, _rid in (n for n in recorder.notes if n[0] == "cased"):
        print("fundgov: " + _("{file}: the application is a case: its decision is its board's, which this record does "
                              "not change").format(file=file), file=sys.stderr)
    for _kind, file, new, earlier in (n for n in recorder.notes if n[0] == "replaces"):
        print("fundgov: " + _("{file}: the register held another decision of this application (id {earlier}); "
                              "the new one (id {new}) is now the fund's decision").format(
            file=file, earlier=earlier, new=new), file=sys.stderr)
    if recorder.ids:
        print("fundgov: " + ngettext("recorded {n} decision in {register} (id {ids})",
                                     "recorded {n} decisions in {register} (ids {ids})",
                                     len(recorder.ids)).format(n=len(recorder.ids), register=recorder.target,
                                                               ids=id_ranges(recorder.ids)),
              file=sys.stderr)
    return True


def id_ranges(ids) -> str:
    """Record ids as runs: "1–500, 901–1100" (another writer's decisions may fall between)."""
    runs: list[list[int]] = []
    for rid in sorted(set(ids)):
        if runs and rid == runs[-1][1] + 1:
            runs[-1][1] = rid
        else:
            runs.append([rid, rid])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
