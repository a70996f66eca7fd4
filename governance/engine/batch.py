"""Deciding many files: one bad file never stops or loses the others.

Folders of many proposals are split over processes (durable_rules holds the GIL, so
threads would not help). Workers are forked after the rulebook is loaded, so they share
it; each compiles its rulesets on first use.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from governance.engine.decision import Decision
from governance.engine.durable import EngineError
from governance.errors import FundgovError, Problem, display_path
from governance.engine.judge import decide
from governance.formats.loader import Loaded, expand_paths, load_proposal
from governance.engine.rulebook import Rulebook

#: below this many files one process is faster than starting workers
PARALLEL_FROM = 200


@dataclass
class BatchResult:
    decisions: list[Decision] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


#: what to do with each decision as it is made (write its letter, say): called with the
#: rulebook, the loaded proposal and the decision; it may raise OSError or a FundgovError
AfterDecision = Callable[[Rulebook, Loaded, Decision], None]


def decide_file(rulebook: Rulebook, path: Path, decision_date: dt.date, lang: str,
                after: AfterDecision | None = None, evidence=None) -> Decision | list[Problem]:
    try:
        loaded = load_proposal(path)
        decision = decide(rulebook, loaded, decision_date, lang, evidence=evidence)
        if after is not None:
            try:
                after(rulebook, loaded, decision)
            except OSError as exc:
                return [Problem(f"cannot write the letter: {exc.strerror or exc}", display_path(path))]
        return decision
    except FundgovError as exc:
        return exc.problems
    except EngineError as exc:  # a defect, reported for this file only
        return [Problem(f"internal error in the rule engine: {exc}", display_path(path))]


_worker: dict = {}


def _can_fork() -> bool:
    import multiprocessing as mp

    return "fork" in mp.get_all_start_methods()


def _work(args: tuple[int, str]) -> tuple[int, Decision | list[Problem]]:
    index, path = args
    rb, day, lang = _worker["rulebook"], _worker["date"], _worker["lang"]
    return index, decide_file(rb, Path(path), day, lang, _worker["after"], _worker["evidence"])


def check_paths(rulebook: Rulebook, paths: list[str | Path], decision_date: dt.date, lang: str = "sv",
                jobs: int | None = None, after: AfterDecision | None = None, evidence=None) -> BatchResult:
    """Decide every proposal file in ``paths`` (files, or folders of *.yaml/*.yml/*.json)."""
    files, problems = expand_paths(paths)
    result = BatchResult(errors=list(problems))
    jobs = jobs or min(os.cpu_count() or 1, 8)
    outcomes: list[Decision | list[Problem]]
    if jobs > 1 and len(files) >= PARALLEL_FROM and _can_fork():
        import multiprocessing as mp  # only here: it costs the one-shot command time to import

        _worker.update(rulebook=rulebook, date=decision_date, lang=lang, after=after, evidence=evidence)
        outcomes = [None] * len(files)  # type: ignore[list-item]
        ctx = mp.get_context("fork")
        with ctx.Pool(jobs) as pool:
            chunk = max(1, len(files) // (jobs * 8))
            for index, outcome in pool.imap_unordered(_work, list(enumerate(map(str, files))), chunksize=chunk):
                outcomes[index] = outcome
        _worker.clear()
    else:
        outcomes = [decide_file(rulebook, f, decision_date, lang, after, evidence) for f in files]
    seen: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        if isinstance(outcome, Decision):
            key = (outcome.fund, outcome.proposal)
            if key in seen:
                result.errors.append(Problem(
                    f"the proposal id '{outcome.proposal}' of fund '{outcome.fund}' is also in {seen[key]}",
                    outcome.file, field="id", hint="a proposal id is unique within a fund"))
                continue
            seen[key] = outcome.file or "?"
            result.decisions.append(outcome)
        else:
            result.errors.extend(outcome)
    return result
