// Form autofill: fill a form from a profile keyed by the autocomplete tokens fields.js gives each
// control (real input/change events, option lists, split fields). Filling never submits: the
// daemon's approval policy owns submits.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.autofill) return;
  const { classify, describe, labelOf, clean, RULES, TOKENS } = SB.fields;

  // Value for one field from a profile {token: value} (with a section-specific override
  // profile.shipping / profile.billing), formatted for split fields and option lists.
  function valueFor(f, profile) {
    const p = { ...profile, ...(f.section && profile[f.section] ? profile[f.section] : {}) };
    const t = f.type;
    if (t === "off") return undefined;
    if (p[t] !== undefined) return p[t];
    const digits = String(p.tel || "").replace(/\D/g, "");
    if (t === "tel-national" || t === "tel-local") return digits.slice(-10);
    if (t === "tel-area-code") return digits.slice(-10, -7);
    if (t === "tel-local-prefix") return digits.slice(-7, -4);
    if (t === "tel-local-suffix") return digits.slice(-4);
    if (t === "name" && (p["given-name"] || p["family-name"])) return [p["given-name"], p["family-name"]].filter(Boolean).join(" ");
    if (t === "given-name" && p.name) return String(p.name).split(" ")[0];
    if (t === "family-name" && p.name) return String(p.name).split(" ").slice(1).join(" ");
    if (t === "address-line1" && p["street-address"]) return String(p["street-address"]).split("\n")[0];
    if (t === "street-address" && p["address-line1"]) return [p["address-line1"], p["address-line2"]].filter(Boolean).join("\n");
    if (t === "cc-exp" && p["cc-exp-month"] && p["cc-exp-year"]) return `${String(p["cc-exp-month"]).padStart(2, "0")}/${String(p["cc-exp-year"]).slice(-2)}`;
    if (t.startsWith("bday-") && p.bday) {
      const [y, m, d] = String(p.bday).split("-");
      return { "bday-year": y, "bday-month": m, "bday-day": d }[t];
    }
    return undefined;
  }

  function setSelect(el, value) {
    const v = String(value);
    const norm = (s) => clean(s).toLowerCase();
    const opts = Array.from(el.options);
    const numeric = /^\d+$/.test(v) ? Number(v) : null;
    const hit = opts.find((o) => o.value === v) || opts.find((o) => norm(o.textContent) === norm(v)) || opts.find((o) => norm(o.value) === norm(v)) ||
      (numeric !== null ? opts.find((o) => Number(o.value) === numeric || Number(clean(o.textContent)) === numeric || (o.value.length === 2 && Number(o.value) === numeric % 100 && numeric > 1900)) : null) ||
      opts.find((o) => norm(o.textContent).startsWith(norm(v)) && v.length >= 2);
    if (!hit) return false;
    SB.actions.select(el, { value: hit.value });
    return true;
  }

  // Fill the form; returns what was (or, with preview, would be) filled per field. Never submits.
  // `types` ({ref: token}) overrides the classifier for fields it did not know (the daemon's model
  // fallback); `next` (a selector) describes the control that moves a multi-step form on, so the
  // daemon can judge the click by the same approval rules as any other.
  function fill(scope, profile, { preview = false, includeSensitive = false, types = null, next = null } = {}) {
    const out = [];
    for (const f of classify(scope)) {
      const ref = SB.refs.refFor(f.el);
      if (types && f.unknown && typeof types[ref] === "string" && TOKENS.has(types[ref])) { f.type = types[ref]; f.unknown = false; f.guessed = true; }
      let value = valueFor(f, profile || {});
      // a one-line box drops line breaks ("Hauptstr. 5\nHinterhaus" would read "Hauptstr. 5Hinterhaus"): the lines go in with commas
      if (typeof value === "string" && f.el.tagName === "INPUT" && /\n/.test(value)) value = value.split(/\s*\n\s*/).filter(Boolean).join(", ");
      const sensitive = /^cc-|password|one-time-code/.test(f.type);
      const entry = { ref, type: f.type, section: f.section || undefined, label: f.label };
      if (f.unknown) { entry.unknown = true; entry.name = f.el.getAttribute("name"); entry.id = f.el.id || null; entry.tag = f.el.tagName.toLowerCase();
        entry.inputType = (f.el.getAttribute("type") || "").toLowerCase() || undefined; entry.placeholder = f.el.getAttribute("placeholder") || undefined; }
      if (f.guessed) entry.guessed = true;
      if (value === undefined || value === null || value === "") { out.push({ ...entry, filled: false }); continue; }
      if (sensitive && !includeSensitive) { out.push({ ...entry, filled: false, reason: "sensitive: payment and password data need explicit permission" }); continue; }
      entry.value = sensitive ? "••••" : String(value);
      if (!preview) {
        try {
          const el = f.el;
          const type = (el.getAttribute("type") || "").toLowerCase();
          if (el.disabled || el.readOnly) { out.push({ ...entry, filled: false, reason: "disabled or read-only" }); continue; }
          if (el.tagName === "SELECT") { if (!setSelect(el, value)) { out.push({ ...entry, filled: false, reason: "no matching option" }); continue; } }
          else if (type === "radio" || type === "checkbox") {
            if (norm(el.value) === norm(value) || norm(labelOf(el)) === norm(value)) SB.actions.check(el, { checked: true }); else { continue; }
          } else SB.actions.fill(el, value);
        } catch (e) {
          out.push({ ...entry, filled: false, reason: e.message });
          continue;
        }
      }
      out.push({ ...entry, filled: true });
    }
    const result = { fields: out, filled: out.filter((f) => f.filled).length };
    if (next) result.next = describeControl(SB.refs.querySelectorDeep(scope.ownerDocument || scope, next));
    return result;
  }

  // What the approval rules need to judge a click on `el` (the shape of a snapshot element).
  function describeControl(el) {
    if (!el) return null;
    const type = (el.getAttribute("type") || (el.tagName === "BUTTON" ? "submit" : "")).toLowerCase();
    const form = el.form || el.closest("form");
    return { tag: el.tagName.toLowerCase(), type, name: clean(el.innerText || el.value || el.getAttribute("aria-label") || ""),
      inForm: !!form, submitsForm: !!form && type === "submit", visible: SB.snapshot.visible(el), disabled: !!el.disabled };
  }
  const norm = (s) => clean(s).toLowerCase();

  SB.autofill = { classify, describe, fill, labelOf, RULES };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
