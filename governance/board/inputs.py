"""What the register keeps of files, as read: a file's text and hash, and the snapshot of
every rule and policy file that decided.

Apart from the database (no SQLAlchemy here), so that ``check --record`` can take its
snapshot as it starts and leave the database's import to the first batch it writes, while
the workers are already deciding.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from governance.errors import InputError, Problem, display_path
from governance.i18n import _


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def read_input(path: str | Path) -> tuple[str, str]:
    """A file's bytes as UTF-8 text (line endings and a byte-order mark kept) and their hash; a
    regular file only, within the size limit (governance.formats.files), else a placed error."""
    from governance.formats.files import read_input as read_file

    raw = read_file(path)
    try:
        return raw.decode("utf-8"), sha256(raw)
    except UnicodeDecodeError as exc:
        raise InputError(Problem(_("the file is not UTF-8 text"), display_path(path), raw[: exc.start].count(b"\n") + 1,
                                 hint=_("save it as UTF-8 (Latin-1 and Windows-1252 are not read)"))) from None


def snapshot(rules_dir: Path, policies_dir: Path) -> tuple[str, dict[str, str]]:
    """Every rule and policy file, as path -> content, and the hash of them all."""
    files: dict[str, str] = {}
    for prefix, folder in (("rules", Path(rules_dir)), ("policies", Path(policies_dir))):
        for path in sorted(folder.rglob("*.yaml")):
            files[f"{prefix}/{path.relative_to(folder).as_posix()}"] = read_input(path)[0]
    return sha256(json.dumps(files, sort_keys=True, ensure_ascii=False)), files
