"""Schedules in SQLite: jobs, their run history, and the lease that keeps one scheduler firing.

Two guards make sure a firing happens once even if two processes share the database: the lease
(only its holder runs the loop) and ``claim`` (a compare-and-set on ``next_due``).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from .db import migrate

MIGRATIONS = [
    (
        "001_init",
        """
        CREATE TABLE schedule_jobs (
          id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, spec TEXT NOT NULL,
          paused INTEGER NOT NULL DEFAULT 0, next_due REAL, created REAL NOT NULL, updated REAL NOT NULL);
        CREATE INDEX schedule_jobs_due ON schedule_jobs(next_due) WHERE paused = 0;
        CREATE TABLE schedule_runs (
          id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL REFERENCES schedule_jobs(id) ON DELETE CASCADE,
          scheduled_for REAL, started REAL NOT NULL, ended REAL, status TEXT NOT NULL,
          output TEXT NOT NULL DEFAULT '', artefacts TEXT NOT NULL DEFAULT '{}', note TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '');
        CREATE INDEX schedule_runs_job ON schedule_runs(job_id, id);
        CREATE TABLE schedule_lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL);
        CREATE TABLE schedule_rows (job_id INTEGER PRIMARY KEY REFERENCES schedule_jobs(id) ON DELETE CASCADE, rows TEXT NOT NULL);
        """,
    ),
    # The firing after next_due, known in advance, so a due job is claimed and started without
    # computing anything on the hot path (the one after is computed once the runs have started).
    ("002_after_due", "ALTER TABLE schedule_jobs ADD COLUMN after_due REAL"),
]


class ScheduleStore:
    """Repository over one connection (the daemon's event loop is its only user)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "schedules", MIGRATIONS)

    # jobs -----------------------------------------------------------------------------------
    def add(self, name: str, spec: dict[str, Any], next_due: float | None) -> int:
        now = time.time()
        try:
            cur = self.conn.execute(
                "INSERT INTO schedule_jobs (name, spec, next_due, created, updated) VALUES (?, ?, ?, ?, ?)",
                (name, json.dumps(spec), next_due, now, now),
            )
        except sqlite3.IntegrityError as exc:
            raise KeyError(f"a job named {name!r} already exists") from exc
        return int(cur.lastrowid or 0)

    def update(self, name: str, spec: dict[str, Any], next_due: float | None) -> None:
        self.conn.execute("UPDATE schedule_jobs SET spec = ?, next_due = ?, after_due = NULL, updated = ? WHERE name = ?", (json.dumps(spec), next_due, time.time(), name))

    def get(self, name: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM schedule_jobs WHERE name = ?", (name,)).fetchone()
        return _job(row) if row else None

    def list(self) -> list[dict[str, Any]]:
        return [_job(r) for r in self.conn.execute("SELECT * FROM schedule_jobs ORDER BY name")]

    def remove(self, name: str) -> bool:
        return self.conn.execute("DELETE FROM schedule_jobs WHERE name = ?", (name,)).rowcount > 0

    def set_paused(self, name: str, paused: bool, next_due: float | None = None) -> bool:
        sql = "UPDATE schedule_jobs SET paused = ?, updated = ?" + (", next_due = ?, after_due = NULL" if not paused else "") + " WHERE name = ?"
        args: tuple[Any, ...] = (int(paused), time.time(), next_due, name) if not paused else (1, time.time(), name)
        return self.conn.execute(sql, args).rowcount > 0

    def earliest_due(self) -> float | None:
        row = self.conn.execute("SELECT MIN(next_due) FROM schedule_jobs WHERE paused = 0 AND next_due IS NOT NULL").fetchone()
        return row[0]

    def due(self, now: float) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM schedule_jobs WHERE paused = 0 AND next_due <= ? ORDER BY next_due", (now,))
        return [_job(r) for r in rows]

    def claim(self, job_id: int, expected_due: float, new_due: float | None, after_due: float | None = None) -> bool:
        """Move ``next_due`` on only if nobody else did: True means this caller owns the firing."""
        cur = self.conn.execute(
            "UPDATE schedule_jobs SET next_due = ?, after_due = ? WHERE id = ? AND next_due = ?", (new_due, after_due, job_id, expected_due))
        return cur.rowcount == 1

    def missing_after(self, before: float, limit: int) -> list[dict[str, Any]]:
        """Jobs due before ``before`` whose following firing is not computed yet, soonest first."""
        rows = self.conn.execute(
            "SELECT * FROM schedule_jobs WHERE paused = 0 AND next_due <= ? AND after_due IS NULL ORDER BY next_due LIMIT ?", (before, limit))
        return [_job(r) for r in rows]

    def set_after_due(self, job_id: int, due: float, after_due: float) -> None:
        self.conn.execute("UPDATE schedule_jobs SET after_due = ? WHERE id = ? AND next_due = ?", (after_due, job_id, due))

    # runs -----------------------------------------------------------------------------------
    def start_run(self, job_id: int, scheduled_for: float | None, *, allow_overlap: bool, lock_timeout_s: float, owner: str, note: str = "") -> tuple[int, str]:
        """Record a run start; returns (run id, status). Status is ``running``, or
        ``skipped_overlap`` when another run of the job holds a fresh lock. Runs older than the lock
        timeout are marked ``stale`` first (their process is presumed dead or hung)."""
        now = time.time()
        with self.transaction():
            self.conn.execute(
                "UPDATE schedule_runs SET status = 'stale', ended = ?, note = note || ' lock timed out' WHERE job_id = ? AND status = 'running' AND started < ?",
                (now, job_id, now - lock_timeout_s),
            )
            busy = self.conn.execute("SELECT COUNT(*) FROM schedule_runs WHERE job_id = ? AND status = 'running'", (job_id,)).fetchone()[0]
            status = "skipped_overlap" if busy and not allow_overlap else "running"
            cur = self.conn.execute(
                "INSERT INTO schedule_runs (job_id, scheduled_for, started, ended, status, note, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job_id, scheduled_for, now, None if status == "running" else now, status, note, owner),
            )
        return int(cur.lastrowid or 0), status

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested uses join the outer one (a burst of firings commits once)."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def record(self, job_id: int, scheduled_for: float | None, status: str, note: str) -> int:
        """A run that never started (``missed``, ``error`` before start): history still shows it."""
        now = time.time()
        cur = self.conn.execute(
            "INSERT INTO schedule_runs (job_id, scheduled_for, started, ended, status, note) VALUES (?, ?, ?, ?, ?, ?)",
            (job_id, scheduled_for, now, now, status, note),
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, output: str, artefacts: dict[str, Any], note: str = "") -> None:
        self.conn.execute(
            "UPDATE schedule_runs SET status = ?, ended = ?, output = ?, artefacts = ?, note = TRIM(note || ' ' || ?) WHERE id = ?",
            (status, time.time(), output, json.dumps(artefacts), note, run_id),
        )

    def interrupt_orphans(self, owner: str) -> int:
        """Runs left ``running`` by an earlier process (not ``owner``) end as ``interrupted``."""
        return self.conn.execute(
            "UPDATE schedule_runs SET status = 'interrupted', ended = ? WHERE status = 'running' AND owner != ?", (time.time(), owner)
        ).rowcount

    def history(self, job_id: int, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM schedule_runs WHERE job_id = ? ORDER BY id DESC LIMIT ?", (job_id, limit))
        return [{**dict(r), "artefacts": json.loads(r["artefacts"])} for r in rows]

    # scrape rows (for diffs) ----------------------------------------------------------------
    def last_rows(self, job_id: int) -> list[Any] | None:
        row = self.conn.execute("SELECT rows FROM schedule_rows WHERE job_id = ?", (job_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_rows(self, job_id: int, rows: list[Any]) -> None:
        self.conn.execute("INSERT INTO schedule_rows (job_id, rows) VALUES (?, ?) ON CONFLICT(job_id) DO UPDATE SET rows = excluded.rows", (job_id, json.dumps(rows)))

    # lease ----------------------------------------------------------------------------------
    def acquire_lease(self, owner: str, ttl_s: float, name: str = "scheduler") -> bool:
        """Take or renew the lease; False while another owner holds an unexpired one."""
        now = time.time()
        cur = self.conn.execute(
            "INSERT INTO schedule_lease (name, owner, expires) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET owner = excluded.owner,"
            " expires = excluded.expires WHERE schedule_lease.owner = excluded.owner OR schedule_lease.expires < ?",
            (name, owner, now + ttl_s, now),
        )
        return cur.rowcount == 1

    def release_lease(self, owner: str, name: str = "scheduler") -> None:
        self.conn.execute("DELETE FROM schedule_lease WHERE name = ? AND owner = ?", (name, owner))


def _job(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "spec": json.loads(row["spec"]), "paused": bool(row["paused"]), "nextDue": row["next_due"], "afterDue": row["after_due"]}
