"""Keep a person's config.toml as they wrote it: change only the tables that changed.

``config.dumps`` writes a whole new file (no comments). When the page changes one setting or one
endpoint, ``patch(original, new)`` instead splices the new text's version of each *changed* table
into the original: untouched tables keep their comments, order and layout; removed tables go; new
ones are appended. The result is accepted only if it parses to exactly what ``new`` parses to;
otherwise (inline tables, dotted keys, anything this simple splitter does not understand) the
caller writes ``new`` whole. So the patch can lose formatting, never data.
"""

from __future__ import annotations

import re
import tomllib

_HEADER = re.compile(r"^\s*\[(?!\[)([^\]]+)\]\s*(#.*)?$")


def _norm(name: str) -> str:
    return ".".join(p.strip().strip('"').strip("'") for p in name.split("."))


def _blocks(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(preamble, [(table name, the comment lines just above its header, the block from its
    header to the next table's comments)]): a comment travels with the table below it."""
    pre: list[str] = []
    blocks: list[tuple[str, list[str], list[str]]] = []
    for line in text.splitlines(keepends=True):
        m = _HEADER.match(line)
        if m:
            lead: list[str] = []
            tail = blocks[-1][2] if blocks else pre
            while tail and (not tail[-1].strip() or tail[-1].lstrip().startswith("#")):
                lead.insert(0, tail.pop())
            if not blocks:  # the file's opening comment stays the file's, up to its first blank line
                while lead and lead[0].strip():
                    pre.append(lead.pop(0))
            blocks.append((_norm(m.group(1)), lead, [line]))
        elif blocks:
            blocks[-1][2].append(line)
        else:
            pre.append(line)
    return "".join(pre), [(name, "".join(lead), "".join(body)) for name, lead, body in blocks]


def _data(block: str) -> object:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError:
        return None


def _with_gap(block: str) -> str:
    return block if block.endswith("\n\n") else block.rstrip("\n") + "\n\n"


def patch(original: str, new: str) -> str | None:
    """``original`` with the tables that differ from ``new`` replaced, or None when that cannot
    be done safely (then write ``new`` as it is)."""
    try:
        want = tomllib.loads(new)
        tomllib.loads(original)
    except tomllib.TOMLDecodeError:
        return None
    pre, old_blocks = _blocks(original)
    _, new_blocks = _blocks(new)
    fresh = {name: body for name, _, body in new_blocks}
    if len(fresh) != len(new_blocks) or len({n for n, _, _ in old_blocks}) != len(old_blocks):
        return None  # a table twice: not a file this splitter understands
    out = [pre]
    for name, lead, block in old_blocks:
        if name not in fresh:
            continue  # removed, with its comment
        repl = fresh.pop(name)
        out.append(lead + (block if _data(block) == _data(repl) else _with_gap(repl)))
    if fresh:
        if out[-1] and not out[-1].endswith("\n\n"):
            out[-1] = _with_gap(out[-1])
        out.extend(_with_gap(b) for b in fresh.values())
    text = "".join(out).rstrip("\n") + "\n"
    try:
        return text if tomllib.loads(text) == want else None
    except tomllib.TOMLDecodeError:
        return None
