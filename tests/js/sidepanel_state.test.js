// The side panel's run state (extension/src/ui/sidepanel/runstate.js): folding the daemon's event
// log is idempotent and order-safe, the graph is layered by dependency, approvals are matched to
// the run or goal by origin segments.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { EXT } = require("./helpers.js");

// The module, loaded once from a temp copy marked as an ES module package (removed once loaded).
let loaded;
function runstate() {
  if (!loaded) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sbpanel-"));
    fs.copyFileSync(path.join(EXT, "src", "ui", "sidepanel", "runstate.js"), path.join(dir, "runstate.js"));
    fs.writeFileSync(path.join(dir, "package.json"), '{"type":"module"}');
    loaded = import(path.join(dir, "runstate.js")).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return loaded;
}

const SHOW = {
  id: "r1", goal: "g", origin: "goal:7", status: "running", created: 1, tokens: 0, steps: 0, outputs: {},
  graph: { steps: [{ id: "a", inputs: [] }, { id: "b", inputs: [] }, { id: "c", inputs: ["a", "b"] }, { id: "d", inputs: ["c"], tool: "echo" }] },
};
const EVENTS = [
  { seq: 1, kind: "started", data: { steps: 4, resumed: 0 }, at: 1 },
  { seq: 2, kind: "task_started", data: { task: "a" }, at: 2 },
  { seq: 3, kind: "step", data: { task: "a", turn: 0, tokens: 90 }, at: 3 },
  { seq: 4, kind: "tool_call", data: { task: "a", tool: "echo", key: "r1/a/1/0" }, at: 3 },
  { seq: 5, kind: "step", data: { task: "a", turn: 1, tokens: 200, cost: 0.0012 }, at: 4 },
  { seq: 6, kind: "verified", data: { task: "a", attempt: 1, passed: false, feedback: "no source" }, at: 4 },
  { seq: 7, kind: "task_finished", data: { task: "a" }, at: 5 },
  { seq: 8, kind: "blocked", data: { task: "b", reason: "ToolError: not approved" }, at: 6 },
  { seq: 9, kind: "deliverable", data: { kind: "markdown", path: "/x/report.md" }, at: 7 },
  { seq: 10, kind: "deliverable_failed", data: { reason: "model down" }, at: 7 },
  { seq: 11, kind: "finished", data: { status: "done_with_blocked", stop_reason: "1 task(s) blocked", steps: 3 }, at: 8 },
];

test("folding the log gives statuses, turns, calls, checks, tokens, cost, deliverables; replays change nothing", async () => {
  const { newRun, apply, counts, TERMINAL } = await runstate();
  const run = apply(newRun(SHOW), EVENTS.slice(0, 5));
  assert.equal(run.tasks.get("a").status, "running");
  apply(run, EVENTS.slice(3)); // overlapping read: seq 4 and 5 again
  const a = run.tasks.get("a");
  assert.deepEqual([a.status, a.turns.length, a.calls.length, a.checks[0].feedback], ["done", 2, 1, "no source"]);
  assert.deepEqual([run.tasks.get("b").status, run.tasks.get("b").reason], ["blocked", "ToolError: not approved"]);
  assert.deepEqual([run.tokens, run.cost, run.steps, run.status, run.stopReason], [200, 0.0012, 3, "done_with_blocked", "1 task(s) blocked"]);
  assert.deepEqual(run.deliverables, [{ index: 0, kind: "markdown", path: "/x/report.md" }]);
  assert.match(run.notes[0], /model down/);
  assert.deepEqual(counts(run), { waiting: 2, running: 0, done: 1, blocked: 1 });
  assert.ok(TERMINAL.has(run.status));
  const again = apply(newRun(SHOW), EVENTS);
  apply(again, EVENTS);
  assert.deepEqual([...again.tasks.values()].map((t) => [t.id, t.status, t.turns.length]), [...run.tasks.values()].map((t) => [t.id, t.status, t.turns.length]));
});

test("run totals: a finished run opened later starts from runs.show's cost; the writer's usage event after finished adds its share", async () => {
  const { newRun, apply } = await runstate();
  const run = apply(newRun({ ...SHOW, tokens: 500, cost: 0.002 }), []);
  assert.deepEqual([run.tokens, run.cost], [500, 0.002]);
  apply(run, [{ seq: 1, kind: "finished", data: { status: "done", steps: 3, tokens: 600, cost: 0.0025 }, at: 1 },
              { seq: 2, kind: "usage", data: { tokens: 900, cost: 0.004 }, at: 2 }]);
  assert.deepEqual([run.tokens, run.cost, run.status], [900, 0.004, "done"]);
  assert.equal(apply(newRun(SHOW), EVENTS.slice(0, 3)).cost, null, "no prices: no cost (unknown, not $0)");
});

test("an event for a task the graph does not list still shows (a re-planned task)", async () => {
  const { newRun, apply } = await runstate();
  const run = apply(newRun(SHOW), [{ seq: 1, kind: "task_started", data: { task: "extra" }, at: 1 }]);
  assert.equal(run.tasks.get("extra").status, "running");
});

test("layers put every task below its deepest input; a bad cyclic graph does not loop", async () => {
  const { newRun, layers } = await runstate();
  assert.deepEqual(layers(newRun(SHOW)).map((l) => l.map((t) => t.id)), [["a", "b"], ["c"], ["d"]]);
  const cyc = newRun({ ...SHOW, graph: { steps: [{ id: "x", inputs: ["y"] }, { id: "y", inputs: ["x"] }] } });
  assert.equal(layers(cyc).flat().length, 2);
});

test("approvals belong to the run or its goal by origin segment, never by prefix", async () => {
  const { newRun, relatedTo, goalOf } = await runstate();
  const run = newRun(SHOW);
  assert.ok(relatedTo({ origin: "run:r1/task:a" }, run));
  assert.ok(relatedTo({ origin: "goal:7/run:r1/task:a" }, run));
  assert.ok(relatedTo({ origin: "goal:7" }, run));
  assert.ok(!relatedTo({ origin: "run:r10/task:a" }, run));
  assert.ok(!relatedTo({ origin: "goal:70" }, run));
  assert.ok(!relatedTo({ origin: "" }, run));
  assert.equal(goalOf("goal:12"), 12);
  assert.equal(goalOf("menu:page"), null);
});

test("clip shortens long text and shows structured output as JSON", async () => {
  const { clip } = await runstate();
  assert.equal(clip("x".repeat(10), 5), "xxxx…");
  assert.equal(clip({ a: 1 }), '{\n "a": 1\n}');
  assert.equal(clip(undefined), "");
});
