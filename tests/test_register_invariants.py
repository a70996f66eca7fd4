"""The register's invariants under any order of decisions, follow-ups and payments
(a hypothesis state machine), checked on the database itself after every step:

* a report is recorded once per project (by content and by kind and period);
* a repayment is due once per report and committee, and never changes once recorded;
* the repayments of a project never exceed ``repayment.cap_share`` × its fund grant;
* repaid never exceeds due, and what is recorded as paid is the sum of the payments;
* each repayment is spread in whole kronor that add up, the earlier years carrying the extra.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import text

from conftest import as_yaml, example
from governance.board.database import RegisterError
from governance.board.register import Register, ReportInput, snapshot
from governance.board.tracking import follow_up
from governance.errors import InputError
from governance.formats.loader import parse_proposal, parse_report

PROJECTS = {"A": 1, "B": 2}  # B's budget is half of A's: grants 5 700 000 and 2 850 000
SAVINGS = [{"Socialnämnden": 900_000}, {"Socialnämnden": 6_000_000, "Förskolenämnden": 3_000_000},
           {"Förskolenämnden": 1_000_001}, {"Socialnämnden": 2_000_001, "Förskolenämnden": 2_000_000}]


def proposal_text(name: str) -> str:
    data = example("model-familjestod")
    data["id"] = f"MOD-2025-{name}"
    for row in data["budget"]:
        row["fund_sek"] //= PROJECTS[name]
        row["own_sek"] //= PROJECTS[name]
    for row in data["expected_savings"]:
        row["sek"] //= PROJECTS[name]
    return as_yaml(data)


#: the savings each effect report shows, and another version of it (a conflicting report)
VARIANTS = {("A", 2029): (1, 3), ("A", 2030): (0, 2), ("B", 2029): (3, 0), ("B", 2030): (2, 1)}
REPORTS = [("progress", 2025, "2026-03-20"), ("progress", 2026, "2027-03-20"), ("effect", 2029, "2029-10-01"),
           ("effect", 2030, "2030-10-01")]


def report(name: str, kind: str, period: int, submitted: str, variant: int = 0) -> ReportInput:
    doc = {"format": "follow-up/1", "proposal": f"MOD-2025-{name}", "fund": "model", "kind": kind, "period": period,
           "submitted": submitted}
    if kind == "effect":
        doc |= {"design": "rct", "outcomes": [{"name": "x", "ci_low": -0.3, "ci_high": -0.1}],
                "verified_savings": [{"committee": c, "year": period, "sek": s} for c, s in SAVINGS[variant].items()]}
    else:
        doc["enrolled"] = 100 + variant
    body = json.dumps(doc, ensure_ascii=False)
    return ReportInput(f"{name}-{kind}-{period}-{variant}.json", body, hashlib.sha256(body.encode()).hexdigest(),
                       parse_report(body, f"{name}-{kind}-{period}-{variant}.json"))


class RegisterMachine(RuleBasedStateMachine):
    gov = None
    target_factory = None

    def __init__(self):
        super().__init__()
        self.register = Register(type(self).target_factory())
        self.rules = type(self).gov.followup_rules()
        self.decided: set[str] = set()
        self.recorded: dict[tuple, int] = {}  # (project, report period, committee) -> amount, once recorded
        self.paid_total = 0

    def teardown(self):
        self.register.close()

    @initialize()
    def nothing_yet(self):
        pass

    @rule(name=st.sampled_from(sorted(PROJECTS)))
    def decide(self, name):
        gov = type(self).gov
        body = proposal_text(name)
        decision = gov.decide(parse_proposal(body, f"{name}.yaml"), dt.date(2025, 6, 1))
        assert decision.outcome == "approved"
        self.register.record_decisions([(f"{name}.yaml", body, decision)],
                                       snapshot(gov.rulebook.folder, gov.policies.folder), "test", dt.datetime(2025, 6, 1), {})
        self.decided.add(name)

    @rule(name=st.sampled_from(sorted(PROJECTS)),
          reports=st.lists(st.tuples(st.sampled_from(REPORTS), st.sampled_from([0, 0, 0, 0, 1])), max_size=4),
          on=st.sampled_from(["2027-06-01", "2029-12-01", "2031-01-01"]))
    def follow(self, name, reports, on):
        body = proposal_text(name)
        given = [report(name, kind, period, day, VARIANTS.get((name, period), (0, 1))[other])
                 for (kind, period, day), other in reports]
        try:
            result = follow_up(self.rules, parse_proposal(body, f"{name}.yaml"), body, given,
                               dt.date.fromisoformat(on), "sv", self.register, record=True)
        except InputError as exc:  # a different report for a kind and period already held (or given twice)
            assert " for " in str(exc)
            return
        for r in result.repayments:
            assert r.id is not None
        for (period, committee), rows in itertools.groupby(sorted(result.repayments, key=lambda r: (
                r.report_period, r.committee)), key=lambda r: (r.report_period, r.committee)):
            amount = sum(r.amount_sek for r in rows)
            key = (name, period, committee)
            assert self.recorded.setdefault(key, amount) == amount  # never changes once recorded

    @precondition(lambda self: self.recorded)
    @rule(data=st.data())
    def pay(self, data):
        rows = self.register.repayments()
        row = data.draw(st.sampled_from(rows))
        amount = data.draw(st.sampled_from([1, row["outstanding_sek"], row["outstanding_sek"] + 1, row["amount_sek"]
                                            // 2, 10_000_000]))
        if amount < 1:
            return
        try:
            after = self.register.pay(row["id"], amount, dt.date(2030, 5, 1), "sv")
        except RegisterError as exc:
            assert amount > row["outstanding_sek"] and "too much" in str(exc)
            return
        assert amount <= row["outstanding_sek"] and after["paid_sek"] == row["paid_sek"] + amount
        self.paid_total += amount

    @invariant()
    def the_register_holds(self):
        with self.register.db.reading() as conn:
            q = lambda sql: conn.execute(text(sql)).fetchall()  # noqa: E731
            assert q("SELECT project, sha256 FROM reports GROUP BY project, sha256 HAVING count(*) > 1") == []
            assert q("SELECT project, kind, period FROM reports GROUP BY project, kind, period HAVING count(*) > 1") == []
            assert q("SELECT report, committee FROM repayments GROUP BY report, committee HAVING count(*) > 1") == []
            for project, due, cap in q("SELECT id, due_sek, cap_sek FROM projects"):
                total = q(f"SELECT coalesce(sum(amount_sek), 0) FROM repayments WHERE project = {project}")[0][0]
                assert total == due and (cap is None or due <= cap)
                grant = q(f"SELECT grant_sek FROM projects WHERE id = {project}")[0][0]
                assert cap is None or cap == grant  # model: cap_share 1.0
            for rid, amount in q("SELECT id, amount_sek FROM repayments"):
                parts = [a for (a,) in q(f"SELECT amount_sek FROM instalments WHERE repayment = {rid} "
                                         "ORDER BY budget_year")]
                assert sum(parts) == amount and max(parts) - min(parts) <= 1 and parts == sorted(parts, reverse=True)
            for iid, amount, paid in q("SELECT id, amount_sek, paid_sek FROM instalments"):
                assert 0 <= paid <= amount
                assert paid == q(f"SELECT coalesce(sum(amount_sek), 0) FROM payments WHERE instalment = {iid}")[0][0]
            assert q("SELECT coalesce(sum(amount_sek), 0) FROM payments")[0][0] == self.paid_total
        recorded = {(p, period, c): a for (p, period, c), a in self.recorded.items()}
        with self.register.db.reading() as conn:
            rows = conn.execute(text("SELECT p.proposal, rep.period, r.committee, r.amount_sek FROM repayments r "
                                     "JOIN projects p ON p.id = r.project JOIN reports rep ON rep.id = r.report"))
            held = {(proposal[-1:], period, c): a for proposal, period, c, a in rows}
        assert held == recorded


def run(gov, factory, examples: int, steps: int) -> None:
    machine = type("Machine", (RegisterMachine,), {"gov": gov, "target_factory": staticmethod(factory)})
    run_state_machine_as_test(machine, settings=settings(max_examples=examples, stateful_step_count=steps,
                                                         deadline=None, suppress_health_check=list(HealthCheck)))


def test_the_register_keeps_its_invariants_on_sqlite(gov, tmp_path):
    counter = itertools.count()
    run(gov, lambda: str(tmp_path / f"r{next(counter)}.sqlite"), examples=15, steps=10)


def test_the_register_keeps_its_invariants_on_postgresql(gov, postgres_server):
    made: list[str] = []

    def fresh() -> str:
        made.append(postgres_server.new_database())
        return made[-1]

    try:
        run(gov, fresh, examples=4, steps=10)
    finally:
        for url in made:
            postgres_server.drop_database(url)
