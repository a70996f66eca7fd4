"""The workplace's security as someone trying to get round it would test it: every page
without logging in, another fund's applications, a board member recording, forms without
their CSRF token or from another site, hostile and oversized uploads (placed errors on the
page, never a server error), and the session cookie's flags."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from conftest import EXAMPLES, FIXTURES
from governance.board import schema as t
from governance.cli.app import app as cli_app
from web_helpers import login, make_app, post_form, token

GET_PAGES = ["/", "/cases", "/cases/1", "/cases/1/letter.pdf", "/cases/1/report.pdf", "/cases/1/complete-form",
             "/meetings", "/meetings/1", "/meetings/1/pack.pdf", "/meetings/1/excerpt/1.pdf", "/decisions", "/decisions/1", "/decisions/1/letter.pdf", "/decisions/1/letter.html",
             "/decisions/1/edit", "/upload", "/applications/new", "/funds", "/funds/norrkoping",
             "/funds/norrkoping/ledger.csv", "/funds/norrkoping/ledger.xlsx", "/register.csv", "/register.xlsx",
             "/follow-up", "/accounts"]
POST_PAGES = ["/upload", "/applications/new", "/repayments/1/paid", "/accounts/anna/disabled", "/logout",
              "/cases/1/propose", "/cases/1/withdraw", "/cases/1/complete", "/cases/1/conditions/1", "/meetings",
              "/meetings/1/agenda", "/meetings/1/decide", "/meetings/1/adjust"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    target = str(tmp_path_factory.mktemp("web") / "register.sqlite")
    application = make_app(target)
    with TestClient(application) as client:  # a case of Norrköping's, registered by Anna, and a meeting
        login(client, "anna")
        upload(client, "nkp-skolnarvaro.yaml")
        post_form(client, "/meetings", "/meetings", {"fund": "norrkoping", "date": "2025-06-17"})
    # and a decision recorded from the command line (not a case): the register's export holds it
    recorded = CliRunner().invoke(cli_app, ["check", str(EXAMPLES / "model-familjestod.yaml"), "--date", "2025-06-01",
                                            "--record", "--register", target])
    assert recorded.exit_code == 0, recorded.output
    return application


MODEL_ID = "MOD-2025-001"  # examples/model-familjestod.yaml, recorded with fundgov check --record


def upload(client, name: str, content: bytes | None = None, kind: str = "application"):
    body = content if content is not None else (EXAMPLES / name).read_bytes()
    return post_form(client, "/upload", "/upload", {"kind": kind, "date": "2025-06-01"},
                     files=[("files", (name, body, "application/yaml"))])


def decisions(app) -> int:
    with app.state.workplace.register.db.reading() as conn:
        return conn.execute(select(func.count()).select_from(t.decisions)).scalar()


@pytest.fixture
def client(app):
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize("path", GET_PAGES)
def test_every_page_asks_for_a_login_first(client, path):
    response = client.get(path)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    assert "NKP-2021-003" not in response.text


def test_the_icon_and_the_style_need_no_login_and_tell_nothing(client):
    """The login page links its icon and style sheet: those are served to anyone (they hold no
    fund's data), and /favicon.ico leads to the icon."""
    login_page = client.get("/login").text
    assert 'href="/static/favicon.svg"' in login_page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/favicon.ico").headers["location"] == "/static/favicon.svg"


@pytest.mark.parametrize("path", POST_PAGES)
def test_no_form_is_taken_without_a_login(client, app, path):
    before = decisions(app)
    client.get("/login")
    response = client.post(path, data={"kind": "application"},
                           files=[("files", ("a.yaml", (EXAMPLES / "mod-hembesok.yaml").read_bytes(), "text/yaml"))])
    assert response.status_code in (303, 403)
    assert decisions(app) == before


@pytest.mark.parametrize("path", ["/cases/1", "/cases/1/letter.pdf", "/cases/1/letter.html", "/cases/1/report.pdf",
                                  "/cases/1/complete-form", "/meetings/1", "/meetings/1/pack.pdf",
                                  "/decisions/1", "/decisions/1/letter.pdf", "/decisions/1/letter.md",
                                  "/decisions/1/edit", "/funds/norrkoping", "/funds/norrkoping/ledger.csv",
                                  "/funds/norrkoping/ledger.xlsx"])
def test_another_funds_application_is_not_found(app, path):
    with TestClient(app) as other:
        login(other, "cecilia")  # Gävleborg's case officer
        response = other.get(path)
    assert response.status_code == 404
    assert "NKP-2021-003" not in response.text and "Skolnärvaro" not in response.text


@pytest.mark.parametrize("action, data", [
    ("/cases/1/propose", {}), ("/cases/1/withdraw", {"reason": "återkallad"}), ("/cases/1/close", {"reason": "x"}),
    ("/cases/1/conditions/1", {"evidence": "intyg"}), ("/meetings/1/agenda", {"case": "KS 2025/0001"}),
    ("/meetings/1/adjust", {"date": "2025-06-17", "adjuster": "Karin"}),
    ("/meetings/1/decide", {"case": "KS 2025/0001"}),
    ("/meetings", {"fund": "norrkoping", "date": "2025-07-01"}),
])
def test_another_funds_case_and_meeting_cannot_be_changed(app, action, data):
    from governance.board.cases import show_case
    from governance.board.meetings import list_meetings

    register = app.state.workplace.register
    before = (show_case(register, "#1"), list_meetings(register))
    with TestClient(app, follow_redirects=False) as other:
        login(other, "cecilia")
        response = post_form(other, "/upload", action, data)
    assert response.status_code in (303, 404)
    if response.status_code == 303:  # a refusal shown on the page it came from, nothing more
        assert response.headers["location"] in ("/meetings",)
    assert (show_case(register, "#1"), list_meetings(register)) == before


def test_lists_and_exports_hold_only_the_accounts_funds(app):
    with TestClient(app) as other:
        login(other, "cecilia")
        pages = [other.get(p).text for p in ("/", "/cases?fund=norrkoping", "/meetings", "/decisions?fund=norrkoping",
                                             "/follow-up",
                                             "/follow-up?fund=norrkoping&all=1", "/register.csv", "/funds")]
        assert other.get("/decisions?q=NKP").status_code == 200
    for page in pages:
        assert "NKP-2021-003" not in page and "Norrköping" not in page and "KS 2025/0001" not in page
        assert MODEL_ID not in page
    with TestClient(app) as anna:
        login(anna, "anna")
        assert "KS 2025/0001" in anna.get("/").text and MODEL_ID in anna.get("/register.csv").text


def test_an_application_for_a_fund_the_account_does_not_serve_is_refused(app):
    before = decisions(app)
    with TestClient(app) as other:
        login(other, "cecilia")
        response = upload(other, "nkp-skolnarvaro.yaml")
    assert response.status_code == 400
    assert "norrkoping" in response.text and decisions(app) == before


def test_a_board_member_reads_but_records_nothing(app):
    before = decisions(app)
    with TestClient(app) as board:
        login(board, "bertil")
        assert "KS 2025/0001" in board.get("/").text and board.get("/cases/1").status_code == 200
        assert board.get("/cases/1/complete-form").status_code == 403
        assert board.get("/funds/norrkoping").status_code == 200
        assert board.get("/upload").status_code == 403
        assert board.get("/applications/new").status_code == 403
        assert board.get("/accounts").status_code == 403
        page = board.get("/")
        response = board.post("/upload", data={"csrf": token(page.text), "kind": "application"},
                              files=[("files", ("m.yaml", (EXAMPLES / "mod-hembesok.yaml").read_bytes(), "text/yaml"))])
    assert response.status_code == 403 and decisions(app) == before
    with TestClient(app) as board:
        login(board, "bertil")
        assert post_form(board, "/cases/1", "/cases/1/propose", {}).status_code == 403
        assert post_form(board, "/meetings", "/meetings", {"fund": "norrkoping", "date": "2025-07-02"}).status_code \
            == 403


@pytest.mark.parametrize("csrf", [None, "", "a" * 43, "forged"])
def test_a_form_without_the_sessions_csrf_token_is_refused(app, csrf):
    before = decisions(app)
    with TestClient(app) as anna:
        login(anna, "anna")
        data = {"kind": "application", "date": "2025-06-01"} | ({"csrf": csrf} if csrf is not None else {})
        response = anna.post("/upload", data=data, files=[
            ("files", ("m.yaml", (EXAMPLES / "mod-hembesok.yaml").read_bytes(), "text/yaml"))])
    assert response.status_code == 403 and decisions(app) == before


def test_a_form_sent_from_another_site_is_refused(app):
    before = decisions(app)
    with TestClient(app) as anna:
        login(anna, "anna")
        page = anna.get("/upload")
        response = anna.post("/upload", data={"csrf": token(page.text), "kind": "application"},
                             files=[("files", ("m.yaml", (EXAMPLES / "mod-hembesok.yaml").read_bytes(), "text/yaml"))],
                             headers={"Origin": "https://angripare.example"})
    assert response.status_code == 403 and decisions(app) == before


def test_the_login_form_has_a_csrf_token_too(app):
    with TestClient(app) as c:
        response = c.post("/login", data={"username": "anna", "password": "rätt-häftklammer-12"})
    assert response.status_code == 403


def test_the_session_cookie(app, tmp_path):
    with TestClient(app) as c:
        response = login(c, "anna")
        cookie = response.history[0].headers["set-cookie"] if response.history else response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
    from governance.web.app import create_app
    from governance.web.workplace import WebConfig

    secure = create_app(WebConfig(str(tmp_path / "s.sqlite"), https=True))
    with TestClient(secure, base_url="https://testserver") as c:
        cookie = c.get("/login").headers["set-cookie"]
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()


def test_after_logging_in_a_link_never_leads_elsewhere(app):
    with TestClient(app, follow_redirects=False) as c:
        page = c.get("/login")
        response = c.post("/login", data={"username": "anna", "password": "rätt-häftklammer-12",
                                          "csrf": token(page.text), "next": "//angripare.example/"})
        assert response.headers["location"] == "/"
        assert c.get("/language/en?next=https://angripare.example").headers["location"] == "/"


def test_a_disabled_account_is_logged_out_at_once(app):
    accounts = app.state.workplace.accounts
    accounts.add("david", "David", "officer", ["norrkoping"], "test", "rätt-häftklammer-12")
    with TestClient(app, follow_redirects=False) as david:
        login(david, "david")
        assert david.get("/").status_code == 200
        accounts.set_disabled("david", True, "admin")
        assert david.get("/").status_code == 303


def test_logging_out_ends_the_session(app):
    with TestClient(app, follow_redirects=False) as c:
        login(c, "anna")
        page = c.get("/")
        copied = dict(c.cookies)  # the signed cookie as it was, kept by someone else
        assert c.post("/logout", data={"csrf": token(page.text)}).status_code == 303
        assert c.get("/").status_code == 303
    with TestClient(app, follow_redirects=False, cookies=copied) as replay:
        assert replay.get("/").status_code == 303  # the session ended in the register, not only in the browser


def test_guessing_from_one_address_is_throttled(tmp_path):
    app = make_app(str(tmp_path / "t.sqlite"))
    with TestClient(app) as c:
        statuses = []
        for i in range(32):
            page = c.get("/login")
            statuses.append(c.post("/login", data={"username": f"okänd{i}", "password": "fel-fel-fel-fel",
                                                   "csrf": token(page.text)}).status_code)
    assert set(statuses[:30]) == {401} and statuses[-1] == 429


HOSTILE = sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix in (".yaml", ".json"))


@pytest.fixture(scope="module")
def officer(app):
    with TestClient(app) as c:
        login(c, "anna")
        yield c


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_a_hostile_or_broken_file_gets_placed_errors_never_a_server_error(app, officer, path):
    before = decisions(app)
    response = upload(officer, path.name, path.read_bytes())
    assert response.status_code in (200, 303, 400), response.text[:500]
    if response.status_code == 400:
        assert "inget registrerades" in response.text or "nothing was recorded" in response.text
        assert re.search(r'class="problems"', response.text)
        assert decisions(app) == before
    assert "Traceback" not in response.text


def test_an_oversized_upload_is_refused_before_it_is_read(app, officer):
    before = decisions(app)
    page = officer.get("/upload")
    big = b"format: proposal/1\n" + b"# " + b"x" * (6 * 1024 * 1024) + b"\n"
    response = officer.post("/upload", data={"csrf": token(page.text), "kind": "application"},
                            files=[("files", ("stor.yaml", big, "text/yaml"))])
    assert response.status_code == 413 and decisions(app) == before


def test_a_file_just_over_the_input_limit_is_a_placed_error(app, officer):
    body = b"format: proposal/1\n#" + b"x" * (4 * 1024 * 1024) + b"\n"
    response = upload(officer, "nastan.yaml", body)
    assert response.status_code == 400 and "4194304" in response.text


def test_a_file_that_is_not_utf8_is_a_placed_error(app, officer):
    response = upload(officer, "latin1.yaml", "title: Skolnärvaro\n".encode("latin-1"))
    assert response.status_code == 400 and "UTF-8" in response.text


def test_a_file_of_another_kind_is_not_read(app, officer):
    response = upload(officer, "ansokan.exe", b"MZ\x90\x00")
    assert response.status_code == 400 and ".yaml" in response.text


def test_a_yaml_alias_bomb_is_stopped_by_the_limits(app, officer):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    response = upload(officer, "bomb.yaml", bomb.encode())
    assert response.status_code == 400 and 'class="problems"' in response.text


def test_security_headers(app, officer):
    headers = officer.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
