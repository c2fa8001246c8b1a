"""A shop for autofill tests: serves a folder of forms on 127.0.0.1 and records every POSTed form."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def serve_shop(directory: Path) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Yields (base URL, orders); each order is one POST's form fields."""
    orders: list[dict[str, str]] = []

    class Shop(http.server.SimpleHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            orders.append({k: v[0] for k, v in urllib.parse.parse_qs(body).items()})
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<h1>Thank you</h1>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Shop, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", orders
    finally:
        server.shutdown()
        server.server_close()
