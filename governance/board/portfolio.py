"""The whole portfolio at once (``fundgov follow-up --from-register``): for every recorded
project, what is overdue, which payments are withheld or held for unmet conditions, what is under review, and which repayments fall due in the coming
budget year, from the reports the register holds."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from governance.board.conditions import conditions_met_on
from governance.board.followup import FollowUpResult, evaluate
from governance.board.ledger import GRANTED, conditions_for, effective, grants_of, payment_schedule
from governance.board.register import Register
from governance.engine.rulebook import Rulebook
from governance.errors import FundgovError
from governance.formats.loader import parse_proposal, parse_report


@dataclass
class ProjectStatus:
    fund: str
    proposal: str
    outcome: str | None
    result: FollowUpResult | None
    overdue: list[dict[str, Any]] = field(default_factory=list)  # report kind, period, due, days late
    review: dict[str, Any] | None = None  # since, report period, enrolled, planned
    review_ended: dict[str, Any] | None = None
    coming: list[dict[str, Any]] = field(default_factory=list)  # repayments of the coming budget year
    withheld: list[dict[str, Any]] = field(default_factory=list)  # payments of the grant withheld (7.1)
    held: list[dict[str, Any]] = field(default_factory=list)  # payments held until the decision's conditions are met
    problem: str | None = None  # what the register holds for it cannot be read
    record: int | None = None  # the register's record of its decision (the fund's: see latest_decisions)
    case: int | None = None  # the case it is, where its board decided it

    def as_json(self) -> dict[str, Any]:
        def plain(values: dict | None):
            if values is None:
                return None
            return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}

        r = self.result
        return {"fund": self.fund, "proposal": self.proposal, "outcome": self.outcome,
                "payment_withheld": bool(r and r.withheld),
                "withheld_payments": [plain(w) for w in self.withheld],
                "held_for_conditions": [plain(h) for h in self.held],
                "overdue": [plain(o) for o in self.overdue], "under_review": plain(self.review),
                "review_ended": plain(self.review_ended), "coming_repayments": self.coming, "problem": self.problem}


def portfolio(register: Register, rules: Rulebook, on: dt.date, fund: str | None = None, lang: str = "sv"
              ) -> list[ProjectStatus]:
    """Every recorded project (approved by ``on``, or followed up) as of ``on``."""
    decided = {(d["fund"], d["proposal"]): d for d in register.latest_decisions(fund, on)}
    projects = {(p["fund"], p["proposal"]): p for p in register.projects(fund)}
    coming_year = on.year + 1
    instalments = register.repayments(fund, on=on)
    conditional = conditions_met_on(register, fund)
    out: list[ProjectStatus] = []
    for key in sorted(set(decided) | set(projects)):
        record, project = decided.get(key), projects.get(key)
        granted = record is not None and record["outcome"] in GRANTED
        stored = register.reports(project["id"]) if project else []
        if not granted and not stored:
            continue  # not granted (or a case not decided yet), never followed up: nothing to follow
        status = ProjectStatus(key[0], key[1], record["outcome"] if record else None, None,
                               record=record["id"] if record else None, case=(record or {}).get("case_id"))
        out.append(status)
        text = record["input"] if record is not None else (project or {}).get("input")
        try:
            loaded = parse_proposal(text, f"register {key[1]}")
            reports = [parse_report(r["content"], r["file"] or f"register#{r['id']}") for r in stored]
            status.result = evaluate(rules, loaded, reports, on, lang)
            if granted:
                schedule = payment_schedule(rules, loaded, reports, grants_of(record, loaded), effective(record, on),
                                            on, **conditions_for(conditional, key))
                status.withheld = [{"year": p.year, "amount_sek": p.amount_sek, "since": p.withheld_since}
                                   for p in schedule if p.state == "withheld"]
                status.held = [{"year": p.year, "amount_sek": p.amount_sek, "since": p.held_since}
                               for p in schedule if p.state == "held"]
        except (FundgovError, TypeError) as exc:
            status.problem = str(exc)
            continue
        for n in status.result.notices:
            if n.rule == "followup.report_overdue":
                status.overdue.append({"report_kind": n.values.get("report_kind"), "period": n.values.get("period"),
                                       "due": n.values.get("due"), "days_late": n.values.get("days_late")})
            elif n.severity == "review":
                status.review = {"since": n.values.get("submitted"), "report_period": n.values.get("period"),
                                 "enrolled": n.values.get("enrolled"),
                                 "planned": n.values.get("planned")}
            elif n.rule == "followup.review_ended":
                status.review_ended = {"since": n.values.get("submitted"), "ended": n.values.get("latest_submitted"),
                                       "enrolled": n.values.get("latest_enrolled"), "planned": n.values.get("planned")}
        status.coming = [{"id": i["id"], "committee": i["committee"], "budget_year": i["budget_year"],
                          "amount_sek": i["amount_sek"], "outstanding_sek": i["outstanding_sek"]}
                         for i in instalments if i["proposal"] == key[1] and i["fund"] == key[0]
                         and i["budget_year"] == coming_year]
    return out
