"""Runs, task attempts, steps and the event log in SQLite, written in group commits off the loop.

Why group commits: a 4,000-step run must not pay one transaction per step, so writes are queued
(a list append on the event loop) and committed together. Why a writer thread: 300 sub-agents
wake together, and a commit done on the event loop would hold every one of them up; the one
writer thread commits a batch while the loop goes on queueing the next (group commit pipelining:
the batch grows with the commit's own latency).

Durability: a tool result is the exception to "eventually". ``record_tool_result_grouped`` (and
the synchronous ``record_tool_result``) return only after the COMMIT that holds the result, so a
restarted run never repeats a completed tool call. Rows are committed in queue order per table,
which is all a transaction needs (the tables do not reference each other by key order). Large
outputs are stored once by content hash and referenced.

Threads: the connection is used by the loop thread (reads, ``flush``) and the writer thread
(batches), never at once: both hold ``_lock``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sqlite3
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..jsontext import dumps
from .db import connect, migrate

log = logging.getLogger(__name__)

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
_BLOB_SQL = "INSERT OR IGNORE INTO blobs (hash, body) VALUES (?, ?)"
_FINISH_SQL = "UPDATE runs SET status = ?, stop_reason = ?, finished = ? WHERE id = ?"


class _Json:
    """A value queued as is and turned into JSON text by the writer (not on the event loop).
    Values handed to the store are treated as immutable from then on. Any value can be encoded
    (``jsontext.dumps``), so one odd tool result never rolls back the batch it is in."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Blob(_Json):
    """A value stored once in ``blobs`` under its content hash; the row gets the hash."""

    __slots__ = ()

    def encode(self) -> tuple[str, str]:
        body = dumps(self.value, sort=True)
        return hashlib.blake2b(body.encode(), digest_size=16).hexdigest(), body


def _encoded(pending: list[tuple[str, str, tuple[Any, ...]]]) -> list[tuple[str, str, tuple[Any, ...]]]:
    """Rows with their queued values encoded: ``_Json`` -> text, ``_Blob`` -> a blob row + its hash."""
    out: list[tuple[str, str, tuple[Any, ...]]] = []
    for table, sql, params in pending:
        if any(isinstance(p, _Json) for p in params):
            fixed = []
            for p in params:
                if isinstance(p, _Blob):
                    h, body = p.encode()
                    out.append(("blobs", _BLOB_SQL, (h, body)))
                    p = h
                elif isinstance(p, _Json):
                    p = dumps(p.value)
                fixed.append(p)
            params = tuple(fixed)
        out.append((table, sql, params))
    return out


class RunStore:
    """All run persistence; called from the daemon's event loop (one writer thread behind it)."""

    def __init__(self, path: str, *, batch: int = 256) -> None:
        self.conn: sqlite3.Connection = connect(path, check_same_thread=False)
        migrate(self.conn, "runs", MIGRATIONS)
        self.batch = batch
        self._pending: list[tuple[str, str, tuple[Any, ...]]] = []  # (table, sql, params)
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._waiters: asyncio.Future[None] | None = None  # resolves when the next batch is committed
        self._inflight = False
        self._inflight_write: Future[None] | None = None  # the writer thread's batch, until committed
        self._kick_scheduled = False
        self._closed = False

    # -- writes -------------------------------------------------------------------------------
    def _queue(self, table: str, sql: str, params: tuple[Any, ...]) -> None:
        self._pending.append((table, sql, params))
        if not self._inflight and not self._kick_scheduled:  # the writer is idle: give it this turn's rows
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (a script, a test): write a full batch now
                if len(self._pending) >= self.batch:
                    self.flush()
            else:
                self._schedule(loop)

    def _write(self, pending: list[tuple[str, str, tuple[Any, ...]]]) -> None:
        """Commit ``pending`` in one transaction (any thread; takes the lock)."""
        if not pending:
            return
        rows_by_sql = _grouped(_encoded(pending))  # JSON and hashing happen here, off the event loop
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, rows in rows_by_sql:
                    self.conn.executemany(sql, rows)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def flush(self) -> None:
        """Write every queued row now, on the calling thread, after any batch in flight.

        Waiting for that batch is what keeps the log in queue order: rows queued after it must
        not be committed first (events take their ``seq`` at commit), and a writer thread slow
        to get the lock under load would otherwise lose the race to this thread."""
        inflight = self._inflight_write
        if inflight is not None:
            try:
                inflight.result()
            except BaseException:  # noqa: S110 - that batch's waiters (or the log) learn of its failure
                pass
        pending, self._pending = self._pending, []
        self._write(pending)

    def durable(self) -> asyncio.Future[None]:
        """A future that resolves once everything queued so far is committed. Callers in the same
        loop turn, and all that queue while a batch is being committed, share the next batch."""
        loop = asyncio.get_running_loop()
        if self._waiters is None:
            self._waiters = loop.create_future()
        fut = self._waiters
        self._schedule(loop)
        return fut

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        if not self._inflight and not self._kick_scheduled:
            self._kick_scheduled = True
            loop.call_soon(self._kick, loop)  # at the end of this loop turn: one batch for the turn

    def _kick(self, loop: asyncio.AbstractEventLoop) -> None:
        self._kick_scheduled = False
        if self._closed and self._waiters is not None and not self._waiters.done():  # never leave a waiter hanging
            self._waiters.set_exception(RuntimeError("the run store is closed"))
            self._waiters = None
        if self._closed or self._inflight or (not self._pending and self._waiters is None):
            return
        batch, self._pending = self._pending, []
        fut, self._waiters = self._waiters, None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="runstore-writer")
        self._inflight = True
        self._inflight_write = self._pool.submit(self._write, batch)
        done = asyncio.wrap_future(self._inflight_write, loop=loop)
        done.add_done_callback(lambda f: self._committed(f, fut, loop))

    def _committed(self, f: asyncio.Future[None], fut: asyncio.Future[None] | None, loop: asyncio.AbstractEventLoop) -> None:
        self._inflight = False
        self._inflight_write = None
        exc = None if f.cancelled() else f.exception()
        if fut is not None and not fut.done():
            if exc is not None:  # every waiter of the batch learns the commit failed
                fut.set_exception(exc)
            else:
                fut.set_result(None)
        elif exc is not None:  # nobody waited (events, read results): the rows are lost, say so
            log.error("run store: a background commit failed; its rows were rolled back: %r", exc)
        if self._waiters is not None or self._pending:  # keep writing while there is anything to write
            self._schedule(loop)

    def blob(self, value: Any) -> str:
        """Queue ``value`` (JSON) under its content hash; return the hash."""
        h, body = _Blob(value).encode()
        self._queue("blobs", _BLOB_SQL, (h, body))
        return h

    def create_run(self, goal: str, graph: dict[str, Any], origin: str = "") -> str:
        """A new run row (flushed at once so it is visible to other readers)."""
        run_id = uuid.uuid4().hex[:12]
        self._queue(
            "runs", "INSERT INTO runs (id, goal, graph, origin, status, created) VALUES (?, ?, ?, ?, 'running', ?)",
            (run_id, goal, json.dumps(graph), origin, time.time()),
        )
        self.flush()
        return run_id

    def update_spec(self, run_id: str, **fields: Any) -> None:
        """Change fields of the run's stored spec (the ``graph`` column: graph, budgets, ...) and
        flush, so a resumed run sees them (re-planning stores its added tasks this way)."""
        rows = self._read("SELECT graph FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise KeyError(run_id)
        row = rows[0]
        self._queue("runs", "UPDATE runs SET graph = ? WHERE id = ?", (json.dumps({**json.loads(row[0]), **fields}), run_id))
        self.flush()

    def finish_run(self, run_id: str, status: str, stop_reason: str = "") -> None:
        """Mark the run terminal and flush."""
        self._queue("runs", _FINISH_SQL, (status, stop_reason, time.time(), run_id))
        self.flush()

    def reopen_run(self, run_id: str) -> None:
        """Mark an ended run running again (to resume it) and flush."""
        self._queue("runs", "UPDATE runs SET status = 'running', stop_reason = '', finished = NULL WHERE id = ?", (run_id,))
        self.flush()

    async def finish_run_async(self, run_id: str, status: str, stop_reason: str = "") -> None:
        """Mark the run terminal; return once that and everything before it is committed (by the
        writer thread, so the loop's other runs go on meanwhile)."""
        self._queue("runs", _FINISH_SQL, (status, stop_reason, time.time(), run_id))
        await self.durable()

    def task_state(self, run_id: str, task_id: str, attempt: int, status: str, output: Any = None, error: str = "") -> None:
        """Upsert one attempt of a task."""
        h = _Blob(output) if output is not None else None
        self._queue(
            "tasks", "INSERT INTO tasks (run_id, task_id, attempt, status, output_hash, error) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET status = excluded.status,"
            " output_hash = excluded.output_hash, error = excluded.error",
            (run_id, task_id, attempt, status, h, error),
        )

    def step(self, key: str, run_id: str, task_id: str, kind: str, body: Any) -> None:
        """Queue one step (message, tool call or result) under its idempotency key."""
        self._queue(
            "steps", "INSERT OR REPLACE INTO steps (key, run_id, task_id, kind, body_hash, at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, run_id, task_id, kind, _Blob(body), time.time()),
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

    def record_tool_result_behind(self, key: str, run_id: str, task_id: str, result: Any) -> None:
        """Record a read-only tool's result in the next group commit without waiting for it.

        Why: waiting makes every agent that called a tool in a burst resume at the same instant
        (the commit), which serialises 300 agents' next turns; a sequential chain pays a commit
        per step. A read has no effect to repeat, so the only cost of a crash before the commit
        (a few milliseconds later) is that the read runs again; a recorded result never does."""
        self.step(key, run_id, task_id, "tool_result", result)
        if not self._inflight and not self._kick_scheduled:
            self._schedule(asyncio.get_running_loop())

    def event(self, run_id: str, kind: str, data: dict[str, Any]) -> None:
        """Append to the event log."""
        self._queue("events", "INSERT INTO events (run_id, kind, data, at) VALUES (?, ?, ?, ?)", (run_id, kind, _Json(data), time.time()))

    # -- reads --------------------------------------------------------------------------------
    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """One query, all rows, under the lock (the writer thread may be committing)."""
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def tool_result(self, key: str) -> tuple[bool, Any]:
        """(found, result) of a completed tool call under ``key``."""
        rows = self._read("SELECT b.body FROM steps s JOIN blobs b ON b.hash = s.body_hash WHERE s.key = ? AND s.kind = 'tool_result'", (key,))
        return (True, json.loads(rows[0][0])) if rows else (False, None)

    def tool_result_keys(self, run_id: str) -> set[str]:
        """Keys of every recorded tool result of a run: loaded once when a run (re)starts, so a
        fresh call costs a set lookup instead of a query."""
        return {r[0] for r in self._read("SELECT key FROM steps WHERE run_id = ? AND kind = 'tool_result'", (run_id,))}

    def done_outputs(self, run_id: str) -> dict[str, Any]:
        """Outputs of tasks whose latest attempt is done (what a resumed run keeps)."""
        rows = self._read(
            "SELECT t.task_id, b.body FROM tasks t JOIN blobs b ON b.hash = t.output_hash WHERE t.run_id = ? AND t.status = 'done'",
            (run_id,),
        )
        return {r[0]: json.loads(r[1]) for r in rows}

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The run row as a dict, with its graph decoded."""
        rows = self._read("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            return None
        d = dict(rows[0])
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
        return [dict(r) for r in self._read(sql, (*args, limit))]

    def unfinished(self) -> list[str]:
        """Ids of runs not in a terminal state (to resume after a crash)."""
        q = f"SELECT id FROM runs WHERE status NOT IN ({','.join('?' * len(_TERMINAL))}) ORDER BY created"
        return [r[0] for r in self._read(q, _TERMINAL)]

    def events(self, run_id: str, after: int = 0) -> list[dict[str, Any]]:
        """Events of a run after sequence ``after``."""
        rows = self._read("SELECT seq, kind, data, at FROM events WHERE run_id = ? AND seq > ? ORDER BY seq", (run_id, after))
        return [{"seq": r[0], "kind": r[1], "data": json.loads(r[2]), "at": r[3]} for r in rows]

    def task_steps(self, run_id: str, task_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """A task's recorded model messages and tool results, oldest first (the side panel shows
        what a sub-agent said, which tools it called with what, and what came back)."""
        rows = self._read("SELECT s.key, s.kind, s.at, b.body FROM steps s JOIN blobs b ON b.hash = s.body_hash"
                          " WHERE s.run_id = ? AND s.task_id = ? ORDER BY s.at, s.key LIMIT ?", (run_id, task_id, limit))
        return [{"key": r[0], "kind": r[1], "at": r[2], "body": r[3]} for r in rows]

    def close(self) -> None:
        """Flush, stop the writer thread and close."""
        self.flush()
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self.conn.close()


def _grouped(pending: list[tuple[str, str, tuple[Any, ...]]]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Rows split by table (queue order kept within a table), then consecutive like statements
    joined, so ``executemany`` binds many rows in one C loop."""
    by_table: dict[str, list[tuple[str, tuple[Any, ...]]]] = {}
    for table, sql, params in pending:
        by_table.setdefault(table, []).append((sql, params))
    out: list[tuple[str, list[tuple[Any, ...]]]] = []
    for rows in by_table.values():
        for sql, params in rows:
            if out and out[-1][0] == sql:
                out[-1][1].append(params)
            else:
                out.append((sql, [params]))
    return out
