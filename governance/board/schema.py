"""The register's tables as they are at the newest migration (SQLAlchemy Core).

The migrations in ``governance/board/migrations/versions/`` build exactly these tables;
``tests/test_register.py`` compares the two on SQLite and PostgreSQL. A new table (cases,
meetings, accounts) is added here and in a new revision file, never by changing an
applied revision.

Money is whole kronor (``BigInteger``); dates are ISO text (``YYYY-MM-DD``), times ISO
text to the second; JSON is text. The invariants the register promises are kept by the
database where a constraint can say them, and by ``register.py`` inside the same
transaction where it cannot:

* a report is recorded once per project: unique by content hash and by (kind, period);
* a repayment is due once per report and committee: unique (report, committee);
* the repayments of a project never exceed its cap: ``projects.due_sek <= cap_sek``;
* repaid never exceeds due: ``instalments.paid_sek <= amount_sek``.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, CheckConstraint, Column, ForeignKey, Index, Integer, MetaData, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

snapshots = Table(
    "snapshots", metadata,
    Column("sha256", Text, primary_key=True),
    Column("files", Text, nullable=False),  # JSON: path -> content of every rule and policy file
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", Text, nullable=False),
    Column("file", Text),
    Column("proposal", Text, nullable=False),
    Column("fund", Text, nullable=False),
    Column("input_sha256", Text, nullable=False),
    Column("input", Text, nullable=False),  # the file's bytes as UTF-8 text, line endings as they were
    Column("policy_version", Text, nullable=False),
    Column("snapshot", Text, ForeignKey("snapshots.sha256"), nullable=False),
    Column("engine_version", Text, nullable=False),
    Column("decision_date", Text, nullable=False),
    Column("lang", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("findings", Text, nullable=False),  # JSON, as fundgov check --format json writes them
    Column("fund_grant_sek", BigInteger),
    Column("grants", Text),  # JSON: budget year -> fund grant of that year (absent in schema-1 rows)
)
Index("decisions_by_fund", decisions.c.fund, decisions.c.proposal)

followups = Table(
    "followups", metadata,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", Text, nullable=False),
    Column("proposal", Text, nullable=False),
    Column("fund", Text, nullable=False),
    Column("input_sha256", Text, nullable=False),
    Column("inputs", Text, nullable=False),  # JSON: the proposal and reports, name -> content
    Column("judged_on", Text, nullable=False),
    Column("result", Text, nullable=False),
)

projects = Table(
    "projects", metadata,
    Column("id", Integer, primary_key=True),
    Column("fund", Text, nullable=False),
    Column("proposal", Text, nullable=False),
    Column("input", Text),  # the latest proposal text the register was given for it
    Column("grant_sek", BigInteger),
    Column("cap_sek", BigInteger),  # repayment.cap_share × the fund grant, whole kronor down
    Column("due_sek", BigInteger, nullable=False, server_default="0"),  # sum of repayments.amount_sek
    UniqueConstraint("fund", "proposal", name="projects_once"),
    CheckConstraint("due_sek >= 0 AND (cap_sek IS NULL OR due_sek <= cap_sek)", name="projects_due_within_cap"),
)

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("project", Integer, ForeignKey("projects.id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("period", Integer, nullable=False),
    Column("submitted", Text, nullable=False),
    Column("file", Text),
    Column("sha256", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
    Column("followup", Integer, ForeignKey("followups.id")),
    UniqueConstraint("project", "sha256", name="reports_once_by_content"),
    UniqueConstraint("project", "kind", "period", name="reports_once_by_period"),
)

repayments = Table(
    "repayments", metadata,
    Column("id", Integer, primary_key=True),
    Column("project", Integer, ForeignKey("projects.id"), nullable=False),
    Column("report", Integer, ForeignKey("reports.id"), nullable=False),
    Column("committee", Text, nullable=False),
    Column("amount_sek", BigInteger, nullable=False),
    Column("uncapped_sek", BigInteger, nullable=False),  # what the committee would owe without the cap
    Column("recorded_at", Text, nullable=False),
    Column("followup", Integer, ForeignKey("followups.id")),
    UniqueConstraint("report", "committee", name="repayments_once_per_report_and_committee"),
    CheckConstraint("amount_sek > 0 AND amount_sek <= uncapped_sek", name="repayments_amount"),
)

instalments = Table(
    "instalments", metadata,
    Column("id", Integer, primary_key=True),
    Column("repayment", Integer, ForeignKey("repayments.id"), nullable=False),
    Column("budget_year", Integer, nullable=False),
    Column("amount_sek", BigInteger, nullable=False),
    Column("paid_sek", BigInteger, nullable=False, server_default="0"),
    UniqueConstraint("repayment", "budget_year", name="instalments_once_per_year"),
    CheckConstraint("amount_sek >= 0 AND paid_sek >= 0 AND paid_sek <= amount_sek", name="instalments_paid_within_due"),
)

payments = Table(
    "payments", metadata,
    Column("id", Integer, primary_key=True),
    Column("instalment", Integer, ForeignKey("instalments.id"), nullable=False),
    Column("paid_on", Text, nullable=False),
    Column("amount_sek", BigInteger, nullable=False),
    Column("recorded_at", Text, nullable=False),
    CheckConstraint("amount_sek > 0", name="payments_positive"),
)

# The repayment rows of schema 1, kept as they were (they were summed over every recorded
# follow-up, so they are not read: the migration converted the latest follow-up's rows).
repayments_v1 = Table(
    "repayments_v1", metadata,
    Column("id", Integer, primary_key=True),
    Column("followup", Integer, ForeignKey("followups.id"), nullable=False),
    Column("fund", Text, nullable=False),
    Column("proposal", Text, nullable=False),
    Column("committee", Text, nullable=False),
    Column("budget_year", Integer, nullable=False),
    Column("amount_sek", Integer, nullable=False),
    Column("paid_sek", Integer, nullable=False, server_default="0"),
)

# The web workplace (governance.web): accounts with a role, the funds each serves, and the
# log of every change made in the workplace (who, when, what). Revision 0004.
ACCOUNT_ROLES = ("officer", "board", "admin")

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("password_hash", Text),  # argon2; none for an account a single sign-on vouches for
    Column("subject", Text),  # the identity provider's name for the person (OIDC "sub")
    Column("disabled", Integer, nullable=False, server_default="0"),
    Column("session_epoch", Integer, nullable=False, server_default="0"),  # grows: earlier sessions end
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", Text),
    Column("created_at", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    UniqueConstraint("username", name="accounts_username_once"),
    UniqueConstraint("subject", name="accounts_subject_once"),
    CheckConstraint("role IN ('officer', 'board', 'admin')", name="accounts_role"),
)

account_funds = Table(
    "account_funds", metadata,
    Column("id", Integer, primary_key=True),
    Column("account", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("fund", Text, nullable=False),
    UniqueConstraint("account", "fund", name="account_funds_once"),
)

activity = Table(
    "activity", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("fund", Text),
    Column("subject", Text),
    Column("detail", Text),
)
Index("activity_by_fund", activity.c.fund, activity.c.subject)

workplace_settings = Table(
    "workplace_settings", metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),  # the key that signs session cookies, made once per register
)
