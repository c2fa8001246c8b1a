"""Reading files for the agent: text, CSV, XLSX (openpyxl), DOCX (python-docx), PDF text (pypdf).
Every reader gets bytes already opened through the jail and returns plain text, capped."""

from __future__ import annotations

import csv
import io

MAX_CHARS = 2_000_000


def _text(data: bytes) -> str:
    for enc in ("utf-8", "utf-16"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv(data: bytes) -> str:
    rows = list(csv.reader(io.StringIO(_text(data))))
    return "\n".join("\t".join(r) for r in rows)


def read_xlsx(data: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(f"## sheet {ws.title}")
        for row in ws.iter_rows(values_only=True):
            if any(v is not None for v in row):
                out.append("\t".join("" if v is None else str(v) for v in row))
    wb.close()
    return "\n".join(out)


def read_docx(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


def read_pdf(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n\n".join((page.extract_text() or "") for page in reader.pages)


READERS = {".csv": read_csv, ".xlsx": read_xlsx, ".xlsm": read_xlsx, ".docx": read_docx, ".pdf": read_pdf}


def read_text(name: str, data: bytes) -> str:
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    reader = READERS.get(ext)
    if reader is None:
        if b"\x00" in data[:8192]:
            raise ValueError(f"{name} looks binary; readable kinds: text, {', '.join(sorted(READERS))}")
        text = _text(data)
    else:
        try:
            text = reader(data)
        except Exception as exc:  # a corrupt file is the user's data, not our crash
            raise ValueError(f"cannot read {name} as {ext[1:].upper()}: {exc}") from None
    return text[:MAX_CHARS]
