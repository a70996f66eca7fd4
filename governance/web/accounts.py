"""The workplace's accounts: who may log in, in which role, for which funds; and the log of
every change made in the workplace.

An account has a role (``officer``: a case officer, who prepares and records; ``board``: a
board member, who reads; ``admin``: an administrator, who also manages accounts) and the
funds it serves. Passwords are argon2 hashes (argon2-cffi, its default parameters). Logging
in is throttled per account in the register, so every server process sees the same count:
after ``MAX_FAILURES`` wrong passwords in a row the account is locked for ``LOCK_MINUTES``
(a right password does not open it early). Changing a password or disabling an account
ends every session made before (``session_epoch``).
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from governance.board import schema as t
from governance.board.database import Database
from governance.errors import FundgovError, Problem
from governance.i18n import N_, _
from governance.terminal import is_blank, unsafe_character

ROLES = t.ACCOUNT_ROLES
ROLE_WORDS = {"officer": N_("case officer"), "board": N_("board member (read only)"), "admin": N_("administrator")}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_hasher = PasswordHasher()
#: verified against when the username is unknown, so that a wrong name takes as long as a wrong password
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(FundgovError):
    """An account action that cannot be done (nothing was changed)."""


class LoginRefused(FundgovError):
    """A login that did not succeed; ``reason`` is ``wrong``, ``locked`` or ``disabled``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    funds: frozenset[str]
    disabled: bool
    session_epoch: int
    subject: str | None = None

    @property
    def can_change(self) -> bool:
        """Case officers and administrators record; board members read."""
        return self.role in ("officer", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def role_word(role: str) -> str:
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)  # the edge's clock: when an account changed


def _check_text(value: str, what: str, limit: int = 200) -> str:
    value = (value or "").strip()
    if is_blank(value) or len(value) > limit or any(unsafe_character(c) for c in value):
        raise AccountError(_("{what} must be one line of at most {limit} characters").format(what=what, limit=limit))
    return value


def check_username(name: str) -> str:
    name = _check_text(name, _("the username"), 64)
    if not all(c.isalnum() or c in "._-@" for c in name):
        raise AccountError(_("a username holds letters, digits and . _ - @ only, not '{name}'").format(name=name))
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(_("a password has at least {n} characters").format(n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise AccountError(_("a password has at most {n} characters").format(n=MAX_PASSWORD))
    return password


def generate_password() -> str:
    """A password of 20 letters and digits, easy to type and hard to guess (about 119 bits)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(20))


class Accounts:
    """The accounts of the register at ``db`` (governance.board.database)."""

    def __init__(self, db: Database):
        self.db = db

    # ------------------------------------------------------------------------------ reading

    def _funds(self, conn, account_ids: Iterable[int]) -> dict[int, set[str]]:
        f = t.account_funds.c
        out: dict[int, set[str]] = {}
        ids = list(account_ids)
        if not ids:
            return out
        for account, fund in conn.execute(select(f.account, f.fund).where(f.account.in_(ids))):
            out.setdefault(account, set()).add(fund)
        return out

    def _account(self, row, funds: set[str]) -> Account:
        return Account(row.id, row.username, row.display_name, row.role, frozenset(funds), bool(row.disabled),
                       row.session_epoch, row.subject)

    def get(self, account_id: int) -> Account | None:
        with self.db.reading() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.id == account_id)).first()
            if row is None:
                return None
            return self._account(row, self._funds(conn, [row.id]).get(row.id, set()))

    def by_username(self, username: str) -> Account | None:
        with self.db.reading() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
            if row is None:
                return None
            return self._account(row, self._funds(conn, [row.id]).get(row.id, set()))

    def by_subject(self, subject: str) -> Account | None:
        """The account a single sign-on's subject (OIDC ``sub``) belongs to."""
        with self.db.reading() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.subject == subject)).first()
            if row is None:
                return None
            return self._account(row, self._funds(conn, [row.id]).get(row.id, set()))

    def list(self) -> list[Account]:
        with self.db.reading() as conn:
            rows = conn.execute(select(t.accounts).order_by(t.accounts.c.username)).fetchall()
            funds = self._funds(conn, [r.id for r in rows])
        return [self._account(r, funds.get(r.id, set())) for r in rows]

    def count(self) -> int:
        return len(self.list())

    # ------------------------------------------------------------------------------ changing

    def add(self, username: str, display_name: str, role: str, funds: Iterable[str], by: str,
            password: str | None = None, subject: str | None = None, known_funds: Iterable[str] | None = None
            ) -> Account:
        """A new account; ``password`` (local accounts) or ``subject`` (single sign-on) or both."""
        username = check_username(username)
        display_name = _check_text(display_name or username, _("the name"))
        if role not in ROLES:
            raise AccountError(_("unknown role '{role}'; the roles are: {roles}").format(role=role,
                                                                                        roles=", ".join(ROLES)))
        funds = sorted(set(funds))
        if not funds:
            raise AccountError(_("an account serves at least one fund (--fund)"))
        if known_funds is not None:
            unknown = [f for f in funds if f not in set(known_funds)]
            if unknown:
                raise AccountError(_("unknown fund '{fund}'; the funds are: {funds}").format(
                    fund=unknown[0], funds=", ".join(sorted(known_funds))))
        if password is None and subject is None:
            raise AccountError(_("an account needs a password, or a single sign-on subject"))
        digest = _hasher.hash(check_password(password)) if password is not None else None
        if subject is not None:
            subject = _check_text(subject, _("the single sign-on subject"), 255)
        try:
            with self.db.writing() as conn:
                if conn.execute(select(t.accounts.c.id).where(t.accounts.c.username == username)).first():
                    raise AccountError(_("there is already an account '{name}'").format(name=username))
                account = conn.execute(insert(t.accounts).values(
                    username=username, display_name=display_name, role=role, password_hash=digest, subject=subject,
                    disabled=0, session_epoch=0, failed_logins=0, created_at=_now().isoformat(),
                    created_by=by)).inserted_primary_key[0]
                for fund in funds:
                    conn.execute(insert(t.account_funds).values(account=account, fund=fund))
                log(conn, by, "account.add", None, username, f"{role}: {', '.join(funds)}")
        except IntegrityError:  # pragma: no cover - the check above runs in the same write transaction
            raise AccountError(_("there is already an account '{name}'").format(name=username)) from None
        return self.get(account)

    def _require(self, conn, username: str):
        row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
        if row is None:
            raise AccountError(_("there is no account '{name}'").format(name=username))
        return row

    def set_password(self, username: str, password: str, by: str) -> None:
        """A new password; every session of the account ends, and a lock is lifted."""
        digest = _hasher.hash(check_password(password))
        with self.db.writing() as conn:
            row = self._require(conn, username)
            conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(
                password_hash=digest, session_epoch=row.session_epoch + 1, failed_logins=0, locked_until=None))
            log(conn, by, "account.password", None, username, None)

    def set_disabled(self, username: str, disabled: bool, by: str) -> None:
        """Disable an account (its sessions end at once) or enable it again."""
        with self.db.writing() as conn:
            row = self._require(conn, username)
            conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(
                disabled=1 if disabled else 0, session_epoch=row.session_epoch + 1, failed_logins=0,
                locked_until=None))
            log(conn, by, "account.disable" if disabled else "account.enable", None, username, None)

    def end_sessions(self, account_id: int) -> None:
        """Every session of the account ends (logging out: a signed cookie copied before cannot
        be used again, on this device or another)."""
        with self.db.writing() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.id == account_id)).first()
            if row is None:
                return
            conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(
                session_epoch=row.session_epoch + 1))
            log(conn, row.username, "account.logout", None, row.username, None)

    def set_funds(self, username: str, funds: Iterable[str], by: str) -> None:
        funds = sorted(set(funds))
        if not funds:
            raise AccountError(_("an account serves at least one fund (--fund)"))
        with self.db.writing() as conn:
            row = self._require(conn, username)
            conn.execute(delete(t.account_funds).where(t.account_funds.c.account == row.id))
            for fund in funds:
                conn.execute(insert(t.account_funds).values(account=row.id, fund=fund))
            conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(
                session_epoch=row.session_epoch + 1))
            log(conn, by, "account.funds", None, username, ", ".join(funds))

    # ------------------------------------------------------------------------------ logging in

    def login(self, username: str, password: str, now: dt.datetime | None = None) -> Account:
        """The account whose password this is; else ``LoginRefused`` (the same message for an
        unknown name and a wrong password, so that names cannot be found by trying)."""
        now = now or _now()
        wrong = LoginRefused("wrong", _("the username or the password is wrong"))
        if not isinstance(password, str) or len(password) > MAX_PASSWORD or not username or len(username) > 64:
            raise wrong
        with self.db.reading() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.username == username)).first()
        if row is None or row.password_hash is None:
            _verify(_DUMMY, password)
            raise wrong
        if row.locked_until and now.isoformat() < row.locked_until:
            raise LoginRefused("locked", _("too many wrong passwords: the account is locked until {time}").format(
                time=row.locked_until[11:16]))
        ok = _verify(row.password_hash, password)
        with self.db.writing() as conn:
            current = conn.execute(select(t.accounts.c.failed_logins).where(t.accounts.c.id == row.id)).scalar() or 0
            if not ok:
                failures = current + 1
                values = {"failed_logins": failures}
                if failures >= MAX_FAILURES:
                    values = {"failed_logins": 0,
                              "locked_until": (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat()}
                    log(conn, "-", "login.locked", None, username, None)
                conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(**values))
            else:
                conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(failed_logins=0,
                                                                                        locked_until=None))
                if _hasher.check_needs_rehash(row.password_hash):
                    conn.execute(update(t.accounts).where(t.accounts.c.id == row.id).values(
                        password_hash=_hasher.hash(password)))
        if not ok:
            raise wrong
        if row.disabled:
            raise LoginRefused("disabled", _("this account is disabled: ask an administrator"))
        return self.get(row.id)


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# ------------------------------------------------------------------------------ the activity log

def log(conn, actor: str, action: str, fund: str | None, subject: str | None, detail: str | None) -> None:
    """One change made in the workplace, in the caller's write transaction: who, when, what."""
    conn.execute(insert(t.activity).values(at=_now().isoformat(), actor=actor, action=action, fund=fund,
                                           subject=subject, detail=detail))


def record(db: Database, actor: str, action: str, fund: str | None, subject: str | None,
           detail: str | None = None) -> None:
    with db.writing() as conn:
        log(conn, actor, action, fund, subject, detail)


def activity(db: Database, funds: Iterable[str] | None = None, subject: str | None = None,
             limit: int = 200) -> list[dict]:
    """The latest changes (in the given funds; about one subject), newest first."""
    a = t.activity.c
    query = select(t.activity).order_by(a.id.desc()).limit(limit)
    if funds is not None:
        query = query.where(a.fund.in_(list(funds)))
    if subject is not None:
        query = query.where(a.subject == subject)
    with db.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


__all__ = ["Account", "Accounts", "AccountError", "LoginRefused", "ROLES", "role_word", "generate_password", "log",
           "record", "activity", "Problem"]
