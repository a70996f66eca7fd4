"""Fund policies: parameters with effective dates and references, and the clauses in force.

One folder per fund under ``policies/`` holds ``policy.yaml``. The fund ``model`` declares
every parameter (type, description) and the clauses of the model guidelines; a fund
``inherits: model``, overrides some parameters with dated values, and adds clauses of
its own. The version in force on a date is the latest change on or before it; a date
before the fund's first version is an error, never a guess.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from governance import messages
from governance.dates import parse_iso
from governance.errors import PolicyError, Problem
from governance.formats.loader import did_you_mean, error_text, load_checked
from governance.i18n import _
from governance.wording import KIND_WORDS
from governance.formats.proposal import MAX_SEK, Kind
from governance.formats.yamlsource import Source
from governance.policy.casespec import CASE_FILE, CaseSpec, load_case_spec
from governance.policy.methods import Methods, load_methods
from governance.policy.unitcosts import UnitCostBook, load_unit_costs

ParamType = Literal["integer", "number", "money", "share", "boolean", "kinds", "month_day", "months", "years"]

_PYTHON_TYPES = {"integer": int, "months": int, "years": int, "money": int, "number": float, "share": float,
                 "boolean": bool, "kinds": list[Kind], "month_day": str}


@functools.cache
def _adapter(param_type: str) -> TypeAdapter:
    """The strict validator of a parameter type, made on first use (start-up)."""
    return TypeAdapter(_PYTHON_TYPES[param_type], config={"strict": True})


#: the parameter types that rules compare as numbers
NUMERIC_PARAM_TYPES = {"integer", "number", "money", "share", "months", "years"}


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)  # built on first use: start-up


class Text2(_Closed):
    """A text in both languages."""

    sv: str
    en: str


class ValueEntry(_Closed):
    from_: str = Field(alias="from")
    value: Any = None
    reference: str = Field(min_length=1)


class RangeSpec(_Closed):
    """The values a numeric parameter may take: ``min``/``max`` include the bound,
    ``above``/``below`` exclude it."""

    min: Optional[float] = None
    max: Optional[float] = None
    above: Optional[float] = None
    below: Optional[float] = None


class ParamLabel(_Closed):
    """What a parameter is called in letters, the handbook and ``policy show``, and (``none``)
    what its value none means where that is not "no limit"."""

    sv: str
    en: str
    none: Optional[Text2] = None


class ParamSpec(_Closed):
    type: Optional[ParamType] = None
    nullable: bool = False
    description: Optional[str] = None
    #: a fund's own parameter is labelled where it is declared (the model's in rules/labels.yaml)
    label: Optional[ParamLabel] = None
    range: Optional[RangeSpec] = None
    values: list[ValueEntry] = Field(min_length=1)


class ClauseSpec(_Closed):
    id: str = Field(pattern=r"^([3-7]\.[0-9]+|[A-Z][0-9]+)$")
    title: Text2
    from_: Optional[str] = Field(None, alias="from")
    section: Optional[str] = None
    #: the guideline text of the clause, for the handbook; names the fund's values as
    #: {policy.parameter} and {fund.council} (plurals and selects as in rule messages)
    text: Optional[Text2] = None
    #: where a clause that no rule judges is enforced instead (lint reports a clause without
    #: a rule unless it says so)
    enforced_by: Optional[Text2] = None


class SectionSpec(_Closed):
    """A section of the guidelines (§3 Behörighet ...): its title and an optional introduction."""

    id: str = Field(pattern=r"^[1-9][0-9]*$")
    title: Text2
    text: Optional[Text2] = None


class Signatory(_Closed):
    """Who signs: a title, and a name where the fund gives one (else a line to sign on)."""

    title: Text2
    name: Optional[str] = None


class LetterSpec(_Closed):
    """How a fund's letters are addressed and signed (``<fund>/letter.yaml``): nothing
    municipal is written into rules or templates, it is the fund's data."""

    organisation: Text2
    kind: Literal["municipality", "region"]
    council: Text2  # kommunfullmäktige / regionfullmäktige: where a decision is reported (6.3)
    board: Text2  # the board that decides: Kommunstyrelsen, Regionstyrelsen
    signatory: Signatory
    place: Text2  # where letters are dated: "Norrköping"
    contact: Text2
    address: Text2
    court: Text2  # the administrative court of laglighetsprövning


class PolicyFile(_Closed):
    fund: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", description="the fund's id: lower-case letters a–z, digits, "
                      "- and _, starting with a letter; the same as its folder's name")
    name: Text2
    description: Optional[Text2] = None  # what the handbook says of the fund first
    inherits: Optional[str] = None
    in_force_from: str
    sections: list[SectionSpec] = []
    clauses: list[ClauseSpec] = []
    parameters: dict[str, ParamSpec] = {}


@dataclass(frozen=True)
class Clause:
    id: str
    title: Text2
    fund: str
    section: str | None
    from_: dt.date
    text: Text2 | None = None
    enforced_by: Text2 | None = None


@dataclass(frozen=True)
class ParamValue:
    value: Any
    from_: dt.date
    reference: str


@dataclass(frozen=True)
class Range:
    """Where a numeric parameter's values must lie (declared where the parameter is)."""

    min: float | None = None
    max: float | None = None
    above: float | None = None
    below: float | None = None

    def refuses(self, value: float) -> str | None:
        """Why ``value`` lies outside the range, or None."""
        if self.min is not None and value < self.min or self.above is not None and value <= self.above \
                or self.max is not None and value > self.max or self.below is not None and value >= self.below:
            return _("{value} lies outside the parameter's range {range}").format(value=_number(value), range=self)
        return None

    def __str__(self) -> str:
        low = f"[{_number(self.min)}" if self.min is not None else (
            f"({_number(self.above)}" if self.above is not None else "(−∞")
        high = f"{_number(self.max)}]" if self.max is not None else (
            f"{_number(self.below)})" if self.below is not None else "∞)")
        return f"{low}, {high}"

    @property
    def closed(self) -> bool:
        """Bounded below and above."""
        return (self.min is not None or self.above is not None) and (self.max is not None or self.below is not None)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


#: what a type implies where a declaration says nothing narrower
TYPE_RANGES = {"share": Range(min=0, max=1), "money": Range(min=0, max=MAX_SEK)}
#: numeric types whose range every declaration must state (a share or an amount has one already)
NEEDS_RANGE = {"integer", "number", "months", "years"}


@dataclass(frozen=True)
class ParamDef:
    name: str
    type: str
    nullable: bool
    description: str | None
    values: tuple[ParamValue, ...]  # sorted by date; the fund's own or inherited
    range: Range | None = None
    label: ParamLabel | None = None  # where the parameter is declared with one
    declared_in: str | None = None  # the fund that declares the parameter (its type and range)

    def at(self, day: dt.date) -> ParamValue | None:
        current = None
        for v in self.values:
            if v.from_ <= day:
                current = v
        return current


@dataclass(frozen=True)
class PolicyVersion:
    """Everything in force for one fund from one date: what a ruleset is compiled from."""

    fund: str
    name: Text2
    version: dt.date
    params: dict[str, Any]
    sources: dict[str, ParamValue]
    types: dict[str, ParamDef]
    clauses: dict[str, Clause]

    @property
    def key(self) -> str:
        return f"{self.fund}@{self.version.isoformat()}"


@dataclass
class Fund:
    id: str
    name: Text2
    in_force_from: dt.date
    params: dict[str, ParamDef]
    clauses: dict[str, Clause]
    file: str
    versions: tuple[dt.date, ...] = ()
    letter: LetterSpec | None = None
    description: Text2 | None = None
    sections: dict[str, SectionSpec] = field(default_factory=dict)
    case: CaseSpec | None = None  # how it registers and decides cases (case.yaml)
    _cache: dict = field(default_factory=dict, repr=False)

    def version_at(self, day: dt.date) -> PolicyVersion:
        if day < self.in_force_from:
            raise PolicyError(Problem(
                _("the fund '{fund}' has no policy in force on {day}: its first version is from {first}").format(
                    fund=self.id, day=day.isoformat(), first=self.in_force_from.isoformat()), self.file))
        start = max(v for v in self.versions if v <= day)
        if start not in self._cache:
            values = {name: p.at(start) for name, p in self.params.items()}
            self._cache[start] = PolicyVersion(
                fund=self.id, name=self.name, version=start,
                params={n: v.value for n, v in values.items() if v is not None},
                sources={n: v for n, v in values.items() if v is not None},
                types=self.params,
                clauses={c.id: c for c in self.clauses.values() if c.from_ <= start},
            )
        return self._cache[start]


class PolicyBook:
    """All funds of a policies folder, checked together."""

    def __init__(self, funds: dict[str, Fund], folder: Path, unit_costs: UnitCostBook | None = None,
                 methods: Methods | None = None, broken: dict[str, list[Problem]] | None = None):
        self.funds = funds
        self.folder = folder
        self.unit_costs = unit_costs or UnitCostBook()  # unit_costs.yaml and <fund>/unit_costs.yaml
        self.methods = methods or Methods()  # methods.yaml
        #: funds left out because their own files could not be loaded (``load_policies(isolate=True)``),
        #: with their problems; every other fund is whole
        self.broken: dict[str, list[Problem]] = broken or {}
        #: what the broken funds' policy files declare, where they could be read: clause ids, and
        #: parameter name -> (type, label). The rules are checked knowing them (a fund's own rule
        #: names its clause), though no broken fund is decided for.
        self.broken_clauses: set[str] = set()
        self.broken_params: dict[str, tuple[str, ParamLabel | None]] = {}
        #: broken funds whose policy.yaml could not even be read (what they declare is unknown)
        self.broken_unread: set[str] = set()
        #: a fund left out because a fund it inherits from is broken -> that fund
        self.causes: dict[str, str] = {}
        #: rules set aside for a fund that could not be read (engine.rulebook.load_rulebook), said
        self.set_aside: list[Problem] = []

    def __setstate__(self, state: dict) -> None:
        for name, empty in (("broken", {}), ("broken_clauses", set()), ("broken_params", {}),
                            ("broken_unread", set()), ("causes", {}), ("set_aside", [])):
            state.setdefault(name, empty)
        self.__dict__.update(state)

    def _carry(self, book: "PolicyBook") -> "PolicyBook":
        book.broken_clauses, book.broken_params = self.broken_clauses, self.broken_params
        book.broken_unread, book.causes, book.set_aside = self.broken_unread, self.causes, list(self.set_aside)
        return book

    def known(self) -> list[str]:
        """Every fund of the folder, loaded or left out."""
        return sorted(set(self.funds) | set(self.broken))

    def broken_reason(self, fund_id: str) -> str:
        """Why a left-out fund decides nothing, in a sentence (its problems are said apart)."""
        cause = self.causes.get(fund_id)
        if cause is None:
            return _("the fund '{fund_id}' has errors in its policy files: it decides no applications until they "
                     "are mended").format(fund_id=fund_id)
        return _("the fund '{fund_id}' inherits from '{cause}', which has errors in its policy files: it decides no "
                 "applications until they are mended").format(fund_id=fund_id, cause=cause)

    def without(self, broken: dict[str, list[Problem]]) -> "PolicyBook":
        """This book with more funds left out as broken (their problems given)."""
        merged = {f: list(problems) for f, problems in self.broken.items()}
        for fund_id, problems in broken.items():
            merged.setdefault(fund_id, []).extend(p for p in problems if p not in merged[fund_id])
        return self._carry(PolicyBook({f: x for f, x in self.funds.items() if f not in merged}, self.folder,
                                      self.unit_costs, self.methods, merged))

    def broken_problems(self) -> list[Problem]:
        """The problems of every fund left out, fund by fund: first those of its own files, as
        they were found, then the funds left out with a parent; then the rules set aside."""
        return [p for problems in self.broken.values() for p in problems] + self.set_aside

    def fund(self, fund_id: str) -> Fund:
        if fund_id in self.broken:  # with the first problem of the fund whose own files are broken
            first = self.broken[self.causes.get(fund_id, fund_id)][0]
            raise PolicyError(Problem(f"{self.broken_reason(fund_id)}: {first}", None, field="fund"))
        if fund_id not in self.funds:
            raise PolicyError(Problem(_("unknown fund '{fund_id}'").format(fund_id=fund_id), None, field="fund",
                                      hint=did_you_mean(fund_id, self.known())
                                      or _("known funds: {funds}").format(funds=", ".join(self.known()))))
        return self.funds[fund_id]

    def version(self, fund_id: str, day: dt.date) -> PolicyVersion:
        return self.fund(fund_id).version_at(day)

    def with_value(self, fund_id: str, name: str, value: Any, from_: dt.date, reference: str) -> "PolicyBook":
        """A copy in which one parameter of one fund takes a new value from a date ("what if")."""
        fund = self.fund(fund_id)
        if name not in fund.params:
            raise PolicyError(Problem(_("unknown parameter '{name}'").format(name=name), fund.file,
                                      hint=did_you_mean(name, fund.params)))
        spec = fund.params[name]
        value, wrong = checked_value(name, value, spec.type, spec.nullable, spec.range)
        if wrong is not None:
            raise PolicyError(Problem(wrong[0], fund.file, field=name, hint=wrong[1]))
        if from_ < fund.in_force_from:
            raise PolicyError(Problem(_("{day} is before the fund's first version ({start})").format(
                day=from_, start=fund.in_force_from), fund.file))
        values = tuple(v for v in spec.values if v.from_ != from_) + (ParamValue(value, from_, reference),)
        params = dict(fund.params)
        params[name] = ParamDef(name, spec.type, spec.nullable, spec.description,
                                tuple(sorted(values, key=lambda v: v.from_)), spec.range, spec.label, spec.declared_in)
        changed = Fund(fund.id, fund.name, fund.in_force_from, params, fund.clauses, fund.file,
                       tuple(sorted(set(fund.versions) | {from_})), fund.letter, fund.description, fund.sections,
                       fund.case)
        funds = dict(self.funds)
        funds[fund_id] = changed
        return self._carry(PolicyBook(funds, self.folder, self.unit_costs, self.methods, self.broken))

    def all_versions(self):
        for fund in self.funds.values():
            for v in fund.versions:
                yield fund.version_at(v)

    def parameter_labels(self) -> dict[str, ParamLabel]:
        """The labels funds give the parameters they declare, by parameter."""
        return {name: p.label for fund in self.funds.values() for name, p in fund.params.items()
                if p.label is not None}


#: words in a parameter's name that say its value is a share or a rate (written as a fraction)
SHARE_WORDS = ("share", "rate", "percent", "pct", "price_change", "andel")


def share_fix(name: str, ptype: str, value: Any) -> str | None:
    """"write 0.02 for 2 %" where a share or rate is written as a whole number of per cent."""
    last = name.rsplit(".", 1)[-1]
    if ptype in ("number", "share") and any(w in last for w in SHARE_WORDS) and isinstance(value, (int, float)) \
            and 1 < abs(value) <= 100:
        return _("write {fraction} for {value} %").format(fraction=_number(value / 100), value=_number(value))
    return None


_NONE_WORDS = {"none", "no limit", "nil", "ingen", "ingen gräns", "inget", "-", "–", "n/a"}


def value_fix(ptype: str, value: Any, nullable: bool) -> str | None:
    """The plain fix for a parameter value of the wrong type, where one is plain: ``null`` for
    "none", 4000000 for "4 000 000", 0.02 for "2 %", ``[municipal]`` for "municipal"."""
    if isinstance(value, float) and ptype in ("integer", "money", "months", "years") and value.is_integer():
        return _("write {number}").format(number=int(value))  # 4e6 or 4000000.0
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in _NONE_WORDS:
        return _("write null for no limit") if nullable else _("this parameter cannot be none: write a value")
    if ptype == "kinds":
        return _("write a list: [{kinds}]").format(kinds=", ".join(k.strip() for k in text.split(",") if k.strip()))
    squeezed = text.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if ptype in ("integer", "money", "months", "years"):
        digits = squeezed.replace(",", "").replace(".", "")  # 4 000 000, 4,000,000, 4.000.000
        return _("write {number}").format(number=int(digits)) if digits.isdigit() else None
    if ptype in ("number", "share"):
        percent = squeezed.endswith("%")
        try:
            number = float(squeezed.rstrip("%").replace(",", "."))  # 0,02 or 2 %
        except ValueError:
            return None
        return _("write {number}").format(number=_number(number / 100 if percent else number))
    return None


def checked_value(name: str, given: Any, ptype: str, nullable: bool, bounds) -> tuple[Any, tuple[str, str | None] | None]:
    """A parameter value of its type and within its range, and None; or None and what is wrong
    with it (message, hint). One check for a policy file's values and a what-if value alike."""
    if given is None:
        return None, None if nullable else (_("'{name}' needs a value (it cannot be none)").format(name=name), None)
    try:
        value = _adapter(ptype).validate_python(given)
    except ValidationError as exc:
        return None, (_("not a valid {type}: {reason}").format(type=_(KIND_WORDS.get(ptype, ptype)),
                                                                reason=error_text(exc.errors()[0])),
                      value_fix(ptype, given, nullable))
    if ptype == "share" and not 0 <= value <= 1:
        return None, (_("a share must be between 0 and 1"), share_fix(name, "share", value) or _("write 2 % as 0.02"))
    why = bounds.refuses(value) if bounds is not None else None
    if why:
        return None, (why, share_fix(name, ptype, value))
    if ptype == "month_day":
        try:
            dt.date.fromisoformat(f"2024-{value}")
        except ValueError:
            return None, (_("'{value}' is not a day of the year as MM-DD").format(value=value), None)
    return value, None


def _date(source: Source, path: tuple, text: Any, problems: list[Problem]) -> dt.date | None:
    try:
        return parse_iso(text)
    except ValueError as exc:
        problems.append(source.problem(path, str(exc)))
        return None


def load_policies(folder: str | Path, isolate: bool = False) -> PolicyBook:
    """Load and check every ``*/policy.yaml`` under ``folder``; all problems are reported together.

    With ``isolate``, a fund whose own files (``<fund>/policy.yaml``, ``letter.yaml``,
    ``case.yaml``, ``unit_costs.yaml``) have problems is left out with them (``broken``),
    and so are the funds that inherit from it, while every other fund is loaded: one fund's
    broken file does not stop the others' decisions. A problem in a file the funds share
    (``unit_costs.yaml``, ``methods.yaml``) still stops them all."""
    folder = Path(folder)
    files = sorted(folder.glob("*/policy.yaml"))
    if not files:
        raise PolicyError(Problem(_("no fund policies found (expected <fund>/policy.yaml)"), str(folder)))
    problems: list[Problem] = []
    parsed: dict[str, tuple[PolicyFile, Source]] = {}
    homes: dict[str, Path] = {}  # the folder of each fund's policy.yaml, where its letter.yaml is
    broken: set[str] = set()
    for path in files:
        checked = load_checked(path, PolicyFile, PolicyError, problems)
        if checked is None:
            broken.add(path.parent.name)
            continue
        source, pf = checked
        if pf.fund != path.parent.name:
            problems.append(source.problem(("fund",), _("the fund id '{fund}' must match its folder '{folder}'").format(
                fund=pf.fund, folder=path.parent.name), _("write fund: {folder}, or rename the folder to {fund}").format(
                folder=path.parent.name, fund=pf.fund)))
        parsed[pf.fund] = (pf, source)
        homes[pf.fund] = path.parent
    funds: dict[str, Fund] = {}
    for fund_id in _inheritance_order(parsed, broken, problems):
        pf, source = parsed[fund_id]
        parent = funds.get(pf.inherits) if pf.inherits is not None else None
        if pf.inherits is not None and parent is None:
            continue  # its parent is broken: the parent's own problems are reported
        fund = _build_fund(pf, source, parent, problems)
        if fund is not None:
            fund.letter = _letter(homes[fund_id] / "letter.yaml", problems)
            fund.case = load_case_spec(homes[fund_id] / CASE_FILE, fund.letter.kind if fund.letter else None, problems)
            _check_texts(pf, source, fund, problems,
                         letter_broken=fund.letter is None and (homes[fund_id] / "letter.yaml").exists())
            funds[fund_id] = fund
    _declared_once(funds, parsed, problems)
    unit_costs = load_unit_costs(folder, list(parsed), problems)
    methods = load_methods(folder, problems)
    if not problems:
        return PolicyBook(funds, folder, unit_costs, methods)
    broken = fund_problems(folder, problems) if isolate else None
    if broken is None:
        raise PolicyError(problems)
    # broken is by folder; a fund is its folder's (a fund id that is not its folder's name is a problem there)
    parents = {homes[fund_id].name: pf.inherits for fund_id, (pf, _source) in parsed.items()}
    causes: dict[str, str] = {}  # a fund left out with a parent -> the fund whose own files are broken
    for fund_id in sorted(parents):
        if fund_id in broken:
            continue
        parent, seen = parents[fund_id], {fund_id}
        while parent is not None and parent not in broken and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        if parent in broken or fund_id not in funds:  # (not built: only where its parent was not)
            parent = parent if parent in broken else parents[fund_id]
            causes[fund_id] = causes.get(parent, parent)
            _pf, source = parsed[fund_id]
            broken[fund_id] = [source.problem(("inherits",), _(
                "the fund inherits from '{parent}', which has errors in its policy files").format(parent=parent),
                _("mend the problems of '{parent}' above").format(parent=parent))]
    kept = {f: x for f, x in funds.items() if f not in broken and homes[f].name not in broken}
    book = PolicyBook(kept, folder, unit_costs, methods, broken)
    book.causes = causes
    book.broken_unread = {f for f in broken if f not in {homes[x].name for x in parsed}}
    for fund_id, (pf, _source) in parsed.items():
        if homes[fund_id].name in broken:
            book.broken_clauses.update(c.id for c in pf.clauses)
            book.broken_params.update({name: (spec.type, spec.label) for name, spec in pf.parameters.items()
                                       if spec.type is not None})
    return book


def fund_problems(folder: Path, problems: list[Problem]) -> dict[str, list[Problem]] | None:
    """The problems by the fund whose own folder (``<folder>/<fund>/``) holds the file each is
    placed in; None where one is not any one fund's (a shared file, no file)."""
    base = Path(folder).resolve()
    out: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.file is None:
            return None
        try:
            parts = Path(problem.file).resolve().relative_to(base).parts
        except (ValueError, OSError):
            return None
        if len(parts) != 2:  # policies/<file>: shared by every fund
            return None
        out.setdefault(parts[0], []).append(problem)
    return out


def _declared_once(funds: dict[str, Fund], parsed: dict[str, tuple[PolicyFile, Source]],
                   problems: list[Problem]) -> None:
    """A parameter is declared (with its type, range and label) by one fund: rules name it by
    its name alone, so two declarations could give it two meanings."""
    first: dict[str, str] = {}
    for fund_id in sorted(funds):
        for name, p in funds[fund_id].params.items():
            if p.declared_in != fund_id:
                continue
            if name in first:
                _pf, source = parsed[fund_id]
                problems.append(source.problem(("parameters", name), _(
                    "the parameter '{name}' is declared by the fund '{other}' too").format(name=name, other=first[name]),
                    _("give a fund's own parameter a name of its own, such as {fund}.{word}, or declare it once in "
                      "the model").format(fund=fund_id.replace("-", "_"), word=name.rsplit(".", 1)[-1]), key=True))
            else:
                first[name] = fund_id


def _inheritance_order(parsed: dict[str, tuple[PolicyFile, Source]], broken: set[str],
                       problems: list[Problem]) -> list[str]:
    """Funds with every parent before its children; unknown parents and circles are problems."""
    order: list[str] = []
    state: dict[str, str] = {}  # fund -> "open" while its ancestors are followed, then "ok" or "failed"

    def visit(fund_id: str, chain: list[str]) -> bool:
        if state.get(fund_id) in ("ok", "failed"):
            return state[fund_id] == "ok"
        pf, source = parsed[fund_id]
        if state.get(fund_id) == "open":
            circle = chain[chain.index(fund_id):] + [fund_id]
            problems.append(source.problem(("inherits",), _("inheritance goes round in a circle: {circle}").format(
                circle=" → ".join(circle)), _("a fund inherits from the model or from a fund that does not inherit "
                                              "from it")))
            return False
        parent = pf.inherits
        ok = True
        if parent is not None:
            if parent == fund_id:
                problems.append(source.problem(("inherits",), _("the fund '{fund_id}' inherits from itself").format(fund_id=fund_id),
                                               _("inherit from the model: inherits: model")))
                ok = False
            elif parent not in parsed:
                if parent not in broken:
                    problems.append(source.problem(("inherits",), _("inherits from unknown fund '{parent}'").format(parent=parent),
                                                   did_you_mean(parent, [f for f in [*parsed, *broken] if f != fund_id])))
                ok = False
            else:
                state[fund_id] = "open"
                ok = visit(parent, chain + [fund_id])
        state[fund_id] = "ok" if ok else "failed"
        if ok:
            order.append(fund_id)
        return ok

    for fund_id in sorted(parsed):
        visit(fund_id, [])
    return order


#: what a clause text may name of the fund's letter data
FUND_WORDS = ("council", "board", "organisation")
_COUNTS = {"integer", "months", "years"}


def _check_texts(pf: PolicyFile, source: Source, fund: Fund, problems: list[Problem], letter_broken: bool = False
                 ) -> None:
    """The fund's description and the texts of its sections and clauses name only its
    parameters and letter words, with plurals on counts and selects on yes/no values."""
    kinds = {f"policy.{name}": p.type for name, p in fund.params.items()}
    nullable = {f"policy.{name}" for name, p in fund.params.items() if p.nullable}
    # where letter.yaml is there but could not be read, its own problems are said, not these
    allowed = set(kinds) | ({f"fund.{w}" for w in FUND_WORDS} if fund.letter is not None or letter_broken else set())
    if fund.letter is None and not letter_broken:  # inherited clause texts may name the fund's words too
        for clause in fund.clauses.values():
            for lang in ("sv", "en") if clause.text is not None else ():
                named = [n for n, _how, _o in messages.names(messages.parse(getattr(clause.text, lang)))
                         if n.startswith("fund.")]
                if named:
                    problems.append(source.problem((), _(
                        "the text of clause {clause} names {placeholder}, but the fund '{fund}' has no letter.yaml")
                        .format(clause=clause.id, placeholder="{" + named[0] + "}", fund=fund.id),
                        _("write its letter data beside its policy.yaml")))
                    return
    texts = [(("description",), pf.description)]
    texts += [(("sections", i, "text"), sec.text) for i, sec in enumerate(pf.sections)]
    texts += [(("clauses", i, "text"), c.text) for i, c in enumerate(pf.clauses)]
    for path, text2 in texts:
        if text2 is None:
            continue
        for lang in ("sv", "en"):
            text = getattr(text2, lang)
            values = {n: ("true", "false") for n, k in kinds.items() if k == "boolean"}
            faults = messages.problems(text, lang, values)
            for message, _offset in faults:
                problems.append(source.problem(path + (lang,), message))
            if faults:
                continue
            used = messages.names(messages.parse(text))
            selected = {name for name, how, _offset in used if how == "select"}
            for name, how, _offset in used:
                kind = kinds.get(name)
                placeholder = "{" + name + "}"
                if name not in allowed:
                    hint = did_you_mean(name, allowed) or (
                        _("the fund words need its letter.yaml") if name.startswith("fund.") else
                        _("name a parameter as {example}").format(example="{policy.name}"))
                    problems.append(source.problem(path + (lang,), _("the placeholder {placeholder} is not known "
                                                                     "here").format(placeholder=placeholder), hint))
                elif how == "plural" and kind not in _COUNTS:
                    problems.append(source.problem(path + (lang,), _("a plural needs a count, but {placeholder} is a "
                                                                     "{kind}").format(placeholder=placeholder,
                                                                                      kind=kind or "text")))
                elif how == "select" and kind != "boolean" and name not in nullable:
                    problems.append(source.problem(path + (lang,), _(
                        "a select needs a yes/no value or a parameter that may be none, but {placeholder} is a "
                        "{kind}").format(placeholder=placeholder, kind=kind or "text")))
                elif how == "text" and kind == "boolean":
                    problems.append(source.problem(path + (lang,), _(
                        "{placeholder} is a yes/no value: word it with a select").format(placeholder=placeholder)))
                elif how == "text" and name in nullable and name not in selected:
                    problems.append(source.problem(path + (lang,), _(
                        "{placeholder} may be none: word that case with {example}").format(
                        placeholder=placeholder, example="{" + name + ", select, none {…} other {…}}")))


def _letter(path: Path, problems: list[Problem]) -> LetterSpec | None:
    if not path.exists():
        return None
    checked = load_checked(path, LetterSpec, PolicyError, problems)
    return checked[1] if checked else None


def _declared_range(name: str, spec: ParamSpec, ptype: str, inherited: ParamDef | None, source: Source,
                    path: tuple, problems: list[Problem]) -> Range | None | bool:
    """The range a parameter's values must lie in; False where the declaration is wrong."""
    if inherited is not None:
        if spec.range is not None:
            problems.append(source.problem(path + ("range",), _("the range of '{name}' is declared where the "
                                                                "parameter is declared (the model policy)").format(
                name=name), _("remove it here; change it there if it is wrong")))
            return False
        return inherited.range
    if ptype not in NUMERIC_PARAM_TYPES:
        if spec.range is not None:
            problems.append(source.problem(path + ("range",), _("a {type} parameter has no range").format(type=ptype)))
            return False
        return None
    given = spec.range
    bounds = Range(given.min, given.max, given.above, given.below) if given is not None else None
    implied = TYPE_RANGES.get(ptype)
    if bounds is None:
        if ptype in NEEDS_RANGE:
            problems.append(source.problem(path, _("the parameter '{name}' declares no range").format(name=name),
                                           _("add range: {min: …, max: …}; above and below exclude the bound"), key=True))
            return False
        return implied
    if (bounds.min is not None and bounds.above is not None) or (bounds.max is not None and bounds.below is not None):
        problems.append(source.problem(path + ("range",), _("give min or above, and max or below, not both")))
        return False
    if not bounds.closed:
        problems.append(source.problem(path + ("range",), _("a range needs a lower bound (min or above) and an upper bound "
                                                                "(max or below)")))
        return False
    low = bounds.min if bounds.min is not None else bounds.above
    high = bounds.max if bounds.max is not None else bounds.below
    if low > high or (low == high and (bounds.above is not None or bounds.below is not None)):
        problems.append(source.problem(path + ("range",), _("the range {bounds} holds no value").format(bounds=bounds)))
        return False
    if implied is not None and (low < implied.min or high > implied.max):
        problems.append(source.problem(path + ("range",), _("a {type} lies in {implied}: the range {bounds} goes "
                                                            "beyond it").format(type=ptype, implied=implied,
                                                                                 bounds=bounds)))
        return False
    return bounds


def _build_fund(pf: PolicyFile, source: Source, parent: Fund | None, problems: list[Problem]) -> Fund | None:
    start = _date(source, ("in_force_from",), pf.in_force_from, problems)
    if start is None:
        return None
    params: dict[str, ParamDef] = {}
    if parent is not None:
        for name, p in parent.params.items():
            if not p.values:
                continue  # the parent's values were refused: its problems are reported
            # the fund adopts the model's values from its own first day
            first, *rest = p.values
            clamped = (ParamValue(first.value, start, first.reference),) + tuple(v for v in rest if v.from_ > start)
            params[name] = ParamDef(name, p.type, p.nullable, p.description, clamped, p.range, p.label, p.declared_in)
    for name, spec in pf.parameters.items():
        path = ("parameters", name)
        inherited = params.get(name)
        if inherited is None and spec.type is None:
            known = list(params)
            guess = did_you_mean(name, known)
            hint = _("{guess} A new parameter needs a type").format(guess=guess) if guess else _(
                "a new parameter needs a type: add type: integer, number, money, share, months, years, boolean, "
                "kinds or month_day, and its range")
            problems.append(source.problem(path, _("unknown parameter '{name}'").format(name=name), hint, key=True))
            continue
        if inherited is not None and spec.type is not None and spec.type != inherited.type:
            problems.append(source.problem(path + ("type",), _("the type of '{name}' is {type}, not {given}").format(
                name=name, type=inherited.type, given=spec.type)))
            continue
        if inherited is not None and spec.label is not None:
            problems.append(source.problem(path + ("label",), _("the label of '{name}' is given where the parameter is "
                                                                "declared ({fund})").format(name=name,
                                                                                            fund=inherited.declared_in),
                                           _("remove it here"), key=True))
            continue
        ptype = spec.type or inherited.type
        nullable = spec.nullable or (inherited.nullable if inherited else False)
        bounds = _declared_range(name, spec, ptype, inherited, source, path, problems)
        if bounds is False:
            continue
        values: list[ParamValue] = []
        first_on: dict[dt.date, int] = {}  # the value given first for each day
        for i, entry in enumerate(spec.values):
            vpath = path + ("values", i)
            day = _date(source, vpath + ("from",), entry.from_, problems)
            if day is not None and day < start:
                problems.append(source.problem(vpath + ("from",),
                                               _("{day} is before the fund's first version ({start})").format(day=day, start=start)))
                day = None
            # the value is checked even where its date is wrong: every problem of the file at once
            value, wrong = checked_value(name, entry.value, ptype, nullable, bounds)
            if wrong is not None:
                problems.append(source.problem(vpath + ("value",), *wrong))
            if day is None or wrong is not None:
                continue
            if day in first_on:
                problems.append(source.problem(vpath + ("from",), _(
                    "two values take effect on the same date, {day}: this one and value {first}").format(
                    day=day.isoformat(), first=first_on[day] + 1), _("give each value a date of its own")))
                continue
            first_on[day] = i
            values.append(ParamValue(value, day, entry.reference))
        values.sort(key=lambda v: v.from_)
        if values and values[0].from_ != start and inherited is None:
            problems.append(source.problem(path + ("values", 0, "from"),
                                           _("the first value must be in force from the fund's first version ({start})").format(start=start)))
        if inherited is not None:  # (where every value of its own is refused, the inherited ones stay)
            kept = tuple(v for v in inherited.values if not values or v.from_ < values[0].from_)
            values = list(kept) + values
        params[name] = ParamDef(name, ptype, nullable, spec.description or (inherited.description if inherited else None),
                                tuple(values), bounds, inherited.label if inherited else spec.label,
                                inherited.declared_in if inherited else pf.fund)
    clauses: dict[str, Clause] = dict(parent.clauses) if parent else {}
    clauses = {k: Clause(c.id, c.title, c.fund, c.section, start, c.text, c.enforced_by) for k, c in clauses.items()}
    for i, spec in enumerate(pf.clauses):
        path = ("clauses", i)
        if spec.id in clauses:
            problems.append(source.problem(path + ("id",), _("clause {id} is defined twice").format(id=spec.id)))
            continue
        day = start if spec.from_ is None else _date(source, path + ("from",), spec.from_, problems)
        if day is None:
            continue
        if day < start:
            problems.append(source.problem(path + ("from",), _("{day} is before the fund's first version ({start})").format(day=day, start=start)))
            continue
        clauses[spec.id] = Clause(spec.id, spec.title, pf.fund, spec.section, day, spec.text, spec.enforced_by)
    versions = {start}
    versions.update(v.from_ for p in params.values() for v in p.values if v.from_ >= start)
    versions.update(c.from_ for c in clauses.values())
    sections = dict(parent.sections) if parent else {}
    sections.update({sec.id: sec for sec in pf.sections})
    return Fund(pf.fund, pf.name, start, params, clauses, source.file, tuple(sorted(versions)),
                description=pf.description, sections=sections)
