"""Each deliverable is opened again by its own library."""

import csv
import io
import json

import openpyxl
import pytest
from pptx import Presentation

from swarmbridge.deliverables import render

ROWS = [{"name": "Tea", "price": 3.5, "tags": ["hot"]}, {"name": "Café", "price": 4, "extra": None}]


def test_markdown_report_cites_sources():
    md = render("r.md", {"title": "Findings", "summary": "Short.", "sections": [{"heading": "Prices", "body": "Tea rose [1]."}], "sources": ["https://a.example/1"]}).decode()
    assert md.startswith("# Findings\n") and "## Prices" in md and "1. https://a.example/1" in md


def test_csv_roundtrip_with_unicode_and_ragged_rows():
    text = render("r.csv", {"rows": ROWS}).decode("utf-8-sig")
    got = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in got] == ["Tea", "Café"]
    assert got[0]["tags"] == '["hot"]' and got[1]["extra"] == ""


def test_xlsx_sheets_open_in_openpyxl():
    data = render("r.xlsx", {"sheets": {"Prices": ROWS, "Empty": []}})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Prices", "Empty"]
    ws = wb["Prices"]
    assert [c.value for c in ws[1]] == ["name", "price", "tags", "extra"]
    assert ws["A3"].value == "Café" and ws["B2"].value == 3.5


def test_xlsx_drops_control_characters_a_worksheet_refuses():
    every = "".join(chr(c) for c in range(0x20))
    data = render("r.xlsx", {"sheets": {"T\x01ab": [{f"col\x00{every}": f"a{every}b", "n": 1}]}})
    ws = openpyxl.load_workbook(io.BytesIO(data))["Tab"]
    assert [c.value for c in ws[1]] == ["col\t\n\r", "n"]
    assert ws["A2"].value == "a\t\n\rb" and ws["B2"].value == 1  # tab, newline and CR are legal in XLSX


def test_pptx_opens_in_python_pptx():
    data = render("d.pptx", {"title": "Q3", "subtitle": "Summary", "slides": [{"title": "Revenue", "bullets": ["Up 4%", "Churn down"], "notes": "say it slowly"}]})
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 2
    slide = prs.slides[1]
    assert slide.shapes.title.text == "Revenue"
    assert [p.text for p in slide.placeholders[1].text_frame.paragraphs] == ["Up 4%", "Churn down"]
    assert slide.notes_slide.notes_text_frame.text == "say it slowly"


def test_json_and_errors():
    assert json.loads(render("x.json", {"a": [1, 2]})) == {"a": [1, 2]}
    with pytest.raises(ValueError, match="no writer"):
        render("x.docx", {})
    with pytest.raises(Exception, match="title"):
        render("x.pptx", {"slides": []})
