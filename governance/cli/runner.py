"""Running the command line: the edge where the framework's usage errors become placed messages."""
from __future__ import annotations

import sys

import typer
from typer import _click

from governance.cli import framework, registry
from governance.cli.common import EXIT_USAGE, app


def run(args: list[str]) -> int:
    """Run the command line on ``args``; returns the exit status. Only the modules of the
    command named are imported (all of them where none is: help, a mistyped name)."""
    registry.register(registry.modules_for(args))
    command = typer.main.get_command(app)
    try:
        result = command.main(args, prog_name="fundgov", standalone_mode=False)
    except _click.exceptions.UsageError as exc:
        print(f"fundgov: {framework.usage_error_text(exc)}", file=sys.stderr)
        hint = framework.help_hint(exc)
        if hint:
            print(f"fundgov: {hint}", file=sys.stderr)
        return EXIT_USAGE
    except typer.exceptions.Abort:
        from governance.i18n import _

        print(_("Aborted!"), file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0
