"""A cache of checked rulebooks, so that a one-shot command does not read, validate and check
every rule and policy file again.

A rulebook is kept (pickled) under a key made of everything that could change it: the
content of every rule and policy file, the code of the package (each module's size and
time), the fundgov and Python versions. A file changed, added or removed, or a new version
of the code, makes a new key; nothing stale is ever used. Only a rulebook that loaded
without a problem is kept, so loading from the cache never skips a check that would fail.

The cache lives in ``$FUNDGOV_CACHE_DIR``, else ``$XDG_CACHE_HOME/fundgov``, else
``~/.cache/fundgov``; ``FUNDGOV_CACHE=off`` turns it off. It is read only where the folder
belongs to the user and no one else may write to it (a pickle is code); the newest
``KEEP`` entries are kept.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
KEEP = 16
_PACKAGE = Path(__file__).resolve().parent.parent


def folder() -> Path | None:
    if os.environ.get("FUNDGOV_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    given = os.environ.get("FUNDGOV_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fundgov"


def _private(path: Path) -> bool:
    """The folder is the user's own and no one else may write to it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@functools.cache
def _code_identity() -> bytes:
    """Each module's path, size and time: once per process (the code running does not change
    under it; a new process sees an edited module)."""
    found = []
    for base, dirs, files in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(base, name)
                info = os.stat(path)
                found.append(f"{os.path.relpath(path, _PACKAGE)}:{info.st_size}:{info.st_mtime_ns}\n")
    digest = hashlib.sha256()
    for line in sorted(found):
        digest.update(line.encode())
    return digest.digest()


def key(*folders: Path, salt: str = "") -> str:
    """The key of a rulebook made from these folders: their files' contents and the code."""
    from governance.project import __version__

    digest = hashlib.sha256(f"{__version__}|{sys.version}|{salt}|".encode())
    digest.update(_code_identity())
    for base in folders:
        base = Path(base)
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached(name: str, folders: tuple[Path, ...], load: Callable[[], T], salt: str = "",
           prepare: Callable[[T], object] | None = None) -> T:
    """``load()``'s result, from the cache where it holds one for exactly these files and code;
    ``prepare(value)`` is called on a value about to be kept (work worth keeping with it)."""
    where = folder()
    if where is None:
        return load()
    try:
        entry = where / f"{name}-{key(*folders, salt=salt)}.pickle"
    except OSError:
        return load()  # a folder that cannot be read: loading says what is wrong with it
    if _private(where) and entry.is_file():
        try:
            with entry.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a damaged entry is no reason to fail: load afresh
            pass
    value = load()
    if _writable(where):  # the work worth keeping is done only where it can be kept
        if prepare is not None:
            prepare(value)
        _store(where, entry, value)
    return value


def _writable(where: Path) -> bool:
    """The cache folder exists (made where it did not), is the user's own, and may be written."""
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    return _private(where) and os.access(where, os.W_OK)


def _store(where: Path, entry: Path, value) -> None:
    """Keep ``value`` in ``where`` (a folder ``_writable`` accepted), the newest KEEP entries."""
    try:
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        entries = sorted(where.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a cache that cannot be written only costs time
