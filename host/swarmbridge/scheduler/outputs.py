"""Where a scrape recipe's rows go besides the run history: a file per run (CSV, XLSX) or one
SQLite database that every run appends to, and the one-line change summary a run's note carries.

CSV and XLSX reuse the deliverables writers (one writer per format in the project). Files live
under ``<artefacts>/schedules/<job>/``; only the newest ``KEEP`` run files are kept, so a job that
fires every minute cannot fill the disk.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..deliverables import render

KEEP = 100


def job_folder(workdir: Path, job: str) -> Path:
    """The job's own folder under ``workdir``. Job names may start with dots (``..`` is a valid
    name): those get a ``_`` in front, so no name reaches outside ``workdir``."""
    return workdir / (f"_{job}" if job.startswith(".") else job)


def write_rows(folder: Path, job: str, fmt: str, rows: list[Any], diff: dict[str, Any], when: datetime | None = None) -> Path:
    """Write this run's rows in ``fmt`` (csv | xlsx | sqlite) and return the file's path."""
    when = when or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    records = [r if isinstance(r, dict) else {"value": r} for r in rows]
    if fmt == "sqlite":
        return _append_sqlite(folder / f"{job}.sqlite", records, diff, when)
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown output format {fmt!r} (csv, xlsx or sqlite)")
    path = folder / f"{job}-{when.strftime('%Y%m%dT%H%M%S%fZ')}.{fmt}"
    # (control characters in page text, which a worksheet refuses, are dropped by the XLSX writer)
    path.write_bytes(render(path.name, {"rows": records}))
    old = sorted(folder.glob(f"{job}-*.{fmt}"))
    for stale in old[:-KEEP]:
        stale.unlink(missing_ok=True)
    return path


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _append_sqlite(path: Path, rows: list[dict[str, Any]], diff: dict[str, Any], when: datetime) -> Path:
    """Table ``runs`` (one line per run with its change counts) and ``rows`` (every run's rows,
    ``run`` = runs.id; a column per field, added when a new field first appears; a field called
    "run" is stored as "field_run", and of two fields differing only in case the first wins)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, at TEXT NOT NULL, rows INTEGER, added INTEGER, removed INTEGER, changed INTEGER)")
            conn.execute("CREATE TABLE IF NOT EXISTS rows (run INTEGER NOT NULL REFERENCES runs(id))")
            have = {r[1].lower() for r in conn.execute("PRAGMA table_info(rows)")}
            fields: list[str] = []  # row keys, first-seen order
            for r in rows:
                fields.extend(k for k in map(str, r) if k not in fields)
            cols: dict[str, str] = {}  # field -> column (SQLite names ignore case; "run" is ours)
            for f in fields:
                col = f"field_{f}" if f.lower() == "run" else f
                if col.lower() not in {c.lower() for c in cols.values()}:
                    cols[f] = col
            for col in cols.values():
                if col.lower() not in have:
                    conn.execute(f"ALTER TABLE rows ADD COLUMN {_quote(col)}")
            run = conn.execute("INSERT INTO runs (at, rows, added, removed, changed) VALUES (?, ?, ?, ?, ?)",
                               (when.isoformat(), len(rows), diff.get("added"), diff.get("removed"), diff.get("changed"))).lastrowid
            if cols:
                sql = f"INSERT INTO rows (run, {', '.join(map(_quote, cols.values()))}) VALUES (?, {', '.join('?' * len(cols))})"
                conn.executemany(sql, [(run, *(_cell(r.get(f)) for f in cols)) for r in rows])
    finally:
        conn.close()
    return path


def _cell(v: Any) -> Any:
    return v if v is None or isinstance(v, (int, float, str)) else json.dumps(v, ensure_ascii=False)


def change_note(diff: dict[str, Any], rows: int, notify: bool) -> str:
    """What a run found, for its history line. With ``notify`` a change is written in words the
    notification rule looks for (added / removed / changed); without, as neutral signs."""
    if diff.get("first"):
        return f"first run: {rows} rows"
    a, r, c = diff.get("added", 0), diff.get("removed", 0), diff.get("changed", 0)
    if not (a or r or c):
        return f"{rows} rows, no change since the last run"
    if notify:
        return f"{rows} rows: {a} added, {r} removed, {c} changed since the last run"
    return f"{rows} rows: +{a} -{r} ~{c} since the last run (notifications off)"
