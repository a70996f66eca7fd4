"""Accounts, for administrators: who may work in the workplace, in which role, for which
funds; an account disabled or enabled again. New accounts and passwords are made with
``fundgov user`` (a password never passes through a page)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from governance.i18n import _
from governance.web.accounts import AccountError, activity, role_word
from governance.web.common import access, blocking, flash, form, redirect, render, workplace


async def accounts_page(request: Request):
    acc = await access(request)
    acc.admin()
    place = workplace(request)
    rows = await blocking(place.accounts.list)
    log = [e for e in await blocking(activity, place.register.db, None, None, 200)
           if e["fund"] is None or e["fund"] in acc.funds][:50]
    from governance.web.pages.decisions import activity_word

    log = [dict(e, what=activity_word(e["action"])) for e in log]
    return render(request, "accounts.html", {"rows": [(a, role_word(a.role)) for a in rows], "log": log})


async def account_disable(request: Request):
    acc = await access(request)
    acc.admin()
    place = workplace(request)
    data = await form(request)
    name = request.path_params["name"]
    disable = data.get("disabled") == "1"
    if name == acc.account.username and disable:
        flash(request, _("You cannot disable your own account."), "error")
        return redirect("/accounts")
    try:
        await blocking(place.accounts.set_disabled, name, disable, acc.account.username)
    except AccountError as exc:
        flash(request, exc.problems[0].message, "error")
        return redirect("/accounts")
    flash(request, (_("The account {name} is disabled.") if disable else _("The account {name} is enabled.")).format(
        name=name))
    return redirect("/accounts")


def routes() -> list[Route]:
    return [Route("/accounts", accounts_page),
            Route("/accounts/{name}/disabled", account_disable, methods=["POST"])]
