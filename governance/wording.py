"""Values as people read them, in Swedish or English (Babel does the locale work)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Mapping

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import parse_pattern

LOCALES = {"sv": Locale.parse("sv_SE"), "en": Locale.parse("en_GB")}
_DECIMAL = parse_pattern("#,##0.####")
_INTEGER = parse_pattern("#,##0")
_PERCENT = {"sv": parse_pattern("#,##0.##\u00a0%"), "en": parse_pattern("#,##0.##%")}

LANGUAGES = tuple(LOCALES)


def fmt_money(amount: int | float, lang: str) -> str:
    text = _INTEGER.apply(round(amount), LOCALES[lang])
    return f"{text}\u00a0kr" if lang == "sv" else f"SEK\u00a0{text}"


def fmt_date(day: dt.date, lang: str) -> str:
    return format_date(day, format="long" if lang == "sv" else "d MMMM y", locale=LOCALES[lang])


def fmt_value(value: Any, kind: str, lang: str, enum_labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """One value of a given fact or parameter type."""
    if type(value) in (int, float) and kind != "enum":
        return _fmt_number(value, kind, lang)
    return _fmt_value(value, kind, lang, enum_labels)


@lru_cache(maxsize=8192)
def _fmt_number(value: float, kind: str, lang: str) -> str:
    return _fmt_value(value, kind, lang, None)


def _fmt_value(value: Any, kind: str, lang: str, enum_labels: Mapping[str, Mapping[str, str]] | None) -> str:
    locale = LOCALES[lang]
    if value is None:
        return "uppgift saknas" if lang == "sv" else "not given"
    if isinstance(value, bool):
        return ("ja" if value else "nej") if lang == "sv" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if isinstance(value, (list, tuple)):
        if not value:
            return "inga" if lang == "sv" else "none"
        return format_list([fmt_value(v, "enum" if kind == "kinds" else "text", lang, enum_labels) for v in value],
                           locale=locale)
    if kind == "money":
        return fmt_money(value, lang)
    if kind == "month_day" and isinstance(value, str):  # "03-31": 31 mars, every year
        month, day = (int(x) for x in value.split("-"))
        return format_date(dt.date(2000, month, day), format="d MMMM", locale=locale)
    if kind == "days" and isinstance(value, int):
        unit = ("dag" if value == 1 else "dagar") if lang == "sv" else ("day" if value == 1 else "days")
        return f"{_INTEGER.apply(value, locale)}\u00a0{unit}"
    if kind == "share" and isinstance(value, (int, float)):
        return _PERCENT[lang].apply(value, locale)
    if isinstance(value, float):
        return _DECIMAL.apply(value, locale)
    if isinstance(value, int):
        return str(value) if kind == "year" else _INTEGER.apply(value, locale)
    if enum_labels and str(value) in enum_labels:
        return enum_labels[str(value)].get(lang, str(value))
    return str(value)


