"""Which module registers which top-level command, so that a run imports only its own.

Importing a command module registers its commands on the root app
(``governance.cli.common.app``); ``fundgov check x.yaml`` needs ``decide`` alone, not the
register's database layer, the workplace or the authoring tools. Where the command line names
no known command (``fundgov``, ``fundgov --help``, a mistyped name that gets a did-you-mean),
every module is imported. ``tests/test_cli_registry.py`` keeps this map equal to what the
modules register.
"""
from __future__ import annotations

import importlib

MODULES: dict[str, str] = {
    "check": "decide", "letter": "decide",
    "rules": "rules", "facts": "rules", "docs": "rules",
    "policy": "policy", "schema": "policy", "impact": "policy",
    "register": "register", "verify": "register",
    "fund": "fund",
    "follow-up": "followup",
    "evidence": "evidence",
    "case": "case",
    "meeting": "meeting",
    "serve": "serve", "user": "serve",
}
ALL = tuple(dict.fromkeys(MODULES.values()))

_ROOT_OPTIONS_WITH_VALUE = ("--lang",)


def command_of(args: list[str]) -> str | None:
    """The top-level command the arguments name (the first word that is not a root option)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        if arg in _ROOT_OPTIONS_WITH_VALUE:
            skip = True
            continue
        if arg in ("--help", "-h"):  # the root's help, listing every command
            return None
        if arg.startswith("-"):
            continue
        return arg
    return None


def modules_for(args: list[str]) -> tuple[str, ...]:
    module = MODULES.get(command_of(args) or "")
    return (module,) if module else ALL


def register(modules: tuple[str, ...] = ALL) -> None:
    """Import these command modules (each registers its commands on the root app once)."""
    for module in modules:
        importlib.import_module(f"governance.cli.{module}")
