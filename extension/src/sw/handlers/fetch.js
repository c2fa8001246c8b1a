// browser.fetch: GET a URL with the user's cookies from the service worker, no tab, and parse it
// off-screen (an offscreen document with DOMParser, running the same extractors as the pages).
import { BridgeError } from "../protocol.js";
import { checkUrl } from "./tabs.js";

const MAX_BYTES = 20 * 1024 * 1024;
const OFFSCREEN_URL = "src/offscreen/offscreen.html";
let creating = null;

async function ensureOffscreen() {
  if (!chrome.offscreen) throw new BridgeError("unavailable", "this browser has no offscreen documents; use a tab");
  const contexts = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] });
  if (contexts.length) return;
  if (!creating) {
    creating = chrome.offscreen
      .createDocument({ url: OFFSCREEN_URL, reasons: ["DOM_PARSER"], justification: "Parse pages fetched for the user's SwarmBridge tasks." })
      .catch((e) => {
        if (!/single offscreen/i.test(e.message)) throw e;
      })
      .finally(() => (creating = null));
  }
  await creating;
}

async function parse(html, url, extract) {
  await ensureOffscreen();
  const reply = await chrome.runtime.sendMessage({ target: "offscreen", sb: 1, html, url, extract });
  if (!reply) throw new BridgeError("internal_error", "the offscreen parser did not answer");
  if (!reply.ok) throw new BridgeError(reply.error.code || "internal_error", reply.error.message);
  return reply.result;
}

export function fetchHandlers() {
  return {
    "browser.fetch": async (p) => {
      const url = checkUrl(p.url);
      if (!/^https?:/.test(url)) throw new BridgeError("invalid_params", "fetch takes http(s) URLs");
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), p.timeoutMs || 30000);
      let res;
      try {
        res = await fetch(url, { credentials: "include", redirect: "follow", signal: ctrl.signal, headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
      } catch (e) {
        throw new BridgeError(e.name === "AbortError" ? "timeout" : "unavailable", `fetch ${url} failed: ${e.message}`);
      } finally {
        clearTimeout(timer);
      }
      const length = Number(res.headers.get("content-length") || 0);
      if (length > MAX_BYTES) throw new BridgeError("too_large", `${url} is ${length} bytes (limit ${MAX_BYTES})`);
      const html = await res.text();
      if (html.length > MAX_BYTES) throw new BridgeError("too_large", `${url} is larger than ${MAX_BYTES} bytes`);
      const base = { url: res.url || url, status: res.status, contentType: res.headers.get("content-type") || "" };
      const extract = p.extract || "article";
      if (extract === "html") return { ...base, html };
      if (!/html|xml/i.test(base.contentType) && base.contentType) return { ...base, text: html.slice(0, 2_000_000) };
      return { ...base, ...(await parse(html, base.url, extract)) };
    },
  };
}
