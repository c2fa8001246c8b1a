"""Autofill profiles in SQLite (secret fields never reach this table)."""

from __future__ import annotations

import json
import sqlite3

from .db import migrate

MIGRATIONS = [
    ("001_profiles", """
        CREATE TABLE autofill_profiles (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            secret_keys TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
    """),
]


class ProfileStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "autofill", MIGRATIONS)

    def put(self, name: str, data: dict, secret_keys: list[str]) -> None:
        self.conn.execute(
            "INSERT INTO autofill_profiles (name, data, secret_keys) VALUES (?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET data = excluded.data, secret_keys = excluded.secret_keys,"
            " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            (name, json.dumps(data), json.dumps(sorted(secret_keys))),
        )

    def get(self, name: str) -> tuple[dict, list[str]] | None:
        row = self.conn.execute("SELECT data, secret_keys FROM autofill_profiles WHERE name = ?", (name,)).fetchone()
        return (json.loads(row["data"]), json.loads(row["secret_keys"])) if row else None

    def list(self) -> list[dict]:
        return [
            {"name": r["name"], "fields": len(json.loads(r["data"]).get("fields", {})), "updatedAt": r["updated_at"]}
            for r in self.conn.execute("SELECT name, data, updated_at FROM autofill_profiles ORDER BY name")
        ]

    def remove(self, name: str) -> bool:
        return self.conn.execute("DELETE FROM autofill_profiles WHERE name = ?", (name,)).rowcount > 0
