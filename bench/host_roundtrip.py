"""Host-side round trip: client -> daemon -> relay -> (fake extension answering at once) -> back.

This is the part of bench/bridge.py's no-op round trip that the host owns (no browser), so its
overhead can be tracked on its own. Private SWARMBRIDGE_HOME, own daemon and relay, both stopped.
Usage: python bench/host_roundtrip.py [N]. Last stdout line: one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time


def fake_extension(relay: subprocess.Popen) -> None:
    """Answer every request from the daemon with {"pong": true}."""
    out, inp = relay.stdout, relay.stdin
    while True:
        head = out.read(4)
        if len(head) < 4:
            return
        msg = json.loads(out.read(struct.unpack("=I", head)[0]))
        if msg.get("kind") == "request":
            body = json.dumps({"v": 1, "id": msg["id"], "kind": "response", "result": {"pong": True}}).encode()
            inp.write(struct.pack("=I", len(body)) + body)
            inp.flush()


async def measure(n: int) -> list[float]:
    from swarmbridge.rpc.client import connect

    async with connect() as conn:
        for _ in range(100):
            await conn.request("browser.ping", {})
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            await conn.request("browser.ping", {})
            samples.append((time.perf_counter() - t0) * 1000)
    return sorted(samples)


def main(n: int = 1000) -> dict:
    home = tempfile.mkdtemp(prefix="sbrt-", dir="/tmp")
    os.environ["SWARMBRIDGE_HOME"] = home
    from swarmbridge.extension_id import extension_id
    from swarmbridge.rpc.client import call

    daemon = subprocess.Popen([sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"], stderr=subprocess.DEVNULL)
    sock = os.path.join(home, "run", "daemon.sock")
    end = time.monotonic() + 10
    while not os.path.exists(sock) and time.monotonic() < end:  # else the relay starts a daemon of its own
        time.sleep(0.02)
    relay = subprocess.Popen([sys.executable, "-m", "swarmbridge.nativehost", f"chrome-extension://{extension_id()}/"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        hello = json.dumps({"v": 1, "id": "h1", "kind": "request", "method": "bridge.hello", "params": {"browser": "bench"}}).encode()
        relay.stdin.write(struct.pack("=I", len(hello)) + hello)
        relay.stdin.flush()
        threading.Thread(target=fake_extension, args=(relay,), daemon=True).start()
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                if call("bridges.list", {}, timeout=2)["bridges"]:
                    break
            except Exception:  # noqa: BLE001 - the daemon is still starting
                pass
            time.sleep(0.05)
        s = asyncio.run(measure(n))
        return {"host_roundtrip_p50_ms": round(s[len(s) // 2], 3), "host_roundtrip_p99_ms": round(s[int(len(s) * 0.99)], 3), "calls": n}
    finally:
        relay.stdin.close()
        relay.wait(5)
        relay.stdout.close()
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)))
