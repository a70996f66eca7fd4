"""Decision letters: golden files per outcome and language, PDF text, safety, atomic writing."""
from __future__ import annotations

import io
import os

import pytest
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from conftest import DECISION_DATE, EXAMPLES, FIXTURES
from golden_files import check_golden
from governance import load_proposal
from governance.documents.letters import LetterRequest
from governance.documents.letters import OUTCOMES, TEMPLATES, Letters, md_escape, write_atomically

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


@pytest.fixture(scope="module")
def letters(gov):
    return Letters(gov.rulebook)


def render(gov, letters, path, lang="sv", fmt="md"):
    loaded = load_proposal(path)
    return letters.render(loaded, gov.decide(loaded, DECISION_DATE, lang), fmt)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", list(CASES), ids=[p.stem for p in CASES])
def test_letter_golden(gov, letters, path, lang):
    loaded = load_proposal(path)
    decision = gov.decide(loaded, DECISION_DATE, lang)
    assert decision.outcome == CASES[path]
    text = letters.render(loaded, decision, "md")
    check_golden(f"letters/{path.stem}.{lang}.md", text)
    for f in decision.findings:  # every clause cited in the decision is in the letter, explained
        assert f"{f.clause} {md_escape(f.title)}" in text
        assert md_escape(f.message) in text


def test_every_outcome_has_a_template_in_both_languages():
    for lang in ("sv", "en"):
        for outcome in OUTCOMES:
            assert (TEMPLATES / lang / f"{outcome}.j2").is_file()


def test_html_golden_and_print_css(gov, letters):
    html = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "sv", "html")
    check_golden("letters/nkp-skolnarvaro.sv.html", html)
    assert "@page" in html and "size: A4" in html and '<html lang="sv">' in html


def test_what_each_letter_says(gov, letters):
    approved = render(gov, letters, EXAMPLES / "model-familjestod.yaml")
    assert "| 2026 | 1 800 000 kr |" in approved.replace("\u00a0", " ")
    assert "## Återföring" in approved and "Socialnämnden (75 %)" in approved.replace("\u00a0", " ")
    assert "13 kap. kommunallagen (2017:725)" in approved and "tre veckor" in approved
    conditions = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml")
    assert "## Villkor före utbetalning" in conditions and "1. Designen" in conditions and "2. Sökt belopp" in conditions
    completion = render(gov, letters, EXAMPLES / "gav-utkast.yaml")
    assert "senast den 1 juli 2025" in completion and "## Återföring" not in completion
    assert "Förvaltningsrätten i Falun" in completion and "regionens anslagstavla" in completion
    rejected = render(gov, letters, LETTERS / "rejected-orebro.yaml", "en")
    assert "decides to reject the application" in rejected and "- 3.15 The fund is open for applications" in rejected
    assert "## Reporting" not in rejected
    lulea = render(gov, letters, LETTERS / "conditions-note-lulea.yaml")
    assert "## Återföring" not in lulea  # Luleå has no repayment
    assert "anmälan till kommunfullmäktige" in lulea.lower() or "Anmälan till kommunfullmäktige" in lulea


def test_pdf_text_is_intact(gov, letters):
    pypdf = pytest.importorskip("pypdf")
    pdf = render(gov, letters, EXAMPLES / "nkp-skolnarvaro.yaml", "sv", "pdf")
    assert pdf[:5] == b"%PDF-"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.replace("\u00a0", " ").split())
    for words in ("Beslut om medel ur Norrköpings kommuns sociala investeringsfond", "beslutar att bevilja",
                  "4.3 Utvärderingsdesign", "4.6 Oberoende utvärderare", "Återföring", "Förvaltningsrätten i Linköping",
                  "1 600 000 kr", "Skolnärvaroteam – tidig reaktion när barn uteblir från skolan"):
        assert words in text, words


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
    result = gov.check([EXAMPLES], DECISION_DATE, "en", jobs=1, after=LetterRequest(tmp_path / "out", "md"))
    assert result.ok
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["GAV-2025-011.en.md", "LUL-2025-014.en.md", "MOD-2025-001.en.md", "MOD-2025-009.en.md",
                     "NKP-2021-003.en.md"]
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
