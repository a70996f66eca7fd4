"""Message texts of rule and policy files: ``{placeholders}``, plurals and choices.

A message names values in braces; a count chooses its words with a plural, in the
syntax of ICU MessageFormat that translators know::

    Projektet har {n, plural, one {# samverkande part} other {# samverkande parter}}.
    The project lasts {years, plural, one {# budget year} other {# budget years}}.

Inside a plural branch ``#`` is the count as formatted for the letter, and other
placeholders may be used. The branches are the plural categories of the language by
Babel's (CLDR's) rules (Swedish and English: ``one`` and ``other``) or an exact count
(``=0``); ``other`` is always required.

A yes/no value or a choice picks its words with a select, so that no "ja", "nej" or code
value reaches a letter: ``{policy.fund.open, select, true {…} other {…}}``. Its branches
are the values (``true``/``false``, or the choices of the field), ``none`` (the value is
not given, or a parameter is none: "no limit") and ``other``, taken where no branch fits
and always required.

The rulebook and the policy book check every text when they load (syntax, names, that a
plural is given a count and a select a yes/no value, a choice or a value that may be
none), so that filling one never fails.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Union

from babel import Locale

_NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_NAME_CHARS = _NAME_START + "0123456789."
LOCALES = {"sv": Locale.parse("sv_SE"), "en": Locale.parse("en_GB")}


class MessageSyntaxError(ValueError):
    """A message that cannot be read; ``offset`` is where, 0-based."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Placeholder:
    name: str
    offset: int


@dataclass(frozen=True)
class Plural:
    name: str
    offset: int
    branches: tuple[tuple[str, "Parts"], ...]  # (category or "=N", the words of that branch)
    kind: str = "plural"  # or "select": the branches are values




@dataclass(frozen=True)
class Count:
    """``#`` inside a plural branch: the count itself."""

    name: str


Part = Union[str, Placeholder, Plural, Count]
KINDS = ("plural", "select")
Parts = tuple[Part, ...]


def plural_categories(lang: str) -> frozenset[str]:
    """The plural categories a message in ``lang`` may use (always with ``other``)."""
    return frozenset(LOCALES[lang].plural_form.tags) | {"other"}


@lru_cache(maxsize=4096)
def parse(text: str) -> Parts:
    """The parts of a message; raises MessageSyntaxError with the offset of the fault."""
    parts, end = _parse(text, 0, None, False)
    if end != len(text):  # pragma: no cover - _parse reads to the end or raises
        raise MessageSyntaxError("unexpected '}'", end)
    return parts


def _parse(text: str, i: int, plural: str | None, nested: bool) -> tuple[Parts, int]:
    """Words up to the end, or up to the '}' that closes a branch (``nested``); ``plural`` is
    the count a '#' stands for."""
    out: list[Part] = []
    literal: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == "}":
            if not nested:
                raise MessageSyntaxError("a '}' without its '{' (a placeholder is written {name})", i)
            break
        if ch == "#" and plural is not None:
            if literal:
                out.append("".join(literal))
                literal = []
            out.append(Count(plural))
            i += 1
            continue
        if ch != "{":
            literal.append(ch)
            i += 1
            continue
        if literal:
            out.append("".join(literal))
            literal = []
        part, i = _placeholder(text, i)
        out.append(part)
    if literal:
        out.append("".join(literal))
    return tuple(out), i


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _word(text: str, i: int, chars: str = _NAME_CHARS) -> tuple[str, int]:
    start = i
    while i < len(text) and text[i] in chars:
        i += 1
    return text[start:i], i


def _placeholder(text: str, start: int) -> tuple[Part, int]:
    i = _skip_space(text, start + 1)
    if i >= len(text) or text[i] not in _NAME_START:
        raise MessageSyntaxError("a placeholder needs a name: {name}", i)
    name, i = _word(text, i)
    i = _skip_space(text, i)
    if i < len(text) and text[i] == "}":
        return Placeholder(name, start), i + 1
    if i >= len(text) or text[i] != ",":
        raise MessageSyntaxError(f"the placeholder {{{name}}} is not closed with '}}'", i)
    i = _skip_space(text, i + 1)
    kind, i = _word(text, i, _NAME_START)
    if kind not in KINDS:
        raise MessageSyntaxError(f"'{kind or text[i:i + 1]}' is not known here: write {{{name}, plural, "
                                 "one {…} other {…}} or {" + name + ", select, true {…} other {…}}", i)
    i = _skip_space(text, i)
    if i >= len(text) or text[i] != ",":
        raise MessageSyntaxError(f"'{kind}' is followed by a comma and the branches", i)
    branches: list[tuple[str, Parts]] = []
    seen: set[str] = set()
    i = _skip_space(text, i + 1)
    while i < len(text) and text[i] != "}":
        at = i
        if text[i] == "=" and kind == "plural":
            digits, i = _word(text, i + 1, "0123456789")
            if not digits:
                raise MessageSyntaxError("'=' is followed by a count, as in =0", i)
            selector = "=" + str(int(digits))
        else:
            selector, i = _word(text, i, _NAME_CHARS)
            if not selector:
                raise MessageSyntaxError("a plural branch starts with its category (one, other) or =N"
                                         if kind == "plural" else "a select branch starts with a value or other", i)
        if selector in seen:
            raise MessageSyntaxError(f"the branch '{selector}' is given twice", at)
        seen.add(selector)
        i = _skip_space(text, i)
        if i >= len(text) or text[i] != "{":
            raise MessageSyntaxError(f"the branch '{selector}' needs its words in braces: {selector} {{…}}", i)
        words, i = _parse(text, i + 1, name if kind == "plural" else None, True)
        if i >= len(text):
            raise MessageSyntaxError(f"the branch '{selector}' is not closed with '}}'", at)
        branches.append((selector, words))
        i = _skip_space(text, i + 1)
    if i >= len(text):
        raise MessageSyntaxError(f"the {kind} of {{{name}}} is not closed with '}}'", start)
    if not branches:
        raise MessageSyntaxError(f"the {kind} of {{{name}}} has no branches", i)
    return Plural(name, start, tuple(branches), kind), i + 1


def names(parts: Parts) -> list[tuple[str, str, int]]:
    """Every name a message uses, as (name, how: "text", "plural" or "select", offset), in order."""
    out: list[tuple[str, str, int]] = []
    for part in parts:
        if isinstance(part, Placeholder):
            out.append((part.name, "text", part.offset))
        elif isinstance(part, Plural):
            out.append((part.name, part.kind, part.offset))
            for _selector, words in part.branches:
                out.extend(names(words))
    return out


def problems(text: str, lang: str, choices: Mapping[str, tuple[str, ...]] | None = None) -> list[tuple[str, int]]:
    """What is wrong with a message in ``lang`` apart from its names: (message, offset).
    ``choices`` gives the values a select on a name may have branches for."""
    try:
        parts = parse(text)
    except MessageSyntaxError as exc:
        return [(exc.message, exc.offset)]
    found: list[tuple[str, int]] = []
    allowed = plural_categories(lang)

    def walk(items: Parts) -> None:
        for part in items:
            if not isinstance(part, Plural):
                continue
            selectors = [s for s, _ in part.branches]
            if part.kind == "plural":
                for s in selectors:
                    if not s.startswith("=") and s not in allowed:
                        found.append((f"'{s}' is not a plural category of '{lang}'; use "
                                      f"{', '.join(sorted(allowed))} or =N", part.offset))
                if "other" not in selectors:
                    found.append((f"the plural of {{{part.name}}} needs an 'other' branch", part.offset))
            else:
                values = (choices or {}).get(part.name)
                if values is not None:
                    for s in selectors:
                        if s not in ("other", "none") and s not in values:
                            found.append((f"'{s}' is not a value of {{{part.name}}}; its values are "
                                          f"{', '.join(values)} (and other)", part.offset))
                if "other" not in selectors:
                    found.append((f"the select of {{{part.name}}} needs an 'other' branch (also taken where "
                                  "the value is not given)", part.offset))
            for _s, words in part.branches:
                walk(words)

    walk(parts)
    return found


def fill(text: str, words: Mapping[str, str], lang: str = "sv", numbers: Mapping[str, Any] | None = None) -> str:
    """The message with every placeholder replaced by its words; a plural chooses its branch
    by the count in ``numbers`` (its ``other`` branch where the count is not known)."""
    return "".join(_fill(parse(text), words, lang, numbers or {}))


def _fill(parts: Parts, words: Mapping[str, str], lang: str, numbers: Mapping[str, Any]):
    for part in parts:
        if type(part) is str:
            yield part
        elif isinstance(part, Placeholder):
            yield words[part.name]
        elif isinstance(part, Count):
            yield words[part.name]
        else:
            yield from _fill(_branch(part, numbers.get(part.name), lang), words, lang, numbers)


def _branch(part: Plural, count: Any, lang: str) -> Parts:
    branches = dict(part.branches)
    if part.kind == "select":
        if count is None:
            return branches.get("none", branches["other"])
        key = ("true" if count else "false") if isinstance(count, bool) else count
        return branches.get(key, branches["other"]) if isinstance(key, str) else branches["other"]
    if isinstance(count, (int, float)) and not isinstance(count, bool):
        if count == int(count) and f"={int(count)}" in branches:
            return branches[f"={int(count)}"]
        category = LOCALES[lang].plural_form(count)
        if category in branches:
            return branches[category]
    return branches["other"]
