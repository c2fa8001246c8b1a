// The service worker. Every chrome.* listener is registered synchronously at the top level, before
// any await, so an event that wakes the worker is never missed; handlers wait on `ready`.
// The worker keeps no state a restart would lose: swarm tabs live in chrome.storage.session.
import { NativePort, HOST_NAME } from "./port.js";
import { Router } from "./router.js";
import { SwarmTabs } from "./tabs.js";
import { tabHandlers } from "./handlers/tabs.js";
import { pageHandlers } from "./handlers/page.js";
import { fetchHandlers } from "./handlers/fetch.js";
import { upload } from "./debugger.js";
import { BridgeError } from "./protocol.js";

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
const port = new NativePort({
  connect: () => chrome.runtime.connectNative(HOST_NAME),
  onRequest: async (method, params) => {
    await swarm.loaded;
    return router.handle(method, params);
  },
  onEvent: (method, params) => {
    for (const p of listeners) p.postMessage({ type: "event", method, params });
    if (method === "notify" && chrome.notifications) {
      chrome.notifications.create({ type: "basic", iconUrl: "icons/icon128.png", title: String(params.title || "SwarmBridge"), message: String(params.message || "") });
    }
  },
  hello,
});
port.onState((s) => {
  chrome.storage.session.set({ connection: s }).catch(() => {});
  for (const p of listeners) p.postMessage({ type: "state", ...s });
});

// ---- top-level listeners (synchronous registration) ----
chrome.runtime.onInstalled.addListener(() => port.start());
chrome.runtime.onStartup.addListener(() => port.start());
chrome.tabs.onRemoved.addListener((tabId) => {
  swarm.forget(tabId);
  port.emit("bridge.event", { type: "tab_closed", tabId });
});
chrome.windows.onRemoved.addListener((windowId) => swarm.forgetWindow(windowId));
chrome.runtime.onConnect.addListener((p) => {
  // Only our own pages (popup, side panel, options) may follow the bridge; decided once, here.
  if (!p.sender || p.sender.id !== chrome.runtime.id || !String(p.sender.url || "").startsWith(`chrome-extension://${chrome.runtime.id}/`)) {
    p.disconnect();
    return;
  }
  listeners.add(p);
  p.postMessage({ type: "state", state: port.state, bridgeId: port.bridgeId, daemonUp: port.daemonUp });
  p.onDisconnect.addListener(() => listeners.delete(p));
  p.onMessage.addListener(async (m) => {
    if (!m || m.type !== "call" || typeof m.method !== "string") return;
    try {
      p.postMessage({ type: "reply", id: m.id, result: await port.call(m.method, m.params || {}) });
    } catch (e) {
      p.postMessage({ type: "reply", id: m.id, error: { code: e.code || "internal_error", message: e.message } });
    }
  });
});

// Any wake-up connects (the worker may start for an event other than install/startup).
port.start();

export { router, port, swarm, BridgeError };
