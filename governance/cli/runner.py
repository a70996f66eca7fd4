"""Running the command line: the edge where the framework's usage errors become placed messages."""
from __future__ import annotations

import os
import sys

import typer
from typer import _click

from governance.cli import framework, registry
from governance.cli.common import EXIT_INPUT, EXIT_USAGE, app
from governance.errors import FundgovError

EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h): an internal error


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
    except FundgovError as exc:  # a command that let one of the library's own errors through
        for problem in exc.problems:
            print(f"fundgov: {problem}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:  # the machine's, not fundgov's: a full disk, a folder that may not be written
        print("fundgov: " + (f"{exc.filename}: " if exc.filename else "") + (exc.strerror or str(exc)),
              file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # a defect, not a user error: said plainly, the traceback on request
        if os.environ.get("FUNDGOV_DEBUG"):
            raise
        from governance.i18n import _

        print("fundgov: " + _("internal error: {error} (a defect in fundgov, not in your files; run again with "
                              "FUNDGOV_DEBUG=1 to see where, and report it)").format(
            error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_INTERNAL
    return result if isinstance(result, int) else 0
