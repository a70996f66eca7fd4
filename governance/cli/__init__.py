"""The fundgov command line: one module per command group (``governance.cli.app`` holds them all).

``main`` chooses the language before the commands are imported, so that their help is
worded in it too: ``--lang`` anywhere on the command line, else ``$FUNDGOV_LANG``, else
the locale, else Swedish.
"""
from __future__ import annotations

import sys


def _lang_in(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> None:
    import os

    # pydantic looks for plugins in every installed package's metadata at its first import
    # (a tenth of a second); fundgov uses none
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from governance.i18n import LANGUAGES, language_from_environment, set_language

    args = list(sys.argv[1:] if argv is None else argv)
    asked = _lang_in(args)
    set_language(asked if asked in LANGUAGES else language_from_environment())  # a bad --lang is reported below
    from governance.cli.runner import run

    sys.exit(run(args))


__all__ = ["main"]
