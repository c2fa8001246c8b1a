// Commands that act inside a page: snapshot, click, fill, type, select, check, press, scroll,
// wait_for, extract, search. Each routes to the frame named by the ref ("f3:e7") or `frame`.
import { BridgeError } from "../protocol.js";
import { armLoad, loadedEnough, tabInfo, whenLoaded } from "../nav.js";
import { autofillAll, call, inject, parseRef, snapshotAll } from "../frames.js";
import { trustedClick, trustedType } from "../debugger.js";
import { checkUrl } from "./tabs.js";

// Known result layouts; anything else falls back to the generic parser in the content script.
export const ENGINES = {
  duckduckgo: { url: "https://html.duckduckgo.com/html/?q={q}", item: ".result", title: ".result__a", link: ".result__a", snippet: ".result__snippet" },
  google: { url: "https://www.google.com/search?q={q}", item: "div.g", title: "h3", link: "a", snippet: "[data-sncf], .VwiC3b" },
  bing: { url: "https://www.bing.com/search?q={q}", item: "li.b_algo", title: "h2", link: "h2 a", snippet: ".b_caption p, p" },
};

export function pageHandlers(ctx) {
  const { swarm } = ctx;

  // A swarm tab is read soon after it loads: inject the content scripts as soon as its DOM is
  // parsed, so the read finds them ready instead of paying for the injection on its own path.
  if (typeof chrome !== "undefined" && chrome.webNavigation && chrome.webNavigation.onDOMContentLoaded) {
    chrome.webNavigation.onDOMContentLoaded.addListener((d) => {
      if (d.frameId === 0 && /^https?:/.test(d.url) && swarm.isSwarm(d.tabId)) inject(d.tabId, [0]).catch(() => {});
    });
  }

  async function target(p) {
    const tabId = await ctx.resolveTab(p);
    const { frameId, ref } = parseRef(p.ref, p.frame);
    await whenLoaded(tabId, p.timeoutMs || 30000);
    return { tabId, frameId, args: { ...p, ref } };
  }

  async function autofill(cmd, p) {
    const { tabId, frameId, args } = await target(p);
    const named = (p.frame !== undefined && p.frame !== null) || p.ref || p.selector;
    return autofillAll(tabId, cmd, args, named ? frameId : null);
  }

  // Run an action; if it starts a navigation, wait for the new document and say so.
  async function act(cmd, p) {
    const { tabId, frameId, args } = await target(p);
    const armed = armLoad(tabId, p.timeoutMs || 30000);
    let result;
    try {
      if (p.trusted && cmd === "click") result = await trustedClick(tabId, frameId, args);
      else if (p.trusted && (cmd === "type" || cmd === "fill")) result = await trustedType(tabId, frameId, args, cmd);
      else result = await call(tabId, frameId, cmd, args);
      // The synthetic fill had no effect at all (the page reset the field): retry with trusted input.
      if (cmd === "fill" && !p.trusted && noEffect(result, args)) {
        result = await trustedType(tabId, frameId, args, cmd).catch(() => result);
      }
    } catch (e) {
      armed.cancel();
      throw e;
    }
    if (result && result.newTab) {
      armed.cancel();
      const opener = await chrome.tabs.get(tabId);
      const caller = swarm.callerOf(tabId) || p.caller || "";
      const tab = await swarm.open(checkUrl(result.newTab), { caller, openerTabId: opener.id });
      const loaded = await whenLoaded(tab.id, p.timeoutMs || 30000);
      return { ok: true, newTab: tabInfo(loaded) };
    }
    // Give a click-triggered navigation a moment to start before deciding there was none.
    await new Promise((r) => setTimeout(r, cmd === "click" || cmd === "press" ? 60 : 0));
    if (armed.started()) {
      await armed.promise;
      const tab = await chrome.tabs.get(tabId);
      return { ...result, navigated: true, url: tab.url, title: tab.title };
    }
    armed.cancel();
    return result;
  }

  // A read sent just as a navigation replaces the document can land in the old one, which then goes
  // away (bfcache, unload): wait for the new document and read it once more. Reads only: an action
  // may already have run in the old page, so it is never sent twice.
  async function read(tabId, frameId, cmd, params, timeoutMs) {
    try {
      return await call(tabId, frameId, cmd, params);
    } catch (e) {
      // also a read that hit the previous document (e.g. the opener's about:blank) just before a
      // navigation started: the tab is loading again now
      if (e.code !== "unavailable") throw e; // the page answered (bad selector, ...): no retry
      if (!GONE.test(e.message || "") && !(await navigationStarts(tabId, 500))) throw e;
      await loadedEnough(tabId, timeoutMs);
      return call(tabId, frameId, cmd, params);
    }
  }

  async function extractStructured(tabId, p) {
    const schema = p.schema;
    const maxPages = p.paginate === false ? 1 : Number(p.maxPages || (p.paginate ? 20 : 1));
    const maxItems = Number(schema.maxItems || p.maxItems || Infinity);
    const rows = [];
    let pages = 0;
    let scroll;
    while (true) {
      await whenLoaded(tabId);
      if (schema.scroll) {
        scroll = await call(tabId, 0, "scroll", { to: "until_stable", itemSelector: schema.item, maxItems: Number.isFinite(maxItems) ? maxItems : undefined, timeoutMs: p.timeoutMs || 30000, quietMs: p.quietMs || 1200 });
      }
      const got = await call(tabId, 0, "extract_structured", { schema });
      rows.push(...got.rows);
      pages++;
      if (!got.next || pages >= maxPages || rows.length >= maxItems) break;
      const armed = armLoad(tabId, p.timeoutMs || 30000);
      if (got.next === "click") await call(tabId, 0, "click_next", { selector: schema.next });
      else await chrome.tabs.update(tabId, { url: got.next });
      await armed.promise;
    }
    const result = { rows: Number.isFinite(maxItems) ? rows.slice(0, maxItems) : rows, pages };
    if (scroll) result.scroll = scroll;
    return result;
  }

  return {
    "browser.snapshot": async (p) => {
      const tabId = await ctx.resolveTab(p);
      await loadedEnough(tabId, p.timeoutMs || 10000);
      return snapshotAll(tabId, { delta: !!p.delta, viewportOnly: !!p.viewportOnly, maxElements: p.maxElements, maxChars: p.maxChars, caller: p.caller || "" });
    },
    "browser.click": (p) => act("click", p),
    "browser.fill": (p) => act("fill", p),
    "browser.type": (p) => act("type", p),
    "browser.select": (p) => act("select", p),
    "browser.check": (p) => act("check", p),
    "browser.press": (p) => act("press", p),
    "browser.scroll": async (p) => {
      const { tabId, frameId, args } = await target(p);
      return call(tabId, frameId, "scroll", args);
    },
    "browser.wait_for": async (p) => {
      const { tabId, frameId, args } = await target(p);
      return call(tabId, frameId, "wait_for", args);
    },
    "browser.extract": async (p) => {
      const tabId = await ctx.resolveTab(p);
      await loadedEnough(tabId, p.timeoutMs || 10000);
      const mode = p.mode || "article";
      if (mode === "article") return { ...(await read(tabId, 0, "extract_article", {}, p.timeoutMs || 10000)), tabId };
      if (mode === "table") return read(tabId, Number(p.frame || 0), "extract_table", { selector: p.selector || "table" }, p.timeoutMs || 10000);
      if (mode === "structured") {
        if (!p.schema) throw new BridgeError("invalid_params", "structured extraction needs a schema");
        return extractStructured(tabId, p);
      }
      throw new BridgeError("invalid_params", `unknown extract mode ${mode}`);
    },
    // Autofill works on one frame when `frame`, a ref or a selector names it, else on every frame
    // of the page's own origin (frames.js autofillAll: cross-origin frames are listed, not filled).
    "browser.autofill.classify": (p) => autofill("autofill_classify", p),
    // Fills from a profile; never submits (a submit is a separate click through the approval policy).
    "browser.autofill.fill": async (p) => {
      if (!p.profile || typeof p.profile !== "object") throw new BridgeError("invalid_params", "autofill needs a profile {token: value}");
      return autofill("autofill_fill", p);
    },
    "browser.search": async (p) => {
      if (!p.query || typeof p.query !== "string") throw new BridgeError("invalid_params", "search needs a query");
      const stored = (await chrome.storage.local.get("searchEngine")).searchEngine;
      const spec = typeof p.engine === "object" && p.engine ? p.engine : ENGINES[p.engine || stored || "duckduckgo"] || { url: p.engine || stored };
      if (!spec.url || !spec.url.includes("{q}")) throw new BridgeError("invalid_params", "the search engine URL template needs {q}");
      const url = checkUrl(spec.url.replace("{q}", encodeURIComponent(p.query)));
      const tab = await swarm.open("about:blank", { caller: p.caller || "search" });
      try {
        const armed = armLoad(tab.id, p.timeoutMs || 30000);
        await chrome.tabs.update(tab.id, { url });
        await armed.promise;
        const found = await call(tab.id, 0, "search_results", { spec, max: p.max || 10 });
        return { query: p.query, url, results: found.results };
      } finally {
        if (!p.keepTab) await swarm.close({ tabId: tab.id }).catch(() => {});
      }
    },
  };
}

// True once the tab is loading a new document, polled for up to `ms` (a navigate that returned
// without waiting may not have started its navigation yet).
async function navigationStarts(tabId, ms) {
  const end = Date.now() + ms;
  while (true) {
    const tab = await chrome.tabs.get(tabId).catch(() => null);
    if (!tab) return false;
    if (tab.status === "loading" || tab.pendingUrl) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The frame's document went away while answering (navigated, moved to the back/forward cache).
export const GONE = /back\/forward cache|navigated away before answering|message channel (is )?closed|message port closed/i;

// True when a fill asked for a non-empty value and the field still reads empty afterwards.
export function noEffect(result, args) {
  return !!result && result.value === "" && typeof args.value === "string" && args.value !== "";
}
