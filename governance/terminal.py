"""Text that is safe to show on a terminal or in a log line.

Values from input files (titles, names, keys, file names) reach messages. A control
character in them could clear the screen, move the cursor, recolour the output or start a
new line that looks like the program's own ("fundgov: APPROVED"). ``printable`` writes
every such character as a visible escape instead.
"""
from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (newline and tab included: one value never spans lines), DEL,
# line and paragraph separators, and the bidirectional overrides and isolates that
# reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _escape(match: re.Match) -> str:
    char = match.group(0)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: the same, but line breaks and tabs allowed (text that may span lines)
_UNSAFE_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def first_unsafe(text: str, lines: bool = False) -> str | None:
    """The first control or reordering character of ``text`` (line breaks and tabs allowed
    with ``lines``), or None."""
    found = (_UNSAFE_IN_TEXT if lines else _UNSAFE).search(text)
    return found.group(0) if found else None


def unsafe_character(char: str) -> bool:
    """True for a control or reordering character (``printable`` would escape it)."""
    return bool(_UNSAFE.match(char))


def printable(text: str) -> str:
    """``text`` with every control or reordering character shown as an escape (``\\x1b``)."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def printable_lines(text: str) -> str:
    """Like ``printable`` but keeps line breaks (for text the program itself lays out in lines)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def is_blank(text: str) -> bool:
    """True where the text shows nothing: only spaces, invisible format characters
    (zero-width spaces and joiners, soft hyphens, byte-order marks) and the like."""
    stripped = text.strip()
    if stripped[:1].isalnum():
        return False  # the common case, without looking at every character
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me") for ch in stripped)


def columns(head: list[str], rows: list[list[str]], right: frozenset[int] | set[int] = frozenset(),
            indent: str = "") -> list[str]:
    """A table as lines of text: each column as wide as its head or its widest cell, two spaces
    between, the columns in ``right`` aligned right (numbers), no trailing spaces."""
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return (indent + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))).rstrip()

    return [line(head), *(line(r) for r in rows)]
