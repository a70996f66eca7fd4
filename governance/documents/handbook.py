"""The policy handbook: a static HTML site a case officer can read without the code.

Per fund and policy version: every clause with its rules in plain words, the parameter
values in force with their dates and references, and the scenarios of features/ that
check the clause, as worked examples with their last result.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from governance.authoring.explain import explain, policy_rows
from governance.authoring.coverage import RuleCoverage
from governance.documents.letters import TEMPLATES, write_atomically
from governance.engine.rulebook import Rulebook, clause_key

OUTCOME_WORDS = {"passed": "godkänt", "failed": "underkänt"}


def page_name(fund: str, version: dt.date) -> str:
    return f"{fund}-{version.isoformat()}.html"


def build(rulebook: Rulebook, coverage: RuleCoverage, out: Path, lang: str = "sv",
          templates: Path = TEMPLATES, followup: Rulebook | None = None) -> list[Path]:
    """Write the handbook into ``out``; returns the pages written. ``followup`` adds the
    rules judged on follow-up reports (§5.3–§5.6, §7) to their clauses."""
    books = [rulebook] + ([followup] if followup is not None else [])
    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined,
                                        autoescape=True, trim_blocks=True, lstrip_blocks=True)
    out = Path(out)
    labels = rulebook.labels
    examples_by_clause: dict[str, list[dict]] = {}
    for name, scenario in sorted(coverage.scenarios.items()):
        for clause in scenario["clauses"]:
            examples_by_clause.setdefault(clause, []).append({"name": name, **scenario,
                                                              "result_word": OUTCOME_WORDS[scenario["result"]]})
    funds = []
    pages = []
    for fund in sorted(rulebook.policies.funds.values(), key=lambda f: (f.id != "model", f.id)):
        versions = []
        for i, day in enumerate(fund.versions):
            until = fund.versions[i + 1] - dt.timedelta(days=1) if i + 1 < len(fund.versions) else None
            versions.append({"date": day.isoformat(), "until": until.isoformat() if until else None,
                             "page": page_name(fund.id, day)})
        funds.append({"id": fund.id, "name": getattr(fund.name, lang), "versions": versions})
        for i, day in enumerate(fund.versions):
            version = fund.version_at(day)
            clauses = []
            for clause in sorted(version.clauses.values(), key=lambda c: clause_key(c.id)):
                rules = [(book, r) for book in books for r in book.rules if r.clause == clause.id]
                clauses.append({
                    "id": clause.id, "anchor": "klausul-" + re.sub(r"[^A-Za-z0-9]", "-", clause.id),
                    "title": getattr(clause.title, lang), "own": clause.fund != "model",
                    "rules": [{"id": r.id, "severity": r.spec.severity,
                               "lines": [line.strip() for line in explain(book, r, version, lang)[3:]]}
                              for book, r in rules],
                    "examples": examples_by_clause.get(clause.id, []),
                    "judged_later": not rules,
                })
            context = {
                "fund": funds[-1], "version": versions[i], "key": version.key,
                "parameters": policy_rows(version, lang, labels), "clauses": clauses,
            }
            path = out / versions[i]["page"]
            write_atomically(path, env.get_template("handbook/version.html.j2").render(context))
            pages.append(path)
    all_clauses = sorted({c for f in rulebook.policies.funds.values() for c in f.clauses}, key=clause_key)
    index = out / "index.html"
    write_atomically(index, env.get_template("handbook/index.html.j2").render(
        funds=funds, clauses=[{"id": c, "anchor": "klausul-" + re.sub(r"[^A-Za-z0-9]", "-", c),
                               "page": _page_for(rulebook, c)} for c in all_clauses],
        scenarios=len(coverage.scenarios),
        failed=sum(1 for s in coverage.scenarios.values() if s["result"] != "passed")))
    pages.append(index)
    return pages


def _page_for(rulebook: Rulebook, clause: str) -> str:
    """The newest version page of the first fund that has the clause (the model for §3–§7)."""
    for fund in sorted(rulebook.policies.funds.values(), key=lambda f: (f.id != "model", f.id)):
        if clause in fund.clauses:
            return page_name(fund.id, fund.versions[-1])
    raise KeyError(clause)  # pragma: no cover - the clause list comes from the funds
