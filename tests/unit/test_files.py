"""Staged changes through the approver: nothing changes before approval, originals kept, revert."""

import asyncio

import pytest

from swarmbridge.policy.approver import AllowAll, DenyAll
from swarmbridge.policy.queue import ApprovalQueue
from swarmbridge.sandbox.files import Files
from swarmbridge.sandbox.jail import JailError
from swarmbridge.storage.approvals import ApprovalStore
from swarmbridge.storage.db import connect
from swarmbridge.storage.files import FilesStore


@pytest.fixture
def files(tmp_path, sb_home):
    root = tmp_path / "notes"
    root.mkdir()
    (root / "todo.md").write_text("- buy milk\n- call Bob\n")
    f = Files(FilesStore(connect(tmp_path / "db")), tmp_path / "history")
    f.add_mount("notes", str(root), writable=True)
    f.add_mount("ro", str(root), writable=False)
    return f, root


async def test_write_waits_for_approval_then_applies_and_reverts(files, tmp_path):
    f, root = files
    queue = ApprovalQueue(ApprovalStore(connect(tmp_path / "db")), lambda *a: None)
    task = asyncio.create_task(f.change(queue, "write", "notes", "todo.md", content=b"- buy milk\n- call Alice\n", origin="goal:1"))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if pending := queue.store.list():
            break
    assert pending and "-- call Bob" in pending[0]["preview"]["diff"] and "+- call Alice" in pending[0]["preview"]["diff"]
    assert (root / "todo.md").read_text().endswith("call Bob\n"), "nothing changes before approval"
    queue.approve(pending[0]["id"])
    result = await task
    assert result["status"] == "applied"
    assert (root / "todo.md").read_text().endswith("call Alice\n")
    f.revert(result["id"])
    assert (root / "todo.md").read_text().endswith("call Bob\n"), "the original came back"
    assert f.store.change(result["id"])["status"] == "reverted"
    assert not list(root.glob(".*tmp")), "no temp files left behind"


async def test_denied_changes_touch_nothing(files):
    f, root = files
    r = await f.change(DenyAll(), "delete", "notes", "todo.md")
    assert r["status"] == "denied" and (root / "todo.md").exists()
    with pytest.raises(JailError, match="read-only"):
        await f.change(AllowAll(), "write", "ro", "x.md", content=b"x")


async def test_create_move_delete_and_revert_each(files):
    f, root = files
    new = await f.change(AllowAll(), "write", "notes", "sub/new.md", content=b"hello")
    assert (root / "sub" / "new.md").read_bytes() == b"hello"
    moved = await f.change(AllowAll(), "move", "notes", "sub/new.md", to="moved.md")
    assert (root / "moved.md").exists() and not (root / "sub" / "new.md").exists()
    with pytest.raises(JailError, match="never overwrite"):
        await f.change(AllowAll(), "move", "notes", "moved.md", to="todo.md")
    gone = await f.change(AllowAll(), "delete", "notes", "todo.md")
    assert not (root / "todo.md").exists()
    f.revert(gone["id"])
    assert (root / "todo.md").read_text().startswith("- buy milk")
    f.revert(moved["id"])
    assert (root / "sub" / "new.md").exists()
    f.revert(new["id"])
    assert not (root / "sub" / "new.md").exists()


def test_readers_for_office_and_pdf(files):
    import docx
    import openpyxl

    f, root = files
    wb = openpyxl.Workbook()
    wb.active.append(["name", "qty"])
    wb.active.append(["tea", 3])
    wb.save(root / "stock.xlsx")
    d = docx.Document()
    d.add_paragraph("Quarterly report: revenue grew.")
    d.save(root / "report.docx")
    (root / "data.csv").write_text("a,b\n1,2\n")
    (root / "doc.pdf").write_bytes(MINIMAL_PDF)
    assert "tea\t3" in f.read("notes", "stock.xlsx")
    assert "revenue grew" in f.read("notes", "report.docx")
    assert f.read("notes", "data.csv") == "a\tb\n1\t2"
    assert "Hello PDF" in f.read("notes", "doc.pdf")
    (root / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(JailError, match="cannot read bad.xlsx"):
        f.read("notes", "bad.xlsx")
    hits = f.search("notes", "revenue")
    assert hits == [{"path": "report.docx", "line": 1, "text": "Quarterly report: revenue grew."}]


def _pdf() -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 12 Tf 20 50 Td (Hello PDF) Tj ET"
    objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % x for x in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


MINIMAL_PDF = _pdf()
