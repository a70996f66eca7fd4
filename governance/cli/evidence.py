"""fundgov evidence list|show|export: the evidence base across funds (issue #16)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import List, Optional

import typer

from governance.cli.common import (EXIT_INPUT, EXIT_OK, EXIT_USAGE, Format, Lang, LANG_OPT, app, fail,
                                   load_governance, language, option_date)
from governance.errors import FundgovError, UsageError
from governance.i18n import _

evidence_app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                           help=_("The evidence base: effect reports of every fund, pooled per method."))
app.add_typer(evidence_app, name="evidence")

REGISTER_HELP = _("the register whose recorded follow-ups hold effect reports (default: $FUNDGOV_REGISTER or "
                  "fundgov-register.sqlite here, where it exists)")
RECORDS_HELP = _("effect records exported by another register (fundgov evidence export, JSON or CSV); repeatable")
AS_OF_HELP = _("only reports submitted on or before this day (default: today)")


def load_base(register: Optional[Path], records: Optional[List[Path]], as_of: dt.date, gov):
    """The evidence base from a register and exported record files, as of a day; problems exit."""
    from governance.board.evidence import EvidenceBase, read_records, records_from_register
    from governance.board.register import Register, default_path

    found = []
    target = register or default_path()
    if register is not None and not Path(register).exists():
        fail(UsageError(_("no register at {path}").format(path=register)), EXIT_USAGE)
    try:
        if Path(target).exists():
            with Register(target) as reg:
                from_register, skipped = records_from_register(reg)
            found.extend(from_register)
            for problem in skipped:
                print(f"fundgov: {problem}", file=sys.stderr)
        elif not records:
            fail(UsageError(_("no register at {path} and no --records: record follow-ups with fundgov follow-up "
                              "--record, or give exported records").format(path=target)), EXIT_USAGE)
        for path in records or []:
            found.extend(read_records(path))
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
    return EvidenceBase(found, gov.policies.methods, as_of)


def levels_for_decisions(source: Path, gov, day: dt.date) -> dict:
    """The evidence levels a batch of decisions is given: from a register (.sqlite) or an
    exported record file (.json, .csv), as of the decision date."""
    if source.suffix.lower() in (".json", ".csv"):
        if not source.exists():
            fail(UsageError(_("no such file: {path}").format(path=source)), EXIT_USAGE)
        return load_base(None, [source], day, gov).levels()
    return load_base(source, None, day, gov).levels()


def _name(gov, method_id: str, lang: str) -> str:
    spec = gov.policies.methods.methods.get(method_id)
    return getattr(spec.name, lang) if spec else _("(not in the methods catalogue)")


def _num(value: float | None, lang: str, digits: int = 3) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",").replace("-", "−") if lang == "sv" else text


@evidence_app.command("list", help=_("Every method: its evaluations, funds, pooled effect and evidence level."))
def evidence_list(
    register: Optional[Path] = typer.Option(None, "--register", help=REGISTER_HELP),
    records: Optional[List[Path]] = typer.Option(None, "--records", help=RECORDS_HELP),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    format: Format = typer.Option(Format.text, "--format"),
    lang: Optional[Lang] = LANG_OPT,
) -> None:
    lang = language(lang)
    import json

    gov = load_governance(None, None)
    base = load_base(register, records, option_date(as_of, "--as-of"), gov)
    summaries = [base.method(m).summary(base.as_of) for m in base.method_ids()]
    if format is Format.json:
        print(json.dumps({"as_of": base.as_of.isoformat(), "methods": summaries}, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    print(f"{_('method'):<24} {_('level'):>5} {_('reports'):>7} {_('funds'):>6}  {_('pooled effect [95 % interval]')}")
    for s in summaries:
        pooled = s["pooled"]
        effect = (f"{_num(pooled['estimate'], lang)} [{_num(pooled['ci_low'], lang)}; {_num(pooled['ci_high'], lang)}]"
                  if pooled else "–")
        print(f"{s['method']:<24} {s['level']:>5} {s['evaluations']:>7} {len(s['funds']):>6}  {effect}")
    print(_("as of {day}").format(day=base.as_of.isoformat()))
    raise typer.Exit(EXIT_OK)


@evidence_app.command("show", help=_(
    "One method: each effect report, the pooled effect, heterogeneity and the evidence level."))
def evidence_show(
    method: str = typer.Argument(..., metavar=_("METHOD"), help=_("the method's id (policies/methods.yaml)")),
    register: Optional[Path] = typer.Option(None, "--register", help=REGISTER_HELP),
    records: Optional[List[Path]] = typer.Option(None, "--records", help=RECORDS_HELP),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    format: Format = typer.Option(Format.text, "--format"),
    forest: Optional[Path] = typer.Option(None, "--forest", help=_("also write the forest plot (SVG) to this file")),
    lang: Optional[Lang] = LANG_OPT,
) -> None:
    lang = language(lang)
    import json

    from governance.board.evidence import forest_svg
    from governance.formats.loader import did_you_mean

    gov = load_governance(None, None)
    base = load_base(register, records, option_date(as_of, "--as-of"), gov)
    if method not in base.method_ids():
        hint = did_you_mean(method, base.method_ids())
        fail(UsageError(_("unknown method '{method}'").format(method=method) + (f" ({hint})" if hint else "")),
             EXIT_USAGE)
    found = base.method(method)
    if forest is not None:
        from governance.documents.letters import write_atomically

        write_atomically(forest, forest_svg(found, lang))
    if format is Format.json:
        doc = found.summary(base.as_of) | {"records": [r.as_row() for r in found.records],
                                           "rule": found.rule.model_dump() if found.rule else None}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    print(f"{method}: {_name(gov, method, lang)}")
    for r in found.records:
        pooled_mark = "" if r in found.poolable else "  " + _("(not pooled: another measure)")
        print(f"  {r.fund:<12} {r.proposal:<16} {r.period}  {r.design:<26} "
              f"{_num(r.estimate, lang)} [{_num(r.ci_low, lang)}; {_num(r.ci_high, lang)}]{pooled_mark}")
    p = found.pooled
    if p is not None:
        print("  " + _("pooled (random effects, DerSimonian-Laird, {k} reports): {est} [{low}; {high}]").format(
            k=p.k, est=_num(p.estimate, lang), low=_num(p.ci_low, lang), high=_num(p.ci_high, lang)))
        print("  " + _("heterogeneity: tau² {tau2}, I² {i2}, Q {q} (df {df})").format(
            tau2=_num(p.tau2, lang, 4), i2="–" if p.i2 is None else f"{p.i2 * 100:.1f} %", q=_num(p.q, lang, 2),
            df=p.q_df))
    print("  " + _("evidence level: {level}").format(level=found.level) + (
        "  " + _("(rule: at least {n} evaluations of SMS level {sms} or more)").format(
            n=found.rule.min_evaluations, sms=found.rule.min_sms) if found.rule else ""))
    print("  " + _("as of {day}").format(day=base.as_of.isoformat()))
    raise typer.Exit(EXIT_OK)


@evidence_app.command("export", help=_("Every effect record as open data, for a national compilation."))
def evidence_export(
    register: Optional[Path] = typer.Option(None, "--register", help=REGISTER_HELP),
    records: Optional[List[Path]] = typer.Option(None, "--records", help=RECORDS_HELP),
    as_of: Optional[str] = typer.Option(None, "--as-of", help=AS_OF_HELP),
    format: str = typer.Option("json", "--format", help=_("json (records and per-method summaries) or csv (records)")),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help=_("write here instead of standard output")),
) -> None:
    if format not in ("json", "csv"):
        fail(UsageError(_("--format: use json or csv")), EXIT_USAGE)
    gov = load_governance(None, None)
    base = load_base(register, records, option_date(as_of, "--as-of"), gov)
    body = base.export_json() if format == "json" else base.export_csv()
    if out is None:
        sys.stdout.write(body)
    else:
        from governance.documents.letters import write_atomically

        write_atomically(out, body)
    raise typer.Exit(EXIT_OK)
