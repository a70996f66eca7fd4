"""Upload of applications (each opens a case) and follow-up reports (YAML or JSON files), and
the application form (new, or a recorded application to change) whose errors appear at their
fields."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from governance.errors import FundgovError, Problem
from governance.formats.limits import current as current_limits
from governance.i18n import _, current_language
from governance.web import form as forms
from governance.web.actions import record_report, upload_text
from governance.web.common import access, blocking, files, flash, form, not_found, redirect, render, text_fields, \
    workplace
from governance.web.pages.cases import open_from_upload
from governance.web.pages.shared import as_yaml, form_context
from governance.web.pages.shared import day as parse_day


async def upload_page(request: Request):
    acc = await access(request)
    acc.change()
    return render(request, "upload.html", {"results": [], "kind": "application"})


async def upload_submit(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    data = await form(request)
    try:
        return await _upload(request, acc, place, data)
    finally:
        await data.close()


async def _upload(request: Request, acc, place, data):
    kind = "report" if data.get("kind") == "report" else "application"
    day = parse_day(str(data.get("date") or ""), place.today())
    given = files(data, "files")
    results: list[dict] = []
    if day is None:
        results.append({"file": "", "problems": [Problem(_("the date must be a day as YYYY-MM-DD"),
                                                         field="date")]})
    elif not given:
        results.append({"file": "", "problems": [Problem(_("choose at least one file"), field="files")]})
    lang = current_language()
    for upload in given if day is not None else []:
        name = (upload.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200]
        raw = await upload.read(current_limits().file_size + 1)  # more than the limit is refused
        try:
            text = upload_text(name, raw)
            if kind == "application":
                case = await blocking(open_from_upload, place, acc, text, name, day)
                results.append({"file": name, "case": case["id"], "proposal": case["diarienummer"],
                                "outcome_word": case["state_word"], "problems": []})
            else:
                result = await blocking(record_report, place, acc, text, name, day, lang)
                results.append({"file": name, "proposal": result.proposal if hasattr(result, "proposal") else "",
                                "report": True, "notices": [n.message for n in result.notices], "problems": []})
        except FundgovError as exc:
            results.append({"file": name, "problems": exc.problems})
    if len(results) == 1 and results[0].get("case") and not results[0]["problems"]:
        flash(request, _("{file}: registered as the case {case} ({state}).").format(
            file=results[0]["file"], case=results[0]["proposal"], state=results[0]["outcome_word"]))
        return redirect(f"/cases/{results[0]['case']}")
    failed = any(r["problems"] for r in results)
    return render(request, "upload.html", {"results": results, "kind": kind}, 400 if failed else 200)


# ------------------------------------------------------------------------------ the form

async def form_new(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    start = {"fund": sorted(acc.funds)[0] if len(acc.funds) == 1 else "", "submitted": place.today().isoformat()}
    return render(request, "form.html", form_context(place, acc, forms.proposal_fields(start), []))


def _recorded_document(place, acc, record_id: int) -> dict:
    from governance.formats.yamlsource import parse_text

    try:
        record = place.register.decision(record_id)
    except FundgovError:
        raise not_found() from None
    acc.record(record)
    source = parse_text(record["input"], record["file"] or record["proposal"])
    return source.data if isinstance(source.data, dict) else {}


async def form_edit(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    data = await blocking(_recorded_document, place, acc, request.path_params["id"])
    return render(request, "form.html", form_context(place, acc, forms.proposal_fields(data), [],
                                                      request.path_params["id"]))


async def form_submit(request: Request):
    acc = await access(request)
    acc.change()
    place = workplace(request)
    data = await form(request)
    document = forms.proposal_document(text_fields(data))
    if data.get("add_row"):  # one more row to fill in: the form again, nothing registered
        return render(request, "form.html", form_context(place, acc, forms.proposal_fields(document), [],
                                                          added=str(data["add_row"])))
    text = as_yaml(document)
    name = f"{document.get('id') or 'ansokan'}.yaml" if isinstance(document.get("id"), str) else "ansokan.yaml"
    try:
        case = await blocking(open_from_upload, place, acc, text, name, place.today())
    except FundgovError as exc:
        context = form_context(place, acc, forms.proposal_fields(document), exc.problems)
        return render(request, "form.html", context, 400)
    flash(request, _("{file}: registered as the case {case} ({state}).").format(
        file=name, case=case["diarienummer"], state=case["state_word"]))
    return redirect(f"/cases/{case['id']}")


def routes() -> list[Route]:
    return [Route("/upload", upload_page, methods=["GET"]), Route("/upload", upload_submit, methods=["POST"]),
            Route("/applications/new", form_new, methods=["GET"]),
            Route("/applications/new", form_submit, methods=["POST"]),
            Route("/decisions/{id:int}/edit", form_edit, methods=["GET"])]
