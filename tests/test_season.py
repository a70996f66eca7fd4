"""A season of cases end to end (issue #12's "done when"): the README's walkthrough, run command
by command as a secretary runs it, on SQLite and on PostgreSQL, and its result checked.

Eight applications registered, two sent back for completion and completed, a meeting with an
agenda and a board pack (a PDF/A, its pages rendered as PNG as a person looks at them),
decisions (one against the officer's proposal), protocol excerpts and letters carrying the
diarienummer, the meeting and the §, a condition met that releases a held payment, and an
extension granted once and refused the second time; every state change in the case history
and every assessment re-made from the register."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from governance.cli.app import app

runner = CliRunner()


def walkthrough() -> list[str]:
    """The commands of the README's season block, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- season -->\n```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def season(request, tmp_path_factory):
    """The walkthrough run once per engine, in a folder of its own; on PostgreSQL its documents
    are written as Markdown (the same code; the PDFs are made once, on SQLite)."""
    folder = tmp_path_factory.mktemp("season")
    shutil.copytree(ROOT / "examples" / "season", folder / "examples" / "season")
    on_server = request.param == "postgresql"
    if on_server:
        server = request.getfixturevalue("postgres_server")
        target = server.new_database()
        request.addfinalizer(lambda: server.drop_database(target))
    else:
        target = str(folder / "season.sqlite")
    env = {"FUNDGOV_LANG": "sv"}
    printed: dict[str, str] = {}
    here = os.getcwd()
    os.chdir(folder)
    try:
        for line in walkthrough():
            words = shlex.split(line)
            if words[0] == "export":
                env.update(dict(w.split("=", 1) for w in words[1:]))
                continue
            assert words[0] == "fundgov", line
            args = words[1:]
            if on_server and ("pack" in args or "protocol" in args or "pdf" in args):
                args = [a.replace(".pdf", ".md") for a in args if a not in ("pdf", "--format")] + ["--format", "md"]
            run_env = dict(env, FUNDGOV_REGISTER=target) if not on_server else dict(env, FUNDGOV_DATABASE=target)
            result = runner.invoke(app, args, env=run_env)
            assert result.exit_code == 0, (line, result.output)
            printed[line] = result.stdout
    finally:
        os.chdir(here)
    return {"printed": printed, "target": ["--database", target] if on_server else ["--register", target],
            "folder": folder, "pdf": not on_server}


def cli(season, *args: str) -> str:
    result = runner.invoke(app, [*args, *season["target"]], env={"FUNDGOV_LANG": "sv"})
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def said(season, start: str) -> str:
    return next(out for line, out in season["printed"].items() if line.startswith(start)).replace("\u00a0", " ")


def test_a_season_from_eight_applications_to_protocol_excerpts(season):
    cases = {c["diarienummer"]: c for c in json.loads(cli(season, "case", "list", "--format", "json"))}
    assert list(cases) == [f"KS 2025/{n:04d}" for n in range(1, 9)]  # registered in order, one diarium
    assert {k: (c["state"], c["outcome"]) for k, c in cases.items()} == {
        "KS 2025/0001": ("running", "approved"), "KS 2025/0002": ("running", "approved"),
        "KS 2025/0003": ("running", "approved_with_conditions"),
        "KS 2025/0004": ("running", "approved_with_conditions"),
        "KS 2025/0005": ("closed", "rejected"), "KS 2025/0006": ("closed", "rejected"),
        "KS 2025/0007": ("withdrawn", None), "KS 2025/0008": ("running", "approved")}
    assert [k for k, c in cases.items() if c["versions"] == 2] == ["KS 2025/0002", "KS 2025/0003"]  # completed

    first = said(season, "fundgov case list --date 2025-03-10")
    assert first.count("komplettering begärd") == 2 and "8 ärenden" in first
    late = said(season, 'fundgov case show "KS 2025/0003"')
    assert "komplettering inkommen som version 2; 11 dagar efter sista dagen 2025-04-09" in late


def test_the_board_pack_is_a_pdf_a_person_can_look_at(season):
    if not season["pdf"]:
        pack = (season["folder"] / "kallelse-2025-06-10.md").read_text(encoding="utf-8")
        assert pack.count("# Tjänsteskrivelse") == 7 and "Har utgått: punkt 7" in pack
        return
    pdf = season["folder"] / "kallelse-2025-06-10.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(pdf))
    first = reader.pages[0].extract_text()
    assert "Kallelse och föredragningslista" in first and "Rådhuset, sessionssalen" in first
    assert "KS 2025/0006" in first and "Har utgått: punkt 7" in first
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert text.count("Tjänsteskrivelse") >= 7 and "Förslag till beslut" in text and "Nytto-kostnadskvoten" in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed: the pages are not rendered as PNG")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf), str(season["folder"] / "sida")],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(season["folder"].glob("sida-*.png"))
    assert len(pages) == 2 and all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 5000 for p in pages)


def test_decisions_excerpts_and_letters_carry_diarienummer_meeting_and_paragraph(season):
    against = said(season, 'fundgov meeting decide 1 "KS 2025/0006"')
    assert "KS 2025/0006: § 6, avslag (i strid med förslaget: beviljas)" in against
    folder = season["folder"] / "protokoll"
    ext = "pdf" if season["pdf"] else "md"
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 14 and f"§6-KS_2025_0006.protokollsutdrag.sv.{ext}" in written
    assert f"§7-KS_2025_0008.beslut.sv.{ext}" in written
    excerpt = cli(season, "case", "letter", "KS 2025/0006").replace("\u00a0", " ")
    for words in ("Diarienummer KS 2025/0006", "Sammanträde 10 juni 2025, § 6", "Kommunstyrelsens ordförande",
                  "Kommunstyrelsen har inte följt förvaltningens förslag att bevilja ansökan"):
        assert words in excerpt, words
    if not season["pdf"]:
        text = (folder / "§6-KS_2025_0006.protokollsutdrag.sv.md").read_text(encoding="utf-8")
    else:
        pypdf = pytest.importorskip("pypdf")
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(folder / "§6-KS_2025_0006.protokollsutdrag.sv"
                                                                              ".pdf")).pages)
    text = re.sub(r"\s+", " ", text)
    for words in ("Protokollsutdrag", "§ 6", "KS 2025/0006", "Förvaltningens förslag till beslut",
                  "Kommunstyrelsen prioriterar fondens återstående medel", "Karin Lind", "Utdragsbestyrkande"):
        assert words in text, words


def test_a_condition_met_releases_the_payment_held_for_it(season):
    before = said(season, "fundgov fund status norrkoping --date 2025-08-01")
    assert "540 000 kr  vilande sedan 2025-06-12, tills beslutets villkor är uppfyllda" in before
    after = said(season, "fundgov fund status norrkoping --date 2025-09-01")
    assert ("540 000 kr  utbetalt den 2025-08-20, vilande från 2025-06-12, frigjord när det sista villkoret "
            "uppfylldes") in after
    ledger = json.loads(cli(season, "fund", "status", "norrkoping", "--date", "2025-09-01", "--format", "json"))
    projects = {p["proposal"]: p for p in ledger["projects"]}
    assert projects["NKP-2025-103"]["case"] == "KS 2025/0003"
    assert projects["NKP-2025-104"]["payments"][0]["state"] == "held"  # its two conditions are still unmet
    assert ledger["totals"]["held_sek"] == 630_000 and ledger["approved"] == 5
    assert "NKP-2025-106" not in [p for p, x in projects.items() if x["granted_sek"]]  # rejected against the proposal
    # the follow-up of the whole portfolio names the payment held for the conditions, and then no more
    held = json.loads(cli(season, "follow-up", "--from-register", "--date", "2025-08-01", "--format", "json"))
    by_proposal = {p["proposal"]: p for p in held["projects"]}
    assert [h["since"] for h in by_proposal["NKP-2025-103"]["held_for_conditions"]] == ["2025-06-12"]
    assert "tills beslutets villkor är uppfyllda: 2025, 540 000 kr, sedan 2025-06-12" in cli(
        season, "follow-up", "--from-register", "--date", "2025-08-01").replace("\u00a0", " ")
    released = json.loads(cli(season, "follow-up", "--from-register", "--date", "2025-09-01", "--format", "json"))
    assert {p["proposal"]: p for p in released["projects"]}["NKP-2025-103"]["held_for_conditions"] == []


def test_an_extension_is_granted_once_and_refused_the_second_time(season):
    first = said(season, 'fundgov case follow-up "KS 2025/0008" examples/season/rapporter/NKP-2025-108-2025')
    assert "förlängning beviljad" in first and "projektet slutar den 2029-02-28" in first
    second = said(season, 'fundgov case follow-up "KS 2025/0008" examples/season/rapporter/NKP-2025-108-2026')
    assert "förlängning avslagen" in second and "har redan förlängts en gång" in second
    view = json.loads(cli(season, "case", "show", "KS 2025/0008", "--date", "2027-04-01", "--format", "json"))
    assert [(x["granted"], x["end_after"]) for x in view["follow_up"]["extensions"]] == [(True, "2029-02-28"),
                                                                                          (False, "2029-02-28")]
    ledger = json.loads(cli(season, "fund", "status", "norrkoping", "--date", "2027-12-31", "--format", "json"))
    payments = {p["year"]: p for p in next(x for x in ledger["projects"] if x["proposal"] == "NKP-2025-108")["payments"]}
    assert payments[2026]["pay_day"] == "2026-01-01"  # before the extension: as planned
    assert payments[2027]["pay_day"] == "2027-07-01" and payments[2028]["pay_day"] == "2028-07-01"  # six months later


def test_every_state_change_is_in_the_history_and_reproducible_from_the_register(season):
    for case in ("KS 2025/0003", "KS 2025/0006", "KS 2025/0007"):
        view = json.loads(cli(season, "case", "show", case, "--date", "2027-04-01", "--format", "json"))
        moves = [(h["from_state"], h["to_state"]) for h in view["history"] if h["kind"] == "state"]
        assert moves[0] == (None, "received") and all(a == b_prev for (a, _), (_, b_prev) in zip(moves[1:], moves))
        assert moves[-1][1] == view["state"]
    shown = said(season, 'fundgov case show "KS 2025/0008"')
    assert "förlängning med 6 månader beviljad: projektet slutar den 2029-02-28" in shown
    assert "förlängning med 6 månader avslagen (7.3)" in shown
    assert said(season, "fundgov verify").strip().endswith("10 prövade på nytt, 0 skiljer sig")
    from openpyxl import load_workbook

    sheet = load_workbook(season["folder"] / "arenden.xlsx")["Ärenden"]
    assert [c.value for c in sheet["A"]][1:] == [f"KS 2025/{n:04d}" for n in range(1, 9)]
