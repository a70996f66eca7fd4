"""fundgov: a rules-driven governance engine for social investment funds.

The public API::

    from governance import Governance
    gov = Governance.load()                     # rules/ and policies/ of the project
    decision = gov.decide_file("examples/model-familjestod.yaml", date(2025, 6, 1))
    batch = gov.check(["examples/"], date(2025, 6, 1), lang="en")

Every error raised on purpose derives from ``FundgovError`` and carries file, line,
column, field and a hint.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from typing import TYPE_CHECKING

from governance.project import DEFAULT_POLICIES, DEFAULT_RULES, PROJECT_DIR, __version__  # noqa: F401  (public)
from governance.errors import FundgovError, InputError, PolicyError, Problem, RuleError, UsageError

if TYPE_CHECKING:
    from governance.engine.batch import BatchResult, Outcome, Render
    from governance.engine.decision import Decision, Finding
    from governance.formats.loader import Loaded
    from governance.formats.proposal import FollowUpReport, Proposal
    from governance.policy.book import PolicyBook, PolicyVersion
    from governance.engine.rulebook import Rulebook

#: the public names that live in other modules, imported when first used (PEP 562): a command
#: that needs no engine (``fundgov user list``) does not pay for loading it
_LAZY = {
    "BatchResult": "governance.engine.batch", "Outcome": "governance.engine.batch",
    "Render": "governance.engine.batch", "check_paths": "governance.engine.batch", "stream": "governance.engine.batch",
    "Decision": "governance.engine.decision", "Finding": "governance.engine.decision",
    "decide": "governance.engine.judge",
    "Loaded": "governance.formats.loader", "load_proposal": "governance.formats.loader",
    "parse_proposal": "governance.formats.loader",
    "PolicyBook": "governance.policy.book", "PolicyVersion": "governance.policy.book",
    "load_policies": "governance.policy.book",
    "FollowUpReport": "governance.formats.proposal", "Proposal": "governance.formats.proposal",
    "Rulebook": "governance.engine.rulebook", "load_rulebook": "governance.engine.rulebook",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'governance' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def _lazy(name: str):
    """A lazily imported public name, as the module has it now (a test may have replaced it)."""
    return globals()[name] if name in globals() else __getattr__(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


@dataclass
class Governance:
    """A loaded, checked rulebook with its policies: what decides proposals."""

    rulebook: Rulebook
    _followup: Rulebook | None = None

    @classmethod
    def load(cls, rules: str | Path | None = None, policies: str | Path | None = None,
             isolate: bool = False) -> "Governance":
        """Load and check the rule and policy files (from the rulebook cache where it holds
        exactly these files: governance.engine.rulecache).

        With ``isolate``, a fund whose own files have problems is left out with them
        (``policies.broken``) and the other funds are loaded; problems the funds share (a
        rule file, a shared policy file) still raise. Only a whole rulebook is cached."""
        from governance.engine.rulecache import cached

        rules_dir, policies_dir = Path(rules or DEFAULT_RULES), Path(policies or DEFAULT_POLICIES)
        try:
            return cls(cached("rulebook", (rules_dir, policies_dir),
                              lambda: _lazy("load_rulebook")(rules_dir, _lazy("load_policies")(policies_dir)),
                              salt=f"{rules_dir.resolve()}|{policies_dir.resolve()}",
                              prepare=_lazy("Rulebook").prepare))
        except (PolicyError, RuleError):
            if not isolate:
                raise
        return cls(_lazy("load_rulebook")(rules_dir, _lazy("load_policies")(policies_dir, isolate=True), isolate=True))

    @property
    def policies(self) -> PolicyBook:
        return self.rulebook.policies

    # ``evidence`` (method -> {"level": ...}): the funds' shared evidence base as of the decision
    # date, from governance.board.evidence; without it the fact method_evidence_level is absent.

    def decide(self, loaded: Loaded, decision_date: dt.date, lang: str = "sv", evidence=None) -> Decision:
        return _lazy("decide")(self.rulebook, loaded, decision_date, lang, evidence=evidence)

    def decide_file(self, path: str | Path, decision_date: dt.date, lang: str = "sv", evidence=None) -> Decision:
        return _lazy("decide")(self.rulebook, _lazy("load_proposal")(path), decision_date, lang, evidence=evidence)

    def decide_text(self, text: str, decision_date: dt.date, lang: str = "sv", name: str = "<text>",
                    evidence=None) -> Decision:
        return _lazy("decide")(self.rulebook, _lazy("parse_proposal")(text, name), decision_date, lang, evidence=evidence)

    def check(self, paths: list[str | Path], decision_date: dt.date, lang: str = "sv",
              jobs: int | None = None, letters=None, evidence=None) -> BatchResult:
        """Decide every proposal file in ``paths``, collected; ``letters``
        (``governance.documents.letters.LetterRequest``) writes a letter for each decision."""
        return _lazy("check_paths")(self.rulebook, paths, decision_date, lang, jobs, letters,
                           letters.folder if letters is not None else None, evidence)

    def stream(self, paths: list[str | Path], decision_date: dt.date, lang: str = "sv", jobs: int | None = None,
               letters=None, evidence=None, keep_text: bool = False) -> Iterator[Outcome]:
        """Decide every proposal file in ``paths`` as a stream of outcomes in input order
        (see governance.engine.batch.stream); ``keep_text`` keeps each input as read."""
        return _lazy("stream")(self.rulebook, paths, decision_date, lang, jobs, letters,
                      letters.folder if letters is not None else None, evidence, keep_text)

    def letter(self, path: str | Path, decision_date: dt.date, lang: str = "sv", fmt: str = "md") -> str | bytes:
        """Decide one proposal file and render its letter (md and html as text, pdf as bytes)."""
        from governance.documents.letters import Letters

        loaded = _lazy("load_proposal")(path)
        return Letters(self.rulebook).render(loaded, _lazy("decide")(self.rulebook, loaded, decision_date, lang), fmt)

    def with_parameter(self, fund: str, name: str, value, from_: dt.date,
                       reference: str = "what if") -> "Governance":
        """A copy in which one fund's parameter takes a new value from a date; the rules are
        checked again against it (close the copy when done)."""
        book = self.policies.with_value(fund, name, value, from_, reference)
        return Governance(_lazy("load_rulebook")(self.rulebook.folder, book))

    def follow_up(self, proposal: str | Path, reports: list[str | Path], on: dt.date, lang: str = "sv",
                  rules: str | Path | None = None):
        """Judge a proposal's follow-up reports on a day (§5.3–§5.6, §7); see governance.followup."""
        from governance.board.followup import evaluate
        from governance.formats.loader import load_report

        return evaluate(self.followup_rules(rules), _lazy("load_proposal")(proposal), [load_report(r) for r in reports], on, lang)

    def followup_rules(self, rules: str | Path | None = None) -> Rulebook:
        """The rules judged on follow-up reports (``rules/follow-up/`` beside the proposal rules)."""
        from governance.board.followup import load_followup_rules

        if self._followup is None:
            self._followup = load_followup_rules(rules or Path(self.rulebook.folder) / "follow-up", self.policies)
        return self._followup

    def close(self) -> None:
        self.rulebook.close()
        if self._followup is not None:
            self._followup.close()


__all__ = [
    "Governance", "BatchResult", "Outcome", "Render", "PROJECT_DIR", "__version__", "Decision", "Finding", "FundgovError", "InputError", "PolicyError",
    "Problem", "RuleError", "UsageError", "Loaded", "load_proposal", "parse_proposal", "load_policies",
    "load_rulebook", "PolicyBook", "PolicyVersion", "Proposal", "FollowUpReport", "Rulebook", "decide",
]
