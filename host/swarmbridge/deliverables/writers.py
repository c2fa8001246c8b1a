"""One writer per format, each using the format's own library (csv, json, openpyxl, python-pptx)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pydantic


class Section(pydantic.BaseModel):
    heading: str = ""
    body: str = ""


class Report(pydantic.BaseModel):
    title: str
    summary: str = ""
    sections: list[Section] = []
    sources: list[str] = []


class Slide(pydantic.BaseModel):
    title: str
    bullets: list[str] = []
    notes: str = ""


class Deck(pydantic.BaseModel):
    title: str
    subtitle: str = ""
    slides: list[Slide] = []


Cell = str | int | float | bool | None


class Sheet(pydantic.BaseModel):
    """One table: rows are records keyed by column name (the column order is first-seen order)."""

    model_config = pydantic.ConfigDict(extra="forbid")
    name: str = pydantic.Field("Rows", min_length=1, max_length=31, pattern=r"^[^\\/*?:\[\]]+$")
    rows: list[dict[str, Cell]] = pydantic.Field(min_length=1)


class Workbook(pydantic.BaseModel):
    """Tables as a model is asked to give them (validated before any file is written)."""

    model_config = pydantic.ConfigDict(extra="forbid")
    title: str = ""
    sheets: list[Sheet] = pydantic.Field(min_length=1, max_length=50)

    @pydantic.model_validator(mode="after")
    def _unique(self) -> "Workbook":
        names = [s.name.lower() for s in self.sheets]
        if len(set(names)) != len(names):
            raise ValueError("sheet names must be unique (case-insensitive)")
        return self

    def render_data(self) -> dict[str, Any]:
        """The ``{"sheets": {...}}`` shape ``render`` takes for .csv (first sheet) and .xlsx."""
        return {"sheets": {s.name: s.rows for s in self.sheets}}


def _sheets(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    if "sheets" in data:
        return {str(k)[:31] or "Sheet": list(v) for k, v in data["sheets"].items()}
    return {"Rows": list(data.get("rows", []))}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(str(k))
    return cols


def _cell(v: Any) -> Any:
    if v is None or isinstance(v, (int, float, bool, str)):
        return v
    return json.dumps(v, ensure_ascii=False, default=str)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what a worksheet's XML refuses (tab, LF, CR are fine)


def without_control(text: str) -> str:
    """``text`` without the control characters XLSX cannot hold (page text often has some)."""
    return _CONTROL.sub("", text)


def _xcell(v: Any) -> Any:
    v = _cell(v)
    return without_control(v) if isinstance(v, str) else v


def markdown(data: dict[str, Any]) -> bytes:
    r = Report.model_validate(data)
    out = [f"# {r.title}", ""]
    if r.summary:
        out += [r.summary, ""]
    for s in r.sections:
        if s.heading:
            out += [f"## {s.heading}", ""]
        out += [s.body.strip(), ""]
    if r.sources:
        out += ["## Sources", ""] + [f"{i}. {src}" for i, src in enumerate(r.sources, 1)] + [""]
    return "\n".join(out).encode("utf-8")


def csv_bytes(data: dict[str, Any]) -> bytes:
    rows = next(iter(_sheets(data).values()))
    buf = io.StringIO()
    cols = _columns(rows)
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(r.get(k)) for k in cols})
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens UTF-8 CSV correctly


def xlsx(data: dict[str, Any]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in _sheets(data).items():
        ws = wb.create_sheet(without_control(name) or "Sheet")
        cols = _columns(rows)
        ws.append([without_control(c) for c in cols])
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([_xcell(r.get(k)) for k in cols])
        ws.freeze_panes = "A2"
        for i, col in enumerate(cols, 1):
            width = max([len(str(col))] + [len(str(r.get(col, ""))) for r in rows[:200]])
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(60, width + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pptx(data: dict[str, Any]) -> bytes:
    from pptx import Presentation

    d = Deck.model_validate(data)
    prs = Presentation()
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = d.title
    title.placeholders[1].text = d.subtitle
    for s in d.slides:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = s.title
        body = slide.placeholders[1].text_frame
        for i, b in enumerate(s.bullets):
            para = body.paragraphs[0] if i == 0 else body.add_paragraph()
            para.text = b
        if s.notes:
            slide.notes_slide.notes_text_frame.text = s.notes
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


FORMATS: dict[str, Callable[[dict[str, Any]], bytes]] = {".md": markdown, ".csv": csv_bytes, ".xlsx": xlsx, ".pptx": pptx, ".json": json_bytes}


def render(filename: str, data: dict[str, Any]) -> bytes:
    ext = filename[filename.rfind(".") :].lower() if "." in filename else ""
    writer = FORMATS.get(ext)
    if writer is None:
        raise ValueError(f"no writer for {filename!r}; formats: {', '.join(sorted(FORMATS))}")
    return writer(data)
