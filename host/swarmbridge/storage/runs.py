"""Runs, task attempts, steps and the event log in SQLite, written in group commits.

Why group commits: a 4,000-step run must not pay one fsync per step, so writes are queued and
flushed in one transaction (every ``batch`` rows or on ``flush``). A tool result is the exception:
``record_tool_result`` flushes before returning, so a result is durable before it is acknowledged
and a restarted run never repeats a completed tool call. Large outputs are stored once by content
hash and referenced.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time
import uuid
from typing import Any

from .db import connect, migrate

MIGRATIONS = [
    (
        "001_runs",
        """
        CREATE TABLE runs (id TEXT PRIMARY KEY, goal TEXT NOT NULL, graph TEXT NOT NULL, origin TEXT NOT NULL,
            status TEXT NOT NULL, stop_reason TEXT NOT NULL DEFAULT '', created REAL NOT NULL, finished REAL);
        CREATE TABLE tasks (run_id TEXT NOT NULL, task_id TEXT NOT NULL, attempt INTEGER NOT NULL,
            status TEXT NOT NULL, output_hash TEXT, error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (run_id, task_id, attempt));
        CREATE TABLE steps (key TEXT PRIMARY KEY, run_id TEXT NOT NULL, task_id TEXT NOT NULL,
            kind TEXT NOT NULL, body_hash TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX steps_run ON steps (run_id);
        CREATE TABLE blobs (hash TEXT PRIMARY KEY, body TEXT NOT NULL);
        CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, kind TEXT NOT NULL,
            data TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX events_run ON events (run_id, seq);
        """,
    )
]

_TERMINAL = ("done", "failed", "stopped", "cancelled")


class RunStore:
    """All run persistence; not thread-safe, used from the daemon's event loop."""

    def __init__(self, path: str, *, batch: int = 256) -> None:
        self.conn: sqlite3.Connection = connect(path)
        migrate(self.conn, "runs", MIGRATIONS)
        self.batch = batch
        self._pending: list[tuple[str, tuple[Any, ...]]] = []
        self._group: asyncio.Future[None] | None = None

    # -- writes -------------------------------------------------------------------------------
    def _queue(self, sql: str, params: tuple[Any, ...]) -> None:
        self._pending.append((sql, params))
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Write every queued row in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in pending:
                self.conn.execute(sql, params)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def blob(self, value: Any) -> str:
        """Queue ``value`` (JSON) under its content hash; return the hash."""
        body = json.dumps(value, sort_keys=True, default=str)
        h = hashlib.blake2b(body.encode(), digest_size=16).hexdigest()
        self._queue("INSERT OR IGNORE INTO blobs (hash, body) VALUES (?, ?)", (h, body))
        return h

    def create_run(self, goal: str, graph: dict[str, Any], origin: str = "") -> str:
        """A new run row (flushed at once so it is visible to other readers)."""
        run_id = uuid.uuid4().hex[:12]
        self._queue(
            "INSERT INTO runs (id, goal, graph, origin, status, created) VALUES (?, ?, ?, ?, 'running', ?)",
            (run_id, goal, json.dumps(graph), origin, time.time()),
        )
        self.flush()
        return run_id

    def update_spec(self, run_id: str, **fields: Any) -> None:
        """Change fields of the run's stored spec (the ``graph`` column: graph, budgets, ...) and
        flush, so a resumed run sees them (re-planning stores its added tasks this way)."""
        row = self.conn.execute("SELECT graph FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise KeyError(run_id)
        self._queue("UPDATE runs SET graph = ? WHERE id = ?", (json.dumps({**json.loads(row[0]), **fields}), run_id))
        self.flush()

    def finish_run(self, run_id: str, status: str, stop_reason: str = "") -> None:
        """Mark the run terminal and flush."""
        self._queue("UPDATE runs SET status = ?, stop_reason = ?, finished = ? WHERE id = ?", (status, stop_reason, time.time(), run_id))
        self.flush()

    def task_state(self, run_id: str, task_id: str, attempt: int, status: str, output: Any = None, error: str = "") -> None:
        """Upsert one attempt of a task."""
        h = self.blob(output) if output is not None else None
        self._queue(
            "INSERT INTO tasks (run_id, task_id, attempt, status, output_hash, error) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET status = excluded.status,"
            " output_hash = excluded.output_hash, error = excluded.error",
            (run_id, task_id, attempt, status, h, error),
        )

    def step(self, key: str, run_id: str, task_id: str, kind: str, body: Any) -> None:
        """Queue one step (message, tool call or result) under its idempotency key."""
        self._queue(
            "INSERT OR REPLACE INTO steps (key, run_id, task_id, kind, body_hash, at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, run_id, task_id, kind, self.blob(body), time.time()),
        )

    def record_tool_result(self, key: str, run_id: str, task_id: str, result: Any) -> None:
        """Record a tool result durably (flushed) before the caller acknowledges it."""
        self.step(key, run_id, task_id, "tool_result", result)
        self.flush()

    async def record_tool_result_grouped(self, key: str, run_id: str, task_id: str, result: Any) -> None:
        """The same guarantee as ``record_tool_result`` (durable before this returns), with a group
        commit: every result recorded in the same event-loop turn shares one transaction."""
        self.step(key, run_id, task_id, "tool_result", result)
        await self.durable()

    def durable(self) -> asyncio.Future[None]:
        """A future that resolves once everything queued so far is committed. One flush is
        scheduled per loop turn; callers in that turn all wait on it."""
        if self._group is None:
            loop = asyncio.get_running_loop()
            self._group = loop.create_future()
            loop.call_soon(self._group_commit)
        return self._group

    def _group_commit(self) -> None:
        fut, self._group = self._group, None
        try:
            self.flush()
        except BaseException as exc:  # every waiter learns the commit failed
            if fut is not None and not fut.done():
                fut.set_exception(exc)
            return
        if fut is not None and not fut.done():
            fut.set_result(None)

    def event(self, run_id: str, kind: str, data: dict[str, Any]) -> None:
        """Append to the event log."""
        self._queue("INSERT INTO events (run_id, kind, data, at) VALUES (?, ?, ?, ?)", (run_id, kind, json.dumps(data, default=str), time.time()))

    # -- reads --------------------------------------------------------------------------------
    def tool_result(self, key: str) -> tuple[bool, Any]:
        """(found, result) of a completed tool call under ``key``."""
        row = self.conn.execute(
            "SELECT b.body FROM steps s JOIN blobs b ON b.hash = s.body_hash WHERE s.key = ? AND s.kind = 'tool_result'", (key,)
        ).fetchone()
        return (True, json.loads(row[0])) if row else (False, None)

    def done_outputs(self, run_id: str) -> dict[str, Any]:
        """Outputs of tasks whose latest attempt is done (what a resumed run keeps)."""
        rows = self.conn.execute(
            "SELECT t.task_id, b.body FROM tasks t JOIN blobs b ON b.hash = t.output_hash WHERE t.run_id = ? AND t.status = 'done'",
            (run_id,),
        )
        return {r[0]: json.loads(r[1]) for r in rows}

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The run row as a dict, with its graph decoded."""
        row = self.conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        d = dict(row)
        d["graph"] = json.loads(d["graph"])
        return d

    def list(self, limit: int = 50, query: str = "") -> list[dict[str, Any]]:
        """Newest runs first (without graphs); ``query``: words that must all appear (any case) in
        the goal, origin, id or stop reason (the run history's search)."""
        where: list[str] = []
        args: list[str] = []
        for word in query.split():
            like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(goal LIKE ? ESCAPE '\\' OR origin LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' OR stop_reason LIKE ? ESCAPE '\\')")
            args += [like] * 4
        sql = "SELECT id, goal, origin, status, stop_reason, created, finished FROM runs"
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created DESC LIMIT ?"
        return [dict(r) for r in self.conn.execute(sql, (*args, limit))]

    def unfinished(self) -> list[str]:
        """Ids of runs not in a terminal state (to resume after a crash)."""
        q = f"SELECT id FROM runs WHERE status NOT IN ({','.join('?' * len(_TERMINAL))}) ORDER BY created"
        return [r[0] for r in self.conn.execute(q, _TERMINAL)]

    def events(self, run_id: str, after: int = 0) -> list[dict[str, Any]]:
        """Events of a run after sequence ``after``."""
        rows = self.conn.execute("SELECT seq, kind, data, at FROM events WHERE run_id = ? AND seq > ? ORDER BY seq", (run_id, after))
        return [{"seq": r[0], "kind": r[1], "data": json.loads(r[2]), "at": r[3]} for r in rows]

    def close(self) -> None:
        """Flush and close."""
        self.flush()
        self.conn.close()
