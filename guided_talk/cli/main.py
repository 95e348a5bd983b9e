"""Command-line entry point (placeholder until the CLI lands)."""

import sys


def run() -> None:
    """Entry point for the ``guided-talk`` console script."""
    sys.exit(0)
