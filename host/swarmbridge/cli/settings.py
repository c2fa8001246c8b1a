"""``swarmbridge settings``: lives with the settings component (``swarmbridge.settings.cli``)."""

from ..settings.cli import add_parser

__all__ = ["add_parser"]
