"""The approval queue and its audit trail in SQLite."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from ..jsontext import dumps
from .db import migrate

MIGRATIONS = [
    ("001_approvals", """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            tool TEXT NOT NULL,
            risk TEXT NOT NULL,
            summary TEXT NOT NULL,
            preview TEXT NOT NULL,
            origin TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
            reason TEXT NOT NULL DEFAULT '',
            decided_by TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            decided_at REAL,
            executed_at REAL,
            result TEXT
        );
        CREATE INDEX approvals_pending ON approvals (status, expires_at);
        CREATE TABLE approval_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            approval_id TEXT NOT NULL,
            at REAL NOT NULL,
            event TEXT NOT NULL,
            by TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
    """),
    ("002_policies", """
        CREATE TABLE approval_policies (
            origin TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
    """),
]

COLUMNS = "id, key, tool, risk, summary, preview, origin, status, reason, decided_by, created_at, expires_at, decided_at, executed_at, result"


def _row(r: sqlite3.Row | None) -> dict[str, Any] | None:
    if r is None:
        return None
    d = dict(r)
    d["preview"] = json.loads(d["preview"])
    d["result"] = json.loads(d["result"]) if d["result"] is not None else None
    return d


class ApprovalStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "approvals", MIGRATIONS)

    def audit(self, approval_id: str, event: str, by: str, detail: str = "") -> None:
        self.conn.execute("INSERT INTO approval_audit (approval_id, at, event, by, detail) VALUES (?, ?, ?, ?, ?)", (approval_id, time.time(), event, by, detail))

    def insert(self, rec: dict[str, Any]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                f"INSERT INTO approvals ({COLUMNS}) VALUES (:id, :key, :tool, :risk, :summary, :preview, :origin, :status, :reason, :decided_by, :created_at, :expires_at, :decided_at, NULL, NULL)",
                {**rec, "preview": dumps(rec["preview"])},
            )
            self.audit(rec["id"], "requested" if rec["status"] == "pending" else rec["status"], rec["decided_by"] or rec["origin"], rec["summary"])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def by_key(self, key: str) -> dict[str, Any] | None:
        return _row(self.conn.execute(f"SELECT {COLUMNS} FROM approvals WHERE key = ?", (key,)).fetchone())

    def get(self, approval_id: str) -> dict[str, Any] | None:
        return _row(self.conn.execute(f"SELECT {COLUMNS} FROM approvals WHERE id = ?", (approval_id,)).fetchone())

    def decide(self, approval_id: str, status: str, by: str, reason: str) -> bool:
        """Move a pending request to a final status; False if it was no longer pending."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            n = self.conn.execute(
                "UPDATE approvals SET status = ?, decided_by = ?, reason = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                (status, by, reason, time.time(), approval_id),
            ).rowcount
            if n:
                self.audit(approval_id, status, by, reason)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return bool(n)

    def mark_executed(self, approval_id: str, result: Any) -> bool:
        """Record that the approved action ran; False if it had already been recorded."""
        n = self.conn.execute(
            "UPDATE approvals SET executed_at = ?, result = ? WHERE id = ? AND status = 'approved' AND executed_at IS NULL",
            (time.time(), dumps(result), approval_id),
        ).rowcount
        if n:
            self.audit(approval_id, "executed", "system")
        return bool(n)

    def list(self, *, status: str | None = "pending", limit: int = 200) -> list[dict[str, Any]]:
        if status:
            rows = self.conn.execute(f"SELECT {COLUMNS} FROM approvals WHERE status = ? ORDER BY created_at DESC LIMIT ?", (status, limit))
        else:
            rows = self.conn.execute(f"SELECT {COLUMNS} FROM approvals ORDER BY created_at DESC LIMIT ?", (limit,))
        return [_row(r) for r in rows]  # type: ignore[misc]

    def due_expiry(self, now: float) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= ?", (now,))]

    def next_expiry(self) -> float | None:
        r = self.conn.execute("SELECT min(expires_at) FROM approvals WHERE status = 'pending'").fetchone()
        return r[0]

    def audit_of(self, approval_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT at, event, by, detail FROM approval_audit WHERE approval_id = ? ORDER BY seq", (approval_id,))]

    def policies(self) -> dict[str, dict]:
        return {r[0]: json.loads(r[1]) for r in self.conn.execute("SELECT origin, data FROM approval_policies")}

    def set_policy(self, origin: str, data: dict | None) -> None:
        if data is None:
            self.conn.execute("DELETE FROM approval_policies WHERE origin = ?", (origin,))
        else:
            self.conn.execute("INSERT INTO approval_policies (origin, data) VALUES (?, ?) ON CONFLICT(origin) DO UPDATE SET data = excluded.data", (origin, json.dumps(data)))
