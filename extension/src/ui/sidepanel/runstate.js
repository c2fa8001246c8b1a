// A run as the side panel shows it, folded from the daemon's durable event log (runs.events) over
// the graph from runs.show. Pure (no DOM, no chrome.*): the same events always give the same view,
// so a panel that reconnects or opens late replays the log and shows exactly what a live one shows.
//
// Event kinds (swarm/executor.py, swarm/service.py): started, task_started, tool_call, step,
// verified, task_finished, blocked, finished, deliverable, deliverable_failed.

export const TERMINAL = new Set(["done", "done_with_blocked", "stopped", "cancelled", "failed"]);

export function newRun(show) {
  const steps = (show.graph && show.graph.steps) || [];
  const tasks = new Map();
  for (const s of steps) {
    tasks.set(s.id, {
      id: s.id, role: s.role || "worker", tool: s.tool || null, map: s.map || null, instructions: s.instructions || "",
      inputs: s.inputs || [], acceptance: s.acceptance || "", status: "waiting", reason: "",
      turns: [], calls: [], checks: [], started: null, ended: null,
    });
  }
  return {
    id: show.id, goal: show.goal || "", origin: show.origin || "", created: show.created, finished: show.finished,
    status: show.status, stopReason: show.stop_reason || "", tasks, seq: 0, tokens: show.tokens || 0, cost: typeof show.cost === "number" ? show.cost : null,
    steps: show.steps || 0, deliverables: [], outputs: show.outputs || {}, notes: [],
  };
}

// Run totals as the daemon counts them (every role's calls): tokens, and US dollars where the
// endpoints have prices. Both only grow; events of one run may be read twice.
function usage(run, d) {
  run.tokens = Math.max(run.tokens, Number(d.tokens) || 0);
  if (typeof d.cost === "number") run.cost = Math.max(run.cost ?? 0, d.cost);
}

function task(run, id) {
  if (!run.tasks.has(id)) run.tasks.set(id, { id, role: "worker", tool: null, map: null, instructions: "", inputs: [], acceptance: "", status: "waiting", reason: "", turns: [], calls: [], checks: [], started: null, ended: null });
  return run.tasks.get(id);
}

// Fold events (ascending seq; already-seen ones are skipped, so replays are harmless).
export function apply(run, events) {
  for (const e of events) {
    if (e.seq <= run.seq) continue;
    run.seq = e.seq;
    const d = e.data || {};
    switch (e.kind) {
      case "started":
        if (!TERMINAL.has(run.status)) run.status = "running";
        if (d.resumed) run.notes.push(`resumed with ${d.resumed} finished task(s) kept`);
        break;
      case "task_started": {
        const t = task(run, d.task);
        t.status = "running";
        t.started = t.started || e.at;
        break;
      }
      case "tool_call":
        task(run, d.task).calls.push({ tool: d.tool, key: d.key, at: e.at });
        break;
      case "step":
        task(run, d.task).turns.push({ turn: d.turn, tokens: d.tokens, at: e.at });
        usage(run, d);
        break;
      case "usage": // the writer's share, recorded after finished
        usage(run, d);
        break;
      case "verified":
        task(run, d.task).checks.push({ attempt: d.attempt, passed: !!d.passed, feedback: d.feedback || "" });
        break;
      case "task_finished": {
        const t = task(run, d.task);
        t.status = "done";
        t.ended = e.at;
        break;
      }
      case "blocked": {
        const t = task(run, d.task);
        t.status = "blocked";
        t.reason = d.reason || "";
        t.ended = e.at;
        break;
      }
      case "finished":
        run.status = d.status || run.status;
        run.stopReason = d.stop_reason || run.stopReason;
        run.steps = Math.max(run.steps, Number(d.steps) || 0);
        usage(run, d);
        break;
      case "deliverable":
        run.deliverables.push({ index: run.deliverables.length, ...d });
        break;
      case "deliverable_failed":
        run.notes.push(`the report could not be written: ${d.reason || "unknown reason"}`);
        break;
      default:
        break;
    }
  }
  return run;
}

// Graph layers: a task's layer is one more than its deepest input's (inputs drawn above it).
export function layers(run) {
  const depth = new Map();
  const visit = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0; // the daemon rejects cycles; never loop on a bad graph anyway
    seen.add(id);
    const t = run.tasks.get(id);
    const d = t && t.inputs.length ? 1 + Math.max(...t.inputs.map((i) => visit(i, seen))) : 0;
    depth.set(id, d);
    return d;
  };
  const out = [];
  for (const id of run.tasks.keys()) {
    const d = visit(id);
    (out[d] = out[d] || []).push(run.tasks.get(id));
  }
  return out.filter(Boolean);
}

export function counts(run) {
  const c = { waiting: 0, running: 0, done: 0, blocked: 0 };
  for (const t of run.tasks.values()) c[t.status] = (c[t.status] || 0) + 1;
  return c;
}

// The goal id of a run a goal started ("goal:12"), else null.
export function goalOf(origin) {
  const m = /^goal:(\d+)$/.exec(String(origin || ""));
  return m ? Number(m[1]) : null;
}

// Approvals that belong to this run or to its goal: the origin is a path of segments such as
// "run:<id>/task:<t>", possibly after the run's own origin ("goal:3/run:<id>/task:<t>").
export function relatedTo(approval, run) {
  if (!run) return false;
  const parts = String(approval.origin || "").split("/");
  if (run.id && parts.includes(`run:${run.id}`)) return true;
  const g = goalOf(run.origin);
  return g !== null && parts.includes(`goal:${g}`);
}

export function clip(s, n = 2000) {
  s = typeof s === "string" ? s : JSON.stringify(s, null, 1);
  s = s === undefined ? "" : s;
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}
