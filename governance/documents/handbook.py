"""The policy handbook: a static HTML site a board member reads without knowing the code.

Per fund and policy version: the fund's description, an index of its clauses with their
titles, the parameter values in force in words with their dates and sources, and every
clause with its guideline text (from the policy data, filled in with the version's
values), its rules in plain sentences (each rule's ``explain``) and, as worked examples,
the scenarios of features/ that checked the clause for this fund and version, with the
decision they led to. The program's own words go through gettext (the templates use the
jinja2 i18n extension), so the handbook is Swedish by default and English with ``lang``.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.authoring.coverage import RuleCoverage
from governance.documents.letters import TEMPLATES, write_atomically
from governance.wording import OUTCOME_WORDS
from governance.engine.compiler import Compiler
from governance.engine.judge import choice_words, parameter_words
from governance.engine.rulebook import Rule, Rulebook, clause_key, rule_conditions
from governance.formats.yamlsource import parse_text
from governance.i18n import N_, _, translations, use_language
from governance.messages import fill
from governance.policy.book import Fund, PolicyVersion
from governance.wording import fmt_date, fmt_value

#: what a rule gives, as the handbook names it
SEVERITY_WORDS = {
    "reject": N_("Ground for rejection"), "complete": N_("Completion"), "condition": N_("Condition"),
    "note": N_("Note"), "withhold": N_("Payment withheld"), "review": N_("Review"),
    "repay": N_("Repayment"), "notice": N_("Notice"), "refuse": N_("Extension refused"),
    "extend": N_("Extension granted"),
}
#: the steps of features/ that change an example: "ansökan ändras så att:" and a parameter
_CHANGES = "ansökan ändras så att:"
_PARAMETER = re.compile(r'fondens parameter "(?P<name>[^"]+)" är (?P<value>.+) från "(?P<day>[0-9-]+)"')
_SAYS = re.compile(r'ansökan "(?P<name>[^"]+)"')
_MISSING = "saknas"


def page_name(fund: str, version: dt.date) -> str:
    return f"{fund}-{version.isoformat()}.html"


def anchor(clause: str) -> str:
    return "klausul-" + re.sub(r"[^A-Za-z0-9]", "-", clause)


def build(rulebook: Rulebook, coverage: RuleCoverage, out: Path, lang: str = "sv",
          templates: Path = TEMPLATES, followup: Rulebook | None = None) -> list[Path]:
    """Write the handbook into ``out``; returns the pages written. ``followup`` adds the
    rules judged on follow-up reports (§5.3–§5.6, §7) to their clauses."""
    books = [rulebook] + ([followup] if followup is not None else [])
    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined,
                                        autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                        extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)
    out = Path(out)
    funds = sorted(rulebook.policies.funds.values(), key=lambda f: (f.id != "model", f.id))
    pages: list[Path] = []
    with use_language(lang):
        listing = [_fund_listing(fund, lang, rulebook.labels) for fund in funds]
        for fund, entry in zip(funds, listing):
            for i, day in enumerate(fund.versions):
                version = fund.version_at(day)
                context = {
                    "lang": lang, "fund": entry, "version": entry["versions"][i],
                    "sections": _sections(books, fund, version, coverage, lang),
                    "parameters": _parameters(rulebook, version, lang),
                }
                path = out / entry["versions"][i]["page"]
                write_atomically(path, env.get_template("handbook/version.html.j2").render(context))
                pages.append(path)
        index = out / "index.html"
        write_atomically(index, env.get_template("handbook/index.html.j2").render(
            lang=lang, funds=listing, clauses=_clause_index(funds, lang),
            scenarios=len(coverage.scenarios),
            failed=sum(1 for s in coverage.scenarios.values() if s["result"] != "passed")))
    pages.append(index)
    return pages


def _fund_listing(fund: Fund, lang: str, labels) -> dict[str, Any]:
    versions = []
    for i, day in enumerate(fund.versions):
        until = fund.versions[i + 1] - dt.timedelta(days=1) if i + 1 < len(fund.versions) else None
        versions.append({"date": fmt_date(day, lang), "until": fmt_date(until, lang) if until else None,
                         "page": page_name(fund.id, day)})
    newest = fund.version_at(fund.versions[-1])
    return {"id": fund.id, "name": getattr(fund.name, lang), "versions": versions,
            "description": _fill(fund.description, fund, newest, lang, labels) if fund.description else None}


def _words(fund: Fund, version: PolicyVersion, lang: str, labels) -> tuple[dict[str, str], dict[str, Any]]:
    """What a policy text may name, as words and as values (for plurals and selects)."""
    words = {f"policy.{n}": parameter_words(labels, version, n, lang) for n in version.params}
    words.update({f"policy.{n}": labels.none_words(n, lang) for n in version.types if n not in version.params})
    if fund.letter is not None:
        words.update({f"fund.{w}": getattr(getattr(fund.letter, w), lang) for w in ("council", "board", "organisation")})
    values = {f"policy.{n}": version.params.get(n) for n in version.types}
    return words, values


def _fill(text2, fund: Fund, version: PolicyVersion, lang: str, labels) -> str:
    """A policy or rule text with the version's values in words."""
    words, values = _words(fund, version, lang, labels)
    return fill(getattr(text2, lang), words, lang, values)


def _parameters(rulebook: Rulebook, version: PolicyVersion, lang: str) -> list[dict[str, str]]:
    """The parameters in force, in words, with the date they apply from and their source."""
    labels = rulebook.labels
    rows = []
    for name in version.sources:
        source = version.sources[name]
        label = labels.parameters.get(name)
        meaning = getattr(label, lang) if label else (version.types[name].description or name)
        rows.append({"meaning": _capital(meaning), "value": parameter_words(labels, version, name, lang),
                     "since": fmt_date(source.from_, lang), "source": source.reference})
    return sorted(rows, key=lambda r: r["meaning"].lower())


def _sections(books: list[Rulebook], fund: Fund, version: PolicyVersion, coverage: RuleCoverage,
              lang: str) -> list[dict[str, Any]]:
    """The clauses in force, grouped by section of the guidelines (the fund's own last)."""
    labels = books[0].labels
    examples = _examples(books[0], coverage, fund, version, lang)
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for clause in sorted(version.clauses.values(), key=lambda c: clause_key(c.id)):
        rules = [(book, r) for book in books for r in book.rules if r.clause == clause.id]
        grouped.setdefault(clause.section if clause.fund == "model" else None, []).append({
            "id": clause.id, "anchor": anchor(clause.id), "title": getattr(clause.title, lang),
            "own": clause.fund != "model",
            "text": _fill(clause.text, fund, version, lang, labels) if clause.text else None,
            "rules": [_rule(book, r, fund, version, lang) for book, r in rules],
            "examples": examples.get(clause.id, []),
        })
    sections = []
    for key, clauses in grouped.items():
        spec = fund.sections.get(key) if key else None
        sections.append({
            "id": key, "title": getattr(spec.title, lang) if spec else _("The fund's own clauses"),
            "text": _fill(spec.text, fund, version, lang, labels) if spec and spec.text else None,
            "clauses": clauses,
        })
    return sorted(sections, key=lambda s: (s["id"] is None, int(s["id"] or 0)))


def _rule(book: Rulebook, rule: Rule, fund: Fund, version: PolicyVersion, lang: str) -> dict[str, Any]:
    in_force = bool(rule_conditions(rule, version.params, Compiler(book.facts)))  # empty: switched off
    spec = rule.spec
    return {
        "title": getattr(spec.title, lang), "gives": _(SEVERITY_WORDS[spec.severity]),
        "text": _fill(spec.explain, fund, version, lang, book.labels) if spec.explain else None,
        "in_force": in_force, "follow_up": spec.severity not in ("reject", "complete", "condition", "note"),
    }


def _examples(rulebook: Rulebook, coverage: RuleCoverage, fund: Fund, version: PolicyVersion,
              lang: str) -> dict[str, list[dict[str, Any]]]:
    """The scenarios decided for this fund under this version, by clause, as worked examples."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, scenario in sorted(coverage.scenarios.items(), key=lambda kv: kv[1]["title"]):
        if scenario.get("fund") != fund.id or "policy_version" not in scenario:
            continue
        decided_on = dt.date.fromisoformat(scenario["policy_version"])
        if decided_on < fund.in_force_from or fund.version_at(decided_on).version != version.version:
            continue
        decision = scenario.get("decision")
        for clause in scenario["clauses"]:
            findings = scenario.get("findings", {}).get(clause, [])
            found.setdefault(clause, []).append({
                "title": _title(scenario["title"], clause),
                "changes": _changes(rulebook, scenario["steps"], lang),
                "outcome": _(OUTCOME_WORDS[decision["outcome"]]) if decision else None,
                "findings": [{"gives": _(SEVERITY_WORDS[f["severity"]]), "title": f["title"], "message": f["message"]}
                             for f in findings],
                "failed": scenario["result"] != "passed",
            })
    return found


def _title(title: str, clause: str) -> str:
    """"3.1 Huvudsökande – en region leder projektet" → "En region leder projektet"."""
    rest = title.split(" – ", 1)[1] if " – " in title and title.startswith(clause) else title
    return rest[:1].upper() + rest[1:]


def _changes(rulebook: Rulebook, steps: list[dict], lang: str) -> list[str]:
    """What an example changes, in words: the application's fields a label names and the
    fund's parameters (rows that no label words, such as list items, are left to the title)."""
    labels, facts = rulebook.labels, rulebook.facts
    said: list[str] = []
    for step in steps:
        text = step["text"]
        match = _PARAMETER.fullmatch(text)
        if match and match["name"] in labels.parameters:
            name = match["name"]
            value = parse_text(match["value"], "<steg>").data
            version_types = {p: d for f in rulebook.policies.funds.values() for p, d in f.params.items()}
            kind = version_types[name].type if name in version_types else "text"
            words = labels.none_words(name, lang) if value is None else fmt_value(
                value, kind, lang, labels.value_words("kinds") if kind == "kinds" else None)
            said.append(_("{what}: {value} from {date}").format(
                what=_capital(getattr(labels.parameters[name], lang)), value=words,
                date=fmt_date(dt.date.fromisoformat(match["day"]), lang)))
        elif text == _CHANGES and step.get("table"):
            for field, value in step["table"][1:]:
                if field not in facts or field not in labels.facts:
                    continue
                if value == _MISSING:
                    words = _("not given")
                else:
                    parsed = parse_text(value, "<tabell>").data if value.strip() else ""
                    if isinstance(parsed, (list, dict)):
                        continue
                    kind = facts[field].type.kind
                    if kind == "date" and isinstance(parsed, str):
                        parsed = dt.date.fromisoformat(parsed)
                    if kind == "boolean" and isinstance(parsed, bool):
                        words = _("yes") if parsed else _("no")
                    else:
                        words = fmt_value(parsed, kind, lang, choice_words(rulebook, field))
                said.append(f"{_capital(getattr(labels.facts[field], lang))}: {words}")
    return said


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clause_index(funds: list[Fund], lang: str) -> list[dict[str, Any]]:
    """Every clause of every fund with its title, linked to the newest version that has it."""
    index: dict[str, dict[str, Any]] = {}
    for fund in funds:
        for clause in fund.clauses.values():
            if clause.id in index:
                continue
            owner = next(f for f in funds if f.id == clause.fund)
            index[clause.id] = {"id": clause.id, "title": getattr(clause.title, lang), "anchor": anchor(clause.id),
                                "page": page_name(owner.id, owner.versions[-1]),
                                "fund": getattr(owner.name, lang) if owner.id != "model" else None}
    return [index[c] for c in sorted(index, key=clause_key)]
