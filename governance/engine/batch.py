"""Deciding many files: in input order, as a stream, on every core — and one bad file never
stops or loses the others.

``stream`` yields one ``Outcome`` per input file, in the order of the input, as soon as it
and every file before it are decided; nothing is held back, so the first decisions of a
folder of 50 000 are out within a second and memory stays flat however large the folder.

Large folders are split over forked processes (durable_rules holds the GIL, so threads
would not help); the rulebook is loaded before the fork, so the workers share it. Every
failure is kept to its file:

* an input error, an engine error or any unexpected exception in one file is that file's
  problem (never a traceback, never the end of the run);
* a worker process that dies (the rule engine is C code) breaks the pool: the files it had
  are decided again, each alone, in a fresh pool, so the one file that kills a process is
  named and every other file is decided.

Letters are rendered in the workers (PDFs on every core) and written here, one by one,
after the check that no two decisions of the run share an id (nothing is overwritten).
"""
from __future__ import annotations

import datetime as dt
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from governance.engine.decision import Decision
from governance.engine.judge import decide
from governance.engine.rulebook import Rulebook
from governance.errors import FundgovError, Problem, display_path
from governance.formats.files import expand_paths
from governance.formats.loader import Loaded, load_proposal_text
from governance.i18n import _
from governance.writing import write_atomically

#: below this many files one process is faster than starting workers (a decision costs
#: about a millisecond; rendering a PDF letter a hundred times that)
PARALLEL_FROM = 200
PARALLEL_FROM_WITH_PDF = 4

#: what to make of each decision where it is made (a letter): called with the rulebook, the
#: loaded proposal and the decision, it returns a file name and its bytes; ``folder`` is
#: where the batch writes them. It may raise OSError or a FundgovError.
Render = Callable[[Rulebook, Loaded, Decision], tuple[str, bytes]]


@dataclass(slots=True)
class Outcome:
    """What became of one input file."""

    index: int
    file: str
    decision: Decision | None = None
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None  # the input as read, where asked for (to record it)
    output: tuple[str, bytes] | None = None  # (file name, bytes) made by the render hook
    written: Path | None = None  # where that output was written


@dataclass
class BatchResult:
    """A whole run collected (the stream is the way for large folders)."""

    decisions: list[Decision] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to decide a file; set before the workers are forked."""

    rulebook: Rulebook
    decision_date: dt.date
    lang: str
    evidence: Any = None
    render: Render | None = None
    keep_text: bool = False


def decide_one(job: Job, index: int, path: str) -> Outcome:
    """Decide one file; whatever goes wrong is this file's problem."""
    name = display_path(path)
    outcome = Outcome(index, name)
    try:
        loaded, text = load_proposal_text(path)
        outcome.decision = decide(job.rulebook, loaded, job.decision_date, job.lang, evidence=job.evidence)
        if job.keep_text:
            outcome.text = text
        if job.render is not None:
            try:
                outcome.output = job.render(job.rulebook, loaded, outcome.decision)
            except OSError as exc:
                outcome.problems.append(Problem(_("cannot make the letter: {reason}").format(
                    reason=exc.strerror or exc), name))
            except FundgovError as exc:
                outcome.problems.extend(exc.problems)
    except FundgovError as exc:
        outcome.problems.extend(exc.problems)
    except (RecursionError, MemoryError) as exc:
        outcome.problems.append(Problem(_("internal error: the file could not be decided ({reason})").format(
            reason=type(exc).__name__), name, hint=_("please report this with the file")))
    except Exception as exc:  # noqa: BLE001 - a defect, reported for this file only
        outcome.problems.append(Problem(_("internal error: {reason}").format(reason=f"{type(exc).__name__}: {exc}"),
                                        name, hint=_("please report this with the file")))
    return outcome


# ------------------------------------------------------------------------------ the stream

def stream(rulebook: Rulebook, paths: list[str | Path], decision_date: dt.date, lang: str = "sv",
           jobs: int | None = None, render: Render | None = None, folder: Path | None = None,
           evidence: Any = None, keep_text: bool = False) -> Iterator[Outcome]:
    """One ``Outcome`` per input file, in input order (first the paths that name nothing
    readable). A decision whose id another decision of the run already has is not kept (its
    outcome says so), and the outputs of ``render`` are written into ``folder``."""
    files, problems = expand_paths(paths)
    for i, problem in enumerate(problems):
        yield Outcome(-1 - i, problem.file or "", problems=[problem])
    job = Job(rulebook, decision_date, lang, evidence, render, keep_text)
    jobs = jobs or min(os.cpu_count() or 1, 8)
    threshold = PARALLEL_FROM_WITH_PDF if render is not None and getattr(render, "fmt", None) == "pdf" \
        else PARALLEL_FROM
    names = [str(f) for f in files]
    if jobs > 1 and len(names) >= threshold and _can_fork():
        outcomes = _parallel(job, names, min(jobs, len(names)))
    else:
        outcomes = (decide_one(job, i, path) for i, path in enumerate(names))
    seen: dict[tuple[str, str], str] = {}
    written: set[str] = set()
    for outcome in outcomes:
        decision = outcome.decision
        if decision is not None:
            key = (decision.fund, decision.proposal)
            if key in seen:
                outcome.problems.append(_duplicate(decision, outcome.file, names[outcome.index], seen[key]))
                outcome.decision = None
                outcome.output = None
            else:
                seen[key] = outcome.file
        if outcome.output is not None and folder is not None:
            name, body = outcome.output
            if name in written:  # pragma: no cover - names are one-to-one with (fund, id), checked above
                outcome.problems.append(Problem(_("a letter named {name} was already written in this run").format(
                    name=name), outcome.file))
            else:
                try:
                    write_atomically(Path(folder) / name, body)
                    written.add(name)
                    outcome.written = Path(folder) / name
                except OSError as exc:
                    outcome.problems.append(Problem(_("cannot write the letter {name}: {reason}").format(
                        name=name, reason=exc.strerror or exc), outcome.file))
            outcome.output = None  # written: let the bytes go
        yield outcome


def _duplicate(decision: Decision, file: str, path: str, other: str) -> Problem:
    """A decision whose id another of the run has: placed at its id, the file read again for
    the place (a valid file is read without positions, and a repeated id is rare)."""
    message = _("the proposal id '{id}' of the fund '{fund}' is also in {other}").format(
        id=decision.proposal, fund=decision.fund, other=other)
    hint = _("a proposal id is unique within a fund: this one is not decided")
    try:
        return load_proposal_text(path)[0].source.problem(("id",), message, hint)
    except (FundgovError, OSError):  # changed or gone since: said without its line
        return Problem(message, file, field="id", hint=hint)


def check_paths(rulebook: Rulebook, paths: list[str | Path], decision_date: dt.date, lang: str = "sv",
                jobs: int | None = None, render: Render | None = None, folder: Path | None = None,
                evidence: Any = None) -> BatchResult:
    """The whole stream collected: every decision and every problem."""
    result = BatchResult()
    for outcome in stream(rulebook, paths, decision_date, lang, jobs, render, folder, evidence):
        if outcome.decision is not None:
            result.decisions.append(outcome.decision)
        result.errors.extend(outcome.problems)
    return result


# ------------------------------------------------------------------------------ processes

_job: Job | None = None  # the job of this process (set before the fork, inherited by the workers)


def _can_fork() -> bool:
    import multiprocessing as mp

    return "fork" in mp.get_all_start_methods()


def _decide_chunk(chunk: list[tuple[int, str]]) -> list[Outcome]:
    assert _job is not None
    return [decide_one(_job, index, path) for index, path in chunk]


def _crashed(index: int, path: str) -> Outcome:
    return Outcome(index, display_path(path), problems=[Problem(
        _("internal error: the process deciding this file stopped"), display_path(path),
        hint=_("please report this with the file; the other files were decided"))])


def _chunks(names: list[str], jobs: int) -> list[list[tuple[int, str]]]:
    """The files in chunks that start small (the first decisions are out at once) and grow to
    the size that keeps the workers busy with little traffic."""
    most = max(1, min(64, len(names) // (jobs * 8)))
    chunks, start, size = [], 0, 1
    while start < len(names):
        chunks.append([(i, names[i]) for i in range(start, min(start + size, len(names)))])
        start += size
        size = min(most, size * 2)
    return chunks


def _parallel(job: Job, names: list[str], jobs: int) -> Iterator[Outcome]:
    """Outcomes in input order from a pool of forked workers, a bounded number of chunks in
    flight; a pool broken by a dying worker is replaced and the files it held are decided
    again, each alone, so that only the file that kills a worker is lost."""
    import gc
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _job
    _job = job
    gc.collect()
    gc.freeze()  # the rulebook and the imports: never scanned again, and shared with the workers unchanged
    chunks = deque(_chunks(names, jobs))
    context = mp.get_context("fork")
    pool = ProcessPoolExecutor(jobs, mp_context=context)
    in_flight: deque = deque()  # (chunk, future), in input order
    try:
        while chunks or in_flight:
            broken = False
            while chunks and len(in_flight) < jobs * 4 and not broken:
                chunk = chunks.popleft()
                try:
                    in_flight.append((chunk, pool.submit(_decide_chunk, chunk)))
                except BrokenProcessPool:  # a worker died while more was being handed out
                    chunks.appendleft(chunk)
                    broken = True
            if not broken:
                chunk, future = in_flight[0]
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                else:
                    in_flight.popleft()
                    yield from results
                    continue
            # the pool is broken and every chunk in flight is lost with it: decide each of
            # their files alone, in order, in a fresh pool, so that only the file that kills
            # a worker is lost; then go on with the rest as before
            pool.shutdown(wait=True, cancel_futures=True)
            lost = [item for c, _f in in_flight for item in c]
            in_flight.clear()
            pool = ProcessPoolExecutor(jobs, mp_context=context)
            for index, path in lost:
                try:
                    yield pool.submit(_decide_chunk, [(index, path)]).result()[0]
                except BrokenProcessPool:
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = ProcessPoolExecutor(jobs, mp_context=context)
                    yield _crashed(index, path)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None
        gc.unfreeze()
