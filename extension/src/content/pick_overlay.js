// The point-and-pick session in the page: hover highlight, click to pick, Esc to cancel, and a
// small toolbar, all inside a CLOSED shadow root so page CSS and scripts cannot reach or restyle
// it. The session owns the picked elements (they never leave the page); after every change it
// infers the selectors (pick.js), extracts preview rows with the one extractor (extract.js) and
// broadcasts the state to the prompt window ({sbPick: "state", key, state}).
//
// Steps: items (click 2-3 examples) -> fields (click what to keep inside one item) -> next
// (optional: click the "next page" link) -> done. While picking, page clicks are swallowed in
// the capture phase so links and buttons do not fire; our own toolbar gets its clicks normally.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.pickSession) return;
  const doc = root.document;
  const E = (code, msg, data) => new SB.BridgeError(code, msg, data);
  const STEPS = ["items", "fields", "next", "done", "cancelled"];
  const HINT = {
    items: "Click 2 or 3 examples of the repeated item.",
    fields: "Click each field you want, inside one highlighted item.",
    next: "Click the “next page” link (optional).",
  };
  const BLOCKED = ["click", "mousedown", "mouseup", "pointerdown", "pointerup", "dblclick", "auxclick", "submit"];
  const CSS = `
    :host { all: initial; }
    .layer { position: fixed; inset: 0; pointer-events: none; z-index: 2147483647; font: 13px/1.35 system-ui, sans-serif; }
    .box { position: fixed; pointer-events: none; box-sizing: border-box; border-radius: 3px; }
    .hover { outline: 2px solid #2563eb; background: rgba(37,99,235,.12); }
    .item { outline: 2px dashed #16a34a; background: rgba(22,163,74,.06); }
    .example { outline: 3px solid #16a34a; }
    .field { outline: 2px solid #d97706; background: rgba(217,119,6,.14); }
    .next { outline: 2px solid #9333ea; background: rgba(147,51,234,.14); }
    .guess { outline: 1px dashed #2563eb; }
    .bar { position: fixed; right: 12px; bottom: 12px; max-width: 300px; pointer-events: auto; background: #111827; color: #f9fafb;
           border-radius: 8px; padding: 8px 10px; box-shadow: 0 4px 18px rgba(0,0,0,.35); }
    .bar p { margin: 0 0 6px; } .bar .err { color: #fca5a5; }
    .bar .buttons { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 4px; } /* Cancel always bottom-right */
    .bar button { font: inherit; margin: 0; padding: 3px 8px; border-radius: 5px; border: 0; cursor: pointer; background: #374151; color: #f9fafb; }
    .bar button.primary { background: #2563eb; }`;

  class Session {
    constructor(key) {
      this.key = key;
      this.step = "items";
      this.examples = [];
      this.items = [];
      this.item = null;
      this.fields = []; // {name, selector, attr?, el}
      this.nextEl = null;
      this.next = null;
      this.error = "";
      this.rows = [];
      this.hoverEl = null;
      this.host = doc.createElement("swarmbridge-pick");
      const shadow = this.host.attachShadow({ mode: "closed" });
      shadow.innerHTML = `<style>${CSS}</style><div class="layer"><div class="marks"></div><div class="box hover" hidden></div>
        <div class="bar"><p class="hint"></p><p class="err"></p><div class="buttons"><button data-go="fields">Fields ▸</button><button data-go="next">Next link ▸</button><button data-go="done">Done</button><button data-go="cancelled">Cancel</button></div></div></div>`;
      this.ui = { marks: shadow.querySelector(".marks"), hover: shadow.querySelector(".hover"), hint: shadow.querySelector(".hint"), err: shadow.querySelector(".err"), buttons: shadow.querySelectorAll("button") };
      shadow.querySelector(".bar").addEventListener("click", (e) => {
        const go = e.target.getAttribute && e.target.getAttribute("data-go");
        if (go) this.goto(go);
      });
      doc.documentElement.appendChild(this.host);
      this.onMove = (e) => this.hover(this.pageTarget(e));
      this.onBlock = (e) => {
        if (e.target === this.host || !e.isTrusted) return;
        e.preventDefault();
        e.stopImmediatePropagation();
        if (e.type === "click") this.pick(this.pageTarget(e));
      };
      this.onKey = (e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        e.stopImmediatePropagation();
        this.goto("cancelled");
      };
      this.onView = () => {
        this.requery = true; // an infinite list may have grown: outline the new items too
        this.frame();
      };
      root.addEventListener("mousemove", this.onMove, true);
      for (const t of BLOCKED) root.addEventListener(t, this.onBlock, true);
      root.addEventListener("keydown", this.onKey, true);
      root.addEventListener("scroll", this.onView, true);
      root.addEventListener("resize", this.onView, true);
      this.update();
    }

    get active() {
      return this.step === "items" || this.step === "fields" || this.step === "next";
    }

    pageTarget(e) {
      const t = e.composedPath ? e.composedPath()[0] : e.target;
      return t && t.nodeType === 1 && t !== this.host ? t : null;
    }

    hover(el) {
      this.hoverEl = el;
      this.frame();
    }

    pick(el) {
      if (!el || !this.active) return;
      this.error = "";
      try {
        if (this.step === "items") {
          const i = this.examples.indexOf(el);
          if (i >= 0) this.examples.splice(i, 1); // a second click takes an example back
          else this.examples.push(el);
        } else if (this.step === "fields") {
          const item = this.items.find((it) => it.contains(el));
          if (!item) throw E("invalid_params", "pick fields inside one of the highlighted items");
          const used = new Set(this.fields.map((f) => f.name));
          const same = (f) => (g) => g.selector === f.selector && (g.attr || "") === (f.attr || "");
          const found = SB.pick.inferFields(this.items, item, el, used);
          if (found.every((f) => this.fields.some(same(f)))) this.fields = this.fields.filter((g) => !found.some((f) => same(f)(g))); // a second click takes it back
          else for (const f of found) if (!this.fields.some(same(f))) this.fields.push({ ...f, el });
        } else if (this.step === "next") {
          this.nextEl = el;
          this.next = SB.pick.nextSelector(doc, el);
        }
      } catch (e) {
        this.error = e.message;
      }
      this.update();
    }

    goto(step) {
      if (!STEPS.includes(step)) throw E("invalid_params", `unknown step ${step}`);
      if (step === "fields" && !this.item) {
        this.error = "pick at least two examples of the item first";
      } else {
        this.error = "";
        this.step = step;
      }
      if (!this.active) this.detach();
      this.update();
    }

    // Recompute selectors and preview rows, redraw, and tell the prompt window.
    update() {
      this.examples = this.examples.filter((x) => x.isConnected); // the page re-rendered: forget what is gone
      this.guessEl = null; // the hover guess depends on the examples
      if (this.examples.length >= 2) {
        try {
          const r = SB.pick.inferItems(doc, this.examples);
          this.item = r.item;
          this.items = r.items;
        } catch (e) {
          this.error = this.error || e.message;
          this.item = null;
          this.items = [];
        }
      } else {
        this.item = null;
        this.items = [];
      }
      this.rows = [];
      if (this.item) {
        try {
          this.rows = SB.extract.structured(doc, this.schema()).rows;
        } catch (e) {
          this.error = this.error || e.message;
        }
      }
      this.frame();
      this.publish();
    }

    schema() {
      return SB.pick.schemaFor(this.item, this.fields, this.next);
    }

    state() {
      return {
        key: this.key, step: this.step, url: doc.location.href, examples: this.examples.length, item: this.item, count: this.items.length,
        fields: this.fields.map(({ name, selector, attr }) => (attr ? { name, selector, attr } : { name, selector })),
        next: this.next, schema: this.item ? this.schema() : null, rows: this.rows.slice(0, 50), total: this.rows.length, error: this.error,
      };
    }

    publish() {
      try {
        const p = chrome.runtime.sendMessage({ sbPick: "state", key: this.key, state: this.state() });
        if (p && p.catch) p.catch(() => {}); // no prompt window open: nobody to tell
      } catch (_) {
        /* extension reloaded: the page keeps working */
      }
    }

    // Draw the highlight boxes in the next animation frame (scroll and mousemove come in bursts).
    frame() {
      if (this.raf || !this.active) return;
      this.raf = (root.requestAnimationFrame || ((f) => setTimeout(f, 16)))(() => {
        this.raf = 0;
        this.draw();
      });
    }

    draw() {
      const box = (el, cls) => {
        const r = el.getBoundingClientRect();
        const d = doc.createElement("div");
        d.className = `box ${cls}`;
        Object.assign(d.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
        return d;
      };
      if (this.requery && this.item) {
        this.items = SB.refs.querySelectorAllDeep(doc, this.item);
        this.requery = false;
      }
      const marks = [];
      for (const g of this.guessFor(this.hoverEl).slice(0, 300)) marks.push(box(g, "guess"));
      const vh = root.innerHeight || 800;
      for (const it of this.items.slice(0, 300)) {
        const r = it.getBoundingClientRect();
        if (r.bottom >= 0 && r.top <= vh) marks.push(box(it, this.examples.some((x) => it.contains(x)) ? "item example" : "item"));
      }
      if (!this.items.length) for (const x of this.examples) marks.push(box(x, "item example"));
      for (const f of this.fields) if (f.el.isConnected) marks.push(box(f.el, "field"));
      if (this.nextEl && this.nextEl.isConnected) marks.push(box(this.nextEl, "next"));
      this.ui.marks.replaceChildren(...marks);
      const h = this.hoverEl;
      this.ui.hover.hidden = !h || !h.isConnected;
      if (!this.ui.hover.hidden) {
        const r = h.getBoundingClientRect();
        Object.assign(this.ui.hover.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
      }
      const counts = this.item ? ` ${this.items.length} items, ${this.fields.length} fields${this.next ? ", next link" : ""}.` : ` ${this.examples.length} example(s).`;
      this.ui.hint.textContent = (HINT[this.step] || "") + counts + " Esc cancels.";
      this.ui.err.textContent = this.error;
      const ahead = { items: "fields", fields: "next", next: "done" }[this.step]; // the step to go to next stands out
      for (const b of this.ui.buttons) b.classList.toggle("primary", b.getAttribute("data-go") === ahead);
    }

    // With one example picked, hovering a second shows what the list would be (computed once
    // per hovered element; nothing when the pair makes no list).
    guessFor(el) {
      if (this.step !== "items" || this.examples.length !== 1 || !el || el === this.examples[0] || el.contains(this.examples[0]) || this.examples[0].contains(el)) return [];
      if (this.guessEl !== el) {
        this.guessEl = el;
        try {
          this.guess = SB.pick.inferItems(doc, [this.examples[0], el]).items;
        } catch (_) {
          this.guess = [];
        }
      }
      return this.guess;
    }

    rename(index, name) {
      const f = this.fields[index];
      if (!f) throw E("not_found", `no field ${index}`);
      const clean = String(name || "").trim();
      if (!/^[\w-]{1,40}$/.test(clean)) throw E("invalid_params", "a field name is 1-40 letters, digits, _ or -");
      if (this.fields.some((g, i) => i !== index && g.name === clean)) throw E("invalid_params", `there is already a field named ${clean}`);
      f.name = clean;
      this.update();
    }

    remove(index) {
      if (!this.fields[index]) throw E("not_found", `no field ${index}`);
      this.fields.splice(index, 1);
      this.update();
    }

    detach() {
      root.removeEventListener("mousemove", this.onMove, true);
      for (const t of BLOCKED) root.removeEventListener(t, this.onBlock, true);
      root.removeEventListener("keydown", this.onKey, true);
      root.removeEventListener("scroll", this.onView, true);
      root.removeEventListener("resize", this.onView, true);
      this.host.remove();
    }
  }

  let session = null;
  const current = () => {
    if (!session) throw E("not_found", "no pick session on this page: use the menu again");
    return session;
  };
  const commands = {
    start: (p) => {
      if (session && session.active) session.detach();
      session = new Session(String(p.key || ""));
      return session.state();
    },
    state: () => current().state(),
    step: (p) => (current().goto(String(p.step)), session.state()),
    rename: (p) => (current().rename(Number(p.index), p.name), session.state()),
    remove: (p) => (current().remove(Number(p.index)), session.state()),
    // A prompt window that closes stops its own session only (a newer one may have replaced it).
    stop: (p) => {
      if (session && session.active && (!p.key || p.key === session.key)) session.goto("cancelled");
      return session ? session.state() : null;
    },
  };

  function onMessage(msg, _sender, sendResponse) {
    if (!msg || msg.sbPick !== "cmd") return false;
    try {
      const fn = commands[msg.cmd];
      if (!fn) throw E("method_not_found", `the pick session has no command ${msg.cmd}`);
      sendResponse({ ok: true, result: fn(msg.params || {}) });
    } catch (err) {
      sendResponse({ ok: false, error: { code: err.code || "internal_error", message: String(err.message || err) } });
    }
    return false;
  }

  SB.pickSession = { commands, current: () => session };
  if (typeof chrome !== "undefined" && chrome.runtime && chrome.runtime.onMessage) chrome.runtime.onMessage.addListener(onMessage);
})(typeof globalThis !== "undefined" ? globalThis : this);
