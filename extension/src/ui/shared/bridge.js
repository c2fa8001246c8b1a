// The UI pages' link to the service worker: one runtime port, calls correlated by id, state and
// daemon events pushed. The service worker relays calls to the daemon (the UI never talks to a
// model or decides anything itself).
export class UiBridge {
  constructor(name = "ui") {
    this.name = name;
    this.pending = new Map();
    this.next = 1;
    this.onState = () => {};
    this.onEvent = () => {};
    this.connect();
  }

  // An MV3 worker can be stopped (idle, update, crash): the page then reconnects, which starts a
  // new worker, and shows "connecting" meanwhile, instead of staying dead until it is reopened.
  connect() {
    this.port = chrome.runtime.connect({ name: this.name });
    this.port.onMessage.addListener((m) => {
      if (m.type === "reply") {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code, data: m.error.data }));
        else p.resolve(m.result);
      } else if (m.type === "state") this.onState(m);
      else if (m.type === "event") this.onEvent(m.method, m.params || {});
    });
    this.port.onDisconnect.addListener(() => {
      for (const [, p] of this.pending) p.reject(new Error("the extension's service worker went away"));
      this.pending.clear();
      this.onState({ state: "connecting", error: "the extension's service worker restarted" });
      setTimeout(() => this.connect(), 300);
    });
  }

  call(method, params = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ type: "call", id, method, params });
    });
  }
}

// Why the bridge is down, and what fixes it (Chrome's own error texts are misleading).
export function diagnose(state) {
  const err = String(state.error || "");
  if (state.state === "connected") return { ok: true, text: "Connected to the SwarmBridge daemon." };
  if (/not found/i.test(err)) return { ok: false, text: "The native host is not registered for this browser.", fix: "Run `swarmbridge install`, then `swarmbridge doctor`." };
  if (/forbidden|not allowed|access/i.test(err)) return { ok: false, text: "The host refused this extension.", fix: "Run `swarmbridge install --extension-id " + chrome.runtime.id + "`." };
  if (/exited|crash/i.test(err)) return { ok: false, text: "The native host exited.", fix: "Run `swarmbridge doctor`; the host log is in the SwarmBridge log folder." };
  if (/communicating/i.test(err)) return { ok: false, text: "The native host wrote something that is not a message.", fix: "Run `swarmbridge doctor`." };
  if (/daemon/i.test(err)) return { ok: false, text: "The daemon is restarting.", fix: "Wait a moment; if it persists run `swarmbridge daemon` in a terminal to see why." };
  return { ok: false, text: state.state === "connecting" ? "Connecting…" : `Not connected${err ? `: ${err}` : "."}`, fix: "Run `swarmbridge doctor`." };
}

// Show the connection in a page's #status pill and #fix line (popup, side panel); returns diagnose's verdict.
export function showState(state) {
  const d = diagnose(state);
  const status = document.getElementById("status");
  const fix = document.getElementById("fix");
  status.textContent = d.ok ? "connected" : state.state === "connecting" ? "connecting" : "not connected";
  status.className = "pill " + (d.ok ? "ok" : "bad");
  fix.hidden = d.ok;
  fix.textContent = d.ok ? "" : `${d.text} ${d.fix || ""}`;
  return d;
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "on") for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === "class") e.className = v;
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
