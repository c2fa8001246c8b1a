// The prompt window's "Scrape this list on a schedule" section. The pick session lives in the
// page (content/pick_overlay.js) and owns the picked elements; this window follows its state
// (broadcast after every pick), steers its steps, previews rows (live from the page; "all pages"
// through the daemon's schedule.preview, which runs the very recipe the job will), shows the next
// fire times the daemon computes for the cron expression, and saves the job with schedule.add.
// Selectors typed by hand replace the page session's (its broadcasts are then ignored) until
// "Pick again".
import { el } from "../shared/bridge.js";
import { pickCommand, startPick } from "../../sw/handlers/pick.js";
import { columns, defaultKey, defaultName, fieldsText, jobSpec, manualState, triggerFor } from "./recipe.js";

const $ = (id) => document.getElementById(id);
const TZ = (Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
const STEP_TEXT = {
  items: "Click 2 or 3 examples of the repeated item in the page.",
  fields: "Click each field you want inside one highlighted item.",
  next: "Click the page's “next page” link, or press Done picking.",
  done: "Picking done. Check the preview, then schedule it.",
  cancelled: "Picking was cancelled (Esc). Press “Pick again” to start over.",
  manual: "Using the selectors typed by hand (“Pick again” goes back to the page).",
};

export function initScrape(bridge, key, source, pickError = "") {
  let state = null;
  let previewRows = null; // rows of the last "all pages" preview (null: show the live page rows)
  let lastFieldKey = "";
  let keyChosen = false; // the user picked the row key (even "whole row"): keep it

  const showError = (e) => ($("pick-error").textContent = e ? e.message || String(e) : "");
  const command = async (cmd, params) => {
    try {
      const got = await pickCommand(source.tabId, cmd, params);
      showError(null);
      render(got); // the session's own error (if any) shows after the clear
    } catch (e) {
      showError(e);
    }
  };

  let manual = false; // selectors typed by hand: the page session's broadcasts no longer apply

  function render(s, typed = false) {
    if (!s || s.key !== key || (manual && !typed)) return;
    state = s;
    if (!$("manual").open) {
      $("m-item").value = s.item || "";
      $("m-fields").value = fieldsText(s.fields || []);
      $("m-next").value = s.next || "";
    }
    previewRows = null;
    $("pick-step").textContent = STEP_TEXT[s.step] || "";
    $("pick-status").textContent = s.item ? `${s.count} items match ${s.item}; ${s.fields.length} field(s)${s.next ? `; next page: ${s.next}` : ""}.` : `${s.examples} example(s) picked.`;
    $("pick-error").textContent = s.error || "";
    for (const [id, step] of [["pick-items", "items"], ["pick-fields", "fields"], ["pick-next", "next"]]) $(id).classList.toggle("secondary", s.step !== step);
    renderFields(s.fields);
    renderRows(s.rows, `${s.total} row(s) on this page (live)`);
  }

  function renderFields(fields) {
    const fieldKey = JSON.stringify([manual, fields]);
    if (fieldKey === lastFieldKey) return; // keep focus in a name being edited
    lastFieldKey = fieldKey;
    $("fields").tBodies[0].replaceChildren(...fields.map((f, i) => el("tr", { "data-field": f.name },
      el("td", {}, el("input", { value: f.name, "aria-label": "field name", disabled: manual, on: { change: (e) => command("rename", { index: i, name: e.target.value }) } })),
      el("td", {}, el("code", {}, f.selector + (f.attr ? ` @${f.attr}` : ""))),
      el("td", {}, el("button", { type: "button", class: "secondary", title: "remove this field", disabled: manual, on: { click: () => command("remove", { index: i }) } }, "✕")))));
    const sel = $("key");
    const keep = sel.value;
    sel.replaceChildren(el("option", { value: "" }, "whole row"), ...fields.map((f) => el("option", { value: f.name }, f.name)));
    sel.value = fields.some((f) => f.name === keep) || (keyChosen && keep === "") ? keep : defaultKey(fields);
  }

  function renderRows(rows, caption) {
    const cols = columns(rows);
    $("rows").tHead.replaceChildren(el("tr", {}, cols.map((c) => el("th", {}, c))));
    $("rows").tBodies[0].replaceChildren(...rows.slice(0, 50).map((r) => el("tr", {}, cols.map((c) => el("td", {}, r[c] == null ? "" : String(r[c]))))));
    $("preview-msg").textContent = caption;
  }

  const options = () => ({ scroll: $("scroll").checked, maxPages: $("max-pages").value, key: $("key").value, format: $("format").value, notify: $("notify").checked });

  async function previewAll() {
    $("preview-all").disabled = true;
    $("preview-msg").textContent = "Running the recipe in a background tab…";
    try {
      const r = await bridge.call("schedule.preview", { trigger: triggerFor(state, source, options()), limit: 200 });
      previewRows = r.rows;
      renderRows(r.rows, `${r.total} row(s) across all pages (as the schedule will get them)`);
    } catch (e) {
      $("preview-msg").textContent = e.message;
    } finally {
      $("preview-all").disabled = false;
    }
  }

  let cronTimer = 0;
  async function showNextTimes() {
    const expr = $("cron").value.trim();
    try {
      const { times } = await bridge.call("schedule.next", { expr, tz: TZ, count: 3 });
      $("next-times").replaceChildren(el("li", {}, `Next runs (${TZ}):`), ...times.map((t) => el("li", {}, t)));
    } catch (e) {
      $("next-times").replaceChildren(el("li", { class: "bad" }, e.message));
    }
  }

  // The saved job's runs, newest first: each says what changed since the one before.
  let saved = "";
  async function loadHistory() {
    try {
      const { runs } = await bridge.call("schedule.history", { name: saved, limit: 10 });
      $("history").replaceChildren(...(runs.length ? runs.map((r) => el("li", { "data-run": r.id, "data-status": r.status },
        el("div", { class: "title" }, `#${r.id} ${r.status}`),
        el("div", { class: "meta" }, r.note || ""),
        r.artefacts && r.artefacts.file ? el("div", { class: "meta" }, `rows saved to ${r.artefacts.file}`) : null)) : [el("li", { class: "empty" }, "No runs yet.")]));
    } catch (e) {
      $("smsg").textContent = e.message;
    }
  }

  // A name that exists already: the button turns into "Replace schedule" (same job, same history).
  let replacing = "";
  const noReplace = () => {
    replacing = "";
    $("save").textContent = "Save schedule";
  };

  async function save() {
    $("smsg").textContent = "";
    try {
      const trigger = triggerFor(state, source, options());
      const spec = jobSpec($("name").value.trim() || defaultName(source.url), $("cron").value, TZ, trigger);
      const job = await bridge.call("schedule.add", replacing === spec.name ? { ...spec, replace: true } : spec).catch((e) => {
        if (/already exists/.test(e.message)) {
          replacing = spec.name;
          $("save").textContent = "Replace schedule";
        }
        throw e;
      });
      const how = replacing ? "Replaced" : "Saved";
      noReplace();
      $("smsg").textContent = `${how} schedule "${job.name}". Its runs show what changed since the one before (also: \`swarmbridge schedule history ${job.name}\`).`;
      saved = job.name;
      $("after-save").hidden = false;
      loadHistory();
      if (state.step !== "done") await command("step", { step: "done" });
    } catch (e) {
      $("smsg").textContent = e.message;
    }
  }

  chrome.runtime.onMessage.addListener((m) => {
    if (m && m.sbPick === "state") render(m.state);
  });
  $("pick-items").addEventListener("click", () => command("step", { step: "items" }));
  $("pick-fields").addEventListener("click", () => command("step", { step: "fields" }));
  $("pick-next").addEventListener("click", () => command("step", { step: "next" }));
  $("pick-done").addEventListener("click", () => command("step", { step: "done" }));
  $("m-apply").addEventListener("click", async () => {
    try {
      const typed = manualState(key, source.url, $("m-item").value, $("m-fields").value, $("m-next").value);
      const { rows } = await bridge.call("browser.extract", { tabId: source.tabId, mode: "structured", schema: typed.schema, paginate: false });
      if (state && ["items", "fields", "next"].includes(state.step)) await pickCommand(source.tabId, "stop", { key }).catch(() => {});
      manual = true;
      showError(null);
      render({ ...typed, count: rows.length, rows: rows.slice(0, 50), total: rows.length }, true);
    } catch (e) {
      showError(e);
    }
  });
  $("pick-restart").addEventListener("click", async () => {
    manual = false;
    try {
      const got = await startPick(source.tabId, key);
      showError(null);
      render(got);
    } catch (e) {
      showError(e);
    }
  });
  $("preview-all").addEventListener("click", previewAll);
  $("save").addEventListener("click", save);
  $("key").addEventListener("change", () => (keyChosen = true));
  $("name").addEventListener("input", noReplace);
  $("run-now").addEventListener("click", () => bridge.call("schedule.run_now", { name: saved }).then(loadHistory, (e) => ($("smsg").textContent = e.message)));
  bridge.onEvent = (method, params) => {
    if (method === "schedule.run_finished" && saved && params.job === saved) loadHistory();
  };
  $("cron").addEventListener("input", () => {
    clearTimeout(cronTimer);
    cronTimer = setTimeout(showNextTimes, 300);
  });
  $("name").placeholder = defaultName(source.url);
  // A window closed half-way must not leave the page swallowing clicks.
  addEventListener("pagehide", () => {
    if (state && ["items", "fields", "next"].includes(state.step)) pickCommand(source.tabId, "stop", { key }).catch(() => {});
  });
  showNextTimes();
  if (pickError) showError(new Error(`Point-and-pick could not start on this page: ${pickError}`));
  else command("state", {});
  return { get state() { return state; }, get previewRows() { return previewRows; } };
}
