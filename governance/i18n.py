"""Every text a person reads, in Swedish (the default) or English, through gettext.

Program text is written in English in the code and marked for translation::

    from governance.i18n import _, ngettext
    raise UsageError(_("no register at {path}").format(path=path))
    ngettext("{n} decision", "{n} decisions", n).format(n=n)

``governance/locale/sv/LC_MESSAGES/fundgov.po`` holds the Swedish catalogue (extracted
with Babel: ``make messages``); the compiled ``.mo`` is built at set-up and, where it is
missing or older than the ``.po``, the ``.po`` is read directly. English needs no
catalogue: its texts are the message ids, with English plural rules.

The language is a context value: the command line sets it once from ``--lang``,
``$FUNDGOV_LANG`` or the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
English where it names English, else Swedish), the web layer per request. The texts of
rule files and letter templates are data in both languages and take ``lang`` explicitly.
"""
from __future__ import annotations

import gettext as _gettext
import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator

LANGUAGES = ("sv", "en")
DOMAIN = "fundgov"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: ContextVar[str | None] = ContextVar("fundgov_language", default=None)


def language_from_environment(environ: dict | None = None) -> str:
    """``$FUNDGOV_LANG`` (sv or en), else English where the locale names English, else Swedish."""
    env = os.environ if environ is None else environ
    chosen = (env.get("FUNDGOV_LANG") or "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(name) or "").strip()
        if value:
            first = value.split(":")[0].lower()
            return "en" if first.startswith("en") else "sv"
    return "sv"


def current_language() -> str:
    lang = _current.get()
    return lang if lang is not None else language_from_environment()


def set_language(lang: str) -> None:
    """Use ``lang`` from now on in this context (the command line calls this once)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    _current.set(lang)


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Texts in ``lang`` inside the block."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


class _PoTranslations(_gettext.NullTranslations):
    """A catalogue read straight from a .po file with Babel (used where no current .mo is)."""

    def __init__(self, po: Path):
        super().__init__()
        from babel.messages.pofile import read_po

        with po.open("rb") as handle:
            catalog = read_po(handle, locale="sv")
        self._singular: dict[str, str] = {}
        self._plural: dict[str, tuple[str, ...]] = {}
        self._plural_rule = catalog.plural_expr
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                if all(message.string):
                    self._plural[message.id[0]] = tuple(message.string)
            elif message.string:
                self._singular[message.id] = message.string
        self._plural_index = _gettext.c2py(self._plural_rule)  # the stdlib's checked reading of C plural rules

    def gettext(self, message: str) -> str:
        return self._singular.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self._plural.get(singular)
        if forms is None:
            return singular if n == 1 else plural
        return forms[min(self._plural_index(n), len(forms) - 1)]


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if po.exists():
        return _PoTranslations(po)
    return _gettext.NullTranslations()  # pragma: no cover - the catalogue ships with the package


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it now (it is translated where shown)."""
    return message


def in_language(lang: str, message: str) -> str:
    """``message`` in ``lang``, whatever the current language is."""
    return translations(lang).gettext(message)


__all__ = ["_", "ngettext", "N_", "in_language", "current_language", "set_language", "use_language",
           "language_from_environment", "LANGUAGES"]
