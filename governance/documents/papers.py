"""What the case documents share: rendering a template as Markdown, HTML or PDF/A, and the
words of a case's fund, deciding body and administration.

The officer's report (``officer_report``), the board pack (``board_pack``), the protocol
excerpt (``protocol``) and the case letters (``case_letters``) are rendered with the
letters' sandboxed environments and markup (``templates/format/``): every value is escaped,
a missing value fails instead of printing a blank, and PDF is PDF/A-2a like the letters.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from governance.documents.letters import environment, html_to_pdf, markdown_safe
from governance.engine.rulebook import Rulebook
from governance.errors import UsageError
from governance.i18n import _
from governance.project import TEMPLATES
from governance.wording import fmt_date

FORMATS = ("md", "html", "pdf")
#: an outcome as the templates name it: a word without "_", which Markdown documents escape
TOKENS = {"approved": "approve", "approved_with_conditions": "conditions", "rejected": "reject",
          "returned": "return", "completion_requested": "complete"}


class Papers:
    """Renders the case documents; one environment per markup, made once."""

    def __init__(self, templates: Path = TEMPLATES):
        self.templates = Path(templates)
        self._envs = {fmt: environment(fmt, self.templates) for fmt in ("md", "html")}

    def render(self, name: str, context: dict[str, Any], fmt: str) -> str | bytes:
        """``templates/<name>`` with ``context``: md and html as text, pdf as bytes."""
        if fmt not in FORMATS:
            raise UsageError(_("unknown document format '{fmt}': use md, html or pdf").format(fmt=fmt))
        markup = "html" if fmt == "pdf" else fmt
        text = self._envs[markup].get_template(name).render(markdown_safe(context) if markup == "md" else context,
                                                            format=markup)
        if fmt == "pdf":
            return html_to_pdf(text, self.templates)
        if fmt == "md":
            return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return text


def body_words(rulebook: Rulebook, fund_id: str, lang: str) -> dict[str, Any]:
    """The fund's deciding body and administration as its documents name them."""
    fund = rulebook.policies.fund(fund_id)
    if fund.letter is None or fund.case is None:
        raise UsageError(_("the fund '{fund}' needs a letter.yaml and a case.yaml in its policy folder for its case "
                           "documents").format(fund=fund_id))
    return {"name": getattr(fund.letter.board, lang), "kind": fund.case.body.kind,
            "administration": getattr(fund.case.administration, lang),
            "chair": getattr(fund.letter.signatory.title, lang), "chair_name": fund.letter.signatory.name}


def day(text: str | dt.date | None, lang: str) -> str | None:
    """An ISO day (or a date) as the documents write it: "14 oktober 2025"."""
    if text is None:
        return None
    return fmt_date(text if isinstance(text, dt.date) else dt.date.fromisoformat(text), lang)
