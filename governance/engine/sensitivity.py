"""Sensitivity of a judged benefit-cost ratio (issue #16, §3.14).

For every proposal whose BCR is judged: the ratio at the policy's low, central and high
discount rates (``economics.sensitivity_low_rate``, ``economics.discount_rate``,
``economics.sensitivity_high_rate``), at a smaller and a larger share of the expected
effect (``economics.sensitivity_low_effect``, ``economics.sensitivity_high_effect``: half
and double), and the break-even effect: the share of the expected effect at which the
ratio reaches ``economics.min_benefit_cost_ratio``, also as the standardised effect size
(where the evaluation states one) and as the change per year of each expected-effect row.

Savings are taken to be proportional to the effect (a stated assumption: half the effect,
half the savings), costs not to depend on it. ``chart_svg`` draws the ratios as a small
bar chart in plain SVG (no script, no network), for HTML outputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any, Mapping

from governance.engine.effects import EffectSavings
from governance.engine.figures import present_value, savings_rows
from governance.formats.proposal import Proposal

RATE_PARAMS = ("economics.sensitivity_low_rate", "economics.discount_rate", "economics.sensitivity_high_rate")
EFFECT_PARAMS = ("economics.sensitivity_low_effect", "economics.sensitivity_high_effect")


@dataclass(frozen=True)
class Sensitivity:
    benefit_cost_ratio: float
    min_benefit_cost_ratio: float
    by_rate: list[tuple[float, float]]  # (discount rate, BCR)
    by_effect: list[tuple[float, float]]  # (share of the expected effect, BCR)
    break_even_share: float | None  # None where no positive effect can break even
    break_even_effect_size: float | None = None
    break_even_changes: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> "Sensitivity":
        """Back from a decision's ``sensitivity`` section (for outputs made from a decision)."""
        return cls(doc["benefit_cost_ratio"], doc["min_benefit_cost_ratio"],
                   [(r["rate"], r["benefit_cost_ratio"]) for r in doc["discount_rates"]],
                   [(r["share"], r["benefit_cost_ratio"]) for r in doc["effect_shares"]],
                   doc["break_even_share"], doc.get("break_even_effect_size"), list(doc.get("break_even_changes", [])))

    def as_json(self) -> dict[str, Any]:
        return {
            "benefit_cost_ratio": round(self.benefit_cost_ratio, 4),
            "min_benefit_cost_ratio": self.min_benefit_cost_ratio,
            "discount_rates": [{"rate": r, "benefit_cost_ratio": round(b, 4)} for r, b in self.by_rate],
            "effect_shares": [{"share": k, "benefit_cost_ratio": round(b, 4)} for k, b in self.by_effect],
            "break_even_share": None if self.break_even_share is None else round(self.break_even_share, 4),
            "break_even_effect_size": None if self.break_even_effect_size is None
            else round(self.break_even_effect_size, 4),
            "break_even_changes": self.break_even_changes,
        }


def analyse(p: Proposal, params: Mapping[str, Any], effects: EffectSavings | None = None) -> Sensitivity | None:
    """The sensitivity of ``p``'s BCR, or None where the BCR is not judged (3.13 does not hold)."""
    savings = savings_rows(p, effects)
    econ = p.economics
    if not (econ and econ.discount_rate is not None and econ.horizon_years is not None and savings and p.budget):
        return None
    if any(r.fund_sek is None or r.own_sek is None for r in p.budget):
        return None
    if any(params.get(name) is None for name in (*RATE_PARAMS, *EFFECT_PARAMS, "economics.min_benefit_cost_ratio")):
        return None
    y0, horizon = p.start.year, params["economics.horizon_years"]
    benefits = [(s.year, s.sek) for s in savings if s.scope == "municipal"]
    costs = [(r.year, r.fund_sek + r.own_sek) for r in p.budget]

    def bcr(rate: float, scale: float = 1.0) -> float | None:
        cost = present_value(costs, y0, rate, horizon)
        return None if cost <= 0 else scale * present_value(benefits, y0, rate, horizon) / cost

    by_rate = [(params[name], bcr(params[name])) for name in RATE_PARAMS]
    central = by_rate[1][1]  # at economics.discount_rate
    if central is None:
        return None
    minimum = params["economics.min_benefit_cost_ratio"]
    by_effect = [(params[EFFECT_PARAMS[0]], central * params[EFFECT_PARAMS[0]]), (1.0, central),
                 (params[EFFECT_PARAMS[1]], central * params[EFFECT_PARAMS[1]])]
    share = minimum / central if central > 0 else None
    size = None
    if share is not None and p.evaluation is not None and p.evaluation.expected_effect_size is not None:
        size = share * p.evaluation.expected_effect_size
    changes = []
    if share is not None:
        for i, row in enumerate(p.expected_effects or []):
            if row.change_per_year is not None:
                changes.append({"row": i, "cost_item": row.cost_item, "committee": row.committee,
                                "change_per_year": row.change_per_year,
                                "break_even_change_per_year": round(share * row.change_per_year, 4)})
    return Sensitivity(central, minimum, [(r, b) for r, b in by_rate if b is not None], by_effect, share, size,
                       changes)


_LABELS = {
    "sv": {"title": "Känslighetsanalys av nytto-kostnadskvoten", "rate": "kalkylränta {r}",
           "effect": "{k} av förväntad effekt", "minimum": "lägsta kvot {m}", "expected": "förväntad effekt"},
    "en": {"title": "Sensitivity of the benefit-cost ratio", "rate": "discount rate {r}",
           "effect": "{k} of the expected effect", "minimum": "minimum ratio {m}", "expected": "expected effect"},
}


def _pct(x: float, lang: str) -> str:
    text = f"{x * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} %" if lang == "sv" else f"{text} %"


def _num(x: float, lang: str) -> str:
    text = f"{x:.2f}"
    return text.replace(".", ",") if lang == "sv" else text


def chart_svg(s: Sensitivity, lang: str = "sv") -> str:
    """A bar per scenario, with a line at the minimum ratio: inline SVG, text escaped."""
    words = _LABELS[lang]
    rows = [(words["rate"].format(r=_pct(r, lang)), b) for r, b in s.by_rate]
    rows += [(words["expected"] if k == 1.0 else words["effect"].format(k=_pct(k, lang)), b) for k, b in s.by_effect
             if k != 1.0 or not s.by_rate]
    top = max([b for _, b in rows] + [s.min_benefit_cost_ratio, 0.0]) or 1.0
    label_w, bar_w, row_h, head = 190, 260, 22, 30
    width, height = label_w + bar_w + 60, head + row_h * len(rows) + 24

    def x(value: float) -> float:
        return label_w + bar_w * max(value, 0.0) / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sensitivity" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(words["title"])}" '
             f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
             f'<title>{escape(words["title"])}</title>',
             f'<text x="0" y="14" font-weight="bold">{escape(words["title"])}</text>']
    for i, (label, value) in enumerate(rows):
        y = head + i * row_h
        colour = "#2f6f4f" if value >= s.min_benefit_cost_ratio else "#a33b2b"
        parts.append(f'<text x="0" y="{y + 14}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{x(value) - label_w:.1f}" height="{row_h - 8}" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{x(value) + 4:.1f}" y="{y + 14}">{escape(_num(value, lang))}</text>')
    line_x = x(s.min_benefit_cost_ratio)
    bottom = head + row_h * len(rows)
    parts.append(f'<line x1="{line_x:.1f}" y1="{head - 4}" x2="{line_x:.1f}" y2="{bottom}" stroke="#111" '
                 f'stroke-dasharray="4 3"/>')
    minimum = words["minimum"].format(m=_num(s.min_benefit_cost_ratio, lang))
    parts.append(f'<text x="{line_x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(minimum)}</text>')
    parts.append("</svg>")
    return "".join(parts)
