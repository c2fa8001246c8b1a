"""The settings' home: the user's ``config.toml``, read and written only through ``config.py``.

Reading overlays the environment (``SWARMBRIDGE_SETTINGS__TAB_CONCURRENCY=4`` wins over the
file, and the page is told so); writing starts from the file alone, so an override is never
persisted by accident. Every change is validated whole before anything is written, then saved
atomically by ``config.save`` (temp file + fsync + rename, previous file kept as ``.bak``). A file
that does not parse is never overwritten: the error names the file and line, and nothing changes.
Only the tables that changed are rewritten (``config.save`` through ``tomlpatch``): a person's
comments and layout in the rest of the file survive the page's saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pydantic

from .. import config as cfgmod
from .model import FieldErrors, Settings, field_errors


class SettingsStore:
    def __init__(self, path: Path, environ: Mapping[str, str] | None = None) -> None:
        self.path = path
        self._environ = environ  # None: the process environment, read at each call

    def _env(self) -> dict[str, str]:
        return dict(os.environ if self._environ is None else self._environ)

    # ---- reading ----------------------------------------------------------------------------
    def config(self) -> cfgmod.Config:
        """The effective config (file + environment); raises ``ConfigError``."""
        return cfgmod.load(self.path, self._env())

    def settings(self) -> tuple[Settings, dict[str, str]]:
        """The effective settings and where each came from: default, file or env."""
        in_file = cfgmod.load(self.path, {}).settings
        effective = self.config().settings
        try:
            s = Settings.model_validate(effective)
        except pydantic.ValidationError as exc:
            bad = field_errors(exc, Settings).fields
            raise cfgmod.ConfigError(f"{self.path}: [settings] " + "; ".join(f"{k}: {v}" for k, v in bad.items()) + " (fix or remove that line)") from None
        sources = {}
        for name, f in Settings.model_fields.items():
            env_set = name in effective and effective[name] != in_file.get(name, object())
            sources[f.alias or name] = "env" if env_set else "file" if name in in_file else "default"
        return s, sources

    # ---- writing ----------------------------------------------------------------------------
    def edit(self, change: Callable[[cfgmod.Config], None]) -> cfgmod.Config:
        """Load the file (no environment), let ``change`` mutate it, validate, save; returns the
        new effective config. Raises ``ConfigError`` (bad file) or what ``change`` raises."""
        cfg = cfgmod.load(self.path, {})
        change(cfg)
        try:
            cfg = cfgmod.Config.model_validate(cfg.model_dump())
        except pydantic.ValidationError as exc:
            raise FieldErrors({".".join(str(x) for x in e["loc"]) or "config": str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()}) from None
        cfgmod.save(self.path, cfg)  # comments and layout kept where it can (tomlpatch)
        return self.config()

    def update(self, patch: Mapping[str, Any]) -> Settings:
        """Merge ``patch`` (wire or file names) into the file's settings; all or nothing."""
        if not isinstance(patch, Mapping) or not patch:
            raise FieldErrors({"settings": "give at least one setting to change"})

        names = {f.alias: name for name, f in Settings.model_fields.items() if f.alias}
        norm = {names.get(k, k): v for k, v in patch.items()}

        def change(cfg: cfgmod.Config) -> None:
            try:
                Settings.model_validate(norm)  # a bad value in the patch is named as such
                merged = Settings.model_validate({**cfg.settings, **norm})
            except pydantic.ValidationError as exc:
                raise field_errors(exc, Settings) from None
            cfg.settings = merged.toml()

        self.edit(change)
        return self.settings()[0]
