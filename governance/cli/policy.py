"""fundgov policy show, schema and impact: policies, formats and the impact of a change."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from governance.cli.common import (LIMIT_OPT, input_limits, LANG_OPT, language, EXIT_INPUT, EXIT_OK, EXIT_USAGE,
                                   REGISTER_OPT, Format, Lang, option_date, fail, load_governance, open_register,
                                   version_or_exit, app)
from governance.errors import FundgovError, UsageError
from governance.engine.rulebook import clause_key
from governance.i18n import _

#: ``fundgov impact --fail-on-change``: some decision would change (a CI of rule files stops on it)
EXIT_CHANGED = 3

policy_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help=_("Fund policies."))
app.add_typer(policy_app, name="policy")

RULES = typer.Option(None, "--rules", help=_("folder of rule files (default: the project's rules/)"))
POLICIES = typer.Option(None, "--policies", help=_("folder of fund policies (default: the project's policies/)"))


@policy_app.command("show", help=_(
    "The parameters in force on a date, with their values, labels, dates and references."))
def policy_show(
    fund: str = typer.Argument(..., help=_("the fund's id: the name of its folder under policies/")),
    date: Optional[str] = typer.Option(None, "--date", help=_("the version in force on this date (default: today)")),
    format: Format = typer.Option(Format.text, "--format", help=_("text or json")),
    lang: Optional[Lang] = LANG_OPT,
    rules: Optional[Path] = RULES,
    policies: Optional[Path] = POLICIES,
) -> None:
    lang = language(lang)
    import json

    from governance.authoring.explain import policy_rows

    day = option_date(date)
    gov = load_governance(rules, policies)
    version = version_or_exit(gov, fund, day)
    rows = policy_rows(version, lang, gov.rulebook.labels)
    clauses = sorted(version.clauses.values(), key=lambda c: clause_key(c.id))
    if format is Format.json:
        print(json.dumps({"fund": fund, "version": version.version.isoformat(), "date": day.isoformat(),
                          "parameters": {r.name: {"value": version.params[r.name], "from": r.since,
                                                  "reference": r.reference, "label": r.description}
                                         for r in rows},
                          "clauses": [c.id for c in clauses]}, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    print(f"{getattr(version.name, lang)} — {version.key} ({day.isoformat()})")
    width = max(len(r.name) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    for r in rows:
        print(f"  {r.name:<{width}}  {r.value:<{vwidth}}  {r.since}  {r.description} ({r.reference})")
    print("  " + _("clauses: {clauses}").format(clauses=" ".join(c.id for c in clauses)))
    raise typer.Exit(EXIT_OK)


class SchemaKind(str, Enum):
    proposal = "proposal"
    report = "report"
    rules = "rules"
    policy = "policy"
    letter = "letter"
    case = "case"
    labels = "labels"
    decision = "decision"
    unit_costs = "unit-costs"
    methods = "methods"


@app.command(help=_("JSON Schema generated from the models, for editors and tooling."))
def schema(kind: SchemaKind = typer.Argument(..., metavar=_("KIND"), help=_(
        "proposal, report, rules, policy, letter, case, labels, decision, unit-costs or methods"))) -> None:
    import json

    from governance.authoring.schemas import json_schema

    print(json.dumps(json_schema(kind.value), ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_OK)


class ImpactFormat(str, Enum):
    text = "text"
    html = "html"
    json = "json"
    csv = "csv"


@app.command(context_settings={"allow_interspersed_args": True}, help=_(
    "Which past decisions would change under edited rules or policies, or at another date: a "
    "memo for the board, with each changed parameter, every changed case and the totals."))
def impact(
    paths: Optional[List[Path]] = typer.Argument(None, readable=False, metavar="[PATH]...", show_default=False,
                                                 help=_("past proposals: files or folders (also after --proposals)")),
    proposals: Optional[List[Path]] = typer.Option(None, "--proposals", metavar="PATH...", show_default=False,
                                                   help=_("past proposals: files or folders; several may follow "
                                                          "the flag")),
    from_register: bool = typer.Option(False, "--from-register", help=_("also every proposal recorded in the "
                                                                          "register")),
    register: Optional[Path] = REGISTER_OPT,
    fund: Optional[str] = typer.Option(None, "--fund", help=_("only proposals of this fund")),
    new_policies: Optional[Path] = typer.Option(None, "--policies", help=_("the edited policies folder")),
    new_rules: Optional[Path] = typer.Option(None, "--rules", help=_("the edited rules folder")),
    base_policies: Optional[Path] = typer.Option(None, "--base-policies", help=_(
        "the policies to compare with (default: the project's policies/)")),
    base_rules: Optional[Path] = typer.Option(None, "--base-rules", help=_(
        "the rules to compare with (default: the project's rules/)")),
    at: Optional[str] = typer.Option(None, "--at", help=_("judge every proposal by the policy in force on this date")),
    date: Optional[str] = typer.Option(None, "--date", help=_("decision date (default: today)")),
    format: ImpactFormat = typer.Option(ImpactFormat.text, "--format", help=_("text (a memo), html (the memo as a "
                                                                              "page), json or csv")),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write the report to this file "
                                                                          "(default: standard output)")),
    fail_on_change: bool = typer.Option(False, "--fail-on-change", help=_(
        "exit with status 3 when any decision would change (for a CI of rule files)")),
    lang: Optional[Lang] = LANG_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    input_limits(limit)
    lang = language(lang)
    from governance.authoring import memo
    from governance.authoring.impact import impact as run_impact
    from governance.documents.letters import write_atomically

    day = option_date(date)
    at_day = option_date(at, "--at") if at else None
    if (new_policies, new_rules, at) == (None, None, None):
        fail(UsageError(_("say what to compare with: --policies NEW_DIR, --rules NEW_DIR or --at DATE")), EXIT_USAGE)
    given = list(proposals or []) + list(paths or [])
    if not given and not from_register:
        fail(UsageError(_("say which past proposals: --proposals PATH... or --from-register")), EXIT_USAGE)
    recorded = None
    if from_register:
        with open_register(register) as reg:
            try:
                recorded = reg.latest_inputs(fund)
            except FundgovError as exc:
                fail(exc, EXIT_INPUT)
    before = load_governance(base_rules, base_policies)
    changed_files = new_rules or new_policies
    after = load_governance(new_rules or base_rules, new_policies or base_policies) if changed_files else before
    report = run_impact(before.rulebook, after.rulebook, given, day, lang, fund, at_day, recorded)
    if format is ImpactFormat.json:
        text = memo.as_json(report) + "\n"
    elif format is ImpactFormat.csv:
        text = memo.as_csv(report)
    elif format is ImpactFormat.html:
        text = memo.as_html(report, before.rulebook, after.rulebook, lang)
    else:
        text = memo.as_text(report, before.rulebook, after.rulebook, lang)
    if output is not None:
        write_atomically(output, text)
        print(_("the report is written to {path}").format(path=output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    for fund_id, first_change, _latest, _n in report.missed():
        print("fundgov: " + _("{fund}: no application is judged by the change; to judge them by it, run again with "
                              "--at {date}").format(fund=fund_id, date=first_change.isoformat()), file=sys.stderr)
    for problem in report.errors:
        print(f"fundgov: {problem}", file=sys.stderr)
    if report.errors:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_CHANGED if fail_on_change and report.changes else EXIT_OK)
