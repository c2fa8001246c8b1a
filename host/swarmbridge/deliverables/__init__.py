"""Deliverables: the files a run or goal hands back (Markdown, CSV, XLSX, PPTX, JSON).

Writers take plain data and return bytes, so the caller decides where they go: into an output
mount (through the staged, approved file changes) or the artefacts folder.

    render("report.md", {"title": ..., "sections": [...], "sources": [...]})
    render("rows.csv" | "rows.xlsx", {"rows": [{...}, ...]} or {"sheets": {"name": [rows]}})
    render("deck.pptx", {"title": ..., "slides": [{"title": ..., "bullets": [...]}, ...]})
"""

from .writers import FORMATS, Deck, Slide, Workbook, render

__all__ = ["FORMATS", "Deck", "Slide", "Workbook", "render"]
