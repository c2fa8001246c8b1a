"""The test site's harder pages, under /t/ on the same server as the demo site (no login needed, so a
test can reach them in any order): a paginated table, a form built with the real React production
build (vendored UMD files in demo/static, no CDN), same-origin and cross-origin iframes, open shadow
DOM, a slow page the server delays, a page whose image stalls its load, a page an anti-flicker snippet keeps transparent, and a link that opens a
new tab.

Cross-origin means another port: the frames page takes `peer=http://127.0.0.1:PORT` (a second
`serve_site`) and refuses anything but a loopback http origin, so the page can never be turned into
a frame onto somewhere else."""

from __future__ import annotations

import html
import re
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

STATIC = Path(__file__).with_name("static")
TABLE_ROWS = [{"code": f"C{i:03d}", "city": f"City {i}", "population": str(1000 + i * 17)} for i in range(1, 26)]
TABLE_PAGE = 10
SLOW_MAX_MS = 5000
_PEER = re.compile(r"^http://127\.0\.0\.1:\d{1,5}$")

Send = Callable[..., None]


def table_page(page: int) -> str:
    """One page of the city table; a rel=next link while pages remain (the last page has none)."""
    pages = (len(TABLE_ROWS) + TABLE_PAGE - 1) // TABLE_PAGE
    page = min(max(1, page), pages)
    rows = TABLE_ROWS[(page - 1) * TABLE_PAGE: page * TABLE_PAGE]
    body = "".join(f"<tr><td class='code'>{r['code']}</td><td class='city'>{r['city']}</td><td class='pop'>{r['population']}</td></tr>" for r in rows)
    nxt = f"<a class='next' rel='next' href='/t/table?page={page + 1}'>Next page</a>" if page < pages else ""
    return (f"<!doctype html><html><head><title>Cities, page {page} of {pages}</title></head><body><h1>Cities</h1>"
            f"<table id='cities'><caption>Page {page} of {pages}</caption><thead><tr><th>Code</th><th>City</th><th>Population</th></tr></thead>"
            f"<tbody>{body}</tbody></table><nav>{nxt}</nav></body></html>")


REACT = """<!doctype html><html lang="en"><head><title>React form</title>
<script src="/t/static/react.production.min.js"></script>
<script src="/t/static/react-dom.production.min.js"></script></head>
<body><h1>React form</h1><div id="root"></div><script>
const h = React.createElement;
function App() {
  const [s, set] = React.useState({name: "", plan: "basic", size: "m", agree: false, when: "", note: ""});
  const up = (k) => (e) => { const t = e.target; set((o) => ({...o, [k]: t.type === "checkbox" ? t.checked : t.value})); };
  return h("form", {id: "f", onSubmit: (e) => e.preventDefault()},
    h("label", null, "Name ", h("input", {id: "name", value: s.name, onChange: up("name")})),
    h("label", null, "Plan ", h("select", {id: "plan", value: s.plan, onChange: up("plan")},
      h("option", {value: "basic"}, "Basic"), h("option", {value: "pro"}, "Pro"), h("option", {value: "team"}, "Team"))),
    h("fieldset", null, h("legend", null, "Size"),
      ["s", "m", "l"].map((v) => h("label", {key: v}, h("input", {type: "radio", name: "size", id: "size-" + v, value: v, checked: s.size === v, onChange: up("size")}), v.toUpperCase()))),
    h("label", null, h("input", {id: "agree", type: "checkbox", checked: s.agree, onChange: up("agree")}), " I agree"),
    h("label", null, "Date ", h("input", {id: "when", type: "date", value: s.when, onChange: up("when")})),
    h("div", {id: "note", contentEditable: true, suppressContentEditableWarning: true, role: "textbox", "aria-label": "Note",
      onInput: (e) => { const v = e.currentTarget.textContent; set((o) => ({...o, note: v})); }}),
    h("pre", {id: "state"}, JSON.stringify(s)));
}
ReactDOM.createRoot(document.getElementById("root")).render(h(App));
</script></body></html>"""

INNER = """<!doctype html><html><head><title>Inner frame</title></head><body>
<h2>Inside the frame</h2><label>Frame input <input id="inner-input"></label>
<button id="inner-button" onclick="document.getElementById('inner-out').textContent='clicked ' + location.port">Frame button</button>
<p id="inner-out">not clicked</p></body></html>"""

SHADOW = """<!doctype html><html><head><title>Shadow DOM</title></head><body><h1>Shadow DOM</h1>
<sb-card id="host"></sb-card><p id="shadow-out">nothing yet</p><script>
class Card extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({mode: "open"});
    root.innerHTML = '<h2>Card inside a shadow root</h2><ul><li class="row">Alpha</li><li class="row">Beta</li></ul>' +
      '<label>Shadow input <input id="shadow-input"></label><button id="shadow-button">Shadow button</button>';
    root.getElementById("shadow-button").addEventListener("click", () => {
      document.getElementById("shadow-out").textContent = "clicked with " + root.getElementById("shadow-input").value;
    });
  }
}
customElements.define("sb-card", Card);
</script></body></html>"""

NEWTAB = """<!doctype html><html><head><title>Opener</title></head><body><h1>Opener</h1>
<a id="open-new" href="/t/opened" target="_blank">Open the report in a new tab</a></body></html>"""

OPENED = """<!doctype html><html><head><title>Opened report</title></head><body><h1>Opened report</h1>
<p id="report">Quarterly numbers are in.</p></body></html>"""


STALLED = """<!doctype html><html><head><title>Stalled image</title></head><body><h1>Stalled image</h1>
<p id="ready">The text is here long before the picture.</p><img alt="chart" src="/t/slow?ms=3500&img=1"></body></html>"""


ANTIFLICKER = """<!doctype html><html class="async-hide"><head><title>Anti-flicker</title>
<style>.async-hide { opacity: 0 !important } .ghost { opacity: 0 }</style></head><body><h1>Anti-flicker</h1>
<p>An experiment script that never loads keeps this page transparent for a while.</p>
<button id="buy">Buy now</button><button class="ghost" id="ghost">Invisible button</button></body></html>"""


def frames_page(peer: str | None) -> str:
    """The top document with a same-origin frame and, given a loopback peer, a cross-origin one."""
    cross = f"<iframe id='cross' src='{html.escape(peer)}/t/inner' width='400' height='200'></iframe>" if peer else ""
    return ("<!doctype html><html><head><title>Frames</title></head><body><h1>Frames</h1>"
            "<button id='top-button'>Top button</button>"
            f"<iframe id='same' src='/t/inner' width='400' height='200'></iframe>{cross}</body></html>")


def handle(path: str, query: str, send: Send) -> None:
    """Serve one /t/ page through the site handler's `send(code, body, ctype=..., raw=...)`."""
    q = urllib.parse.parse_qs(query)
    first = lambda k, d="": (q.get(k) or [d])[0]  # noqa: E731
    if path == "/t/table":
        try:
            page = int(first("page", "1"))
        except ValueError:
            return send(400, "<h1>page must be an integer</h1>")
        return send(200, table_page(page))
    if path == "/t/react":
        return send(200, REACT)
    if path.startswith("/t/static/"):
        name = path.rsplit("/", 1)[1]
        f = STATIC / name
        if not name.endswith(".js") or not f.is_file():
            return send(404, "<h1>Not found</h1>")
        return send(200, f.read_text(encoding="utf-8"), "text/javascript; charset=utf-8")
    if path == "/t/frames":
        peer = first("peer") or None
        if peer and not _PEER.match(peer):
            return send(400, "<h1>peer must be http://127.0.0.1:PORT</h1>")
        return send(200, frames_page(peer))
    if path == "/t/inner":
        return send(200, INNER)
    if path == "/t/shadow":
        return send(200, SHADOW)
    if path == "/t/slow":
        try:
            ms = min(SLOW_MAX_MS, max(0, int(first("ms", "1500"))))
        except ValueError:
            return send(400, "<h1>ms must be an integer</h1>")
        time.sleep(ms / 1000)
        return send(200, f"<!doctype html><html><head><title>Slow page</title></head><body><h1>Slow page</h1><p id='slow'>served after {ms} ms</p></body></html>")
    if path == "/t/stalled":
        return send(200, STALLED)
    if path == "/t/antiflicker":
        return send(200, ANTIFLICKER)
    if path == "/t/newtab":
        return send(200, NEWTAB)
    if path == "/t/opened":
        return send(200, OPENED)
    send(404, "<h1>Not found</h1>")
