"""The adapter over ``openai.AsyncOpenAI``: one OpenAI-compatible endpoint + model as a ``Model``.

``max_retries=0`` on the client: exactly one retry layer exists, ours (``gate.py``). Every failure
is classified into the ``errors`` tree here, once: 429 (and 503 with Retry-After) -> RateLimited
with ``retry_after``; other 5xx and connection failures -> ServerError; time-outs -> Timeout;
400/401/403/404/422 -> Fatal; malformed or schema-invalid tool calls -> BadOutput (reprompt).
``tool_mode`` is ``native``, ``json`` (tools described in the prompt, reply repaired and parsed)
or ``auto`` (a one-time probe picks, cached per endpoint+model).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import httpx
import msgspec
import openai

from .errors import BadOutput, Fatal, ModelError, RateLimited, ServerError, Timeout
from .interface import Completion, ToolSpec, Usage
from .toolmode import ProbeCache, as_text_messages, check_call, parse_text_reply

log = logging.getLogger(__name__)

PROBE_TOOL = ToolSpec("get_weather", "Get the weather for a city.", {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})


def retry_after_of(headers: httpx.Headers | None) -> float | None:
    if headers is None:
        return None
    for key in ("retry-after-ms", "retry-after"):
        raw = headers.get(key)
        if raw:
            try:
                v = float(raw)
                return v / 1000 if key.endswith("ms") else v
            except ValueError:
                return None
    return None


def _refused(exc: BaseException) -> OSError | None:
    """The ConnectionError (refused, reset, unreachable) behind ``exc``'s causes, if any."""
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 10:
        if isinstance(cur, ConnectionError):
            return cur
        cur, seen = cur.__cause__ or cur.__context__, seen + 1
    return None


def classify(exc: BaseException) -> ModelError:
    """Map an ``openai``/``httpx`` exception onto our error tree (the only place that does)."""
    if isinstance(exc, ModelError):
        return exc
    refused = _refused(exc)
    if refused is not None:  # the aiohttp transport reports a refused connection as a connect time-out
        return ServerError(f"cannot reach the endpoint ({type(refused).__name__}: {refused})")
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, asyncio.TimeoutError)):
        return Timeout(f"the model did not answer in time ({type(exc).__name__})")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        ra = retry_after_of(exc.response.headers if exc.response is not None else None)
        msg = f"HTTP {status}: {exc.message}"
        if status == 429 or (status == 503 and ra is not None):
            return RateLimited(msg, retry_after=ra, status=status)
        if status >= 500 or status == 408:
            return ServerError(msg, retry_after=ra, status=status)
        return Fatal(msg, status=status)
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        return ServerError(f"cannot reach the endpoint ({type(exc).__name__}: {exc})")
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return BadOutput(f"the reply could not be read: {exc}")
    return ServerError(f"{type(exc).__name__}: {exc}")


class _Function(msgspec.Struct):
    name: str = ""
    arguments: str = ""


class _ToolCall(msgspec.Struct):
    id: str = ""
    function: _Function = msgspec.field(default_factory=_Function)


class _Message(msgspec.Struct):
    content: str | None = None
    tool_calls: list[_ToolCall] | None = None


class _Choice(msgspec.Struct):
    message: _Message
    finish_reason: str | None = None


class _Usage(msgspec.Struct):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Reply(msgspec.Struct):
    """The part of a chat completion we read, decoded and validated in one pass (unknown fields
    ignored). The SDK's own ``ChatCompletion`` is built field by field through pydantic's
    ``construct``; that was ~0.5 ms of CPU per call, and a wide fan-out is bound by that CPU."""

    choices: list[_Choice]
    model: str | None = None
    usage: _Usage | None = None


_reply_decoder = msgspec.json.Decoder(_Reply)


def read_reply(body: bytes) -> _Reply:
    """Decode a chat-completion body; a body that is not one raises ``BadOutput``."""
    try:
        reply = _reply_decoder.decode(body)
    except msgspec.DecodeError as exc:
        raise BadOutput(f"the reply is not a chat completion: {exc}") from exc
    if not reply.choices:
        raise BadOutput("the reply has no choices")
    return reply


def _as_is(kwargs: dict) -> dict:
    """The request with its messages and tools sent as they are (``extra_body`` replaces the empty
    ``messages``). Why: the SDK's request transform walks every message and tool recursively for
    aliases and formats that our plain-JSON messages never have; it was ~1.1 ms of the client's
    ~3.6 ms CPU per call on a 2-core laptop, and a wide fan-out is bound by that CPU (the HTTP
    fan-out bench's efficiency at 50 agents went from 0.28 to 0.38)."""
    heavy = {k: kwargs[k] for k in ("messages", "tools") if k in kwargs}
    return {**{k: v for k, v in kwargs.items() if k not in heavy}, "messages": [], "extra_body": heavy}


def http_client() -> httpx.AsyncClient | None:
    """The openai client's aiohttp transport (the ``openai[aiohttp]`` extra, openai's own
    ``DefaultAioHttpClient``): on a 2-core machine it costs 1.2 ms of CPU per call at 300
    concurrent calls where the default httpx transport costs 3.0 ms (HTTP fan-out efficiency
    0.055 -> 0.136 in bench/swarm.py's setting), and a wide swarm is bound by that CPU. None (the
    SDK's httpx default) where aiohttp is not installed."""
    make = getattr(openai, "DefaultAioHttpClient", None)  # openai >= 1.86
    try:
        return make() if make is not None else None
    except RuntimeError:  # the extra is missing
        return None


class OpenAIModel:
    """Implements ``Model`` for one base URL + model name."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None, tool_mode: str = "auto", timeout: float = 120.0, probe_cache: ProbeCache | None = None, name: str | None = None, stream: bool = False, prices: tuple[float, float] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = name or f"{model}@{self.base_url}"
        self.tool_mode = tool_mode
        self.timeout = timeout
        self.stream = stream
        self.prices = prices  # USD per million (prompt, completion) tokens
        self.probe_cache = probe_cache or ProbeCache(None)
        self.client = openai.AsyncOpenAI(base_url=self.base_url, api_key=api_key or "not-needed", max_retries=0, timeout=timeout,
                                         http_client=http_client())
        self._probe_lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self.client.close()

    async def resolved_tool_mode(self) -> str:
        """``native`` or ``json``; in ``auto`` mode probe once (cached on disk)."""
        if self.tool_mode != "auto":
            return self.tool_mode
        key = f"{self.base_url}|{self.model}"
        async with self._probe_lock:
            mode = self.probe_cache.get(key)
            if mode is None:
                mode = await probe_tool_mode(self)
                self.probe_cache.put(key, mode)
                log.info("tool mode for %s: %s", key, mode)
            self.tool_mode = mode
        return mode

    async def complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None = None, priority: float = 0.0, max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        mode = await self.resolved_tool_mode() if tools else "native"
        return await self._complete(messages, tools=tools, mode=mode, max_tokens=max_tokens, json_schema=json_schema)

    async def _complete(self, messages: list[dict], *, tools: Sequence[ToolSpec] | None, mode: str, max_tokens: int | None = None, json_schema: dict | None = None) -> Completion:
        kwargs: dict = {"model": self.model, "messages": messages}
        if tools and mode == "native":
            kwargs["tools"] = [t.openai() for t in tools]
        elif tools:
            kwargs["messages"] = as_text_messages(messages, tools)
        if max_tokens:
            kwargs["max_tokens"] = max_tokens
        if json_schema:
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {"name": "reply", "schema": json_schema}}
        try:
            if self.stream:
                return await self._streamed(kwargs, tools or (), mode)
            # The client's own POST (its auth, base URL, headers, transport, time-out and status
            # errors), with the body sent as it is and the reply read by ``read_reply``: the
            # SDK's request transform and response models cost more CPU than the whole rest of a
            # swarm step (bench/swarm.py's HTTP fan-out).
            http = await self.client.post("/chat/completions", body=kwargs, cast_to=httpx.Response)
            resp = read_reply(http.content)
            choice = resp.choices[0]
            msg = choice.message
            usage = Usage(resp.usage.prompt_tokens, resp.usage.completion_tokens) if resp.usage else Usage()
            raw_calls = [(c.id, c.function.name, c.function.arguments) for c in (msg.tool_calls or [])]
            return self._finish(msg.content, raw_calls, usage, choice.finish_reason or "stop", resp.model or self.model, tools or (), mode)
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 - classified into the error tree
            raise classify(exc) from exc

    async def _streamed(self, kwargs: dict, tools: Sequence[ToolSpec], mode: str) -> Completion:
        """Stream the reply (SSE) and assemble it; a stream that ends without a finish is an error."""
        stream = await self.client.chat.completions.create(**_as_is(kwargs), stream=True, stream_options={"include_usage": True})
        text: list[str] = []
        calls: dict[int, list[str]] = {}
        finish, usage, model = None, Usage(), self.model
        async for chunk in stream:
            model = chunk.model or model
            if chunk.usage:
                usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
            for ch in chunk.choices:
                d = ch.delta
                if d.content:
                    text.append(d.content)
                for tc in d.tool_calls or []:
                    slot = calls.setdefault(tc.index, ["", "", ""])
                    slot[0] = tc.id or slot[0]
                    if tc.function:
                        slot[1] += tc.function.name or ""
                        slot[2] += tc.function.arguments or ""
                finish = ch.finish_reason or finish
        if finish is None:
            raise ServerError("the stream ended before the reply was complete")
        raw = [(v[0], v[1], v[2]) for _, v in sorted(calls.items())]
        return self._finish("".join(text) or None, raw, usage, finish, model, tools, mode)

    def _finish(self, content: str | None, raw_calls: list[tuple[str, str, str]], usage: Usage, finish: str, model: str, tools: Sequence[ToolSpec], mode: str) -> Completion:
        if mode == "json" and tools and not raw_calls:
            content, calls = parse_text_reply(content, tools)
        else:
            calls = tuple(check_call(i, n, a, tools) for i, n, a in raw_calls)
        cost = None if self.prices is None else (usage.prompt_tokens * self.prices[0] + usage.completion_tokens * self.prices[1]) / 1e6
        return Completion(content, calls, usage, "tool_calls" if calls else finish, model, cost)


async def probe_tool_mode(model: OpenAIModel) -> str:
    """Ask for one native tool call; a clean, valid one means ``native``, anything else ``json``."""
    msgs = [{"role": "system", "content": "You are a tool-calling assistant."}, {"role": "user", "content": "What is the weather in Paris? Use the tool."}]
    try:
        c = await model._complete(msgs, tools=[PROBE_TOOL], mode="native", max_tokens=64)
        return "native" if c.tool_calls and c.tool_calls[0].name == PROBE_TOOL.name else "json"
    except BadOutput:
        return "json"
    except Fatal as exc:  # a server that rejects the tools field outright
        return "json" if exc.status in (400, 422) else _raise(exc)


def _raise(exc: BaseException) -> str:
    raise exc
