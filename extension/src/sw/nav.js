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
  return { promise, cancel, started: () => sawLoading };
}

// Wait until the tab's current document has loaded (already complete: return at once).
export async function whenLoaded(tabId, timeoutMs = 30000) {
  const armed = armLoad(tabId, timeoutMs);
  const tab = await chrome.tabs.get(tabId);
  if (tab.status === "complete") {
    armed.cancel();
    return tab;
  }
  const t = await armed.promise;
  return t || chrome.tabs.get(tabId);
}

export function tabInfo(tab) {
  return { tabId: tab.id, windowId: tab.windowId, url: tab.url || tab.pendingUrl || "", title: tab.title || "", status: tab.status };
}

// For reading a page: wait for "complete", but a page whose last sub-resource never arrives is
// still readable once its DOM is parsed, so a time-out here is not an error.
export async function loadedEnough(tabId, timeoutMs = 10000) {
  try {
    return await whenLoaded(tabId, timeoutMs);
  } catch (e) {
    if (e.code !== "timeout") throw e;
    return chrome.tabs.get(tabId);
  }
}
