"""Helpers for the integration tests. Real processes over real sockets: a daemon subprocess, relay subprocesses driven by a test that
plays the browser (writes native frames to the relay's stdin, reads its stdout)."""

from __future__ import annotations

import json
import os
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from swarmbridge.extension_id import extension_id
from swarmbridge.protocol.chunking import Reassembler
from swarmbridge.rpc.client import call
from swarmbridge.rpc.router import RpcError

PY = sys.executable


def wait_until(pred: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = pred()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def daemon_pid() -> int | None:
    try:
        return call("daemon.status", {}, timeout=2)["pid"]
    except RpcError:
        return None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie child still answers kill(0); ask /proc
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def stop_daemon_by_pid(pid: int | None) -> None:
    if pid and pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
        try:
            wait_until(lambda: not pid_alive(pid), 5, "daemon exit")
        except AssertionError:
            os.kill(pid, signal.SIGKILL)


class FakeBrowser:
    """Plays the extension on the relay's stdio: answers daemon requests with ``handler``,
    reassembles chunks, and queues every other message for the test to read."""

    def __init__(self, origin: str | None = None, handler: Callable[[dict], Any] | None = None, argv: list[str] | None = None) -> None:
        argv = argv or [origin or f"chrome-extension://{extension_id()}/"]
        self.proc = subprocess.Popen([PY, "-m", "swarmbridge.nativehost", *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.handler = handler or (lambda msg: {"pong": True, "t": time.time()})
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.chunks_seen = 0
        self.max_frame = 0
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def send_raw(self, body: bytes) -> None:
        with self._lock:
            self.proc.stdin.write(struct.pack("=I", len(body)) + body)  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]

    def send(self, obj: dict) -> None:
        self.send_raw(json.dumps(obj).encode())

    def _read(self) -> None:
        out = self.proc.stdout
        chunks = Reassembler()
        while True:
            head = out.read(4)  # type: ignore[union-attr]
            if len(head) < 4:
                return
            (n,) = struct.unpack("=I", head)
            body = out.read(n)  # type: ignore[union-attr]
            self.max_frame = max(self.max_frame, n)
            msg = json.loads(body)
            if msg.get("kind") == "chunk":
                self.chunks_seen += 1
                whole = chunks.feed(msg)
                if whole is None:
                    continue
                msg = json.loads(whole)
            if msg.get("kind") == "request":
                try:
                    reply = {"v": 1, "id": msg["id"], "kind": "response", "result": self.handler(msg)}
                except Exception as exc:  # noqa: BLE001
                    reply = {"v": 1, "id": msg["id"], "kind": "response", "error": {"code": "internal_error", "message": str(exc)}}
                self.send(reply)
            else:
                self.inbox.put(msg)

    def recv(self, timeout: float = 10.0) -> dict:
        return self.inbox.get(timeout=timeout)

    def recv_until(self, pred: Callable[[dict], bool], timeout: float = 15.0) -> dict:
        end = time.monotonic() + timeout
        while True:
            msg = self.recv(max(0.01, end - time.monotonic()))
            if pred(msg):
                return msg

    def hello(self, browser: str = "chromium", profile: str = "Default", mid: str = "hello-1") -> dict:
        self.send({"v": 1, "id": mid, "kind": "request", "method": "bridge.hello",
                   "params": {"browser": browser, "profile": profile, "extensionVersion": "0.1.0", "extensionId": extension_id(), "userAgent": "test"}})
        return self.recv_until(lambda m: m.get("id") == mid)

    def close(self) -> int:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()  # type: ignore[union-attr]
        if not self.proc.stdin.closed:  # type: ignore[union-attr]
            self.proc.stdin.close()  # type: ignore[union-attr]
        self._reader.join(2)
        return self.proc.returncode


