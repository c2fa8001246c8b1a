"""Mounts and the history of staged file changes (proposed, applied, denied, reverted)."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from .db import migrate

MIGRATIONS = [
    ("001_mounts_changes", """
        CREATE TABLE mounts (
            name TEXT PRIMARY KEY,
            root TEXT NOT NULL,
            writable INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL
        );
        CREATE TABLE file_changes (
            id TEXT PRIMARY KEY,
            op TEXT NOT NULL CHECK (op IN ('write', 'move', 'delete')),
            mount TEXT NOT NULL,
            path TEXT NOT NULL,
            to_path TEXT,
            origin TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('proposed', 'applied', 'denied', 'pending', 'reverted', 'failed')),
            preview TEXT NOT NULL,
            backup TEXT,
            created INTEGER NOT NULL DEFAULT 0,
            error TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            applied_at REAL,
            reverted_at REAL
        );
    """),
]


class FilesStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "files", MIGRATIONS)

    # mounts
    def add_mount(self, name: str, root: str, writable: bool) -> None:
        self.conn.execute("INSERT INTO mounts (name, root, writable, created_at) VALUES (?, ?, ?, ?)", (name, root, int(writable), time.time()))

    def remove_mount(self, name: str) -> bool:
        return self.conn.execute("DELETE FROM mounts WHERE name = ?", (name,)).rowcount > 0

    def mounts(self) -> list[dict[str, Any]]:
        return [{"name": r["name"], "root": r["root"], "writable": bool(r["writable"])} for r in self.conn.execute("SELECT name, root, writable FROM mounts ORDER BY name")]

    # changes
    def add_change(self, rec: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO file_changes (id, op, mount, path, to_path, origin, status, preview, created_at)"
            " VALUES (:id, :op, :mount, :path, :to_path, :origin, :status, :preview, :created_at)",
            {**rec, "preview": json.dumps(rec["preview"])},
        )

    def update(self, change_id: str, **fields: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.conn.execute(f"UPDATE file_changes SET {sets} WHERE id = ?", (*fields.values(), change_id))

    def change(self, change_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT * FROM file_changes WHERE id = ?", (change_id,)).fetchone()
        return {**dict(r), "preview": json.loads(r["preview"])} if r else None

    def changes(self, limit: int = 100, mount: str | None = None) -> list[dict[str, Any]]:
        q = "SELECT * FROM file_changes" + (" WHERE mount = ?" if mount else "") + " ORDER BY created_at DESC LIMIT ?"
        rows = self.conn.execute(q, (mount, limit) if mount else (limit,))
        return [{**dict(r), "preview": json.loads(r["preview"])} for r in rows]
