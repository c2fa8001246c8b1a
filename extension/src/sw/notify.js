// Which daemon events become desktop notifications, and their text. Pure: tested in node.
// Notification ids carry what a button acts on ("approval:<id>").
const clip = (s, n = 180) => {
  s = String(s == null ? "" : s).replace(/\s+/g, " ").trim();
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
};

export function notificationFor(method, p = {}) {
  if (method === "approval.requested") {
    return {
      id: `approval:${p.id}`,
      options: { title: `Approve? ${clip(p.tool, 40)}`, message: clip(p.summary), contextMessage: clip(p.origin, 60), requireInteraction: true, priority: 2, buttons: [{ title: "Approve" }, { title: "Deny" }] },
    };
  }
  if (method === "approval.decided") return { id: `approval:${p.id}`, options: null, clear: true };
  if (method === "schedule.run_finished") {
    const changed = typeof p.notify === "boolean" ? p.notify : /changed|added|removed/i.test(p.note || ""); // older daemons: the note's words
    if (p.status === "ok" && !changed) return null; // quiet success
    const what = p.status === "ok" ? "has changes" : p.status === "skipped_overlap" ? "was skipped (still running)" : `${p.status}`;
    return { id: `schedule:${p.job}:${p.runId}`, options: { title: `Schedule ${clip(p.job, 40)} ${what}`, message: clip(p.note || p.output || "") || "See `swarmbridge schedule history`." } };
  }
  if (method === "goal.changed" && ["complete", "blocked", "failed", "paused"].includes(p.status)) {
    return { id: `goal:${p.goalId}:${p.status}`, options: { title: `Goal ${p.goalId} ${p.status}`, message: clip(p.reason) || `Goal ${p.goalId} is ${p.status}.` } };
  }
  if (method === "goal.stalled") return { id: `goal:${p.goalId}:stalled`, options: { title: `Goal ${p.goalId} paused: no progress`, message: clip(p.reason) } };
  if (method === "run.finished" || method === "run.blocked") {
    return { id: `run:${p.runId}`, options: { title: `Run ${p.status || (method === "run.blocked" ? "blocked" : "finished")}`, message: clip(p.reason || p.summary || p.goal || "") || "Open the side panel for details." } };
  }
  return null;
}
