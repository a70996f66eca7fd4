"""Values as people read them, in Swedish or English (Babel does the locale work)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
LANGUAGES = tuple(LOCALES)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def fmt_money(amount: int | float, lang: str) -> str:
    text = format_decimal(round(amount), locale=LOCALES[lang])
    return f"{text}\u00a0kr" if lang == "sv" else f"SEK\u00a0{text}"


def fmt_date(day: dt.date, lang: str) -> str:
    return format_date(day, format="long" if lang == "sv" else "d MMMM y", locale=LOCALES[lang])


def fmt_value(value: Any, kind: str, lang: str, enum_labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """One value of a given fact or parameter type."""
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
    if kind == "share" and isinstance(value, (int, float)):
        return format_percent(value, format="#,##0.##\u00a0%" if lang == "sv" else "#,##0.##%", locale=locale)
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.####", locale=locale)
    if isinstance(value, int):
        return str(value) if kind == "year" else format_decimal(value, locale=locale)
    if enum_labels and str(value) in enum_labels:
        return enum_labels[str(value)].get(lang, str(value))
    return str(value)


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders; the rulebook checked at load time that all exist."""
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)
