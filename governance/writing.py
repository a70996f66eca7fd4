"""Writing output files: atomically, and under names that never collide.

A letter or export is written beside its final name and renamed over it, so a reader never
sees half a file and a killed run leaves no fragment. ``safe_name`` turns ids from input
files into file names injectively: two different ids can never give the same name (``a/b``
and ``a_b`` stay apart), and no id can leave the folder (``../x``).
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_PLAIN = re.compile(r"[A-Za-z0-9._-]")


def safe_name(text: str) -> str:
    """``text`` as one file-name part: letters, digits, '.', '-' and '_' as they are, every
    other character as %XX of its UTF-8 bytes (so the mapping is one-to-one); a leading dot
    is escaped too, so no name is hidden or '..'."""
    out = []
    for i, char in enumerate(text):
        if _PLAIN.match(char) and not (i == 0 and char == "."):
            out.append(char)
        else:
            out.extend(f"%{b:02X}" for b in char.encode("utf-8"))
    return "".join(out) or "%00"


def write_atomically(path: Path, body: str | bytes) -> None:
    """Never a half-written file: write beside it, flush, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = body.encode("utf-8") if isinstance(body, str) else body
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
