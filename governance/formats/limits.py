"""Limits on what one input file may hold, so that no file can make fundgov hang or
exhaust memory.

They are far above any real proposal, report, rule or policy file (the largest shipped
file holds a few hundred values) and are checked before anything is built: the size
before the file is read, depth, values, list lengths and alias uses while it is parsed.
A command line option overrides them (``--limit values=500000``).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from typing import Iterator

from governance.i18n import _


@dataclass(frozen=True)
class Limits:
    file_size: int = 4 * 1024 * 1024  #: bytes in one file
    depth: int = 40                   #: nesting of mappings and lists
    values: int = 200_000             #: values in one document, every alias counted as what it stands for
    list_items: int = 20_000          #: items in one list
    aliases: int = 1_000              #: uses of YAML aliases (*name) in one document

    def describe(self) -> dict[str, int]:
        return {f.name.replace("_", "-"): getattr(self, f.name) for f in fields(self)}


DEFAULT = Limits()
_SUFFIX = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
_current: ContextVar[Limits] = ContextVar("fundgov_limits", default=DEFAULT)


def current() -> Limits:
    return _current.get()


def set_limits(limits: Limits) -> None:
    _current.set(limits)


@contextmanager
def use_limits(limits: Limits) -> Iterator[Limits]:
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def parse_limit(text: str, base: Limits = DEFAULT) -> Limits:
    """``name=value`` (``file-size=8M``, ``values=500000``) applied to ``base``; ValueError otherwise."""
    name, sep, value = text.partition("=")
    known = base.describe()
    key = name.strip().lower()
    if not sep or key not in known:
        raise ValueError(_("'{text}' is not a limit: write NAME=NUMBER with NAME one of {names}").format(
            text=text, names=", ".join(known)))
    raw = value.strip().lower()
    factor = _SUFFIX.get(raw[-1:], 1) if raw else 1
    digits = raw[:-1] if factor != 1 else raw
    if not digits.isdigit() or int(digits) < 1 or len(digits) > 12:
        raise ValueError(_("'{value}' is not a positive whole number (a size may end in K, M or G)").format(value=value))
    return replace(base, **{key.replace("-", "_"): int(digits) * factor})
