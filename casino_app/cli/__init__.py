"""`python -m casino_app ...`: operations from the shell, one module per area."""

from casino_app.cli.main import main

__all__ = ["main"]
