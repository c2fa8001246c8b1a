// The options page: every setting lives in the daemon, and this page only shows and sends it.
// Sections: model endpoints and roles (models.js), browser (search engine, swarm tabs at once:
// settings.get/set, which the service worker follows), the default approval policy with its site
// and folder lists (policies.*), mounted folders (mounts.*), autofill profiles (profiles.js).
// Each save sends the raw input; the daemon's error for a field is shown next to that field.
import { UiBridge, el, showState } from "../shared/bridge.js";
import { busy, clearErrors, itemAction, lines, say, showError } from "./form.js";
import { modelsSection } from "./models.js";
import { profilesSection } from "./profiles.js";

const bridge = new UiBridge("options");
const $ = (id) => document.getElementById(id);
const models = modelsSection(bridge, $);
const profiles = profilesSection(bridge, $);
let loaded = false;

bridge.onState = (s) => {
  const d = showState(s);
  for (const b of document.querySelectorAll("main button")) b.disabled = !d.ok;
  if (d.ok && !loaded) {
    loaded = true;
    loadAll();
  }
  if (!d.ok) loaded = false;
};

function loadAll() {
  return Promise.all([models.load(), loadBrowser(), loadPolicy(), loadMounts(), profiles.load()]);
}

// ---- browser: search engine and tab concurrency ----
async function loadBrowser() {
  try {
    const got = await bridge.call("settings.get", {});
    $("config-file").textContent = got.file;
    const engine = got.settings.searchEngine;
    const known = got.engines.includes(engine);
    $("search-engine").replaceChildren(...got.engines.map((n) => el("option", { value: n }, n)), el("option", { value: "custom" }, "custom URL"));
    $("search-engine").value = known ? engine : "custom";
    $("search-url").value = known ? "" : engine;
    $("search-url").disabled = known;
    $("tab-concurrency").value = String(got.settings.tabConcurrency);
    $("tab-concurrency").title = `1 to ${got.maxTabs}`;
    const env = Object.entries(got.sources).filter(([, s]) => s === "env").map(([k]) => k);
    if (env.length) say($("browser-msg"), `Set by the environment, which wins over this page: ${env.join(", ")}.`, false);
  } catch (err) {
    say($("browser-msg"), `Could not load the settings: ${err.message}`, false);
  }
}

$("search-engine").addEventListener("change", () => ($("search-url").disabled = $("search-engine").value !== "custom"));
$("browser-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearErrors($("browser-form"));
  const engine = $("search-engine").value === "custom" ? $("search-url").value : $("search-engine").value;
  busy($("browser-save"), async () => {
    try {
      const got = await bridge.call("settings.set", { settings: { searchEngine: engine, tabConcurrency: $("tab-concurrency").value.trim() } });
      await loadBrowser();
      const applied = Object.values(got.bridges || {}).every((s) => s === "applied");
      say($("browser-msg"), applied ? "Saved; the browser follows it now." : "Saved; a browser that did not take it will on its next connection.", true);
    } catch (err) {
      showError(err, (f) => $(`err-${f}`), $("browser-msg"));
    }
  });
});

// ---- approvals: the default policy (origin "") and the others, listed ----
async function loadPolicy() {
  try {
    const { policies } = await bridge.call("policies.list", {});
    const p = policies[""] || { mode: "ask", allowSites: [], denySites: [], allowFolders: [] };
    $("policy-mode").value = p.mode;
    $("allow-sites").value = (p.allowSites || []).join("\n");
    $("deny-sites").value = (p.denySites || []).join("\n");
    $("allow-folders").value = (p.allowFolders || []).join("\n");
    const others = Object.entries(policies).filter(([o]) => o !== "");
    $("other-policies-h").hidden = !others.length;
    $("other-policies").replaceChildren(...others.map(([origin, q]) => el("li", { "data-origin": origin },
      el("span", { class: "grow" }, el("strong", {}, origin), " ", el("span", { class: "meta" }, `${q.mode}; sites: ${(q.allowSites || []).join(", ") || "none"}`)),
      el("button", { type: "button", class: "danger", on: { click: (e) => removePolicy(origin, e.target) } }, "Remove"))));
  } catch (err) {
    say($("policy-msg"), `Could not load the policy: ${err.message}`, false);
  }
}

function removePolicy(origin, button) {
  return itemAction(button, $("policy-msg"), "Not removed", async () => {
    await bridge.call("policies.set", { origin, policy: null });
    await loadPolicy();
  });
}

$("policy-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearErrors($("policy-form"));
  const policy = { mode: $("policy-mode").value, allowSites: lines($("allow-sites").value), denySites: lines($("deny-sites").value), allowFolders: lines($("allow-folders").value) };
  busy($("policy-save"), async () => {
    try {
      await bridge.call("policies.set", { origin: "", policy });
      await loadPolicy();
      say($("policy-msg"), "Policy saved.", true);
    } catch (err) {
      showError(err, (f) => $(`err-${f}`), $("policy-msg"));
    }
  });
});

// ---- mounted folders ----
async function loadMounts(message = "") {
  try {
    const { mounts } = await bridge.call("mounts.list", {});
    $("mounts").replaceChildren(...(mounts.length ? mounts.map((m) => el("li", { "data-mount": m.name },
      el("span", { class: "grow" }, el("strong", {}, m.name), " ", el("span", { class: "meta" }, `${m.root} · ${m.writable ? "read-write" : "read-only"}`)),
      el("button", { type: "button", class: "danger", on: { click: (e) => unmount(m.name, e.target) } }, "Unmount"))) : [el("li", { class: "empty" }, "No folders mounted.")]));
    if (message) say($("mount-msg"), message, true);
  } catch (err) {
    say($("mount-msg"), `Could not load the mounts: ${err.message}`, false);
  }
}

function unmount(name, button) {
  return itemAction(button, $("mount-msg"), "Not unmounted", async () => {
    await bridge.call("mounts.remove", { name });
    await loadMounts(`Unmounted ${name}.`);
  });
}

$("mount-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearErrors($("mount-form"));
  const params = { name: $("mount-name").value.trim(), path: $("mount-path").value.trim(), writable: $("mount-rw").checked };
  busy($("mount-add"), async () => {
    try {
      await bridge.call("mounts.add", params);
      $("mount-name").value = $("mount-path").value = "";
      $("mount-rw").checked = false;
      await loadMounts(`Mounted ${params.name}.`);
    } catch (err) {
      // The files component names the problem in its message: a name rule, or the folder.
      const field = /mount name|mount '.*' exists/i.test(err.message) ? "name" : "path";
      showError({ message: err.message, data: { fields: { [field]: err.message } } }, (f) => $(`err-mount-${f}`), $("mount-msg"));
    }
  });
});
