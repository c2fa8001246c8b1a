"""Bridge speed beside Selenium in the same kind of browser (same launcher flags).

- no-op round trip: browser.ping through the daemon (client -> daemon -> native host -> extension
  and back), p50/p99 over N calls, beside Selenium execute_script("return 1");
- extraction throughput on articles-dev pages: tab mode (navigate + extract article) and fetch mode
  (browser.fetch extract=article), beside Selenium get + execute_script. NOTE: the Selenium side
  reads document.body.innerText, a lighter job than our article extractor (not injected there).

    python bench/bridge.py [--calls 1000] [--pages 40]
Last stdout line: one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bridge_session import BridgeSession, serve_files  # noqa: E402
from articles import load_pages  # noqa: E402

from swarmbridge.browser.launch import browser_env, chromium_args, find_browser  # noqa: E402

ARTICLES = Path("/work/shared/bench/articles-dev")


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))] * 1000, 3)


async def bridge_side(calls: int, base: str, ids: list[str]) -> dict:
    async with BridgeSession() as s:
        for _ in range(20):
            await s.call("browser.ping", {})
        lat = []
        for _ in range(calls):
            t = time.perf_counter()
            await s.call("browser.ping", {})
            lat.append(time.perf_counter() - t)
        t = time.perf_counter()
        await s.call("browser.tabs.open", {"url": f"{base}/{ids[0]}.html", "caller": "bench", "wait": "none"})
        tab_errors = 0
        for pid in ids:
            try:  # a page that redirects itself to https:// (not served here) fails in tab mode
                await s.call("browser.navigate", {"caller": "bench", "url": f"{base}/{pid}.html", "wait": "none"})
                await s.call("browser.extract", {"caller": "bench", "mode": "article", "timeoutMs": 8000})
            except Exception as exc:
                tab_errors += 1
                print(f"{pid}: tab mode: {exc}", file=sys.stderr)
        tab_rate = len(ids) / (time.perf_counter() - t)
        await s.call("browser.tabs.close", {"caller": "bench"})
        t = time.perf_counter()
        for pid in ids:
            await s.call("browser.fetch", {"url": f"{base}/{pid}.html", "extract": "article"})
        fetch_rate = len(ids) / (time.perf_counter() - t)
    return {"roundtrip_p50_ms": pct(lat, 0.5), "roundtrip_p99_ms": pct(lat, 0.99),
            "tab_pages_per_s": round(tab_rate, 2), "fetch_pages_per_s": round(fetch_rate, 2), "tab_errors": tab_errors}


def selenium_side(calls: int, base: str, ids: list[str]) -> dict:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="sbsel", dir="/tmp") as tmp:
        opts = webdriver.ChromeOptions()
        opts.binary_location = find_browser()
        for a in chromium_args(Path(tmp) / "profile", headless=True, block_network=True):
            opts.add_argument(a)
        drv = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver", env=browser_env(Path(tmp))))
        try:
            lat = []
            for _ in range(calls):
                t = time.perf_counter()
                drv.execute_script("return 1")
                lat.append(time.perf_counter() - t)
            t = time.perf_counter()
            for pid in ids:
                drv.get(f"{base}/{pid}.html")
                drv.execute_script("return document.body ? document.body.innerText : ''")
            rate = len(ids) / (time.perf_counter() - t)
        finally:
            drv.quit()
    return {"selenium_roundtrip_p50_ms": pct(lat, 0.5), "selenium_pages_per_s": round(rate, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--pages", type=int, default=40)
    args = ap.parse_args()
    pages = load_pages(ARTICLES)
    ids = sorted(pages)[: args.pages]
    with serve_files({f"/{k}.html": v for k, v in pages.items()}) as base:
        out = asyncio.run(bridge_side(args.calls, base, ids))
        out.update(selenium_side(args.calls, base, ids))
    out.update(calls=args.calls, pages=len(ids))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
