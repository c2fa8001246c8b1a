// Swarm tabs: work runs in the extension's own browser window, tabs opened without focus, at most
// `cap` at once per browser (a queue beyond), remembered per caller for affinity and clean-up.
// State lives in chrome.storage.session so a service-worker restart loses nothing. The cap is the
// daemon's `tabConcurrency` setting (see followSettings below).
import { BridgeError } from "./protocol.js";

const KEY = "swarmTabs";

export class SwarmTabs {
  constructor({ cap = 8, queueTimeoutMs = 120000 } = {}) {
    this.cap = cap;
    this.queueTimeoutMs = queueTimeoutMs;
    this.state = { windowId: null, tabs: {} }; // tabs: {tabId: {caller, openedAt}}
    this.waiters = [];
    this.creatingWindow = null;
    this.loaded = this.load();
  }

  async load() {
    const got = (await chrome.storage.session.get(KEY))[KEY];
    if (got && typeof got === "object") this.state = { windowId: got.windowId ?? null, tabs: got.tabs || {}, cap: got.cap };
    if (Number.isInteger(this.state.cap)) this.cap = this.state.cap;
    const live = new Set((await chrome.tabs.query({})).map((t) => t.id));
    for (const id of Object.keys(this.state.tabs)) if (!live.has(Number(id))) delete this.state.tabs[id];
    if (this.state.windowId !== null) {
      try {
        await chrome.windows.get(this.state.windowId);
      } catch (_) {
        this.state.windowId = null;
      }
    }
    await this.save();
  }

  save() {
    return chrome.storage.session.set({ [KEY]: this.state });
  }

  // A new cap from the daemon's settings; a larger one lets queued opens through at once.
  async setCap(n) {
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new BridgeError("invalid_params", `tabConcurrency must be a whole number from 1 to 64, not ${JSON.stringify(n)}`);
    await this.loaded;
    this.cap = this.state.cap = n;
    await this.save();
    this.wake();
  }

  isSwarm(tabId) {
    return String(tabId) in this.state.tabs;
  }

  callerOf(tabId) {
    const t = this.state.tabs[String(tabId)];
    return t ? t.caller : undefined;
  }

  count() {
    return Object.keys(this.state.tabs).length;
  }

  // The most recent tab of a caller (tab affinity), or undefined.
  tabFor(caller) {
    let best;
    for (const [id, t] of Object.entries(this.state.tabs)) {
      if (t.caller === caller && (!best || t.openedAt > best.openedAt)) best = { id: Number(id), openedAt: t.openedAt };
    }
    return best && best.id;
  }

  async window() {
    await this.loaded;
    if (this.state.windowId !== null) {
      try {
        await chrome.windows.get(this.state.windowId);
        return this.state.windowId;
      } catch (_) {
        this.state.windowId = null;
      }
    }
    if (!this.creatingWindow) {
      this.creatingWindow = (async () => {
        const win = await chrome.windows.create({ focused: false, url: "about:blank", type: "normal" });
        this.state.windowId = win.id;
        await this.save();
        return win.id;
      })().finally(() => (this.creatingWindow = null));
    }
    return this.creatingWindow;
  }

  async slot() {
    await this.loaded;
    if (this.count() < this.cap) return;
    await new Promise((resolve, reject) => {
      const w = { resolve, timer: null };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new BridgeError("timeout", `all ${this.cap} swarm tabs stayed busy for ${this.queueTimeoutMs} ms`));
      }, this.queueTimeoutMs);
      this.waiters.push(w);
    });
  }

  wake() {
    while (this.waiters.length && this.count() < this.cap) {
      const w = this.waiters.shift();
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  async open(url, { caller = "", active = false, openerTabId } = {}) {
    await this.slot();
    const windowId = await this.window();
    const tab = await chrome.tabs.create({ windowId, url, active: !!active, openerTabId });
    this.state.tabs[String(tab.id)] = { caller: String(caller), openedAt: Date.now() };
    await this.save();
    return tab;
  }

  async adopt(tabId, caller) {
    this.state.tabs[String(tabId)] = { caller: String(caller || ""), openedAt: Date.now() };
    await this.save();
  }

  // Called from the top-level chrome.tabs.onRemoved listener.
  async forget(tabId) {
    await this.loaded;
    if (!this.isSwarm(tabId)) return;
    delete this.state.tabs[String(tabId)];
    await this.save();
    this.wake();
  }

  async forgetWindow(windowId) {
    await this.loaded;
    if (windowId === this.state.windowId) {
      this.state.windowId = null;
      await this.save();
    }
  }

  async close({ tabId, caller }) {
    await this.loaded;
    const ids = tabId !== undefined ? [Number(tabId)] : Object.entries(this.state.tabs).filter(([, t]) => t.caller === String(caller)).map(([id]) => Number(id));
    if (tabId !== undefined && !this.isSwarm(tabId)) throw new BridgeError("forbidden", `tab ${tabId} is not a swarm tab; the user's tabs are closed only by the user`);
    const closed = [];
    for (const id of ids) {
      try {
        await chrome.tabs.remove(id);
        closed.push(id);
      } catch (_) {
        // already gone
      }
      delete this.state.tabs[String(id)];
    }
    await this.save();
    this.wake();
    return closed;
  }
}

// Daemon settings the worker follows: the swarm-tab cap, and the default search engine (which
// browser.search reads from chrome.storage.local). Read with settings.get on every connection, and
// applied when the daemon pushes browser.settings.apply after a change.
export function followSettings(port, router, swarm) {
  async function apply(s) {
    if (s.tabConcurrency !== undefined) await swarm.setCap(s.tabConcurrency);
    if (s.searchEngine !== undefined) {
      if (typeof s.searchEngine !== "string" || !s.searchEngine) throw new BridgeError("invalid_params", "searchEngine must be a name or a URL template");
      await chrome.storage.local.set({ searchEngine: s.searchEngine });
    }
    return { tabConcurrency: swarm.cap, searchEngine: (await chrome.storage.local.get("searchEngine")).searchEngine || null };
  }
  router.add({ "browser.settings.apply": apply });
  port.onState((st) => {
    if (st.state === "connected") port.call("settings.get", {}, 10000).then((r) => apply(r.settings)).catch(() => {});
  });
}
