"""The one exception root of fundgov.

Every error the library raises for bad input carries the file, line, column and field
path it is about, and a hint where one helps. Only ``cli.py`` turns these into messages
and exit codes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from governance.terminal import printable


@dataclass
class Problem:
    """One placed problem in an input file."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        """One line, with every control character from the input shown as an escape."""
        text = f"{self.location()}: " if self.file or self.line is not None else ""
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message if not self.hint else f"{self.message} ({self.hint})",
        }


class FundgovError(Exception):
    """Root of every error fundgov raises on purpose.

    It holds one or more placed problems; ``str()`` lists them one per line.
    """

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(FundgovError):
    """A proposal or report file that is not valid input."""


class PolicyError(FundgovError):
    """A policy file that is broken, or a date no policy version covers."""


class RuleError(FundgovError):
    """A rule file that is broken."""


class UsageError(FundgovError):
    """A command used the wrong way (unknown fund, bad option value)."""


def display_path(path: str | Path) -> str:
    """The path as the user gave it, relative to the working folder where possible."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder was removed
        return str(path)
    return _display_path(str(path), cwd)


@lru_cache(maxsize=8192)
def _display_path(path: str, cwd: str) -> str:
    # a batch names each file in several places (its decision, its letter, the register):
    # resolving it once per working folder is enough, and resolving costs a system call per part
    p = Path(path)
    try:
        return str(p.resolve().relative_to(_resolved(cwd)))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a link loop that cannot be resolved
        return str(p)


@lru_cache(maxsize=16)
def _resolved(cwd: str) -> Path:
    return Path(cwd).resolve()
