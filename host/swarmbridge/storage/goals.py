"""Goals in SQLite: the goal (objective, criteria, budgets, guidance, status, usage) and its rounds."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from .db import migrate

MIGRATIONS = [
    (
        "001_init",
        """
        CREATE TABLE goals (
          id INTEGER PRIMARY KEY, spec TEXT NOT NULL, guidance TEXT NOT NULL DEFAULT '[]',
          status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', usage TEXT NOT NULL DEFAULT '{}',
          created REAL NOT NULL, updated REAL NOT NULL);
        CREATE TABLE goal_rounds (
          id INTEGER PRIMARY KEY, goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE, n INTEGER NOT NULL,
          started REAL NOT NULL, ended REAL, run_id TEXT, proposal TEXT NOT NULL DEFAULT '', decision TEXT NOT NULL DEFAULT '',
          reason TEXT NOT NULL DEFAULT '', score REAL, fingerprint TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '{}',
          output TEXT NOT NULL DEFAULT '');
        CREATE INDEX goal_rounds_goal ON goal_rounds(goal_id, n);
        """,
    ),
]

ROUND_FIELDS = ("ended", "run_id", "proposal", "decision", "reason", "score", "fingerprint", "evidence", "output")


class GoalStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "goals", MIGRATIONS)

    def create(self, spec: dict[str, Any]) -> int:
        now = time.time()
        cur = self.conn.execute("INSERT INTO goals (spec, status, created, updated) VALUES (?, 'active', ?, ?)", (json.dumps(spec), now, now))
        return int(cur.lastrowid or 0)

    def get(self, goal_id: int) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM goals WHERE id = ?", (goal_id,)).fetchone()
        return _goal(row) if row else None

    def list(self, status: str | None = None) -> list[dict[str, Any]]:
        if status:
            rows = self.conn.execute("SELECT * FROM goals WHERE status = ? ORDER BY id", (status,))
        else:
            rows = self.conn.execute("SELECT * FROM goals ORDER BY id")
        return [_goal(r) for r in rows]

    def set_status(self, goal_id: int, status: str, reason: str = "") -> None:
        self.conn.execute("UPDATE goals SET status = ?, reason = ?, updated = ? WHERE id = ?", (status, reason, time.time(), goal_id))

    def set_spec(self, goal_id: int, spec: dict[str, Any]) -> None:
        self.conn.execute("UPDATE goals SET spec = ?, updated = ? WHERE id = ?", (json.dumps(spec), time.time(), goal_id))

    def add_guidance(self, goal_id: int, note: str) -> None:
        goal = self.get(goal_id)
        assert goal is not None
        notes = [*goal["guidance"], {"at": time.time(), "note": note}]
        self.conn.execute("UPDATE goals SET guidance = ?, updated = ? WHERE id = ?", (json.dumps(notes), time.time(), goal_id))

    def set_usage(self, goal_id: int, usage: dict[str, float]) -> None:
        self.conn.execute("UPDATE goals SET usage = ?, updated = ? WHERE id = ?", (json.dumps(usage), time.time(), goal_id))

    def start_round(self, goal_id: int) -> tuple[int, int]:
        n = self.conn.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM goal_rounds WHERE goal_id = ?", (goal_id,)).fetchone()[0]
        cur = self.conn.execute("INSERT INTO goal_rounds (goal_id, n, started) VALUES (?, ?, ?)", (goal_id, n, time.time()))
        return int(cur.lastrowid or 0), int(n)

    def update_round(self, round_id: int, **fields: Any) -> None:
        bad = set(fields) - set(ROUND_FIELDS)
        if bad:
            raise ValueError(f"unknown round fields {sorted(bad)}")
        vals = [json.dumps(v) if k == "evidence" else v for k, v in fields.items()]
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.conn.execute(f"UPDATE goal_rounds SET {sets} WHERE id = ?", (*vals, round_id))  # noqa: S608 (names checked above)

    def rounds(self, goal_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM goal_rounds WHERE goal_id = ? ORDER BY n", (goal_id,))
        return [{**dict(r), "evidence": json.loads(r["evidence"])} for r in rows]

    def interrupt_open_rounds(self) -> int:
        """Rounds a dead daemon left open end as ``interrupted`` (the goal starts a fresh round)."""
        return self.conn.execute("UPDATE goal_rounds SET ended = ?, decision = 'interrupted', reason = 'daemon stopped' WHERE ended IS NULL", (time.time(),)).rowcount


def _goal(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"], "spec": json.loads(row["spec"]), "guidance": json.loads(row["guidance"]), "status": row["status"],
        "reason": row["reason"], "usage": json.loads(row["usage"]), "created": row["created"], "updated": row["updated"],
    }
