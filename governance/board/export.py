"""Tables for the treasurer: the ledger and the register as CSV or XLSX (openpyxl).

A table is a list of (key, header) columns and a list of rows (dicts). Headers are in the
current language; amounts stay whole numbers (kronor) so that a spreadsheet adds them up.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from governance.board.register import Register
from governance.i18n import _, current_language

Table = tuple[list[tuple[str, str]], list[dict[str, Any]]]


#: a spreadsheet program opening a CSV file with a double-click reads it with the separators
#: of its regional settings: Swedish ones separate values with ';' and decimals with ','
SPREADSHEET_SEPARATORS = {"sv": (";", ","), "en": (",", ".")}
BOM = "\ufeff"


def as_csv(table: Table, spreadsheet: bool = False) -> str:
    """The table as CSV (RFC 4180: ',' between values, UTF-8). ``spreadsheet``: as a spreadsheet
    program in the current language opens it by a double-click: a byte-order mark (so that
    å, ä and ö are read as UTF-8) and that language's separators (Swedish: ';' and a decimal
    comma)."""
    columns, rows = table
    delimiter, decimal = SPREADSHEET_SEPARATORS.get(current_language(), (",", ".")) if spreadsheet else (",", ".")
    out = io.StringIO()
    if spreadsheet:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow([header for _key, header in columns])
    for row in rows:
        writer.writerow(["" if row.get(key) is None else _cell(row.get(key), decimal) for key, _h in columns])
    return out.getvalue()


def _cell(value: Any, decimal: str = ".") -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and decimal != ".":
        return repr(value).replace(".", decimal)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _number(value):
        return "'" + value  # never a formula in a spreadsheet
    return value


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def as_xlsx(sheets: dict[str, Table]) -> bytes:
    """One sheet per table: bold headers, frozen first row, amounts with a thousands separator."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title[:31])
        sheet.append([header for _key, header in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_sheet_cell(row.get(key)) for key, _h in columns])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:  # a day as a day: it sorts, filters and counts in the spreadsheet
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for index, (key, header) in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            if key.endswith("_sek"):
                for cell in sheet[letter][1:]:
                    cell.number_format = "#,##0"
            width = max([len(str(header))] + [len(str(r.get(key) or "")) for r in rows[:200]])
            sheet.column_dimensions[letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def _sheet_cell(value: Any) -> Any:
    """A value as a spreadsheet cell: an ISO day or moment as a date, the rest as in CSV."""
    if isinstance(value, str):
        try:
            if _DAY.match(value):
                return dt.date.fromisoformat(value)
            if _MOMENT.match(value):
                return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    return _cell(value)


def ledger_tables(ledger: dict[str, Any]) -> dict[str, Table]:
    years = [("year", _("budget year")), ("granted_sek", _("granted")), ("paid_out_sek", _("paid out")),
             ("withheld_sek", _("withheld")), ("held_sek", _("held")), ("to_pay_sek", _("still to pay")),
             ("repayment_due_sek", _("repayment due")), ("repaid_sek", _("repaid")),
             ("outstanding_sek", _("outstanding"))]
    total = dict(ledger["totals"], year=_("total"))
    payments = [{"proposal": p["proposal"], **pay} for p in ledger["projects"] for pay in p["payments"]]
    return {
        _("Ledger"): (years, [*ledger["years"], total]),
        _("Payments"): ([("proposal", _("proposal")), ("year", _("budget year")), ("amount_sek", _("amount")),
                         ("pay_day", _("pay day")), ("state", _("state")), ("paid_on", _("paid on")),
                         ("withheld_since", _("withheld since")), ("held_since", _("held since"))],
                        [dict(p, state=state_word(p["state"])) for p in payments]),
        _("Committees"): ([("committee", _("committee")), ("year", _("budget year")), ("due_sek", _("due")),
                           ("repaid_sek", _("repaid")), ("outstanding_sek", _("outstanding"))], ledger["committees"]),
        _("Repayments"): (repayment_columns(), ledger["repayments"]),
    }


def state_word(state: str) -> str:
    return {"paid": _("paid out"), "withheld": _("withheld"), "held": _("held"),
            "to_pay": _("still to pay")}.get(state, state)


def repayment_columns() -> list[tuple[str, str]]:
    return [("id", _("id")), ("proposal", _("proposal")), ("committee", _("committee")),
            ("budget_year", _("budget year")), ("amount_sek", _("due")), ("paid_sek", _("repaid")),
            ("outstanding_sek", _("outstanding")), ("report_period", _("effect report for")),
            ("capped", _("capped"))]


def register_tables(register: Register, outcome_words: dict[str, str], decided_only: bool = False
                    ) -> dict[str, Table]:
    """The register as tables. ``decided_only``: the fund's decisions only (a case's are its
    board's, not the assessments of its versions); otherwise every record, as the register
    keeps them."""
    records = register.latest_decisions() if decided_only else register.decisions()
    decisions = [dict(d, outcome=outcome_words.get(d["outcome"], d["outcome"])) for d in records]
    return {
        _("Decisions"): ([("id", _("id")), ("recorded_at", _("recorded")), ("fund", _("fund")),
                          ("proposal", _("proposal")), ("file", _("file")), ("policy_version", _("policy version")),
                          ("decision_date", _("decision date")), ("outcome", _("decision")),
                          ("fund_grant_sek", _("applied for from the fund"))], decisions),
        _("Follow-ups"): ([("id", _("id")), ("recorded_at", _("recorded")), ("fund", _("fund")),
                           ("proposal", _("proposal")), ("judged_on", _("as of")),
                           ("payment_withheld", _("payment withheld")), ("under_review", _("under review"))],
                          register.followups()),
        _("Repayments"): ([("fund", _("fund")), *repayment_columns()], register.repayments()),
    }
