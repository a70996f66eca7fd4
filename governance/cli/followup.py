"""fundgov follow-up: reports, withheld payments, review and repayment."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from governance.cli.common import (LIMIT_OPT, input_limits, LANG_OPT, language, EXIT_INPUT, EXIT_OK, Format, Lang, LetterFormat, option_date, fail,
                                   load_governance, app)
from governance.errors import FundgovError


@app.command("follow-up")
def follow_up(
    proposal: Path = typer.Argument(..., help="the proposal file"),
    reports: Optional[List[Path]] = typer.Argument(None, help="its follow-up reports (format follow-up/1); "
                                                   "none when nothing has arrived"),
    date: Optional[str] = typer.Option(None, "--date", help="judge as of this day (default: today)"),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Optional[Lang] = LANG_OPT,
    record: bool = typer.Option(False, "--record", help="record the result in the decision register"),
    register: Optional[Path] = typer.Option(None, "--register", help="the register database (default: see README)"),
    letter: Optional[Path] = typer.Option(None, "--letter", help="also write the notice as a letter to this file"),
    letter_format: LetterFormat = typer.Option(LetterFormat.md, "--letter-format", help="md, html or pdf"),
    limit: Optional[List[str]] = LIMIT_OPT,
) -> None:
    """What is overdue, what is under review, and who repays how much in which budget year."""
    input_limits(limit)
    lang = language(lang)
    import json

    day = option_date(date)
    gov = load_governance(None, None)
    try:
        result = gov.follow_up(proposal, list(reports or []), day, lang)
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    if record:
        from governance.board.register import Register, default_path

        with Register(register or default_path()) as reg:
            reg.record_followup(proposal, list(reports or []), result)
    if letter is not None:
        from governance.documents.letters import Letters, write_atomically
        from governance.formats.loader import load_proposal

        write_atomically(letter, Letters(gov.rulebook).render_followup(load_proposal(proposal), result, lang,
                                                                      letter_format.value))
    if format is Format.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    from governance.board.followup import money

    sv = lang == "sv"
    print(f"{result.proposal} ({result.fund}, {'policyversion' if sv else 'policy version'} {result.policy_version}), "
          f"{'per' if sv else 'as of'} {result.date}")
    if result.withheld:
        payment = result.next_payment
        which = f" ({payment.year}: {money(payment.amount_sek, lang)})" if payment else ""
        print("  " + ("NÄSTA UTBETALNING HÅLLS INNE" if sv else "NEXT PAYMENT WITHHELD") + which)
    if result.under_review:
        print("  " + ("PROJEKTET PRÖVAS PÅ NYTT" if sv else "PROJECT UNDER REVIEW"))
    for n in result.notices:
        print(f"  {n.clause:<5} {n.severity:<9} {n.message}")
    if result.repayments:
        print("  " + ("Återföring per nämnd och budgetår:" if sv else "Repayment per committee and budget year:"))
        for r in result.repayments:
            print(f"    {r.committee:<30} {r.budget_year}  {money(r.amount_sek, lang):>16}")
    raise typer.Exit(EXIT_OK)
