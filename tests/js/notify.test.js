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

test("a run notifies when it was long or did not simply finish; a blocked task alone does not", async () => {
  const { notificationFor, LONG_RUN_S } = await sw("notify");
  assert.equal(notificationFor("run.finished", { run_id: "r1", status: "done", stop_reason: "completed", goal: "quick", elapsed_s: 2 }), null);
  const long = notificationFor("run.finished", { run_id: "r2", status: "done", stop_reason: "completed", goal: "price 300 laptops", elapsed_s: LONG_RUN_S + 1 });
  assert.deepEqual([long.id, long.options.title, long.options.message], ["run:r2", "Run finished", "price 300 laptops"]);
  const stopped = notificationFor("run.finished", { run_id: "r3", status: "stopped", stop_reason: "token budget reached (9 > 8 tokens)", goal: "g", elapsed_s: 1 });
  assert.deepEqual([stopped.options.title, stopped.options.message], ["Run stopped", "g (token budget reached (9 > 8 tokens))"]);
  assert.equal(notificationFor("run.finished", { run_id: "r4", status: "done_with_blocked", goal: "g", elapsed_s: 1 }).options.title, "Run finished with blocked tasks");
  assert.equal(notificationFor("run.blocked", { run_id: "r4", task: "t1", reason: "not approved" }), null);
  assert.equal(notificationFor("run.finished", { run_id: "r5", status: "cancelled", stop_reason: "cancelled by request", elapsed_s: 99 }), null);
});
