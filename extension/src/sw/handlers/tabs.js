// browser.tabs.*, browser.navigate, browser.screenshot.
import { BridgeError } from "../protocol.js";
import { armLoad, tabInfo, whenLoaded } from "../nav.js";
import { call } from "../frames.js";

export function checkUrl(url) {
  let u;
  try {
    u = new URL(String(url));
  } catch (_) {
    throw new BridgeError("invalid_params", `not a URL: ${url}`);
  }
  if (!/^(https?|file|data|about):$/.test(u.protocol)) throw new BridgeError("forbidden", `refusing to open ${u.protocol} URLs`);
  return u.href;
}

async function settle(tabId, wait) {
  if (wait === "idle") {
    try {
      await call(tabId, 0, "settle", { quietMs: 500, timeoutMs: 5000 });
    } catch (_) {
      // a page we cannot script has still loaded
    }
  }
}

export function tabHandlers(ctx) {
  const { swarm } = ctx;

  async function resolveTab(params) {
    if (params.tabId !== undefined && params.tabId !== null) {
      const id = Number(params.tabId);
      try {
        await chrome.tabs.get(id);
      } catch (_) {
        throw new BridgeError("not_found", `no tab ${params.tabId}`);
      }
      return id;
    }
    if (params.caller) {
      const id = swarm.tabFor(String(params.caller));
      if (id !== undefined) return id;
    }
    throw new BridgeError("invalid_params", "give tabId (or a caller that has a swarm tab)");
  }
  ctx.resolveTab = resolveTab;

  return {
    "browser.ping": async () => ({ pong: true, t: Date.now() }),

    "browser.tabs.list": async () => {
      await swarm.loaded;
      const tabs = await chrome.tabs.query({});
      return {
        tabs: tabs.map((t) => ({ ...tabInfo(t), active: t.active, swarm: swarm.isSwarm(t.id), caller: swarm.callerOf(t.id) })),
        swarmWindowId: swarm.state.windowId,
        cap: swarm.cap,
      };
    },

    "browser.tabs.open": async (p) => {
      const url = checkUrl(p.url || "about:blank");
      const tab = await swarm.open("about:blank", { caller: p.caller, active: p.active });
      const wait = p.wait || "load";
      if (wait === "none") {
        await chrome.tabs.update(tab.id, { url });
        return tabInfo(await chrome.tabs.get(tab.id));
      }
      const armed = armLoad(tab.id, p.timeoutMs || 30000);
      await chrome.tabs.update(tab.id, { url });
      await armed.promise;
      await settle(tab.id, wait);
      return tabInfo(await chrome.tabs.get(tab.id));
    },

    "browser.tabs.close": async (p) => {
      if (p.tabId === undefined && !p.caller) throw new BridgeError("invalid_params", "give tabId or caller");
      return { closed: await swarm.close(p) };
    },

    "browser.tabs.activate": async (p) => {
      const tabId = await resolveTab(p);
      const tab = await chrome.tabs.update(tabId, { active: true });
      if (p.focus) await chrome.windows.update(tab.windowId, { focused: true });
      return { tabId };
    },

    "browser.navigate": async (p) => {
      const tabId = await resolveTab(p);
      const url = checkUrl(p.url);
      const wait = p.wait || "load";
      const armed = armLoad(tabId, p.timeoutMs || 30000);
      await chrome.tabs.update(tabId, { url });
      if (wait !== "none") {
        await armed.promise;
        await settle(tabId, wait);
      } else armed.cancel();
      return tabInfo(await chrome.tabs.get(tabId));
    },

    "browser.screenshot": async (p) => {
      const tabId = await resolveTab(p);
      const tab = await whenLoaded(tabId);
      if (!tab.active) {
        if (!swarm.isSwarm(tabId) && !p.tabId) throw new BridgeError("forbidden", "screenshots of the user's tabs need an explicit tabId");
        await chrome.tabs.update(tabId, { active: true });
      }
      const format = p.format === "jpeg" ? "jpeg" : "png";
      const dataUrl = await chrome.tabs.captureVisibleTab(tab.windowId, { format, quality: p.quality || 80 });
      return { dataUrl, tabId, format };
    },
  };
}
