"""The fund's ledger per budget year, as of a day: money out to projects and back from committees.

``fund_ledger(register, rules, fund, on)`` is what ``fundgov fund status`` prints and the web
layer shows. Nothing dated after ``on`` counts: decisions by their decision date, reports by
the day they were submitted, repayments by the report that triggered them, payments
received by the day they were paid.

* **granted**: the fund grant of each proposal whose latest decision (by ``on``) approves it,
  per budget year from its budget rows;
* **paid out**: a year's grant is paid on its pay day, 1 January of the budget year or the
  day the decision took effect where that is later (a board's decision on a case when its
  protocol is adjusted) (moved as many months later as a granted extension,
  7.3, moved the project's end, where it was granted before the pay day), unless something
  stops it then: a condition of the decision not yet met **holds** it (it is paid the day
  the last condition is met), and the follow-up rules (7.1) **withhold** it (it is released
  on the day the report that was missing arrives); it counts as held or withheld until then;
* **still to pay**: granted − paid out − withheld − held (the pay day is still to come);
* **repayment due** per committee and budget year, **repaid**, **outstanding** = due − repaid;
* **uncommitted**: the fund's capital − granted + repaid.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from governance.board.conditions import conditions_met_on
from governance.board.extensions import moved_pay_day
from governance.board.followup import evaluate
from governance.board.register import Register
from governance.engine.figures import yearly_grants
from governance.engine.rulebook import Rulebook
from governance.errors import FundgovError
from governance.formats.loader import Loaded, parse_proposal, parse_report

GRANTED = ("approved", "approved_with_conditions")


@dataclass
class YearPayment:
    """One budget year's payment of a project's grant."""

    year: int
    amount_sek: int
    pay_day: dt.date
    state: str  # paid | withheld | held | to_pay
    paid_on: dt.date | None = None
    withheld_since: dt.date | None = None  # withheld on its pay day (then released on paid_on, or still withheld)
    held_since: dt.date | None = None  # held for the decision's unmet conditions (until the last is met)


@dataclass
class ProjectLine:
    proposal: str
    decision: int
    decision_date: str
    outcome: str
    granted_sek: int
    payments: list[YearPayment] = field(default_factory=list)
    cap_sek: int | None = None
    due_sek: int = 0  # repayments due (reports by the day)
    case: str | None = None  # the diarienummer, where the board decided it as a case


def _proposal(record: dict) -> Loaded | None:
    try:
        return parse_proposal(record["input"], record["file"] or record["proposal"])
    except FundgovError:
        return None


def grants_of(record: dict, loaded: Loaded | None) -> dict[int, int]:
    if record.get("grants") is not None:
        return dict(record["grants"])
    if loaded is not None and loaded.model.budget:
        return yearly_grants(loaded.model.budget)
    return {}


def effective(record: dict, on: dt.date) -> dt.date:
    """The day a decision takes effect: a board's when its protocol is adjusted (not yet, as of
    ``on``: after ``on``), any other on its decision date."""
    if "adjusted_on" not in record:
        return dt.date.fromisoformat(record["decision_date"])
    adjusted = record["adjusted_on"]
    if adjusted is None or adjusted > on.isoformat():
        return max(dt.date.fromisoformat(record["decision_date"]), on + dt.timedelta(days=1))
    return dt.date.fromisoformat(adjusted)


def pay_day(year: int, decision_date: dt.date) -> dt.date:
    return max(dt.date(year, 1, 1), decision_date)


def conditions_for(conditional: dict[tuple[str, str], str | None], key: tuple[str, str]) -> dict[str, Any]:
    """``payment_schedule``'s ``conditional`` and ``conditions_met`` for the project ``key``
    (fund, proposal), from ``conditions_met_on``."""
    met = conditional.get(key)
    return {"conditional": key in conditional, "conditions_met": dt.date.fromisoformat(met) if met else None}


def payment_schedule(rules: Rulebook, loaded: Loaded, reports: list[Loaded], grants: dict[int, int],
                     decided: dt.date, on: dt.date, conditional: bool = False,
                     conditions_met: dt.date | None = None) -> list[YearPayment]:
    """Each budget year's payment as of ``on``: paid (on which day), held or withheld (since
    when) or still to pay. ``conditional``: the decision has conditions, all of them met on
    ``conditions_met`` (None while one is unmet)."""
    out: list[YearPayment] = []
    arrivals = sorted({r.model.submitted for r in reports})
    granted = [x for x in evaluate(rules, loaded, reports, on).extensions if x.granted]
    for year, amount in sorted(grants.items()):
        if amount <= 0:
            continue
        day = moved_pay_day(pay_day(year, decided), granted)
        if day > on:
            out.append(YearPayment(year, amount, day, "to_pay"))
            continue
        t, since, held = day, None, None
        while True:
            if conditional and (conditions_met is None or conditions_met > t):
                held = held or t
                if conditions_met is None or conditions_met > on:
                    out.append(YearPayment(year, amount, day, "held", None, since, held))
                    break
                t = conditions_met
                continue
            withheld = evaluate(rules, loaded, reports, t).withheld
            if not withheld:
                out.append(YearPayment(year, amount, day, "paid", t, since, held))
                break
            since = since or t
            later = [a for a in arrivals if a > t]
            if not later or later[0] > on:
                out.append(YearPayment(year, amount, day, "withheld", None, since, held))
                break
            t = later[0]
    return out


def fund_ledger(register: Register, rules: Rulebook, fund_id: str, on: dt.date, year: int | None = None
                ) -> dict[str, Any]:
    """The ledger of one fund as of ``on`` (``year``: that budget year only); see the module text."""
    fund = rules.policies.fund(fund_id)
    capital = fund.version_at(max(on, fund.in_force_from)).params.get("fund.capital_sek")
    projects = {p["proposal"]: p for p in register.projects(fund_id)}
    conditional = conditions_met_on(register, fund_id)
    lines: list[ProjectLine] = []
    for record in register.latest_decisions(fund_id, on):
        line = ProjectLine(record["proposal"], record["id"], record["decision_date"], record["outcome"], 0,
                           case=record.get("diarienummer"))
        lines.append(line)
        if record["outcome"] not in GRANTED:
            continue
        loaded = _proposal(record)
        grants = grants_of(record, loaded)
        line.granted_sek = sum(grants.values())
        project = projects.get(record["proposal"])
        reports = []
        if project is not None:
            reports = [parse_report(r["content"], r["file"] or f"register#{r['id']}")
                       for r in register.reports(project["id"]) if r["submitted"] <= on.isoformat()]
            line.cap_sek = project["cap_sek"]
        if loaded is not None:
            line.payments = payment_schedule(rules, loaded, reports, grants, effective(record, on), on,
                                             **conditions_for(conditional, (fund_id, record["proposal"])))
    instalments = register.repayments(fund_id, on=on)
    for line in lines:
        line.due_sek = sum(r["amount_sek"] for r in instalments if r["proposal"] == line.proposal)

    years: dict[int, dict[str, int]] = {}

    def row(y: int) -> dict[str, int]:
        return years.setdefault(y, {"year": y, "granted_sek": 0, "paid_out_sek": 0, "withheld_sek": 0,
                                    "held_sek": 0, "to_pay_sek": 0, "repayment_due_sek": 0, "repaid_sek": 0, "outstanding_sek": 0})

    for line in lines:
        for p in line.payments:
            r = row(p.year)
            r["granted_sek"] += p.amount_sek
            r[{"paid": "paid_out_sek", "withheld": "withheld_sek", "held": "held_sek",
               "to_pay": "to_pay_sek"}[p.state]] += p.amount_sek
    committees: dict[tuple[str, int], dict[str, Any]] = {}
    for i in instalments:
        r = row(i["budget_year"])
        r["repayment_due_sek"] += i["amount_sek"]
        r["repaid_sek"] += i["paid_sek"]
        r["outstanding_sek"] += i["outstanding_sek"]
        c = committees.setdefault((i["committee"], i["budget_year"]), {
            "committee": i["committee"], "year": i["budget_year"], "due_sek": 0, "repaid_sek": 0, "outstanding_sek": 0})
        c["due_sek"] += i["amount_sek"]
        c["repaid_sek"] += i["paid_sek"]
        c["outstanding_sek"] += i["outstanding_sek"]
    chosen = [years[y] for y in sorted(years) if year is None or y == year]
    totals = {k: sum(r[k] for r in years.values()) for k in
              ("granted_sek", "paid_out_sek", "withheld_sek", "held_sek", "to_pay_sek", "repayment_due_sek",
               "repaid_sek", "outstanding_sek")}
    caps = _caps(lines, instalments)
    return {
        "fund": fund_id, "date": on.isoformat(), "year": year, "capital_sek": capital,
        "decisions": len(lines), "approved": sum(1 for x in lines if x.outcome in GRANTED),
        "years": chosen,
        "totals": totals if year is None else {k: sum(r[k] for r in chosen) for k in totals},
        "uncommitted_sek": None if capital is None else capital - totals["granted_sek"] + totals["repaid_sek"],
        "projects": [_project_json(x, year) for x in lines],
        "committees": [committees[k] for k in sorted(committees, key=lambda k: (k[1], k[0]))
                       if year is None or k[1] == year],
        "repayments": [_repayment_json(i) for i in instalments if year is None or i["budget_year"] == year],
        "caps": caps,
    }


def _project_json(line: ProjectLine, year: int | None) -> dict[str, Any]:
    payments = [p for p in line.payments if year is None or p.year == year]
    return {
        "proposal": line.proposal, "case": line.case, "decision": line.decision, "decision_date": line.decision_date,
        "outcome": line.outcome, "granted_sek": line.granted_sek, "cap_sek": line.cap_sek,
        # a decision with conditions recorded without a case (check --record): the register holds
        # no conditions to meet, so its payments are reckoned as if they were met
        "conditions_untracked": line.outcome == "approved_with_conditions" and line.case is None,
        "repayment_due_sek": line.due_sek,
        "payments": [{"year": p.year, "amount_sek": p.amount_sek, "pay_day": p.pay_day.isoformat(), "state": p.state,
                      "paid_on": p.paid_on.isoformat() if p.paid_on else None,
                      "withheld_since": p.withheld_since.isoformat() if p.withheld_since else None,
                      "held_since": p.held_since.isoformat() if p.held_since else None}
                     for p in payments],
    }


def _repayment_json(i: dict) -> dict[str, Any]:
    return {k: i[k] for k in ("id", "proposal", "committee", "budget_year", "amount_sek", "paid_sek",
                              "outstanding_sek", "report_period", "report_submitted", "capped")}


def _caps(lines: list[ProjectLine], instalments: list[dict]) -> list[dict[str, Any]]:
    """Projects whose cap bound: the cap, what is due, the room left, and how each report's share was cut."""
    out = []
    for line in lines:
        mine = [i for i in instalments if i["proposal"] == line.proposal]
        if line.cap_sek is None or not any(i["capped"] for i in mine):
            continue
        reports: dict[int, dict[str, tuple[int, int]]] = {}
        for i in mine:
            reports.setdefault(i["report_period"], {})[i["committee"]] = (i["uncapped_sek"], i["repayment_sek"])
        out.append({"proposal": line.proposal, "cap_sek": line.cap_sek, "due_sek": line.due_sek,
                    "room_left_sek": line.cap_sek - line.due_sek,
                    "reports": [{"report_period": period, "shares": [
                        {"committee": c, "without_cap_sek": u, "due_sek": a} for c, (u, a) in sorted(shares.items())]}
                        for period, shares in sorted(reports.items())
                        if any(u > a for u, a in shares.values())]})
    return out
