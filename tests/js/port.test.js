const test = require("node:test");
const assert = require("node:assert/strict");
const { sw } = require("./helpers.js");

function fakePort() {
  const msgs = [];
  const on = () => { const fns = []; return { addListener: (f) => fns.push(f), fire: (...a) => fns.forEach((f) => f(...a)) }; };
  return { msgs, onMessage: on(), onDisconnect: on(), postMessage: (m) => msgs.push(JSON.parse(JSON.stringify(m))) };
}
const tick = () => new Promise((r) => setTimeout(r, 5));
const quiet = { warn() {} };

async function connected(opts = {}) {
  const { NativePort } = await sw("port");
  const ports = [];
  const np = new NativePort({
    connect: () => { const p = fakePort(); ports.push(p); return p; },
    onRequest: opts.onRequest || (async (method, params) => ({ method, params })),
    hello: async () => ({ browser: "chromium", profile: "t" }),
    log: quiet, minDelay: 5, maxDelay: 40, ...opts,
  });
  np.start();
  await tick();
  const hello = ports[0].msgs[0];
  assert.equal(hello.method, "bridge.hello", "hello goes first");
  ports[0].onMessage.fire({ v: 1, id: hello.id, kind: "response", result: { bridgeId: "b1" } });
  await tick();
  live.push(np);
  return { np, ports };
}

const live = [];
test.afterEach(() => { while (live.length) live.pop().stop(); });

test("hello first, then requests are dispatched and always answered", async () => {
  const { np, ports } = await connected({ onRequest: async (m) => { if (m === "browser.bad") { const e = new Error("nope"); e.code = "not_found"; throw e; } return { ok: m }; } });
  assert.equal(np.bridgeId, "b1");
  assert.equal(np.state, "connected");
  const p = ports[0];
  p.onMessage.fire({ v: 1, id: "r1", kind: "request", method: "browser.ping", params: {} });
  p.onMessage.fire({ v: 1, id: "r2", kind: "request", method: "browser.bad", params: {} });
  p.onMessage.fire({ v: 1, id: "r3", kind: "request" }); // invalid: no method
  await tick();
  const byId = Object.fromEntries(p.msgs.slice(1).map((m) => [m.id, m]));
  assert.deepEqual(byId.r1.result, { ok: "browser.ping" });
  assert.equal(byId.r2.error.code, "not_found");
  assert.equal(byId.r3.error.code, "invalid_request");
});

test("chunked requests are reassembled before dispatch", async () => {
  const { np, ports } = await connected();
  const body = JSON.stringify({ v: 1, id: "big", kind: "request", method: "browser.fill", params: { value: "é".repeat(5000) } });
  const parts = [body.slice(0, 3000), body.slice(3000, 7000), body.slice(7000)];
  parts.forEach((data, seq) => ports[0].onMessage.fire({ v: 1, kind: "chunk", cid: "c1", seq, total: 3, data }));
  await tick();
  const reply = ports[0].msgs.find((m) => m.id === "big");
  assert.equal(reply.result.params.value.length, 5000);
  assert.equal(np.state, "connected");
});

test("disconnect rejects pending calls and reconnects with back-off", async () => {
  const { np, ports } = await connected();
  const pending = np.call("runs.list", {}, 1000);
  ports[0].onDisconnect.fire();
  await assert.rejects(pending, (e) => e.code === "unavailable");
  assert.equal(np.state, "waiting");
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(ports.length, 2, "one new port after the back-off, not a pile");
  assert.equal(ports[1].msgs[0].method, "bridge.hello");
});

test("daemon restart: unavailable rejects pending, available re-sends hello", async () => {
  const { np, ports } = await connected();
  const pending = np.call("runs.list", {}, 1000);
  ports[0].onMessage.fire({ v: 1, id: "e1", kind: "event", method: "bridge.daemon_unavailable", params: {} });
  await assert.rejects(pending, (e) => e.code === "unavailable");
  ports[0].onMessage.fire({ v: 1, id: "e2", kind: "event", method: "bridge.daemon_available", params: {} });
  await tick();
  assert.equal(ports[0].msgs.filter((m) => m.method === "bridge.hello").length, 2);
});

test("calls time out", async () => {
  const { np } = await connected();
  await assert.rejects(np.call("slow", {}, 10), (e) => e.code === "timeout");
});

test("after hello the port subscribes to the configured event topics", async () => {
  const { np, ports } = await connected({ topics: ["approval.", "schedule.run_finished"] });
  const sub = ports[0].msgs.find((m) => m.method === "events.subscribe");
  assert.deepEqual(sub.params, { topics: ["approval.", "schedule.run_finished"] });
  ports[0].onMessage.fire({ v: 1, id: sub.id, kind: "response", result: { topics: [] } });
  await tick();
  assert.equal(np.state, "connected");
});
