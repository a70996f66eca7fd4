"""What several pages share: a day typed into a form, the application form's context, and a
document as the YAML a person would have written."""
from __future__ import annotations

import datetime as dt

import yaml

from governance.i18n import current_language
from governance.web import form as forms
from governance.web.pages.decisions import fact_kinds, fund_names


def day(text: str | None, default: dt.date) -> dt.date | None:
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2199 else None


def form_context(place, acc, fields, problems, record_id=None, action: str = "/applications/new", case=None,
                 added: str | None = None) -> dict:
    """What form.html shows; ``added``: the list a person asked for one more row of (the page
    opens at that row)."""
    forms.label_fields(fields, place.gov.rulebook.labels, current_language(), fact_kinds(place))
    if added:
        forms.focus_new_row(fields, added)
    names = fund_names(place)
    for f in fields:
        if f.path == "fund":  # the funds the account serves, by name
            f.kind, f.choices = "choice", tuple(sorted(acc.funds))
            f.words = {fund: names.get(fund, fund) for fund in f.choices}
    left = forms.place_errors(fields, problems)
    return {"fields": fields, "problems": left, "error_count": forms.count_errors(fields) + len(left),
            "error_links": forms.error_links(fields),
            "record_id": record_id, "action": action, "case": case}


def as_yaml(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
