"""The workplace in a real browser (Debian's headless Chromium through Playwright), as a case
officer uses it: log in, upload an application, a completion round, a meeting with its board
pack, a decision with its §, the letter downloaded, the fund's money changed, an application
corrected in the form; and every page checked with
axe-core for WCAG 2.1 A and AA (no serious or critical violation). Screenshots of the main
pages go to build/screenshots/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from web_helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, live_server, make_app

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "build" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--lang=sv-SE"])
        except Exception as exc:  # noqa: BLE001 - a browser that cannot start is a reason to skip
            pytest.skip(f"Chromium could not be started: {exc}")
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = make_app(str(tmp_path_factory.mktemp("browser") / "register.sqlite"))
    with live_server(app) as url:
        yield url


@pytest.fixture
def page(browser, server):
    # axe is injected as a script: the workplace's content security policy would refuse it
    context = browser.new_context(base_url=server, locale="sv-SE", bypass_csp=True, accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


def accessibility(page, name: str) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page; and a screenshot of it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    assert len(result["passes"]) > 10, "axe did not run"
    bad = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]]}
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name}: " + json.dumps(bad, ensure_ascii=False, indent=1)


def log_in(page, username: str = "anna") -> None:
    page.goto("/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")


def flash(page) -> str:
    return page.locator("p.flash").first.inner_text()


def test_from_login_through_completion_and_meeting_to_letter_and_ledger(page):
    season = EXAMPLES / "season"
    page.goto("/")
    assert page.url.endswith("/login?next=/")
    accessibility(page, "01-inloggning")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert "Användarnamnet eller lösenordet är fel." in page.get_by_role("alert").inner_text()
    log_in(page)
    accessibility(page, "02-arenden-tomt")

    page.goto("/funds/norrkoping")
    assert page.locator("table.ledger tfoot td").first.inner_text() == "0\u00a0kr"

    # an application that lacks information: registered, assessed, completion requested
    page.get_by_role("link", name="Ladda upp", exact=True).click()
    accessibility(page, "03-ladda-upp")
    page.get_by_label("Filer (YAML eller JSON, högst 4 MB var)").set_input_files(
        str(season / "ansokningar" / "NKP-2025-102.yaml"))
    page.get_by_label("Dag", exact=True).fill("2025-06-01")
    page.get_by_role("button", name="Ladda upp och pröva").click()
    page.wait_for_url("**/cases/*")
    assert "KS 2025/0001" in page.locator("h1").inner_text()
    assert "komplettering begärd" in page.locator("p.meta").inner_text()
    accessibility(page, "04-arende-komplettering")

    # the completed application comes back: a new version, assessed again
    page.get_by_label("Den kompletterade ansökan (YAML eller JSON)").set_input_files(
        str(season / "kompletteringar" / "NKP-2025-102.yaml"))
    page.get_by_role("button", name="Ta emot kompletteringen").click()
    assert "ny version" in flash(page)
    assert "under beredning" in page.locator("p.meta").inner_text()
    page.get_by_role("button", name="Lägg fram förslag till beslut").click()
    assert "förslag till beslut" in flash(page)
    accessibility(page, "05-arende-forslag")

    # the meeting: agenda, board pack, decision with its §, the protocol adjusted
    page.get_by_role("link", name="Sammanträden").click()
    page.get_by_label("Fond").select_option("norrkoping")
    page.get_by_label("Sammanträdesdag").fill("2025-06-01")
    page.get_by_label("Plats").fill("Rådhuset")
    page.get_by_role("button", name="Skapa sammanträdet").click()
    page.get_by_label("KS 2025/0001").check()
    page.get_by_role("button", name="Lägg till på föredragningslistan").click()
    with page.expect_download() as pack:
        page.get_by_role("link", name="PDF").first.click()
    assert Path(pack.value.path()).read_bytes()[:5] == b"%PDF-"
    accessibility(page, "06-sammantrade")
    page.get_by_role("button", name="Registrera beslutet").click()
    assert "§ 1" in flash(page)
    page.get_by_label("Justerare (utöver ordföranden)").fill("Karin Ek")
    page.get_by_role("button", name="Justera: besluten börjar gälla").click()
    assert "justerat" in flash(page)

    # the letter to send, with diarienummer, meeting and §
    page.get_by_role("link", name="KS 2025/0001").click()
    assert "pågår" in page.locator("p.meta").inner_text()
    with page.expect_download() as letter:
        page.get_by_role("link", name="Brevet som PDF (svenska)").click()
    assert Path(letter.value.path()).read_bytes()[:5] == b"%PDF-"
    frame = page.frame_locator("iframe.letter")
    assert "KS 2025/0001" in frame.locator("body").inner_text()
    accessibility(page, "07-arende-beslutat")

    # the fund's money has changed
    page.get_by_role("link", name="Fonder").click()
    page.get_by_role("link", name="Norrköpings kommuns sociala investeringsfond").click()
    assert page.locator("table.ledger tfoot td").first.inner_text() != "0\u00a0kr"
    assert page.locator("svg.chart title").count() == 1
    accessibility(page, "08-fond")

    page.get_by_role("link", name="Ärenden").click()
    assert page.get_by_role("link", name="KS 2025/0001").count() == 1
    accessibility(page, "09-arenden")
    page.get_by_role("link", name="Uppföljning").click()
    accessibility(page, "10-uppfoljning")


def new_application(page, title: str = "Familjestöd i tre stadsdelar") -> None:
    """Logged in, on the application form, with the project's name filled in."""
    log_in(page)
    page.get_by_role("link", name="Ny ansökan").click()
    page.get_by_label("Projektets namn").fill(title)


def test_the_form_shows_each_error_at_its_field(page):
    new_application(page)
    page.get_by_label("Ansökans ärendenummer").fill("MOD-2025-777")
    page.get_by_label("Projektets startdatum").fill("2025-08-01")
    page.get_by_label("Projektets slutdatum").fill("2024-06-30")  # before the start
    page.locator("[name='budget.0.year']").fill("tjugohundra")
    page.get_by_role("button", name="Registrera och bedöm").click()
    assert "fel" in page.get_by_role("alert").first.inner_text()
    year = page.locator("[name='budget.0.year']")
    assert year.get_attribute("aria-invalid") == "true"
    described = year.get_attribute("aria-describedby")
    assert "heltal" in page.locator(f"#{described.split()[0]}").inner_text()
    end = page.locator("[name='end']")
    assert end.get_attribute("aria-invalid") == "true"
    assert page.locator("[name='budget.0.year']").input_value() == "tjugohundra"
    accessibility(page, "11-formular-med-fel")


def test_a_row_is_added_and_enter_sends_the_form(page):
    new_application(page)
    page.locator("[name='budget.0.year']").fill("2025")
    page.locator("[name='budget.0.fund_sek']").fill("900000")
    page.locator("button[name='add_row'][value='budget']").click()
    page.wait_for_selector("[name='budget.1.year']")
    assert page.evaluate("document.activeElement.name") == "budget.1.year"  # the page opens at the new row
    assert page.locator("[name='budget.0.fund_sek']").input_value() == "900000"
    assert page.get_by_role("alert").count() == 0  # nothing was sent for assessment
    accessibility(page, "13-formular-ny-rad")
    page.get_by_label("Projektets namn").press("Enter")  # the form's own button, not a new row
    assert "fel" in page.get_by_role("alert").first.inner_text()
    assert page.locator("[name='budget.2.year']").count() == 0


def test_english_and_a_board_member(page):
    log_in(page, "bertil")
    assert page.get_by_role("link", name="Ladda upp", exact=True).count() == 0  # reads only
    page.get_by_role("link", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Cases").count() == 1
    accessibility(page, "12-english")
