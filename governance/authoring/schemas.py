"""JSON Schema for every file format, generated from the models (never written by hand)."""
from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from governance.formats.proposal import FollowUpReport, Proposal


def json_schema(kind: str) -> dict[str, Any]:
    from governance.engine.decision import decision_adapter
    from governance.policy.book import LetterSpec, PolicyFile
    from governance.policy.casespec import CaseSpec
    from governance.engine.rulebook import LabelsFile, RuleFile
    from governance.policy.methods import MethodsFile
    from governance.policy.unitcosts import UnitCostFile

    models = {"proposal": Proposal, "report": FollowUpReport, "rules": RuleFile, "policy": PolicyFile,
              "letter": LetterSpec, "case": CaseSpec, "labels": LabelsFile,
              "unit-costs": UnitCostFile, "methods": MethodsFile}
    if kind == "decision":
        schema = decision_adapter().json_schema()
    else:
        schema = TypeAdapter(models[kind]).json_schema(by_alias=True)
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    schema.setdefault("title", kind)
    return schema
