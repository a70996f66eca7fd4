"""The ``fundgov`` command: the root app with every command group registered.

Each command group lives in a module of its own; importing it registers its commands.
``run`` is the edge where the framework's usage errors become placed messages.
"""
from __future__ import annotations

import sys

import typer
from typer import _click

from governance.cli import framework
from governance.cli.common import EXIT_USAGE, app
from governance.cli import decide, rules, policy, register, fund, followup  # noqa: F401  (registers the commands)
from governance.cli import evidence  # noqa: F401  (registers fundgov evidence)
from governance.cli import case, meeting  # noqa: F401  (registers fundgov case and fundgov meeting)


def run(args: list[str]) -> int:
    """Run the command line on ``args``; returns the exit status."""
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


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
