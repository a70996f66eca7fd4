"""Every text the program writes for people is in the Swedish catalogue, with the same
placeholders; the language follows --lang, $FUNDGOV_LANG and the locale."""
from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import ROOT
from governance import i18n

CATALOGUE = ROOT / "governance" / "locale" / "sv" / "LC_MESSAGES" / "fundgov.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def extracted() -> dict[str, str]:
    """msgid -> where it is, for every marked text in the code and the handbook templates."""
    found: dict[str, str] = {}
    method_map = [("governance/**.py", "python"), ("templates/handbook/**.j2", "jinja2")]
    options = {"templates/handbook/**.j2": {"extensions": "jinja2.ext.i18n"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if filename.startswith((".venv", "build")):
            continue
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="sv")


def test_every_marked_text_has_a_swedish_translation():
    cat = catalogue()
    translated = {}
    for m in cat:
        if not m.id or m.fuzzy:
            continue
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        ok = all(m.string) if isinstance(m.string, tuple) else bool(m.string)
        if ok:
            translated[key] = m
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(extracted().items(), key=lambda kv: kv[1])
               if msgid not in translated]
    assert missing == [], "texts without Swedish (run `make messages`, translate, commit):\n" + "\n".join(missing)


def test_translations_keep_every_placeholder():
    wrong = []
    for m in catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for k, s in enumerate(strings):  # the singular form against the singular id, the others against the plural
            wanted = sorted(PLACEHOLDER.findall(ids[min(k, len(ids) - 1)]))
            if s and sorted(PLACEHOLDER.findall(s)) != wanted:
                wrong.append(f"{ids[0]!r} -> {s!r}")
    assert wrong == []


def test_the_catalogue_holds_no_text_the_code_no_longer_has():
    in_code = set(extracted())
    stale = [m.id if isinstance(m.id, str) else m.id[0] for m in catalogue() if m.id]
    assert [s for s in stale if s not in in_code] == []


@pytest.mark.parametrize("environ, expected", [
    ({}, "sv"), ({"LANG": "C.UTF-8"}, "sv"), ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "sv_SE.UTF-8"}, "sv"),
    ({"LANGUAGE": "en:sv", "LANG": "sv_SE.UTF-8"}, "en"), ({"LC_ALL": "sv_FI.UTF-8", "LANG": "en_US"}, "sv"),
    ({"FUNDGOV_LANG": "en", "LANG": "sv_SE.UTF-8"}, "en"), ({"FUNDGOV_LANG": "fr", "LANG": "en_US"}, "en"),
])
def test_the_language_follows_the_environment(environ, expected):
    assert i18n.language_from_environment(environ) == expected


def test_plural_forms_in_both_languages():
    with i18n.use_language("en"):
        assert i18n.ngettext("{n} file", "{n} files", 1) == "{n} file"
        assert i18n.ngettext("{n} file", "{n} files", 2) == "{n} files"
    with i18n.use_language("sv"):
        assert i18n._("Options") == "Flaggor"


def test_the_catalogue_is_read_without_a_compiled_file(tmp_path, monkeypatch):
    folder = tmp_path / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "fundgov.po").write_bytes(CATALOGUE.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert isinstance(i18n.translations("sv"), i18n._PoTranslations)
        assert i18n.translations("sv").gettext("Options") == "Flaggor"
    finally:
        i18n.translations.cache_clear()
