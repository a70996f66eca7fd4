"""What every command shares: the root Typer app, options, and the one place where
errors become messages and exit codes.

Exit status: 0 every input decided (whatever the outcomes); 1 an input could not be read or
validated (the other inputs are still decided and printed), or a rule or policy file could
not be (then nothing is decided on rules known to be broken; ``check`` leaves out only a fund
whose own files are broken, see Governance.load); 2 the command was used the wrong way.
"""

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from governance import DEFAULT_POLICIES, DEFAULT_RULES, Governance
from governance.cli import framework
from governance.dates import parse_iso
from governance.errors import FundgovError, UsageError
from governance.i18n import _, current_language, language_from_environment, set_language

framework.install()

app = typer.Typer(add_completion=False, rich_markup_mode=None, no_args_is_help=True,
                  help=_("fundgov: governance engine for social investment funds."))

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


@app.callback()
def _root(lang: Optional["Lang"] = typer.Option(None, "--lang", help=_("language of what is written: sv or en "
                                                                      "(default: $FUNDGOV_LANG, else the locale, else sv)"))
          ) -> None:
    set_language(lang.value if lang is not None else language_from_environment())  # every run starts afresh


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    sv = "sv"
    en = "en"


LANG_OPT = typer.Option(None, "--lang", help=_("language of what is written: sv or en "
                                                "(default: $FUNDGOV_LANG, else the locale, else sv)"))


def language(option: Optional[Lang]) -> str:
    """The language a command writes in (``--lang``, else the environment's), set for everything it calls."""
    lang = option.value if option is not None else current_language()
    set_language(lang)
    return lang


LIMIT_OPT = typer.Option(None, "--limit", metavar="NAME=N",
                         help=_("raise a limit on what one input file may hold: file-size (bytes, may end in K, "
                                "M or G), depth, values, list-items or aliases; may be repeated"))


def input_limits(given: Optional[list[str]]) -> None:
    """Apply ``--limit`` options (the defaults otherwise); a bad one is a usage error (exit 2)."""
    from governance.formats.limits import DEFAULT, parse_limit, set_limits

    limits = DEFAULT
    for text in given or []:
        try:
            limits = parse_limit(text, limits)
        except ValueError as exc:
            fail(UsageError(f"--limit: {exc}"), EXIT_USAGE)
    set_limits(limits)


class LetterFormat(str, Enum):
    md = "md"
    html = "html"
    pdf = "pdf"


def option_date(text: Optional[str], option: str = "--date") -> dt.date:
    """The day a command is about (today if not given); a bad date is a usage error (exit 2)."""
    if text is None:
        return dt.date.today()  # the edge reads the clock; the engine never does
    try:
        return parse_iso(text)
    except ValueError as exc:
        fail(UsageError(f"{option}: {exc}"), EXIT_USAGE)
        raise  # pragma: no cover


def fail(exc: FundgovError, code: int) -> None:
    for problem in exc.problems:
        print(f"fundgov: {problem}", file=sys.stderr)
    raise typer.Exit(code)


def load_governance(rules: Optional[Path], policies: Optional[Path], isolate: bool = False) -> Governance:
    """The rules and policies (exit 1 where they cannot be loaded; with ``isolate``, a fund
    whose own files are broken is left out, see Governance.load)."""
    try:
        return Governance.load(rules or DEFAULT_RULES, policies or DEFAULT_POLICIES, isolate=isolate)
    except FundgovError as exc:
        fail(exc, EXIT_INPUT)
        raise  # pragma: no cover


def scenarios_or_exit(features: Optional[Path]):
    """Run the scenarios: (what they recorded or None, whether any failed); their report goes to stderr on failure."""
    from governance.authoring.coverage import ScenarioRunError, run_scenarios

    try:
        return run_scenarios(features), False
    except FileNotFoundError as exc:
        fail(UsageError(str(exc)), EXIT_USAGE)
    except ScenarioRunError as exc:
        print(exc.output, end="", file=sys.stderr)
        return exc.coverage, True


def version_or_exit(gov: Governance, fund: str, day: dt.date):
    """The fund's policy version in force on ``day``; an unknown fund or too early a date exits 2."""
    try:
        return gov.policies.version(fund, day)
    except FundgovError as exc:
        fail(exc, EXIT_USAGE)
        raise  # pragma: no cover


SPREADSHEET_OPT = typer.Option(False, "--excel", help=_(
    "CSV as a spreadsheet program opens it by a double-click: a byte-order mark, and in Swedish ';' between "
    "values and a decimal comma"))
RULES_OPT = typer.Option(None, "--rules", help=_("folder of rule files (default: the project's rules/)"))
POLICIES_OPT = typer.Option(None, "--policies", help=_("folder of fund policies (default: the project's policies/)"))
REGISTER_OPT = typer.Option(None, "--register", help=_("the register file (default: $FUNDGOV_REGISTER or "
                                                        "fundgov-register.sqlite here)"))
DATABASE_OPT = typer.Option(None, "--database", help=_("the register on a database server, e.g. "
                                                        "postgresql+psycopg://user@host/fundgov "
                                                        "(default: $FUNDGOV_DATABASE)"))


def register_target(path: Optional[Path], database: Optional[str] = None) -> str:
    """Where the register is: ``--database``, ``--register``, $FUNDGOV_DATABASE, $FUNDGOV_REGISTER, else here."""
    from governance.board.target import default_target

    return database or (str(path) if path is not None else default_target())


def open_register(path: Optional[Path], database: Optional[str] = None, create: bool = False):
    """The register (exit 2 where there is none to read, 1 where it cannot be opened)."""
    from governance.board.database import RegisterError
    from governance.board.register import Register
    from governance.board.target import is_url

    target = register_target(path, database)
    if not create and not is_url(target) and not Path(target).exists():
        fail(UsageError(_("no register at {path}: record decisions with fundgov check --record").format(path=target)),
             EXIT_USAGE)
    try:
        return Register(target, create=create)
    except RegisterError as exc:
        fail(exc, EXIT_INPUT)
        raise  # pragma: no cover


def say_held_reports(result) -> None:
    """The follow-up reports the register held already: given again, not recorded again."""
    for file in result.held_reports:
        print("fundgov: " + _("{file}: the register holds this report already; not recorded again").format(file=file),
              file=sys.stderr)
