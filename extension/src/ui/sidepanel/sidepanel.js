// The side panel: a live view of one run or goal, and the searchable history of past ones.
// What it shows comes from the daemon (runs.show / runs.events / goal.show / approvals.list);
// daemon events pushed through the service worker only say "something changed", and the panel
// then reads the durable log from where it left off (runs.events after=seq), so a missed or
// duplicated event can never make it show something the daemon did not record.
//
// Which run or goal: ?run=ID or ?goal=ID in the URL; else the target the popup or a menu left in
// session storage (panelTarget, followed while the panel is open); else the newest run. With
// "follow new runs" on, a run that starts (a menu's, a goal round's) takes over the view.
import { UiBridge, el, showState } from "../shared/bridge.js";
import { approvalItem } from "../shared/approvals.js";
import { TERMINAL, apply, newRun, relatedTo } from "./runstate.js";
import { focusTask, forgetOpen, openTasks, renderRun } from "./runview.js";
import { renderGoal } from "./goalview.js";

const bridge = new UiBridge("sidepanel");
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let view = null; // { kind: "run", id, run } | { kind: "goal", id, goal }
let connected = false;
let started = false;
const say = (text) => ($("msg").textContent = text || "");

// ---- connection ----
bridge.onState = (s) => {
  const d = showState(s);
  connected = d.ok;
  if (!d.ok) return;
  if (!started) {
    started = true;
    start();
  } else refreshView(); // reconnected: read whatever happened meanwhile
};

bridge.onEvent = (method, p) => {
  if (method.startsWith("approval.")) return loadApprovals();
  if (method === "run.started" && $("follow").checked && p.run_id && !(view && view.kind === "run" && view.id === p.run_id)) {
    if (!(view && view.kind === "goal")) return openRun(p.run_id, { follow: true });
  }
  if (method.startsWith("run.") && view && view.kind === "run" && p.run_id === view.id) return syncRun(method === "run.finished" || method === "run.task_finished");
  if (view && view.kind === "goal") {
    if (method.startsWith("goal.") ? p.goalId === view.id : method === "run.started" || method === "run.finished") return loadGoal();
    if (method === "run.task_finished" && view.goal && view.goal.live && view.goal.live.id === p.run_id) return loadGoal();
  }
  if (method === "run.finished" && !$("history").hidden) loadHistory();
};

// ---- navigation ----
async function start() {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes.panelTarget && changes.panelTarget.newValue) go(changes.panelTarget.newValue);
  });
  if (params.get("run")) return go({ run: params.get("run") });
  if (params.get("goal")) return go({ goal: Number(params.get("goal")) });
  const { panelTarget } = await chrome.storage.session.get("panelTarget").catch(() => ({}));
  // a target is an answer to a click just made; one left from earlier must not pin the panel
  if (panelTarget && (panelTarget.run || panelTarget.goal) && Date.now() - (panelTarget.at || 0) < 60000) return go(panelTarget);
  const { runs } = await bridge.call("runs.list", { limit: 1 }).catch(() => ({ runs: [] }));
  if (runs.length) openRun(runs[0].id, { follow: true });
  else showSection(null);
}

function go(target) {
  if (target.run) return openRun(String(target.run));
  if (target.goal) return openGoal(Number(target.goal));
  $("follow").checked = true; // "what runs next": the next run.started takes over
  showTab("view");
}

function showSection(kind) {
  $("run").hidden = kind !== "run";
  $("goal").hidden = kind !== "goal";
  $("view-empty").hidden = !!kind;
}

function showTab(which) {
  $("view").hidden = which !== "view";
  $("history").hidden = which !== "history";
  $("tab-view").setAttribute("aria-selected", String(which === "view"));
  $("tab-history").setAttribute("aria-selected", String(which === "history"));
  if (which === "history") loadHistory();
  else if (view && view.kind === "run" && view.run) renderRun(view.run, runActions); // laid out again: edges need sizes
}

function remember(kind, id) {
  const u = new URL(location.href);
  u.search = `?${kind}=${encodeURIComponent(id)}`;
  history.replaceState(null, "", u);
}

// Render cost, read by bench/sidepanel.py (bounded: counters, not a growing list).
const stats = (globalThis.sbPanelStats = {
  renders: 0, totalMs: 0, maxMs: 0, events: 0,
  note(ms, events) {
    this.renders += 1;
    this.totalMs += ms;
    this.maxMs = Math.max(this.maxMs, ms);
    this.events += events;
  },
});

// ---- a run ----
let syncing = null;
let again = false;
let lastShow = 0;

async function openRun(id, { follow = false } = {}) {
  if (!follow) $("follow").checked = false;
  showTab("view");
  try {
    const show = await bridge.call("runs.show", { id });
    if (!(view && view.kind === "run" && view.id === id)) forgetOpen();
    view = { kind: "run", id, run: newRun(show) };
    remember("run", id);
    showSection("run");
    await syncRun(false);
    loadApprovals();
  } catch (e) {
    say(`Run ${id}: ${e.message}`);
  }
}

// Read new events from the daemon's log (one read at a time; a change during a read causes one
// more). withOutputs re-reads runs.show (outputs, final counts) at most every 1.5 s or at the end.
let wantOutputs = false;
async function syncRun(withOutputs) {
  wantOutputs = wantOutputs || !!withOutputs;
  if (syncing) {
    again = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      again = false;
      withOutputs = wantOutputs;
      wantOutputs = false;
      const v = view;
      if (!v || v.kind !== "run") break;
      const { events } = await bridge.call("runs.events", { id: v.id, after: v.run.seq });
      apply(v.run, events);
      const done = TERMINAL.has(v.run.status);
      if (withOutputs || (done && !v.run.final) || Date.now() - lastShow > 1500) {
        lastShow = Date.now();
        const show = await bridge.call("runs.show", { id: v.id });
        Object.assign(v.run, { outputs: show.outputs, finished: show.finished, status: TERMINAL.has(show.status) ? show.status : v.run.status });
        if (show.tokens) v.run.tokens = Math.max(v.run.tokens, show.tokens);
        if (show.steps) v.run.steps = Math.max(v.run.steps, show.steps);
        if (TERMINAL.has(show.status) && !v.run.final) again = true; // read the log's tail once more: nothing is polled after this
        v.run.final = TERMINAL.has(show.status);
      }
      await refreshTranscripts(v);
      if (view === v) {
        const t0 = performance.now();
        renderRun(v.run, runActions);
        stats.note(performance.now() - t0, events.length);
      }
    } while (again);
  })().catch((e) => say(e.message)).finally(() => (syncing = null));
  return syncing;
}

// Transcripts of the expanded sub-agents, re-read when their step or call count moved.
async function refreshTranscripts(v) {
  v.run.transcripts = v.run.transcripts || new Map();
  v.transcriptAt = v.transcriptAt || new Map();
  for (const id of openTasks()) {
    const t = v.run.tasks.get(id);
    if (!t) continue;
    const mark = `${t.turns.length}/${t.calls.length}/${t.status}`;
    if (v.transcriptAt.get(id) === mark) continue;
    const { steps } = await bridge.call("runs.steps", { id: v.id, task: id, limit: 200 });
    v.run.transcripts.set(id, steps);
    v.transcriptAt.set(id, mark);
  }
}

function download(name, parts, type) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = el("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function deliverable(index) {
  const d = await bridge.call("runs.deliverable", { id: view.id, index });
  const bytes = d.base64 !== undefined ? Uint8Array.from(atob(d.base64), (c) => c.charCodeAt(0)) : d.text;
  return { ...d, bytes };
}

const runActions = {
  focusTask: (id) => {
    focusTask(id);
    syncRun(false);
  },
  openedTask: () => syncRun(false),
  copy: (text) => navigator.clipboard.writeText(text).then(() => say("Path copied."), () => say(text)),
  async viewDeliverable(index, pre) {
    try {
      const d = await deliverable(index);
      pre.textContent = d.text !== undefined ? d.text : `(binary, ${d.size} bytes: use Save)`;
      pre.hidden = false;
    } catch (e) {
      say(e.message);
    }
  },
  async saveDeliverable(index) {
    try {
      const d = await deliverable(index);
      download(d.name, [d.bytes], d.text !== undefined ? "text/plain;charset=utf-8" : "application/octet-stream");
      say(`Saved ${d.name} (${d.size} bytes) to your downloads.`);
    } catch (e) {
      say(e.message);
    }
  },
};

$("run-cancel").addEventListener("click", () => bridge.call("runs.cancel", { id: view.id }).then(() => syncRun(true), (e) => say(e.message)));
$("run-resume").addEventListener("click", () => bridge.call("runs.resume", { id: view.id }).then(() => syncRun(true), (e) => say(e.message)));
$("run-export").addEventListener("click", async () => {
  try {
    const { jsonl } = await bridge.call("runs.export", { id: view.id });
    download(`run-${view.id}.jsonl`, [jsonl], "application/x-ndjson");
  } catch (e) {
    say(e.message);
  }
});
$("run-goal-link").addEventListener("click", () => {
  const m = /^goal:(\d+)$/.exec(view.run.origin);
  if (m) openGoal(Number(m[1]));
});

// ---- approvals (pending ones; this run's / goal's first and marked) ----
async function loadApprovals() {
  if (!view) return;
  const list = view.kind === "run" ? $("approvals") : $("goal-approvals");
  const count = view.kind === "run" ? $("approvals-count") : $("goal-approvals-count");
  try {
    const { approvals } = await bridge.call("approvals.list", {});
    const runLike = view.kind === "run" ? view.run : { id: null, origin: `goal:${view.id}` };
    const mine = (a) => relatedTo(a, runLike);
    approvals.sort((a, b) => mine(b) - mine(a));
    count.textContent = approvals.length ? String(approvals.length) : "";
    list.replaceChildren(...(approvals.length ? approvals.map((a) => approvalItem(a, decide, { related: mine(a) }))
      : [el("li", { class: "empty" }, "Nothing is waiting for you.")]));
  } catch (e) {
    list.replaceChildren(el("li", { class: "empty" }, `Could not load: ${e.message}`));
  }
}

async function decide(id, verb) {
  try {
    await bridge.call(`approvals.${verb}`, { id, reason: "from the side panel" });
  } catch (e) {
    say(e.message);
  } finally {
    loadApprovals();
  }
}

// ---- a goal ----
async function openGoal(id) {
  $("follow").checked = false;
  showTab("view");
  view = { kind: "goal", id, goal: null };
  remember("goal", id);
  showSection("goal");
  await loadGoal();
  loadApprovals();
}

async function loadGoal() {
  const v = view;
  try {
    const g = await bridge.call("goal.show", { id: v.id });
    // the round in progress: how far its run has got
    const open = (g.rounds || []).find((r) => !r.ended && r.run_id);
    if (open) {
      const rs = await bridge.call("runs.show", { id: open.run_id }).catch(() => null);
      if (rs) g.live = { id: rs.id, round: open.n, status: rs.status, done: Object.keys(rs.outputs || {}).length, total: ((rs.graph && rs.graph.steps) || []).length };
    }
    if (view !== v) return;
    v.goal = g;
    renderGoal(g, { openRun: (rid) => openRun(rid) });
  } catch (e) {
    say(`Goal ${v.id}: ${e.message}`);
  }
}

for (const verb of ["pause", "resume", "cancel"]) {
  $(`goal-${verb}`).addEventListener("click", () => bridge.call(`goal.${verb}`, { id: view.id }).then(loadGoal, (e) => say(e.message)));
}
$("guide").addEventListener("click", async () => {
  const note = $("guide-text").value.trim();
  if (!note) return ($("guide-msg").textContent = "Write the guidance first.");
  $("guide").disabled = true;
  try {
    const g = await bridge.call("goal.guide", { id: view.id, note });
    $("guide-text").value = "";
    $("guide-msg").textContent = "Added: the next round reads it.";
    renderGoal(g, { openRun: (rid) => openRun(rid) });
  } catch (e) {
    $("guide-msg").textContent = e.message;
  } finally {
    $("guide").disabled = false;
  }
});

// ---- history ----
let searchTimer = null;
let searchSeq = 0;
async function loadHistory() {
  const q = $("search").value.trim();
  const mine = ++searchSeq;
  try {
    const [{ runs }, { goals }] = await Promise.all([bridge.call("runs.list", { limit: 100, query: q }), bridge.call("goal.list", {})]);
    if (mine !== searchSeq) return; // a newer search is on its way
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const hit = (g) => words.every((w) => `${g.spec.objective} goal:${g.id} ${g.status} ${g.reason}`.toLowerCase().includes(w));
    const gs = goals.filter(hit).reverse().slice(0, 50);
    $("history-goals").replaceChildren(...(gs.length ? gs.map((g) => el("li", { "data-goal": g.id, on: { click: () => openGoal(g.id) } },
      el("div", { class: "title" }, g.spec.objective.slice(0, 160)), el("div", { class: "meta" }, `goal #${g.id} · ${g.status}`)))
      : [el("li", { class: "empty" }, q ? "No goal matches." : "No goals yet.")]));
    $("history-runs").replaceChildren(...(runs.length ? runs.map((r) => el("li", { "data-run": r.id, on: { click: () => openRun(r.id) } },
      el("div", { class: "title" }, r.goal.slice(0, 160)),
      el("div", { class: "meta" }, `${r.id} · ${r.status} · ${r.origin || "cli"} · ${new Date(r.created * 1000).toLocaleString()}`)))
      : [el("li", { class: "empty" }, q ? "No run matches." : "No runs yet.")]));
  } catch (e) {
    say(e.message);
  }
}

$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(loadHistory, 200);
});
$("guide-text").addEventListener("keydown", (e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) && $("guide").click());
$("search").addEventListener("keydown", (e) => e.key === "Enter" && (clearTimeout(searchTimer), loadHistory()));
window.addEventListener("resize", () => view && view.kind === "run" && renderRun(view.run, runActions)); // edges follow the layout
$("tab-view").addEventListener("click", () => showTab("view"));
$("tab-history").addEventListener("click", () => showTab("history"));

function refreshView() {
  if (!view) return;
  if (view.kind === "run") syncRun(true);
  else loadGoal();
  loadApprovals();
}

// A safety net for a live run: events are best effort, the log is not.
setInterval(() => {
  if (!connected || !view) return;
  if (view.kind === "run" && !TERMINAL.has(view.run.status)) syncRun(false);
  if (view.kind === "goal" && view.goal && view.goal.status === "active") loadGoal();
}, 2000);
