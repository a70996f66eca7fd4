"""The methods catalogue and the declared rules for the evidence level a method reaches.

``policies/methods.yaml`` names every method a proposal may give as ``intervention.method``
(an id), how effects of the method are measured when they are pooled (``measure``) and
which direction is better, and the rules (``evidence_levels``) by which the effect reports
filed under a method give it a level on the scale the guidelines use (EIF 0–4, §3.8).
The rules are data: ``governance.board.evidence`` applies them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from governance.i18n import _
from governance.errors import PolicyError, Problem
from governance.formats.loader import load_checked
from governance.formats.proposal import Measure

METHODS_FILE = "methods.yaml"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use: start-up


class MethodWords(_Closed):
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)


class MethodSpec(_Closed):
    name: MethodWords
    description: MethodWords
    measure: Measure = Field(description="how effects of this method are pooled")
    better: Literal["lower", "higher"] = Field(description="which direction of the estimate is an improvement")
    reference: Optional[str] = None


class LevelRule(_Closed):
    level: int = Field(ge=1, le=4)
    min_evaluations: int = Field(ge=1)
    min_sms: int = Field(ge=0, le=5)
    interval_excludes_zero: bool = Field(
        description="each evaluation counted has an interval wholly on the better side of zero "
                    "(otherwise: an estimate on the better side)")
    min_lasting_months: Optional[int] = Field(
        None, ge=0, description="at least one evaluation counted measured its outcome this long after the end")
    pooled_interval_excludes_zero: bool = False


class LevelRules(_Closed):
    scale: MethodWords
    reference: str = Field(min_length=1)
    rules: list[LevelRule] = Field(min_length=1)


class MethodsFile(_Closed):
    description: Optional[str] = None
    methods: dict[str, MethodSpec]
    evidence_levels: LevelRules


@dataclass(frozen=True)
class Methods:
    methods: dict[str, MethodSpec] = field(default_factory=dict)
    levels: LevelRules | None = None
    file: str | None = None


def load_methods(folder: Path, problems: list[Problem]) -> Methods:
    """The methods catalogue of a policies folder (empty where it has none)."""
    path = Path(folder) / METHODS_FILE
    if not path.exists():
        return Methods()
    checked = load_checked(path, MethodsFile, PolicyError, problems)
    if checked is None:
        return Methods()
    source, spec = checked
    for method_id in spec.methods:
        if not method_id.replace("_", "").isalnum() or not method_id[0].isalpha() or method_id != method_id.lower():
            problems.append(source.problem(("methods", method_id), _("'{method}' is not a method id (lower-case "
                                                                     "letters, digits and _)").format(method=method_id),
                                           key=True))
    levels = [r.level for r in spec.evidence_levels.rules]
    if len(set(levels)) != len(levels):
        problems.append(source.problem(("evidence_levels", "rules"), _("each level has one rule")))
    return Methods(spec.methods, spec.evidence_levels, source.file)
