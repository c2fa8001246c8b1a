"""Daemon-side settings the options page round-trips to: ``settings.*`` and ``models.endpoints.*``,
kept in the user's ``config.toml`` (see ``store.py``) and followed by the browser."""

from .component import SettingsComponent
from .endpoints import EndpointsAPI, KeyStore
from .model import ENGINES, MAX_TABS, FieldErrors, Settings
from .store import SettingsStore

__all__ = ["ENGINES", "EndpointsAPI", "FieldErrors", "KeyStore", "MAX_TABS", "Settings", "SettingsComponent", "SettingsStore"]
