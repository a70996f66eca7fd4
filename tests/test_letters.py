"""Decision letters: golden files per outcome and language, PDF text, safety, atomic writing."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess

import pytest
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from conftest import DECISION_DATE, EXAMPLES, FIXTURES, ROOT, as_yaml
from golden_files import check_golden
from governance import load_proposal
from governance.documents.letters import LetterRequest
from governance.documents.letters import OUTCOMES, TEMPLATES, CaseDetails, Letters, md_escape, write_atomically
from governance.formats.yamlsource import parse_text

LETTERS = FIXTURES / "letters"
CASES = {  # file -> outcome
    EXAMPLES / "model-familjestod.yaml": "approved",
    EXAMPLES / "nkp-skolnarvaro.yaml": "approved_with_conditions",
    EXAMPLES / "gav-utkast.yaml": "completion_requested",
    LETTERS / "rejected-orebro.yaml": "rejected",
    EXAMPLES / "lul-fritidsmentorer.yaml": "rejected",
    EXAMPLES / "mod-hembesok.yaml": "rejected",
    LETTERS / "conditions-note-lulea.yaml": "approved_with_conditions",
}


#: one letter of each outcome, golden in both languages and all three formats
OUTCOME_CASES = {"approved": EXAMPLES / "model-familjestod.yaml",
                 "approved_with_conditions": EXAMPLES / "nkp-skolnarvaro.yaml",
                 "completion_requested": EXAMPLES / "gav-utkast.yaml",
                 "rejected": LETTERS / "rejected-orebro.yaml"}
#: what a letter must never show a reader: code, raw values, field names
CODE = re.compile(r"[{}]|\[\'|\b[a-z]+(_[a-z0-9]+)+\b|\b(True|False|None)\b|\bis (not )?none\b|==|!=|"
                  r"\bpolicy\.|\b[a-z]+\.[a-z_]+\.[a-z_]+\b|Ansökan anger:|Riktlinjerna kräver:|"
                  r"The application states:|The guidelines require:")


def code_found(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 30] for m in CODE.finditer(text)]


@pytest.fixture(scope="module")
def letters(gov):
    return Letters(gov.rulebook)


def render(gov, letters, path, lang="sv", fmt="md", case=None, day=DECISION_DATE):
    loaded = load_proposal(path)
    return letters.render(loaded, gov.decide(loaded, day, lang), fmt, case)


def changed(tmp_path, name: str, changes: dict, base=EXAMPLES / "model-familjestod.yaml"):
    """A variant of a proposal file, with dotted fields set (None removes one)."""
    data = parse_text(base.read_text(encoding="utf-8"), base.name).data
    for field, value in changes.items():
        *path, last = field.split(".")
        node = data
        for part in path:
            node = node[int(part) if part.isdigit() else part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    target = tmp_path / f"{name}.yaml"
    target.write_text(as_yaml(data), encoding="utf-8")
    return target


def pdf_pages(pdf: bytes) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    return [" ".join(page.extract_text().replace("\u00a0", " ").split())
            for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", list(CASES), ids=[p.stem for p in CASES])
def test_letter_golden(gov, letters, path, lang):
    loaded = load_proposal(path)
    decision = gov.decide(loaded, DECISION_DATE, lang)
    assert decision.outcome == CASES[path]
    text = letters.render(loaded, decision, "md")
    check_golden(f"letters/{path.stem}.{lang}.md", text)
    for f in decision.findings:  # every clause cited in the decision is in the letter, explained, once
        assert f"**{f.clause} {md_escape(f.title)}**" in text
        assert md_escape(f.message) in text
    assert code_found(text.replace("\\", "")) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("outcome", list(OUTCOME_CASES))
def test_every_outcome_is_golden_in_html_and_pdf(gov, letters, outcome, lang):
    path = OUTCOME_CASES[outcome]
    html = render(gov, letters, path, lang, "html")
    check_golden(f"letters/{path.stem}.{lang}.html", html)
    assert code_found(re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S)) == []
    pages = pdf_pages(render(gov, letters, path, lang, "pdf"))
    check_golden(f"letters/{path.stem}.{lang}.pdf.txt", "\n\f\n".join(pages) + "\n")


def test_every_outcome_has_a_template_in_both_languages():
    for lang in ("sv", "en"):
        for outcome in OUTCOMES:
            assert (TEMPLATES / lang / f"{outcome}.j2").is_file()


def test_html_has_a_readable_measure_and_print_css(gov, letters):
    html = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "sv", "html")
    assert "@page" in html and "size: A4" in html and '<html lang="sv">' in html and "@media print" in html
    assert re.search(r"body \{ max-width: 3[4-8]em;", html)  # about 65 characters a line on screen
    assert "section.keep { break-inside: avoid;" in html
    pypdf = pytest.importorskip("pypdf")
    pdf = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "sv", "pdf")
    lines = [line for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]
    long = sorted(len(line) for line in lines if len(line) > 40)
    assert long[-1] <= 80 and long[len(long) // 2] >= 55, long  # on paper too: 55 to 80 characters a line


def test_what_each_letter_says(gov, letters):
    approved = render(gov, letters, EXAMPLES / "model-familjestod.yaml").replace("\u00a0", " ")
    assert "Fondstyrelsen för sociala investeringar beslutar att bevilja 5 700 000 kr ur fonden" in approved
    assert "| 2026 | 1 800 000 kr |" in approved
    assert "## Återföring" in approved and "Socialnämnden (75 %)" in approved
    assert "fördelad jämnt över 3 budgetår" in approved
    assert "13 kap. kommunallagen (2017:725)" in approved and "tre veckor" in approved
    rejected = render(gov, letters, LETTERS / "rejected-orebro.yaml", "en")
    assert "decides to reject the application" in rejected and "- 3.15 The fund is open for applications" in rejected
    assert "## Reporting" not in rejected and "in the following respects:" in rejected
    lulea = render(gov, letters, LETTERS / "conditions-note-lulea.yaml")
    assert "## Återföring" not in lulea  # Luleå has no repayment
    assert "Beslutet anmäls till kommunfullmäktige" in lulea
    nkp = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml")  # Norrköping spread repayment over one year
    assert "minskning av nämndens budgetram budgetåret efter rapporten och uppgår" in nkp


def test_conditions_are_obligations_with_their_deadline(gov, letters, tmp_path):
    text = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml").replace("\u00a0", " ")
    conditions = text[text.index("## Villkor före utbetalning"):text.index("## Skäl för beslutet")]
    assert ("1. Ni ska välja en utvärderingsdesign på minst nivå 3 på Marylandskalan och redovisa den för fonden före "
            "den första utbetalningen (riktlinjerna 4.3).") in conditions
    assert "2. Ni ska anlita en utvärderare som är oberoende av de sökande" in conditions
    assert "Medlen betalas ut först när villkoren är uppfyllda." in conditions
    decision = gov.decide_file(EXAMPLES / "nkp-skolnarvaro.yaml", DECISION_DATE)
    for f in decision.findings:  # a condition is never the finding repeated
        assert md_escape(f.message) not in conditions
    future = changed(tmp_path, "kort", {"evaluation.follow_up_months": 12})  # starts 1 September 2025
    text = render(gov, letters, future).replace("\u00a0", " ")
    assert ("1. Ni ska förlänga uppföljningen så att utfallen följs upp minst 24 månader efter att insatsen har "
            "avslutats senast den 1 september 2025 (riktlinjerna 4.5).") in text
    assert "med det villkor som anges nedan. Medlen betalas ut först när villkoret är uppfyllt." in text
    english = render(gov, letters, future, "en").replace("\u00a0", " ")
    assert "1. You shall extend the follow-up" in english and "by 1 September 2025 (guidelines 4.5)." in english


def test_a_completion_request_says_what_to_send_by_when_to_whom_and_has_no_appeal(gov, letters):
    text = render(gov, letters, EXAMPLES / "gav-utkast.yaml").replace("\u00a0", " ")
    assert text.splitlines()[6].startswith("# Begäran om komplettering av ansökan om medel ur")
    assert ("Skicka följande till Regionstyrelsen, Region Gävleborg, 801 88 Gävle, senast den 1 juli 2025, och ange "
            "ärende GAV-2025-011:") in text
    assert ("- 4.1 Primära utfallsmått: minst ett och högst 3 primära utfallsmått, vart och ett med datakälla och "
            "utgångsvärde") in text
    assert "- G1 Godkänt idébeslut: diarienumret för det godkända idébeslut som ansökan bygger på" in text
    assert "avslutas ärendet utan att ansökan prövas i sak" in text
    assert "laglighetsprövning" not in text and "Hur man överklagar" not in text
    assert "kan därför inte överklagas (13 kap. 2 § kommunallagen (2017:725))" in text
    assert "**4.1 Primära utfallsmått** (komplettering). Ansökan saknar primära utfallsmått." in text  # the clause once
    english = render(gov, letters, EXAMPLES / "gav-utkast.yaml", "en")
    assert "How to appeal" not in english and "therefore cannot be appealed" in english


def test_a_region_is_a_region_in_its_letters(gov, letters, tmp_path):
    cut = changed(tmp_path, "neddragning", {"fund": "gavleborg", "budget_context.committees.1.current_sek": 950_000_000},
                  ROOT / "features" / "underlag" / "gavleborg.yaml")
    text = render(gov, letters, cut)
    assert "Beslutet anmäls till regionfullmäktige" in text and "regionens anslagstavla" in text
    assert "kommunfullmäktige" not in text and "kommunens" not in text and "Regionstyrelsen beslutar att" in text
    english = render(gov, letters, cut, "en")
    assert "reported to the Regional Council" in english and "notice board of the region" in english


def test_counts_have_their_singular_and_plural(gov, tmp_path):
    one = changed(tmp_path, "ensam", {"applicant.partners": []})
    assert "I projektet deltar 1 part av dem som räknas" in gov.decide_file(one, DECISION_DATE).findings[0].message
    english = gov.decide_file(one, DECISION_DATE, "en").findings[0].message
    assert english.startswith("1 participant of those that count in a collaboration") and "takes part" in english
    many = changed(tmp_path, "mått", {"evaluation.primary_outcomes": [
        {"name": f"Mått {i}", "data_source": "Register", "baseline": {"value": 1.0, "period": "2024"}}
        for i in range(4)]})
    (f,) = [f for f in gov.decide_file(many, DECISION_DATE, "en").findings if f.clause == "4.1"]
    assert f.message == "The application names 4 primary outcomes; at most 3 may be primary."
    assert f.action == "You shall choose at most 3 primary outcomes and tell the fund which"


def test_the_letterhead_shows_diarienummer_meeting_and_paragraph_when_known(gov, letters):
    case = CaseDetails("KS 2025/0417", dt.date(2025, 5, 27), "112")
    text = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", case=case).replace("\u00a0", " ")
    head = text[:text.index("# Beslut")]
    assert "Diarienummer KS 2025/0417" in head and "Sammanträde 27 maj 2025, § 112" in head
    html = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "en", "html", case)
    assert "<p>Reference no. KS 2025/0417</p><p>Meeting of 27 May 2025, § 112</p>" in html
    plain = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml")
    assert "Diarienummer" not in plain and "Sammanträde" not in plain and "§" not in plain[:plain.index("# Beslut")]
    only_number = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", case=CaseDetails("KS 2025/0417"))
    assert "Diarienummer KS 2025/0417" in only_number and "Sammanträde" not in only_number


def test_pdf_is_pdf_a_and_tagged(gov, letters):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "sv", "pdf")))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part="2"', xmp) and re.search(r'pdfaid:conformance="A"', xmp)  # PDF/A-2a
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "sv"
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert reader.metadata.title == "Beslut om ansökan om medel ur Norrköpings kommuns sociala investeringsfond"

    def kinds(node, found):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            found.add(node.get("/S"))
            children = node.get("/K")
            for child in children if isinstance(children, pypdf.generic.ArrayObject) else [children]:
                if child is not None:
                    kinds(child, found)
        return found

    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD"} <= kinds(root["/StructTreeRoot"], set())
    for page in reader.pages:  # every font is embedded
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())


def test_the_appeal_and_signature_are_never_split_across_pages(gov, letters, tmp_path):
    moved = 0
    for words in range(0, 31, 3):  # a longer title (at most 500 characters) pushes the end of the letter down
        title = "Skolnärvaroteam " + " ".join(["tidig reaktion"] * words)
        path = changed(tmp_path, f"titel-{words}", {"title": title}, EXAMPLES / "nkp-skolnarvaro.yaml")
        pages = pdf_pages(render(gov, letters, path, "sv", "pdf"))
        (appeal,) = [p for p in pages if "Hur man överklagar" in p]
        assert "ersätta det med ett annat" in appeal and "13 kap. kommunallagen" in appeal, words
        # the signature is whole, and stays with the appeal: never a page of its own
        assert "Norrköping den 1 juni 2025" in appeal and "Kontakt: Kommunledningskontoret" in appeal, words
        moved += appeal.startswith("Hur man överklagar")
    assert moved >= 1  # at least once the blocks went whole to the next page


def test_pdf_pages_render_as_images(gov, letters, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("no pdftoppm here: install Debian's 'poppler-utils' to render PDF pages")
    pdf = tmp_path / "brev.pdf"
    pdf.write_bytes(render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "sv", "pdf"))
    subprocess.run([pdftoppm, "-r", "50", "-png", str(pdf), str(tmp_path / "sida")], check=True)
    images = sorted(tmp_path.glob("sida-*.png"))
    assert len(images) == len(pdf_pages(pdf.read_bytes())) >= 2
    assert all(p.read_bytes()[:4] == b"\x89PNG" and p.stat().st_size > 10_000 for p in images)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_proposal_text_cannot_inject_markup_or_template_code(gov, letters, fmt):
    text = render(gov, letters, LETTERS / "injection.yaml", "sv", fmt)
    assert "49" not in text and "<script>" not in text and "<b>" not in text
    if fmt == "html":
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{ 7*7 }} {% raw %} **fet**" in text
        assert "Nämnden {{ config }} &lt;b&gt;" in text
    else:
        assert r"\<script\>alert('x')\</script\> {{ 7\*7 }} {% raw %} \*\*fet\*\*" in text


def test_templates_are_strict(tmp_path, gov):
    (tmp_path / "sv").mkdir()
    (tmp_path / "format").mkdir()
    for f in (TEMPLATES / "format").iterdir():
        (tmp_path / "format" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sv" / "approved.j2").write_text("{{ fund.nmae }}", encoding="utf-8")
    loaded = load_proposal(EXAMPLES / "model-familjestod.yaml")
    decision = gov.decide(loaded, DECISION_DATE)
    with pytest.raises(UndefinedError):
        Letters(gov.rulebook, tmp_path).render(loaded, decision, "md")
    (tmp_path / "sv" / "approved.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(SecurityError):
        Letters(gov.rulebook, tmp_path).render(loaded, decision, "md")
    (tmp_path / "sv" / "approved.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(TemplateSyntaxError):
        Letters(gov.rulebook, tmp_path).render(loaded, decision, "md")


def test_every_template_renders_with_every_outcome_and_fund(gov, letters, tmp_path):
    """A template or message naming an undefined value fails here, not as a blank in a letter."""
    for path in CASES:
        for lang in ("sv", "en"):
            for fmt in ("md", "html"):
                assert render(gov, letters, path, lang, fmt)


def test_check_writes_one_letter_per_decision(gov, tmp_path):
    result = gov.check([EXAMPLES], DECISION_DATE, "en", jobs=1, letters=LetterRequest(tmp_path / "out", "md"))
    assert result.ok
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["gavleborg-GAV-2025-011.en.md", "lulea-LUL-2025-014.en.md", "model-MOD-2025-001.en.md",
                     "model-MOD-2025-009.en.md", "norrkoping-NKP-2021-003.en.md"]
    mode = (tmp_path / "out" / names[0]).stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_write_leaves_no_half_file(tmp_path, monkeypatch):
    target = tmp_path / "brev.md"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, "new letter")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["brev.md"]


def test_letter_command(tmp_path):
    from typer.testing import CliRunner

    from governance.cli.app import app

    runner = CliRunner()
    result = runner.invoke(app, ["letter", str(EXAMPLES / "gav-utkast.yaml"), "--date", "2025-06-01", "--lang", "en"])
    assert result.exit_code == 0 and result.stdout.startswith("Region Gävleborg")
    out = tmp_path / "brev.pdf"
    result = runner.invoke(app, ["letter", str(EXAMPLES / "gav-utkast.yaml"), "--format", "pdf", "-o", str(out),
                                 "--date", "2025-06-01"])
    assert result.exit_code == 0 and out.read_bytes()[:5] == b"%PDF-"
    assert runner.invoke(app, ["letter", str(EXAMPLES / "gav-utkast.yaml"), "--format", "pdf"]).exit_code == 2
    bad = runner.invoke(app, ["letter", str(FIXTURES / "bad" / "wrong-enum.yaml"), "--date", "2025-06-01"])
    assert bad.exit_code == 1 and "menade du 'company'" in bad.stderr


def test_letters_never_overwrite_one_another(gov, tmp_path):
    """An id is unique only within a fund, and ids that look alike once made file names
    ('a/b', 'a_b', '../x') stay apart; the same id twice in one fund is refused, not written."""
    source = (EXAMPLES / "model-familjestod.yaml").read_text(encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, fund, pid in [("1.yaml", "model", "a/b"), ("2.yaml", "model", "a_b"), ("3.yaml", "norrkoping", "a/b"),
                            ("4.yaml", "model", "../x"), ("5.yaml", "model", "a/b")]:
        text = source.replace("id: MOD-2025-001", f"id: '{pid}'")
        if fund != "model":
            text = text.replace("fund: model", f"fund: {fund}")
        (inputs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = gov.check([inputs], DECISION_DATE, "en", jobs=1, letters=LetterRequest(out, "md"))
    assert sorted(p.name for p in out.iterdir()) == ["model-%2E.%2Fx.en.md", "model-a%2Fb.en.md", "model-a_b.en.md",
                                                      "norrkoping-a%2Fb.en.md"]
    assert len(result.decisions) == 4
    (dup,) = result.errors
    assert dup.file.endswith("5.yaml") and "also in" in dup.message
    assert all(p.parent == out for p in out.iterdir())


@pytest.mark.parametrize("value, shown", [
    ("Projekt\n===", "Projekt ==="),          # no setext heading
    ("a\n---\nb", "a --- b"),                 # no rule, no heading
    ("---", "\\-\\-\\-"),                        # a value alone on its line is no rule
    ("6.3", "6.3"),                           # a clause is no list: left as it is
    ("1. lista", "1\\. lista"),               # no ordered list
    ("2) lista", "2\\) lista"),
    ("- punkt", "\\- punkt"),                 # no bullet
    ("    kod", "kod"),                       # no code block
    ("x\r\n    indrag", "x indrag"),
    ("# rubrik", "\\# rubrik"),
    ("a | b", "a \\| b"),                     # no table cell
    ("*fet* [länk](x) <b>", "\\*fet\\* \\[länk\\](x) \\<b\\>"),
])
def test_markdown_values_make_no_block_structure(value, shown):
    assert md_escape(value) == shown
