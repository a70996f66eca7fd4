"""The fact vocabulary as a policy author reads it (``fundgov facts``): every fact a rule may
name, with its type, its label in the rules' labels.yaml, and where it comes from."""
from __future__ import annotations

from dataclasses import dataclass

from governance.engine.rulebook import Rulebook
from governance.i18n import N_, _

#: the types of facts and parameters in words
TYPE_WORDS = {
    "integer": N_("whole number"), "number": N_("number"), "money": N_("amount in kronor"),
    "share": N_("share (0–1)"), "year": N_("year"), "months": N_("months"), "years": N_("years"),
    "days": N_("days"), "boolean": N_("yes/no"), "text": N_("text"), "date": N_("date"),
    "names": N_("list of names (shown in messages, never tested)"), "enum": N_("one of"),
}
SOURCE_WORDS = {"proposal": N_("the application"), "figure": N_("computed")}


@dataclass(frozen=True)
class FactRow:
    name: str
    kind: str
    values: tuple[str, ...]
    source: str
    label: dict[str, str | None]  # by language; None where the fact has no label
    description: str
    params: tuple[str, ...]

    def type_words(self) -> str:
        words = _(TYPE_WORDS.get(self.kind, self.kind))
        return f"{words}: {', '.join(self.values)}" if self.kind == "enum" else words

    def as_json(self) -> dict:
        return {"name": self.name, "type": self.kind, "values": list(self.values) or None, "source": self.source,
                "label": self.label, "description": self.description, "parameters": list(self.params)}


def fact_rows(rulebook: Rulebook) -> list[FactRow]:
    """Every fact of the rulebook's vocabulary: the application's fields first, then the figures."""
    rows = []
    for fact in rulebook.facts.values():
        label = rulebook.labels.facts.get(fact.name)
        rows.append(FactRow(fact.name, fact.type.kind, tuple(fact.type.values), fact.source,
                            {"sv": label.sv if label else None, "en": label.en if label else None},
                            fact.description, tuple(fact.params)))
    return sorted(rows, key=lambda r: (r.source != "proposal", r.name))

