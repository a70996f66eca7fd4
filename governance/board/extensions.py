"""Extension of a project (7.3): requests sent with follow-up reports, judged by the rules.

A follow-up report may carry an ``extension`` (how many months more, and why). The requests
are judged in the order they were submitted, each by the follow-up rules
(``rules/follow-up/extension.yaml``, on durable_rules like every follow-up rule) as a fact of
its own (``item: extension_request``) that knows how many extensions were granted before
and the project's end so far: a rule of severity ``refuse`` refuses it; a request no rule
refuses is granted. A granted extension moves the end by its months the way §2 counts
months (a project ending 2028-07-31 extended by 6 months ends 2029-01-31), and with it the
report due dates (follow-up) and the payments still to come (the ledger moves their pay
days as many months later).

What is granted follows from the recorded reports alone, so it is the same every time the
follow-up is judged again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from governance.dates import add_months
from governance.formats.proposal import FollowUpReport

ITEM = "extension_request"


@dataclass(frozen=True)
class Ruling:
    """What became of one extension request."""

    submitted: dt.date
    report_kind: str
    report_period: int
    months: int
    reason: str
    granted: bool
    end_before: dt.date
    end_after: dt.date  # the same as end_before where it was refused

    def as_json(self) -> dict[str, Any]:
        return {"submitted": self.submitted.isoformat(), "report_kind": self.report_kind,
                "report_period": self.report_period, "months": self.months, "reason": self.reason,
                "granted": self.granted, "end_before": self.end_before.isoformat(),
                "end_after": self.end_after.isoformat()}


def extended(end: dt.date, months: int) -> dt.date:
    """The end of a project that runs ``months`` longer: the day before (the day after ``end``)
    plus ``months`` (§2: 2028-07-31 + 6 months = 2029-01-31; 2028-06-30 + 6 = 2028-12-31)."""
    return add_months(end + dt.timedelta(days=1), months) - dt.timedelta(days=1)


def requests(reports: list[FollowUpReport]) -> list[FollowUpReport]:
    """The reports that carry an extension request, in the order they were submitted."""
    return sorted((r for r in reports if r.extension is not None), key=lambda r: (r.submitted, r.kind, r.period))


def request_fact(report: FollowUpReport, granted_before: int, end: dt.date) -> dict[str, Any]:
    """The fact the rules judge a request on."""
    return {"item": ITEM, "submitted": report.submitted, "period": report.period,
            "extension_months": report.extension.months, "earlier_extensions": granted_before, "end": end}


def moved_pay_day(day: dt.date, granted: list[Ruling]) -> dt.date:
    """A payment's pay day after the extensions: every extension granted before the day moves it
    as many months later as it moved the end."""
    for ruling in granted:
        if ruling.granted and day > ruling.submitted:
            day = add_months(day, ruling.months)
    return day
