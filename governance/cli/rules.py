"""fundgov rules lint|explain|coverage, fundgov facts and fundgov docs: for policy authors.

Every command reads the rule and policy folders given with ``--rules`` and ``--policies``
(the project's own otherwise), and the scenarios they run judge those same files.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from governance.cli.common import (LANG_OPT, EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, Lang, app, fail, language,
                                   load_governance, option_date, version_or_exit)
from governance.errors import FundgovError, Problem, UsageError
from governance.i18n import _, ngettext

rules_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                        help=_("Rule files: lint, explain and scenario coverage."))
app.add_typer(rules_app, name="rules")

RULES = typer.Option(None, "--rules", help=_("folder of rule files (default: the project's rules/)"))
POLICIES = typer.Option(None, "--policies", help=_("folder of fund policies (default: the project's policies/)"))
FEATURES = typer.Option(None, "--features", help=_("folder of .feature files (default: the project's features/)"))


@rules_app.command("lint", help=_(
    "Check every rule and policy file; print file:line:column: message (and its fix) for each "
    "problem."))
def rules_lint(rules: Optional[Path] = RULES, policies: Optional[Path] = POLICIES,
               lang: Optional[Lang] = LANG_OPT) -> None:
    language(lang)
    from governance import DEFAULT_POLICIES, DEFAULT_RULES
    from governance.authoring.lint import lint

    problems = lint(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES)
    for problem in problems:
        print(problem)
    if problems:
        print(ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems)), file=sys.stderr)
    else:
        print(_("rules and policies are clean"))
    raise typer.Exit(EXIT_INPUT if problems else EXIT_OK)


@rules_app.command("explain", help=_("A rule in plain words, with the parameter values of a fund's policy version."))
def rules_explain(
    what: str = typer.Argument(..., metavar=_("RULE"), help=_("a rule id (eligibility.fund_share) or a clause (3.9)")),
    fund: str = typer.Option("model", "--fund", help=_("whose parameter values to show")),
    date: Optional[str] = typer.Option(None, "--date", help=_("the policy version in force on this date "
                                                              "(default: today)")),
    lang: Optional[Lang] = LANG_OPT,
    rules: Optional[Path] = RULES,
    policies: Optional[Path] = POLICIES,
) -> None:
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


def _scenarios(features: Optional[Path], rules: Optional[Path], policies: Optional[Path]):
    """Run the scenarios against the given files: (what they recorded or None, whether any
    failed). Each failed scenario is printed on stderr at its feature file and line."""
    from governance.authoring.coverage import ScenarioRunError, render_failure, run_scenarios

    if features is not None and not Path(features).is_dir():
        fail(UsageError(Problem(_("no folder of scenarios at {path}").format(path=features), field="--features")),
             EXIT_USAGE)
    try:
        return run_scenarios(features, rules, policies), False
    except FundgovError as exc:
        fail(exc, EXIT_USAGE)
    except ScenarioRunError as exc:
        failures = exc.coverage.failures() if exc.coverage is not None else []
        for failure in failures:
            print(render_failure(failure), file=sys.stderr)
            print(file=sys.stderr)
        if failures:
            print(ngettext("{n} scenario failed", "{n} scenarios failed", len(failures)).format(n=len(failures)),
                  file=sys.stderr)
        else:  # the run stopped before the scenarios (a feature that cannot be read, say): the runner's own words
            print(exc.output, end="", file=sys.stderr)
        return exc.coverage, True
    raise AssertionError("unreachable")  # pragma: no cover


def _books(gov):
    books = [gov.rulebook]
    if (Path(gov.rulebook.folder) / "follow-up").is_dir():
        books.append(gov.followup_rules())
    return books


@rules_app.command("coverage", help=_(
    "Run the scenarios and show, per rule, the scenarios that made it fire and those that "
    "exercised it without firing; exit 1 when a rule lacks either (or a scenario fails)."))
def rules_coverage(
    features: Optional[Path] = FEATURES,
    rules: Optional[Path] = RULES,
    policies: Optional[Path] = POLICIES,
    lang: Optional[Lang] = LANG_OPT,
) -> None:
    language(lang)
    from governance.authoring.lint import rules_that_cannot_fire

    gov = load_governance(rules, policies)
    coverage, failed = _scenarios(features, rules, policies)
    if failed:
        print(_("fundgov: the scenarios failed; the rules' coverage is not counted"), file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    books = _books(gov)
    stuck = {rule: p for book in books for rule, p in rules_that_cannot_fire(book).items()}
    rows = coverage.rows(*books)
    heads = (_("rule"), _("clause"), _("fires"), _("silent"))
    width = max(len(heads[0]), *(len(r[0]) for r in rows))
    cw, fw, sw = (max(len(heads[1]), 6), len(heads[2]), len(heads[3]))
    print(f"{heads[0]:<{width}}  {heads[1]:<{cw}}  {heads[2]:>{fw}}  {heads[3]:>{sw}}")
    for rule, clause, fired, silent in rows:
        missing = [w for w, n in ((_("a firing scenario"), fired), (_("a silent scenario"), silent)) if not n]
        flag = ""
        if missing:
            flag = "   <- " + _("missing {what}").format(what=_(" and ").join(missing))
        if rule in stuck:
            flag += "   <- " + stuck[rule].message
        print(f"{rule:<{width}}  {clause:<{cw}}  {fired:>{fw}}  {silent:>{sw}}{flag}")
    gaps = coverage.gaps(*books)
    covered = len(rows) - len(gaps)
    print(ngettext("{covered} of {n} rule covered ({percent} %)", "{covered} of {n} rules covered ({percent} %)",
                   len(rows)).format(covered=covered, n=len(rows), percent=100 * covered // max(len(rows), 1)))
    raise typer.Exit(EXIT_INPUT if gaps else EXIT_OK)


@app.command("facts", help=_("Every fact a rule may name: its name, type and label (and where it comes from)."))
def facts(
    format: Format = typer.Option(Format.text, "--format", help=_("text or json")),
    lang: Optional[Lang] = LANG_OPT,
    rules: Optional[Path] = RULES,
    policies: Optional[Path] = POLICIES,
) -> None:
    lang = language(lang)
    import json

    from governance.authoring.vocabulary import SOURCE_WORDS, fact_rows

    gov = load_governance(rules, policies)
    rows = fact_rows(gov.rulebook)
    if format is Format.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    width = max(len(r.name) for r in rows)
    types = {r.name: r.type_words() for r in rows}
    twidth = max(len(t) for t in types.values() if len(t) <= 40)
    for source in ("proposal", "figure"):
        print(_(SOURCE_WORDS[source]).capitalize() + ":")
        for r in (r for r in rows if r.source == source):
            label = r.label[lang] or "—"
            print(f"  {r.name:<{width}}  {types[r.name]:<{twidth}}  {label}")
        print()
    print(_("A date is moved by a parameter that counts months or years (or days, in an integer named …_days): "
            "start <= decision_date + policy.x"))
    raise typer.Exit(EXIT_OK)


@app.command(help=_("Write the policy handbook: a static HTML site of every fund, version, clause and example."))
def docs(
    out: Path = typer.Option(..., "-o", "--output", help=_("folder to write the handbook into")),
    features: Optional[Path] = FEATURES,
    rules: Optional[Path] = RULES,
    policies: Optional[Path] = POLICIES,
    lang: Optional[Lang] = LANG_OPT,
) -> None:
    lang = language(lang)
    from governance.documents.handbook import build

    gov = load_governance(rules, policies)
    coverage, failed = _scenarios(features, rules, policies)
    if coverage is None:
        print(_("fundgov: the scenarios could not run; no handbook written"), file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    if failed:
        print(_("fundgov: some scenarios failed; the handbook marks them as failed"), file=sys.stderr)
    books = _books(gov)
    pages = build(gov.rulebook, coverage, out, lang=lang, followup=books[1] if len(books) > 1 else None)
    print(ngettext("{n} page written to {out} (open {index})", "{n} pages written to {out} (open {index})",
                   len(pages)).format(n=len(pages), out=out, index=out / "index.html"))
    raise typer.Exit(EXIT_INPUT if failed else EXIT_OK)
