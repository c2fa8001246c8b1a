"""``swarmbridge-host``: what the browser starts. Relays native-messaging frames to the daemon.

STANDARD LIBRARY ONLY (plus ``protocol.framing``/``chunking``, ``paths``, ``extension_id`` and
``install.service``, which are stdlib-only themselves): the browser waits on this process, and the first reply must come
within 150 ms. No business logic lives here; see ``relay.design.md`` for the invariants.

Threads: the main thread reads the browser's frames from stdin and forwards them to the daemon; a
daemon-side thread reads the daemon's frames and writes them to the browser, chunked when over
1 MiB, and owns reconnecting (starting the daemon when absent, with back-off).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO

from ..paths import Paths, user_paths
from ..protocol import chunking, framing

log = logging.getLogger("swarmbridge.host")

#: File (in the config dir) listing extension ids allowed to start the relay; ``swarmbridge install`` writes it.
ALLOWED_FILE = "allowed-extensions.json"
#: How long a frame from the browser may wait for the daemon to come (back) before ``unavailable``.
CONNECT_WAIT_S = 10.0
BACKOFF_MIN_S, BACKOFF_MAX_S = 0.05, 2.0


def take_stdout() -> BinaryIO:
    """Keep the protocol on a private dup of fd 1; anything else printed goes to stderr."""
    proto_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(proto_fd, "wb", buffering=0)


def caller_id(argv: list[str]) -> str | None:
    """The calling extension's id: Chrome passes ``chrome-extension://<id>/`` first (and on
    Windows ``--parent-window=N`` after it); Firefox passes the manifest path, then the add-on id."""
    if argv and argv[0].startswith("chrome-extension://"):
        return argv[0][len("chrome-extension://") :].rstrip("/") or None
    if len(argv) >= 2 and argv[0].endswith(".json"):
        return argv[1] or None
    return None


def allowed_ids(paths: Paths) -> set[str]:
    ids: set[str] = set()
    path = paths.config_dir / ALLOWED_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ids |= {x for x in data.get("extensionIds", []) if isinstance(x, str) and x}
    except FileNotFoundError:
        pass
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
    try:
        from ..extension_id import extension_id

        ids.add(extension_id())
    except (OSError, KeyError, ValueError):
        pass  # an installed wheel without the extension's manifest: the file above decides
    return ids


def error_frame(msg_id: str | None, code: str, message: str) -> bytes:
    return json.dumps(
        {"v": 1, "id": msg_id or "unknown", "kind": "response", "error": {"code": code, "message": message}},
        separators=(",", ":"),
    ).encode("utf-8")


_event_ids = itertools.count(1)


def event_frame(method: str, params: dict | None = None) -> bytes:
    eid = f"h{os.getpid():x}-{next(_event_ids)}"
    return json.dumps({"v": 1, "id": eid, "kind": "event", "method": method, "params": params or {}}, separators=(",", ":")).encode()


def start_via_service() -> bool:
    """Start the daemon through the user service when one is installed; False if that fails."""
    from ..install.service import UNIT_NAME, unit_path

    if not (sys.platform.startswith("linux") and unit_path(Path.home()).exists() and shutil.which("systemctl")):
        return False
    try:
        done = subprocess.run(["systemctl", "--user", "start", UNIT_NAME], capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("systemctl --user start failed: %s", exc)
        return False
    if done.returncode:
        log.warning("systemctl --user start failed: %s", done.stderr.decode(errors="replace").strip())
        return False
    log.info("started the daemon through the user service")
    return True


def start_daemon(paths: Paths) -> None:
    """Start the daemon through the user service if installed, else detached (own session, stdio
    to ``daemon.stdio.log``: tracebacks that escape logging); the instance lock makes a race between two relays harmless (the loser exits 1)."""
    if start_via_service():
        return
    logf = open(paths.log_dir / "daemon.stdio.log", "ab")  # noqa: SIM115 - handed to the child; daemon.log rotates
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=logf,
            stderr=logf,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        logf.close()
    log.info("started the daemon, pid %d", proc.pid)
    threading.Thread(target=proc.wait, name="reap-daemon", daemon=True).start()


class Relay:
    def __init__(self, paths: Paths, browser_in: BinaryIO, browser_out: BinaryIO) -> None:
        self.paths = paths
        self._in = browser_in
        self._out = browser_out
        self._out_lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self._connected = threading.Event()
        self._stopping = threading.Event()
        self._last_start = 0.0

    # -- toward the browser ----------------------------------------------------------------
    def to_browser(self, body: bytes) -> None:
        parts = chunking.split(body)
        with self._out_lock:
            for part in parts:
                self._out.write(framing.encode(part, framing.NATIVE))
            self._out.flush()

    # -- toward the daemon -----------------------------------------------------------------
    def _connect_once(self) -> socket.socket | None:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(self.paths.socket)
            return s
        except OSError:
            s.close()
            return None

    def connect(self) -> socket.socket:
        """Connect, starting the daemon when nothing answers; back off between attempts."""
        delay = BACKOFF_MIN_S
        while not self._stopping.is_set():
            s = self._connect_once()
            if s is not None:
                return s
            if time.monotonic() - self._last_start > 5.0:
                self._last_start = time.monotonic()
                start_daemon(self.paths)
            time.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX_S)
        raise OSError("relay stopping")

    def daemon_loop(self) -> None:
        """Read the daemon's frames into the browser; on loss, tell the extension and reconnect."""
        lost = False
        flap = BACKOFF_MIN_S  # grows while connections keep dying young (never a reconnect storm)
        while not self._stopping.is_set():
            try:
                sock = self.connect()
            except OSError:
                return
            since = time.monotonic()
            with self._sock_lock:
                self._sock = sock
            self._connected.set()
            if lost:
                log.info("daemon available again")
                self.to_browser(event_frame("bridge.daemon_available"))
            reader = sock.makefile("rb")
            try:
                while True:
                    body = framing.read_frame(reader, framing.SOCKET)
                    if body is None:
                        break
                    try:
                        self.to_browser(body)
                    except ValueError as exc:  # not UTF-8: cannot be chunked; the daemon never sends this
                        log.error("dropped an undecodable %d-byte frame from the daemon: %s", len(body), exc)
            except (OSError, framing.FramingError) as exc:
                log.warning("daemon connection lost: %s", exc)
            finally:
                self._connected.clear()
                with self._sock_lock:
                    self._sock = None
                reader.close()
                sock.close()
            if self._stopping.is_set():
                return
            lost = True
            log.warning("daemon unavailable; reconnecting")
            try:
                self.to_browser(event_frame("bridge.daemon_unavailable"))
            except OSError:
                return
            if time.monotonic() - since < 1.0:
                time.sleep(flap)
                flap = min(flap * 2, BACKOFF_MAX_S)
            else:
                flap = BACKOFF_MIN_S

    def to_daemon(self, body: bytes) -> bool:
        if not self._connected.wait(CONNECT_WAIT_S):
            return False
        frame = framing.encode(body, framing.SOCKET)
        with self._sock_lock:
            if self._sock is None:
                return False
            try:
                self._sock.sendall(frame)
                return True
            except OSError:
                return False

    # -- the browser's frames --------------------------------------------------------------
    def handle(self, body: bytes) -> None:
        try:
            obj = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("malformed frame from the browser: %s", exc)
            self.to_browser(error_frame(None, "parse_error", f"not valid JSON: {exc}"))
            return
        if not isinstance(obj, dict):
            log.warning("frame from the browser is not a JSON object")
            self.to_browser(error_frame(None, "invalid_request", "a message must be a JSON object"))
            return
        if not self.to_daemon(body) and obj.get("kind") == "request":
            mid = obj.get("id") if isinstance(obj.get("id"), str) else None
            self.to_browser(error_frame(mid, "unavailable", "the swarmbridge daemon is not reachable"))

    def run(self) -> int:
        threading.Thread(target=self.daemon_loop, name="daemon-side", daemon=True).start()
        try:
            while True:
                try:
                    body = framing.read_frame(self._in, framing.NATIVE)
                except framing.FramingError as exc:
                    log.error("framing from the browser lost: %s; exiting", exc)
                    return 1
                if body is None:
                    log.info("stdin closed; exiting")
                    return 0
                self.handle(body)
        except BrokenPipeError:
            log.info("the browser closed our stdout; exiting")
            return 0
        finally:
            self._stopping.set()
            with self._sock_lock:
                if self._sock is not None:
                    try:
                        self._sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass


def main(argv: list[str] | None = None) -> int:
    out = take_stdout()
    paths = user_paths().ensure()
    logfile = paths.log_dir / "host.log"
    try:  # every relay appends here; keep one old generation (a lost race only loses a rename)
        if logfile.stat().st_size > 5_000_000:
            os.replace(logfile, logfile.with_suffix(".log.1"))
    except OSError:
        pass
    logging.basicConfig(
        filename=str(logfile),
        level=logging.INFO,
        format="%(asctime)s %(process)d host %(levelname)s %(message)s",
    )
    args = sys.argv[1:] if argv is None else argv
    ext = caller_id(args)
    allowed = allowed_ids(paths)
    if ext is None or ext not in allowed:
        log.error("refused caller %r (args %r); allowed: %s", ext, args[:2], sorted(allowed))
        try:
            out.write(framing.encode(error_frame(None, "forbidden", f"extension {ext!r} may not use this host; run `swarmbridge install`"), framing.NATIVE))
        except OSError:
            pass
        return 1
    log.info("relay for %s starting", ext)
    return Relay(paths, sys.stdin.buffer, out).run()


if __name__ == "__main__":
    sys.exit(main())
