// Model endpoints and the model per role. An endpoint's API key is typed here, sent once to the
// daemon (which keeps it in the OS keyring) and never shown again: the page only learns "set" or
// "not set". "Test connection" asks the daemon to run `swarmbridge models test`'s check against
// the form's URL, model and typed key (else the saved key); a typed key is not saved by a test.
import { el } from "../shared/bridge.js";
import { busy, clearErrors, itemAction, say, showError } from "./form.js";

const ROLES = ["planner", "worker", "verifier", "writer"];

export function modelsSection(bridge, $) {
  let names = [];

  function card(ep) {
    const isNew = !ep;
    const err = (field) => el("p", { class: "err", "data-for": field });
    const name = isNew ? el("input", { class: "ep-name", placeholder: "local", "aria-label": "Endpoint name" }) : el("strong", {}, ep.name);
    const url = el("input", { class: "ep-url", placeholder: "http://127.0.0.1:11434/v1", value: ep ? ep.baseUrls.join(", ") : "", "aria-label": "Base URL", title: "several URLs, separated by commas, for a pool of servers serving the same model" });
    const model = el("input", { class: "ep-model", placeholder: "qwen2.5:7b", value: ep ? ep.model : "", "aria-label": "Model" });
    const price = (cls, value, label) => el("input", { class: cls, type: "number", min: "0", step: "any", inputmode: "decimal", value: value ?? "", placeholder: "free / unknown", "aria-label": label });
    const inPrice = price("ep-in-price", ep && ep.inputPrice, "Price per million prompt tokens, US dollars");
    const outPrice = price("ep-out-price", ep && ep.outputPrice, "Price per million completion tokens, US dollars");
    const keyState = ep ? ep.apiKey : "not set";
    const key = el("input", { class: "ep-key", type: "password", autocomplete: "off", placeholder: keyState === "set" ? "set (leave blank to keep)" : "not set (optional)", "aria-label": "API key" });
    const clear = el("input", { type: "checkbox", class: "ep-clear" });
    const result = el("p", { class: "msg ep-result", role: "alert" });
    const save = el("button", { type: "submit", class: "ep-save" }, isNew ? "Add endpoint" : "Save");
    const test = el("button", { type: "button", class: "secondary ep-test" }, "Test connection");
    const remove = isNew ? null : el("button", { type: "button", class: "danger ep-remove" }, "Remove");
    const source = ep && ep.keySource && ep.keySource.startsWith("env:") ? ` (from $${ep.keySource.slice(4)})` : "";
    const form = el("form", { class: "endpoint grid", "data-endpoint": ep ? ep.name : "", "aria-label": isNew ? "Add an endpoint" : `Endpoint ${ep.name}` },
      ...(isNew ? [el("h3", { class: "card-title" }, "Add an endpoint")] : []),
      el("label", {}, "Name"), name, err("name"),
      el("label", {}, "Base URL"), url, err("baseUrl"),
      el("label", {}, "Model"), model, err("model"),
      el("label", { title: "What the endpoint charges, so runs show their cost; leave empty for a local server" }, "Prompt price (USD per 1M tokens)"), inPrice, err("inputPrice"),
      el("label", { title: "What the endpoint charges, so runs show their cost; leave empty for a local server" }, "Completion price (USD per 1M tokens)"), outPrice, err("outputPrice"),
      el("label", {}, "API key ", el("span", { class: "badge ep-keystate" + (keyState === "set" ? " set" : "") }, keyState + source)), key, err("apiKey"),
      ...(ep && keyState === "set" && !source ? [el("span"), el("label", { class: "inline" }, clear, " remove the saved key"), el("span")] : []),
      el("div", { class: "actions" }, save, test, remove), result);
    const where = (field) => form.querySelector(`.err[data-for="${field}"]`);
    const endpointName = () => (isNew ? name.value.trim() : ep.name);

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      clearErrors(form);
      busy(save, async () => {
        const params = { name: endpointName(), baseUrl: url.value, model: model.value.trim() };
        params.inputPrice = inPrice.value === "" ? null : Number(inPrice.value);
        params.outputPrice = outPrice.value === "" ? null : Number(outPrice.value);
        if (key.value) params.apiKey = key.value;
        if (clear.checked) params.clearKey = true;
        try {
          const got = await bridge.call("models.endpoints.set", params);
          key.value = "";
          render(got, `Saved ${params.name}.` + (got.restartNeeded ? " Restart the daemon for runs to use it." : ""));
        } catch (err) {
          showError(err, where, result);
        }
      });
    });
    test.addEventListener("click", () => {
      clearErrors(form);
      say(result, "Testing…");
      busy(test, async () => {
        const params = isNew ? { baseUrl: url.value, model: model.value.trim() } : { name: ep.name, baseUrl: url.value, model: model.value.trim() };
        if (key.value) params.apiKey = key.value; // tested once, not saved
        try {
          const r = await bridge.call("models.endpoints.test", params);
          const unsavedKey = key.value ? " (with the key typed here, not saved yet)" : "";
          if (r.ok) say(result, `Connected: answered in ${r.latency_s} s (${r.tokens} tokens); tool calls: ${r.tool_mode}.${unsavedKey}`, true);
          else say(result, `Connection failed: ${r.error}`, false);
        } catch (err) {
          showError(err, where, result);
        }
      });
    });
    if (remove)
      remove.addEventListener("click", () =>
        itemAction(remove, result, "Not removed", async () => render(await bridge.call("models.endpoints.remove", { name: ep.name }), `Removed ${ep.name}.`)),
      );
    return form;
  }

  function render(data, message) {
    names = data.endpoints.map((e) => e.name);
    $("endpoints").replaceChildren(...data.endpoints.map(card), card(null));
    if (!data.keyring) $("endpoints").prepend(el("p", { class: "hint" }, `API keys cannot be saved here: ${data.keyringProblem}. Use an environment variable (swarmbridge models add NAME --api-key-env VAR).`));
    for (const role of ROLES) {
      const sel = $(`role-${role}`);
      const first = names[0] ? `default (${names[0]})` : "default (no endpoint yet)";
      sel.replaceChildren(el("option", { value: "" }, first), ...names.map((n) => el("option", { value: n }, n)));
      sel.value = data.roles[role] || "";
    }
    say($("models-msg"), message || "", true);
  }

  $("roles-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors($("roles-form"));
    busy($("roles-save"), async () => {
      const roles = Object.fromEntries(ROLES.map((r) => [r, $(`role-${r}`).value || null]));
      try {
        render(await bridge.call("models.roles.set", { roles }));
        say($("roles-msg"), "Roles saved.", true);
      } catch (err) {
        showError(err, (f) => $(`err-role-${f}`), $("roles-msg"));
      }
    });
  });

  return {
    async load() {
      try {
        render(await bridge.call("models.endpoints.list", {}));
      } catch (err) {
        say($("models-msg"), `Could not load the endpoints: ${err.message}`, false);
      }
    },
  };
}
