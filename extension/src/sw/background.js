// The service worker. Every chrome.* listener is registered synchronously at the top level, before
// any await, so an event that wakes the worker is never missed; handlers wait on `ready`.
// The worker keeps no state a restart would lose: swarm tabs live in chrome.storage.session.
import { NativePort, HOST_NAME } from "./port.js";
import { Router } from "./router.js";
import { SwarmTabs, followSettings } from "./tabs.js";
import { tabHandlers } from "./handlers/tabs.js";
import { pageHandlers } from "./handlers/page.js";
import { fetchHandlers } from "./handlers/fetch.js";
import { upload } from "./debugger.js";
import { BridgeError } from "./protocol.js";
import { notificationFor } from "./notify.js";
import { handleMenu, installMenus } from "./menus.js";

const manifest = chrome.runtime.getManifest();
const swarm = new SwarmTabs({ cap: 8 });
const ctx = { swarm };
const router = new Router()
  .add(tabHandlers(ctx))
  .add(pageHandlers(ctx))
  .add(fetchHandlers(ctx))
  .add({
    "browser.upload": async (p) => upload(await ctx.resolveTab(p), String(p.selector || ""), p.files),
    "browser.commands": async () => ({ commands: router.methods() }),
  });

async function detectBrowser() {
  const brands = (navigator.userAgentData && navigator.userAgentData.brands || []).map((b) => b.brand);
  if (navigator.brave && (await navigator.brave.isBrave().catch(() => false))) return "brave";
  if (brands.includes("Microsoft Edge")) return "edge";
  if (/Vivaldi/.test(navigator.userAgent)) return "vivaldi";
  if (brands.includes("Google Chrome")) return "chrome";
  if (brands.includes("Chromium") || /Chrome\//.test(navigator.userAgent)) return "chromium";
  if (/Firefox\//.test(navigator.userAgent)) return "firefox";
  return "unknown";
}

async function profileLabel() {
  const got = await chrome.storage.local.get(["profileId", "profileName"]);
  let id = got.profileId;
  if (!id) {
    id = "p-" + crypto.randomUUID().slice(0, 8);
    await chrome.storage.local.set({ profileId: id });
  }
  return got.profileName || id;
}

async function hello() {
  return {
    browser: await detectBrowser(),
    profile: await profileLabel(),
    extensionVersion: manifest.version,
    extensionId: chrome.runtime.id,
    userAgent: navigator.userAgent,
    commands: router.methods(),
  };
}

const listeners = new Set(); // UI ports (popup, side panel) that follow the connection state
// Daemon events the worker always wants (notifications, popup); an open side panel also wants
// every run.* and goal.* event (live steps), so the bridge carries them only while one is open.
const BASE_TOPICS = ["approval.", "schedule.run_finished", "goal.changed", "goal.stalled", "run.finished", "run.blocked"];
const PANEL_TOPICS = ["approval.", "schedule.run_finished", "goal.", "run."];
const panels = new Set();
function followPanels() {
  const want = panels.size ? PANEL_TOPICS : BASE_TOPICS;
  if (port.topics === want) return;
  port.topics = want; // re-sent after every reconnection by sendHello
  if (port.state === "connected") port.call("events.subscribe", { topics: want }, 10000).catch(() => {});
}
const port = new NativePort({
  connect: () => chrome.runtime.connectNative(HOST_NAME),
  onRequest: async (method, params) => {
    await swarm.loaded;
    return router.handle(method, params);
  },
  onEvent: (method, params) => {
    for (const p of listeners) p.postMessage({ type: "event", method, params });
    const n = notificationFor(method, params);
    if (n && chrome.notifications) {
      if (n.clear) chrome.notifications.clear(n.id);
      else chrome.notifications.create(n.id, { type: "basic", iconUrl: "icons/icon128.png", ...n.options });
    }
  },
  hello,
  topics: BASE_TOPICS,
});
followSettings(port, router, swarm); // the tab cap and search engine follow the daemon's settings
let lastState = { state: port.state, bridgeId: null, daemonUp: false }; // with the error, for pages opened later
port.onState((s) => {
  lastState = s;
  chrome.storage.session.set({ connection: s }).catch(() => {});
  for (const p of listeners) p.postMessage({ type: "state", ...s });
});

// ---- top-level listeners (synchronous registration) ----
chrome.runtime.onInstalled.addListener(() => {
  installMenus();
  port.start();
});
chrome.contextMenus.onClicked.addListener((info, tab) => {
  // The run a "Send ... to swarm" starts shows in the side panel: open it now, inside the click
  // (sidePanel.open needs the user gesture, lost at the first await); it follows the next run.
  if (String(info.menuItemId).startsWith("sb-send-") && chrome.sidePanel && tab && tab.windowId !== undefined) {
    chrome.sidePanel.open({ windowId: tab.windowId }).catch(() => {});
    chrome.storage.session.set({ panelTarget: { follow: true, at: Date.now() } }).catch(() => {});
  }
  const notify = (title, message) => chrome.notifications.create({ type: "basic", iconUrl: "icons/icon128.png", title, message });
  handleMenu(info, tab, { call: (m, p) => port.call(m, p, 120000), notify }).catch((e) => notify("SwarmBridge", e.message));
});
chrome.runtime.onStartup.addListener(() => port.start());
chrome.tabs.onRemoved.addListener((tabId) => {
  swarm.forget(tabId);
  port.emit("bridge.event", { type: "tab_closed", tabId });
});
chrome.windows.onRemoved.addListener((windowId) => swarm.forgetWindow(windowId));
// Approve / Deny straight from an approval notification (button 0 / 1).
chrome.notifications.onButtonClicked.addListener((id, button) => {
  const m = /^approval:(.+)$/.exec(id);
  if (!m) return;
  port.call(button === 0 ? "approvals.approve" : "approvals.deny", { id: m[1], reason: "from the notification" }).catch(() => {});
  chrome.notifications.clear(id);
});
chrome.notifications.onClicked.addListener((id) => {
  chrome.notifications.clear(id);
  if (chrome.action && chrome.action.openPopup) chrome.action.openPopup().catch(() => {});
});
chrome.runtime.onConnect.addListener((p) => {
  // Only our own pages (popup, side panel, options) may follow the bridge; decided once, here.
  if (!p.sender || p.sender.id !== chrome.runtime.id || !String(p.sender.url || "").startsWith(`chrome-extension://${chrome.runtime.id}/`)) {
    p.disconnect();
    return;
  }
  listeners.add(p);
  if (p.name === "sidepanel") {
    panels.add(p);
    followPanels();
  }
  p.postMessage({ type: "state", ...lastState });
  p.onDisconnect.addListener(() => {
    listeners.delete(p);
    if (panels.delete(p)) followPanels();
  });
  p.onMessage.addListener(async (m) => {
    if (!m || m.type !== "call" || typeof m.method !== "string") return;
    try {
      p.postMessage({ type: "reply", id: m.id, result: await port.call(m.method, m.params || {}) });
    } catch (e) {
      p.postMessage({ type: "reply", id: m.id, error: { code: e.code || "internal_error", message: e.message, data: e.data } });
    }
  });
});

// Any wake-up connects (the worker may start for an event other than install/startup).
port.start();

export { router, port, swarm, BridgeError };
