// Draws one run (the state from runstate.js) into the side panel's #run section: header and
// counters, the task graph in dependency layers, the sub-agent tree (each agent's turns, tool
// calls and verifier checks), deliverables (view, save, path) and outputs. Rendering only: every
// action is a callback the caller gives (`act`), so this module never talks to the daemon.
import { el } from "../shared/bridge.js";
import { TERMINAL, clip, counts, goalOf, layers } from "./runstate.js";

const $ = (id) => document.getElementById(id);
const time = (t) => (t ? new Date(t * 1000).toLocaleTimeString() : "");
const open = new Set(); // sub-agents the user expanded survive re-renders

export function renderRun(run, act) {
  $("run-goal").textContent = clip(run.goal, 600);
  $("run-meta").textContent = `run ${run.id} · ${run.origin || "cli"} · started ${time(run.created)}${run.finished ? ` · finished ${time(run.finished)}` : ""}`;
  $("run-status").textContent = run.status + (run.stopReason && run.stopReason !== "completed" ? `: ${run.stopReason}` : "");
  $("run-status").className = `pill ${run.status}`;
  const c = counts(run);
  $("run-counts").textContent = `${run.tasks.size} tasks · ${c.running} running · ${c.done} done · ${c.blocked} blocked · ${c.waiting} waiting`;
  const turns = [...run.tasks.values()].reduce((n, t) => n + t.turns.length, 0);
  const calls = [...run.tasks.values()].reduce((n, t) => n + t.calls.length, 0);
  $("run-tokens").textContent = String(run.tokens);
  $("run-steps").textContent = String(Math.max(run.steps, turns + calls));
  $("run-calls").textContent = String(calls);
  $("run-cost-wrap").hidden = run.cost === null;
  $("run-cost").textContent = run.cost === null ? "" : `$${run.cost.toFixed(4)}`;
  const live = !TERMINAL.has(run.status);
  $("run-cancel").hidden = !live;
  $("run-resume").hidden = live || !["stopped", "cancelled"].includes(run.status);
  const gid = goalOf(run.origin);
  $("run-goal-link").hidden = gid === null;
  $("run-goal-link").textContent = gid === null ? "" : `Open goal #${gid}`;
  $("run-notes").replaceChildren(...run.notes.map((n) => el("li", {}, n)));
  renderGraph(run, act);
  renderAgents(run, act);
  renderDeliverables(run, act);
  renderOutputs(run);
}

function renderGraph(run, act) {
  $("graph").replaceChildren(...layers(run).map((layer, i) => el("div", { class: "layer", "data-layer": i },
    ...layer.map((t) => el("button", {
      type: "button", class: `node ${t.status}`, "data-task": t.id, "data-status": t.status, title: t.instructions || t.tool || "",
      on: { click: () => act.focusTask(t.id) },
    }, el("div", { class: "id" }, t.id),
    el("div", { class: "sub" }, `${t.status}${t.inputs.length ? ` ← ${t.inputs.join(", ")}` : ""}`))))));
  drawEdges(run);
}

// Dependency edges as an SVG overlay: from the bottom of each input to the top of its dependant.
// Past MAX_EDGES the "← inputs" line on each node says the same without the cost.
const MAX_EDGES = 400;
const SVG = "http://www.w3.org/2000/svg";
function drawEdges(run) {
  const box = $("graph");
  const edges = [...run.tasks.values()].flatMap((t) => t.inputs.map((i) => [i, t.id]));
  if (!edges.length || edges.length > MAX_EDGES) return;
  const at = new Map([...box.querySelectorAll(".node")].map((n) => [n.dataset.task, n.getBoundingClientRect()]));
  const origin = box.getBoundingClientRect();
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "edges");
  svg.setAttribute("width", String(origin.width));
  svg.setAttribute("height", String(origin.height));
  for (const [from, to] of edges) {
    const a = at.get(from);
    const b = at.get(to);
    if (!a || !b) continue;
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", String(a.left + a.width / 2 - origin.left));
    line.setAttribute("y1", String(a.bottom - origin.top));
    line.setAttribute("x2", String(b.left + b.width / 2 - origin.left));
    line.setAttribute("y2", String(b.top - origin.top));
    line.dataset.edge = `${from}>${to}`;
    svg.append(line);
  }
  box.append(svg);
}

// What the sub-agent said, the tools it called (with arguments) and what came back (runs.steps).
// Tool results are page or file content: untrusted data, shown as text only.
function transcript(steps) {
  if (!steps) return null;
  const items = [];
  for (const s of steps) {
    const b = s.body;
    if (s.kind === "message" && b && typeof b === "object") {
      if (b.content) items.push(el("li", { class: "said" }, `says: ${clip(b.content, 1500)}`));
      for (const c of b.tool_calls || []) items.push(el("li", { class: "call" }, `calls ${c.function ? c.function.name : c.name}(${clip(c.function ? c.function.arguments : JSON.stringify(c.arguments), 600)})`));
    } else if (s.kind === "message") {
      items.push(el("li", { class: "said" }, `says: ${clip(b, 1500)}${s.clipped ? " [cut]" : ""}`));
    } else {
      items.push(el("li", { class: "result" }, `result: ${clip(b, 1500)}${s.clipped ? ` [cut, ${s.size} characters in all]` : ""}`));
    }
  }
  return el("div", { class: "transcript" }, el("div", { class: "meta" }, "Transcript"),
    items.length ? el("ol", {}, ...items) : el("p", { class: "empty" }, "Nothing recorded yet."));
}

// Tasks the user has expanded (their transcripts are kept fresh while the run goes on).
export function openTasks() {
  return [...open];
}

// Another run: task ids repeat across runs ("main"), what was expanded does not carry over.
export function forgetOpen() {
  open.clear();
}

// A sub-agent's detail (instructions, steps, calls, checks, transcript): built only for the ones
// expanded, so a 300-task run redraws 300 summaries, not 300 bodies.
function agentBody(t, run) {
  return el("div", { class: "body" },
    t.instructions ? el("div", { class: "instr" }, clip(t.instructions, 800)) : null,
    t.reason ? el("div", { class: "fix" }, t.reason) : null,
    el("div", { class: "meta" }, "Steps"),
    el("ol", { class: "steps" }, ...t.turns.map((s) => el("li", {}, `turn ${s.turn} · run tokens ${s.tokens} · ${time(s.at)}`))),
    el("div", { class: "meta" }, "Tool calls"),
    el("ol", { class: "calls" }, ...t.calls.map((c) => el("li", {}, `${c.tool} · ${c.key} · ${time(c.at)}`))),
    t.checks.length ? el("ol", { class: "checks" }, ...t.checks.map((v) => el("li", {}, `check ${v.attempt}: ${v.passed ? "passed" : `failed: ${v.feedback}`}`))) : null,
    transcript(run.transcripts && run.transcripts.get(t.id)));
}

function renderAgents(run, act) {
  const items = [...run.tasks.values()].map((t) => {
    const d = el("details", { "data-task": t.id },
      el("summary", {}, el("span", { class: `pill ${t.status === "waiting" ? "" : t.status}` }, t.status), el("span", { class: "id" }, t.id),
        el("span", { class: "meta" }, t.tool ? `tool ${t.tool}${t.map ? ` over ${t.map}` : ""}` : `${t.role} · ${t.turns.length} turn(s) · ${t.calls.length} tool call(s)`)));
    if (open.has(t.id)) {
      d.append(agentBody(t, run));
      d.open = true;
    }
    d.addEventListener("toggle", () => {
      if (!d.open) return void open.delete(t.id);
      if (!d.querySelector(".body")) d.append(agentBody(t, run));
      if (!open.has(t.id)) {
        open.add(t.id);
        act.openedTask(t.id); // fetch its transcript
      }
    });
    return el("li", { "data-task": t.id }, d);
  });
  $("agents").replaceChildren(...(items.length ? items : [el("li", { class: "empty" }, "No tasks yet.")]));
}

export function focusTask(id) {
  open.add(id);
  const d = document.querySelector(`#agents details[data-task="${CSS.escape(id)}"]`);
  if (d) {
    d.open = true; // its toggle handler adds the body
    d.scrollIntoView({ block: "nearest" });
  }
}

function renderDeliverables(run, act) {
  if (!run.deliverables.length) {
    $("deliverables").replaceChildren(el("li", { class: "empty" }, TERMINAL.has(run.status) ? "This run wrote no files." : "None yet."));
    return;
  }
  $("deliverables").replaceChildren(...run.deliverables.map((d) => {
    const name = d.path ? d.path.split(/[\\/]/).pop() : `report ${d.index + 1}`;
    const view = el("pre", { class: "output", hidden: true });
    return el("li", { "data-deliverable": d.index },
      el("div", { class: "title" }, name),
      el("div", { class: "meta" }, d.kind || "file"),
      d.path ? el("div", { class: "path", title: "the file the daemon wrote" }, d.path) : null,
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary view", on: { click: () => act.viewDeliverable(d.index, view) } }, "View"),
        el("button", { type: "button", class: "secondary save", on: { click: () => act.saveDeliverable(d.index) } }, "Save…"),
        d.path ? el("button", { type: "button", class: "secondary copy", on: { click: () => act.copy(d.path) } }, "Copy path") : null),
      view);
  }));
}

function renderOutputs(run) {
  const keys = Object.keys(run.outputs || {});
  $("outputs").replaceChildren(...(keys.length ? keys.map((k) => el("details", { "data-output": k },
    el("summary", {}, k), el("pre", { class: "output" }, clip(run.outputs[k], 4000)))) : [el("p", { class: "empty" }, "No outputs yet.")]));
}
