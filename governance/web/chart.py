"""The fund's money per budget year as a grouped bar chart, drawn here as SVG (no script, no
network): granted, paid out, withheld and repaid, one group of bars a year.

The chart is an image with a title and a description for screen readers; the same figures
are in the ledger table beside it, which is what a screen reader reads. Every text in it is
escaped; colours keep a contrast of at least 3:1 against the white background (WCAG 1.4.11)
and each series also has its own pattern, so the chart is read without colour too.
"""
from __future__ import annotations

from html import escape

from governance.i18n import N_, _
from governance.wording import fmt_money

#: (key in a ledger year, words, colour, pattern)
SERIES = (
    ("granted_sek", N_("granted"), "#1f4e79", None),
    ("paid_out_sek", N_("paid out"), "#2e7d32", "dots"),
    ("withheld_sek", N_("withheld"), "#b35900", "stripes"),
    ("repaid_sek", N_("repaid"), "#6a1b9a", "cross"),
)
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 110, 16, 16, 64


def _nice_top(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude  # pragma: no cover


def _patterns() -> str:
    return (
        '<defs>'
        '<pattern id="p-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#2e7d32"/><circle cx="3" cy="3" r="1.2" fill="#ffffff"/></pattern>'
        '<pattern id="p-stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#b35900"/><rect width="2" height="6" fill="#ffffff"/></pattern>'
        '<pattern id="p-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#6a1b9a"/><path d="M0 3H6M3 0V6" stroke="#ffffff" stroke-width="1"/>'
        '</pattern></defs>')


def ledger_chart(years: list[dict], lang: str, title: str) -> str:
    """The SVG of ``years`` (the ``years`` of governance.board.ledger.fund_ledger)."""
    words = [_(w) for _k, w, _c, _p in SERIES]
    description = "; ".join(
        f"{y['year']}: " + ", ".join(f"{w} {fmt_money(y[k], lang)}" for (k, _w, _c, _p), w in zip(SERIES, words))
        for y in years) or _("no money granted yet")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-labelledby="chart-title chart-desc" class="chart">',
           f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>',
           _patterns()]
    top = _nice_top(max([y[k] for y in years for k, *_rest in SERIES] or [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i // 4
        y = TOP + plot_h - plot_h * i / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#767676" '
                   f'stroke-width="{1 if i == 0 else 0.5}"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#1a1a1a">'
                   f'{escape(fmt_money(value, lang))}</text>')
    if years:
        group = plot_w / len(years)
        bar = min(28.0, group * 0.8 / len(SERIES))
        for n, row in enumerate(years):
            x0 = LEFT + group * n + (group - bar * len(SERIES)) / 2
            for s, (key, _w, colour, pattern) in enumerate(SERIES):
                h = plot_h * row[key] / top
                fill = f"url(#p-{pattern})" if pattern else colour
                out.append(f'<rect x="{x0 + s * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                           f'height="{h:.1f}" fill="{fill}" stroke="{colour}"/>')
            out.append(f'<text x="{LEFT + group * n + group / 2:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                       f'font-size="13" fill="#1a1a1a">{row["year"]}</text>')
    x = LEFT
    for (key, _w, colour, pattern), word in zip(SERIES, words):
        fill = f"url(#p-{pattern})" if pattern else colour
        out.append(f'<rect x="{x}" y="{HEIGHT - 26}" width="14" height="14" fill="{fill}" stroke="{colour}"/>')
        out.append(f'<text x="{x + 20}" y="{HEIGHT - 14}" font-size="13" fill="#1a1a1a">{escape(word)}</text>')
        x += 30 + 8 * len(word)
    out.append("</svg>")
    return "".join(out)
