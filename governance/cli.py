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

from . import DEFAULT_POLICIES, DEFAULT_RULES, BatchResult, Governance, LetterRequest
from .dates import parse_iso
from .errors import FundgovError, UsageError
from .report import as_json, as_text
from .rulebook import clause_key

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


def _date(text: Optional[str], option: str = "--date") -> dt.date:
    """The day a command is about (today if not given); a bad date is a usage error (exit 2)."""
    if text is None:
        return dt.date.today()  # the edge reads the clock; the engine never does
    try:
        return parse_iso(text)
    except ValueError as exc:
        _fail(UsageError(f"{option}: {exc}"), EXIT_USAGE)
        raise  # pragma: no cover


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


def _scenarios(features: Optional[Path]):
    """Run the scenarios: (what they recorded or None, whether any failed); their report goes to stderr on failure."""
    from .coverage import ScenarioRunError, run_scenarios

    try:
        return run_scenarios(features), False
    except FileNotFoundError as exc:
        _fail(UsageError(str(exc)), EXIT_USAGE)
    except ScenarioRunError as exc:
        print(exc.output, end="", file=sys.stderr)
        return exc.coverage, True


def _version(gov: Governance, fund: str, day: dt.date):
    """The fund's policy version in force on ``day``; an unknown fund or too early a date exits 2."""
    try:
        return gov.policies.version(fund, day)
    except FundgovError as exc:
        _fail(exc, EXIT_USAGE)
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
    record: bool = typer.Option(False, "--record", help="record the decisions in the decision register"),
    register: Optional[Path] = typer.Option(None, "--register", help="the register (default: $FUNDGOV_REGISTER "
                                            "or fundgov-register.sqlite here)"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """Decide proposals: one decision per proposal, every finding citing its clause."""
    day = _date(date)
    if format is Format.json:  # tooling gets one JSON document even when the rules cannot load
        try:
            gov = Governance.load(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES)
        except FundgovError as exc:
            print(as_json(BatchResult(errors=exc.problems)))
            raise typer.Exit(EXIT_INPUT)
    else:
        gov = _load(rules, policies)
    request = LetterRequest(letters, letter_format.value) if letters is not None else None
    batch = gov.check(list(paths), day, lang.value, jobs, request)
    if record and batch.decisions:
        _record(gov, batch.decisions, register)
    if format is Format.json:
        print(as_json(batch))
    else:
        print(as_text(batch, lang.value), end="")
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
    day = _date(date)
    if format is LetterFormat.pdf and out is None:
        _fail(UsageError("a PDF letter needs -o FILE"), EXIT_USAGE)
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


rules_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Rule files: lint, explain and scenario coverage.")
policy_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Fund policies.")
app.add_typer(rules_app, name="rules")
app.add_typer(policy_app, name="policy")


@rules_app.command("lint")
def rules_lint(rules: Optional[Path] = RULES_OPT, policies: Optional[Path] = POLICIES_OPT) -> None:
    """Check every rule and policy file; print file:line:column: message for each problem."""
    from .authoring import lint

    problems = lint(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES)
    for problem in problems:
        print(problem)
    if not problems:
        print("rules and policies are clean")
    raise typer.Exit(EXIT_INPUT if problems else EXIT_OK)


@rules_app.command("explain")
def rules_explain(
    what: str = typer.Argument(..., help="a rule id (eligibility.fund_share) or a clause (3.9)"),
    fund: str = typer.Option("model", "--fund", help="whose parameter values to show"),
    date: Optional[str] = typer.Option(None, "--date", help="the policy version in force on this date (default: today)"),
    lang: Lang = typer.Option(Lang.sv, "--lang"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """A rule in plain words, with the parameter values of a fund's policy version."""
    from .authoring import explain, find_rules

    day = _date(date)
    gov = _load(rules, policies)
    version = _version(gov, fund, day)
    try:
        found = find_rules(gov.rulebook, what)
    except FundgovError as exc:
        _fail(exc, EXIT_USAGE)
    for rule in found:
        print("\n".join(explain(gov.rulebook, rule, version, lang.value)))
        print()
    raise typer.Exit(EXIT_OK)


@rules_app.command("coverage")
def rules_coverage(
    features: Optional[Path] = typer.Option(None, "--features", help="folder of .feature files (default: features/)"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """Run the scenarios and show, per rule, the scenarios that made it fire and those that
    exercised it without firing; exit 1 when a rule lacks either (or a scenario fails)."""
    gov = _load(rules, policies)
    coverage, failed = _scenarios(features)
    if failed:
        print("fundgov: the scenarios failed", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    books = [gov.rulebook]
    if (Path(gov.rulebook.folder) / "follow-up").is_dir():
        books.append(gov.followup_rules())
    rows = coverage.rows(*books)
    width = max(len(r[0]) for r in rows)
    print(f"{'rule':<{width}}  clause  fires  silent")
    for rule, clause, fired, silent in rows:
        flag = "" if fired and silent else "   <- missing " + " and ".join(
            w for w, n in (("a firing scenario", fired), ("a silent scenario", silent)) if not n)
        print(f"{rule:<{width}}  {clause:<6}  {fired:>5}  {silent:>6}{flag}")
    gaps = coverage.gaps(*books)
    covered = len(rows) - len(gaps)
    print(f"{covered} of {len(rows)} rules covered ({100 * covered // len(rows)} %)")
    raise typer.Exit(EXIT_INPUT if gaps else EXIT_OK)


@app.command()
def docs(
    out: Path = typer.Option(..., "-o", "--output", help="folder to write the handbook into"),
    features: Optional[Path] = typer.Option(None, "--features", help="folder of .feature files (default: features/)"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """Write the policy handbook: a static HTML site of every fund, version, clause and example."""
    from .handbook import build

    gov = _load(rules, policies)
    coverage, failed = _scenarios(features)
    if coverage is None:
        print("fundgov: the scenarios could not run; no handbook written", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    if failed:
        print("fundgov: some scenarios failed; the handbook marks them as failed", file=sys.stderr)
    followup = gov.followup_rules() if (Path(gov.rulebook.folder) / "follow-up").is_dir() else None
    pages = build(gov.rulebook, coverage, out, followup=followup)
    print(f"{len(pages)} pages written to {out} (open {out / 'index.html'})")
    raise typer.Exit(EXIT_INPUT if failed else EXIT_OK)


def _record(gov: Governance, decisions, register: Optional[Path]) -> None:
    import datetime

    from . import __version__
    from .loader import parse_proposal
    from .register import Register, default_path

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
        _fail(exc, EXIT_INPUT)
    print(f"fundgov: recorded {len(ids)} decisions in {register or default_path()} (ids {ids[0]}–{ids[-1]})",
          file=sys.stderr)


register_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="The decision register.")
fund_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Funds: the ledger.")
app.add_typer(register_app, name="register")
app.add_typer(fund_app, name="fund")
REGISTER_OPT = typer.Option(None, "--register", help="the register (default: $FUNDGOV_REGISTER or "
                            "fundgov-register.sqlite here)")


def _open_register(path: Optional[Path]):
    from .register import Register, default_path

    target = path or default_path()
    if not Path(target).exists():
        _fail(UsageError(f"no register at {target}: record decisions with fundgov check --record"), EXIT_USAGE)
    try:
        return Register(target)
    except FundgovError as exc:
        _fail(exc, EXIT_INPUT)
        raise  # pragma: no cover


@register_app.command("list")
def register_list(fund: Optional[str] = typer.Option(None, "--fund"), register: Optional[Path] = REGISTER_OPT) -> None:
    """The recorded decisions."""
    with _open_register(register) as reg:
        for row in reg.decisions(fund):
            print(f"{row['id']:>5}  {row['recorded_at']}  {row['fund']:<10} {row['proposal']:<16} "
                  f"{row['policy_version']}  {row['decision_date']}  {row['outcome']}")
    raise typer.Exit(EXIT_OK)


@register_app.command("show")
def register_show(record_id: int = typer.Argument(...), register: Optional[Path] = REGISTER_OPT) -> None:
    """One recorded decision, with its findings and what it was decided from (as JSON)."""
    import json

    with _open_register(register) as reg:
        try:
            record = reg.decision(record_id)
        except FundgovError as exc:
            _fail(exc, EXIT_USAGE)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_OK)


@register_app.command("paid")
def register_paid(repayment_id: int = typer.Argument(...), amount: int = typer.Argument(..., min=1),
                  register: Optional[Path] = REGISTER_OPT) -> None:
    """Record that a repayment (or part of it) has been paid to the fund."""
    with _open_register(register) as reg:
        try:
            reg.mark_paid(repayment_id, amount)
        except FundgovError as exc:
            _fail(exc, EXIT_INPUT)
    raise typer.Exit(EXIT_OK)


@app.command()
def verify(
    current: bool = typer.Option(False, "--current", help="re-decide with today's rule and policy files instead "
                                 "of the recorded ones"),
    register: Optional[Path] = REGISTER_OPT,
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """Re-decide every recorded proposal and report any that would now differ (exit 1)."""
    from .register import verify as run_verify

    gov = _load(rules, policies) if current else None
    with _open_register(register) as reg:
        checked, differences, changed = run_verify(reg, gov)
    for d in differences:
        print(f"{d.id:>5}  {d.proposal:<16} {d.recorded} → {d.now}  {d.detail}")
    if changed:
        print(f"{len(changed)} records were decided with rule or policy files that have changed since")
    print(f"{checked} re-decided, {len(differences)} differ")
    raise typer.Exit(EXIT_INPUT if differences else EXIT_OK)


@fund_app.command("status")
def fund_status(
    fund: str = typer.Argument(...),
    date: Optional[str] = typer.Option(None, "--date", help="capital in force on this day (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    register: Optional[Path] = REGISTER_OPT,
) -> None:
    """The fund's ledger from the register: capital, granted, repaid, uncommitted."""
    import json

    from .register import fund_status as status
    from .wording import fmt_money

    day = _date(date)
    gov = _load(None, None)
    with _open_register(register) as reg:
        try:
            ledger = status(reg, gov.policies, fund, day)
        except FundgovError as exc:
            _fail(exc, EXIT_USAGE)
    if format is Format.json:
        print(json.dumps(ledger, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    money = lambda v: "ej angivet" if v is None else fmt_money(v, "sv")  # noqa: E731
    print(f"{fund} per {ledger['date']}")
    print(f"  kapital           {money(ledger['capital_sek']):>18}")
    print(f"  beviljat          {money(ledger['granted_sek']):>18}  ({ledger['approved']} av {ledger['decisions']} ansökningar)")
    print(f"  återföring utlöst {money(ledger['repayments_due_sek']):>18}")
    print(f"  återfört          {money(ledger['repaid_sek']):>18}")
    print(f"  ej intecknat      {money(ledger['uncommitted_sek']):>18}")
    raise typer.Exit(EXIT_OK)


@app.command("follow-up")
def follow_up(
    proposal: Path = typer.Argument(..., help="the proposal file"),
    reports: Optional[List[Path]] = typer.Argument(None, help="its follow-up reports (format follow-up/1); "
                                                   "none when nothing has arrived"),
    date: Optional[str] = typer.Option(None, "--date", help="judge as of this day (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Lang = typer.Option(Lang.sv, "--lang"),
    record: bool = typer.Option(False, "--record", help="record the result in the decision register"),
    register: Optional[Path] = typer.Option(None, "--register", help="the register database (default: see README)"),
    letter: Optional[Path] = typer.Option(None, "--letter", help="also write the notice as a letter to this file"),
    letter_format: LetterFormat = typer.Option(LetterFormat.md, "--letter-format", help="md, html or pdf"),
) -> None:
    """What is overdue, what is under review, and who repays how much in which budget year."""
    import json

    day = _date(date)
    gov = _load(None, None)
    try:
        result = gov.follow_up(proposal, list(reports or []), day, lang.value)
    except FundgovError as exc:
        _fail(exc, EXIT_INPUT)
    if record:
        from .register import Register, default_path

        with Register(register or default_path()) as reg:
            reg.record_followup(proposal, list(reports or []), result)
    if letter is not None:
        from .letters import Letters, write_atomically
        from .loader import load_proposal

        write_atomically(letter, Letters(gov.rulebook).render_followup(load_proposal(proposal), result, lang.value,
                                                                      letter_format.value))
    if format is Format.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    from .followup import money

    sv = lang is Lang.sv
    print(f"{result.proposal} ({result.fund}, {'policyversion' if sv else 'policy version'} {result.policy_version}), "
          f"{'per' if sv else 'as of'} {result.date}")
    if result.withheld:
        payment = result.next_payment
        which = f" ({payment.year}: {money(payment.amount_sek, lang.value)})" if payment else ""
        print("  " + ("NÄSTA UTBETALNING HÅLLS INNE" if sv else "NEXT PAYMENT WITHHELD") + which)
    if result.under_review:
        print("  " + ("PROJEKTET PRÖVAS PÅ NYTT" if sv else "PROJECT UNDER REVIEW"))
    for n in result.notices:
        print(f"  {n.clause:<5} {n.severity:<9} {n.message}")
    if result.repayments:
        print("  " + ("Återföring per nämnd och budgetår:" if sv else "Repayment per committee and budget year:"))
        for r in result.repayments:
            print(f"    {r.committee:<30} {r.budget_year}  {money(r.amount_sek, lang.value):>16}")
    raise typer.Exit(EXIT_OK)


@policy_app.command("show")
def policy_show(
    fund: str = typer.Argument(..., help="the fund id: model, norrkoping, orebro, gavleborg, lulea"),
    date: Optional[str] = typer.Option(None, "--date", help="the version in force on this date (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Lang = typer.Option(Lang.sv, "--lang"),
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """The parameters in force on a date, with their values, dates and references."""
    import json

    from .authoring import policy_rows

    day = _date(date)
    gov = _load(rules, policies)
    version = _version(gov, fund, day)
    rows = policy_rows(version, lang.value, gov.rulebook.labels)
    clauses = sorted(version.clauses.values(), key=lambda c: clause_key(c.id))
    if format is Format.json:
        print(json.dumps({"fund": fund, "version": version.version.isoformat(), "date": day.isoformat(),
                          "parameters": {r.name: {"value": version.params[r.name], "from": r.since,
                                                  "reference": r.reference} for r in rows},
                          "clauses": [c.id for c in clauses]}, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    print(f"{getattr(version.name, lang.value)} — {version.key} ({day.isoformat()})")
    width = max(len(r.name) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    for r in rows:
        print(f"  {r.name:<{width}}  {r.value:<{vwidth}}  {r.since}  {r.reference}")
    print(("  klausuler: " if lang is Lang.sv else "  clauses: ") + " ".join(c.id for c in clauses))
    raise typer.Exit(EXIT_OK)


class SchemaKind(str, Enum):
    proposal = "proposal"
    report = "report"
    rules = "rules"
    policy = "policy"
    letter = "letter"
    labels = "labels"
    decision = "decision"


@app.command()
def schema(kind: SchemaKind = typer.Argument(..., help="proposal, report, rules, policy, letter, labels or decision")) -> None:
    """JSON Schema generated from the models, for editors and tooling."""
    import json

    from .schemas import json_schema

    print(json.dumps(json_schema(kind.value), ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_OK)


@app.command()
def impact(
    proposals: Optional[List[Path]] = typer.Option(None, "--proposals", help="past proposals: files or folders"),
    from_register: bool = typer.Option(False, "--from-register", help="also every proposal recorded in the register"),
    register: Optional[Path] = REGISTER_OPT,
    fund: Optional[str] = typer.Option(None, "--fund", help="only proposals of this fund"),
    new_policies: Optional[Path] = typer.Option(None, "--policies", help="the edited policies folder"),
    new_rules: Optional[Path] = typer.Option(None, "--rules", help="the edited rules folder"),
    at: Optional[str] = typer.Option(None, "--at", help="judge every proposal by the policy in force on this date"),
    date: Optional[str] = typer.Option(None, "--date", help="decision date (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Lang = typer.Option(Lang.sv, "--lang"),
) -> None:
    """Which past decisions would change under edited rules or policies, or at another date."""
    import json

    from .impact import impact as run_impact

    day = _date(date)
    at_day = _date(at, "--at") if at else None
    if (new_policies, new_rules, at) == (None, None, None):
        _fail(UsageError("say what to compare with: --policies NEW_DIR, --rules NEW_DIR or --at DATE"), EXIT_USAGE)
    if not proposals and not from_register:
        _fail(UsageError("say which past proposals: --proposals DIR or --from-register"), EXIT_USAGE)
    recorded = None
    if from_register:
        with _open_register(register) as reg:
            recorded = reg.latest_inputs(fund)
    before = _load(None, None)
    after = _load(new_rules, new_policies) if (new_rules or new_policies) else before
    report = run_impact(before.rulebook, after.rulebook, list(proposals or []), day, lang.value, fund, at_day,
                        recorded)
    if format is Format.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for c in report.changes:
            print(f"{c.file}  {c.proposal}  {c.before.outcome} → {c.after.outcome}")
            for key in c.removed:
                print(f"    - {key}")
            for key in c.added:
                print(f"    + {key}")
        print(f"{report.decided} decided, {len(report.changes)} changed")
        for move, n in report.moves.items():
            print(f"  {move}: {n}")
        for problem in report.errors:
            print(f"fundgov: {problem}", file=sys.stderr)
    raise typer.Exit(EXIT_INPUT if report.errors else EXIT_OK)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
