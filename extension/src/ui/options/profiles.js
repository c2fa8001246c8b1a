// Autofill profiles kept by the daemon: list, edit (load into the form), save, remove. Payment
// fields (cc-*) are off by default: they are saved only when the box is ticked, and then only to
// the OS keyring (the daemon refuses them where no keyring is usable). Stored payment values are
// never sent back to this page: an edit keeps them unless replaced.
import { el } from "../shared/bridge.js";
import { busy, clearErrors, itemAction, pairs, pairsText, say, showError } from "./form.js";

const SECTIONS = { fields: "profile-fields", shipping: "profile-shipping", billing: "profile-billing" };

export function profilesSection(bridge, $) {
  const form = $("profile-form");
  const where = (field) => $(field === "name" ? "err-profile-name" : SECTIONS[field] ? `err-${SECTIONS[field]}` : "");

  async function load(message = "") {
    try {
      const { profiles } = await bridge.call("autofill.profiles.list", {});
      $("profiles").replaceChildren(
        ...(profiles.length
          ? profiles.map((p) => el("li", { "data-profile": p.name },
              el("span", { class: "grow" }, el("strong", {}, p.name), " ", el("span", { class: "meta" }, `${p.fields} field${p.fields === 1 ? "" : "s"}`)),
              el("button", { type: "button", class: "secondary edit", on: { click: () => edit(p.name) } }, "Edit"),
              el("button", { type: "button", class: "danger remove", on: { click: (e) => remove(p.name, e.target) } }, "Remove")))
          : [el("li", { class: "empty" }, "No profiles yet.")]),
      );
      if (message) say($("profile-msg"), message, true);
    } catch (err) {
      say($("profile-msg"), `Could not load the profiles: ${err.message}`, false);
    }
  }

  async function edit(name) {
    clearErrors(form);
    try {
      const p = await bridge.call("autofill.profiles.get", { name });
      $("profile-name").value = p.name;
      for (const [sec, id] of Object.entries(SECTIONS)) $(id).value = pairsText(p[sec]);
      say($("profile-msg"), p.secretFields.length ? `Editing ${name}; its saved payment fields (${p.secretFields.join(", ")}) stay in the keyring.` : `Editing ${name}.`, true);
    } catch (err) {
      say($("profile-msg"), `Could not open ${name}: ${err.message}`, false);
    }
  }

  function remove(name, button) {
    return itemAction(button, $("profile-msg"), "Not removed", async () => {
      await bridge.call("autofill.profiles.remove", { name });
      await load(`Removed ${name}.`);
    });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors(form);
    const params = { name: $("profile-name").value.trim() };
    const problems = {};
    for (const [sec, id] of Object.entries(SECTIONS)) {
      const { values, bad } = pairs($(id).value);
      const payment = Object.keys(values).filter((t) => t.startsWith("cc-"));
      if (bad.length) problems[sec] = `write one "field = value" per line (not: ${bad[0]})`;
      else if (payment.length && !$("profile-payment").checked) problems[sec] = `payment fields (${payment.join(", ")}) are off: tick "include payment fields" to save them`;
      params[sec] = values;
    }
    if (Object.keys(problems).length) return showError({ message: "", data: { fields: problems } }, where, $("profile-msg"));
    busy($("profile-save"), async () => {
      try {
        const saved = await bridge.call("autofill.profiles.set", params);
        await load(`Saved ${saved.name}.`);
      } catch (err) {
        showError(err, where, $("profile-msg"));
      }
    });
  });

  return { load };
}
