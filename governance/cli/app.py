"""The ``fundgov`` command: the root app with every command group registered.

Each command group lives in a module of its own; importing it registers its commands.
"""
from __future__ import annotations

from governance.cli.common import app
from governance.cli import decide, rules, policy, register, fund, followup  # noqa: F401  (registers the commands)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
