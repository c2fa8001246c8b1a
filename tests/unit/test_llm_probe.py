"""Slot-count probes against tiny real HTTP servers that answer like llama.cpp, Ollama, vLLM."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

from swarmbridge.llm import probe


@contextlib.asynccontextmanager
async def _server(routes: dict[str, tuple[int, str]]):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        line = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        path = line.decode().split(" ")[1]
        status, body = routes.get(path, (404, "{}"))
        writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n{body}".encode())
        await writer.drain()
        writer.close()

    srv = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{srv.sockets[0].getsockname()[1]}/v1"
    finally:
        srv.close()
        await srv.wait_closed()


@pytest.mark.parametrize(
    ("routes", "env", "expected"),
    [
        ({"/slots": (200, json.dumps([{"id": 0}, {"id": 1}, {"id": 2}]))}, {}, 3),
        ({"/api/ps": (200, '{"models": []}')}, {}, 1),
        ({"/api/ps": (200, '{"models": []}')}, {"OLLAMA_NUM_PARALLEL": "4"}, 4),
        ({"/metrics": (200, 'vllm:cache_config_info{block_size="16",max_num_seqs="256"} 1.0\n')}, {}, 256),
        ({}, {}, None),
    ],
)
async def test_concurrency_probe(routes, env, expected) -> None:
    async with _server(routes) as url:
        assert await probe.concurrency(url, environ=env) == expected


async def test_list_models_and_nothing_listening() -> None:
    async with _server({"/v1/models": (200, '{"data": [{"id": "a"}, {"id": "b"}]}')}) as url:
        assert await probe.list_models(url) == ["a", "b"]
    assert await probe.list_models("http://127.0.0.1:9/v1", timeout=0.2) == []
