"""Writer deliverables through the swarm service, the real openai client and a scripted server:
Markdown, CSV, XLSX and PPTX, each reopened with its own library; invalid structured output is
re-asked with the validation error."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
from pptx import Presentation

from test_llm_swarm_roles import _run  # one way to run a swarm against a scripted server

from swarmbridge.storage.runs import RunStore
from swarmbridge.testing import Reply, SwarmRules, role_of

TABLES = {"title": "Laptops", "sheets": [{"name": "Prices", "rows": [{"model": "A1", "price": 999.5}, {"model": "Zé", "price": 1200}]},
                                         {"name": "Sources", "rows": [{"url": "https://shop.example/a1"}]}]}
DECK = {"title": "Laptops", "subtitle": "compared", "slides": [{"title": "Cheapest", "bullets": ["A1 at 999.5"]},
                                                                {"title": "Sources", "bullets": ["https://shop.example/a1"]}]}


class Structured:
    """SwarmRules plus answers for the structured writer; the first table answer is invalid."""

    def __init__(self) -> None:
        self.base = SwarmRules(plan_width=2, worker_tool_calls=1)
        self.table_asks = 0
        self.seen: list[dict] = []

    def __call__(self, req: dict) -> Reply:
        system = str(req["messages"][0].get("content") or "")
        if role_of(req) == "writer" and "FORMAT: table" in system:
            self.seen.append(req)
            self.table_asks += 1
            if self.table_asks == 1:  # rows missing: must be re-asked with the validation error
                return Reply(content=json.dumps({"title": "Laptops", "sheets": [{"name": "Prices"}]}))
            return Reply(content="```json\n" + json.dumps(TABLES) + "\n```")
        if role_of(req) == "writer" and "FORMAT: deck" in system:
            self.seen.append(req)
            return Reply(content=json.dumps(DECK))
        return self.base(req)


async def test_goal_asking_for_a_spreadsheet_and_slides_gets_every_file(tmp_path) -> None:
    rule = Structured()
    res = await _run(tmp_path, rule, goal="Compare two laptops; give me a spreadsheet (xlsx), a CSV and slides")
    kinds = {d["kind"]: Path(d["path"]) for d in res["deliverables"]}
    assert sorted(kinds) == ["csv", "markdown", "pptx", "xlsx"], res["deliverables"]
    assert kinds["markdown"].read_text(encoding="utf-8").startswith("# Report")
    wb = openpyxl.load_workbook(kinds["xlsx"])
    assert wb.sheetnames == ["Prices", "Sources"]
    assert [c.value for c in wb["Prices"][1]] == ["model", "price"] and wb["Prices"]["A3"].value == "Zé" and wb["Prices"]["B2"].value == 999.5
    with kinds["csv"].open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f)) == [{"model": "A1", "price": "999.5"}, {"model": "Zé", "price": "1200"}]
    prs = Presentation(str(kinds["pptx"]))
    assert [s.shapes.title.text for s in prs.slides] == ["Laptops", "Cheapest", "Sources"]
    # one table answer serves both CSV and XLSX; the invalid first answer was re-asked with its error
    assert rule.table_asks == 2
    reask = rule.seen[1]["messages"][-1]
    assert reask["role"] == "user" and "sheets.0.rows" in reask["content"] and "Field required" in reask["content"]


async def test_run_option_overrides_and_a_failed_deliverable_keeps_the_run(tmp_path) -> None:
    base = SwarmRules(plan_width=1, worker_tool_calls=0)

    def rule(req: dict) -> Reply:
        if role_of(req) == "writer" and "FORMAT: deck" in str(req["messages"][0]["content"]):
            return Reply(content="Here are your slides: 1. intro 2. outro")  # never valid JSON
        return base(req)

    res = await _run(tmp_path, rule, goal="summarise the news (no files wanted)", deliverables=["pptx"])
    assert res["status"] == "done" and [d["kind"] for d in res["deliverables"]] == ["markdown"]
    store = RunStore(str(tmp_path / "r.db"))
    failed = [e["data"] for e in store.events(res["id"]) if e["kind"] == "deliverable_failed"]
    store.close()
    assert failed and failed[0]["kind"] == "pptx" and "3 attempts" in failed[0]["reason"]
