"""Classify the fields of every *.html page under DIR through the bridge (served on 127.0.0.1,
loaded in headless Chromium with the real extension, `browser.autofill.classify`).

    python bench/autofill.py tests/fixtures/forms --out /tmp/autofill.json

Writes {path relative to DIR: [{"id", "name", "type"}, ...]} with every form control in document
order, types named as HTML autocomplete tokens ("off" for fields autofill should leave alone).
Where pages carry the expected type in data-expect, prints per-field accuracy and the misses.
Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import html.parser
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bridge_session import BridgeSession, serve_files  # noqa: E402

SKIP = {"hidden", "submit", "button", "image", "reset", "file"}


class Expected(html.parser.HTMLParser):
    """The data-expect labels of every form control, in document order (None when unlabelled)."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("select", "textarea") or (tag == "input" and (a.get("type") or "text").lower() not in SKIP):
            self.labels.append(a.get("data-expect"))


async def classify(session: BridgeSession, base: str, pages: list[str]) -> dict[str, list[dict]]:
    out = {}
    caller = "autofill-bench"
    await session.call("browser.tabs.open", {"url": f"{base}/{pages[0]}", "caller": caller})
    for rel in pages:
        await session.call("browser.navigate", {"caller": caller, "url": f"{base}/{rel}", "wait": "load"})
        got = await session.call("browser.autofill.classify", {"caller": caller})
        out[rel] = [{"id": f["id"], "name": f["name"], "type": f["type"]} for f in got["fields"]]
    await session.call("browser.tabs.close", {"caller": caller})
    return out


async def main_async(args) -> dict:
    root = Path(args.dir)
    files = sorted(p for p in root.rglob("*.html"))
    rels = [p.relative_to(root).as_posix() for p in files]
    with serve_files({f"/{r}": p.read_bytes() for r, p in zip(rels, files)}) as base:
        async with BridgeSession() as session:
            t0 = time.perf_counter()
            result = await classify(session, base, rels)
            seconds = time.perf_counter() - t0
    Path(args.out).write_text(json.dumps(result, indent=1))
    total = correct = 0
    misses = []
    for rel, p in zip(rels, files):
        parser = Expected()
        parser.feed(p.read_text(encoding="utf-8"))
        for i, (want, got) in enumerate(zip(parser.labels, result[rel])):
            if want is None:
                continue
            total += 1
            if want == got["type"]:
                correct += 1
            else:
                misses.append(f"{rel} #{i} {got['name'] or got['id']}: expected {want}, got {got['type']}")
    for m in misses:
        print("miss:", m, file=sys.stderr)
    summary = {"pages": len(rels), "fields": sum(len(v) for v in result.values()), "seconds": round(seconds, 2)}
    if total:
        summary.update({"labelled": total, "correct": correct, "accuracy": round(correct / total, 4)})
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--out", required=True)
    print(json.dumps(asyncio.run(main_async(ap.parse_args()))))


if __name__ == "__main__":
    main()
