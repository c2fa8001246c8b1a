// One pending approval as a list item (popup and side panel show the same thing): what is asked,
// by whom, until when, the preview of every value, and Approve / Deny.
import { el } from "./bridge.js";

export function previewText(p) {
  if (!p) return "";
  if (p.fields) return p.fields.map((f) => `${f.field || f.type}: ${f.value ?? ""}`).join("\n");
  if (p.diff) return p.diff;
  return JSON.stringify(p, null, 1);
}

// decide(id, "approve" | "deny") is called on a click; both buttons are disabled while it runs.
export function approvalItem(a, decide, { related = false } = {}) {
  const li = el("li", { "data-id": a.id, class: related ? "related" : "" },
    el("div", { class: "title" }, a.summary),
    el("div", { class: "meta" }, `${a.tool} · ${a.risk} · ${a.origin || "?"} · expires ${new Date(a.expires_at * 1000).toLocaleTimeString()}`),
    el("pre", { class: "preview" }, previewText(a.preview)));
  const click = (verb) => async () => {
    for (const b of li.querySelectorAll("button")) b.disabled = true;
    await decide(a.id, verb);
  };
  li.append(el("div", { class: "actions" },
    el("button", { type: "button", class: "approve", on: { click: click("approve") } }, "Approve"),
    el("button", { type: "button", class: "danger deny", on: { click: click("deny") } }, "Deny")));
  return li;
}
