"""The demo/test site, served on 127.0.0.1 by the stdlib: a login that sets a session cookie, pages
behind it that redirect to /login without it, an infinite list loaded by fetch on scroll, and a
news article with nav/share/related boilerplate, and a checkout form (autofill) that records orders. Tests and the demo use the same pages."""

from __future__ import annotations

import html
import http.server
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from swarmbridge.demo import testpages

USER, PASSWORD = "demo", "swarm"
ITEMS = [{"id": i, "name": f"Item {i:03d}", "price": f"{(i * 37) % 500 / 10 + 1:.2f}"} for i in range(1, 121)]
PAGE_SIZE = 20

LOGIN = """<!doctype html><html><head><title>Sign in</title></head><body><main>
<h1>Sign in</h1><form method="post" action="/login">
<label>User <input id="user" name="user" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="signin" type="submit">Sign in</button></form></main></body></html>"""

LIST = """<!doctype html><html><head><title>Catalogue</title><style>.item{height:60px}</style></head>
<body><h1>Catalogue</h1><ul id="items"></ul><p id="status">loading</p><script>
let offset = 0, busy = false, done = false;
async function more() {
  if (busy || done) return; busy = true;
  const r = await fetch('/api/items?offset=' + offset); const page = await r.json();
  for (const it of page.items) {
    const li = document.createElement('li'); li.className = 'item';
    li.innerHTML = '<span class="name"></span> <span class="price"></span>';
    li.querySelector('.name').textContent = it.name; li.querySelector('.price').textContent = it.price;
    document.getElementById('items').appendChild(li);
  }
  offset += page.items.length; done = !page.more; busy = false;
  document.getElementById('status').textContent = done ? 'all loaded' : 'scroll for more';
}
addEventListener('scroll', () => { if (innerHeight + scrollY >= document.body.scrollHeight - 200) more(); });
more();
</script></body></html>"""

ARTICLE = """<!doctype html><html lang="en"><head><title>Harbour town votes to keep its ferry</title></head><body>
<nav><a href="/">Home</a> <a href="/list">Catalogue</a> <a href="/world">World</a></nav>
<div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
<article><h1>Harbour town votes to keep its ferry</h1><p class="byline">By Ada Brooks</p>
<time datetime="2026-11-20">20 November 2026</time>
<p>Residents of the small harbour town voted on Thursday to keep the century-old ferry running,
rejecting a plan to replace it with a bus link over the new bridge.</p>
<p>The council said the ferry carries about 400 passengers a day in summer and that its repair
costs would be shared with the regional transport authority over the next ten years.</p>
<h2>What happens next</h2>
<p>Engineers will inspect the hull in January. If the inspection passes, the service resumes its
full timetable in March, with an extra evening crossing on Fridays.</p></article>
<aside class="related"><h3>Related</h3><ul><li><a href="#">Bridge opens to traffic</a></li>
<li><a href="#">Bus fares to rise</a></li></ul></aside><footer>© Demo News</footer></body></html>"""


CHECKOUT = """<!doctype html><html lang="en"><head><title>Checkout</title></head><body><main>
<h1>Checkout</h1><form id="checkout" method="post" action="/checkout">
<fieldset><legend>Shipping address</legend>
<label>First name <input id="first" name="first_name" autocomplete="given-name" required></label>
<label>Last name <input id="last" name="last_name" required></label>
<label>Email <input id="email" name="email" type="email" required></label>
<label>Phone <input id="phone" name="phone" type="tel"></label>
<label>Street address <input id="street" name="street" required></label>
<label>City <input id="city" name="city" required></label>
<label>ZIP / Postcode <input id="zip" name="zip" required></label>
<label>Country <select id="country" name="country"><option value="">Choose…</option>
<option value="DE">Germany</option><option value="FR">France</option><option value="GB">United Kingdom</option>
<option value="US">United States</option></select></label></fieldset>
<fieldset><legend>Payment</legend>
<label>Card number <input id="card" name="card" autocomplete="cc-number" inputmode="numeric"></label>
<label>Promo code <input id="promo" name="promo"></label></fieldset>
<button id="place-order" type="submit">Place order</button></form></main></body></html>"""


class SiteState:
    """Live sessions; one per server so tests do not share logins."""

    def __init__(self) -> None:
        self.sessions: set[str] = set()
        self.orders: list[dict[str, str]] = []
        self.lock = threading.Lock()


def _handler(state: SiteState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet: tests and demo print their own lines
            pass

        def _send(self, code: int, body: str, ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _logged_in(self) -> bool:
            for part in self.headers.get("Cookie", "").split(";"):
                name, _, value = part.strip().partition("=")
                if name == "sb_session":
                    with state.lock:
                        return value in state.sessions
            return False

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/login":
                return self._send(200, LOGIN)
            if url.path.startswith("/t/"):  # the test site's public pages (demo/testpages.py)
                return testpages.handle(url.path, url.query, self._send)
            if not self._logged_in():
                if url.path.startswith("/api/"):
                    return self._send(401, '{"error":"login required"}', "application/json")
                return self._send(302, "", headers={"Location": "/login"})
            if url.path in ("/", "/list"):
                return self._send(200, LIST)
            if url.path == "/article":
                return self._send(200, ARTICLE)
            if url.path == "/checkout":
                return self._send(200, CHECKOUT)
            if url.path == "/thanks":
                with state.lock:
                    order = state.orders[-1] if state.orders else {}
                return self._send(200, f"<h1>Thank you</h1><p id='order'>Order {len(state.orders)} for {html.escape(order.get('first_name', ''))}"
                                       f" ships to {html.escape(order.get('city', ''))}, {html.escape(order.get('country', ''))}</p>")
            if url.path == "/api/items":
                import json

                q = urllib.parse.parse_qs(url.query)
                try:
                    offset = max(0, int(q.get("offset", ["0"])[0]))
                except ValueError:
                    return self._send(400, '{"error":"offset must be an integer"}', "application/json")
                page = ITEMS[offset:offset + PAGE_SIZE]
                return self._send(200, json.dumps({"items": page, "more": offset + PAGE_SIZE < len(ITEMS)}), "application/json")
            self._send(404, "<h1>Not found</h1>")

        def do_POST(self) -> None:  # noqa: N802
            path = urllib.parse.urlsplit(self.path).path
            if path not in ("/login", "/checkout"):
                return self._send(404, "<h1>Not found</h1>")
            length = min(int(self.headers.get("Content-Length") or 0), 4096)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
            if path == "/checkout":
                if not self._logged_in():
                    return self._send(302, "", headers={"Location": "/login"})
                with state.lock:
                    state.orders.append({k: v[0] for k, v in form.items()})
                return self._send(303, "", headers={"Location": "/thanks"})
            if form.get("user") == [USER] and form.get("password") == [PASSWORD]:
                token = secrets.token_hex(16)
                with state.lock:
                    state.sessions.add(token)
                return self._send(303, "", headers={"Location": "/list", "Set-Cookie": f"sb_session={token}; Path=/; HttpOnly; SameSite=Lax"})
            self._send(401, LOGIN.replace("<h1>Sign in</h1>", "<h1>Sign in</h1><p id='error'>Wrong user or password</p>"))

    return Handler


@contextmanager
def serve_site(port: int = 0) -> Iterator[str]:
    """Serve the site on 127.0.0.1 (a free port by default); yields the base URL."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(SiteState()))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()
