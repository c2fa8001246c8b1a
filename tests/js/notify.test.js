const test = require("node:test");
const assert = require("node:assert/strict");
const { sw } = require("./helpers.js");

test("approval requests become sticky notifications with Approve/Deny buttons", async () => {
  const { notificationFor } = await sw("notify");
  const n = notificationFor("approval.requested", { id: "a1", tool: "browser.submit", summary: "Submit the checkout form", origin: "goal:3" });
  assert.equal(n.id, "approval:a1");
  assert.equal(n.options.requireInteraction, true);
  assert.deepEqual(n.options.buttons.map((b) => b.title), ["Approve", "Deny"]);
  assert.equal(notificationFor("approval.decided", { id: "a1" }).clear, true);
});

test("schedules notify on failure or change, not on a quiet success; goals on final states", async () => {
  const { notificationFor } = await sw("notify");
  assert.equal(notificationFor("schedule.run_finished", { job: "prices", runId: 3, status: "ok", note: "" }), null);
  assert.match(notificationFor("schedule.run_finished", { job: "prices", runId: 4, status: "ok", note: "2 added, 1 changed" }).options.title, /has changes/);
  assert.match(notificationFor("schedule.run_finished", { job: "backup", runId: 5, status: "failed", output: "disk full" }).options.message, /disk full/);
  // the daemon's own flag wins over the note's words: notify-on-change off stays quiet
  assert.equal(notificationFor("schedule.run_finished", { job: "prices", runId: 6, status: "ok", note: "2 added", notify: false }), null);
  assert.match(notificationFor("schedule.run_finished", { job: "prices", runId: 7, status: "ok", note: "6 rows: +1 -0 ~0", notify: true }).options.title, /has changes/);
  assert.equal(notificationFor("goal.changed", { goalId: 2, status: "active" }), null);
  assert.match(notificationFor("goal.changed", { goalId: 2, status: "blocked", reason: "needs a login" }).options.message, /needs a login/);
  assert.equal(notificationFor("something.else", {}), null);
});
