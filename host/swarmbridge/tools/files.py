"""File and Python tools for sub-agents, over the daemon's sandbox: reading mounts is free;
writes are staged changes that the approval queue decides (originals kept); Python runs in the
sandboxed runner and its files stay in its scratch folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..sandbox.jail import JailError
from ..sandbox.runner import Limits, run_python
from .base import Tool, ToolContext, ToolError


class _P(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mount: str = Field(min_length=1, max_length=40)


class _Path(_P):
    path: str = Field("", max_length=1000)


class _Search(_P):
    pattern: str = Field(min_length=1, max_length=200)


class _Write(_P):
    path: str = Field(min_length=1, max_length=1000)
    text: str = Field(max_length=5_000_000)


class _Code(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=200_000)
    timeout_s: float = Field(60.0, gt=0, le=600)


def _files(ctx: ToolContext):
    files = (ctx.extras.get("daemon_extras") or {}).get("files")
    if files is None:
        raise ToolError("local files are not available in this daemon")
    return files


class _FileTool(Tool):
    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        try:
            return await self.do(_files(ctx), args, ctx)
        except JailError as exc:
            raise ToolError(str(exc)) from None

    async def do(self, files, args, ctx):  # pragma: no cover - interface
        raise NotImplementedError


class FilesList(_FileTool):
    name, description, Params, risk = "files_list", "List a folder in a mounted folder.", _Path, "read"

    async def do(self, files, args, ctx):
        return {"entries": files.list(args.mount, args.path)}


class FilesRead(_FileTool):
    name, description, Params, risk = "files_read", "Read a file (text, CSV, XLSX, DOCX, PDF) from a mount.", _Path, "read"

    async def do(self, files, args, ctx):
        text = files.read(args.mount, args.path)
        return {"text": text[:50_000], "chars": len(text)}


class FilesSearch(_FileTool):
    name, description, Params, risk = "files_search", "Search the files of a mount for a regular expression.", _Search, "read"

    async def do(self, files, args, ctx):
        return {"hits": files.search(args.mount, args.pattern)}


class FilesWrite(_FileTool):
    name, description, Params, risk = "files_write", "Propose writing a file in a mount; the user approves it first (original kept).", _Write, "mutate"

    async def do(self, files, args, ctx):
        if ctx.approver is None:
            raise ToolError("writing needs the approval queue")
        r = await files.change(ctx.approver, "write", args.mount, args.path, content=args.text.encode("utf-8"), origin=ctx.approval_origin,
                                 key=ctx.idempotency_key)
        if r["status"] != "applied":
            raise ToolError(f"the write was not applied: {r['status']} ({r.get('reason', '')})")
        return {"written": args.path, "change": r["id"]}


class PythonRun(Tool):
    name, description, Params, risk = "python_run", "Run Python in a sandbox (no network, time and memory limits); files it makes stay in its scratch folder.", _Code, "read"

    async def run(self, args: BaseModel, ctx: ToolContext) -> Any:
        root = Path(ctx.extras.get("artifacts_dir") or ".") / "scratch"
        r = await run_python(args.code, scratch_root=root, limits=Limits(timeout_s=args.timeout_s))  # type: ignore[attr-defined]
        return {"status": r.status, "exit_code": r.exit_code, "output": r.output[-20_000:], "files": r.files, "isolation": r.isolation}


def file_tools() -> list[Tool]:
    return [FilesList(), FilesRead(), FilesSearch(), FilesWrite(), PythonRun()]
