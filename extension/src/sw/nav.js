// Waiting for a tab to load. The listener is armed BEFORE the navigation starts (a fast page can
// finish before a late listener sees it), then resolves on status "complete".
import { BridgeError } from "./protocol.js";

export function armLoad(tabId, timeoutMs = 30000) {
  let cancel;
  let sawLoading = false;
  const promise = new Promise((resolve, reject) => {
    const onUpdated = (id, info, tab) => {
      if (id !== tabId) return;
      if (info.status === "loading") sawLoading = true;
      if (info.status === "complete" && sawLoading) done(resolve, tab);
    };
    const onRemoved = (id) => id === tabId && done(reject, new BridgeError("not_found", `tab ${tabId} was closed while loading`));
    const timer = setTimeout(() => done(reject, new BridgeError("timeout", `tab ${tabId} did not finish loading in ${timeoutMs} ms`)), timeoutMs);
    function done(fn, v) {
      clearTimeout(timer);
      chrome.tabs.onUpdated.removeListener(onUpdated);
      chrome.tabs.onRemoved.removeListener(onRemoved);
      fn(v);
    }
    cancel = () => done(resolve, null);
    chrome.tabs.onUpdated.addListener(onUpdated);
    chrome.tabs.onRemoved.addListener(onRemoved);
  });
  // loading(): the tab is known to be loading already (its "loading" update came before arming).
  return { promise, cancel, started: () => sawLoading, loading: () => (sawLoading = true) };
}

// Wait until the tab's current document has loaded (already complete: return at once).
export async function whenLoaded(tabId, timeoutMs = 30000) {
  const armed = armLoad(tabId, timeoutMs);
  const tab = await chrome.tabs.get(tabId);
  if (tab.status === "complete") {
    armed.cancel();
    return tab;
  }
  armed.loading(); // else a page already loading when we asked would never count as finished
  const t = await armed.promise;
  return t || chrome.tabs.get(tabId);
}

export function tabInfo(tab) {
  return { tabId: tab.id, windowId: tab.windowId, url: tab.url || tab.pendingUrl || "", title: tab.title || "", status: tab.status };
}

// Progress of each tab's top document, from webNavigation: a read (snapshot, extract) can start
// a little after the DOM is parsed (DOMContentLoaded) instead of waiting for the last image or
// stalled script ("complete"). Memory only: after a worker restart
// the state is unknown and a read falls back to waiting for "complete" (never to reading early).
const progress = new Map(); // tabId -> { parsed: boolean, at: ms when parsed }

if (typeof chrome !== "undefined" && chrome.webNavigation && chrome.webNavigation.onDOMContentLoaded) {
  const reset = (d) => d.frameId === 0 && progress.set(d.tabId, { parsed: false, at: 0, url: d.url });
  chrome.webNavigation.onBeforeNavigate.addListener(reset);
  chrome.webNavigation.onCommitted.addListener(reset);
  chrome.webNavigation.onDOMContentLoaded.addListener((d) => d.frameId === 0 && progress.set(d.tabId, { parsed: true, at: Date.now(), url: d.url }));
  chrome.tabs.onRemoved.addListener((id) => progress.delete(id));
}

// After DOMContentLoaded, wait this long for "complete" before reading anyway: scripts still fill
// pages after DOMContentLoaded (at 100 ms, article F1 on articles-dev fell from 0.96 to 0.93-0.94),
// while a page whose last image or tracker stalls is no longer waited for until the time-out.
export const PARSED_GRACE_MS = 800;

// Resolve when the tab's document is complete, or parsed PARSED_GRACE_MS ago, whichever is first.
// A time-out is not an error: a page whose last sub-resource never arrives is still readable.
export async function loadedEnough(tabId, timeoutMs = 10000) {
  let finish;
  const settled = new Promise((resolve) => (finish = resolve));
  let timer = null;
  let grace = null;
  const onUpdated = (id, info) => id === tabId && info.status === "complete" && finish();
  const onParsed = (d) => d.tabId === tabId && d.frameId === 0 && afterGrace(Date.now());
  const onRemoved = (id) => id === tabId && finish();
  function afterGrace(at) {
    if (grace === null) grace = setTimeout(finish, Math.max(0, at + PARSED_GRACE_MS - Date.now()));
  }
  chrome.tabs.onUpdated.addListener(onUpdated);
  chrome.tabs.onRemoved.addListener(onRemoved);
  chrome.webNavigation.onDOMContentLoaded.addListener(onParsed);
  try {
    timer = setTimeout(finish, timeoutMs);
    const tab = await chrome.tabs.get(tabId);
    const known = progress.get(tabId);
    if (tab.status === "complete" && !tab.pendingUrl) finish();
    // only a record of the document the tab shows now (not of the one a navigation is replacing)
    else if (known && known.parsed && !tab.pendingUrl && tab.status === "loading" && known.url === tab.url) afterGrace(known.at);
    await settled;
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    chrome.tabs.onUpdated.removeListener(onUpdated);
    chrome.tabs.onRemoved.removeListener(onRemoved);
    chrome.webNavigation.onDOMContentLoaded.removeListener(onParsed);
  }
  return chrome.tabs.get(tabId).catch(() => {
    throw new BridgeError("not_found", `tab ${tabId} was closed while loading`);
  });
}
