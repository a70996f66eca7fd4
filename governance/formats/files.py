"""Finding and reading input files without surprises.

Only regular files are read. A FIFO, a device (a link to ``/dev/zero``, say), a folder,
a dangling link or a link loop is named with what it is, never read (reading a FIFO
would wait forever, a device would never end), and never silently skipped. A file is
opened without blocking, checked on the open descriptor (so it cannot be swapped between
the check and the read), and never read beyond the size limit.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from governance.errors import InputError, Problem, display_path
from governance.i18n import N_, _
from governance.formats.limits import Limits, current

INPUT_SUFFIXES = (".yaml", ".yml", ".json")

_KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return _(name)
    return _("not a regular file")


def _why_unreadable(path: Path, exc: OSError) -> str:
    """The reason a path cannot be opened, in the words a user needs."""
    if exc.errno == errno.ELOOP:
        return _("a link that leads round in a loop")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return _("a link to '{path}', which does not exist").format(path=os.readlink(path))
        return _("no such file or folder")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied")
    return exc.strerror or str(exc)


def read_input(path: str | Path, error: type = InputError, limits: Limits | None = None) -> bytes:
    """The bytes of a regular file, at most the size limit; a placed error for anything else."""
    limits = limits or current()
    name = display_path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise error(Problem(_("cannot read the file: {reason}").format(reason=_why_unreadable(Path(path), exc)), name)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(Problem(_("not read: this is {kind}, not a regular file").format(kind=kind_of(info.st_mode)), name))
        if info.st_size > limits.file_size:
            raise error(Problem(_("the file is {size} bytes, more than the limit of {limit}").format(size=info.st_size, limit=limits.file_size), name,
                                hint=_("a limit against runaway files: raise it with --limit file-size=N")))
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            total += len(chunk)
            if total > limits.file_size:  # the file grew while it was read
                raise error(Problem(_("the file is more than the limit of {limit} bytes").format(limit=limits.file_size), name,
                                    hint=_("a limit against runaway files: raise it with --limit file-size=N")))
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise error(Problem(_("cannot read the file: {reason}").format(reason=_why_unreadable(Path(path), exc)), name)) from None
    finally:
        os.close(fd)


def _classify(path: Path) -> tuple[bool, str | None]:
    """(is it a folder, why it cannot be read as a file: None for a regular file, links followed)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        why = _why_unreadable(path, exc)
        return False, why if exc.errno == errno.ENOENT and not os.path.islink(path) else \
            _("cannot read: {reason}").format(reason=why)
    if stat.S_ISDIR(info.st_mode):
        return True, None
    return False, None if stat.S_ISREG(info.st_mode) else _("not read: this is {kind}, not a regular file").format(kind=kind_of(info.st_mode))


def expand_paths(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, and the input files in folders named (sorted, not recursive).

    Whatever cannot be read as a file is a problem that says what it is: a path that does
    not exist, a FIFO or device named directly or found in a folder under an input name,
    a folder with an input's name, a dangling link, a link loop."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        folder, why = _classify(p)
        if not folder:
            if why is None:
                files.append(p)
            else:
                problems.append(Problem(why, display_path(p)))
            continue
        try:
            entries = sorted(os.scandir(p), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(_("cannot read the folder: {reason}").format(reason=_why_unreadable(p, exc)), display_path(p)))
            continue
        named = 0
        for entry in entries:
            if not entry.name.lower().endswith(INPUT_SUFFIXES):
                continue
            named += 1
            child = Path(entry.path)
            is_folder, why = _classify(child)
            if is_folder:
                problems.append(Problem(_("skipped: a folder with an input file's name (folders are not searched)"),
                                        display_path(child)))
            elif why is None:
                files.append(child)
            else:
                problems.append(Problem(_("skipped, {why}").format(why=why), display_path(child)))
        if not named:
            problems.append(Problem(_("no *.yaml, *.yml or *.json files in this folder"), display_path(p)))
    return files, problems
