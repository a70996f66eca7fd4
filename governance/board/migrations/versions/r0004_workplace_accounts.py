"""Schema 4: the web workplace's accounts, the funds each serves, and its activity log.

An account is a person who works in the workplace (``fundgov serve``): a case officer, a
board member (reading only) or an administrator, tied to the funds it serves. Its password
is an argon2 hash (none where a municipality's single sign-on vouches for it: ``subject``
is then the identity provider's name for the person). ``session_epoch`` grows when the
password changes or the account is disabled, which ends every session signed before.
``failed_logins`` and ``locked_until`` throttle guessing, on every server process alike.
``activity`` records every change made in the workplace: who, when, what, in which fund;
``workplace_settings`` keeps the key that signs session cookies (made once per register).

Nothing existing changes: the tables are new.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROLES = ("officer", "board", "admin")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("subject", sa.Text),
        sa.Column("disabled", sa.Integer, nullable=False, server_default="0"),
        sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.UniqueConstraint("username", name="accounts_username_once"),
        sa.UniqueConstraint("subject", name="accounts_subject_once"),
        sa.CheckConstraint("role IN ('officer', 'board', 'admin')", name="accounts_role"),
    )
    op.create_table(
        "account_funds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("fund", sa.Text, nullable=False),
        sa.UniqueConstraint("account", "fund", name="account_funds_once"),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("fund", sa.Text),
        sa.Column("subject", sa.Text),
        sa.Column("detail", sa.Text),
    )
    op.create_index("activity_by_fund", "activity", ["fund", "subject"])
    op.create_table(
        "workplace_settings",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:  # pragma: no cover - registers are only migrated forward
    op.drop_table("workplace_settings")
    op.drop_index("activity_by_fund", "activity")
    op.drop_table("activity")
    op.drop_table("account_funds")
    op.drop_table("accounts")
