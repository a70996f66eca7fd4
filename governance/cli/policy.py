"""fundgov policy show, schema and impact: policies, formats and the impact of a change."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from governance.cli.common import (LIMIT_OPT, input_limits, LANG_OPT, language, EXIT_INPUT, EXIT_OK, EXIT_USAGE, POLICIES_OPT, REGISTER_OPT, RULES_OPT, Format,
                                   Lang, option_date, fail, load_governance, open_register, version_or_exit, app)
from governance.errors import UsageError
from governance.engine.rulebook import clause_key


policy_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Fund policies.")


app.add_typer(policy_app, name="policy")


@policy_app.command("show")
def policy_show(
    fund: str = typer.Argument(..., help="the fund id: model, norrkoping, orebro, gavleborg, lulea"),
    date: Optional[str] = typer.Option(None, "--date", help="the version in force on this date (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Optional[Lang] = LANG_OPT,
    rules: Optional[Path] = RULES_OPT,
    policies: Optional[Path] = POLICIES_OPT,
) -> None:
    """The parameters in force on a date, with their values, dates and references."""
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
                                                  "reference": r.reference} for r in rows},
                          "clauses": [c.id for c in clauses]}, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    print(f"{getattr(version.name, lang)} — {version.key} ({day.isoformat()})")
    width = max(len(r.name) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    for r in rows:
        print(f"  {r.name:<{width}}  {r.value:<{vwidth}}  {r.since}  {r.reference}")
    print(("  klausuler: " if lang == "sv" else "  clauses: ") + " ".join(c.id for c in clauses))
    raise typer.Exit(EXIT_OK)


class SchemaKind(str, Enum):
    proposal = "proposal"
    report = "report"
    rules = "rules"
    policy = "policy"
    letter = "letter"
    labels = "labels"
    decision = "decision"
    unit_costs = "unit-costs"
    methods = "methods"


@app.command()
def schema(kind: SchemaKind = typer.Argument(..., help="proposal, report, rules, policy, letter, labels, decision, unit-costs or methods")) -> None:
    """JSON Schema generated from the models, for editors and tooling."""
    import json

    from governance.authoring.schemas import json_schema

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
    lang: Optional[Lang] = LANG_OPT,
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    """Which past decisions would change under edited rules or policies, or at another date."""
    input_limits(limit)
    lang = language(lang)
    import json

    from governance.authoring.impact import impact as run_impact

    day = option_date(date)
    at_day = option_date(at, "--at") if at else None
    if (new_policies, new_rules, at) == (None, None, None):
        fail(UsageError("say what to compare with: --policies NEW_DIR, --rules NEW_DIR or --at DATE"), EXIT_USAGE)
    if not proposals and not from_register:
        fail(UsageError("say which past proposals: --proposals DIR or --from-register"), EXIT_USAGE)
    recorded = None
    if from_register:
        with open_register(register) as reg:
            recorded = reg.latest_inputs(fund)
    before = load_governance(None, None)
    after = load_governance(new_rules, new_policies) if (new_rules or new_policies) else before
    report = run_impact(before.rulebook, after.rulebook, list(proposals or []), day, lang, fund, at_day,
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
