"""Board meetings: the agenda, the board's decisions and §§, conditions, the adjusted protocol,
and the documents people read (officer's report, board pack, protocol excerpt, letter)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import ROOT
from governance.board import cases, meetings
from governance.board.case_records import CaseError
from governance.board.conditions import condition_met
from governance.board.register import Register
from governance.documents.board_pack import render_board_pack
from governance.documents.case_letters import render_case_letter
from governance.documents.officer_report import render_officer_report
from governance.documents.protocol import render_excerpt
from governance.errors import UsageError
from governance.i18n import use_language
from test_cases import application

D = dt.date


@pytest.fixture(autouse=True)
def swedish(monkeypatch):
    monkeypatch.setenv("FUNDGOV_LANG", "sv")
    with use_language("sv"):
        yield


def proposed(gov, reg, number: int, **changes) -> str:
    """A case opened on 10 March and proposed for decision on 20 May 2025; its diarienummer."""
    case = cases.open_case(reg, gov.rulebook, application(number, **changes), f"{number}.yaml", D(2025, 3, 10),
                           "Anna Berg")
    cases.propose_case(reg, case["diarienummer"], D(2025, 5, 20), "Anna Berg")
    return case["diarienummer"]


@pytest.fixture
def meeting(gov, tmp_path):
    """A register with a meeting of the Municipal Executive Board and three proposed cases on its agenda:
    approved (KS 2025/0001), approved with conditions 4.5 and 4.6 (0002), rejected under 3.5 (0003)."""
    reg = Register(str(tmp_path / "r.sqlite"))
    numbers = [proposed(gov, reg, 1),
               proposed(gov, reg, 2, evaluation__follow_up_months=12,
                        evaluation__evaluator={"name": "Kvalitetsenheten", "kind": "internal"}),
               proposed(gov, reg, 3, intervention__kind="treatment")]
    m = meetings.new_meeting(reg, gov.policies, "norrkoping", D(2025, 6, 10), "Eva Ek", "Rådhuset")
    meetings.add_to_agenda(reg, m["id"], numbers, D(2025, 5, 21), "Eva Ek")
    yield reg, m["id"]
    reg.close()


def test_the_agenda_holds_proposed_cases_of_the_meetings_fund(gov, meeting):
    reg, m = meeting
    shown = meetings.show_meeting(reg, m, gov.policies)
    assert [(i["position"], i["diarienummer"], i["proposed_outcome"]) for i in shown["items"]] == [
        (1, "KS 2025/0001", "approved"), (2, "KS 2025/0002", "approved_with_conditions"),
        (3, "KS 2025/0003", "rejected")]
    assert shown["body_name"]["sv"] == "Kommunstyrelsen" and shown["body_kind"] == "kommunstyrelse"
    with pytest.raises(CaseError, match="finns redan på föredragningslistan till sammanträde 1"):
        meetings.add_to_agenda(reg, m, ["KS 2025/0001"], D(2025, 5, 22), "Eva Ek")
    cases.open_case(reg, gov.rulebook, application(4), "4.yaml", D(2025, 5, 1), "Anna Berg")
    with pytest.raises(CaseError, match="bara ett ärende med förslag till beslut tas upp på en föredragningslista"):
        meetings.add_to_agenda(reg, m, ["KS 2025/0004"], D(2025, 5, 22), "Eva Ek")
    with pytest.raises(CaseError, match="hölls den 2025-06-10: ingenting läggs till"):
        meetings.add_to_agenda(reg, m, ["KS 2025/0004"], D(2025, 6, 11), "Eva Ek")
    with pytest.raises(CaseError, match="organet har redan ett sammanträde den 2025-06-10"):
        meetings.new_meeting(reg, gov.policies, "norrkoping", D(2025, 6, 10), "Eva Ek")
    with pytest.raises(UsageError, match="inget sammanträde 9 i registret"):
        meetings.show_meeting(reg, "M9")


def test_the_board_decides_as_proposed_or_otherwise_with_its_reasons(gov, meeting):
    reg, m = meeting
    with pytest.raises(UsageError, match="organet följer inte förslaget \\(beviljas\\): ange dess skäl"):
        meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek", "rejected")
    with pytest.raises(UsageError, match="villkor hör till ett beslut med villkor"):
        meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek", conditions=["Ett villkor."])
    first = meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek", "rejected",
                                 reasons="Fondens medel för 2025 prioriteras till förskolan.")
    assert (first["paragraph"], first["decided_outcome"], first["follows_proposal"]) == (1, "rejected", False)
    assert first["wording"] == ("avslå ansökan om medel till projektet Familjestöd i förskolan – tidiga insatser för "
                                "barn i riskmiljö")
    second = meetings.decide_item(reg, gov.policies, m, "KS 2025/0002", "Eva Ek",
                                  conditions=["Projektet ska redovisa en plan för hur resultaten sprids."])
    assert (second["paragraph"], second["follows_proposal"]) == (2, True)
    with pytest.raises(CaseError, match="§ 2 för 2025 är redan använd"):
        meetings.decide_item(reg, gov.policies, m, "KS 2025/0003", "Eva Ek", paragraph=2)
    third = meetings.decide_item(reg, gov.policies, m, "KS 2025/0003", "Eva Ek", paragraph=40)
    assert third["paragraph"] == 40
    with pytest.raises(CaseError, match="punkt 1 \\(KS 2025/0001\\) på sammanträde 1 är redan beslutad"):
        meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek")
    conditions = cases.show_case(reg, "KS 2025/0002")["conditions"]
    assert [(c["number"], c["clause"], c["met_on"]) for c in conditions] == [(1, "4.5", None), (2, "4.6", None),
                                                                              (3, None, None)]
    # the next meeting of the body that year goes on with the §§; a new year starts again at 1
    later = meetings.new_meeting(reg, gov.policies, "norrkoping", D(2025, 9, 2), "Eva Ek")
    nxt = proposed(gov, reg, 5)
    meetings.add_to_agenda(reg, later["id"], [nxt], D(2025, 8, 20), "Eva Ek")
    assert meetings.decide_item(reg, gov.policies, later["id"], nxt, "Eva Ek")["paragraph"] == 41
    year = meetings.new_meeting(reg, gov.policies, "norrkoping", D(2026, 2, 3), "Eva Ek")
    new = proposed(gov, reg, 6)
    meetings.add_to_agenda(reg, year["id"], [new], D(2026, 1, 20), "Eva Ek")
    assert meetings.decide_item(reg, gov.policies, year["id"], new, "Eva Ek")["paragraph"] == 1


def test_a_returned_case_goes_back_to_preparation_and_can_come_again(gov, meeting):
    reg, m = meeting
    with pytest.raises(UsageError, match="behöver skälen för återremissen"):
        meetings.decide_item(reg, gov.policies, m, "KS 2025/0003", "Eva Ek", "returned")
    item = meetings.decide_item(reg, gov.policies, m, "KS 2025/0003", "Eva Ek", "returned",
                                reasons="Förvaltningen ska utreda om insatsen kan göras förebyggande.")
    assert item["wording"] == "återremittera ärendet till förvaltningen för fortsatt beredning"
    case = cases.show_case(reg, "KS 2025/0003")
    assert case["state"] == "in_preparation" and case["outcome"] is None
    assert "återremitterat till förvaltningen" in case["history"][-1]["reason"]
    cases.propose_case(reg, "KS 2025/0003", D(2025, 8, 15), "Anna Berg")
    later = meetings.new_meeting(reg, gov.policies, "norrkoping", D(2025, 9, 2), "Eva Ek")
    meetings.add_to_agenda(reg, later["id"], ["KS 2025/0003"], D(2025, 8, 20), "Eva Ek")
    again = meetings.decide_item(reg, gov.policies, later["id"], "KS 2025/0003", "Eva Ek")
    assert (again["paragraph"], again["decided_outcome"]) == (2, "rejected")
    assert [m["meeting"] for m in cases.show_case(reg, "KS 2025/0003")["meetings"]] == [1, later["id"]]


def test_adjusting_the_protocol_makes_the_decisions_take_effect(gov, meeting):
    reg, m = meeting
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek")
    with pytest.raises(CaseError, match="punkt 2 \\(KS 2025/0002\\) på sammanträde 1 är inte beslutad"):
        meetings.adjust_protocol(reg, m, D(2025, 6, 12), "Karin Lind", "Eva Ek")
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0002", "Eva Ek")
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0003", "Eva Ek")
    with pytest.raises(CaseError, match="inga utdrag lämnas förrän det är justerat"):
        render_excerpt(gov.rulebook, reg, m, "KS 2025/0001", "md")
    with pytest.raises(CaseError, match="justeras efter sammanträdet"):
        meetings.adjust_protocol(reg, m, D(2025, 6, 9), "Karin Lind", "Eva Ek")
    meetings.adjust_protocol(reg, m, D(2025, 6, 12), "Karin Lind", "Eva Ek")
    states = {c["diarienummer"]: c["state"] for c in cases.list_cases(reg)}
    assert states == {"KS 2025/0001": "running", "KS 2025/0002": "running", "KS 2025/0003": "closed"}
    with pytest.raises(CaseError, match="justerades den 2025-06-12: det ändras inte längre"):
        meetings.adjust_protocol(reg, m, D(2025, 6, 13), "Karin Lind", "Eva Ek")
    with pytest.raises(CaseError, match="ärendet KS 2025/0002 har inget villkor 9 \\(det har 2\\)"):
        condition_met(reg, "KS 2025/0002", 9, D(2025, 7, 1), "x", "Anna Berg")
    done = condition_met(reg, "KS 2025/0002", 1, D(2025, 7, 1), "Reviderad utvärderingsplan.", "Anna Berg")
    assert done["unmet"] == 1 and done["condition"]["met_on"] == "2025-07-01"
    with pytest.raises(CaseError, match="villkor 1 i ärendet KS 2025/0002 uppfylldes redan den 2025-07-01"):
        condition_met(reg, "KS 2025/0002", 1, D(2025, 7, 2), "igen", "Anna Berg")
    assert cases.show_case(reg, "KS 2025/0002", D(2025, 7, 1))["payments_held"]


def test_the_documents_say_what_the_board_decides_on_and_decided(gov, meeting):
    reg, m = meeting
    report = render_officer_report(gov.rulebook, gov.followup_rules(), reg, "KS 2025/0002", "md").replace("\u00a0", " ")
    for words in ("# Tjänsteskrivelse", "Diarienummer KS 2025/0002", "Handläggare Anna Berg", "## Förslag till beslut",
                  "Kommunstyrelsen beslutar att bevilja 5 700 000 kr ur Norrköpings kommuns sociala investeringsfond",
                  "med de villkor som anges nedan", "(riktlinjerna 4.5)", "**4.6 Oberoende utvärderare** (villkor)",
                  "## Ekonomiska konsekvenser", "| 2026 | 1 800 000 kr |", "Nytto-kostnadskvoten", "| 1,5 % |",
                  "Kalkylen går jämnt ut vid", "fonden ett kapital på 40 000 000 kr", "Beviljas ansökan återstår",
                  "## Beslutsunderlag", "## Beslutet skickas till"):
        assert words in report, words
    pack = render_board_pack(gov.rulebook, gov.followup_rules(), reg, m, "html")
    assert pack.count("<h1>Tjänsteskrivelse</h1>") == 3 and pack.count('class="pagebreak"') == 3
    assert "<h1>Kallelse och föredragningslista</h1>" in pack and "<svg" in pack  # the BCR's sensitivity chart
    cases.withdraw_case(reg, "KS 2025/0003", D(2025, 6, 2), "Anna Berg", "Sökanden återkallar ansökan.")
    pack = render_board_pack(gov.rulebook, gov.followup_rules(), reg, m, "md")
    assert "Har utgått: punkt 3" in pack and pack.count("# Tjänsteskrivelse") == 2
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek", "rejected",
                         reasons="Fondens medel för 2025 prioriteras till förskolan.")
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0002", "Eva Ek",
                         conditions=["Projektet ska redovisa en plan för hur resultaten sprids."])
    meetings.adjust_protocol(reg, m, D(2025, 6, 12), "Karin Lind", "Eva Ek")
    excerpt = render_excerpt(gov.rulebook, reg, m, "KS 2025/0001", "md")
    for words in ("Protokollsutdrag", "Sammanträdesdatum 10 juni 2025", "# § 1 Ansökan om medel ur",
                  "Kommunstyrelsen beslutar att avslå ansökan om medel till projektet",
                  "## Förvaltningens förslag till beslut", "Kommunledningskontoret föreslog att Kommunstyrelsen skulle "
                  "besluta att bevilja", "## Skäl för beslutet", "Fondens medel för 2025 prioriteras till förskolan.",
                  "Protokollet justerades den 12 juni 2025 av kommunstyrelsens ordförande och av Karin Lind",
                  "till och med den 3 juli 2025", "Utdragsbestyrkande"):
        assert words in excerpt, words
    letter = render_case_letter(gov.rulebook, reg, "KS 2025/0001", "md").replace("\u00a0", " ").replace("\\", "")
    for words in ("Diarienummer KS 2025/0001", "Sammanträde 10 juni 2025, § 1", "Kommunstyrelsens ordförande",
                  "Kommunstyrelsen beslutar att avslå ansökan om medel till projektet",
                  "Ansökan avslås av de skäl som Kommunstyrelsen anger",
                  "Kommunstyrelsen har inte följt förvaltningens förslag att bevilja ansökan och har beslutat av "
                  "följande skäl: Fondens medel för 2025 prioriteras till förskolan."):
        assert words in letter, words
    conditions = render_case_letter(gov.rulebook, reg, "KS 2025/0002", "md").replace("\u00a0", " ")
    assert "3. Projektet ska redovisa en plan för hur resultaten sprids före den första utbetalningen." in conditions
    assert "ange diarienummer KS 2025/0002" in conditions and "Sammanträde 10 juni 2025, § 2" in conditions
    english = render_excerpt(gov.rulebook, reg, m, "KS 2025/0002", "md", "en")
    assert "The Municipal Executive Board decides to grant SEK" in english.replace("\u00a0", " ")


@pytest.mark.skipif(not __import__("shutil").which("hunspell"), reason="no hunspell here")
def test_the_swedish_case_documents_are_spelled_right(gov, meeting):
    from test_spelling import misspelled

    reg, m = meeting
    texts = [render_board_pack(gov.rulebook, gov.followup_rules(), reg, m, "md")]
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0001", "Eva Ek", "rejected",
                         reasons="Fondens medel för 2025 prioriteras till förskolan.")
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0002", "Eva Ek")
    meetings.decide_item(reg, gov.policies, m, "KS 2025/0003", "Eva Ek", "returned",
                         reasons="Förvaltningen ska utreda saken vidare.")
    meetings.adjust_protocol(reg, m, D(2025, 6, 12), "Karin Lind", "Eva Ek")
    for ref in ("KS 2025/0001", "KS 2025/0002", "KS 2025/0003"):
        texts.append(render_excerpt(gov.rulebook, reg, m, ref, "md"))
    for ref in ("KS 2025/0001", "KS 2025/0002"):
        texts.append(render_case_letter(gov.rulebook, reg, ref, "md"))
    for text in texts:  # the applications' ids (NKP-2025-1) are names, not words
        assert misspelled(re.sub(r"\b[A-Z]+-\d{4}-\d+\b", " ", text.replace("\\", ""))) == []


def test_the_board_pack_is_one_pdf_a(gov, meeting):
    import io

    pypdf = pytest.importorskip("pypdf")
    reg, m = meeting
    reader = pypdf.PdfReader(io.BytesIO(render_board_pack(gov.rulebook, gov.followup_rules(), reg, m, "pdf")))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp  # PDF/A-2a, like the letters
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "sv"
    assert reader.metadata.title == "Kallelse och föredragningslista, Kommunstyrelsen 10 juni 2025"
    assert len(reader.pages) >= 4  # the agenda, then each case's report on pages of its own
    assert "Kallelse och föredragningslista" in reader.pages[0].extract_text()
    assert "Tjänsteskrivelse" in reader.pages[1].extract_text() and ROOT.exists()
