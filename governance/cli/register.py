"""fundgov register list|show|paid and verify: the decision register."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from governance.cli.common import (EXIT_INPUT, EXIT_OK, EXIT_USAGE, POLICIES_OPT, REGISTER_OPT, RULES_OPT, fail,
                                   load_governance, open_register, app)
from governance.errors import FundgovError


register_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="The decision register.")


app.add_typer(register_app, name="register")


@register_app.command("list")
def register_list(fund: Optional[str] = typer.Option(None, "--fund"), register: Optional[Path] = REGISTER_OPT) -> None:
    """The recorded decisions."""
    with open_register(register) as reg:
        for row in reg.decisions(fund):
            print(f"{row['id']:>5}  {row['recorded_at']}  {row['fund']:<10} {row['proposal']:<16} "
                  f"{row['policy_version']}  {row['decision_date']}  {row['outcome']}")
    raise typer.Exit(EXIT_OK)


@register_app.command("show")
def register_show(record_id: int = typer.Argument(...), register: Optional[Path] = REGISTER_OPT) -> None:
    """One recorded decision, with its findings and what it was decided from (as JSON)."""
    import json

    with open_register(register) as reg:
        try:
            record = reg.decision(record_id)
        except FundgovError as exc:
            fail(exc, EXIT_USAGE)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_OK)


@register_app.command("paid")
def register_paid(repayment_id: int = typer.Argument(...), amount: int = typer.Argument(..., min=1),
                  register: Optional[Path] = REGISTER_OPT) -> None:
    """Record that a repayment (or part of it) has been paid to the fund."""
    with open_register(register) as reg:
        try:
            reg.mark_paid(repayment_id, amount)
        except FundgovError as exc:
            fail(exc, EXIT_INPUT)
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
    from governance.board.register import verify as run_verify

    gov = load_governance(rules, policies) if current else None
    with open_register(register) as reg:
        checked, differences, changed = run_verify(reg, gov.rulebook if gov else None)
    for d in differences:
        print(f"{d.id:>5}  {d.proposal:<16} {d.recorded} → {d.now}  {d.detail}")
    if changed:
        print(f"{len(changed)} records were decided with rule or policy files that have changed since")
    print(f"{checked} re-decided, {len(differences)} differ")
    raise typer.Exit(EXIT_INPUT if differences else EXIT_OK)
