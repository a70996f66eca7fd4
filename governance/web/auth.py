"""Who is asking: the authentication interface, local accounts behind it, the session and
its CSRF token, and the throttling of guesses.

The rest of the workplace knows only ``current_account(request)``: an ``Account`` or none.
A session is a signed cookie (Starlette's SessionMiddleware: itsdangerous, HttpOnly,
SameSite=Lax, Secure when the workplace is served over HTTPS) that holds the account's id,
its ``session_epoch`` and the session's CSRF token; the account is read again on every
request, so a disabled account or a changed password ends its sessions at once.

An ``Authenticator`` provides the login routes and starts a session with
``begin_session``. ``LocalLogin`` is the one shipped: a username and a password checked
against the register's accounts (governance.web.accounts). A municipality's single sign-on
(OpenID Connect) is another ``Authenticator``: its ``/login`` redirects to the provider,
its callback checks the ID token and calls ``begin_session`` with the account whose
``subject`` is the token's ``sub`` (accounts are still made with ``fundgov user add
--subject``: roles and funds stay the workplace's). See the README.
"""
from __future__ import annotations

import secrets
import time
from collections import deque
from threading import Lock
from typing import Protocol
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute

from governance.web.accounts import Account, Accounts

SESSION_HOURS = 8
#: guesses from one address before it must wait (beside the per-account lock of accounts.py)
ADDRESS_FAILURES = 30
ADDRESS_WINDOW_S = 15 * 60


class Authenticator(Protocol):
    """How people prove who they are: the routes of ``/login`` (and any callback)."""

    name: str

    def routes(self) -> list[BaseRoute]: ...


def begin_session(request: Request, account: Account) -> None:
    """A new session for ``account`` (nothing of an earlier session is kept: no fixation)."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({"uid": account.id, "epoch": account.session_epoch, "csrf": secrets.token_urlsafe(32),
                            "t": int(time.time())})
    if lang:
        request.session["lang"] = lang


def end_session(request: Request) -> None:
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang


def current_account(request: Request, accounts: Accounts) -> Account | None:
    """The logged-in account, or None (no session, an expired one, a disabled account, or
    one whose password changed since)."""
    session = request.session
    uid, epoch, started = session.get("uid"), session.get("epoch"), session.get("t")
    if not isinstance(uid, int) or not isinstance(epoch, int) or not isinstance(started, int):
        return None
    if time.time() - started > SESSION_HOURS * 3600:
        return None
    account = accounts.get(uid)
    if account is None or account.disabled or account.session_epoch != epoch:
        return None
    return account


# ------------------------------------------------------------------------------ CSRF

def csrf_token(request: Request) -> str:
    """The session's token, made where there is none yet (the login form has one too)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, given: object) -> None:
    """Refuse a form that does not carry the session's token, or that another site sent."""
    expected = request.session.get("csrf")
    if not isinstance(given, str) or not isinstance(expected, str) or not secrets.compare_digest(given, expected):
        raise HTTPException(403, "csrf")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        parts = urlsplit(origin)
        if f"{parts.scheme}://{parts.netloc}" != own:
            raise HTTPException(403, "csrf")
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, "csrf")


# ------------------------------------------------------------------------------ throttling

class AddressThrottle:
    """Failed logins per client address in a sliding window (one server process)."""

    def __init__(self, limit: int = ADDRESS_FAILURES, window: float = ADDRESS_WINDOW_S):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque] = {}
        self._lock = Lock()

    def _recent(self, address: str, now: float) -> deque:
        times = self._failures.setdefault(address, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address, time.monotonic())) >= self.limit

    def failed(self, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(address, now).append(now)
            if len(self._failures) > 10_000:  # bounded: forget addresses with nothing recent
                for key in [k for k, v in self._failures.items() if not v or now - v[-1] > self.window]:
                    del self._failures[key]


def safe_next(target: str | None) -> str:
    """Where to go after logging in or switching language: a path of this site, never elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target
