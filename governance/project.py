"""Where the project's own files are: rules, policies and templates beside the package."""
from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_RULES = PROJECT_DIR / "rules"
DEFAULT_POLICIES = PROJECT_DIR / "policies"
TEMPLATES = PROJECT_DIR / "templates"

#: the engine version recorded with every decision
__version__ = "0.1.0"
