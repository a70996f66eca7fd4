"""The register's tables as they are at the newest migration (SQLAlchemy Core).

A new register is made from these tables at once (and stamped at the newest revision); the
migrations in ``governance/board/migrations/versions/`` bring an older one to exactly these
tables: ``tests/test_register.py`` compares the two, column by column and constraint by
constraint (names too: database.PG_MIGRATED_NAMES gives a new PostgreSQL register the names
the migrations left), row by row, on SQLite and PostgreSQL. A new table (cases,
meetings, accounts) is added here and in a new revision file, never by changing an
applied revision.

Money is whole kronor (``BigInteger``); dates are ISO text (``YYYY-MM-DD``), times ISO
text to the second; JSON is text. The invariants the register promises are kept by the
database where a constraint can say them, and by ``register.py`` inside the same
transaction where it cannot:

* a report is recorded once per project: unique by content hash and by (kind, period);
* a repayment is due once per report and committee: unique (report, committee);
* the repayments of a project never exceed its cap: ``projects.due_sek <= cap_sek``;
* repaid never exceeds due: ``instalments.paid_sek <= amount_sek``;
* a case's diarienummer is never given twice, nor its serial within the fund and year
  reused: ``diarium_serials`` counts them, and ``cases`` is unique by (fund, year, serial)
  and by (fund, diarienummer); a proposal is one case per fund;
* a § is given once per body and year: ``agenda_items`` unique by (body, year, paragraph);
* a condition is met with its day, evidence and who recorded it, or not at all.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, MetaData, Table,
                        Text, UniqueConstraint)

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
    CheckConstraint("paid_sek >= 0 AND paid_sek <= amount_sek"),
)


# ------------------------------------------------------------------ cases and meetings (0003)

#: the states of a case (governance.board.cases holds the transitions between them)
CASE_STATES = ("received", "in_preparation", "completion_requested", "proposed", "decided", "running", "closed",
               "withdrawn")
#: what a board may decide on an agenda item: the three outcomes of an application, or to
#: send the case back to the administration (återremiss)
BOARD_OUTCOMES = ("approved", "approved_with_conditions", "rejected", "returned")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


diarium_serials = Table(
    "diarium_serials", metadata,
    Column("fund", Text, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_serial", Integer, nullable=False),  # the last serial given: never given again
    CheckConstraint("last_serial > 0", name="diarium_serials_positive"),
)

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True),
    Column("fund", Text, nullable=False),
    Column("proposal", Text, nullable=False),
    Column("title", Text, nullable=False),  # the latest version's title
    Column("diarienummer", Text, nullable=False),
    Column("year", Integer, nullable=False),  # of registration: the diarienummer's year
    Column("serial", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("outcome", Text),  # the board's decision, once decided
    Column("opened_on", Text, nullable=False),
    Column("completion_deadline", Text),  # while completion is requested
    Column("lang", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
    UniqueConstraint("fund", "year", "serial", name="cases_serial_once"),
    UniqueConstraint("fund", "diarienummer", name="cases_diarienummer_once"),
    UniqueConstraint("fund", "proposal", name="cases_once_per_proposal"),
    CheckConstraint(_one_of("state", CASE_STATES), name="cases_state"),
    CheckConstraint("serial > 0", name="cases_serial_positive"),
)

case_versions = Table(
    "case_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("received_on", Text, nullable=False),
    Column("file", Text),
    # the engine's assessment of this version: its input bytes, snapshot and findings
    Column("decision", Integer, ForeignKey("decisions.id"), nullable=False),
    Column("assessment", Text, nullable=False),  # JSON: language -> the decision as fundgov check --format json
    Column("recorded_at", Text, nullable=False),
    UniqueConstraint("case_id", "version", name="case_versions_once"),
    UniqueConstraint("decision", name="case_versions_one_decision"),
)

case_events = Table(
    "case_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", Text, nullable=False),  # state | version | agenda | condition_met
    Column("on_day", Text, nullable=False),
    Column("from_state", Text),
    Column("to_state", Text, nullable=False),
    Column("actor", Text, nullable=False),  # who did it
    Column("reason", Text),
    Column("version", Integer),
    Column("recorded_at", Text, nullable=False),
    UniqueConstraint("case_id", "seq", name="case_events_in_order"),
)

meetings = Table(
    "meetings", metadata,
    Column("id", Integer, primary_key=True),
    Column("fund", Text, nullable=False),
    Column("body", Text, nullable=False),  # the body's id (case.yaml): §§ are numbered per body and year
    Column("date", Text, nullable=False),
    Column("place", Text),
    Column("adjusted_on", Text),  # the day the protocol was adjusted (justerat)
    Column("adjuster", Text),  # who adjusted it beside the chair (justerare)
    Column("created_by", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
    UniqueConstraint("body", "date", name="meetings_once_per_body_and_day"),
    CheckConstraint("(adjusted_on IS NULL) = (adjuster IS NULL)", name="meetings_adjusted_by_someone"),
)

agenda_items = Table(
    "agenda_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting", Integer, ForeignKey("meetings.id"), nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("version", Integer, nullable=False),  # the case version the officer's report proposes on
    Column("proposed_outcome", Text, nullable=False),
    Column("added_on", Text, nullable=False),
    Column("added_by", Text, nullable=False),
    Column("body", Text, nullable=False),  # the meeting's body and year, for the § numbering
    Column("year", Integer, nullable=False),
    Column("state", Text, nullable=False, server_default="pending"),  # pending | decided | withdrawn
    Column("paragraph", Integer),
    Column("decided_outcome", Text),
    Column("wording", Text),  # what the board decided, in its own words ("bevilja …")
    Column("reasons", Text),  # the board's reasons where it did not follow the proposal
    Column("follows_proposal", Boolean),
    Column("decided_by", Text),
    Column("recorded_at", Text, nullable=False),
    UniqueConstraint("meeting", "case_id", name="agenda_items_once_per_meeting"),
    UniqueConstraint("meeting", "position", name="agenda_items_in_order"),
    UniqueConstraint("body", "year", "paragraph", name="agenda_items_paragraph_once"),
    CheckConstraint(_one_of("state", ("pending", "decided", "withdrawn")), name="agenda_items_state"),
    CheckConstraint("state <> 'decided' OR (paragraph IS NOT NULL AND decided_outcome IS NOT NULL AND wording IS "
                    "NOT NULL)", name="agenda_items_decided"),
    CheckConstraint("decided_outcome IS NULL OR " + _one_of("decided_outcome", BOARD_OUTCOMES),
                    name="agenda_items_outcome"),
    CheckConstraint("paragraph IS NULL OR paragraph > 0", name="agenda_items_paragraph_positive"),
)

conditions = Table(
    "conditions", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("number", Integer, nullable=False),  # 1, 2, … within the case, as the decision lists them
    Column("item", Integer, ForeignKey("agenda_items.id"), nullable=False),  # the decision that set it
    Column("clause", Text),  # the guideline clause, or none for a condition the board set itself
    Column("rule", Text),
    Column("text", Text, nullable=False),  # what is to be done
    Column("due", Text),  # by when; none: before the first payment
    Column("met_on", Text),
    Column("evidence", Text),
    Column("met_by", Text),
    Column("recorded_at", Text, nullable=False),
    UniqueConstraint("case_id", "number", name="conditions_once"),
    CheckConstraint("(met_on IS NULL AND evidence IS NULL AND met_by IS NULL) OR "
                    "(met_on IS NOT NULL AND evidence IS NOT NULL AND met_by IS NOT NULL)",
                    name="conditions_met_with_evidence"),
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
