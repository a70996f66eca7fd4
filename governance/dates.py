"""Calendar arithmetic of the model guidelines (§2, project years and duration)."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from governance.i18n import _


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, keeping the day of the month or taking the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def project_end(start: dt.date, months: int) -> dt.date:
    """The last day of a project of ``months`` months that starts on ``start``.

    2025-08-01 + 36 months − 1 day = 2028-07-31.
    """
    return add_months(start, months) - dt.timedelta(days=1)


#: the dates a fund can mean: every date in an input, a policy or on the command line lies
#: between these, so that date arithmetic (a project end plus months, a deadline) never
#: leaves the calendar
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def in_range(day: dt.date) -> dt.date:
    """``day`` itself; ValueError where it lies outside the years a fund can mean."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(_("{day} lies outside the years {first}–{last} a fund can mean").format(
            day=day.isoformat(), first=EARLIEST.year, last=LATEST.year))
    return day


def parse_iso(text: str) -> dt.date:
    """A strict ISO date within the years a fund can mean; ValueError with a plain message otherwise."""
    if not isinstance(text, str) or len(text) != 10:
        meant = _meant(text) if isinstance(text, str) else None
        if meant is not None:
            raise ValueError(_("'{text}' is not a date in the form YYYY-MM-DD: did you mean {day}?").format(
                text=text, day=meant))
        raise ValueError(_("'{text}' is not a date in the form YYYY-MM-DD").format(text=text))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("'{text}' is not a real date in the form YYYY-MM-DD").format(text=text)) from None
    return in_range(day)


_LOOSE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")  # 2025-9-1
_DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/. ](\d{4})")  # 1/9/2025, 1.9.2025: day first, as in Sweden


def _meant(text: str) -> str | None:
    """The ISO date a loosely written one means, where it can only mean one real day."""
    for pattern, order in ((_LOOSE_ISO, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0))):
        found = pattern.fullmatch(text.strip())
        if found:
            year, month, day = (int(found.group(i + 1)) for i in order)
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return None
    return None
