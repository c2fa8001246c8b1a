"""Scrape recipe outputs (CSV / XLSX one file per run, SQLite appended), the change note that
drives the notification, the scrape trigger's new options through a real runner, and
``schedule.preview`` (runs the job's own recipe, saves nothing) through a real Router."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import openpyxl
import pydantic
import pytest

from swarmbridge.protocol import envelope
from swarmbridge.rpc.router import CallContext, Router
from swarmbridge.scheduler import outputs
from swarmbridge.scheduler.api import ScheduleAPI
from swarmbridge.scheduler.engine import Scheduler
from swarmbridge.scheduler.jobs import JobSpec, ScrapeTrigger
from swarmbridge.scheduler.scrape import diff_rows
from swarmbridge.scheduler.triggers import TriggerRunner
from swarmbridge.storage.db import connect
from swarmbridge.storage.schedules import ScheduleStore

ROWS = [{"title": "Tent", "price": "$120", "tags": ["a", "b"]}, {"title": "Stove", "price": None}]
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class Browser:
    """A connected BrowserLink that serves ``rows`` for every extract and records the calls."""

    def __init__(self, rows: list[Any], connected: bool = True) -> None:
        self.rows = rows
        self.connected = connected
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def bridges(self) -> list[dict[str, Any]]:
        return [{"bridgeId": "b1"}] if self.connected else []

    async def call(self, method: str, params: dict[str, Any] | None = None, *, bridge: str | None = None, timeout: float = 30.0) -> Any:
        self.calls.append((method, params or {}))
        if method == "browser.tabs.open":
            return {"tabId": 3}
        if method == "browser.extract":
            return {"rows": self.rows, "pages": 2}
        return {"ok": True}


def test_csv_and_xlsx_one_file_per_run_and_old_files_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = outputs.write_rows(tmp_path / "job", "job", "csv", ROWS, {"first": True}, T0)
    with open(path, encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))
    assert [r["title"] for r in got] == ["Tent", "Stove"] and got[0]["tags"] == '["a", "b"]' and got[1]["price"] == ""
    x = outputs.write_rows(tmp_path / "job", "job", "xlsx", [*ROWS, {"title": "Bell\x07 \x01tent\tx"}], {}, T0)
    ws = openpyxl.load_workbook(x).active
    assert [c.value for c in ws[1]] == ["title", "price", "tags"] and ws["A3"].value == "Stove"
    assert ws["A4"].value == "Bell tent\tx", "control characters a worksheet refuses are dropped"
    monkeypatch.setattr(outputs, "KEEP", 3)
    for i in range(5):
        outputs.write_rows(tmp_path / "job", "job", "csv", ROWS, {}, T0 + timedelta(minutes=i + 1))
    left = sorted(p.name for p in (tmp_path / "job").glob("job-*.csv"))
    assert len(left) == 3 and left[-1].startswith("job-20261123T020500"), left
    with pytest.raises(ValueError, match="unknown output format"):
        outputs.write_rows(tmp_path / "job", "job", "json", ROWS, {}, T0)


def test_sqlite_appends_every_run_and_grows_columns(tmp_path: Path) -> None:
    db = outputs.write_rows(tmp_path, "prices", "sqlite", ROWS, diff_rows(None, ROWS, "title"), T0)
    later = [{"title": "Tent", "price": "$99", "url": "http://x/1"}]
    assert outputs.write_rows(tmp_path, "prices", "sqlite", later, diff_rows(ROWS, later, "title"), T0) == db
    conn = sqlite3.connect(db)
    runs = conn.execute("SELECT id, rows, added, removed, changed FROM runs ORDER BY id").fetchall()
    assert runs == [(1, 2, 2, 0, 0), (2, 1, 0, 1, 1)]
    assert conn.execute('SELECT run, title, price, url FROM rows WHERE run = 2').fetchall() == [(2, "Tent", "$99", "http://x/1")]
    assert conn.execute("SELECT tags FROM rows WHERE run = 1 AND title = 'Tent'").fetchone() == ('["a", "b"]',)
    odd = [{"run": "r1", "Title": "T", "title": "t", 'we"ird': "w"}]
    outputs.write_rows(tmp_path, "prices", "sqlite", odd, {}, T0)
    assert conn.execute('SELECT run, field_run, title, "we""ird" FROM rows WHERE run = 3').fetchall() == [(3, "r1", "T", "w")]
    conn.close()


def test_job_names_with_dots_stay_inside_the_folder(tmp_path: Path) -> None:
    assert JobSpec.model_validate({"name": "..", "cron": "@daily", "trigger": {"kind": "shell", "command": "true"}}).name == ".."
    for name in ("..", ".", ".hidden"):
        folder = outputs.job_folder(tmp_path, name)
        path = outputs.write_rows(folder, name, "csv", ROWS, {})
        assert folder.parent == tmp_path and path.resolve().is_relative_to(tmp_path.resolve()) and path.parent == folder, path
    assert outputs.job_folder(tmp_path, "prices") == tmp_path / "prices"


def test_change_note_words_only_when_notifying() -> None:
    first = diff_rows(None, ROWS, "title")
    assert outputs.change_note(first, 2, True) == "first run: 2 rows"
    same = diff_rows(ROWS, ROWS, "title")
    assert outputs.change_note(same, 2, True) == "2 rows, no change since the last run"
    moved = diff_rows(ROWS, [{"title": "Tent", "price": "$1"}, {"title": "Mat"}], "title")
    assert outputs.change_note(moved, 2, True) == "2 rows: 1 added, 1 removed, 1 changed since the last run"
    quiet = outputs.change_note(moved, 2, False)
    assert quiet == "2 rows: +1 -1 ~1 since the last run (notifications off)"
    for word in ("added", "removed", "changed"):  # the notification rule (sw/notify.js) looks for these
        assert word not in quiet and word not in outputs.change_note(same, 2, True)


def test_scrape_trigger_validates_output_and_passes_the_page_cap() -> None:
    base = {"kind": "scrape", "url": "https://shop.example/list", "schema": {"item": ".card", "fields": {"t": "h3"}}}
    assert ScrapeTrigger.model_validate(base).notify_on_change is True
    with pytest.raises(pydantic.ValidationError, match="csv"):
        ScrapeTrigger.model_validate({**base, "output": "pdf"})
    with pytest.raises(pydantic.ValidationError):
        ScrapeTrigger.model_validate({**base, "url": "file:///etc/passwd"})


async def test_runner_writes_the_output_and_notes_the_change(tmp_path: Path) -> None:
    store = ScheduleStore(connect(tmp_path / "s.db"))
    browser = Browser(ROWS)
    runner = TriggerRunner(store, browser=browser, swarm=lambda: None, workdir=str(tmp_path / "out"))
    spec = {"name": "shop", "cron": "@daily", "trigger": {"kind": "scrape", "url": "https://shop.example/", "scroll": False, "key": "title",
                                                          "schema": {"item": ".card", "fields": {"title": "h3"}, "next": "a.next"},
                                                          "paginate": {"maxPages": 3}, "output": "sqlite", "notify_on_change": False}}
    store.add("shop", spec, None)
    job = store.get("shop")
    first = await runner(job, JobSpec.model_validate(spec))
    assert first.status == "ok" and first.note.startswith("first run: 2 rows;")
    assert Path(first.artefacts["file"]) == tmp_path / "out" / "shop" / "shop.sqlite"
    extract = next(p for m, p in browser.calls if m == "browser.extract")
    assert extract["maxPages"] == 3 and extract["paginate"] == {"maxPages": 3}
    browser.rows = [{"title": "Tent", "price": "$1"}]
    second = await runner(job, JobSpec.model_validate(spec))
    assert second.note.startswith("1 rows: +0 -1 ~1 since the last run (notifications off);"), second.note


class Api:
    def __init__(self, db: Path, browser: Any) -> None:
        self.store = ScheduleStore(connect(db))
        sched = Scheduler(self.store, TriggerRunner(self.store, browser=browser, swarm=lambda: None), lambda m, p: None)
        self.router = Router()
        ScheduleAPI(self.store, sched, lambda m, p: None, browser=browser).register(self.router)

    async def __call__(self, method: str, params: dict[str, Any]) -> Any:
        reply = await self.router.dispatch(envelope.request(method, params, "t1"), CallContext("c1"))
        return reply.result if reply.error is msgspec.UNSET else reply.error


async def test_preview_runs_the_recipe_and_saves_nothing(tmp_path: Path) -> None:
    browser = Browser([{"t": str(i)} for i in range(7)])
    api = Api(tmp_path / "s.db", browser)
    trig = {"kind": "scrape", "url": "https://shop.example/", "scroll": False, "schema": {"item": ".card", "fields": {"t": "h3"}}}
    got = await api("schedule.preview", {"trigger": trig, "limit": 5})
    assert got == {"rows": [{"t": str(i)} for i in range(5)], "total": 7}
    assert [m for m, _ in browser.calls] == ["browser.tabs.open", "browser.extract", "browser.tabs.close"]
    assert browser.calls[0][1]["caller"] == "schedule:preview" and browser.calls[0][1]["active"] is False
    assert (await api("schedule.list", {})) == {"jobs": []}
    bad = await api("schedule.preview", {"trigger": {**trig, "url": "javascript:alert(1)"}})
    assert bad.code == "invalid_params"
    assert (await api("schedule.preview", {"trigger": trig, "limit": 0})).code == "invalid_params"
    browser.connected = False
    none = await api("schedule.preview", {"trigger": trig})
    assert none.code == "no_bridge" and "no browser" in none.message
