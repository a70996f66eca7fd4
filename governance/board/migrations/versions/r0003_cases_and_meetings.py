"""Schema 3: cases (ärenden) with their diarienummer, versions, history and conditions, and
board meetings with their agendas, decisions and §§.

Nothing existing changes: the tables are new, and a register of schema 2 keeps every row.
The engine's assessment of each case version is an ordinary row of ``decisions`` (so that
``fundgov verify`` re-makes it too), linked from ``case_versions``.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATES = ("received", "in_preparation", "completion_requested", "proposed", "decided", "running", "closed",
          "withdrawn")
OUTCOMES = ("approved", "approved_with_conditions", "rejected", "returned")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "diarium_serials",
        sa.Column("fund", sa.Text, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_serial", sa.Integer, nullable=False),
        sa.CheckConstraint("last_serial > 0", name="diarium_serials_positive"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fund", sa.Text, nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("diarienummer", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("serial", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text),
        sa.Column("opened_on", sa.Text, nullable=False),
        sa.Column("completion_deadline", sa.Text),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.UniqueConstraint("fund", "year", "serial", name="cases_serial_once"),
        sa.UniqueConstraint("fund", "diarienummer", name="cases_diarienummer_once"),
        sa.UniqueConstraint("fund", "proposal", name="cases_once_per_proposal"),
        sa.CheckConstraint(_one_of("state", STATES), name="cases_state"),
        sa.CheckConstraint("serial > 0", name="cases_serial_positive"),
    )
    op.create_table(
        "case_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("received_on", sa.Text, nullable=False),
        sa.Column("file", sa.Text),
        sa.Column("decision", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("assessment", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.UniqueConstraint("case_id", "version", name="case_versions_once"),
        sa.UniqueConstraint("decision", name="case_versions_one_decision"),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("on_day", sa.Text, nullable=False),
        sa.Column("from_state", sa.Text),
        sa.Column("to_state", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("version", sa.Integer),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="case_events_in_order"),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fund", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("adjusted_on", sa.Text),
        sa.Column("adjuster", sa.Text),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.UniqueConstraint("body", "date", name="meetings_once_per_body_and_day"),
        sa.CheckConstraint("(adjusted_on IS NULL) = (adjuster IS NULL)", name="meetings_adjusted_by_someone"),
    )
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("meeting", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("proposed_outcome", sa.Text, nullable=False),
        sa.Column("added_on", sa.Text, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="pending"),
        sa.Column("paragraph", sa.Integer),
        sa.Column("decided_outcome", sa.Text),
        sa.Column("wording", sa.Text),
        sa.Column("reasons", sa.Text),
        sa.Column("follows_proposal", sa.Boolean),
        sa.Column("decided_by", sa.Text),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.UniqueConstraint("meeting", "case_id", name="agenda_items_once_per_meeting"),
        sa.UniqueConstraint("meeting", "position", name="agenda_items_in_order"),
        sa.UniqueConstraint("body", "year", "paragraph", name="agenda_items_paragraph_once"),
        sa.CheckConstraint(_one_of("state", ("pending", "decided", "withdrawn")), name="agenda_items_state"),
        sa.CheckConstraint("state <> 'decided' OR (paragraph IS NOT NULL AND decided_outcome IS NOT NULL AND wording "
                           "IS NOT NULL)", name="agenda_items_decided"),
        sa.CheckConstraint("decided_outcome IS NULL OR " + _one_of("decided_outcome", OUTCOMES),
                           name="agenda_items_outcome"),
        sa.CheckConstraint("paragraph IS NULL OR paragraph > 0", name="agenda_items_paragraph_positive"),
    )
    op.create_table(
        "conditions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("item", sa.Integer, sa.ForeignKey("agenda_items.id"), nullable=False),
        sa.Column("clause", sa.Text),
        sa.Column("rule", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("due", sa.Text),
        sa.Column("met_on", sa.Text),
        sa.Column("evidence", sa.Text),
        sa.Column("met_by", sa.Text),
        sa.Column("recorded_at", sa.Text, nullable=False),
        sa.UniqueConstraint("case_id", "number", name="conditions_once"),
        sa.CheckConstraint("(met_on IS NULL AND evidence IS NULL AND met_by IS NULL) OR "
                           "(met_on IS NOT NULL AND evidence IS NOT NULL AND met_by IS NOT NULL)",
                           name="conditions_met_with_evidence"),
    )


def downgrade() -> None:
    for table in ("conditions", "agenda_items", "meetings", "case_events", "case_versions", "cases",
                  "diarium_serials"):
        op.drop_table(table)
