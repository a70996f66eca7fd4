"""The workplace's pages as a case officer uses them, on SQLite and on PostgreSQL: upload an
application, read the decision and its letter, see the fund's money change, correct an
application in the form (its errors at their fields), follow up, export; in Swedish, and in
English after the switch."""
from __future__ import annotations

import csv
import io
import re

import pytest
import yaml
from starlette.testclient import TestClient

from conftest import EXAMPLES, FIXTURES
from governance.formats.yamlsource import parse_text
from governance.web import form as forms
from web_helpers import case_number, decide_at_meeting, login, make_app, post_form


@pytest.fixture
def anna(register_target):
    app = make_app(register_target)
    with TestClient(app) as client:
        login(client, "anna")
        yield client


def upload(client, name: str, date: str = "2025-06-01"):
    return post_form(client, "/upload", "/upload", {"kind": "application", "date": date},
                     files=[("files", (name, (EXAMPLES / name).read_bytes(), "application/yaml"))])


def granted(client, fund: str) -> str:
    page = client.get(f"/funds/{fund}").text
    return re.search(r"<tfoot><tr><th scope=\"row\">[^<]*</th><td class=\"num\">([^<]*)</td>", page).group(1)


def test_from_upload_to_letter_and_ledger(anna):
    assert granted(anna, "norrkoping") == "0\u00a0kr"
    page = upload(anna, "nkp-skolnarvaro.yaml")
    assert page.status_code == 200
    case = case_number(page)
    text = page.text
    assert "KS 2025/0001" in text and "under beredning" in text  # registered, assessed, in preparation
    assert "4.3" in text and "Utvärderingsdesign" in text  # a finding with its clause
    assert "Skolnärvaroteam" in text and "Barn- och ungdomsnämnden" in text  # the application, readable
    assert "<dd>Norrköpings kommuns sociala investeringsfond</dd>" in text and "<dd>norrkoping</dd>" not in text
    assert ">Anna<" in text  # the history names the person who registered it (the account's name)
    assert granted(anna, "norrkoping") == "0\u00a0kr"  # an assessment is not the board's decision
    meeting = decide_at_meeting(anna, "norrkoping", case, "2025-06-01")
    text = anna.get(f"/cases/{case}").text
    assert "pågår" in text and "beviljas med villkor" in text
    pdf = anna.get(f"/cases/{case}/letter.pdf?lang=sv")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers[
        "content-disposition"]
    html = anna.get(f"/cases/{case}/letter.html?lang=sv").text
    assert "KS 2025/0001" in html and "§\u00a01" in html.replace("§ 1", "§\u00a01")
    assert "beslutar att bevilja 4\u00a0600\u00a0000\u00a0kr" in html
    assert anna.get(f"/meetings/{meeting}/excerpt/{case}.pdf").content.startswith(b"%PDF")
    assert anna.get(f"/meetings/{meeting}/pack.pdf").content.startswith(b"%PDF")
    assert granted(anna, "norrkoping") == "4\u00a0600\u00a0000\u00a0kr"  # the fund's money has changed
    inbox = anna.get("/").text
    assert "KS 2025/0001" in inbox and "pågår" in inbox
    assert "KS 2025/0001" not in anna.get("/?state=closed").text
    ledger = anna.get("/funds/norrkoping/ledger.csv").text
    # opened by a double-click in Swedish Excel: a byte-order mark and ';' between values
    assert ledger.startswith("\ufeffbudgetår;")
    rows = list(csv.reader(io.StringIO(ledger[1:]), delimiter=";"))
    assert rows[-1][1] == "4600000"
    assert anna.get("/funds/norrkoping/ledger.xlsx").content[:2] == b"PK"


def test_a_completion_round(anna):
    page = post_form(anna, "/upload", "/upload", {"kind": "application", "date": "2025-06-01"}, files=[
        ("files", ("NKP-2025-102.yaml", (EXAMPLES / "season" / "ansokningar" / "NKP-2025-102.yaml").read_bytes(),
                   "application/yaml"))])
    case = case_number(page)
    assert "komplettering begärd" in page.text and "Komplettering begärs senast" in page.text
    assert "KS 2025/0001" in anna.get("/?state=completion_requested").text
    assert "KS 2025/0001" not in anna.get("/?overdue=1").text  # its deadline is a month away
    completed = (EXAMPLES / "season" / "kompletteringar" / "NKP-2025-102.yaml").read_bytes()
    page = post_form(anna, f"/cases/{case}", f"/cases/{case}/complete", {}, files=[
        ("file", ("komplettering.yaml", completed, "application/yaml"))])
    assert "under beredning" in page.text and "version 2" in page.text
    history = page.text[page.text.index('id="h-history"'):]
    assert history.count(">Anna<") >= 3


def test_what_a_case_has_not_yet_is_not_offered(anna):
    page = post_form(anna, "/upload", "/upload", {"kind": "application", "date": "2025-06-01"}, files=[
        ("files", ("NKP-2025-102.yaml", (EXAMPLES / "season" / "ansokningar" / "NKP-2025-102.yaml").read_bytes(),
                   "application/yaml"))])
    case = case_number(page)
    # waiting for completion: its letter is the completion request; no officer's report to propose yet
    assert "Begäran om komplettering" in page.text and f"/cases/{case}/report.pdf" not in page.text
    refused = anna.get(f"/cases/{case}/report.pdf")
    assert refused.status_code == 200 and "det finns ännu inget att lägga fram" in refused.text  # not a server error
    # not granted, never followed up: not on the follow-up overview
    assert "NKP-2025-102" not in anna.get("/follow-up").text
    completed = (EXAMPLES / "season" / "kompletteringar" / "NKP-2025-102.yaml").read_bytes()
    page = post_form(anna, f"/cases/{case}", f"/cases/{case}/complete", {}, files=[
        ("file", ("komplettering.yaml", completed, "application/yaml"))])
    # in preparation: no letter yet (nothing decided), the officer's report to propose with
    assert "under beredning" in page.text and f"/cases/{case}/letter.pdf" not in page.text
    assert f"/cases/{case}/report.pdf" in page.text
    # the register's record of an assessment leads to its case, whose letters carry the diarienummer
    records = [d["id"] for d in anna.app.state.workplace.register.decisions() if d["proposal"] == "NKP-2025-102"]
    assert len(records) == 2  # the assessments of its two versions
    for record in records:
        assert anna.get(f"/decisions/{record}", follow_redirects=False).headers["location"] == f"/cases/{case}"
        letter = anna.get(f"/decisions/{record}/letter.pdf?lang=sv", follow_redirects=False)
        assert letter.headers["location"] == f"/cases/{case}/letter.pdf?lang=sv"
    # and the register's export holds the fund's decisions only: this case is not decided
    assert "NKP-2025-102" not in anna.get("/register.csv").text
    # proposed for decision: the officer's report is signed with the person's name, not the login
    post_form(anna, f"/cases/{case}", f"/cases/{case}/propose", {"reason": ""})
    report = anna.get(f"/cases/{case}/report.html?lang=sv").text
    assert "Handläggare Anna" in report and "Handläggare anna" not in report


def test_a_board_decision_against_the_proposal_needs_its_reasons(anna):
    case = case_number(upload(anna, "nkp-skolnarvaro.yaml"))
    meeting = decide_at_meeting(anna, "norrkoping", case, "2025-06-01", outcome="rejected")
    page = anna.get(f"/meetings/{meeting}").text
    assert "förslag till beslut" in anna.get(f"/cases/{case}").text  # not decided: no reasons were given
    response = post_form(anna, f"/meetings/{meeting}", f"/meetings/{meeting}/decide", {
        "case": "KS 2025/0001", "outcome": "rejected", "reasons": "Fonden prioriterar tidigare insatser i år."})
    assert "§ 1" in response.text and "mot förslaget" in response.text and page


def test_the_forms_errors_are_at_their_fields(anna):
    data = yaml.safe_load((EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8"))
    fields = {}
    _flatten(forms.proposal_fields(_plain(data)), fields)
    fields["budget.0.year"] = "tjugohundra"
    fields["applicant.lead.kind"] = "kommun"
    fields["title"] = ""
    response = post_form(anna, "/applications/new", "/applications/new", fields)
    assert response.status_code == 400
    page = response.text
    for path in ("budget.0.year", "applicant.lead.kind", "title"):
        field = re.search(rf'<p class="field invalid">\s*<label for="f-{re.escape(path.replace(".", "-"))}"', page)
        assert field, f"no error at {path}"
        assert re.search(rf'name="{re.escape(path)}"[^>]*aria-invalid="true"', page) or \
            re.search(rf'id="f-{re.escape(path.replace(".", "-"))}" name="{re.escape(path)}"[^>]*aria-invalid', page)
    assert "3 fel" in page or "3 errors" in page
    # the summary above the form links each error to its field, saying where it is
    summary = page[page.index('id="form-errors"'):page.index("</div>", page.index('id="form-errors"'))]
    assert '<a href="#f-budget-0-year">Budget › rad 1 › År</a>: ' in summary
    assert summary.count('<a href="#f-') == 3
    assert 'value="tjugohundra"' in page  # what was written is kept to correct


def test_the_form_registers_an_application(anna):
    data = parse_text((EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8"), "x").data
    fields = {}
    _flatten(forms.proposal_fields(data), fields)
    page = post_form(anna, "/applications/new", "/applications/new", fields)
    assert page.status_code == 200 and "/cases/" in str(page.url)
    assert "MOD-2025-001" in page.text and "Familjestöd" in page.text


def test_the_follow_up_overview_and_a_report(anna):
    case = case_number(upload(anna, "nkp-skolnarvaro.yaml"))
    decide_at_meeting(anna, "norrkoping", case, "2025-06-01")
    overview = anna.get("/follow-up").text
    assert "NKP-2021-003" in overview  # its reports are overdue: its payments are withheld
    assert f'<a href="/cases/{case}">NKP-2021-003</a>' in overview  # the project leads to its case
    report = {"format": "follow-up/1", "proposal": "NKP-2021-003", "fund": "norrkoping", "kind": "progress",
              "period": 2021, "submitted": "2022-03-20", "enrolled": 120}
    response = post_form(anna, "/upload", "/upload", {"kind": "report", "date": "2025-06-01"}, files=[
        ("files", ("rapport.yaml", yaml.safe_dump(report).encode(), "application/yaml"))])
    assert response.status_code == 200 and "NKP-2021-003" in response.text
    page = anna.get(f"/cases/{case}").text
    assert "2021" in page and "rapport.yaml" in page


def test_english_after_the_switch(anna):
    case = case_number(upload(anna, "nkp-skolnarvaro.yaml"))
    assert 'lang="sv"' in anna.get("/").text
    page = anna.get(f"/language/en?next=/cases/{case}")
    assert 'lang="en"' in page.text and "Assessment of version 1" in page.text
    assert "in preparation" in page.text


def test_every_error_the_loader_places_lands_at_a_field_of_the_form():
    """The placed errors of the bad fixtures, on a form made from the same document, each land
    at the field (or the group or row) they name; none about the format's fields is left over."""
    from governance.errors import FundgovError
    from governance.formats.loader import parse_proposal
    from governance.formats.proposal import Proposal

    placed = 0
    for bad in sorted((FIXTURES / "bad").glob("*.yaml")):
        text = bad.read_bytes().decode("utf-8", errors="replace")
        try:
            data = parse_text(text, bad.name).data
        except FundgovError:
            continue  # not even YAML: the upload page lists its errors
        try:
            parse_proposal(text, bad.name)
        except FundgovError as exc:
            fields = forms.proposal_fields(data if isinstance(data, dict) else {})
            left = forms.place_errors(fields, exc.problems)
            about_fields = [p for p in exc.problems if (p.field or "").split(".")[0] in Proposal.model_fields
                            and p.field != "format" and "unknown key" not in p.message]
            assert not [p for p in left if p in about_fields], bad.name
            placed += len(about_fields)
    assert placed >= 8


def test_the_application_reads_as_a_person_writes_it(anna):
    """The application's view heads each value as a form would (not "uppgift om huruvida …",
    which is worded for a letter's sentence) and gives rates in per cent, periods with their
    unit and the fund by its name."""
    page = upload(anna, "model-familjestod.yaml").text
    shown = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", page))
    assert shown["Fond"] == "Modellfond för sociala investeringar (modellriktlinjer)"
    assert shown["Befintlig verksamhet"] == "nej" and shown["Typ av insats"] == "en tidig insats"
    assert shown["Kalkylränta"] == "3,5\u00a0%" and shown["Pris- och löneomräkning"] == "2,5\u00a0%"
    assert shown["Kalkylperiod"] == "10 år" and shown["Uppföljningstid efter insatsen"] == "36 månader"
    assert shown["Målgruppens lägsta ålder"] == "1 år"
    assert not [h for h in shown if h.lower().startswith("uppgift om")]


def test_a_row_is_added_without_registering_anything(anna):
    """'Add a row' brings the form back with every value kept and one more empty row, opened
    at it; nothing is registered. Enter in a field still sends the form itself."""
    data = yaml.safe_load((EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8"))
    fields = {}
    _flatten(forms.proposal_fields(_plain(data)), fields)
    rows = len(data["budget"])
    fields.update({f"budget.{rows}.year": "2029", f"budget.{rows}.fund_sek": "100000",
                   f"budget.{rows}.purpose": "Uppföljning"})  # the new row, filled in
    cases_before = anna.get("/").text.count("<tr")
    response = post_form(anna, "/applications/new", "/applications/new", {**fields, "add_row": "budget"})
    assert response.status_code == 200
    page = response.text
    assert 'name="budget.{n}.year" value="2029"'.format(n=rows) in page  # the row just filled, kept
    assert re.search(rf'<input id="f-budget-{rows + 1}-year" name="budget.{rows + 1}.year" value="" autofocus', page)
    assert page.count("autofocus") == 1
    assert 'value="Familjestöd i förskolan' in page  # everything else kept
    assert anna.get("/").text.count("<tr") == cases_before  # nothing registered
    # the form's own button comes first, so that Enter in a field sends the form, not a new row
    assert page.index('type="submit" class="visually-hidden"') < page.index('name="add_row"')


def _plain(data):
    return yaml.safe_load(yaml.safe_dump(data, default_flow_style=False).replace("!!python", ""))


def _flatten(fields, out):
    for f in fields:
        if f.kind not in ("group", "list"):
            out[f.path] = f.value
        _flatten(f.children, out)
        for row in f.rows:
            _flatten(row, out)


def _paths(fields, out):
    for f in fields:
        out.add(re.sub(r"\.\d+", ".0", f.path))
        _paths(f.children, out)
        for row in f.rows:
            _paths(row, out)


def test_a_parsed_example_goes_round_the_form_unchanged():
    for example in sorted(EXAMPLES.glob("*.yaml")):
        data = parse_text(example.read_text(encoding="utf-8"), example.name).data
        fields = {}
        _flatten(forms.proposal_fields(data), fields)
        for f in _lists(forms.proposal_fields(data)):
            if f.none:
                fields[f"{f.path}.none"] = "1"
        assert forms.proposal_document(fields) == data, example.name


def _lists(fields):
    for f in fields:
        if f.kind == "list":
            yield f
        yield from _lists(f.children)
        for row in f.rows:
            yield from _lists(row)
