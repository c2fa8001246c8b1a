"""Registry: roles -> one shared gate per endpoint+model, a pool for base_urls, limits applied."""

from __future__ import annotations

import pytest

from swarmbridge.config import Config, ConfigError
from swarmbridge.llm.gate import Gate
from swarmbridge.llm.pool import Pool
from swarmbridge.llm.registry import Registry
from swarmbridge.testing import ScriptedServer

MSG = [{"role": "system", "content": "ROLE: writer"}, {"role": "user", "content": "notes"}]


async def test_roles_share_gates_and_pool_is_built(tmp_path) -> None:
    async with ScriptedServer() as a, ScriptedServer() as b:
        cfg = Config.model_validate({
            "endpoints": {"one": {"base_url": a, "model": "scripted", "max_concurrency": 3, "rpm": 600},
                          "many": {"base_urls": [a, b], "model": "scripted"}},
            "roles": {"worker": "one", "verifier": "one", "writer": "many"},
        })
        reg = Registry(cfg, tmp_path)
        w, v, wr = await reg.for_role("worker"), await reg.for_role("verifier"), await reg.for_role("writer")
        assert w is v and isinstance(w, Gate) and w.max_limit == 3 and w.requests.capacity == 600
        assert isinstance(wr, Pool) and len(wr.members) == 2 and all(m.model.max_attempts == 1 for m in wr.members)
        assert (await wr.complete(MSG)).content.startswith("# Report")
        assert (await reg.for_role("planner")) is w  # unassigned role: the first endpoint
        with pytest.raises(ConfigError, match="no endpoint named 'ghost'"):
            await reg.endpoint("ghost")
        await reg.aclose()


async def test_no_endpoint_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="swarmbridge models add"):
        await Registry(Config(), tmp_path).for_role("worker")
