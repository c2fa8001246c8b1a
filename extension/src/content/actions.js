// Acting on elements the way a user would: pointer/mouse sequences, native value setters with
// input/change events (so React/Vue-controlled inputs see the change), keystrokes, scrolling and
// waiting. Every action re-checks the element is connected and enabled before touching it.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.actions) return;
  const E = (code, msg, data) => new SB.BridgeError(code, msg, data);

  function viewOf(el) {
    return el.ownerDocument.defaultView || root;
  }

  function ensureUsable(el) {
    if (!el.isConnected) throw E("stale", "element was removed from the page");
    if (el.disabled || el.getAttribute("aria-disabled") === "true") throw E("invalid_params", "element is disabled");
  }

  function center(el) {
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height };
  }

  function mouse(el, type, pt, extra = {}) {
    const view = viewOf(el);
    const Ctor = type.startsWith("pointer") && view.PointerEvent ? view.PointerEvent : view.MouseEvent;
    el.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: true, composed: true, view, clientX: pt.x, clientY: pt.y, button: 0, buttons: type.endsWith("down") ? 1 : 0, pointerId: 1, pointerType: "mouse", isPrimary: true, ...extra }));
  }

  function click(el, opts = {}) {
    ensureUsable(el);
    if (el.scrollIntoView) el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    const pt = el.getBoundingClientRect ? center(el) : { x: 0, y: 0, w: 1, h: 1 };
    const doc = el.ownerDocument;
    if (!opts.force && doc.elementFromPoint && pt.w > 0) {
      const hit = doc.elementFromPoint(pt.x, pt.y);
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el) && !(hit.shadowRoot && hit.shadowRoot.contains(el))) {
        throw E("invalid_params", `element is covered by <${hit.tagName.toLowerCase()}${hit.id ? "#" + hit.id : ""}>`, { occludedBy: hit.tagName.toLowerCase() });
      }
    }
    const link = el.closest && el.closest("a[href]");
    if (link && link.getAttribute("target") === "_blank" && !opts.inPlace) {
      // A synthetic click cannot open a tab (popup blocking); the service worker opens it instead.
      return { ok: true, newTab: link.href };
    }
    const href = link ? link.href : null;
    for (const t of ["pointerover", "pointerenter", "mouseover", "pointerdown", "mousedown"]) mouse(el, t, pt);
    if (typeof el.focus === "function") el.focus({ preventScroll: true });
    for (const t of ["pointerup", "mouseup"]) mouse(el, t, pt);
    el.click();
    return { ok: true, href };
  }

  function nativeSetter(el) {
    const view = viewOf(el);
    const proto = el.tagName === "TEXTAREA" ? view.HTMLTextAreaElement.prototype : el.tagName === "SELECT" ? view.HTMLSelectElement.prototype : view.HTMLInputElement.prototype;
    return Object.getOwnPropertyDescriptor(proto, "value").set;
  }

  function fire(el, type, init = {}) {
    const view = viewOf(el);
    const Ctor = type === "input" || type === "beforeinput" ? view.InputEvent || view.Event : view.Event;
    el.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: type === "beforeinput", composed: true, ...init }));
  }

  function setValue(el, value) {
    nativeSetter(el).call(el, value);
    fire(el, "input", { inputType: "insertText", data: value });
  }

  function fill(el, value) {
    ensureUsable(el);
    value = value == null ? "" : String(value);
    if (typeof el.focus === "function") el.focus({ preventScroll: false });
    if (SB.refs.editable(el)) {
      const doc = el.ownerDocument;
      const sel = doc.getSelection && doc.getSelection();
      if (sel && doc.createRange) {
        const range = doc.createRange();
        range.selectNodeContents(el);
        sel.removeAllRanges();
        sel.addRange(range);
      }
      const ok = doc.execCommand && doc.execCommand("insertText", false, value);
      if (!ok) {
        el.textContent = value;
        fire(el, "input", { inputType: "insertText", data: value });
      }
      return { ok: true, value: el.innerText !== undefined ? el.innerText : el.textContent };
    }
    if (el.tagName === "SELECT") return select(el, { value });
    if (el.tagName !== "INPUT" && el.tagName !== "TEXTAREA") throw E("invalid_params", `cannot fill a <${el.tagName.toLowerCase()}>`);
    const type = (el.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") return check(el, { checked: !!value && value !== "false" && value !== "0" });
    if (type === "file") throw E("invalid_params", "file inputs need browser.upload (chrome.debugger)");
    if (el.readOnly) throw E("invalid_params", "element is read-only");
    setValue(el, value);
    fire(el, "change");
    return { ok: true, value: el.value };
  }

  function keyInit(key) {
    const code = key.length === 1 ? (/[a-z]/i.test(key) ? "Key" + key.toUpperCase() : /[0-9]/.test(key) ? "Digit" + key : "") : key;
    const keyCode = key.length === 1 ? key.toUpperCase().charCodeAt(0) : { Enter: 13, Tab: 9, Escape: 27, Backspace: 8, Delete: 46, ArrowDown: 40, ArrowUp: 38, ArrowLeft: 37, ArrowRight: 39, " ": 32, Space: 32 }[key] || 0;
    return { key, code, keyCode, which: keyCode };
  }

  function keyEvent(el, type, key, mods = {}) {
    const view = viewOf(el);
    return el.dispatchEvent(new view.KeyboardEvent(type, { bubbles: true, cancelable: true, composed: true, ...keyInit(key), ...mods }));
  }

  function type(el, text) {
    ensureUsable(el);
    text = String(text == null ? "" : text);
    if (typeof el.focus === "function") el.focus();
    const editable = SB.refs.editable(el);
    for (const ch of text) {
      if (!keyEvent(el, "keydown", ch)) continue;
      keyEvent(el, "keypress", ch);
      fire(el, "beforeinput", { inputType: "insertText", data: ch });
      if (editable) {
        const doc = el.ownerDocument;
        if (!(doc.execCommand && doc.execCommand("insertText", false, ch))) el.textContent += ch;
      } else {
        nativeSetter(el).call(el, el.value + ch);
        fire(el, "input", { inputType: "insertText", data: ch });
      }
      keyEvent(el, "keyup", ch);
    }
    if (!editable) fire(el, "change");
    return { ok: true, value: editable ? el.textContent : el.value };
  }

  function select(el, { value, label, values }) {
    ensureUsable(el);
    if (el.tagName !== "SELECT") throw E("invalid_params", "select needs a <select> element");
    const wanted = values ? values.map(String) : [String(value != null ? value : label)];
    const opts = Array.from(el.options);
    const norm = (s) => String(s).replace(/\s+/g, " ").trim().toLowerCase();
    const pick = (w) =>
      opts.find((o) => o.value === w) || opts.find((o) => norm(o.textContent) === norm(w)) ||
      opts.find((o) => norm(o.value) === norm(w)) || opts.find((o) => norm(o.textContent).startsWith(norm(w)) && norm(w).length >= 2);
    const chosen = wanted.map((w) => {
      const o = pick(w);
      if (!o) throw E("not_found", `no option matches ${JSON.stringify(w)}`, { options: opts.slice(0, 50).map((x) => x.textContent.trim()) });
      return o;
    });
    if (typeof el.focus === "function") el.focus();
    if (el.multiple) opts.forEach((o) => (o.selected = chosen.includes(o)));
    else nativeSetter(el).call(el, chosen[0].value);
    fire(el, "input");
    fire(el, "change");
    return { ok: true, value: el.multiple ? chosen.map((o) => o.value) : el.value };
  }

  function check(el, { checked = true } = {}) {
    ensureUsable(el);
    const isInput = el.tagName === "INPUT";
    const current = isInput ? el.checked : el.getAttribute("aria-checked") === "true";
    if (isInput && el.type === "radio" && !checked) throw E("invalid_params", "a radio button is unchecked by checking another");
    if (current !== !!checked) click(el, { force: true });
    const now = isInput ? el.checked : el.getAttribute("aria-checked") === "true";
    return { ok: true, checked: now };
  }

  function press(el, keys, doc) {
    const parts = String(keys).split("+");
    const key = parts.pop();
    const mods = { ctrlKey: parts.includes("Control"), shiftKey: parts.includes("Shift"), altKey: parts.includes("Alt"), metaKey: parts.includes("Meta") };
    const t = el || doc.activeElement || doc.body;
    const go = keyEvent(t, "keydown", key, mods);
    if (go && key.length === 1 && !mods.ctrlKey && !mods.metaKey) keyEvent(t, "keypress", key, mods);
    keyEvent(t, "keyup", key, mods);
    if (go && key === "Enter" && t.form && t.tagName === "INPUT") {
      // A synthetic Enter does not trigger implicit submission; do what the browser would.
      if (typeof t.form.requestSubmit === "function") t.form.requestSubmit();
      else t.form.submit();
      return { ok: true, submitted: true };
    }
    if (mods.ctrlKey && key.toLowerCase() === "a" && typeof t.select === "function") t.select();
    return { ok: true };
  }

  SB.actions = { click, fill, type, select, check, press, fire, setValue };
  if (typeof module !== "undefined" && module.exports) module.exports = SB;
})(typeof globalThis !== "undefined" ? globalThis : this);
