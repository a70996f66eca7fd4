"""Who may see and do what: the one place where the workplace decides it.

Every page asks ``Access`` for the funds it may show and checks each fund, case or decision
it is given against them before reading anything else about it. A fund the account does not
serve is answered as *not found*, the same as a fund that does not exist, so that nobody
learns another fund's case numbers by trying them. Board members read; case officers and
administrators record; administrators manage accounts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, TypeVar

from starlette.exceptions import HTTPException

from governance.web.accounts import Account

T = TypeVar("T")


@dataclass(frozen=True)
class Access:
    account: Account

    @property
    def funds(self) -> frozenset[str]:
        return self.account.funds

    @property
    def can_change(self) -> bool:
        return self.account.can_change and not self.account.disabled

    @property
    def person(self) -> str:
        """Who acts, as the register's case events and the papers made from them name a person:
        the account's name (its username where it has none). The activity log keeps the username."""
        return self.account.display_name.strip() or self.account.username

    @property
    def is_admin(self) -> bool:
        return self.account.is_admin and not self.account.disabled

    def fund(self, fund: str | None) -> str:
        """``fund`` where the account serves it; otherwise not found."""
        if fund is None or fund not in self.funds:
            raise HTTPException(404)
        return fund

    def record(self, record: T | None, key: str = "fund") -> T:
        """A record (a decision, case, meeting …: a mapping with a fund) the account may see."""
        if record is None:
            raise HTTPException(404)
        fund = record.get(key) if isinstance(record, dict) else getattr(record, key, None)
        self.fund(fund)
        return record

    def only(self, records: Iterable[dict[str, Any]], key: str = "fund") -> list[dict[str, Any]]:
        """The records of the funds the account serves."""
        return [r for r in records if r.get(key) in self.funds]

    def chosen(self, fund: str | None) -> list[str]:
        """The funds a list is about: the one asked for (where served), else all served."""
        if fund:
            return [self.fund(fund)]
        return sorted(self.funds)

    def change(self) -> None:
        """Refuse a board member's (or a disabled account's) attempt to record anything."""
        if not self.can_change:
            raise HTTPException(403)

    def admin(self) -> None:
        if not self.is_admin:
            raise HTTPException(403)
