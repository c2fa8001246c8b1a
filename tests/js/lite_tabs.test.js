const test = require("node:test");
const assert = require("node:assert/strict");
const { sw } = require("./helpers.js");

// A chrome with only what SwarmTabs touches: session storage, a tab list and the session rules.
function fakeChrome(liveTabIds, stored) {
  const store = stored ? { swarmTabs: stored } : {};
  const calls = [];
  return {
    calls,
    storage: { session: { get: async (k) => ({ [k]: store[k] }), set: async (o) => Object.assign(store, JSON.parse(JSON.stringify(o))) } },
    tabs: { query: async () => liveTabIds.map((id) => ({ id })) },
    windows: { get: async () => ({}) },
    declarativeNetRequest: { updateSessionRules: async (u) => calls.push(u) },
  };
}

test("the lite rule blocks images, media and fonts in exactly the lite swarm tabs", async () => {
  const { liteRules, LITE_RULE_ID } = await sw("tabs");
  assert.deepEqual(liteRules({ 5: { caller: "a" }, 6: { caller: "b", lite: false } }), []);
  const [rule] = liteRules({ 5: { caller: "a", lite: true }, 6: { caller: "b" }, 7: { caller: "c", lite: true } });
  assert.equal(rule.id, LITE_RULE_ID);
  assert.equal(rule.action.type, "block");
  assert.deepEqual(rule.condition.tabIds, [5, 7]);
  assert.deepEqual(rule.condition.resourceTypes, ["image", "media", "font"]);
});

test("setLite is for swarm tabs only and keeps the rule in step; a restarted worker rebuilds it without closed tabs", async () => {
  const { SwarmTabs } = await sw("tabs");
  globalThis.chrome = fakeChrome([3, 4], { windowId: 1, tabs: { 3: { caller: "a" }, 4: { caller: "b" } } });
  const tabs = new SwarmTabs();
  await tabs.loaded;
  await assert.rejects(tabs.setLite(99, true), /not a swarm tab/);
  await tabs.setLite(3, true);
  let last = chrome.calls.at(-1);
  assert.deepEqual(last.removeRuleIds, [1]);
  assert.deepEqual(last.addRules[0].condition.tabIds, [3]);
  const n = chrome.calls.length;
  await tabs.setLite(3, true); // no change, no update
  assert.equal(chrome.calls.length, n);
  await tabs.setLite(3, false);
  assert.deepEqual(chrome.calls.at(-1).addRules, []);
  await tabs.setLite(4, true);
  // worker restart: the stored state says 3 and 4 were lite, but tab 4 has closed meanwhile
  globalThis.chrome = fakeChrome([3], { windowId: 1, tabs: { 3: { caller: "a", lite: true }, 4: { caller: "b", lite: true } } });
  const again = new SwarmTabs();
  await again.loaded;
  last = chrome.calls.at(-1);
  assert.deepEqual(last.addRules[0].condition.tabIds, [3]);
  delete globalThis.chrome;
});
