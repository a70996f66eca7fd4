"""The ``fundgov`` command: the root app with every command group registered.

Each command group lives in a module of its own; importing it registers its commands
(``governance.cli.registry`` knows which module holds which command). Importing this module
registers them all, for callers that want the whole app (tests, ``CliRunner``); the
``fundgov`` script itself goes through ``governance.cli.runner.run``, which imports only the
modules of the command it runs.
"""
from __future__ import annotations

import sys

from governance.cli import registry
from governance.cli.common import app  # noqa: F401  (public: the root app)
from governance.cli.runner import run  # noqa: F401  (public)

registry.register()


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
