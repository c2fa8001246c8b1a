// Draws one goal (goal.show) into the side panel's #goal section: objective, status and why,
// usage against budgets, every round with its decision (each round's run opens in the panel),
// the guidance given so far. Rendering only; actions are the caller's callbacks.
import { el } from "../shared/bridge.js";
import { clip } from "./runstate.js";

const $ = (id) => document.getElementById(id);

function usageText(g) {
  const u = g.usage || {};
  const b = (g.spec && g.spec.budgets) || {};
  const part = (name, used, max) => `${name} ${used ?? 0}${max ? `/${max}` : ""}`;
  const parts = [part("rounds", (g.rounds || []).length, b.rounds), part("tokens", u.tokens, b.tokens), part("steps", u.steps, b.steps)];
  // US dollars: only where an endpoint has prices (or the goal has a cost budget); never a guessed $0
  if (typeof u.cost === "number" || b.cost) parts.push(`cost $${(u.cost ?? 0).toFixed(4)}${b.cost ? `/$${b.cost}` : ""}`);
  return parts.join(" · ");
}

export function renderGoal(g, act) {
  $("goal-objective").textContent = clip(g.spec.objective, 1200);
  $("goal-status").textContent = g.status;
  $("goal-status").className = `pill ${g.status}`;
  $("goal-reason").textContent = g.reason || "";
  $("goal-usage").textContent = `goal #${g.id} · ${usageText(g)}`;
  $("goal-pause").hidden = g.status !== "active";
  $("goal-resume").hidden = !["paused", "blocked"].includes(g.status);
  $("goal-cancel").hidden = ["complete", "cancelled", "failed"].includes(g.status);
  const rounds = g.rounds || [];
  $("rounds").replaceChildren(...(rounds.length ? rounds.map((r) => el("li", { "data-round": r.n },
    el("div", { class: "title" }, `Round ${r.n}: ${r.decision || (r.ended ? "ended" : "running…")}`),
    el("div", { class: "meta" }, [r.reason, typeof r.score === "number" ? `score ${r.score}` : "", r.proposal ? `proposed ${r.proposal}` : ""].filter(Boolean).join(" · ")),
    g.live && g.live.round === r.n ? el("div", { class: "meta live" }, `run ${g.live.id}: ${g.live.status}, ${g.live.done} of ${g.live.total} tasks done`) : null,
    r.run_id ? el("div", { class: "actions" }, el("button", { type: "button", class: "secondary", "data-run": r.run_id, on: { click: () => act.openRun(r.run_id) } }, `Open run ${r.run_id}`)) : null))
    : [el("li", { class: "empty" }, "No rounds yet.")]));
  const notes = Array.isArray(g.guidance) ? g.guidance : g.guidance ? [g.guidance] : [];
  $("guidance").replaceChildren(...(notes.length ? notes.map((n) => typeof n === "string" ? el("li", {}, n)
    : el("li", { title: n.at ? `given ${new Date(n.at * 1000).toLocaleString()}` : undefined }, n.note || JSON.stringify(n)))
    : [el("li", { class: "empty" }, "No guidance yet.")]));
}
