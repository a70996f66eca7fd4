"""Schema 2: projects, their reports, repayments once per report and committee, yearly
instalments and dated payments; the fund grant per budget year on each decision.

Schema 1 summed the repayments of every recorded follow-up, so a project followed up twice
owed twice. Its rows are kept as they were in ``repayments_v1``; what the ledger reads is
converted from them: the reports found in each recorded follow-up (once each), and the
repayments of the *latest* follow-up of each project (each one recomputed the whole
schedule), with what was paid on any copy of an instalment carried over, dated on the day
that follow-up was recorded (schema 1 kept no payment dates).

Revision ID: 0002
Revises: 0001
"""
import datetime as dt
import hashlib
import json

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decisions", sa.Column("grants", sa.Text))
    op.rename_table("repayments", "repayments_v1")
    if op.get_bind().dialect.name == "postgresql":  # names the new tables would take
        op.execute("ALTER INDEX repayments_pkey RENAME TO repayments_v1_pkey")
        op.execute("ALTER SEQUENCE repayments_id_seq RENAME TO repayments_v1_id_seq")
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fund", sa.Text, nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("input", sa.Text),
        sa.Column("grant_sek", sa.BigInteger),
        sa.Column("cap_sek", sa.BigInteger),
        sa.Column("due_sek", sa.BigInteger, nullable=False, server_default="0"),
        sa.UniqueConstraint("fund", "proposal", name="projects_once"),
        sa.CheckConstraint("due_sek >= 0 AND (cap_sek IS NULL OR due_sek <= cap_sek)", name="projects_due_within_cap"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("submitted", sa.Text, nullable=False),
        sa.Column("file", sa.Text),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("followup", sa.Integer, sa.ForeignKey("followups.id")),
        sa.UniqueConstraint("project", "sha256", name="reports_once_by_content"),
        sa.UniqueConstraint("project", "kind", "period", name="reports_once_by_period"),
    )
    op.create_table(
        "repayments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("report", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("amount_sek", sa.BigInteger, nullable=False),
        sa.Column("uncapped_sek", sa.BigInteger, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("followup", sa.Integer, sa.ForeignKey("followups.id")),
        sa.UniqueConstraint("report", "committee", name="repayments_once_per_report_and_committee"),
        sa.CheckConstraint("amount_sek > 0 AND amount_sek <= uncapped_sek", name="repayments_amount"),
    )
    op.create_table(
        "instalments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("repayment", sa.Integer, sa.ForeignKey("repayments.id"), nullable=False),
        sa.Column("budget_year", sa.Integer, nullable=False),
        sa.Column("amount_sek", sa.BigInteger, nullable=False),
        sa.Column("paid_sek", sa.BigInteger, nullable=False, server_default="0"),
        sa.UniqueConstraint("repayment", "budget_year", name="instalments_once_per_year"),
        sa.CheckConstraint("amount_sek >= 0 AND paid_sek >= 0 AND paid_sek <= amount_sek",
                           name="instalments_paid_within_due"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("instalment", sa.Integer, sa.ForeignKey("instalments.id"), nullable=False),
        sa.Column("paid_on", sa.Text, nullable=False),
        sa.Column("amount_sek", sa.BigInteger, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.CheckConstraint("amount_sek > 0", name="payments_positive"),
    )
    _convert(op.get_bind())


def _convert(db) -> None:
    """Schema 1's follow-ups and repayments into projects, reports and instalments."""
    projects: dict[tuple[str, str], int] = {}

    def project(fund: str, proposal: str) -> int:
        if (fund, proposal) not in projects:
            grant = db.execute(sa.text("SELECT fund_grant_sek FROM decisions WHERE fund = :f AND proposal = :p "
                                       "ORDER BY id DESC LIMIT 1"), {"f": fund, "p": proposal}).scalar()
            projects[(fund, proposal)] = db.execute(sa.text(
                "INSERT INTO projects (fund, proposal, grant_sek, due_sek) VALUES (:f, :p, :g, 0) RETURNING id"),
                {"f": fund, "p": proposal, "g": grant}).scalar_one()
        return projects[(fund, proposal)]

    latest: dict[int, tuple] = {}
    for fid, recorded_at, fund, proposal, inputs, result in db.execute(sa.text(
            "SELECT id, recorded_at, fund, proposal, inputs, result FROM followups ORDER BY id")).fetchall():
        pid = project(fund, proposal)
        latest[pid] = (fid, recorded_at, result)
        try:
            files = json.loads(inputs)
        except ValueError:
            continue
        for name, content in files.items():
            try:
                data = yaml.safe_load(content)
            except yaml.YAMLError:
                continue
            if not isinstance(data, dict):
                continue
            if data.get("format") == "proposal/1":
                db.execute(sa.text("UPDATE projects SET input = :t WHERE id = :i"), {"t": content, "i": pid})
                continue
            if data.get("format") != "follow-up/1":
                continue
            sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
            kind, period = str(data.get("kind")), int(data.get("period") or 0)
            known = db.execute(sa.text("SELECT id FROM reports WHERE project = :p AND (sha256 = :s OR "
                                       "(kind = :k AND period = :y))"),
                               {"p": pid, "s": sha, "k": kind, "y": period}).first()
            if known is None:
                submitted = data.get("submitted")
                db.execute(sa.text(
                    "INSERT INTO reports (project, kind, period, submitted, file, sha256, content, recorded_at, followup)"
                    " VALUES (:p, :k, :y, :d, :f, :s, :c, :r, :fid)"),
                    {"p": pid, "k": kind, "y": period, "d": submitted.isoformat() if isinstance(submitted, dt.date)
                     else str(submitted), "f": name, "s": sha, "c": content, "r": recorded_at, "fid": fid})
    for pid, (fid, recorded_at, result) in latest.items():
        try:
            rows = json.loads(result).get("repayments") or []
        except (ValueError, AttributeError):
            continue
        fund, proposal = next(k for k, v in projects.items() if v == pid)
        grouped: dict[tuple[int, str], dict[int, int]] = {}
        for r in rows:
            if "report_period" in r:
                years = grouped.setdefault((int(r["report_period"]), r["committee"]), {})
                years[int(r["budget_year"])] = years.get(int(r["budget_year"]), 0) + int(r["amount_sek"])
        for (period, committee), years in grouped.items():
            report = db.execute(sa.text("SELECT id FROM reports WHERE project = :p AND kind = 'effect' AND period = :y"),
                                {"p": pid, "y": period}).scalar()
            total = sum(years.values())
            if report is None or total <= 0:
                continue  # kept in repayments_v1 only
            rid = db.execute(sa.text(
                "INSERT INTO repayments (project, report, committee, amount_sek, uncapped_sek, recorded_at, followup)"
                " VALUES (:p, :r, :c, :a, :a, :t, :f) RETURNING id"),
                {"p": pid, "r": report, "c": committee, "a": total, "t": recorded_at, "f": fid}).scalar_one()
            db.execute(sa.text("UPDATE projects SET due_sek = due_sek + :a WHERE id = :p"), {"a": total, "p": pid})
            for year, amount in sorted(years.items()):
                paid = db.execute(sa.text(
                    "SELECT coalesce(sum(paid_sek), 0) FROM repayments_v1 WHERE fund = :f AND proposal = :p"
                    " AND committee = :c AND budget_year = :y"),
                    {"f": fund, "p": proposal, "c": committee, "y": year}).scalar()
                paid = min(int(paid), amount)
                iid = db.execute(sa.text(
                    "INSERT INTO instalments (repayment, budget_year, amount_sek, paid_sek) VALUES (:r, :y, :a, :pd)"
                    " RETURNING id"), {"r": rid, "y": year, "a": amount, "pd": paid}).scalar_one()
                if paid:
                    db.execute(sa.text("INSERT INTO payments (instalment, paid_on, amount_sek, recorded_at)"
                                       " VALUES (:i, :d, :a, :t)"),
                               {"i": iid, "d": recorded_at[:10], "a": paid, "t": recorded_at})


def downgrade() -> None:
    for table in ("payments", "instalments", "repayments", "reports", "projects"):
        op.drop_table(table)
    op.rename_table("repayments_v1", "repayments")
    op.drop_column("decisions", "grants")
