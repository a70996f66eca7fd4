"""Schema 1: decisions, follow-ups, repayments, file snapshots (as the hand-written
register of fundgov 0.1 made them; a register of that kind is stamped with this revision).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("files", sa.Text, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("file", sa.Text),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("fund", sa.Text, nullable=False),
        sa.Column("input_sha256", sa.Text, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("policy_version", sa.Text, nullable=False),
        sa.Column("snapshot", sa.Text, sa.ForeignKey("snapshots.sha256"), nullable=False),
        sa.Column("engine_version", sa.Text, nullable=False),
        sa.Column("decision_date", sa.Text, nullable=False),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("fund_grant_sek", sa.BigInteger),
    )
    op.create_index("decisions_by_fund", "decisions", ["fund", "proposal"])
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("fund", sa.Text, nullable=False),
        sa.Column("input_sha256", sa.Text, nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("judged_on", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )
    op.create_table(
        "repayments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("followup", sa.Integer, sa.ForeignKey("followups.id"), nullable=False),
        sa.Column("fund", sa.Text, nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("committee", sa.Text, nullable=False),
        sa.Column("budget_year", sa.Integer, nullable=False),
        sa.Column("amount_sek", sa.Integer, nullable=False),
        sa.Column("paid_sek", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("paid_sek >= 0 AND paid_sek <= amount_sek"),
    )


def downgrade() -> None:
    for table in ("repayments", "followups", "decisions", "snapshots"):
        op.drop_table(table)
