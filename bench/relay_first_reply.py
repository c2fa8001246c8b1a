"""Time from starting ``swarmbridge-host`` (as a browser does) to its reply to the first message
(``bridge.hello``), with the daemon already running. Target (issue 2): <= 150 ms.

Runs in a private SWARMBRIDGE_HOME, starts its own daemon, stops it at the end.
Usage: python bench/relay_first_reply.py [N]. Last stdout line: one JSON object.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def main(n: int = 20) -> dict:
    home = tempfile.mkdtemp(prefix="sbbench-", dir="/tmp")
    env = {**os.environ, "SWARMBRIDGE_HOME": home}
    from swarmbridge.extension_id import extension_id

    origin = f"chrome-extension://{extension_id()}/"
    daemon = subprocess.Popen([sys.executable, "-m", "swarmbridge.cli.main", "daemon", "--quiet"], env=env, stderr=subprocess.DEVNULL)
    try:
        sock = os.path.join(home, "run", "daemon.sock")
        end = time.monotonic() + 10
        while not os.path.exists(sock) and time.monotonic() < end:
            time.sleep(0.02)
        hello = json.dumps({"v": 1, "id": "h1", "kind": "request", "method": "bridge.hello", "params": {"browser": "bench"}}).encode()
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            relay = subprocess.Popen([sys.executable, "-m", "swarmbridge.nativehost", origin], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            relay.stdin.write(struct.pack("=I", len(hello)) + hello)
            relay.stdin.flush()
            (size,) = struct.unpack("=I", relay.stdout.read(4))
            reply = json.loads(relay.stdout.read(size))
            samples.append((time.perf_counter() - t0) * 1000)
            assert "result" in reply, reply
            relay.stdin.close()
            relay.wait(5)
            relay.stdout.close()
        samples.sort()
        return {
            "relay_first_reply_p50_ms": round(statistics.median(samples), 1),
            "relay_first_reply_max_ms": round(samples[-1], 1),
            "samples": n,
        }
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)))
