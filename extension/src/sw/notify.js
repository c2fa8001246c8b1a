// Which daemon events become desktop notifications, and their text. Pure: tested in node.
// Notification ids carry what a button acts on ("approval:<id>").
const clip = (s, n = 180) => {
  s = String(s == null ? "" : s).replace(/\s+/g, " ").trim();
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
};

// A run that finished well notifies only when it took at least this long (seconds).
export const LONG_RUN_S = 20;

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
  if (method === "run.finished") {
    // A long run's end, or any run that did not simply finish; a quick run's result is already on
    // screen where it was started. A blocked task is not notified: its run's end says so.
    if (p.status === "cancelled") return null; // the person stopped it
    const plain = p.status === "done";
    if (plain && Number(p.elapsed_s) < LONG_RUN_S) return null;
    const title = plain ? "Run finished" : p.status === "done_with_blocked" ? "Run finished with blocked tasks" : `Run ${p.status || "ended"}`;
    const reason = plain ? "" : p.stop_reason && p.stop_reason !== "completed" ? ` (${p.stop_reason})` : "";
    return { id: `run:${p.run_id}`, options: { title, message: clip(`${p.goal || "a run"}${reason}`) || "Open the side panel for details." } };
  }
  return null;
}
