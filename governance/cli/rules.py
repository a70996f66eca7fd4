"""fundgov rules lint|explain|coverage and fundgov docs: for policy authors."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from governance import DEFAULT_POLICIES, DEFAULT_RULES
from governance.cli.common import (LANG_OPT, language, EXIT_INPUT, EXIT_OK, EXIT_USAGE, POLICIES_OPT, RULES_OPT, Lang, option_date,
                                   fail, load_governance, scenarios_or_exit, version_or_exit, app)
from governance.errors import FundgovError


rules_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Rule files: lint, explain and scenario coverage.")


app.add_typer(rules_app, name="rules")


@rules_app.command("lint")
def rules_lint(rules: Optional[Path] = RULES_OPT, policies: Optional[Path] = POLICIES_OPT) -> None:
    """Check every rule and policy file; print file:line:column: message for each problem."""
    from governance.authoring.lint import lint

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
    lang: Optional[Lang] = LANG_OPT,
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """A rule in plain words, with the parameter values of a fund's policy version."""
    lang = language(lang)
    from governance.authoring.explain import explain, find_rules

    day = option_date(date)
    gov = load_governance(rules, policies)
    version = version_or_exit(gov, fund, day)
    try:
        found = find_rules(gov.rulebook, what)
    except FundgovError as exc:
        fail(exc, EXIT_USAGE)
    for rule in found:
        print("\n".join(explain(gov.rulebook, rule, version, lang)))
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
    gov = load_governance(rules, policies)
    coverage, failed = scenarios_or_exit(features)
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
    from governance.documents.handbook import build

    gov = load_governance(rules, policies)
    coverage, failed = scenarios_or_exit(features)
    if coverage is None:
        print("fundgov: the scenarios could not run; no handbook written", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    if failed:
        print("fundgov: some scenarios failed; the handbook marks them as failed", file=sys.stderr)
    followup = gov.followup_rules() if (Path(gov.rulebook.folder) / "follow-up").is_dir() else None
    pages = build(gov.rulebook, coverage, out, followup=followup)
    print(f"{len(pages)} pages written to {out} (open {out / 'index.html'})")
    raise typer.Exit(EXIT_INPUT if failed else EXIT_OK)
