// The content-script entry: one per frame, guarded against double injection, a handler map, and
// destroy(). The service worker talks to it with chrome.tabs.sendMessage({sb: 1, cmd, params},
// {frameId}). Before acting it re-checks that the page is still the one the caller saw.
(function (root) {
  const SB = (root.SwarmBridge = root.SwarmBridge || {});
  if (SB.bootstrapped) return;
  SB.bootstrapped = true;
  const doc = root.document;
  const E = (code, msg, data) => new SB.BridgeError(code, msg, data);

  function checkPage(params) {
    if (params.expectUrl && params.expectUrl !== doc.location.href) {
      throw E("stale", `the page changed to ${doc.location.href}`, { url: doc.location.href });
    }
  }

  const handlers = {
    ping: () => ({ pong: true, url: doc.location.href, docId: SB.refs.docId }),
    snapshot: (p) => SB.snapshot.snapshot(doc, p),
    click: (p) => SB.actions.click(SB.refs.target(p, doc), p),
    fill: (p) => SB.actions.fill(SB.refs.target(p, doc), p.value),
    type: (p) => SB.actions.type(SB.refs.target(p, doc), p.text),
    select: (p) => SB.actions.select(SB.refs.target(p, doc), p),
    check: (p) => SB.actions.check(SB.refs.target(p, doc), p),
    press: (p) => SB.actions.press(p.ref || p.selector ? SB.refs.target(p, doc) : null, p.keys, doc),
    scroll: (p) => SB.wait.scroll(doc, p, p.ref || p.selector ? SB.refs.target(p, doc) : null),
    wait_for: (p) => SB.wait.waitFor(doc, p),
    extract_structured: (p) => SB.extract.structured(doc, p.schema),
    extract_table: (p) => SB.extract.tables(doc, p),
    extract_article: (p) => {
      if (!root.SwarmBridgeArticle) throw E("internal_error", "article extractor not loaded");
      return root.SwarmBridgeArticle.extract(doc, { url: doc.location.href });
    },
    click_next: (p) => {
      const a = SB.refs.querySelectorDeep(doc, p.selector);
      if (!a) throw E("not_found", `no element matches ${p.selector}`);
      return SB.actions.click(a, { force: true, inPlace: true });
    },
    rect: (p) => {
      const el = SB.refs.target(p, doc);
      el.scrollIntoView({ block: "center", behavior: "instant" });
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width, height: r.height, dpr: root.devicePixelRatio || 1 };
    },
    settle: async (p) => {
      // Resolve once the DOM has been quiet for quietMs (a proxy for "network idle" after load).
      const quiet = p.quietMs || 500;
      const deadline = Date.now() + (p.timeoutMs || 5000);
      let lastChange = Date.now();
      const obs = new MutationObserver(() => (lastChange = Date.now()));
      obs.observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
      try {
        while (Date.now() - lastChange < quiet && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      } finally {
        obs.disconnect();
      }
      return { quiet: Date.now() - lastChange >= quiet };
    },
    autofill_classify: (p) => ({ fields: SB.autofill.describe(p.selector ? SB.refs.target(p, doc) : doc) }),
    autofill_fill: (p) => SB.autofill.fill(p.selector || p.ref ? SB.refs.target(p, doc) : doc, p.profile || {}, { preview: !!p.preview, includeSensitive: !!p.includeSensitive, types: p.types || null, next: p.next || null }),
    search_results: (p) => SB.extract.searchResults(doc, p.spec || {}, p.max || 10),
    focus: (p) => {
      const el = SB.refs.target(p, doc);
      el.focus();
      return { ok: true };
    },
  };

  async function handle(cmd, params) {
    const fn = handlers[cmd];
    if (!fn) throw E("method_not_found", `content script has no command ${cmd}`);
    checkPage(params || {});
    return await fn(params || {});
  }

  function onMessage(msg, _sender, sendResponse) {
    if (!msg || msg.sb !== 1) return false;
    handle(msg.cmd, msg.params).then(
      (result) => sendResponse({ ok: true, result }),
      (err) => sendResponse({ ok: false, error: { code: err.code || "internal_error", message: String((err && err.message) || err), data: err.data } }),
    );
    return true; // async reply
  }

  function destroy() {
    chrome.runtime.onMessage.removeListener(onMessage);
    SB.bootstrapped = false;
  }

  SB.handle = handle;
  SB.destroy = destroy;
  if (typeof chrome !== "undefined" && chrome.runtime && chrome.runtime.onMessage) chrome.runtime.onMessage.addListener(onMessage);
})(typeof globalThis !== "undefined" ? globalThis : this);
