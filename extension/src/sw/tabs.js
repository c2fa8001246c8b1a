// Swarm tabs: work runs in the extension's own browser window, tabs opened without focus, at most
// `cap` at once per browser (a queue beyond), remembered per caller for affinity and clean-up.
// State lives in chrome.storage.session so a service-worker restart loses nothing.
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
    if (got && typeof got === "object") this.state = { windowId: got.windowId ?? null, tabs: got.tabs || {} };
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
