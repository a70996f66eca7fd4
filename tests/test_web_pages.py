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
from web_helpers import form_values, login, make_app, post_form


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
    assert page.status_code == 200 and "/decisions/" in str(page.url)
    text = page.text
    assert "Beviljas med villkor" in text and "NKP-2021-003" in text
    assert "4.3" in text and "Utvärderingsdesign" in text  # a finding with its clause
    assert "Skolnärvaroteam" in text and "Barn- och ungdomsnämnden" in text  # the application, readable
    assert "anna" in text  # the history says who recorded it
    number = str(page.url).rstrip("/").rsplit("/", 1)[-1]
    pdf = anna.get(f"/decisions/{number}/letter.pdf?lang=sv")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers[
        "content-disposition"]
    html = anna.get(f"/decisions/{number}/letter.html?lang=sv").text
    assert "Kommunstyrelsen beslutar att bevilja 4\u00a0600\u00a0000\u00a0kr" in html
    assert granted(anna, "norrkoping") == "4\u00a0600\u00a0000\u00a0kr"  # the fund's money has changed
    inbox = anna.get("/").text
    assert "NKP-2021-003" in inbox and "Beviljas med villkor" in inbox
    assert "NKP-2021-003" not in anna.get("/?outcome=rejected").text
    ledger = anna.get("/funds/norrkoping/ledger.csv").text
    rows = list(csv.reader(io.StringIO(ledger)))
    assert rows[-1][1] == "4600000"
    assert anna.get("/funds/norrkoping/ledger.xlsx").content[:2] == b"PK"


def test_the_chart_is_an_image_with_words(anna):
    upload(anna, "nkp-skolnarvaro.yaml")
    page = anna.get("/funds/norrkoping").text
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "2022: beviljat 1\u00a0600\u00a0000\u00a0kr" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


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
    assert 'value="tjugohundra"' in page  # what was written is kept to correct


def test_the_form_decides_and_a_recorded_application_can_be_changed(anna):
    upload(anna, "model-familjestod.yaml")
    edit = anna.get("/decisions/1/edit").text
    values = form_values(edit, "/applications/new")
    assert values["budget.0.fund_sek"] and values["id"] == "MOD-2025-001"
    values["title"] = "Familjestöd, andra versionen"
    page = post_form(anna, "/decisions/1/edit", "/applications/new", values)
    assert page.status_code == 200 and "Familjestöd, andra versionen" in page.text
    assert "decision #2" in page.text or "beslut nr 2" in page.text


def test_the_follow_up_overview_and_a_report(anna):
    upload(anna, "nkp-skolnarvaro.yaml")
    overview = anna.get("/follow-up").text
    assert "NKP-2021-003" in overview  # its reports are overdue: its payments are withheld
    report = {"format": "follow-up/1", "proposal": "NKP-2021-003", "fund": "norrkoping", "kind": "progress",
              "period": 2021, "submitted": "2022-03-20", "enrolled": 120}
    response = post_form(anna, "/upload", "/upload", {"kind": "report", "date": "2025-06-01"}, files=[
        ("files", ("rapport.yaml", yaml.safe_dump(report).encode(), "application/yaml"))])
    assert response.status_code == 200 and "NKP-2021-003" in response.text
    decision = anna.get("/decisions/1").text
    assert "2021" in decision and "rapport.yaml" in decision


def test_english_after_the_switch(anna):
    upload(anna, "nkp-skolnarvaro.yaml")
    assert 'lang="sv"' in anna.get("/").text
    page = anna.get("/language/en?next=/decisions/1")
    assert 'lang="en"' in page.text and "Findings" in page.text
    assert "Approved with conditions" in page.text


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
