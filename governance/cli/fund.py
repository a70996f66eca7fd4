"""fundgov fund status: the fund's ledger."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from governance.cli.common import (EXIT_OK, EXIT_USAGE, REGISTER_OPT, Format, option_date, fail, load_governance,
                                   open_register, app)
from governance.errors import FundgovError


fund_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Funds: the ledger.")


app.add_typer(fund_app, name="fund")


@fund_app.command("status")
def fund_status(
    fund: str = typer.Argument(...),
    date: Optional[str] = typer.Option(None, "--date", help="capital in force on this day (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    register: Optional[Path] = REGISTER_OPT,
) -> None:
    """The fund's ledger from the register: capital, granted, repaid, uncommitted."""
    import json

    from governance.board.register import fund_status as status
    from governance.wording import fmt_money

    day = option_date(date)
    gov = load_governance(None, None)
    with open_register(register) as reg:
        try:
            ledger = status(reg, gov.policies, fund, day)
        except FundgovError as exc:
            fail(exc, EXIT_USAGE)
    if format is Format.json:
        print(json.dumps(ledger, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    money = lambda v: "ej angivet" if v is None else fmt_money(v, "sv")  # noqa: E731
    print(f"{fund} per {ledger['date']}")
    print(f"  kapital           {money(ledger['capital_sek']):>18}")
    print(f"  beviljat          {money(ledger['granted_sek']):>18}  ({ledger['approved']} av {ledger['decisions']} {'ansökan' if ledger['decisions'] == 1 else 'ansökningar'})")
    print(f"  återföring utlöst {money(ledger['repayments_due_sek']):>18}")
    print(f"  återfört          {money(ledger['repaid_sek']):>18}")
    print(f"  disponibelt       {money(ledger['uncommitted_sek']):>18}")
    raise typer.Exit(EXIT_OK)
