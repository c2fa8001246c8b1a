"""A throwaway bridge for benchmarks: a daemon in a temp SWARMBRIDGE_HOME, headless Chromium with
the real extension and a fresh profile wired to it, and a static file server on 127.0.0.1.
External network is blocked in the browser so pages render from their own HTML only."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from swarmbridge.extension_id import EXTENSION_DIR
from swarmbridge.sandbox.subproc import terminate
from swarmbridge.rpc.client import connect

CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "", shutil.which("google-chrome") or "") if p and os.path.exists(p)), None)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def charset_of(html: bytes) -> str:
    """The charset the page declares (saved pages lost their HTTP header), else UTF-8."""
    m = _META_CHARSET.search(html[:65536])
    return m.group(1).decode("ascii") if m else "utf-8"


@contextlib.contextmanager
def serve_files(files: dict[str, bytes]):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = files.get(self.path.split("?")[0])
            if body is None:  # e.g. /favicon.ico; the browser may hang up before the reply
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", f"text/html; charset={charset_of(body)}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


class BridgeSession:
    def __init__(self, extra_args: list[str] | None = None) -> None:
        self.extra = extra_args or []

    async def __aenter__(self) -> "BridgeSession":
        if not CHROMIUM:
            raise SystemExit("no Chromium found: apt-get install chromium chromium-driver")
        self.tmp = Path(tempfile.mkdtemp(prefix="sbb", dir="/tmp"))
        self.env = dict(os.environ, SWARMBRIDGE_HOME=str(self.tmp / "h"), XDG_CONFIG_HOME=str(self.tmp / "x"), XDG_CACHE_HOME=str(self.tmp / "c"))
        os.environ["SWARMBRIDGE_HOME"] = self.env["SWARMBRIDGE_HOME"]
        profile = self.tmp / "profile"
        sb = [sys.executable, "-m", "swarmbridge.cli.main"]
        subprocess.run([*sb, "install", "--browser", "chromium", "--user-data-dir", str(profile)], env=self.env, check=True, capture_output=True)
        self.daemon = subprocess.Popen([*sb, "daemon", "--quiet"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._conn_cm = None
        for _ in range(200):
            try:
                self._conn_cm = connect()
                self.conn = await self._conn_cm.__aenter__()
                break
            except Exception:
                self._conn_cm = None
                await asyncio.sleep(0.05)
        if self._conn_cm is None:
            raise RuntimeError("daemon did not start")
        # Chromium only once the daemon answers: a native host started earlier would find no daemon
        # and start its own, which would outlive this session.
        self.browser = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             f"--user-data-dir={profile}", f"--load-extension={EXTENSION_DIR}", f"--disable-extensions-except={EXTENSION_DIR}",
             *self.extra, "about:blank"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            if (await self.conn.request("bridges.list", {}))["bridges"]:
                return self
            await asyncio.sleep(0.05)
        raise RuntimeError("the extension never connected")

    async def call(self, method: str, params: dict, timeout: float = 60.0):
        return await self.conn.request(method, params, timeout=timeout)

    async def __aexit__(self, *exc) -> None:
        # The browser first (its native host would start a new daemon if this one went first),
        # then whichever daemon serves this home (the one started here, or one a native host
        # started), then the one started here if it is still there.
        terminate(self.browser, 10)
        with contextlib.suppress(Exception):
            await self.conn.request("daemon.shutdown", {}, timeout=5)
        with contextlib.suppress(Exception):
            await self._conn_cm.__aexit__(None, None, None)
        terminate(self.daemon, 10)
        shutil.rmtree(self.tmp, ignore_errors=True)

