"""The router: one table of handlers, exactly one response per request, errors included."""

from __future__ import annotations

import pydantic
import pytest

from swarmbridge.protocol import envelope
from swarmbridge.rpc.router import CallContext, Router, RpcError

CTX = CallContext(conn_id="c0")


class P(pydantic.BaseModel):
    n: int


async def test_dispatch_result_and_errors():
    r = Router()

    async def ok(params, ctx):
        return {"n": P.model_validate(params).n + 1}

    async def boom(params, ctx):
        raise RuntimeError("kaput")

    async def denied(params, ctx):
        raise RpcError("denied", "no", {"why": 1})

    r.register("a.ok", ok)
    r.register("a.boom", boom)
    r.register("a.denied", denied)
    assert (await r.dispatch(envelope.request("a.ok", {"n": 1}), CTX)).result == {"n": 2}
    bad = await r.dispatch(envelope.request("a.ok", {"n": "x"}), CTX)
    assert bad.error.code == "invalid_params" and "n" in bad.error.message
    assert (await r.dispatch(envelope.request("a.boom"), CTX)).error.code == "internal_error"
    d = await r.dispatch(envelope.request("a.denied"), CTX)
    assert (d.error.code, d.error.data) == ("denied", {"why": 1})
    assert (await r.dispatch(envelope.request("nope"), CTX)).error.code == "method_not_found"


async def test_prefix_route_gets_the_full_method():
    r = Router()

    async def fwd(params, ctx):
        return params["__method__"]

    r.register_prefix("browser.", fwd)
    assert (await r.dispatch(envelope.request("browser.tabs.list"), CTX)).result == "browser.tabs.list"
    assert "browser.*" in r.methods()


def test_duplicate_registration_is_refused():
    r = Router()

    async def h(params, ctx):
        return None

    r.register("x", h)
    with pytest.raises(ValueError):
        r.register("x", h)
