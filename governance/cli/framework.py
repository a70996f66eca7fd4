"""The command-line framework's own words (usage, section headings, its errors) in the
user's language.

Typer vendors Click, whose texts are English and partly fixed in code. The command line
rewords them here, once, at its edge: Typer's own gettext calls go through the project's
catalogue, the usage prefix and the help option are worded by the catalogue, and Click's
usage errors are turned into placed messages (``fundgov: --jobs: …``) by their kind.
"""
from __future__ import annotations

import re

import typer.core
from typer import _click

from governance.i18n import N_, _

#: Typer's own texts (typer.core calls gettext on them): listed so that the catalogue has them
FRAMEWORK_TEXTS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
                   N_("Aborted!"), N_("Missing command."), N_("No such command {name!r}."), N_("(dynamic)"),
                   N_("env var: {var}"))
USAGE = N_("Usage: ")
HELP = N_("Show this message and exit.")
OPTIONS, COMMAND = N_("[OPTIONS]"), N_("COMMAND [ARGS]...")
#: the words of type labels in help (``--date <str>``): plain words, not Python's names
TYPE_WORDS = {"str": N_("text"), "int": N_("whole number"), "float": N_("number"), "path": N_("path"),
              "file": N_("file"), "directory": N_("folder"), "bool": N_("yes or no"), "datetime": N_("date")}
_TYPE = re.compile(r"\b(str|int|float|path|file|directory|bool|datetime)\b", re.IGNORECASE)

_installed = False


class _Formatter(_click.formatting.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE) if prefix is None else prefix)


def install() -> None:
    """Word the framework's texts through the catalogue (idempotent)."""
    global _installed
    if _installed:
        return
    typer.core._ = _  # typer.core looks its gettext up at call time
    _click.core.Context.formatter_class = _Formatter
    original = _click.core.Command.get_help_option

    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = _(HELP)
        return option

    _click.core.Command.get_help_option = get_help_option

    def display_type(self, ctx):
        label = display_type_original(self, ctx)
        label = re.sub(r"list\[(.*)\]", r"\1…", label).replace(" range", "")
        return _TYPE.sub(lambda m: _(TYPE_WORDS[m.group(1).lower()]), label)

    display_type_original = typer.core._TyperParameter.display_type
    typer.core._TyperParameter.display_type = display_type

    def collect_usage_pieces(self, ctx):
        pieces = usage_pieces_original(self, ctx)
        return [_(OPTIONS) if p == "[OPTIONS]" else _(COMMAND) if p == "COMMAND [ARGS]..." else p for p in pieces]

    usage_pieces_original = _click.core.Command.collect_usage_pieces
    _click.core.Command.collect_usage_pieces = collect_usage_pieces
    group_usage_original = typer.core.TyperGroup.collect_usage_pieces

    def group_usage_pieces(self, ctx):
        return [_(COMMAND) if p == "COMMAND [ARGS]..." else p for p in group_usage_original(self, ctx)]

    typer.core.TyperGroup.collect_usage_pieces = group_usage_pieces
    _installed = True


# ------------------------------------------------------------------------------ usage errors

_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^'(?P<value>.*)' is not a valid integer(?: range)?\.?$"), N_("'{value}' is not a whole number")),
    (re.compile(r"^'(?P<value>.*)' is not a valid float\.?$"), N_("'{value}' is not a number")),
    (re.compile(r"^Input should be greater than or equal to (?P<value>.*)$"), N_("must be at least {value}")),
    (re.compile(r"^Input should be less than or equal to (?P<value>.*)$"), N_("must be at most {value}")),
    (re.compile(r"^Input should be a valid integer.*$"), N_("must be a whole number")),
    (re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$"), N_("'{value}' is not one of {choices}")),
    (re.compile(r"^(?P<value>.*) is not in the range (?P<range>.*)\.$"), N_("{value} is not in the range {range}")),
    (re.compile(r"^(?:File|Directory|Path) '(?P<value>.*)' does not exist\.?$"), N_("'{value}' does not exist")),
    (re.compile(r"^Got unexpected extra arguments? \((?P<value>.*)\)$"), N_("unexpected extra arguments: {value}")),
    (re.compile(r"^No such command '(?P<value>.*)'\.$"), N_("no such command '{value}'")),
    (re.compile(r"^Missing command\.$"), N_("a command is missing")),
)


_SUGGESTION = re.compile(r"^(?P<message>.*?)\.? Did you mean (?P<choices>.*)\?$", re.DOTALL)


def _reword(message: str) -> str:
    message = message.strip().removeprefix("Value error, ")
    suggested = _SUGGESTION.match(message)  # Typer appends its did-you-mean to a translated message, in English
    if suggested:
        return _reword(suggested["message"]) + " " + _("(did you mean {options}?)").format(options=suggested["choices"])
    for pattern, template in _PATTERNS:
        match = pattern.match(message)
        if match:
            return _(template).format(**match.groupdict())
    return message


def usage_error_text(exc: _click.exceptions.UsageError) -> str:
    """One line for a usage error Click raised, in the current language."""
    if isinstance(exc, _click.exceptions.NoSuchOption):
        text = _("no such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            text += " " + _("(did you mean {options}?)").format(options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, _click.exceptions.MissingParameter):
        param = exc.param
        if param is None:
            return _("a value is missing")
        if param.param_type_name == "argument":
            return _("the argument {name} is missing").format(name=(param.name or "").upper())
        return _("the option {name} needs a value").format(name=param.opts[0] if param.opts else param.name)
    if isinstance(exc, _click.exceptions.BadParameter):
        param = exc.param
        name = exc.param_hint or ((param.opts[0] if getattr(param, "opts", None) else param.name) if param else None)
        if isinstance(name, (list, tuple)):
            name = " / ".join(name)
        name = str(name).strip("'\"") if name else None
        reason = _reword(exc.message)
        return f"{name}: {reason}" if name else reason
    if isinstance(exc, _click.exceptions.BadOptionUsage):
        return _("{option}: {reason}").format(option=exc.option_name, reason=_reword(exc.message))
    return _reword(exc.message)


def help_hint(exc: _click.exceptions.UsageError) -> str | None:
    ctx = exc.ctx
    if ctx is None:
        return None
    return _("see '{command} --help'").format(command=ctx.command_path)
