"""The workplace in a real browser (Debian's headless Chromium through Playwright), as a case
officer uses it: log in, upload an application, read the decision, download the letter, see
the fund's money change, correct an application in the form; and every page checked with
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


def test_from_login_to_letter_and_ledger(page):
    page.goto("/")
    assert page.url.endswith("/login?next=/")
    accessibility(page, "01-inloggning")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert "användarnamnet eller lösenordet är fel" in page.get_by_role("alert").inner_text()
    log_in(page)
    accessibility(page, "02-ansokningar-tomt")

    page.goto("/funds/norrkoping")
    before = page.locator("table.ledger tfoot td").first.inner_text()
    assert before == "0\u00a0kr"

    page.get_by_role("link", name="Ladda upp", exact=True).click()
    accessibility(page, "03-ladda-upp")
    page.get_by_label("Filer (YAML eller JSON, högst 4 MB var)").set_input_files(str(EXAMPLES / "nkp-skolnarvaro.yaml"))
    page.get_by_label("Beslutsdag").fill("2025-06-01")
    page.get_by_role("button", name="Ladda upp och pröva").click()
    page.wait_for_url("**/decisions/*")
    assert "Beviljas med villkor" in page.locator("h1").inner_text()
    assert page.get_by_role("cell", name="4.3").count() == 1
    accessibility(page, "04-beslut")

    with page.expect_download() as download:
        page.get_by_role("link", name="Brevet som PDF (svenska)").click()
    path = download.value.path()
    assert Path(path).read_bytes()[:5] == b"%PDF-"

    page.get_by_role("link", name="Fonder").click()
    page.get_by_role("link", name="Norrköpings kommuns sociala investeringsfond").click()
    after = page.locator("table.ledger tfoot td").first.inner_text()
    assert after == "4\u00a0600\u00a0000\u00a0kr"  # the fund's money has changed
    assert page.locator("svg.chart title").count() == 1
    accessibility(page, "05-fond")

    page.get_by_role("link", name="Ansökningar").click()
    assert page.get_by_role("link", name="NKP-2021-003").count() == 1
    accessibility(page, "06-ansokningar")

    page.get_by_role("link", name="Uppföljning").click()
    accessibility(page, "07-uppfoljning")


def test_the_form_shows_each_error_at_its_field(page):
    log_in(page)
    page.get_by_role("link", name="Ny ansökan").click()
    page.get_by_label("Ansökans ärendenummer").fill("MOD-2025-777")
    page.get_by_label("Projektets namn").fill("Familjestöd i tre stadsdelar")
    page.get_by_label("Projektets startdatum").fill("2025-08-01")
    page.get_by_label("Projektets slutdatum").fill("2024-06-30")  # before the start
    page.locator("[name='budget.0.year']").fill("tjugohundra")
    page.get_by_role("button", name="Pröva och registrera").click()
    assert "fel" in page.get_by_role("alert").first.inner_text()
    year = page.locator("[name='budget.0.year']")
    assert year.get_attribute("aria-invalid") == "true"
    described = year.get_attribute("aria-describedby")
    assert "heltal" in page.locator(f"#{described.split()[0]}").inner_text()
    end = page.locator("[name='end']")
    assert end.get_attribute("aria-invalid") == "true"
    assert page.locator("[name='budget.0.year']").input_value() == "tjugohundra"
    accessibility(page, "08-formular-med-fel")


def test_english_and_a_board_member(page):
    log_in(page, "bertil")
    assert page.get_by_role("link", name="Ladda upp", exact=True).count() == 0  # reads only
    page.get_by_role("link", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Applications and decisions").count() == 1
    accessibility(page, "09-english")
