"""Logging in with a local account, logging out, and choosing the language."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from governance.i18n import LANGUAGES, _
from governance.web.accounts import LoginRefused
from governance.web.auth import AddressThrottle, begin_session, current_account, end_session, safe_next
from governance.web.common import blocking, flash, form, redirect, render, workplace


class LocalLogin:
    """The shipped ``Authenticator``: username and password against the register's accounts."""

    name = "local"

    def __init__(self) -> None:
        self.throttle = AddressThrottle()

    def routes(self) -> list[Route]:
        return [Route("/login", self.page, methods=["GET"]), Route("/login", self.submit, methods=["POST"])]

    async def page(self, request: Request):
        return render(request, "login.html", {"next": safe_next(request.query_params.get("next")), "error": None,
                                              "username": ""})

    async def submit(self, request: Request):
        data = await form(request)
        username = str(data.get("username") or "").strip()
        password = str(data.get("password") or "")
        target = safe_next(str(data.get("next") or "/"))
        address = request.client.host if request.client else "-"
        if self.throttle.blocked(address):
            return render(request, "login.html", {"next": target, "username": username, "error": _(
                "too many failed logins from this computer: wait a quarter of an hour and try again")}, 429)
        try:
            account = await blocking(workplace(request).accounts.login, username, password)
        except LoginRefused as exc:
            if exc.reason == "wrong":
                self.throttle.failed(address)
            return render(request, "login.html", {"next": target, "username": username,
                                                  "error": exc.problems[0].message}, 401 if exc.reason == "wrong"
                          else 403)
        begin_session(request, account)
        return redirect(target)


async def logout(request: Request):
    await form(request)
    place = workplace(request)
    account = await blocking(current_account, request, place.accounts)
    if account is not None:
        await blocking(place.accounts.end_sessions, account.id)
    end_session(request)
    flash(request, _("You are logged out."))
    return redirect("/login")


async def language(request: Request):
    lang = request.path_params["lang"]
    if lang in LANGUAGES:
        request.session["lang"] = lang
    return redirect(safe_next(request.query_params.get("next")))


def routes(authenticator) -> list[Route]:
    return [*authenticator.routes(), Route("/logout", logout, methods=["POST"]),
            Route("/language/{lang}", language, methods=["GET"])]
