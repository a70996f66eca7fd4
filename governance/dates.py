"""Calendar arithmetic of the model guidelines (§2, project years and duration)."""
from __future__ import annotations

import calendar
import datetime as dt


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


def parse_iso(text: str) -> dt.date:
    """A strict ISO date; ValueError with a plain message otherwise."""
    if not isinstance(text, str) or len(text) != 10:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date in the form YYYY-MM-DD") from None
