"""Where the register is, as the command line and the environment name it: a file path
(SQLite) or a database URL. Apart from the database (no SQLAlchemy here), so that naming
the register costs nothing until it is opened."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_NAME = "fundgov-register.sqlite"


def default_target() -> str:
    """``$FUNDGOV_DATABASE``, else ``$FUNDGOV_REGISTER``, else fundgov-register.sqlite here."""
    return os.environ.get("FUNDGOV_DATABASE") or os.environ.get("FUNDGOV_REGISTER") or DEFAULT_NAME


def is_url(target: str | Path) -> bool:
    return "://" in str(target)
