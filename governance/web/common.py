"""What every page does: find the workplace and the account, check the form's CSRF token,
run blocking work off the event loop, and render a template with the page's frame."""
from __future__ import annotations

from typing import Any, Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from governance.i18n import current_language
from governance.web.access import Access
from governance.web.auth import check_csrf, csrf_token, current_account
from governance.web.workplace import Workplace

MAX_FILES = 20
MAX_FIELDS = 4000  # the application form has about 150 fields, and rows


class LoginNeeded(Exception):
    """No valid session: the page answers with the login page (and comes back after)."""


def workplace(request: Request) -> Workplace:
    return request.app.state.workplace


async def blocking(fn: Callable, *args, **kwargs):
    """Run ``fn`` (database, rule engine, PDF) in a worker thread, in this request's language."""
    return await run_in_threadpool(fn, *args, **kwargs)


async def access(request: Request) -> Access:
    """The account's access, or the login page."""
    cached = getattr(request.state, "access", None)
    if cached is not None:
        return cached
    account = await blocking(current_account, request, workplace(request).accounts)
    if account is None:
        raise LoginNeeded()
    request.state.access = Access(account)
    return request.state.access


async def form(request: Request) -> FormData:
    """The submitted form, after its CSRF token is checked."""
    data = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
    try:
        check_csrf(request, data.get("csrf"))
    except BaseException:
        await data.close()  # uploaded files are spooled to temporary files: let them go
        raise
    return data


def text_fields(data: FormData) -> dict[str, str]:
    """The form's text fields (files and the token left out)."""
    return {k: v for k, v in data.multi_items() if isinstance(v, str) and k != "csrf"}


def files(data: FormData, name: str) -> list[UploadFile]:
    return [f for f in data.getlist(name) if isinstance(f, UploadFile) and f.filename]


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message for the next page shown (after a redirect)."""
    request.session.setdefault("flash", [])
    request.session["flash"] = [*request.session["flash"][-4:], [kind, message]]


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def render(request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
           ) -> HTMLResponse:
    place = workplace(request)
    acc = getattr(request.state, "access", None)
    messages = request.session.pop("flash", []) if "session" in request.scope else []
    values = {
        "request": request, "lang": current_language(), "access": acc, "account": acc.account if acc else None,
        "csrf": csrf_token(request), "messages": messages, "path": request.url.path,
        "query": request.url.query, "today": place.today().isoformat(),
    }
    values.update(context or {})
    html = place.templates.get_template(template).render(values)
    return HTMLResponse(html, status_code=status)


def not_found() -> HTTPException:
    return HTTPException(404)
