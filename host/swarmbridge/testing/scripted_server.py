"""A real OpenAI-compatible HTTP server on 127.0.0.1 whose replies follow a script or rules.

There is no language model on a test machine; the swarm and the model adapter are tested against
this server through the real ``openai`` client, so the HTTP, SSE, error and retry paths are real.
It serves ``GET /v1/models`` and ``POST /v1/chat/completions`` (tools, ``stream: true`` SSE), on
plain asyncio streams (HTTP/1.1 keep-alive, no third-party server). It is a test fixture: it is
never offered as a model by ``models detect`` or the config defaults.

    async with ScriptedServer(SwarmRules(), latency=0.05) as base_url: ...
    python -m swarmbridge.testing.scripted_server --port 8199 --latency 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from .rules import Reply, Rule, SwarmRules

_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class ScriptedServer:
    """``rule(request_json) -> Reply`` decides every completion; ``latency`` seconds per reply.

    ``requests`` keeps every completion request body; ``in_flight``/``max_in_flight`` measure the
    concurrency a client actually applied (the gate's tests read them).
    """

    def __init__(self, rule: Rule | Callable[[dict], Reply] | None = None, *, latency: float = 0.0, model: str = "scripted", host: str = "127.0.0.1", port: int = 0, native_tools: bool = True) -> None:
        self.rule = rule or SwarmRules()
        self.latency = latency
        self.model = model
        self.host, self.port = host, port
        self.native_tools = native_tools
        self.requests: list[dict] = []
        self.usage = {"prompt_tokens": 0, "completion_tokens": 0}  # the sums of what replies reported
        self.in_flight = 0
        self.max_in_flight = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()
        self._ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.base_url

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for t in list(self._tasks):
                t.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def __aenter__(self) -> str:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.ensure_future(self._serve_conn(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve_conn(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method, path, _ = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (h := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
                if not await self._handle(method, path, body, writer):
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, method: str, path: str, body: bytes, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False closes the connection."""
        path = path.split("?", 1)[0]
        if method == "GET" and path.rstrip("/") == "/v1/models":
            return await _send_json(writer, 200, {"object": "list", "data": [{"id": self.model, "object": "model", "created": 0, "owned_by": "scripted"}]})
        if method != "POST" or path.rstrip("/") != "/v1/chat/completions":
            return await _send_json(writer, 404, _error("not found", "not_found"))
        try:
            req = json.loads(body)
            assert isinstance(req, dict) and isinstance(req.get("messages"), list)
        except Exception:  # noqa: BLE001 - a bad request gets a 400, like a real server
            return await _send_json(writer, 400, _error("invalid JSON body", "invalid_request_error"))
        self.requests.append(req)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = self.rule(req)
            if not self.native_tools:
                reply.tools_as_text = True
            await asyncio.sleep(self.latency + reply.delay)
            if reply.hang:
                await asyncio.Event().wait()  # until the client gives up or the server closes
            if reply.status != 200:
                return await _send_json(writer, reply.status, _error(reply.error or "error", "server_error"), reply.headers)
            if req.get("stream"):
                await self._stream(writer, req, reply)
                return False
            payload = self._completion(req, reply)
            if reply.truncate:
                data = json.dumps(payload).encode()
                writer.write(_head(200, {"content-type": "application/json", "content-length": str(len(data))}) + data[: len(data) // 2])
                await writer.drain()
                return False
            return await _send_json(writer, 200, payload)
        finally:
            self.in_flight -= 1

    def _message(self, reply: Reply) -> tuple[dict, str]:
        calls = [
            {"id": f"call_{next(self._ids)}", "type": "function", "function": {"name": c["name"], "arguments": c["arguments"] if isinstance(c["arguments"], str) else json.dumps(c["arguments"])}}
            for c in reply.tool_calls
        ]
        if reply.tool_calls and reply.tools_as_text:
            c = reply.tool_calls[0]
            args = c["arguments"] if isinstance(c["arguments"], str) else json.dumps(c["arguments"])
            # what small local models do: prose, a fence, single quotes and a trailing comma
            text = "Sure, I will call the tool.\n```json\n{'tool': '%s', 'arguments': %s,}\n```" % (c["name"], args)
            return {"role": "assistant", "content": text}, "stop"
        msg: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if calls:
            msg["tool_calls"] = calls
        return msg, "tool_calls" if calls else "stop"

    def _completion(self, req: dict, reply: Reply) -> dict:
        msg, finish = self._message(reply)
        prompt = sum(len(str(m.get("content") or "")) for m in req["messages"]) // 4 + 1
        completion = len(json.dumps(msg)) // 4 + 1
        self.usage["prompt_tokens"] += prompt
        self.usage["completion_tokens"] += completion
        return {
            "id": f"chatcmpl-{next(self._ids)}", "object": "chat.completion", "created": int(time.time()), "model": self.model,
            "choices": [{"index": 0, "message": msg, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }

    async def _stream(self, writer: asyncio.StreamWriter, req: dict, reply: Reply) -> None:
        full = self._completion(req, reply)
        msg, finish = full["choices"][0]["message"], full["choices"][0]["finish_reason"]
        base = {"id": full["id"], "object": "chat.completion.chunk", "created": full["created"], "model": self.model}
        chunks: list[dict] = [{"role": "assistant", "content": ""}]
        text = msg.get("content") or ""
        chunks += [{"content": text[i : i + 16]} for i in range(0, len(text), 16)]
        for i, c in enumerate(msg.get("tool_calls") or []):
            chunks.append({"tool_calls": [{"index": i, "id": c["id"], "type": "function", "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}}]})
        events = [dict(base, choices=[{"index": 0, "delta": d, "finish_reason": None}]) for d in chunks]
        events.append(dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": finish}], usage=full["usage"]))
        writer.write(_head(200, {"content-type": "text/event-stream", "cache-control": "no-cache", "connection": "close"}))
        if reply.truncate:
            events = events[: max(1, len(events) // 2)]
        for ev in events:
            writer.write(b"data: " + json.dumps(ev).encode() + b"\n\n")
            await writer.drain()
        if not reply.truncate:
            writer.write(b"data: [DONE]\n\n")
        await writer.drain()


def _error(message: str, type_: str) -> dict:
    return {"error": {"message": message, "type": type_, "code": None}}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _send_json(writer: asyncio.StreamWriter, status: int, payload: dict, extra: dict[str, str] | None = None) -> bool:
    data = json.dumps(payload).encode()
    writer.write(_head(status, {"content-type": "application/json", "content-length": str(len(data)), **(extra or {})}) + data)
    await writer.drain()
    return True


def main(argv: list[str] | None = None) -> int:
    from .rules import Faults

    ap = argparse.ArgumentParser(prog="python -m swarmbridge.testing.scripted_server", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--model", default="scripted")
    ap.add_argument("--fail", type=float, default=0.0, help="probability of a fault per call (429/500/hang split evenly)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--text-tools", action="store_true", help="answer tool calls as JSON in text (no native tool calling)")
    a = ap.parse_args(argv)
    rule: Rule = SwarmRules()
    if a.fail:
        rule = Faults(rule, p={"429": a.fail / 3, "500": a.fail / 3, "hang": a.fail / 3}, seed=a.seed)

    async def serve() -> None:
        srv = ScriptedServer(rule, latency=a.latency, model=a.model, port=a.port, native_tools=not a.text_tools)
        url = await srv.start()
        print(json.dumps({"base_url": url, "port": srv.port}), flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await srv.close()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
