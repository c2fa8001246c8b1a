const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { sw, golden, GOLDEN } = require("./helpers.js");

test("golden messages validate like the Python side", async () => {
  const { decode } = await sw("protocol");
  for (const name of ["request", "response_ok", "response_error", "event", "hello"]) {
    const raw = fs.readFileSync(`${GOLDEN}/${name}.json`, "utf8");
    assert.deepEqual(decode(raw), JSON.parse(raw), name);
  }
});

test("golden invalid messages are rejected with the same codes", async () => {
  const { decode, ProtocolError } = await sw("protocol");
  const cases = golden("invalid.json");
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    assert.throws(() => decode(JSON.stringify(c.message)), (e) => e instanceof ProtocolError && e.code === c.code, c.why);
  }
  assert.throws(() => decode("{nope"), (e) => e.code === "parse_error");
});

test("invalid envelope errors echo a readable id", async () => {
  const { decode } = await sw("protocol");
  assert.throws(() => decode('{"v":1,"id":"abc","kind":"request"}'), (e) => e.id === "abc");
});

test("golden chunk reassembles in any order", async () => {
  const { Reassembler } = await sw("chunks");
  const first = golden("chunk.json");
  const second = { ...first, seq: 1, data: '{"ok":true}}' };
  const r = new Reassembler();
  assert.equal(r.feed(second), null);
  assert.deepEqual(JSON.parse(r.feed(first)).result, { ok: true });
});

test("bad chunks are errors", async () => {
  const { Reassembler, ChunkError } = await sw("chunks");
  for (const bad of [{}, { cid: "a", seq: 0, total: 0, data: "" }, { cid: "a", seq: 2, total: 2, data: "" }, { cid: 1, seq: 0, total: 1, data: "" }]) {
    assert.throws(() => new Reassembler().feed(bad), ChunkError);
  }
});
