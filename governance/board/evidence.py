"""The evidence base across funds: effect reports filed under their method, pooled, and the
evidence level each method has reached by the declared rules (policies/methods.yaml).

It works on plain inputs: a list of ``EffectRecord`` (one per effect report: the primary
outcome's estimate and 95 % interval, the design, how long after the intervention it was
measured). Records come from recorded follow-ups (``records_from_followup``: every fund in
the register), or from exported files of other registers (``read_records``), and go out as
open data (``export_json``, ``export_csv``).

Per method: the pooled effect with a random-effects meta-analysis (DerSimonian–Laird, by
statsmodels), its interval and heterogeneity (tau², I², Q), a forest plot (SVG), and the
level. ``EvidenceBase.levels()`` is what a decision is given (the fact
``method_evidence_level``); it is computed as of a date passed in, never the clock.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from statistics import NormalDist
from typing import Any, Iterable, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.engine.figures import SMS_LEVELS
from governance.i18n import _
from governance.errors import InputError, Problem
from governance.errors import FundgovError
from governance.formats.files import read_input
from governance.formats.loader import Loaded, parse_proposal, validate, validation_problems
from governance.formats.proposal import Design, FollowUpReport, Measure, Proposal
from governance.formats.yamlsource import load_file, parse_text
from governance.policy.methods import LevelRule, Methods, MethodSpec

#: the interval of an effect report is read as a 95 % interval
Z95 = NormalDist().inv_cdf(0.975)
EXPORT_FORMAT = "evidence/1"
COLUMNS = ("method", "fund", "proposal", "period", "submitted", "design", "sms_level", "outcome", "measure",
           "estimate", "ci_low", "ci_high", "follow_up_months", "source")


class _RecordModel(BaseModel):
    """One record as exported and read back (closed: a typo is an error)."""

    model_config = ConfigDict(extra="forbid", strict=False, defer_build=True)  # built on first use: start-up
    method: str = Field(min_length=1)
    fund: str = Field(min_length=1)
    proposal: str = Field(min_length=1)
    period: int
    submitted: dt.date
    design: Design
    sms_level: Optional[int] = None
    outcome: str = Field(min_length=1)
    measure: Optional[Measure] = None
    estimate: float
    ci_low: float
    ci_high: float
    follow_up_months: Optional[int] = Field(None, ge=0)
    source: str = ""


@dataclass(frozen=True)
class EffectRecord:
    """One effect report's primary outcome, filed under the proposal's method."""

    method: str
    fund: str
    proposal: str
    period: int
    submitted: dt.date
    design: str
    outcome: str
    measure: str | None
    estimate: float
    ci_low: float
    ci_high: float
    follow_up_months: int | None = None
    source: str = ""

    @property
    def sms_level(self) -> int:
        return SMS_LEVELS[self.design]

    @property
    def se(self) -> float:
        """The standard error read off the 95 % interval."""
        return (self.ci_high - self.ci_low) / (2 * Z95)

    @property
    def label(self) -> str:
        return f"{self.fund} {self.proposal} ({self.period})"

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["submitted"] = self.submitted.isoformat()
        row["sms_level"] = self.sms_level
        return {k: row[k] for k in COLUMNS}


@dataclass(frozen=True)
class Pooled:
    """A random-effects (DerSimonian–Laird) pooled estimate and its heterogeneity."""

    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float | None  # share, 0–1; undefined for one study
    q: float
    q_df: int
    weights: tuple[float, ...]  # random-effects weights, summing to 1
    method: str = "DerSimonian-Laird"

    def as_json(self) -> dict[str, Any]:
        return {"k": self.k, "method": self.method, "estimate": round(self.estimate, 6), "se": round(self.se, 6),
                "ci_low": round(self.ci_low, 6), "ci_high": round(self.ci_high, 6), "tau2": round(self.tau2, 6),
                "i2": None if self.i2 is None else round(self.i2, 6), "q": round(self.q, 6), "q_df": self.q_df}


def pool(estimates: Iterable[float], variances: Iterable[float]) -> Pooled:
    """Random-effects meta-analysis (DerSimonian–Laird) of estimates with their variances."""
    y = [float(e) for e in estimates]
    v = [float(x) for x in variances]
    if not y or len(y) != len(v) or any(x <= 0 for x in v):
        raise ValueError("pooling needs at least one estimate, each with a variance above zero")
    if len(y) == 1:
        se = math.sqrt(v[0])
        return Pooled(1, y[0], se, y[0] - Z95 * se, y[0] + Z95 * se, 0.0, None, 0.0, 0, (1.0,))
    from statsmodels.stats.meta_analysis import combine_effects  # slow to import: only here

    import numpy as np

    res = combine_effects(np.asarray(y), np.asarray(v), method_re="dl")
    q, df = float(res.q), len(y) - 1
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    if res.tau2 <= 0:
        # statsmodels leaves DerSimonian-Laird's moment estimate untruncated; the estimator (and
        # metafor) sets a negative tau² to 0, which makes the random-effects result the fixed one
        low, high = res.conf_int(alpha=0.05)[0]
        weights = tuple(float(w) for w in res.weights_rel_fe)
        return Pooled(len(y), float(res.mean_effect_fe), float(res.sd_eff_w_fe), float(low), float(high), 0.0, i2,
                      q, df, weights)
    low, high = res.conf_int(alpha=0.05)[1]  # (fixed, random, fixed wls, random wls): random effects
    weights = tuple(float(w) for w in res.weights_rel_re)
    return Pooled(len(y), float(res.mean_effect_re), float(res.sd_eff_w_re), float(low), float(high),
                  float(res.tau2), i2, q, df, weights)


def _better_side(value_low: float, value_high: float, better: str) -> bool:
    """Whether an interval (or, with low == high, an estimate) lies wholly on the better side of zero."""
    return value_high < 0 if better == "lower" else value_low > 0


@dataclass
class MethodEvidence:
    """What the evidence base holds for one method."""

    id: str
    spec: MethodSpec | None
    records: list[EffectRecord] = field(default_factory=list)  # every record filed under the method
    pooled: Pooled | None = None  # of the records with the method's measure
    level: int = 0
    rule: LevelRule | None = None  # the rule that gave the level

    @property
    def poolable(self) -> list[EffectRecord]:
        measure = self.spec.measure if self.spec else None
        return [r for r in self.records if r.measure == measure and r.ci_high > r.ci_low]

    @property
    def funds(self) -> list[str]:
        return sorted({r.fund for r in self.records})

    def summary(self, as_of: dt.date | None) -> dict[str, Any]:
        return {"method": self.id, "level": self.level, "evaluations": len(self.records),
                "pooled_evaluations": len(self.poolable), "funds": self.funds,
                "as_of": as_of.isoformat() if as_of else None,
                "pooled": self.pooled.as_json() if self.pooled else None}


class EvidenceBase:
    """Every effect record, filed under its method, as of a day."""

    def __init__(self, records: Iterable[EffectRecord], methods: Methods, as_of: dt.date | None = None):
        self.methods = methods
        self.as_of = as_of
        self.records = sorted((r for r in records if as_of is None or r.submitted <= as_of),
                              key=lambda r: (r.method, r.submitted, r.fund, r.proposal, r.period))
        self._cache: dict[str, MethodEvidence] = {}

    def method_ids(self) -> list[str]:
        return sorted(set(self.methods.methods) | {r.method for r in self.records})

    def method(self, method_id: str) -> MethodEvidence:
        if method_id not in self._cache:
            self._cache[method_id] = self._judge(method_id)
        return self._cache[method_id]

    def _judge(self, method_id: str) -> MethodEvidence:
        spec = self.methods.methods.get(method_id)
        found = MethodEvidence(method_id, spec, [r for r in self.records if r.method == method_id])
        poolable = found.poolable
        if poolable:
            found.pooled = pool([r.estimate for r in poolable], [r.se ** 2 for r in poolable])
        if spec is None or self.methods.levels is None:
            return found
        for rule in sorted(self.methods.levels.rules, key=lambda r: -r.level):
            if self._holds(rule, spec, found):
                found.level, found.rule = rule.level, rule
                break
        return found

    @staticmethod
    def _holds(rule: LevelRule, spec: MethodSpec, found: MethodEvidence) -> bool:
        counted = [r for r in found.poolable if r.sms_level >= rule.min_sms and (
            _better_side(r.ci_low, r.ci_high, spec.better) if rule.interval_excludes_zero
            else _better_side(r.estimate, r.estimate, spec.better))]
        if len(counted) < rule.min_evaluations:
            return False
        if rule.min_lasting_months is not None and not any(
                (r.follow_up_months or 0) >= rule.min_lasting_months for r in counted):
            return False
        if rule.pooled_interval_excludes_zero:
            pooled = found.pooled
            if pooled is None or pooled.k < 2 or not _better_side(pooled.ci_low, pooled.ci_high, spec.better):
                return False
        return True

    def levels(self) -> dict[str, dict[str, Any]]:
        """method -> its level and what it rests on: what a decision is given (judge.Evidence)."""
        out = {}
        for method_id in self.method_ids():
            found = self.method(method_id)
            out[method_id] = {"level": found.level, "evaluations": len(found.records), "funds": found.funds,
                              "as_of": self.as_of.isoformat() if self.as_of else None}
        return out

    def export_json(self) -> str:
        doc = {"format": EXPORT_FORMAT, "as_of": self.as_of.isoformat() if self.as_of else None,
               "methods": [self.method(m).summary(self.as_of) | {"name": _name(self.methods, m)}
                           for m in self.method_ids()],
               "records": [r.as_row() for r in self.records]}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def export_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for r in self.records:
            writer.writerow(r.as_row())
        return out.getvalue()


def _name(methods: Methods, method_id: str) -> dict[str, str] | None:
    spec = methods.methods.get(method_id)
    return {"sv": spec.name.sv, "en": spec.name.en} if spec else None


# ------------------------------------------------------------------------- where records come from


def records_from_followup(proposal: Loaded, reports: Iterable[Loaded], source: str = "") -> tuple[
        list[EffectRecord], list[Problem]]:
    """The effect reports of one proposal as records under its method, and the reports that
    cannot be filed (no method, or a primary outcome without estimate, interval or design)."""
    p: Proposal = proposal.model
    method = p.intervention.method if p.intervention is not None else None
    primary = p.evaluation.primary_outcomes[0].name if p.evaluation and p.evaluation.primary_outcomes else None
    records: list[EffectRecord] = []
    skipped: list[Problem] = []
    for loaded in reports:
        r: FollowUpReport = loaded.model
        if r.kind != "effect":
            continue
        if method is None:
            skipped.append(Problem(_("the proposal {id} names no method (intervention.method): its effect report for "
                                     "{period} is not filed").format(id=p.id, period=r.period), loaded.file))
            continue
        outcome = None
        if r.outcomes:
            outcome = next((o for o in r.outcomes if o.name == primary), r.outcomes[0])
        if outcome is None or None in (outcome.estimate, outcome.ci_low, outcome.ci_high) or r.design is None:
            skipped.append(Problem(_("the effect report has no primary outcome with estimate and interval, or no "
                                     "design: it is not filed"), loaded.file, field="outcomes"))
            continue
        records.append(EffectRecord(method, p.fund, p.id, r.period, r.submitted, r.design, outcome.name,
                                    outcome.measure, outcome.estimate, outcome.ci_low, outcome.ci_high,
                                    outcome.follow_up_months, source or loaded.file))
    return records, skipped


def records_from_register(register) -> tuple[list[EffectRecord], list[Problem]]:
    """Every effect report recorded with a follow-up in the register, from every fund; a report
    recorded again counts once (the latest recording)."""
    rows = register.followup_inputs()
    found: dict[tuple, EffectRecord] = {}
    skipped: list[Problem] = []
    for record_id, _fund, blob in rows:
        inputs: dict[str, str] = json.loads(blob)
        proposal, reports = None, []
        for name, text in inputs.items():
            try:
                source = parse_text(text, name)
                kind = source.data.get("format") if isinstance(source.data, dict) else None
                if kind == "proposal/1":
                    proposal = parse_proposal(text, name)
                elif kind == "follow-up/1":
                    reports.append(Loaded(name, validate(source, FollowUpReport), source))
            except FundgovError as exc:
                skipped.extend(exc.problems)
        if proposal is None:
            continue
        records, problems = records_from_followup(proposal, reports, f"register#{record_id}")
        skipped.extend(problems)
        for r in records:
            found[(r.fund, r.proposal, r.period, r.submitted, r.outcome)] = r
    return list(found.values()), skipped


def read_records(path: str | Path) -> list[EffectRecord]:
    """Records exported by ``fundgov evidence export`` (JSON or CSV), with placed errors."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    source = load_file(path)
    data = source.data
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("records"), list):
        raise InputError(source.problem((), f"not an evidence export (format: {EXPORT_FORMAT} with records)"))
    out, problems = [], []
    for i, row in enumerate(data["records"]):
        try:
            out.append(_record(_RecordModel.model_validate(row)))
        except ValidationError as exc:
            for problem in validation_problems(exc, source, _RecordModel):
                problem.field = f"records.{i}.{problem.field}" if problem.field else f"records.{i}"
                line = source.where(("records", i) + tuple(problem.field.split(".")[2:]))[0]
                problem.line = line
                problems.append(problem)
    if problems:
        raise InputError(problems)
    return out


def _read_csv(path: Path) -> list[EffectRecord]:
    raw = read_input(path)  # a regular file only, never beyond the size limit
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Problem(_("the file is not UTF-8 text"), str(path))) from None
    reader = csv.DictReader(io.StringIO(text))
    out, problems = [], []
    for line, row in enumerate(reader, start=2):
        cleaned = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
        cleaned["source"] = cleaned.get("source") or ""
        try:
            out.append(_record(_RecordModel.model_validate(cleaned)))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                problems.append(Problem(err["msg"], str(path), line, None, ".".join(map(str, err["loc"]))))
    if problems:
        raise InputError(problems)
    return out


def _record(m: _RecordModel) -> EffectRecord:
    return EffectRecord(m.method, m.fund, m.proposal, m.period, m.submitted, m.design, m.outcome, m.measure,
                        m.estimate, m.ci_low, m.ci_high, m.follow_up_months, m.source)


# ------------------------------------------------------------------------------------ forest plot

def _ticks(lo: float, hi: float) -> list[float]:
    """Round values for the axis: multiples of 1, 2 or 5 times a power of ten, zero among them."""
    raw = (hi - lo) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step)
    return [k * step for k in range(first, math.floor(hi / step) + 1)]


_FOREST_WORDS = {
    "sv": {"pooled": "Sammanvägd effekt (slumpeffekt, DL)", "het": "τ² = {tau2}, I² = {i2}, Q = {q} (df {df})",
           "better": "bättre", "title": "Skogsdiagram: {name}"},
    "en": {"pooled": "Pooled effect (random effects, DL)", "het": "τ² = {tau2}, I² = {i2}, Q = {q} (df {df})",
           "better": "better", "title": "Forest plot: {name}"},
}


def forest_svg(found: MethodEvidence, lang: str = "sv") -> str:
    """A forest plot of the poolable records and the pooled effect: plain SVG, text escaped."""
    words = _FOREST_WORDS[lang]
    records = found.poolable
    name = (getattr(found.spec.name, lang) if found.spec else found.id)
    lows = [r.ci_low for r in records] + ([found.pooled.ci_low] if found.pooled else []) + [0.0]
    highs = [r.ci_high for r in records] + ([found.pooled.ci_high] if found.pooled else []) + [0.0]
    lo, hi = min(lows), max(highs)
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = lo - pad, hi + pad
    label_w, plot_w, value_w, row_h, head = 230, 300, 170, 20, 40
    rows = len(records) + (2 if found.pooled else 0)
    width, height = label_w + plot_w + value_w, head + row_h * rows + 40

    def x(value: float) -> float:
        return label_w + plot_w * (value - lo) / (hi - lo)

    def num(value: float) -> str:
        text = f"{value:.3f}"
        return text.replace(".", ",").replace("-", "−") if lang == "sv" else text.replace("-", "−")

    title = words["title"].format(name=name)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="forest" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
             f'<title>{escape(title)}</title>', f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>']
    weights = found.pooled.weights if found.pooled else (1.0,) * len(records)
    for i, (r, w) in enumerate(zip(records, weights)):
        y = head + i * row_h + row_h / 2
        size = 4 + 10 * math.sqrt(w)
        parts.append(f'<text x="0" y="{y + 4:.1f}">{escape(r.label)}</text>')
        parts.append(f'<line x1="{x(r.ci_low):.1f}" y1="{y:.1f}" x2="{x(r.ci_high):.1f}" y2="{y:.1f}" stroke="#111"/>')
        parts.append(f'<rect x="{x(r.estimate) - size / 2:.1f}" y="{y - size / 2:.1f}" width="{size:.1f}" '
                     f'height="{size:.1f}" fill="#2f4f6f"/>')
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + 4:.1f}">'
                     f'{escape(num(r.estimate))} [{escape(num(r.ci_low))}; {escape(num(r.ci_high))}]</text>')
    bottom = head + row_h * len(records)
    if found.pooled:
        p = found.pooled
        y = bottom + row_h
        parts.append(f'<text x="0" y="{y + 4:.1f}" font-weight="bold">{escape(words["pooled"])}</text>')
        parts.append(f'<polygon points="{x(p.ci_low):.1f},{y:.1f} {x(p.estimate):.1f},{y - 7:.1f} '
                     f'{x(p.ci_high):.1f},{y:.1f} {x(p.estimate):.1f},{y + 7:.1f}" fill="#a33b2b"/>')
        parts.append(f'<text x="{label_w + plot_w + 8}" y="{y + 4:.1f}" font-weight="bold">'
                     f'{escape(num(p.estimate))} [{escape(num(p.ci_low))}; {escape(num(p.ci_high))}]</text>')
        het = words["het"].format(tau2=num(p.tau2), i2="–" if p.i2 is None else f"{p.i2 * 100:.1f} %",
                                  q=num(p.q), df=p.q_df)
        parts.append(f'<text x="0" y="{y + row_h + 4:.1f}">{escape(het)}</text>')
        bottom = y + 10
    parts.append(f'<line x1="{x(0):.1f}" y1="{head - 6}" x2="{x(0):.1f}" y2="{bottom:.1f}" stroke="#777" '
                 f'stroke-dasharray="3 3"/>')
    axis_y = height - 12
    parts.append(f'<line x1="{label_w}" y1="{axis_y - 10}" x2="{label_w + plot_w}" y2="{axis_y - 10}" stroke="#111"/>')
    for tick in _ticks(lo, hi):
        parts.append(f'<text x="{x(tick):.1f}" y="{axis_y + 2}" text-anchor="middle">{escape(num(tick))}</text>')
    if found.spec is not None:
        arrow = "←" if found.spec.better == "lower" else "→"
        side = x(lo + pad) if found.spec.better == "lower" else x(hi - pad)
        parts.append(f'<text x="{side:.1f}" y="{head - 10}" text-anchor="middle">'
                     f'{escape(arrow + " " + words["better"])}</text>')
    parts.append("</svg>")
    return "".join(parts)
