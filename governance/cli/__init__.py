"""The fundgov command line: one module per command group."""
from governance.cli.app import app, main

__all__ = ["app", "main"]
