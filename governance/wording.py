"""Values as people read them, in Swedish or English (Babel does the locale work)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Mapping

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import parse_pattern

from governance.i18n import N_

LOCALES = {"sv": Locale.parse("sv_SE"), "en": Locale.parse("en_GB")}
_DECIMAL = parse_pattern("#,##0.####")
_INTEGER = parse_pattern("#,##0")
_PERCENT = {"sv": parse_pattern("#,##0.##\u00a0%"), "en": parse_pattern("#,##0.##%")}

LANGUAGES = tuple(LOCALES)

#: an outcome as a decision line, a memo or a list names it
OUTCOME_WORDS = {"approved": N_("Approved"), "approved_with_conditions": N_("Approved with conditions"),
                 "completion_requested": N_("Completion requested"), "rejected": N_("Rejected")}
#: what each kind of value (of a fact or a parameter) is called, in a message about one
KIND_WORDS = {"integer": N_("integer"), "number": N_("number"), "money": N_("money"), "share": N_("share"),
              "year": N_("year"), "months": N_("months"), "years": N_("years"), "days": N_("days"),
              "boolean": N_("boolean"), "text": N_("text"), "date": N_("date"), "names": N_("names"),
              "kinds": N_("kinds"), "list": N_("list"), "none": N_("no value"), "month_day": N_("month_day")}
#: a finding's severity in words
SEVERITY_WORDS = {"reject": N_("ground for rejection"), "complete": N_("completion"), "condition": N_("condition"),
                  "note": N_("note")}


def fmt_money(amount: int | float, lang: str) -> str:
    text = _INTEGER.apply(round(amount), LOCALES[lang])
    return f"{text}\u00a0kr" if lang == "sv" else f"SEK\u00a0{text}"


def fmt_date(day: dt.date, lang: str) -> str:
    return format_date(day, format="long" if lang == "sv" else "d MMMM y", locale=LOCALES[lang])


def fmt_value(value: Any, kind: str, lang: str, enum_labels: Mapping[str, Mapping[str, str]] | None = None,
              against: tuple[float, ...] = ()) -> str:
    """One value of a given fact or parameter type. A number or share is shown with as many
    decimals as it takes to stay on its side of each value in ``against`` (the limits it is
    judged against): 0.999998 against 1 is "0,999998", never "1" (§2: rounded only where shown)."""
    if type(value) in (int, float) and kind != "enum":
        return _fmt_number(value, kind, lang, against if type(value) is float else ())
    return _fmt_value(value, kind, lang, enum_labels)


def _side(a: float, b: float) -> int:
    return (a > b) - (a < b)


def decimals_needed(value: float, against: tuple[float, ...], at_least: int, scale: float = 1) -> int:
    """The fewest decimals (from ``at_least``) at which ``value`` rounds to the same side of
    every number in ``against`` as it lies (``scale`` 100 for a share shown in per cent)."""
    places = at_least
    while places < 12 and any(_side(round(value * scale, places), other * scale) != _side(value, other)
                              for other in against if other != value):  # an equal value is shown alike
        places += 1
    return places


@lru_cache(maxsize=8192)
def _fmt_number(value: float, kind: str, lang: str, against: tuple[float, ...] = ()) -> str:
    if against and type(value) is float and kind in ("number", "share"):
        locale = LOCALES[lang]
        if kind == "share":
            places = decimals_needed(value, against, 2, 100)
            if places > 2:
                pattern = "#,##0." + "#" * places + ("\u00a0%" if lang == "sv" else "%")
                return parse_pattern(pattern).apply(value, locale)
        else:
            places = decimals_needed(value, against, 4)
            if places > 4:
                return parse_pattern("#,##0." + "#" * places).apply(value, locale)
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


