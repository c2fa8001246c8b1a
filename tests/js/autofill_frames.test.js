// Which frames autofill may fill without being told: the top page's origin, inherited by
// about:blank and srcdoc frames; data: and unparsable URLs are never the top's.
const test = require("node:test");
const assert = require("node:assert/strict");
const { sw } = require("./helpers.js");

test("frame origins: same-origin frames, about:blank inheriting its parent's, cross-origin and opaque ones", async () => {
  const { frameOrigins } = await sw("frames");
  const got = frameOrigins([
    { frameId: 0, parentFrameId: -1, url: "https://shop.example/checkout" },
    { frameId: 3, parentFrameId: 0, url: "https://shop.example/widgets/address" },
    { frameId: 4, parentFrameId: 0, url: "about:blank" },
    { frameId: 5, parentFrameId: 0, url: "https://js.payments.example/card" },
    { frameId: 6, parentFrameId: 5, url: "about:srcdoc" },
    { frameId: 7, parentFrameId: 0, url: "data:text/html,<input>" },
    { frameId: 8, parentFrameId: 0, url: "http://shop.example/checkout" },
  ]);
  assert.equal(got.get(0), "https://shop.example");
  assert.equal(got.get(3), "https://shop.example");
  assert.equal(got.get(4), "https://shop.example");
  assert.equal(got.get(5), "https://js.payments.example");
  assert.equal(got.get(6), "https://js.payments.example", "a srcdoc frame inside the payment frame is the payment provider's");
  assert.equal(got.get(7), null);
  assert.equal(got.get(8), "http://shop.example", "another scheme is another origin");
});
