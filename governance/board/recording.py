"""Recording a stream of decisions in the register as they are made.

Decisions are recorded in transactions of a few hundred, with the input exactly as it was
read when it was decided (no second read, no second parse: the decision carries its fund
grant per year). A register that cannot be written stops the recording, never the
deciding: every decision is still given to the caller, and the failure is reported once
at the end with how many decisions were and were not recorded.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.engine.decision import Decision
from governance.errors import FundgovError, Problem
from governance.i18n import _, ngettext

BATCH = 500


@dataclass
class DecisionRecorder:
    """``add`` each decision with its input text; ``close`` records what is left and returns
    the problems (empty where everything was recorded)."""

    target: Any  # a register path or database address (governance.board.register.Register)
    rules_dir: Path
    policies_dir: Path
    engine_version: str
    recorded_at: dt.datetime
    ids: list[int] = field(default_factory=list)  # the decisions recorded now
    #: ("same", file, id): held already, not recorded again; ("replaces", file, id, earlier id)
    notes: list[tuple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _pending: list[tuple[str, str, Decision]] = field(default_factory=list)
    _register: Any = None
    _failed: bool = False
    _not_recorded: int = 0
    _snapshot: tuple[str, dict[str, str]] | None = None

    def __post_init__(self) -> None:
        # The rule and policy files are read once, as the recording starts (just after the
        # rulebook that decides was loaded), not again for every batch: a file saved during a
        # long run would otherwise be recorded as the rules of decisions it did not make.
        from governance.board.inputs import snapshot

        try:
            self._snapshot = snapshot(self.rules_dir, self.policies_dir)
        except (FundgovError, OSError) as exc:
            self._fail(exc)

    def add(self, file: str, text: str, decision: Decision) -> None:
        if self._failed:
            self._not_recorded += 1
            return
        self._pending.append((file, text, decision))
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending or self._failed:
            return
        from governance.board.register import Register

        grants = {file: ({int(y): a for y, a in d.fund_grant_per_year.items()}
                         if d.fund_grant_per_year is not None else None) for file, _text, d in self._pending}
        try:
            if self._register is None:
                self._register = Register(self.target)
            notes: list[tuple] = []
            ids = self._register.record_decisions(self._pending, self._snapshot, self.engine_version,
                                                  self.recorded_at, grants, notes)
            held = {n[2] for n in notes if n[0] == "same"}
            self.ids.extend(dict.fromkeys(rid for rid in ids if rid not in held))  # a repeat: its one row
            self.notes.extend(notes)
        except (FundgovError, OSError) as exc:
            self._not_recorded += len(self._pending)
            self._fail(exc)
        self._pending.clear()

    def _fail(self, exc: FundgovError | OSError) -> None:
        """Recording stops here (deciding goes on); the reason is reported once, at the end."""
        self._failed = True
        self.problems.extend(exc.problems if isinstance(exc, FundgovError)
                             else [Problem(_("cannot write the register: {reason}").format(
                                 reason=exc.strerror or exc), str(self.target))])

    def close(self) -> list[Problem]:
        self._flush()
        if self._register is not None:
            self._register.close()
            self._register = None
        if self._failed:
            self.problems.append(Problem(ngettext("{n} decision was not recorded ({done} were)",
                                                  "{n} decisions were not recorded ({done} were)",
                                                  self._not_recorded).format(n=self._not_recorded, done=len(self.ids)),
                                         str(self.target)))
        return self.problems
