"""Decision letters (beslutsbrev): Markdown, print-ready HTML and PDF, in Swedish or English.

The wording lives in ``templates/<lang>/<outcome>.j2`` (sharing ``<lang>/base.j2``); the
markup of each format in ``templates/format/<md|html>.j2``; how a fund addresses and
signs its letters (its council, board, signatory, court) in ``policies/<fund>/letter.yaml``.

A letter states conditions as obligations with their deadline, asks for completion by
listing what to send, by when and to whom (and carries no appeal instructions: a decision
that only prepares the matter cannot be appealed, 13 kap. 2 § kommunallagen), and words
every finding as the rule's message says it. The diarienummer, meeting date and § of the
decision appear in the letterhead where they are known (``CaseDetails``).

PDF is PDF/A-2a: tagged for accessibility, fonts embedded, for archiving.

Safety: the Jinja environments are sandboxed and immutable, with StrictUndefined (a
template naming an undefined value fails, it never prints a blank). HTML escapes every
value (autoescape on for every template, whatever its name); Markdown gets every value
escaped before rendering. Values are never templates: a title ``{{ 7*7 }}`` stays text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.dates import add_months
from governance.engine.decision import Decision
from governance.errors import UsageError
from governance.project import TEMPLATES
from governance.writing import safe_name, write_atomically  # noqa: F401  (letters are written with them)
from governance.formats.loader import Loaded
from governance.formats.proposal import Proposal
from governance.engine.rulebook import Rulebook
from governance.wording import LOCALES, fmt_date, fmt_money, fmt_value

FORMATS = ("md", "html", "pdf")
OUTCOMES = ("approved", "approved_with_conditions", "completion_requested", "rejected")
SEVERITY_WORDS = {
    "sv": {"reject": "avslagsgrund", "complete": "komplettering", "condition": "villkor", "note": "anmärkning"},
    "en": {"reject": "ground for rejection", "complete": "completion", "condition": "condition", "note": "note"},
}
#: PDF/A-2, level a: tagged (accessible), every font embedded, for archiving
PDF_VARIANT = "pdf/a-2a"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class CaseDetails:
    """What the register and the meeting give a decision: shown in the letterhead when known,
    and, where the board decided in its own words, what it decided and why."""

    diarienummer: Optional[str] = None
    meeting_date: Optional[dt.date] = None
    paragraph: Optional[str] = None  # the § of the minutes: "45"
    wording: Optional[str] = None  # the board's own words: "<board> decides to <wording>."
    reasons: Optional[str] = None  # the board's reasons where it did not follow the proposal
    proposed: Optional[str] = None  # the outcome the administration proposed, where the board did not follow it
    conditions: tuple[str, ...] = ()  # conditions the board set itself, beside those of the findings
    #: the day the register received the application (its case was opened): what the letter
    #: gives as the day it came in, as the officer's report and the protocol do; without a
    #: case, the application's own date
    received: Optional[dt.date] = None


_MD_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\v\f\u0085\u2028\u2029])[ \t]*")
_MD_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+])(?=\s|$)")  # "1. ", "2) ", "- ", "+ "
_MD_RULE = re.compile(r"[-=\\_\s]*")  # a value of only -, = (and _) would underline or rule


def md_escape(text: str) -> str:
    """Text as Markdown shows it literally, inline: no character of it is markup, and no line
    break in it can start a heading, a list, a rule, a table row or a code block (a value is
    part of a sentence of the letter, so its line breaks become spaces)."""
    text = _MD_SPECIAL.sub(r"\\\1", _MD_BREAKS.sub(" ", text).lstrip())
    if text and _MD_RULE.fullmatch(text):
        return re.sub(r"([-=])", r"\\\1", text)
    return _MD_LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def plural(n: int, one: str, other: str, lang: str = "sv") -> str:
    """"1 månad", "6 månader": the count and its word by Babel's plural rules."""
    return f"{n}\u00a0{one if LOCALES[lang].plural_form(n) == 'one' else other}"


def _environment(fmt: str, folder: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        undefined=StrictUndefined,
        autoescape=fmt == "html",  # every template, not only *.html: the letter bodies are shared
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    return env


@dataclass
class LetterRequest:
    """A letter for every decided proposal, into ``folder``, in ``fmt`` (md, html or pdf).

    Given to a batch: it renders each letter where the decision is made (in the worker
    processes, so PDFs use every core) and the batch writes them, one by one, after it has
    made sure that no two decisions of the run share a name."""

    folder: Path
    fmt: str = "md"
    _writers: dict = field(default_factory=dict, repr=False, compare=False)

    def __call__(self, rulebook: Rulebook, loaded: Loaded, decision: Decision) -> tuple[str, bytes]:
        """The letter's file name and bytes."""
        writer = self._writers.get(id(rulebook))
        if writer is None:
            writer = self._writers[id(rulebook)] = Letters(rulebook)
        body = writer.render(loaded, decision, self.fmt)
        return letter_name(decision, self.fmt), body.encode("utf-8") if isinstance(body, str) else body


def letter_name(decision: Decision, fmt: str) -> str:
    """``<fund>-<proposal id>.<lang>.<ext>``: the fund is in the name because an id is unique
    only within a fund, and the id is escaped one-to-one (``a/b`` and ``a_b`` stay apart)."""
    return f"{safe_name(decision.fund)}-{safe_name(decision.proposal)}.{decision.lang}.{fmt}"


class Letters:
    """Renders letters for decisions; environments are made once and reused."""

    def __init__(self, rulebook: Rulebook, templates: Path = TEMPLATES):
        self.rulebook = rulebook
        self.templates = Path(templates)
        self._envs = {fmt: _environment(fmt, self.templates) for fmt in ("md", "html")}

    def context(self, loaded: Loaded, decision: Decision, case: CaseDetails | None = None) -> dict[str, Any]:
        """Everything a letter says, as plain values (the templates only arrange and word them)."""
        return letter_context(self.rulebook, loaded, decision, case)

    def render(self, loaded: Loaded, decision: Decision, fmt: str = "md",
               case: CaseDetails | None = None) -> str | bytes:
        if fmt not in FORMATS:
            raise UsageError(f"unknown letter format '{fmt}': use md, html or pdf")
        context = self.context(loaded, decision, case)
        if fmt == "pdf":
            return html_to_pdf(self._render("html", context), self.templates)
        return self._render(fmt, context)

    def _render(self, fmt: str, context: dict[str, Any]) -> str:
        template = self._envs[fmt].get_template(f"{context['lang']}/{context['decision']['outcome']}.j2")
        if fmt == "md":
            context = _deep_map(context, md_escape)
        text = template.render(context, format=fmt)
        if fmt == "md":
            text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return text

    def write(self, loaded: Loaded, decision: Decision, folder: Path, fmt: str = "md",
              case: CaseDetails | None = None) -> Path:
        """Write ``<fund>-<proposal id>.<lang>.<ext>`` (``letter_name``) into ``folder`` atomically;
        returns the path."""
        body = self.render(loaded, decision, fmt, case)
        path = Path(folder) / letter_name(decision, fmt)
        write_atomically(path, body)
        return path

    def render_followup(self, loaded: Loaded, result, lang: str = "sv", fmt: str = "md") -> str | bytes:
        """A notice after follow-up: payments withheld, review, repayment per committee and year."""
        if fmt not in FORMATS:
            raise UsageError(f"unknown letter format '{fmt}': use md, html or pdf")
        context = followup_context(self.rulebook, loaded, result, lang)
        html_or_md = "html" if fmt == "pdf" else fmt
        template = self._envs[html_or_md].get_template(f"{lang}/followup.j2")
        if html_or_md == "md":
            context = _deep_map(context, md_escape)
        text = template.render(context, format=html_or_md)
        if fmt == "pdf":
            return html_to_pdf(text, self.templates)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n" if fmt == "md" else text


def html_to_pdf(html: str, base: Path) -> bytes:
    """The HTML letter as PDF/A-2a, tagged for accessibility (headings, lists, tables)."""
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - installed with the project
        raise UsageError(f"PDF letters need WeasyPrint and its system libraries (pango): {exc}") from None
    import warnings

    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB output-intent profile for PDF/A and never closes it;
        # the file is dropped (and warned about) while the PDF is written.
        warnings.simplefilter("ignore", ResourceWarning)
        return weasyprint.HTML(string=html, base_url=str(base)).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def environment(fmt: str, folder: Path = TEMPLATES) -> ImmutableSandboxedEnvironment:
    """The sandboxed template environment of a format (md or html), as the letters use it:
    for the other documents a person reads (officer's reports, board packs, protocol excerpts)."""
    return _environment(fmt, Path(folder))


def markdown_safe(context: dict[str, Any]) -> dict[str, Any]:
    """Every text of a context escaped for Markdown (values never become markup)."""
    return _deep_map(context, md_escape)


def _deep_map(value: Any, fn) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _deep_map(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_deep_map(v, fn) for v in value]
    return value


def letter_context(rulebook: Rulebook, loaded: Loaded, decision: Decision,
                   case: CaseDetails | None = None) -> dict[str, Any]:
    p: Proposal = loaded.model
    lang = decision.lang
    version = rulebook.policies.fund(decision.fund).version_at(dt.date.fromisoformat(decision.policy_version))
    params = version.params
    day = dt.date.fromisoformat(decision.decision_date)
    granted = decision.outcome in ("approved", "approved_with_conditions")
    findings = [_finding(f, lang) for f in decision.findings]
    completions = list({(f["clause"], f["action"]): f for f in findings if f["severity"] == "complete"}.values())
    context: dict[str, Any] = {
        "lang": lang,
        "fund": _fund_words(rulebook, decision.fund, p.submitted, lang),
        "case": _case_words(case, lang),
        "proposal": _proposal_words(p, lang) | {"submitted": fmt_date(
            case.received if case is not None and case.received is not None else p.submitted, lang)},
        "decision": {
            "outcome": decision.outcome,
            "date": fmt_date(day, lang),
            "policy_version": fmt_date(version.version, lang),
            "deadline": fmt_date(dt.date.fromisoformat(decision.completion_deadline), lang)
            if decision.completion_deadline else None,
            "completion_days": params["decision.completion_days"],
            "amount": fmt_money(decision.fund_grant, lang) if decision.fund_grant is not None else None,
        },
        "findings": findings,
        "rejections": [f for f in findings if f["severity"] == "reject"],
        "completions": completions,
        "conditions": [f for f in findings if f["severity"] == "condition"]
        + [{"clause": "", "title": "", "action": text.rstrip(". "), "due": None} for text in (case.conditions if case
                                                                                              else ())],
        "notes": [f for f in findings if f["severity"] == "note"],
        "grant": _grant(decision, lang) if granted else None,
        "reporting": _reporting(p, params, lang) if granted else None,
        "repayment": _repayment(p, params, lang) if granted and params.get("repayment.enabled") else None,
        # the BCR's sensitivity as an inline SVG chart: HTML (and PDF) letters show it (format/sensitivity.j2)
        "sensitivity_svg": _sensitivity_svg(decision, lang),
    }
    return context


def _sensitivity_svg(decision: Decision, lang: str):
    if decision.sensitivity is None:
        return None
    from markupsafe import Markup

    from governance.engine.sensitivity import Sensitivity, chart_svg

    return Markup(chart_svg(Sensitivity.from_json(decision.sensitivity), lang))  # built by us, its text escaped


def _finding(f, lang: str) -> dict[str, Any]:
    """A finding as a letter shows it: the rule's own sentences, never raw values."""
    return {
        "clause": f.clause, "title": f.title, "severity": f.severity,
        "severity_word": SEVERITY_WORDS[lang][f.severity], "message": f.message,
        "action": (f.action or "").rstrip(". "),
        "due": fmt_date(dt.date.fromisoformat(f.due), lang) if f.due else None,
    }


def _grant(decision: Decision, lang: str) -> dict[str, Any] | None:
    per_year = decision.fund_grant_per_year
    if not per_year:
        return None
    return {"rows": [{"year": y, "amount": fmt_money(a, lang)} for y, a in sorted(per_year.items())],
            "total": fmt_money(sum(per_year.values()), lang)}


def _reporting(p: Proposal, params: dict, lang: str) -> dict[str, Any]:
    month, day = (int(x) for x in params["reporting.progress_due"].split("-"))
    final_months = params["reporting.final_due_months"]
    years = list(range(p.start.year, p.end.year + 1))
    return {
        "years": fmt_value([str(y) for y in years], "names", lang),
        "year_count": len(years),
        "progress_due": fmt_date(dt.date(2000, month, day), lang).rsplit(" ", 1)[0],  # "31 mars"
        "final_by": fmt_date(add_months(p.end, final_months), lang),
        "final_months": final_months,
        "enrolment_share": fmt_value(params["followup.min_enrolment_share"], "share", lang),
        "extension_months": params["followup.max_extension_months"],
        "extensions": params.get("followup.max_extensions", 1),
    }


def _repayment(p: Proposal, params: dict, lang: str) -> dict[str, Any]:
    commitments = [f"{c.committee} ({fmt_value(c.share, 'share', lang)})" if c.share is not None else c.committee
                   for c in p.repayment or []]
    return {
        "commitments": fmt_value(commitments, "names", lang) if commitments else None,
        "min_sms": params["repayment.min_sms"],
        "spread_years": params["repayment.spread_years"],
        "cap": fmt_value(params["repayment.cap_share"], "share", lang),
    }


def _fund_words(rulebook: Rulebook, fund_id: str, day: dt.date, lang: str) -> dict[str, Any]:
    fund = rulebook.policies.fund(fund_id)
    if fund.letter is None:
        raise UsageError(f"the fund '{fund.id}' has no letter.yaml in its policy folder: letters need its council, "
                         "board, signatory, place, contact, address and court")
    spec = fund.letter
    word = lambda t: getattr(t, lang)  # noqa: E731
    return {"id": fund.id, "name": word(fund.version_at(day).name), "organisation": word(spec.organisation),
            "council": word(spec.council), "board": word(spec.board), "signatory": word(spec.signatory.title),
            "signatory_name": spec.signatory.name, "place": word(spec.place), "contact": word(spec.contact),
            "address": word(spec.address), "court": word(spec.court), "is_region": spec.kind == "region"}


def letter_fund_words(rulebook: Rulebook, fund_id: str, lang: str, day: dt.date | None = None) -> dict[str, Any]:
    """How the fund addresses and signs (organisation, board, address, signatory, court …)."""
    fund = rulebook.policies.fund(fund_id)
    return _fund_words(rulebook, fund_id, day or max(fund.versions), lang)


def _case_words(case: CaseDetails | None, lang: str) -> dict[str, Any]:
    case = case or CaseDetails()
    return {"diarienummer": case.diarienummer,
            "meeting_date": fmt_date(case.meeting_date, lang) if case.meeting_date else None,
            "paragraph": str(case.paragraph).lstrip("§ ") if case.paragraph else None,
            "wording": case.wording.rstrip(". ") if case.wording else None, "reasons": case.reasons,
            # the outcome proposed, as a word without markup characters (Markdown letters escape "_")
            "proposed": {"approved": "approve", "approved_with_conditions": "conditions",
                         "rejected": "reject"}.get(case.proposed or "")}


def _proposal_words(p: Proposal, lang: str) -> dict[str, Any]:
    return {
        "id": p.id, "title": p.title,
        "applicants": fmt_value([p.applicant.lead.name, *(x.name for x in p.applicant.partners or [])], "names", lang),
        "start": fmt_date(p.start, lang), "end": fmt_date(p.end, lang),
    }


def followup_context(rulebook: Rulebook, loaded: Loaded, result, lang: str) -> dict[str, Any]:
    p: Proposal = loaded.model
    by = {kind: [{"clause": n.clause, "message": n.message} for n in result.notices if n.severity == kind]
          for kind in ("withhold", "review", "repay", "notice", "complete")}
    return {
        "lang": lang,
        "fund": _fund_words(rulebook, p.fund, p.submitted, lang),
        "proposal": _proposal_words(p, lang),
        "followup": {
            "date": fmt_date(dt.date.fromisoformat(result.date), lang),
            "withheld": result.withheld, **by,
            "payment": {"year": str(result.next_payment.year), "amount": fmt_money(result.next_payment.amount_sek, lang)}
            if result.next_payment else None,
            "repayments": [[r.committee, str(r.budget_year), fmt_money(r.amount_sek, lang)] for r in result.repayments],
            "capped": [{"period": str(c.report_period), "cap": fmt_money(c.cap_sek, lang),
                        "room": fmt_money(c.room_sek, lang),
                        "shares": [[k, fmt_money(u, lang), fmt_money(a, lang)] for k, u, a in c.shares]}
                       for c in getattr(result, "capped", [])],
            "any": bool(result.notices or result.repayments),
        },
    }
