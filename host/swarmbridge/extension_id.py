"""The extension's id, computed from the ``key`` in ``extension/manifest.json`` (never hard-coded).

Chrome derives an unpacked extension's id from its public key: sha256 of the DER bytes, the first
32 hex digits, each digit 0-f mapped to the letters a-p.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

#: The extension shipped in this repository / wheel.
EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"


def id_from_key(key_b64: str) -> str:
    digest = hashlib.sha256(base64.b64decode(key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def extension_id(manifest: Path | None = None) -> str:
    manifest = manifest or EXTENSION_DIR / "manifest.json"
    return id_from_key(json.loads(manifest.read_text(encoding="utf-8"))["key"])


def origin(ext_id: str | None = None) -> str:
    return f"chrome-extension://{ext_id or extension_id()}/"
