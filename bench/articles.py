"""Article extraction through the bridge: every DIR/html/<id>.html.gz is served on 127.0.0.1,
loaded in headless Chromium with the real extension, and extracted with `browser.extract
{mode: "article"}` (tab mode) or `browser.fetch` (fetch mode) via the daemon, as the product does.

    python bench/articles.py ../shared/bench/articles-dev --out /tmp/preds.json [--mode tab|fetch]

Writes {id: {"articleBody": text}}; when DIR has ground-truth.json, scores it with DIR/score.py.
Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bridge_session import BridgeSession, serve_files  # noqa: E402


def load_pages(root: Path) -> dict[str, bytes]:
    return {p.name[: -len(".html.gz")]: gzip.decompress(p.read_bytes()) for p in sorted((root / "html").glob("*.html.gz"))}


async def extract_all(session: BridgeSession, base: str, ids: list[str], mode: str, workers: int) -> dict[str, dict]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in ids:
        queue.put_nowait(i)
    out: dict[str, dict] = {}
    fallbacks: list[str] = []

    async def worker(n: int) -> None:
        caller = f"articles-{n}"
        opened = False
        while True:
            try:
                pid = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            url = f"{base}/{pid}.html"
            try:
                if mode == "fetch":
                    r = await session.call("browser.fetch", {"url": url, "extract": "article"})
                else:
                    try:
                        if not opened:
                            await session.call("browser.tabs.open", {"url": url, "caller": caller, "wait": "none"})
                            opened = True
                        else:
                            await session.call("browser.navigate", {"caller": caller, "url": url, "wait": "none"})
                        r = await session.call("browser.extract", {"caller": caller, "mode": "article", "timeoutMs": 8000})
                    except Exception as exc:
                        # e.g. a page that redirects itself to https:// (not served here): read it
                        # without a tab instead, as a user's agent would.
                        print(f"{pid}: tab mode failed ({exc}); fetch mode", file=sys.stderr)
                        fallbacks.append(pid)
                        r = await session.call("browser.fetch", {"url": url, "extract": "article"})
                out[pid] = {"articleBody": r.get("text", ""), "title": r.get("title", "")}
            except Exception as exc:  # a page that fails scores zero, it does not stop the run
                print(f"{pid}: {exc}", file=sys.stderr)
                out[pid] = {"articleBody": ""}
        if opened:
            await session.call("browser.tabs.close", {"caller": caller})

    await asyncio.gather(*(worker(n) for n in range(workers)))
    return out, fallbacks


def score(root: Path, preds: dict) -> dict:
    spec = importlib.util.spec_from_file_location("articles_score", root / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    truth = json.loads((root / "ground-truth.json").read_text())
    p, r, f1 = mod.score(truth, preds)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


async def main_async(args) -> dict:
    root = Path(args.dir)
    pages = load_pages(root)
    ids = sorted(pages)[: args.limit or None]
    with serve_files({f"/{k}.html": v for k, v in pages.items()}) as base:
        async with BridgeSession() as session:
            t0 = time.perf_counter()
            preds, fallbacks = await extract_all(session, base, ids, args.mode, args.workers)
            seconds = time.perf_counter() - t0
    Path(args.out).write_text(json.dumps(preds, ensure_ascii=False, indent=1))
    result = {"pages": len(ids), "mode": args.mode, "seconds": round(seconds, 2), "pages_per_s": round(len(ids) / seconds, 2), "fetch_fallbacks": len(fallbacks)}
    if (root / "ground-truth.json").exists() and not args.limit:
        result.update(score(root, preds))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", choices=["tab", "fetch"], default="tab")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    print(json.dumps(asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
