"""The workplace as an ASGI application (Starlette): ``create_app(config)``.

Around every page: security headers (a content security policy that allows nothing from
elsewhere, no framing), a bound on the size of a request, the signed session cookie, and
the language of the session (Swedish unless the person chose English). Errors become
pages: no session leads to the login page, a fund the account does not serve is *not
found*, a form without its CSRF token is refused, and anything unexpected is a plain error
page without details (the details go to the server's log).
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from governance.errors import PolicyError
from governance.i18n import LANGUAGES, _, use_language
from governance.web.auth import SESSION_HOURS
from governance.web.common import LoginNeeded, render
from governance.web.pages import decisions, followup, funds, login, upload
from governance.web.pages import admin, cases, meetings
from governance.web.workplace import WebConfig, Workplace, open_workplace, session_secret

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("fundgov.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; frame-src 'self'")


class Frame:
    """Security headers, the request size bound and the session's language (pure ASGI)."""

    def __init__(self, app, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await PlainTextResponse(_too_large(), status_code=413)(scope, receive, send)
        received = 0

        async def bounded_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413)
            return message

        async def with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                         (b"x-frame-options", b"SAMEORIGIN"), (b"cache-control", b"no-store")]
                names = {k.lower() for k, _v in message.get("headers", [])}
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", CSP.encode()))
                message = dict(message, headers=[*message.get("headers", []), *extra])
            await send(message)

        await self.app(scope, bounded_receive, with_headers)


def _too_large() -> str:
    return _("The request is too large: a file may be at most 4 MB.")


class Language:
    """The session's language (sv unless chosen) for everything the request says."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        lang = "sv"
        if scope["type"] == "http":
            chosen = (scope.get("session") or {}).get("lang")
            lang = chosen if chosen in LANGUAGES else "sv"
        with use_language(lang):
            await self.app(scope, receive, send)


async def _login_needed(request: Request, exc: LoginNeeded):
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def _http_error(request: Request, exc: HTTPException):
    status = exc.status_code
    words = {403: _("You may not do this: your account's role does not allow it, or the form was too old or came "
                    "from elsewhere (reload the page and try again)."),
             404: _("There is nothing here, or nothing that your account may see."),
             405: _("This address does not take that kind of request."),
             413: _too_large(), 429: _("Too many attempts: wait a while and try again.")}
    if status == 403 and exc.detail == "csrf":
        message = _("The form has expired or did not come from this workplace: reload the page and send it again.")
    else:
        message = words.get(status, _("The request could not be handled."))
    return _error_page(request, status, message)


async def _policy_error(request: Request, exc: PolicyError):
    """A fund whose policy files could not be loaded when the workplace started: its pages say
    so (the other funds' work on); the files are mended and the workplace started again."""
    return _error_page(request, 503, "; ".join(p.message for p in exc.problems))  # as the pages say a problem


async def _unexpected(request: Request, exc: Exception):
    log.exception("unexpected error on %s", request.url.path)
    return _error_page(request, 500, _("Something went wrong in the workplace; nothing was recorded by this "
                                       "request. The error is in the server's log."))


def _error_page(request: Request, status: int, message: str):
    try:
        return render(request, "error.html", {"status": status, "message": message}, status)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return PlainTextResponse(message, status_code=status)


async def _favicon(request):
    """Where a browser looks for the icon without asking the page (the pages link the SVG)."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


def create_app(config: WebConfig, authenticator=None) -> Starlette:
    """The workplace on ``config``'s register; ``authenticator`` replaces local accounts (single sign-on)."""
    place: Workplace = open_workplace(config)
    authenticator = authenticator or login.LocalLogin()

    @asynccontextmanager
    async def lifespan(app):
        yield
        place.close()

    routes = [*login.routes(authenticator), *cases.routes(), *meetings.routes(), *decisions.routes(), *upload.routes(), *funds.routes(),
              *followup.routes(), *admin.routes(), Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
              Route("/favicon.ico", _favicon)]
    middleware = [
        Middleware(Frame, max_body=config.max_body),
        Middleware(SessionMiddleware, secret_key=session_secret(place.register), session_cookie="fundgov_session",
                   max_age=SESSION_HOURS * 3600, same_site="lax", https_only=config.https),
        Middleware(Language),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={LoginNeeded: _login_needed, HTTPException: _http_error,
                                        PolicyError: _policy_error, Exception: _unexpected})
    app.state.workplace = place
    return app
