"""verify: re-decide every recorded proposal with the rule and policy files it was decided with.

The recorded files are written only inside a temporary folder, and only where their names
are plain relative paths under ``rules/`` or ``policies/``: a register (which anyone may
hand over) can never make fundgov write elsewhere.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from governance.board.register import Register, RegisterError, snapshot
from governance.errors import FundgovError, Problem
from governance.i18n import _


@dataclass
class Difference:
    id: int
    proposal: str
    recorded: str
    now: str
    detail: str


def safe_relative(name: str) -> PurePosixPath | None:
    """``name`` as a path under rules/ or policies/, or None where it could point elsewhere
    (absolute, ``..``, empty or ``.`` parts, backslashes, NUL)."""
    if not name or "\\" in name or "\0" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts) or parts[0] not in ("rules", "policies") or len(parts) < 2:
        return None
    return PurePosixPath(*parts)


def materialise(files: dict[str, str], folder: Path, register: str = "register") -> tuple[Path, Path]:
    """Write a snapshot's files into ``folder`` (which must be new and empty); every path is
    checked first, and no file or folder is followed through a link."""
    root = Path(folder).resolve()
    bad = sorted(name for name in files if safe_relative(name) is None)
    if bad:
        raise RegisterError(Problem(_("the register's snapshot names a file outside rules/ and policies/: {name}; "
                                      "nothing was written").format(name=bad[0]), register,
                                    hint=_("the register may have been tampered with")))
    root.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        target = root.joinpath(*safe_relative(name).parts)
        parent = root
        for part in safe_relative(name).parts[:-1]:
            parent = parent / part
            if parent.is_symlink():
                raise RegisterError(Problem(_("a link in the way of {name}; nothing more was written").format(
                    name=name), register))
            parent.mkdir(exist_ok=True)
        if not target.resolve().is_relative_to(root):
            raise RegisterError(Problem(_("{name} would be written outside the temporary folder").format(name=name),
                                        register))
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    return root / "rules", root / "policies"


def verify(register: Register, current=None) -> tuple[int, list[Difference], set[int]]:
    """Re-decide every recorded proposal with the recorded rule and policy files (or, given
    ``current``, with that loaded rulebook and its policies). Returns how many were checked, those
    that would now differ, and the records whose files have changed since."""
    from governance.engine.judge import decide
    from governance.engine.rulebook import Rulebook, load_rulebook
    from governance.formats.loader import parse_proposal
    from governance.policy.book import load_policies

    checked, differences, files_changed = 0, [], set()
    current_digest = snapshot(current.folder, current.policies.folder)[0] if current is not None else None
    cache: dict[str, Rulebook] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="fundgov-verify-") as tmp:
            for row in register.decisions():
                record = register.decision(row["id"])
                if current is not None:
                    rulebook = current
                    if record["snapshot"] != current_digest:
                        files_changed.add(record["id"])
                else:
                    rulebook = cache.get(record["snapshot"])
                    if rulebook is None:
                        rules, policies = materialise(register.snapshot_files(record["snapshot"]),
                                                      Path(tmp) / record["snapshot"][:16], register.name)
                        # as check decided them: a fund broken then was left out, and decided nothing
                        rulebook = cache[record["snapshot"]] = load_rulebook(rules, load_policies(policies, isolate=True),
                                                                             isolate=True)
                try:
                    loaded = parse_proposal(record["input"], record["file"] or "recorded")
                    again = decide(rulebook, loaded, dt.date.fromisoformat(record["decision_date"]), record["lang"],
                                   evidence=recorded_evidence(loaded, record["findings"]))
                except (FundgovError, ValueError) as exc:
                    differences.append(Difference(record["id"], record["proposal"], record["outcome"], "error", str(exc)))
                    continue
                checked += 1
                findings = again.as_json()["findings"]
                if again.outcome != record["outcome"] or findings != record["findings"]:
                    before = {f"{f['clause']}:{f['severity']}" for f in record["findings"]}
                    after = {f"{f['clause']}:{f['severity']}" for f in findings}
                    detail = ", ".join([*(f"-{x}" for x in sorted(before - after)),
                                        *(f"+{x}" for x in sorted(after - before))])
                    differences.append(Difference(record["id"], record["proposal"], record["outcome"], again.outcome,
                                                  detail or _("the wording or values of findings differ")))
    finally:
        for rulebook in cache.values():
            rulebook.close()
    return checked, differences, files_changed


def recorded_evidence(loaded, findings: list[dict]) -> dict | None:
    """The evidence level a recorded decision was given for its method (3.8 records it in its
    findings' values), passed in again so that the decision is re-made as it was made."""
    method = loaded.model.intervention.method if loaded.model.intervention is not None else None
    levels = [f["values"].get("method_evidence_level") for f in findings
              if isinstance(f, dict) and f.get("clause") == "3.8" and isinstance(f.get("values"), dict)]
    level = next((v for v in levels if v is not None), None)
    return {method: {"level": level}} if method is not None and level is not None else None
