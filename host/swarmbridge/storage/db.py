"""Opening the database and applying named forward-only migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

Migration = tuple[str, str]  # (name, SQL script)


def connect(path: str | Path, *, check_same_thread: bool = False) -> sqlite3.Connection:
    """Open ``path`` in WAL mode with foreign keys on and a busy timeout."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=check_same_thread, isolation_level=None, timeout=10.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (namespace TEXT NOT NULL, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), PRIMARY KEY (namespace, name))"
    )
    return conn


def migrate(conn: sqlite3.Connection, namespace: str, migrations: Sequence[Migration]) -> list[str]:
    """Apply, in order, every migration of ``namespace`` not yet recorded; return the names applied.

    Migrations are forward-only: a recorded name is never run again, and names must stay unique.
    Each runs in its own transaction together with its record.
    """
    names = [n for n, _ in migrations]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate migration names in {namespace!r}")
    done = {r[0] for r in conn.execute("SELECT name FROM _migrations WHERE namespace = ?", (namespace,))}
    applied = []
    for name, sql in migrations:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO _migrations (namespace, name) VALUES (?, ?)", (namespace, name))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _statements(script: str) -> list[str]:
    """Split a script into statements (semicolons inside strings and triggers are respected)."""
    out, buf = [], ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \t\r\n;"):
        out.append(buf.strip())
    return out
