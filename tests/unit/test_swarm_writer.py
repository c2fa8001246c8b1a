"""The writer stage: which formats a goal asks for, validated structured output, failures as events."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from swarmbridge.deliverables import render
from swarmbridge.llm import FakeModel
from swarmbridge.llm.fake import text
from swarmbridge.swarm.roles import PlanError
from swarmbridge.swarm.writer import produce, wanted, write_deck, write_tables


@pytest.mark.parametrize(("goal", "requested", "planned", "kinds"), [
    ("Find the three cheapest flights", None, (), ["md"]),
    ("Put the prices in a spreadsheet", None, (), ["md", "xlsx"]),
    ("export as CSV and make a PowerPoint", None, (), ["md", "csv", "pptx"]),
    ("a short slide deck about tea", None, (), ["md", "pptx"]),
    ("prices please", None, ("xlsx",), ["md", "xlsx"]),
    ("put it in a spreadsheet", ["csv"], ("pptx",), ["md", "csv"]),  # the run option wins
    ("the csvkit docs", None, (), ["md"]),  # a word boundary, not a substring
])
def test_wanted(goal, requested, planned, kinds) -> None:
    assert wanted(goal, requested, planned) == kinds


async def test_tables_reasked_until_valid_then_rendered() -> None:
    replies = iter([text("sure!"), text('{"sheets": [{"name": "a:b", "rows": [{"x": 1}]}]}'),
                    text('{"sheets": [{"name": "Rows", "rows": [{"x": 1, "y": "two"}]}]}')])
    m = FakeModel(lambda msgs, tools: next(replies))
    wb = await write_tables(m, "g", {"t1": "x=1"})
    assert len(m.calls) == 3 and "sheets.0.name" in m.calls[2]["messages"][-1]["content"]
    assert m.calls[0]["messages"][0]["content"].startswith("ROLE: writer\nFORMAT: table\n")
    book = openpyxl.load_workbook(io.BytesIO(render("t.xlsx", wb.render_data())))
    assert [[c.value for c in r] for r in book["Rows"].iter_rows()] == [["x", "y"], [1, "two"]]


async def test_duplicate_sheets_and_empty_deck_are_rejected() -> None:
    dup = {"sheets": [{"name": "A", "rows": [{"x": 1}]}, {"name": "a", "rows": [{"x": 2}]}]}
    m = FakeModel(lambda msgs, tools: text(json.dumps(dup)))
    with pytest.raises(PlanError, match="sheet names must be unique"):
        await write_tables(m, "g", {}, attempts=2)
    m = FakeModel(lambda msgs, tools: text('{"title": "T", "slides": []}'))
    with pytest.raises(PlanError, match="slides"):
        await write_deck(m, "g", {}, attempts=1)


async def test_produce_without_folder_puts_data_in_events() -> None:
    deck = {"title": "T", "slides": [{"title": "S", "bullets": ["b"]}]}

    def script(msgs, tools):
        system = msgs[0]["content"]
        if "FORMAT: deck" in system:
            return text(json.dumps(deck))
        if "FORMAT: table" in system:
            return text("no tables today")
        return text("# Report")

    events: list[tuple[str, dict]] = []
    model = FakeModel(script)
    made = await produce(model, "g", {"a": 1}, ["md", "csv", "xlsx", "pptx"], None, lambda k, d: events.append((k, d)))
    assert [d["kind"] for d in made] == ["markdown", "pptx"]
    assert made[0]["text"] == "# Report" and made[1]["data"]["slides"][0]["title"] == "S"
    failed = [d["kind"] for k, d in events if k == "deliverable_failed"]
    assert failed == ["csv", "xlsx"]
    assert sum("FORMAT: table" in c["messages"][0]["content"] for c in model.calls) == 3  # asked once for both, re-asked twice
