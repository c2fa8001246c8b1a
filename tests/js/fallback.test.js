// When a synthetic fill leaves the field empty, the page handler retries with trusted input.
const test = require("node:test");
const assert = require("node:assert/strict");
const { sw } = require("./helpers.js");

test("a fill that left the field empty counts as no effect; a fill that took does not", async () => {
  const { noEffect } = await sw("handlers/page");
  assert.equal(noEffect({ ok: true, value: "" }, { value: "hello" }), true);
  assert.equal(noEffect({ ok: true, value: "hello" }, { value: "hello" }), false);
  assert.equal(noEffect({ ok: true, value: "" }, { value: "" }), false);
  assert.equal(noEffect(undefined, { value: "x" }), false);
});
