"""Sensitivity of every judged BCR: other discount rates, half and double the effect, and the
break-even effect; as JSON in the decision and as a small SVG chart."""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

from conftest import DECISION_DATE, as_yaml, example
from governance.engine.sensitivity import Sensitivity, chart_svg


def decide(gov, data):
    return gov.decide_text(as_yaml(data), DECISION_DATE, name="sensitivity.yaml")


def test_every_judged_bcr_has_its_sensitivity(gov):
    s = decide(gov, example("model-familjestod")).sensitivity
    rates = [r["rate"] for r in s["discount_rates"]]
    assert rates == [0.015, 0.035, 0.05]
    ratios = [r["benefit_cost_ratio"] for r in s["discount_rates"]]
    assert ratios == sorted(ratios, reverse=True)  # savings come later than costs: a higher rate lowers the ratio
    shares = {r["share"]: r["benefit_cost_ratio"] for r in s["effect_shares"]}
    assert shares[0.5] == pytest.approx(shares[1.0] / 2, abs=2e-4)  # each rounded to 4 decimals
    assert shares[2.0] == pytest.approx(shares[1.0] * 2, abs=2e-4)
    assert s["break_even_share"] == pytest.approx(1.0 / s["benefit_cost_ratio"], abs=1e-4)
    assert s["break_even_effect_size"] == pytest.approx(s["break_even_share"] * 0.35, abs=1e-4)


def test_at_the_break_even_share_of_the_savings_the_ratio_is_the_minimum(gov):
    data = example("model-familjestod")
    share = decide(gov, data).sensitivity["break_even_share"]
    scaled = copy.deepcopy(data)
    for row in scaled["expected_savings"]:
        row["sek"] = round(row["sek"] * share)
    assert decide(gov, scaled).sensitivity["benefit_cost_ratio"] == pytest.approx(1.0, abs=2e-4)


def test_no_sensitivity_where_the_bcr_is_not_judged(gov):
    data = example("model-familjestod")
    data.pop("economics")
    assert decide(gov, data).sensitivity is None


def test_the_break_even_change_of_each_effect_row(gov):
    data = example("model-familjestod")
    data.pop("expected_savings")
    data["expected_effects"] = [{"cost_item": "hvb_dygn_unga", "committee": "Socialnämnden", "baseline_volume": 12,
                                 "change_per_year": -3, "units_per_case": 365, "from_year": 2027, "to_year": 2031}]
    s = decide(gov, data).sensitivity
    (row,) = s["break_even_changes"]
    assert row["break_even_change_per_year"] == pytest.approx(-3 * s["break_even_share"], abs=1e-3)


def test_the_chart_is_plain_svg_with_its_text_escaped():
    s = Sensitivity(1.2, 1.0, [(0.015, 1.3), (0.035, 1.2), (0.05, 1.1)], [(0.5, 0.6), (1.0, 1.2), (2.0, 2.4)], 0.8333)
    svg = chart_svg(s, "sv")
    root = ET.fromstring(svg)  # well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "href" not in svg
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "kalkylränta 1,5 %" in texts and "50 % av förväntad effekt" in texts and "lägsta kvot 1,00" in texts
    assert "0,60" in texts  # half the effect: below the minimum (drawn in red)
    assert 'fill="#a33b2b"' in svg and 'fill="#2f6f4f"' in svg
    assert "discount rate 5 %" in chart_svg(s, "en")


def test_the_html_letter_shows_the_chart_and_markdown_does_not(gov):
    from conftest import EXAMPLES

    html = gov.letter(EXAMPLES / "model-familjestod.yaml", DECISION_DATE, "sv", "html")
    md = gov.letter(EXAMPLES / "model-familjestod.yaml", DECISION_DATE, "sv", "md")
    assert '<figure class="sensitivity"><svg' in html and "Känslighetsanalys av nytto-kostnadskvoten" in html
    assert "<svg" not in md
