"""One database layer, two engines: the register on SQLite (embedded) or PostgreSQL.

``open_database(target)`` takes a file path (SQLite) or a URL
(``postgresql+psycopg://user@host/db``, ``sqlite:///path``) and returns a ``Database``
whose schema is at the newest Alembic revision: a new database is created at once from
``schema.py`` and stamped at the newest revision (Alembic's own recipe for a new database;
``tests/test_register.py`` holds the tables made so to the tables the migrations make, on
both engines), an older one is migrated forward (a register of schema 1, made before
Alembic, is recognised by ``PRAGMA user_version = 1`` and migrated keeping its rows), a
newer one is refused.

Writes are transactions that wait their turn: on SQLite ``BEGIN IMMEDIATE`` in WAL mode
with a busy timeout, on PostgreSQL a transaction-scoped advisory lock, so that the
register's checks (a report once, the cap, repaid within due) read what no one else is
changing. A killed writer loses only its own unfinished transaction. Reads take no lock.
Every database error leaves here as a ``RegisterError`` that names the register.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from governance.board.target import is_url
from governance.errors import FundgovError, Problem
from governance.i18n import _

HEAD = "0004"  # the newest revision in migrations/versions
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_1 = 1  # PRAGMA user_version of a register made before Alembic
ALEMBIC_USER_VERSION = 2  # set on SQLite files Alembic manages: fundgov 0.1 refuses them as newer
WRITE_LOCK = 7_105_042  # PostgreSQL advisory lock key of the register's writers
BUSY_TIMEOUT_MS = 30_000

#: (table, the name create_all gets, the name the migrations left) of PostgreSQL's unnamed
#: constraints, renamed in that order (tests/test_register.py compares every name)
PG_MIGRATED_NAMES = (("repayments", "repayments_followup_fkey", "repayments_followup_fkey1"),
                     ("repayments_v1", "repayments_v1_followup_fkey", "repayments_followup_fkey"),
                     ("repayments_v1", "repayments_v1_check", "repayments_check"))

#: Alembic's table of the revision a database is at, as Alembic itself makes it
ALEMBIC_VERSION = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


class RegisterError(FundgovError):
    """The register cannot be opened, read or written, or does not hold what was asked for."""


def describe(target: str | Path) -> str:
    """The register as a person names it: the file, or the URL without its password."""
    if not is_url(target):
        return str(target)
    try:
        return make_url(str(target)).render_as_string(hide_password=True)
    except ArgumentError:
        return str(target)


class Database:
    """An engine with the register's transaction rules and error translation."""

    def __init__(self, engine: Engine, name: str, path: Path | None):
        self.engine = engine
        self.name = name
        self.path = path  # the SQLite file, or None on a server
        self.dialect = engine.dialect.name

    def problem(self, message: str, hint: str | None = None) -> Problem:
        return Problem(message, self.name, hint=hint)

    def error(self, exc: BaseException) -> RegisterError:
        """A database error as a placed, plain message."""
        orig = getattr(exc, "orig", None) or exc
        if isinstance(orig, UnicodeDecodeError):  # sqlite3 could not even decode its own message (a damaged schema)
            detail = orig.object.decode("utf-8", errors="replace") if isinstance(orig.object, bytes) else str(orig)
        else:
            detail = str(orig)
        detail = (detail.strip().splitlines() or [type(exc).__name__])[0]
        low = detail.lower()
        if "readonly" in low or "read-only" in low or "read only" in low:
            return RegisterError(self.problem(_("the register cannot be written: the file is read-only or "
                                                "immutable"), _("check its permissions with chmod u+w or chattr -i")))
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return RegisterError(self.problem(_("the register is damaged: {detail}").format(detail=detail),
                                              _("restore it from a backup")))
        if "no such table" in low or "does not exist" in low and "relation" in low:
            return RegisterError(self.problem(_("the register is damaged: a table is missing ({detail})").format(
                detail=detail), _("restore it from a backup")))
        if "unable to open" in low:
            return RegisterError(self.problem(_("cannot open the register: {detail}").format(detail=detail)))
        return RegisterError(self.problem(_("the register failed: {detail}").format(detail=detail)))

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction: it waits for other writers, commits at the end or rolls back."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(fundgov_write=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                    yield conn
        except (SQLAlchemyError, UnicodeDecodeError) as exc:
            raise self.error(exc) from None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction (one consistent view)."""
        try:
            with self.engine.connect() as conn:
                with conn.begin():
                    yield conn
        except (SQLAlchemyError, UnicodeDecodeError) as exc:
            raise self.error(exc) from None

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------------------- schema

    def revision(self, conn: Connection) -> str | None:
        names = set(inspect(conn).get_table_names())
        if "alembic_version" in names:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if self.dialect == "sqlite":
            version = conn.execute(text("PRAGMA user_version")).scalar()
            if version == SCHEMA_1 and "decisions" in names:
                return "schema-1"
            if version and version > SCHEMA_1:
                return f"user_version {version}"
        return None if not names else "unknown"

    def migrate(self) -> None:
        """Bring the schema to ``HEAD`` (only where it is not there: opening stays cheap)."""
        with self.reading() as conn:
            current = self.revision(conn)
        if current == HEAD:
            return
        self._refuse_unknown(current)
        with self.writing() as conn:
            current = self.revision(conn)  # another process may have migrated meanwhile
            if current == HEAD:
                return
            self._refuse_unknown(current)
            self._upgrade(conn, current)

    def _refuse_unknown(self, current: str | None) -> None:
        if current in (None, "schema-1") or current in known_revisions():
            return
        if current == "unknown":
            raise RegisterError(self.problem(_("this database holds tables that are not a fundgov register"),
                                             _("name an empty database or a register")))
        raise RegisterError(self.problem(
            _("the register has schema version {found}, newer than this fundgov knows ({head})").format(
                found=current, head=HEAD), _("upgrade fundgov")))

    def _upgrade(self, conn: Connection, current: str | None) -> None:
        if current is None:
            self._create(conn)
        else:
            self._migrate(conn, current)
        if self.dialect == "sqlite":
            conn.exec_driver_sql(f"PRAGMA user_version = {ALEMBIC_USER_VERSION}")

    def _create(self, conn: Connection) -> None:
        """An empty database gets the newest schema at once, stamped at ``HEAD``: what the
        migrations would make, without running them one by one (nor importing Alembic). A
        revision that adds rows (not only tables) must add them here too: the test compares
        the rows as well."""
        from governance.board.schema import metadata

        metadata.create_all(conn)
        if self.dialect == "postgresql":
            # the names PostgreSQL gave these unnamed constraints where the migrations made them
            # (repayments was renamed repayments_v1 in 0002, keeping its constraints' names), so
            # that a later migration finds the same names in every register
            for table, made, migrated in PG_MIGRATED_NAMES:
                conn.exec_driver_sql(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{made}" TO "{migrated}"')
        ALEMBIC_VERSION.create(conn)
        conn.execute(ALEMBIC_VERSION.insert().values(version_num=HEAD))

    def _migrate(self, conn: Connection, current: str | None) -> None:
        """Alembic's migrations from ``current`` (a register made before Alembic: from 0001;
        None: all of them, as the tests compare with ``_create``)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        if current == "schema-1":
            command.stamp(config, "0001")
        command.upgrade(config, "head")


def known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {r.revision for r in ScriptDirectory.from_config(config).walk_revisions()}


def open_database(target: str | Path, create: bool = True) -> Database:
    """The register at ``target`` (a path or a URL), migrated to the newest schema.

    With ``create=False`` a SQLite file that does not exist is an error (reading commands)."""
    name = describe(target)
    if is_url(target):
        try:
            url = make_url(str(target))
        except ArgumentError:
            raise RegisterError(Problem(_("not a database URL: {url}").format(url=name), hint=_(
                "write postgresql+psycopg://user@host/database or a file path"))) from None
        if url.get_backend_name() == "sqlite":
            return open_database(url.database or "", create)
        if url.get_backend_name() != "postgresql":
            raise RegisterError(Problem(_("the register runs on SQLite or PostgreSQL, not {kind}").format(
                kind=url.get_backend_name()), name))
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        try:
            engine = create_engine(url, pool_pre_ping=False)
        except (ArgumentError, ImportError) as exc:
            raise RegisterError(Problem(_("cannot use {url}: {detail}").format(url=name, detail=exc))) from None
        db = Database(engine, name, None)
    else:
        path = Path(target)
        if path.is_dir():
            raise RegisterError(Problem(_("this is a folder, not a register file"), name))
        if not path.parent.is_dir() and str(path.parent) not in ("", "."):
            raise RegisterError(Problem(_("the folder {folder} does not exist").format(folder=path.parent), name,
                                        hint=_("create it, or name a register in an existing folder")))
        if not create and not path.exists():
            raise RegisterError(Problem(_("no register here"), name,
                                        hint=_("record decisions with fundgov check --record")))
        db = Database(_sqlite_engine(path), name, path)
    try:
        db.migrate()
    except BaseException:
        db.close()
        raise
    return db


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi, _record) -> None:
        dbapi.isolation_level = None  # transactions are ours (BEGIN below), not pysqlite's
        cursor = dbapi.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()
        if mode and str(mode[0]).lower() != "wal":
            try:
                cursor.execute("PRAGMA journal_mode = WAL")  # persistent in the file; needs it writable
            except Exception:  # noqa: BLE001 - a read-only file is read as it is; writing reports it
                pass
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("fundgov_write") else "BEGIN")

    return engine
