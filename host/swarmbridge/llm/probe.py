"""What a local server says about itself: its models and how many requests it serves at once.

Short time-outs (httpx), 127.0.0.1 only. Used by ``models detect`` and to size a gate when the
config sets no ``max_concurrency``: Ollama (``/api/ps`` answers; parallelism from
``OLLAMA_NUM_PARALLEL``, default 1), llama.cpp (``/slots``: one entry per slot), vLLM
(``/metrics``: ``max_num_seqs``). Anything else: ``None`` (the caller uses its default).
"""

from __future__ import annotations

import asyncio
import os
import re
from urllib.parse import urlsplit

import httpx

#: Well-known local servers: name -> port (the OpenAI API is under /v1 on all of them).
KNOWN = {"ollama": 11434, "lmstudio": 1234, "vllm": 8000, "llamacpp": 8080}


def _root(base_url: str) -> str:
    u = urlsplit(base_url)
    return f"{u.scheme}://{u.netloc}"


async def concurrency(base_url: str, *, timeout: float = 0.5, environ: dict[str, str] | None = None) -> int | None:
    """The server's own parallel-slot count, if it tells us."""
    env = os.environ if environ is None else environ
    root = _root(base_url)
    async with httpx.AsyncClient(timeout=timeout) as client:
        try:
            r = await client.get(root + "/slots")
            if r.status_code == 200 and isinstance(r.json(), list):
                return max(1, len(r.json()))
        except (httpx.HTTPError, ValueError):
            pass
        try:
            r = await client.get(root + "/api/ps")
            if r.status_code == 200 and "models" in r.json():
                return max(1, int(env.get("OLLAMA_NUM_PARALLEL", "1") or 1))
        except (httpx.HTTPError, ValueError):
            pass
        try:
            r = await client.get(root + "/metrics")
            m = re.search(r'max_num_seqs="?(\d+)', r.text) if r.status_code == 200 else None
            if m:
                return int(m.group(1))
        except httpx.HTTPError:
            pass
    return None


async def list_models(base_url: str, *, timeout: float = 0.5) -> list[str]:
    """Model ids from ``GET {base_url}/models``; [] when nothing answers."""
    async with httpx.AsyncClient(timeout=timeout) as client:
        try:
            r = await client.get(base_url.rstrip("/") + "/models")
            if r.status_code == 200:
                return [str(m.get("id")) for m in r.json().get("data", []) if isinstance(m, dict)]
        except (httpx.HTTPError, ValueError, AttributeError):
            pass
    return []


async def detect(ports: dict[str, int] | None = None, *, host: str = "127.0.0.1", timeout: float = 0.5) -> list[dict]:
    """Which known local servers answer, with their models and slot counts."""

    async def one(kind: str, port: int) -> dict | None:
        base = f"http://{host}:{port}/v1"
        models = await list_models(base, timeout=timeout)
        if not models:
            return None
        return {"kind": kind, "base_url": base, "models": models, "max_concurrency": await concurrency(base, timeout=timeout)}

    found = await asyncio.gather(*(one(k, p) for k, p in (ports or KNOWN).items()))
    return [f for f in found if f]
