"""After the decision: follow-up reports judged by rule files on durable_rules (§5.3–§5.6, §7).

A proposal and its reports become *items*, each one fact for the engine:

* ``report_due``: a progress report for each calendar year of the project, due by
  ``reporting.progress_due`` the next year, and the final report ``reporting.final_due_months``
  after the end — received or not, and how late;
* ``enrolment``: the first progress or final report submitted on or after the project's
  midpoint, with the share of the planned target group reached, and the latest such report
  (a review under 7.2 ends when a later report shows enrolment at or above the share);
* ``effect_report``: each effect report, with its design's SMS level, whether the interval
  of the primary outcome excludes zero, and the verified savings inside and outside the
  municipality;
* ``extension_request``: each request to extend the project (7.3) sent with a report, judged
  first, in the order submitted (``governance.board.extensions``): a granted one moves the
  end, and the other items are judged with the new end.

The rules in ``rules/follow-up/`` give notices: ``withhold`` (the next payment is withheld),
``review`` (the project is reviewed), ``repay`` (repayment is triggered), ``notice``
(information), ``complete`` (the report lacks what a rule needs) or ``refuse`` (an extension
request is refused; one that no rule refuses is granted, a notice of severity ``extend``). The amounts a triggered
repayment costs each committee, capped and spread over budget years (§5.4), are computed
here, in plain Python, from the reports in date order, in whole kronor (money.py); repayments
the register already holds are taken as recorded, never computed again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.dates import add_months
from governance.errors import InputError
from governance.i18n import _, ngettext, use_language
from governance.engine.facts import Fact, FactType
from governance.engine.figures import SMS_LEVELS, yearly_grants
from governance.engine.effects import measured_savings
from governance.engine.judge import engine_fact
from governance.formats.loader import Loaded
from governance.formats.proposal import FollowUpReport, Proposal, VerifiedSaving
from governance.engine.rulebook import Rulebook, findings_of, load_rulebook
from governance.policy.book import PolicyBook, PolicyVersion
from governance.board.extensions import ITEM as EXTENSION, Ruling, extended, request_fact, requests
from governance.board.money import cap_of, pro_rata, share_of, spread
from governance.messages import fill
from governance.wording import fmt_date, fmt_money, fmt_value

SEVERITIES = frozenset({"withhold", "review", "repay", "notice", "complete", "refuse"})
#: how strongly a notice counts (``extend``, a granted extension, is given by the program, never by a rule)
RANK = {"withhold": 6, "review": 5, "refuse": 4, "repay": 3, "extend": 2, "complete": 1, "notice": 0}


def _fact(name: str, kind: str, description: str, values: tuple[str, ...] = ()) -> Fact:
    return Fact(name, FactType(kind, values), "follow-up", description)


FACTS: dict[str, Fact] = {f.name: f for f in [
    _fact("item", "enum", "what the fact is about", ("report_due", "enrolment", "effect_report", EXTENSION)),
    _fact("report_kind", "enum", "the kind of report due", ("progress", "final")),
    _fact("period", "year", "the calendar year reported"),
    _fact("due", "date", "the day the report is due"),
    _fact("received", "date", "the day the report arrived"),
    _fact("overdue", "boolean", "the report is past due and has not arrived"),
    _fact("days_late", "days", "days past due (arrived late, or still missing)"),
    _fact("enrolled", "integer", "people reached"),
    _fact("planned", "integer", "the planned target group"),
    _fact("enrolment_share", "share", "people reached / planned target group"),
    _fact("sms_level", "integer", "the effect report's design on the Maryland scale"),
    _fact("ci_excludes_zero", "boolean", "the interval of the primary outcome excludes zero"),
    _fact("ci_low", "number", "lower bound of the primary outcome's interval"),
    _fact("ci_high", "number", "upper bound of the primary outcome's interval"),
    _fact("verified_municipal_sek", "money", "verified savings inside the municipality"),
    _fact("verified_outside_sek", "money", "verified savings outside the municipality (region, state)"),
    _fact("submitted", "date", "the day the report was submitted"),
    _fact("latest_enrolled", "integer", "people reached by the latest report that states it"),
    _fact("latest_enrolment_share", "share", "the latest report's people reached / planned target group"),
    _fact("latest_submitted", "date", "the day the latest report stating enrolment was submitted"),
    _fact("extension_months", "months", "the months an extension request asks for"),
    _fact("earlier_extensions", "integer", "extensions granted before this request"),
    _fact("end", "date", "the project's end before this request"),
]}


def load_followup_rules(folder: Path, policies: PolicyBook) -> Rulebook:
    return load_rulebook(folder, policies, facts=FACTS, severities=SEVERITIES)


@dataclass(frozen=True)
class Notice:
    rule: str
    clause: str
    severity: str
    message: str
    item: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Repayment:
    """One yearly instalment of a committee's repayment triggered by an effect report."""

    committee: str
    budget_year: int
    amount_sek: int
    report_period: int
    id: int | None = None  # the register's id of the instalment, once recorded


@dataclass(frozen=True)
class RecordedRepayment:
    """What the register holds for one report and committee: taken as it is."""

    committee: str
    amount_sek: int
    uncapped_sek: int
    instalments: tuple[tuple[int, int, int], ...]  # (id, budget year, amount)


@dataclass(frozen=True)
class CapShare:
    """§5.4 where the cap binds: the room left under the cap, shared pro rata."""

    report_period: int
    cap_sek: int
    room_sek: int  # left under the cap before this report
    shares: tuple[tuple[str, int, int], ...]  # (committee, without the cap, due)


@dataclass(frozen=True)
class Payment:
    year: int
    amount_sek: int


@dataclass
class FollowUpResult:
    proposal: str
    fund: str
    policy_version: str
    date: str
    notices: list[Notice] = field(default_factory=list)
    repayments: list[Repayment] = field(default_factory=list)
    next_payment: Payment | None = None  # the fund's next payment by the budget: what is withheld
    grant_sek: int = 0
    cap_sek: int | None = None  # repayment.cap_share × the fund grant, where the fund has repayment
    capped: list[CapShare] = field(default_factory=list)
    uncapped: dict[tuple[int, str], int] = field(default_factory=dict)  # (report period, committee) -> amount
    #: verified savings valued from the reports' measured effects, with their arithmetic (engine.effects)
    measured: list[dict] = field(default_factory=list)
    #: the extension requests (7.3) in the order submitted, granted or refused
    extensions: list[Ruling] = field(default_factory=list)
    end: str | None = None  # the project's end, moved by the extensions granted
    #: reports given that the register held already (the same bytes): not recorded again
    held_reports: list[str] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return any(n.severity == "withhold" for n in self.notices)

    @property
    def under_review(self) -> bool:
        return any(n.severity == "review" for n in self.notices)

    def as_json(self) -> dict:
        return {
            "proposal": self.proposal, "fund": self.fund, "policy_version": self.policy_version, "date": self.date,
            "payment_withheld": self.withheld, "under_review": self.under_review,
            "next_payment": vars(self.next_payment) if self.next_payment else None,
            "notices": [vars(n) | {"values": {k: (v.isoformat() if isinstance(v, dt.date) else v)
                                              for k, v in n.values.items()}} for n in self.notices],
            "repayments": [vars(r) for r in self.repayments],
            "cap_sek": self.cap_sek,
            "capped": [{"report_period": c.report_period, "cap_sek": c.cap_sek, "room_sek": c.room_sek,
                        "shares": [{"committee": k, "without_cap_sek": u, "due_sek": a} for k, u, a in c.shares]}
                       for c in self.capped],
            "measured_effects": self.measured,
            "end": self.end,
            "extensions": [r.as_json() for r in self.extensions],
        }


def items(p: Proposal, reports: list[FollowUpReport], params: dict, on: dt.date) -> list[dict[str, Any]]:
    """The follow-up facts of a proposal and its reports, judged on the day ``on``."""
    out: list[dict[str, Any]] = []
    ordered = sorted(reports, key=lambda r: (r.submitted, r.kind, r.period))
    month, day = (int(x) for x in params["reporting.progress_due"].split("-"))
    dues = [("progress", year, dt.date(year + 1, month, day)) for year in range(p.start.year, p.end.year + 1)]
    dues.append(("final", p.end.year, add_months(p.end, params["reporting.final_due_months"])))
    for kind, period, due in dues:
        got = next((r for r in ordered if r.kind == kind and (kind == "final" or r.period == period)), None)
        fact: dict[str, Any] = {"item": "report_due", "report_kind": kind, "period": period, "due": due}
        if got is not None:
            fact["received"] = got.submitted
            fact["overdue"] = False
            fact["days_late"] = max(0, (got.submitted - due).days)
        else:
            fact["overdue"] = on > due
            fact["days_late"] = max(0, (on - due).days)
        out.append(fact)
    midpoint = midpoint_of(p)
    after = [r for r in ordered if r.kind in ("progress", "final") and r.submitted >= midpoint]
    if after:
        at_mid = after[0]
        fact = {"item": "enrolment", "submitted": at_mid.submitted, "period": at_mid.period}
        planned = p.target_group.size if p.target_group else None
        stating = [r for r in after if r.enrolled is not None]
        if at_mid.enrolled is not None:
            fact["enrolled"] = at_mid.enrolled
            fact["latest_enrolled"], fact["latest_submitted"] = stating[-1].enrolled, stating[-1].submitted
        if planned:
            fact["planned"] = planned
            if at_mid.enrolled is not None:
                fact["enrolment_share"] = at_mid.enrolled / planned
                fact["latest_enrolment_share"] = stating[-1].enrolled / planned
        out.append(fact)
    primary = None
    if p.evaluation and p.evaluation.primary_outcomes:
        primary = p.evaluation.primary_outcomes[0].name
    for r in ordered:
        if r.kind != "effect":
            continue
        fact = {"item": "effect_report", "period": r.period, "submitted": r.submitted}
        if r.design is not None:
            fact["sms_level"] = SMS_LEVELS[r.design]
        outcome = None
        if r.outcomes:
            outcome = next((o for o in r.outcomes if o.name == primary), r.outcomes[0])
        if outcome is not None and outcome.ci_low is not None and outcome.ci_high is not None:
            fact["ci_low"], fact["ci_high"] = outcome.ci_low, outcome.ci_high
            fact["ci_excludes_zero"] = outcome.ci_low > 0 or outcome.ci_high < 0
        if r.verified_savings is not None:
            fact["verified_municipal_sek"] = sum(s.sek for s in r.verified_savings if s.scope == "municipal")
            fact["verified_outside_sek"] = sum(s.sek for s in r.verified_savings if s.scope != "municipal")
        out.append(fact)
    return out


def midpoint_of(p: Proposal) -> dt.date:
    """§7.2: the day halfway between start and end (a half day falls to the earlier day)."""
    return p.start + dt.timedelta(days=(p.end - p.start).days // 2)


def fund_grant(p: Proposal) -> int:
    return sum(r.fund_sek or 0 for r in p.budget or [])


def schedule(p: Proposal, reports: list[FollowUpReport], triggered: set[int], params: dict,
             recorded: dict[int, list[RecordedRepayment]] | None = None, result: FollowUpResult | None = None
             ) -> list[Repayment]:
    """§5.4: each committee repays its share of its verified savings (whole kronor, half up),
    all repayments of the project together capped at ``repayment.cap_share`` of the fund grant
    (where the cap binds, the room left is shared between the committees of that report pro
    rata), spread as evenly as possible over ``repayment.spread_years`` budget years from the
    year after the report, the earlier years carrying the extra kronor.

    ``recorded`` (effect report period -> what the register holds) is taken as it is: a
    repayment is due once per report and committee, and it uses up room under the cap."""
    recorded = recorded or {}
    shares = {c.committee: c.share for c in p.repayment or [] if c.share is not None}
    cap = cap_of(fund_grant(p), params["repayment.cap_share"])
    room = cap - sum(r.amount_sek for rows in recorded.values() for r in rows)
    years = params["repayment.spread_years"]
    out: list[Repayment] = []
    effect_reports = sorted((r for r in reports if r.kind == "effect"), key=lambda r: (r.submitted, r.period))
    running = cap  # the room before each report, in date order (what the output shows)
    for index, report in enumerate(effect_reports):
        if report.period in recorded:
            rows = recorded[report.period]
            for r in rows:
                out.extend(Repayment(r.committee, year, amount, report.period, iid) for iid, year, amount in r.instalments)
            if result is not None:
                result.uncapped.update({(report.period, r.committee): r.uncapped_sek for r in rows})
                if any(r.amount_sek < r.uncapped_sek for r in rows):
                    result.capped.append(CapShare(report.period, cap, max(running, 0), tuple(
                        (r.committee, r.uncapped_sek, r.amount_sek) for r in rows)))
            running -= sum(r.amount_sek for r in rows)
            continue
        if index not in triggered:
            continue
        wants: dict[str, int] = {}
        for s in report.verified_savings or []:
            if s.scope == "municipal" and s.committee in shares:
                wants[s.committee] = wants.get(s.committee, 0) + s.sek
        wants = {c: share_of(wants[c], shares[c]) for c in sorted(wants)}
        dues = pro_rata(max(room, 0), wants)
        if result is not None:
            result.uncapped.update({(report.period, c): w for c, w in wants.items()})
            if dues != wants:
                result.capped.append(CapShare(report.period, cap, max(min(room, running), 0),
                                              tuple((c, wants[c], dues[c]) for c in wants)))
        room -= sum(dues.values())
        running -= sum(dues.values())
        for committee, due in dues.items():
            if due <= 0:
                continue
            for k, amount in enumerate(spread(due, years)):
                out.append(Repayment(committee, report.submitted.year + 1 + k, amount, report.period))
    return out


def next_payment(p: Proposal, on: dt.date) -> Payment | None:
    """The fund's payment for the budget year of ``on``, or the next one the budget has."""
    per_year = yearly_grants(p.budget or [])
    coming = sorted(y for y, amount in per_year.items() if y >= on.year and amount)
    return Payment(coming[0], per_year[coming[0]]) if coming else None


def check_reports(p: Proposal, reports: list[Loaded]) -> None:
    """Every report is for this proposal and fund (a placed error at the first that is not)."""
    for r in reports:
        if r.model.proposal != p.id:
            raise InputError(r.source.problem(("proposal",), _("this report is for '{other}', not '{proposal}'").format(
                other=r.model.proposal, proposal=p.id)))
        if r.model.fund != p.fund:
            raise InputError(r.source.problem(("fund",), _("this report is for the fund '{other}', not '{fund}'").format(
                other=r.model.fund, fund=p.fund)))


def evaluate(rulebook: Rulebook, proposal: Loaded, reports: list[Loaded], on: dt.date,
             lang: str = "sv", recorded: dict[int, list[RecordedRepayment]] | None = None) -> FollowUpResult:
    """Judge a proposal's follow-up reports on the day ``on`` (the engine never reads the clock).

    Only reports submitted by ``on`` count. ``recorded`` holds the repayments the register
    already has for the project, by effect report period."""
    p: Proposal = proposal.model
    check_reports(p, reports)
    version: PolicyVersion = rulebook.policies.fund(p.fund).version_at(p.submitted)
    compiled = rulebook.compiled(version)
    result = FollowUpResult(p.id, p.fund, version.version.isoformat(), on.isoformat())
    models = [_with_measured(rulebook, p.fund, r, result) for r in reports if r.model.submitted <= on]
    result.grant_sek = fund_grant(p)
    if version.params.get("repayment.enabled"):
        result.cap_sek = cap_of(result.grant_sek, version.params["repayment.cap_share"])
    p = _extend(rulebook, compiled, p, models, version, lang, result)
    result.end = p.end.isoformat()
    triggered: set[int] = set()
    effect_index = 0
    for fact in items(p, models, version.params, on):
        fired = compiled.ruleset.fire(engine_fact(fact, compiled.fact_keys))
        for rule_id, kind in findings_of(fired, rulebook.order):
            rule = compiled.rules[rule_id]
            result.notices.append(_notice(rulebook, rule, kind, fact, version, lang))
            if rule.spec.severity == "repay" and kind == "fire":
                triggered.add(effect_index)
        if fact["item"] == "effect_report":
            effect_index += 1
    result.repayments = schedule(p, models, triggered, version.params, recorded, result)
    result.next_payment = next_payment(p, on)
    result.notices.sort(key=lambda n: -RANK[n.severity])
    return result


def _extend(rulebook: Rulebook, compiled, p: Proposal, reports: list[FollowUpReport], version: PolicyVersion,
            lang: str, result: FollowUpResult) -> Proposal:
    """Judge the extension requests in the order submitted (7.3); the proposal with its end
    moved by those granted."""
    end, granted = p.end, 0
    for report in requests(reports):
        fact = request_fact(report, granted, end)
        fired = compiled.ruleset.fire(engine_fact(fact, compiled.fact_keys))
        refused = False
        for rule_id, kind in findings_of(fired, rulebook.order):
            notice = _notice(rulebook, compiled.rules[rule_id], kind, fact, version, lang)
            result.notices.append(notice)
            refused = refused or notice.severity in ("refuse", "complete")
        new_end = end if refused else extended(end, report.extension.months)
        result.extensions.append(Ruling(report.submitted, report.kind, report.period, report.extension.months,
                                        report.extension.reason, not refused, end, new_end))
        if not refused:
            values = {"submitted": report.submitted, "extension_months": report.extension.months,
                      "earlier_extensions": granted, "end": end, "new_end": new_end}
            result.notices.append(Notice("followup.extension_granted", "7.3", "extend",
                                         _granted_text(report, end, new_end, lang), EXTENSION, values))
            end, granted = new_end, granted + 1
    return p if end == p.end else p.model_copy(update={"end": end})


def _granted_text(report: FollowUpReport, end: dt.date, new_end: dt.date, lang: str) -> str:
    months = report.extension.months
    with use_language(lang):
        return ngettext("The request of {submitted} to extend the project by {n} month is granted: the project ends "
                        "on {new_end} instead of {end}, and its reports and the payments still to come follow the "
                        "new end.",
                        "The request of {submitted} to extend the project by {n} months is granted: the project ends "
                        "on {new_end} instead of {end}, and its reports and the payments still to come follow the "
                        "new end.", months).format(submitted=fmt_date(report.submitted, lang), n=months,
                                                   new_end=fmt_date(new_end, lang), end=fmt_date(end, lang))


def _with_measured(rulebook: Rulebook, fund: str, loaded: Loaded, result: FollowUpResult) -> FollowUpReport:
    """The report with its measured effects valued (unit costs in force on its submission day, at
    that year's prices) and added to its verified savings: §5.3–5.6 then treat them alike."""
    report: FollowUpReport = loaded.model
    valued = measured_savings(loaded, rulebook.policies.unit_costs, fund, report.submitted, report.submitted.year)
    if valued is None:
        return report
    result.measured.append({"report": loaded.file, "period": report.period, **valued.as_json()})
    extra = [VerifiedSaving.model_construct(committee=row["committee"], scope=row["scope"], year=row["year"],
                                            sek=row["sek"]) for row in valued.per_committee_and_year()]
    return report.model_copy(update={"verified_savings": [*(report.verified_savings or []), *extra]})


def _notice(rulebook: Rulebook, rule, kind: str, fact: dict, version: PolicyVersion, lang: str) -> Notice:
    words: dict[str, str] = {"clause": rule.clause, "title": getattr(rule.spec.title, lang), "missing": ""}
    values: dict[str, Any] = {}
    for name in dict.fromkeys((*rule.facts, *rule.spec.show)):
        if name.startswith("policy."):
            continue
        value = fact.get(name)
        values[name] = value
        words[name] = fmt_value(value, FACTS[name].type.kind, lang, rulebook.labels.value_words(name))
    for name in rule.params:
        value = version.params.get(name)
        values[f"policy.{name}"] = value
        words[f"policy.{name}"] = fmt_value(value, version.types[name].type, lang)
    if kind == "missing":
        missing = [n for n in dict.fromkeys((*rule.when_facts, *rule.needs)) if n not in fact]
        labels = rulebook.labels.facts
        words["missing"] = ", ".join(getattr(labels[n], lang) for n in missing)
        template = ("Rapporten saknar uppgifter som behövs för att pröva {clause} ({title}): {missing}." if lang == "sv"
                    else "The report lacks information needed to judge {clause} ({title}): {missing}.")
        return Notice(rule.id, rule.clause, "complete", fill(template, words, lang, values), fact["item"], values)
    return Notice(rule.id, rule.clause, rule.spec.severity, fill(getattr(rule.spec.message, lang), words, lang, values),
                  fact["item"], values)


def money(amount: int, lang: str) -> str:
    return fmt_money(amount, lang)
