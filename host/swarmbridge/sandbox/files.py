"""File operations inside mounts. Reading is free; every change (write, move, delete) is staged as
a proposal with a preview (a diff for text), goes to the approver, and is applied atomically only
once approved (temp file + fsync + rename, all through directory fds); the original is kept in the
history folder so ``revert`` can put it back."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path
from typing import Any

from ..policy.approver import ActionRequest, Approver
from ..storage.files import FilesStore
from .jail import JailError, Mount, check_writable, open_dir, open_file, rel_posix, split
from .readers import read_text

MAX_WRITE = 50 * 1024 * 1024


class Files:
    def __init__(self, store: FilesStore, history_dir: Path) -> None:
        self.store = store
        self.history_dir = history_dir

    # ---- mounts ----
    def add_mount(self, name: str, root: str, writable: bool = False) -> dict:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", name):
            raise JailError("a mount name is 1-40 letters, digits, '-' or '_'")
        path = Path(root).expanduser()
        if not path.is_absolute():
            raise JailError("a mount's folder must be an absolute path")
        if not path.is_dir():
            raise JailError(f"{path} is not a folder")
        if any(m["name"] == name for m in self.store.mounts()):
            raise JailError(f"mount {name!r} exists; remove it first")
        self.store.add_mount(name, str(Path(os.path.realpath(path))), writable)
        return {"name": name, "root": str(path), "writable": writable}

    def mount(self, name: str) -> Mount:
        for m in self.store.mounts():
            if m["name"] == name:
                return Mount(m["name"], Path(m["root"]), m["writable"])
        raise JailError(f"no mount {name!r} (see `swarmbridge mount list`)")

    # ---- reading ----
    def list(self, mount: str, rel: str = "") -> list[dict]:
        m = self.mount(mount)
        parts = split(rel)
        out = []
        with open_dir(m, parts) as dfd:
            for name in sorted(os.listdir(dfd)):
                st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
                kind = "dir" if stat.S_ISDIR(st.st_mode) else "file" if stat.S_ISREG(st.st_mode) else "link" if stat.S_ISLNK(st.st_mode) else "special"
                out.append({"name": name, "path": rel_posix(parts + [name]), "kind": kind, "size": st.st_size, "mtime": st.st_mtime})
        return out

    def read_bytes(self, mount: str, rel: str, limit: int = MAX_WRITE) -> bytes:
        with open_file(self.mount(mount), rel) as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise JailError(f"{rel!r} is larger than {limit} bytes")
        return data

    def read(self, mount: str, rel: str) -> str:
        try:
            return read_text(rel, self.read_bytes(mount, rel))
        except ValueError as exc:
            raise JailError(str(exc)) from None

    def search(self, mount: str, pattern: str, rel: str = "", max_hits: int = 200) -> list[dict]:
        try:
            rx = re.compile(pattern, re.I)
        except re.error as exc:
            raise JailError(f"bad pattern: {exc}") from None
        hits: list[dict] = []
        stack = [rel]
        while stack and len(hits) < max_hits:
            here = stack.pop()
            for entry in self.list(mount, here):
                if entry["kind"] == "dir":
                    stack.append(entry["path"])
                elif entry["kind"] == "file" and entry["size"] <= 20 * 1024 * 1024:
                    try:
                        text = self.read(mount, entry["path"])
                    except JailError:
                        continue
                    for n, line in enumerate(text.splitlines(), 1):
                        if rx.search(line):
                            hits.append({"path": entry["path"], "line": n, "text": line[:300]})
                            if len(hits) >= max_hits:
                                break
        return hits

    # ---- changes ----
    async def change(self, approver: Approver, op: str, mount: str, rel: str, *, content: bytes | None = None, to: str | None = None,
                     origin: str = "", key: str | None = None) -> dict:
        """Stage a change, ask, apply once approved. ``key`` (a tool call's idempotency key) makes a
        replay the same change: a run resumed after a crash asks nothing twice and writes once."""
        m = self.mount(mount)
        parts = split(rel)
        check_writable(m, parts)
        if op == "move":
            check_writable(m, split(to or ""))
        if content is not None and len(content) > MAX_WRITE:
            raise JailError(f"a write is at most {MAX_WRITE} bytes")
        preview = self._preview(op, m, rel, content, to)
        change_id = "f" + (hashlib.sha256(key.encode()).hexdigest()[:12] if key else secrets.token_hex(6))
        if key is None or self.store.change(change_id) is None:
            self.store.add_change({"id": change_id, "op": op, "mount": mount, "path": rel, "to_path": to, "origin": origin, "status": "proposed", "preview": preview, "created_at": time.time()})
        request = ActionRequest(tool=f"files.{op}", risk="mutate", summary=preview["summary"], preview={**preview, "path": str(m.root.joinpath(*parts))}, origin=origin, idempotency_key=f"files:{change_id}")
        async def apply() -> dict:
            return self._apply(change_id, m, op, rel, content, to)

        run_once = getattr(approver, "run_once", None)
        if run_once is not None:  # the approval queue: applied at most once per change, also across restarts
            result = await run_once(request, apply)
        else:
            d = await approver.decide(request)
            result = await apply() if d.approved else d
        if not isinstance(result, dict):  # a Decision: refused or pending
            status = "pending" if getattr(result, "pending", False) else "denied"
            self.store.update(change_id, status=status, error=result.reason)
            return {"id": change_id, "status": status, "reason": result.reason, "preview": preview}
        return {"id": change_id, "status": "applied", "preview": preview, **result}

    def _preview(self, op: str, m: Mount, rel: str, content: bytes | None, to: str | None) -> dict:
        try:
            old = self.read_bytes(m.name, rel)
        except JailError:
            old = None
        if op == "write":
            new_text = content.decode("utf-8", "replace") if content is not None else ""
            if old is not None and b"\x00" not in old[:8192] and content is not None and b"\x00" not in content[:8192]:
                diff = "".join(difflib.unified_diff(old.decode("utf-8", "replace").splitlines(True), new_text.splitlines(True), f"a/{rel}", f"b/{rel}"))
            else:
                diff = f"new file {rel} ({len(content or b'')} bytes)" if old is None else f"binary change to {rel}"
            return {"summary": f"{'Create' if old is None else 'Overwrite'} {m.name}:{rel}", "diff": diff[:20000], "bytes": len(content or b"")}
        if op == "move":
            return {"summary": f"Move {m.name}:{rel} to {to}", "from": rel, "to": to}
        return {"summary": f"Delete {m.name}:{rel}" + (f" ({len(old)} bytes; kept for revert)" if old is not None else ""), "bytes": len(old or b"")}

    def _backup_dir(self, change_id: str) -> Path:
        d = self.history_dir / change_id
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        return d

    def _apply(self, change_id: str, m: Mount, op: str, rel: str, content: bytes | None, to: str | None) -> dict:
        parts = split(rel)
        *dirs, name = parts
        try:
            with open_dir(m, dirs, create=(op == "write")) as dfd:
                existed = _exists(name, dfd)
                backup = None
                if existed and op in ("write", "delete"):
                    backup = self._backup_dir(change_id) / "original"
                    with open_file(m, rel) as src, open(backup, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                if op == "write":
                    tmp = f".{name}.sb-{change_id}.tmp"
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644, dir_fd=dfd)
                    with os.fdopen(fd, "wb") as f:
                        f.write(content or b"")
                        f.flush()
                        os.fsync(f.fileno())
                    os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
                elif op == "delete":
                    if not existed:
                        raise JailError(f"{rel!r} does not exist")
                    os.unlink(name, dir_fd=dfd)
                elif op == "move":
                    to_parts = split(to or "")
                    with open_dir(m, to_parts[:-1], create=True) as tfd:
                        if _exists(to_parts[-1], tfd):
                            raise JailError(f"{to!r} exists: moves never overwrite")
                        os.rename(name, to_parts[-1], src_dir_fd=dfd, dst_dir_fd=tfd)
                os.fsync(dfd)
        except (JailError, OSError) as exc:
            self.store.update(change_id, status="failed", error=str(exc))
            raise JailError(f"could not {op} {rel!r}: {exc}") from None
        self.store.update(change_id, status="applied", applied_at=time.time(), backup=str(backup) if backup else None, created=int(not existed and op == "write"))
        return {"applied": True, "kept": str(backup) if backup else None}

    def revert(self, change_id: str) -> dict:
        ch = self.store.change(change_id)
        if ch is None:
            raise JailError(f"no change {change_id!r}")
        if ch["status"] != "applied":
            raise JailError(f"change {change_id} is {ch['status']}, not applied")
        m = self.mount(ch["mount"])
        parts = split(ch["path"])
        with open_dir(m, parts[:-1], create=True) as dfd:
            if ch["op"] == "move":
                to_parts = split(ch["to_path"])
                with open_dir(m, to_parts[:-1]) as tfd:
                    os.rename(to_parts[-1], parts[-1], src_dir_fd=tfd, dst_dir_fd=dfd)
            elif ch["created"]:
                os.unlink(parts[-1], dir_fd=dfd)
            else:
                data = Path(ch["backup"]).read_bytes()
                tmp = f".{parts[-1]}.sb-revert.tmp"
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644, dir_fd=dfd)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    os.fsync(f.fileno())
                os.replace(tmp, parts[-1], src_dir_fd=dfd, dst_dir_fd=dfd)
        self.store.update(change_id, status="reverted", reverted_at=time.time())
        return {"id": change_id, "status": "reverted"}


def _exists(name: str, dfd: int) -> bool:
    try:
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(st.st_mode):
        raise JailError(f"{name!r} is a link: links are never written through")
    return True
