"""Classify the fields of every *.html page under DIR through the bridge (served on 127.0.0.1,
loaded in headless Chromium with the real extension, `browser.autofill.classify`).

    python bench/autofill.py tests/fixtures/forms --out /tmp/autofill.json

Writes {path relative to DIR: [{"id", "name", "type"}, ...]} with every form control in document
order, types named as HTML autocomplete tokens ("off" for fields autofill should leave alone).
Where pages carry the expected type in data-expect, prints per-field accuracy and the misses; a
control in the source that the classifier did not return (one in a shadow root it did not read)
counts as a miss.
Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import html.parser
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bridge_session import BridgeSession, serve_files  # noqa: E402

SKIP = {"hidden", "submit", "button", "image", "reset", "file"}


class Expected(html.parser.HTMLParser):
    """Every form control in source order (declarative shadow roots included, where they stand in
    the source): its id, name and data-expect label (None when unlabelled)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str | None, str | None, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("select", "textarea") or (tag == "input" and (a.get("type") or "text").lower() not in SKIP):
            self.controls.append((a.get("id") or None, a.get("name"), a.get("data-expect")))


def pair(expected: list[tuple], got: list[dict]) -> list[tuple[int, tuple, dict | None]]:
    """Each expected control with the classified field that is the same control (None when the
    classifier did not see it): in order when the counts agree, else by the longest common run of
    (id, name), so one missed control costs one field and does not shift every later one."""
    if len(expected) == len(got):
        return [(i, e, g) for i, (e, g) in enumerate(zip(expected, got))]
    keys = [f"{g['id']}|{g['name']}" for g in got]
    match = difflib.SequenceMatcher(None, [f"{e[0]}|{e[1]}" for e in expected], keys, autojunk=False)
    seen: dict[int, dict] = {}
    for block in match.get_matching_blocks():
        for k in range(block.size):
            seen[block.a + k] = got[block.b + k]
    return [(i, e, seen.get(i)) for i, e in enumerate(expected)]


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
        if len(parser.controls) != len(result[rel]):
            print(f"{rel}: {len(parser.controls)} controls in the source, {len(result[rel])} classified", file=sys.stderr)
        for i, (cid, name, want), got in pair(parser.controls, result[rel]):
            if want is None:
                continue
            total += 1
            if got is not None and want == got["type"]:
                correct += 1
            else:
                misses.append(f"{rel} #{i} {name or cid}: expected {want}, got {got['type'] if got else 'nothing (not classified)'}")
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
