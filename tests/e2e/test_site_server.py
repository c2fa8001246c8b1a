"""The test site's /t/ pages over real HTTP on 127.0.0.1 (no browser): bad query values get a 400
with a reason, the vendored React files are served and nothing else from disk, the frames page
only frames a loopback peer, and the slow page's delay is capped."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from urllib.error import HTTPError

import pytest

from swarmbridge.demo.site import serve_site
from swarmbridge.demo.testpages import SLOW_MAX_MS, TABLE_ROWS


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_site() as url:
        yield url


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except HTTPError as err:
        with err:
            return err.code, err.headers.get("Content-Type", ""), err.read().decode()


def test_table_pages_clamp_and_reject_non_numbers(base: str) -> None:
    code, _, first = get(f"{base}/t/table")
    assert code == 200 and "C001" in first and "C011" not in first and "rel='next'" in first
    code, _, last = get(f"{base}/t/table?page=99")  # past the end: the last page, no next link
    assert code == 200 and TABLE_ROWS[-1]["code"] in last and "rel='next'" not in last
    assert get(f"{base}/t/table?page=0")[2] == first
    code, _, body = get(f"{base}/t/table?page=two")
    assert code == 400 and "integer" in body


def test_static_serves_only_the_vendored_scripts(base: str) -> None:
    code, ctype, js = get(f"{base}/t/static/react.production.min.js")
    assert code == 200 and ctype.startswith("text/javascript") and "react.production.min.js" in js
    assert get(f"{base}/t/static/react-dom.production.min.js")[0] == 200
    for bad in ("REACT-LICENSE", "..%2Ftestpages.py", "../site.py", "nope.js"):
        assert get(f"{base}/t/static/{bad}")[0] == 404, bad
    _, _, page = get(f"{base}/t/react")
    assert "/t/static/react.production.min.js" in page and "unpkg" not in page and "cdn" not in page.lower()


def test_frames_page_frames_only_a_loopback_peer(base: str) -> None:
    code, _, page = get(f"{base}/t/frames?peer=http://127.0.0.1:9")
    assert code == 200 and "src='http://127.0.0.1:9/t/inner'" in page and "src='/t/inner'" in page
    for bad in ("http://example.com", "javascript:alert(1)", "http://127.0.0.1:9/x", "http://127.0.0.1:9'><script>"):
        assert get(f"{base}/t/frames?peer={urllib.parse.quote(bad)}")[0] == 400, bad
    code, _, alone = get(f"{base}/t/frames")
    assert code == 200 and "id='cross'" not in alone


def test_slow_page_waits_and_its_delay_is_capped(base: str) -> None:
    t = time.monotonic()
    code, _, body = get(f"{base}/t/slow?ms=300")
    assert code == 200 and time.monotonic() - t >= 0.3 and "served after 300 ms" in body
    assert get(f"{base}/t/slow?ms=soon")[0] == 400
    assert SLOW_MAX_MS <= 5000  # a typo in a test cannot hang a worker for long


def test_unknown_test_page_is_404_and_needs_no_login(base: str) -> None:
    assert get(f"{base}/t/nothing-here")[0] == 404
    code, _, body = get(f"{base}/t/newtab")
    assert code == 200 and "target=\"_blank\"" in body
    assert "Sign in" in get(f"{base}/list")[2]  # the demo's own pages still need the login
