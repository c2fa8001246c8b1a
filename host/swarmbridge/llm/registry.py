"""Models per swarm role, built from the user's config: endpoint -> (pool of) gated adapters.

``build(cfg, role)`` returns a ``Model``: an ``OpenAIModel`` per base URL, each behind its own
``Gate`` (concurrency from config, else from the server's probe, else 4; rpm/tpm), and a ``Pool``
when the endpoint lists several URLs (member gates then make one attempt each: the pool retries).
Models are cached per endpoint+model so every role using an endpoint shares one gate.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..config import Config, ConfigError, Endpoint, api_key
from . import probe
from .gate import Gate
from .interface import Model
from .openai_model import OpenAIModel, PROBE_TOOL, probe_tool_mode
from .pool import Pool
from .toolmode import ProbeCache

DEFAULT_CONCURRENCY = 4


class Registry:
    def __init__(self, cfg: Config, data_dir: Path | None = None) -> None:
        self.cfg = cfg
        self.cache = ProbeCache(data_dir / "llm_probes.json" if data_dir else None)
        self._models: dict[tuple[str, str], Model] = {}
        self._adapters: list[OpenAIModel] = []

    async def for_role(self, role: str) -> Model:
        found = self.cfg.role(role)
        if found is None:
            raise ConfigError(f"no model endpoint is configured for role {role!r}; add one with `swarmbridge models add NAME --base-url URL --model MODEL`")
        name, ep, model = found
        return await self.endpoint(name, model)

    async def endpoint(self, name: str, model: str | None = None) -> Model:
        ep = self.cfg.endpoints.get(name)
        if ep is None:
            raise ConfigError(f"no endpoint named {name!r}; configured: {sorted(self.cfg.endpoints)}")
        model = model or ep.model
        key = (name, model)
        if key not in self._models:
            self._models[key] = await self._build(name, ep, model)
        return self._models[key]

    async def _build(self, name: str, ep: Endpoint, model: str) -> Model:
        urls = ep.urls()
        gates = []
        for url in urls:
            adapter = OpenAIModel(url, model, api_key=api_key(ep), tool_mode=ep.tool_mode, timeout=ep.timeout, probe_cache=self.cache, name=f"{name}:{model}@{url}", stream=ep.stream, prices=ep.prices())
            self._adapters.append(adapter)
            limit = ep.max_concurrency or await probe.concurrency(url) or DEFAULT_CONCURRENCY
            gates.append(Gate(adapter, max_concurrency=limit, rpm=ep.rpm, tpm=ep.tpm, max_attempts=1 if len(urls) > 1 else 6))
        return gates[0] if len(gates) == 1 else Pool(gates, name=f"{name}:{model}")

    async def aclose(self) -> None:
        for a in self._adapters:
            await a.aclose()


async def check_endpoint(ep: Endpoint, model: str | None = None, key: str | None = None) -> dict:
    """One real completion and a tool-call probe: latency and the tool mode that works. ``key``:
    a key not saved yet (the options page tests what was typed); else the endpoint's own."""
    adapter = OpenAIModel(ep.urls()[0], model or ep.model, api_key=key or api_key(ep), tool_mode="native", timeout=min(ep.timeout, 60))
    try:
        t0 = time.monotonic()
        c = await adapter.complete([{"role": "user", "content": "Reply with the single word: ok"}], max_tokens=16)
        latency = time.monotonic() - t0
        mode = await probe_tool_mode(adapter)
        return {"ok": True, "latency_s": round(latency, 3), "reply": (c.content or "")[:80], "tokens": c.usage.total, "tool_mode": mode, "probe_tool": PROBE_TOOL.name}
    finally:
        await adapter.aclose()


__all__ = ["Registry", "check_endpoint"]
